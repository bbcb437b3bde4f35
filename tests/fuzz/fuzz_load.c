/* fuzz_load.c: libFuzzer entry point for the loader and every lint rule.
 *
 * Not part of `make test` (it runs until stopped). Build and run:
 *   make fuzz            # clang -fsanitize=fuzzer,address,undefined
 *   ./build/fuzz/fuzz_load -max_total_time=300 CORPUS_DIR
 * Any crash, sanitizer report, leak or timeout is a bug. */
#include <stddef.h>
#include <stdint.h>

#include "document/workflow.h"
#include "validate/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	wf_set *set = wf_set_new();
	diag_list *d = diag_list_new();
	char err[256];
	if (set && d && wf_set_load_mem(set, "fuzz.yaml", (const char *)data, size, d, err, sizeof err) == 0)
		lint_run(set, NULL, d);
	wf_set_free(set);
	diag_list_free(d);
	return 0;
}
