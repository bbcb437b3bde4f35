/* test_sim_corpus.c: every workflow of the example corpus (../shared/corpus)
 * simulates to an end on the bundled 4-node scenario: no crash, no cap
 * tripped (a model that never settles), a status that says how it ended,
 * and the same result twice. Recursion the model cannot decide is cut off
 * with a problem, never left to run. */
#include "tests/unit/testutil.h"

#include "model/scenario.h"
#include "sim/simulate.h"

typedef struct ctx {
	scenario *scn;
	size_t files, runs;
} ctx;

static void one(const char *path, void *u)
{
	ctx *c = u;
	char err[512] = "";
	diag_list *d = diag_list_new();
	wf_set *s = wf_set_new();
	assert_non_null(d);
	assert_non_null(s);
	c->files++;
	if (wf_set_load_file(s, path, d, err, sizeof err) == 0 && !diag_count_at_least(d, DIAG_ERROR)) {
		for (size_t i = 0; i < wf_set_count(s); i++) {
			const wf_doc *doc = wf_set_doc(s, i);
			sim_opts o = {0};
			o.seed = 3;
			o.max_events = 200000;
			simulation *a = simulation_new(doc, c->scn, &o, d, err, sizeof err);
			if (!a)
				continue; /* no entrypoint: refused up front, with a reason */
			simulation *b = simulation_new(doc, c->scn, &o, d, err, sizeof err);
			assert_non_null(b);
			if (simulation_run(a, err, sizeof err))
				fail_msg("%s: %s", path, err);
			assert_int_equal(simulation_run(b, err, sizeof err), 0);
			const sim_result *ra = simulation_result(a), *rb = simulation_result(b);
			const char *st = ra->status;
			assert_true(!strcmp(st, "Succeeded") || !strcmp(st, "Failed") || !strcmp(st, "Stuck"));
			if (!strcmp(st, "Stuck"))
				assert_true(ra->nproblems > 0);
			assert_int_equal(ra->nrec, rb->nrec);
			assert_true(ra->makespan == rb->makespan);
			assert_true(ra->events == rb->events);
			simulation_free(a);
			simulation_free(b);
			c->runs++;
		}
	}
	wf_set_free(s);
	diag_list_free(d);
}

static void test_corpus_simulates(void **state)
{
	(void)state;
	char err[256] = "", dir[4096];
	diag_list *d = diag_list_new();
	ctx c = {0};
	c.scn = scn_load_file("scenarios/gke-v100-4node.yaml", d, err, sizeof err);
	assert_non_null(c.scn);
	snprintf(dir, sizeof dir, "%s/corpus", test_shared_dir());
	test_walk_files(dir, one, &c);
	fprintf(stderr, "corpus: %zu files, %zu simulations\n", c.files, c.runs);
	assert_true(c.runs > 500);
	scn_free(c.scn);
	diag_list_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_corpus_simulates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
