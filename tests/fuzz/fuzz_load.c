/* fuzz_load.c: libFuzzer entry point of the 'load' target (tests/fuzz/targets.h).
 * `make fuzz` runs it for FUZZ_SECONDS; `make test` runs a short pass. */
#include "tests/fuzz/targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_load_one(data, size);
}
