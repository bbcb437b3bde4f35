/* test_study.c: cases (sim/study.h) and the bill they produce.
 *
 * What must hold whatever the prices: the total is the sum of its lines;
 * --nodes sizes the fixed GPU pool to the fan-out (no idle node billed),
 * --keep-pool bills the nodes the run does not use and says so as waste;
 * the autoscaler adds one node per rank, counting nodes already on their
 * way; a swapped GPU machine type changes the pool, the price and the
 * selector the pods use; spot is billed at the spot price. */
#include "testutil.h"

#include <math.h>
#include <unistd.h>

#include "sim/study.h"
#include "validate/fix.h"

#define V100_4 "scenarios/gke-v100-4node.yaml"

static char seed_path[4096];

static study_run *run(study_case c)
{
	char err[512] = "";
	diag_list *d = diag_list_new();
	c.workflow = seed_path;
	if (!c.scenario)
		c.scenario = V100_4;
	if (!c.seed)
		c.seed = 1;
	study_run *r = study_run_case(&c, d, err, sizeof err);
	if (!r)
		fprintf(stderr, "study_run_case: %s (%zu findings)\n", err, diag_count(d));
	assert_non_null(r);
	diag_list_free(d);
	return r;
}

static void check_sum(const sim_result *res)
{
	const sim_cost *c = &res->cost;
	double sum = c->gpu_usd + c->cpu_usd + c->lb_usd + c->cluster_usd;
	for (size_t i = 0; i < c->nstorage; i++)
		sum += c->storage[i].usd;
	assert_true(fabs(sum - c->total_usd) < 1e-9);
	assert_true(c->idle_gpu_usd <= c->gpu_usd + 1e-9);
	assert_true(c->idle_gpu_hours * 3600 <= res->gpu_s_provisioned + 1e-6);
}

static void test_seed_bill(void **state)
{
	(void)state;
	study_run *r = run((study_case){.spot = -1});
	const sim_result *res = study_result(r);
	assert_string_equal(res->status, "Succeeded");
	check_sum(res);
	const sim_cost *c = &res->cost;
	/* 4 GPU nodes at $12.77 for the whole run */
	assert_int_equal(c->gpu_nodes, 4);
	assert_int_equal(c->unused_gpu_nodes, 0);
	assert_true(fabs(c->gpu_usd - 4 * 12.77 * res->makespan / 3600) < 1e-6);
	/* the seed's rank claims are PD-SSD (class ssd), the etcd-client LB is billed */
	assert_true(c->nstorage >= 1);
	assert_true(c->lb_hours > 0);
	assert_true(c->per_epoch_usd > 0 && c->per_mtokens_usd > 0);
	assert_true(fabs(c->per_mtokens_usd - c->total_usd / 2.2) < 1e-9);
	study_run_free(r);
}

static void test_nodes_fit_pool(void **state)
{
	(void)state;
	study_run *one = run((study_case){.nodes = 1, .spot = -1});
	study_run *kept = run((study_case){.nodes = 1, .keep_pool = 1, .spot = -1});
	const sim_cost *a = &study_result(one)->cost, *b = &study_result(kept)->cost;
	check_sum(study_result(one));
	check_sum(study_result(kept));
	assert_int_equal(a->gpu_nodes, 1);
	assert_int_equal(a->unused_gpu_nodes, 0);
	assert_int_equal(b->gpu_nodes, 4);
	assert_int_equal(b->unused_gpu_nodes, 3);
	assert_true(b->unused_gpu_usd > 0);
	assert_true(b->total_usd > a->total_usd + b->unused_gpu_usd * 0.99);
	/* the note says what was changed */
	const sim_result *ra = study_result(one);
	int said = 0;
	for (size_t i = 0; i < ra->nnotes; i++)
		said |= strstr(ra->notes[i], "sized from 4 to 1 node") != NULL;
	assert_true(said);
	/* more ranks than the fixed pool has: sized up, so it runs */
	study_run *six = run((study_case){.nodes = 6, .spot = -1});
	assert_string_equal(study_result(six)->status, "Succeeded");
	assert_int_equal(study_result(six)->cost.gpu_nodes, 6);
	study_run_free(six);
	study_run_free(one);
	study_run_free(kept);
}

