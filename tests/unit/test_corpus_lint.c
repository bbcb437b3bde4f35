/* test_corpus_lint.c: every rule, on every public example workflow.
 *
 * The corpus is what Argo accepts; a rule that reports an error there is
 * wrong (too strict, or blind to a form Argo allows), so any error fails
 * this test -- except in files tests/corpus-invalid.txt lists, with the
 * rule and the proof from Argo's code that Argo refuses them too. */
#include "tests/unit/testutil.h"

#include "document/workflow.h"
#include "validate/rules.h"

typedef struct allowed {
	char path[512], rule[128];
	int seen;
} allowed;

static allowed allow[64];
static size_t nallow;
static size_t nfiles, ndocs, nerrors, nwarnings, nallowed;
static char corpus[4096];

static void read_allowed(void)
{
	FILE *f = fopen("tests/corpus-invalid.txt", "r");
	assert_non_null(f);
	char line[4096];
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		char *c1 = strstr(line, ": ");
		char *c2 = c1 ? strstr(c1 + 2, ": ") : NULL;
		assert_non_null(c2); /* path: rule: reason */
		assert_true(nallow < sizeof allow / sizeof allow[0]);
		snprintf(allow[nallow].path, sizeof allow[nallow].path, "%.*s", (int)(c1 - line), line);
		snprintf(allow[nallow].rule, sizeof allow[nallow].rule, "%.*s", (int)(c2 - c1 - 2), c1 + 2);
		assert_non_null(rule_find(allow[nallow].rule));
		nallow++;
	}
	fclose(f);
}

static int is_allowed(const char *path, const char *rule)
{
	const char *rel = path + strlen(corpus) + 1;
	for (size_t i = 0; i < nallow; i++)
		if (!strcmp(allow[i].path, rel) && !strcmp(allow[i].rule, rule)) {
			allow[i].seen = 1;
			return 1;
		}
	return 0;
}

static void lint_one(const char *p, void *ctx)
{
	(void)ctx;
	wf_set *s = wf_set_new();
	diag_list *dl = diag_list_new();
	char err[512];
	assert_int_equal(wf_set_load_file(s, p, dl, err, sizeof err), 0);
	assert_int_equal(lint_run(s, NULL, dl), 0);
	for (size_t i = 0; i < diag_count(dl); i++) {
		const diag *g = diag_get(dl, i);
		if (g->sev == DIAG_WARNING)
			nwarnings++;
		if (g->sev != DIAG_ERROR)
			continue;
		if (is_allowed(p, g->rule)) {
			nallowed++;
			continue;
		}
		fprintf(stderr, "%s:%u:%u: %s [%s]\n", g->file, g->line, g->col, g->msg, g->rule);
		nerrors++;
	}
	nfiles++;
	ndocs += wf_set_count(s);
	wf_set_free(s);
	diag_list_free(dl);
}

static void test_corpus_is_clean(void **state)
{
	(void)state;
	read_allowed();
	snprintf(corpus, sizeof corpus, "%s/corpus", test_shared_dir());
	test_walk_files(corpus, lint_one, NULL);
	printf("corpus lint: %zu files, %zu workflow documents, %zu errors (+%zu that Argo refuses too, %zu entries in tests/corpus-invalid.txt), "
	       "%zu warnings\n", nfiles, ndocs, nerrors, nallowed, nallow, nwarnings);
	assert_true(nfiles >= 700);
	assert_int_equal(nerrors, 0);
	/* A listed file that no longer fails is a stale entry. */
	for (size_t i = 0; i < nallow; i++)
		if (!allow[i].seen)
			fail_msg("tests/corpus-invalid.txt: %s [%s] no longer reported", allow[i].path, allow[i].rule);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_is_clean),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
