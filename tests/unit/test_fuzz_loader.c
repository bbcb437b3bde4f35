/* test_fuzz_loader.c: mutated workflows never crash, hang or leak the loader
 * or the rules.
 *
 * A deterministic mutation fuzzer (fixed seed, so a failure reproduces):
 * takes the seed workflow and a few hostile shapes, applies byte flips,
 * truncations, splices of YAML indicator characters and duplicated
 * regions, then loads and lints each mutant under ASan/UBSan. Findings are
 * fine; crashes, sanitizer reports and leaks fail the test. The longer
 * coverage-guided run is tests/fuzz/fuzz_load.c with libFuzzer. */
#include "tests/unit/testutil.h"

#include <stdint.h>
#include <stdio.h>

#include "document/workflow.h"
#include "validate/rules.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
	/* splitmix64: small, good enough to pick mutations */
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	return buf;
}

static size_t mutate(char *dst, size_t cap, const char *src, size_t len)
{
	static const char *const tokens[] = {
		"{", "}", "[", "]", ":", "- ", "&a ", "*a", "<<: ", "|", ">", "\"", "'", "\\", "\n",
		"\t", "#", "!!str ", "---\n", "...\n", "{{", "}}", "{{inputs.parameters.x}}", "\xef\xbb\xbf",
		"\xff", "%YAML 1.1\n", "? ", ",", "\n  ", "\n      manifest: |\n        kind: [",
	};
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, src, len);
	int rounds = 1 + (int)(next() % 4);
	for (int r = 0; r < rounds && len > 0; r++) {
		size_t at = (size_t)(next() % len);
		switch (next() % 5) {
		case 0: /* flip a byte */
			dst[at] = (char)(next() & 0xff);
			break;
		case 1: /* truncate */
			len = at;
			break;
		case 2: { /* splice a token */
			const char *t = tokens[next() % (sizeof tokens / sizeof tokens[0])];
			size_t tl = strlen(t);
			if (len + tl < cap) {
				memmove(dst + at + tl, dst + at, len - at);
				memcpy(dst + at, t, tl);
				len += tl;
			}
			break;
		}
		case 3: { /* duplicate a region */
			size_t n = (size_t)(next() % 200);
			if (at + n > len)
				n = len - at;
			if (len + n < cap) {
				memmove(dst + at + n, dst + at, len - at);
				len += n;
			}
			break;
		}
		default: /* delete a region */ {
			size_t n = (size_t)(next() % 50);
			if (at + n > len)
				n = len - at;
			memmove(dst + at, dst + at + n, len - at - n);
			len -= n;
		}
		}
	}
	return len;
}

static void test_mutants(void **state)
{
	(void)state;
	char path[4096];
	const char *seeds[] = {"seed/fine-tune-llama.yaml", "seed/fine-tune-llama.hera-latest.yaml",
			       "corpus/argo-examples/dag-diamond-steps.yaml", "corpus/argo-examples/steps.yaml"};
	size_t cap = 1 << 21;
	char *buf = malloc(cap);
	assert_non_null(buf);
	size_t total = 0, with_findings = 0;
	for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++) {
		snprintf(path, sizeof path, "%s/%s", test_shared_dir(), seeds[s]);
		FILE *probe = fopen(path, "rb");
		if (!probe)
			continue; /* a corpus file may be renamed upstream; the seed files must exist */
		fclose(probe);
		size_t len;
		char *src = read_all(path, &len);
		for (int i = 0; i < 600; i++) {
			size_t n = mutate(buf, cap, src, len);
			wf_set *set = wf_set_new();
			diag_list *d = diag_list_new();
			char err[256];
			assert_int_equal(wf_set_load_mem(set, "mutant.yaml", buf, n, d, err, sizeof err), 0);
			assert_int_equal(lint_run(set, NULL, d), 0);
			with_findings += diag_count(d) > 0;
			total++;
			wf_set_free(set);
			diag_list_free(d);
		}
		free(src);
	}
	free(buf);
	printf("fuzz: %zu mutants loaded and linted, %zu with findings\n", total, with_findings);
	assert_true(total >= 1200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
