/* test_rule_fixtures.c: every rule fires where its fixtures say, and only there.
 *
 * Tests as data (after jq): tests/rules/<rule-id>/ holds bad*.yaml files
 * and good*.yaml files. In a bad file, each line where a finding of that
 * rule must start carries a marker comment "# expect: <rule-id>" (inside
 * a block-scalar manifest the marker is part of the string, which the
 * inner YAML reads as a comment: it works there too). A finding on a line
 * that cannot hold a comment is declared anywhere in the file as
 * "# expect-at: LINE <rule-id>". The test loads each file on its own, runs
 * every rule, and compares the lines where <rule-id> fired with the marked
 * lines; findings of other rules are ignored. A good file must produce no
 * finding of its rule. Every rule in the table must have a directory with
 * at least one bad and one good file, or a file NOFIXTURE naming the
 * unit test that covers it (for a 64 MiB input, say). */
#include "tests/unit/testutil.h"

#include <dirent.h>
#include <stdio.h>

#include "document/workflow.h"
#include "validate/rules.h"

#define MAXL 256

static int failures;

static int read_expect(const char *path, const char *id, unsigned *lines)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char buf[8192], tag[300], tag_at[300];
	snprintf(tag, sizeof tag, "# expect: %s", id);
	int n = 0;
	for (unsigned l = 1; fgets(buf, sizeof buf, f); l++) {
		const char *p = strstr(buf, tag);
		if (p) {
			char next = p[strlen(tag)];
			if ((next == '\n' || next == 0 || next == ' ' || next == ',' || next == '\r') && n < MAXL)
				lines[n++] = l;
		}
		unsigned at;
		if ((p = strstr(buf, "# expect-at: ")) && sscanf(p, "# expect-at: %u %299s", &at, tag_at) == 2 &&
		    !strcmp(tag_at, id) && n < MAXL)
			lines[n++] = at;
	}
	fclose(f);
	return n;
}

static int cmp_u(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
	return x < y ? -1 : x > y;
}

static void check_file(const char *dir, const char *name, const char *id, int bad)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	wf_set *s = wf_set_new();
	diag_list *d = diag_list_new();
	char err[512];
	assert_int_equal(wf_set_load_file(s, path, d, err, sizeof err), 0);
	assert_int_equal(lint_run(s, NULL, d), 0);
	diag_sort(d);
	unsigned got[MAXL], want[MAXL];
	int ngot = 0, nwant = bad ? read_expect(path, id, want) : 0;
	for (size_t i = 0; i < diag_count(d); i++) {
		const diag *g = diag_get(d, i);
		if (!strcmp(g->rule, id) && ngot < MAXL)
			got[ngot++] = g->line;
	}
	qsort(want, (size_t)nwant, sizeof *want, cmp_u);
	qsort(got, (size_t)ngot, sizeof *got, cmp_u);
	int ok = ngot == nwant && (ngot == 0 || !memcmp(got, want, (size_t)ngot * sizeof *got));
	if (bad && nwant == 0) {
		fprintf(stderr, "%s: a bad fixture with no '# expect: %s' marker\n", path, id);
		ok = 0;
	}
	if (!ok) {
		failures++;
		fprintf(stderr, "%s: rule %s fired on lines [", path, id);
		for (int i = 0; i < ngot; i++)
			fprintf(stderr, "%s%u", i ? " " : "", got[i]);
		fprintf(stderr, "], expected [");
		for (int i = 0; i < nwant; i++)
			fprintf(stderr, "%s%u", i ? " " : "", want[i]);
		fprintf(stderr, "]\n");
		for (size_t i = 0; i < diag_count(d); i++) {
			const diag *g = diag_get(d, i);
			fprintf(stderr, "    %u:%u: %s [%s]\n", g->line, g->col, g->msg, g->rule);
		}
	}
	wf_set_free(s);
	diag_list_free(d);
}

static void test_fixtures(void **state)
{
	(void)state;
	size_t checked = 0;
	for (size_t i = 0; i < rule_count(); i++) {
		const char *id = rule_at(i)->id;
		char dir[4096];
		snprintf(dir, sizeof dir, "tests/rules/%s", id);
		char exempt[4200];
		snprintf(exempt, sizeof exempt, "%s/NOFIXTURE", dir);
		FILE *ex = fopen(exempt, "r");
		if (ex) { /* a rule whose bad input cannot be a file in the tree: the file says which test covers it */
			fclose(ex);
			checked++;
			continue;
		}
		DIR *dd = opendir(dir);
		if (!dd) {
			fprintf(stderr, "rule %s has no fixtures (tests/rules/%s/)\n", id, id);
			failures++;
			continue;
		}
		int nbad = 0, ngood = 0;
		for (struct dirent *e; (e = readdir(dd));) {
			const char *dot = strrchr(e->d_name, '.');
			if (!dot || (strcmp(dot, ".yaml") && strcmp(dot, ".json")))
				continue;
			if (!strncmp(e->d_name, "bad", 3)) {
				check_file(dir, e->d_name, id, 1);
				nbad++;
			} else if (!strncmp(e->d_name, "good", 4)) {
				check_file(dir, e->d_name, id, 0);
				ngood++;
			}
		}
		closedir(dd);
		if (!nbad || !ngood) {
			fprintf(stderr, "rule %s needs a bad and a good fixture (has %d bad, %d good)\n", id, nbad, ngood);
			failures++;
		}
		checked++;
	}
	printf("rule fixtures: %zu rules checked, %d failures\n", checked, failures);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