/* The 4-node scenario with an autoscaling GPU pool (min 0, max 8). */
static void write_autoscaling(const char *path)
{
	FILE *in = fopen(V100_4, "r"), *out = fopen(path, "w");
	assert_non_null(in);
	assert_non_null(out);
	char line[1024];
	int done = 0;
	while (fgets(line, sizeof line, in)) {
		if (!done && strstr(line, "    nodes: 4 ")) {
			fputs("    autoscaling: {min: 0, max: 8}\n", out);
			done = 1;
			continue;
		}
		fputs(line, out);
	}
	assert_true(done);
	fclose(in);
	fclose(out);
}

static void test_autoscaler_counts_upcoming(void **state)
{
	(void)state;
	char path[] = "/tmp/rehearse-as-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	close(fd);
	write_autoscaling(path);
	for (uint64_t seed = 1; seed <= 5; seed++) {
		study_run *r = run((study_case){.scenario = path, .spot = -1, .seed = seed});
		const sim_result *res = study_result(r);
		assert_string_equal(res->status, "Succeeded");
		assert_int_equal(res->nodes_added, 4);  /* one per rank, never more */
		assert_int_equal(res->cost.unused_gpu_nodes, 0);
		study_run_free(r);
	}
	study_run *two = run((study_case){.scenario = path, .nodes = 2, .spot = -1});
	assert_int_equal(study_result(two)->nodes_added, 2);
	study_run_free(two);
	unlink(path);
}

static void test_gpu_swap_and_spot(void **state)
{
	(void)state;
	study_run *h = run((study_case){.gpu = "h100", .spot = -1});
	const sim_result *res = study_result(h);
	/* the seed pins nvidia-tesla-v100; the selector follows the swap, so it runs */
	assert_string_equal(res->status, "Succeeded");
	assert_string_equal(study_machine(h), "a3-highgpu-8g");
	assert_string_equal(study_gpu(h), "h100");
	/* four 4-GPU ranks fit two 8-GPU nodes */
	assert_int_equal(res->cost.gpu_nodes, 2);
	assert_int_equal(res->cost.unused_gpu_nodes, 0);
	study_run *v = run((study_case){.spot = -1});
	study_run *vs = run((study_case){.spot = 1});
	assert_true(study_result(vs)->cost.gpu_spot);
	assert_true(fabs(study_result(vs)->cost.gpu_usd / study_result(vs)->cost.gpu_node_hours - 3.83) < 1e-9);
	assert_true(study_result(vs)->cost.total_usd < study_result(v)->cost.total_usd);
	perf_out po;
	assert_int_equal(study_perf(v, &po), 0);
	assert_int_equal(po.bound, BOUND_NETWORK);
	assert_int_equal(study_perf(h, &po), 0);
	study_run_free(h);
	study_run_free(v);
	study_run_free(vs);
}

static void test_pareto_knee_plan(void **state)
{
	(void)state;
	/* time, cost: a fast dear run, a slow cheap one, a balanced one, one
	 * worse than the balanced in both, and a failed one faster and cheaper
	 * than all (it takes no part) */
	double t[] = {5, 20, 8, 9, 1}, c[] = {50, 5, 10, 12, 1};
	int ok[] = {1, 1, 1, 1, 0}, front[5];
	assert_int_equal(study_pareto(t, c, ok, 5, front), 3);
	assert_true(front[0] && front[1] && front[2]);
	assert_false(front[3]);
	assert_false(front[4]);
	assert_int_equal(study_knee(t, c, front, 5), 2);
	/* plans: the cheapest in time; with a budget; none */
	assert_int_equal(study_cheapest_within(t, c, ok, 5, 10, 0), 2);
	assert_int_equal(study_cheapest_within(t, c, ok, 5, 30, 0), 1);
	assert_int_equal(study_cheapest_within(t, c, ok, 5, 6, 0), 0);
	assert_int_equal(study_cheapest_within(t, c, ok, 5, 6, 40), -1);
	assert_int_equal(study_cheapest_within(t, c, ok, 5, 0.5, 0), -1);
	/* ties: equal runs are both on the front */
	double t2[] = {3, 3}, c2[] = {4, 4};
	int ok2[] = {1, 1}, f2[2];
	assert_int_equal(study_pareto(t2, c2, ok2, 2, f2), 2);
}

