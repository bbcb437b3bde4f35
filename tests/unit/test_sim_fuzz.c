/* test_sim_fuzz.c: deterministic mutations of a bundled scenario. Each
 * mutant either loads (and then simulates the seed to an end) or is
 * refused with at least one positioned finding; never a crash, a leak
 * (ASan) or a hang. */
#include "tests/unit/testutil.h"

#include "model/scenario.h"
#include "sim/simulate.h"

static uint64_t next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[*len] = 0;
	return buf;
}

static void test_mutated_scenarios(void **state)
{
	(void)state;
	size_t len, wlen;
	char *orig = slurp("scenarios/gke-v100-4node.yaml", &len);
	char path[4096];
	snprintf(path, sizeof path, "%s/seed/fine-tune-llama.yaml", test_shared_dir());
	char *wf = slurp(path, &wlen);
	char err[512];
	diag_list *wd = diag_list_new();
	wf_set *set = wf_set_new();
	assert_int_equal(wf_set_load_mem(set, "seed.yaml", wf, wlen, wd, err, sizeof err), 0);
	const wf_doc *doc = wf_set_doc(set, 0);
	static const char *const tokens[] = {"-1", "1e400", "nan", "[", "{", "}", ": ", "\n  ", "~",
					     "uniform(min=9,max=1)", "0", "&a", "*a", "\t", "\"", "'"};
	char *buf = malloc(len + 256);
	assert_non_null(buf);
	uint64_t rng = 0x9e3779b97f4a7c15ULL;
	int loaded = 0, refused = 0;
	for (int it = 0; it < 1500; it++) {
		size_t n = len;
		memcpy(buf, orig, len);
		int edits = 1 + (int)(next(&rng) % 3);
		for (int e = 0; e < edits; e++) {
			size_t at = next(&rng) % (n ? n : 1);
			switch (next(&rng) % 3) {
			case 0: /* overwrite a byte */
				buf[at] = (char)(" :-[]{}#\n0a9"[next(&rng) % 12]);
				break;
			case 1: { /* delete a span */
				size_t k = next(&rng) % 16;
				if (at + k > n)
					k = n - at;
				memmove(buf + at, buf + at + k, n - at - k);
				n -= k;
				break;
			}
			default: { /* insert a token */
				const char *t = tokens[next(&rng) % (sizeof tokens / sizeof tokens[0])];
				size_t k = strlen(t);
				if (n + k >= len + 256)
					break;
				memmove(buf + at + k, buf + at, n - at);
				memcpy(buf + at, t, k);
				n += k;
				break;
			}
			}
		}
		diag_list *d = diag_list_new();
		err[0] = 0;
		scenario *s = scn_load_mem("mutant.yaml", buf, n, d, err, sizeof err);
		if (!s) {
			refused++;
			assert_true(diag_count(d) > 0 || err[0]);
			for (size_t i = 0; i < diag_count(d); i++)
				assert_true(diag_get(d, i)->line >= 1);
		} else {
			loaded++;
			sim_opts o = {0};
			o.seed = (uint64_t)it;
			simulation *sim = simulation_new(doc, s, &o, d, err, sizeof err);
			if (sim) {
				simulation_run(sim, err, sizeof err);
				const sim_result *r = simulation_result(sim);
				assert_non_null(r->status);
				simulation_free(sim);
			}
			scn_free(s);
		}
		diag_list_free(d);
	}
	fprintf(stderr, "mutants: %d loaded, %d refused\n", loaded, refused);
	assert_true(loaded > 0 && refused > 0);
	free(buf);
	free(orig);
	free(wf);
	wf_set_free(set);
	diag_list_free(wd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mutated_scenarios),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