static void test_trials(void **state)
{
	(void)state;
	study_run *r = run((study_case){.nodes = 2, .spot = -1, .seed = 7});
	study_mc a, b;
	char err[256];
	assert_int_equal(study_trials(r, 40, &a, err, sizeof err), 0);
	int n;
	const study_trial *rows = study_trial_rows(r, &n);
	assert_int_equal(n, 40);
	/* each trial its own seed, and the draws differ */
	int differ = 0;
	for (int i = 1; i < n; i++) {
		assert_true(rows[i].seed != rows[0].seed);
		differ |= rows[i].makespan != rows[0].makespan;
	}
	assert_true(differ);
	double first = rows[3].makespan;
	assert_int_equal(study_trials(r, 40, &b, err, sizeof err), 0);
	assert_true(study_trial_rows(r, &n)[3].makespan == first);  /* same seed, same trials */
	assert_true(a.p90_makespan == b.p90_makespan);
	assert_true(a.p50_makespan <= a.p90_makespan);
	assert_int_equal(a.succeeded, 40);
	assert_true(a.p_success == 1.0);
	assert_true(a.mean_cost > 0 && a.p90_cost >= a.mean_cost * 0.5);
	study_run_free(r);
	/* a step that does not fit never succeeds, however the simulation ends */
	study_run *oom = run((study_case){.nodes = 1, .micro_batch = 8, .spot = -1});
	assert_int_equal(study_trials(oom, 5, &a, err, sizeof err), 0);
	assert_int_equal(a.succeeded, 0);
	study_run_free(oom);
}

static void test_bad_inputs(void **state)
{
	(void)state;
	char err[512] = "";
	diag_list *d = diag_list_new();
	study_case c = {.workflow = seed_path, .scenario = V100_4, .gpu = "tpu-v5", .spot = -1};
	assert_null(study_run_case(&c, d, err, sizeof err));
	assert_non_null(strstr(err, "tpu-v5"));
	c.gpu = NULL;
	c.scenario = "/nonexistent.yaml";
	assert_null(study_run_case(&c, d, err, sizeof err));
	assert_non_null(strstr(err, "nonexistent"));
	diag_list_free(d);
}

/* The seed as `rehearse fix` corrects it: what these tests simulate, so
 * that the seed's own defects (which make simulate fail) do not hide what
 * they check. */
static void write_fixed_seed(void)
{
	size_t len;
	char *text = test_read_shared("seed/fine-tune-llama.yaml", &len), err[512];
	fix_opts o = {.out_name = "fixed.yaml"};
	fix_result *r = NULL;
	assert_int_equal(fix_run("seed.yaml", text, len, &o, &r, err, sizeof err) < 0, 0);
	size_t olen;
	const char *out = fix_output(r, &olen);
	snprintf(seed_path, sizeof seed_path, "/tmp/rehearse-study-XXXXXX.yaml");
	int fd = mkstemps(seed_path, 5);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, out, olen), (ssize_t)olen);
	close(fd);
	fix_result_free(r);
	free(text);
}

int main(void)
{
	write_fixed_seed();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_bill),
		cmocka_unit_test(test_nodes_fit_pool),
		cmocka_unit_test(test_autoscaler_counts_upcoming),
		cmocka_unit_test(test_gpu_swap_and_spot),
		cmocka_unit_test(test_pareto_knee_plan),
		cmocka_unit_test(test_trials),
		cmocka_unit_test(test_bad_inputs),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(seed_path);
	return rc;
}
