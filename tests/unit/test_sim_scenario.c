/* test_sim_scenario.c: scenario files (model/scenario.h): the bundled ones
 * load, every figure they give is read, and bad ones are refused with the
 * position of the fault. */
#include "tests/unit/testutil.h"

#include "model/scenario.h"

static void load_ok(const char *path, void *ctx)
{
	int *n = ctx;
	if (!strstr(path, "/gke-")) /* the seed workflow lives there too */
		return;
	(*n)++;
	char err[256] = "";
	diag_list *d = diag_list_new();
	scenario *s = scn_load_file(path, d, err, sizeof err);
	if (!s)
		for (size_t i = 0; i < diag_count(d); i++)
			fprintf(stderr, "%s:%u:%u: %s\n", diag_get(d, i)->file, diag_get(d, i)->line,
				diag_get(d, i)->col, diag_get(d, i)->msg);
	assert_non_null(s);
	assert_int_equal(diag_count(d), 0);
	assert_true(s->cluster.npools >= 1);
	assert_true(s->workload.duration.spec || s->workload.use_perf || s->workload.step_s.spec);
	scn_free(s);
	diag_list_free(d);
}

static void test_bundled_scenarios_load(void **state)
{
	(void)state;
	int n = 0;
	test_walk_files("scenarios", load_ok, &n);
	assert_true(n >= 4);
}

static void test_seed_setup_is_read(void **state)
{
	(void)state;
	char err[256] = "";
	diag_list *d = diag_list_new();
	scenario *s = scn_load_file("scenarios/gke-v100-4node.yaml", d, err, sizeof err);
	assert_non_null(s);
	const cl_pool *g = cl_find_pool(&s->cluster, "gpu-v100");
	assert_non_null(g);
	assert_int_equal(g->nodes, 4);
	assert_int_equal(g->gpus, 4);
	assert_string_equal(g->gpu_type, "V100-SXM2-16GB");
	assert_int_equal(g->ntaints, 1);
	assert_string_equal(g->taints[0].effect, "NoSchedule");
	assert_true(g->mem_b == 190.0 * 1073741824.0);
	assert_true(g->cpu_m == 31850);
	assert_true(g->price_on_demand > 0 && g->nic_gbps == 32);
	const cl_storage_class *c = cl_find_class(&s->cluster, "ssd");
	assert_non_null(c);
	assert_false(c->exists);
	assert_true(cl_image_gb(&s->cluster, "quay.io/coreos/etcd:latest") == 0.02);
	assert_true(cl_image_gb(&s->cluster, "unknown:1") == 0.5);
	assert_true(s->workload.dataset_tokens == 2.2e6);
	assert_int_equal(s->workload.seq, 4096);
	scn_free(s);
	diag_list_free(d);
}

/* Load text that must fail; the first finding must be at line:col. */
static void expect_bad(const char *text, unsigned line, unsigned col, const char *needle)
{
	char err[256] = "";
	diag_list *d = diag_list_new();
	scenario *s = scn_load_mem("bad.yaml", text, strlen(text), d, err, sizeof err);
	assert_null(s);
	assert_true(diag_count(d) >= 1);
	diag_sort(d);
	const diag *g = diag_get(d, 0);
	if (g->line != line || g->col != col || !strstr(g->msg, needle))
		fprintf(stderr, "got %u:%u %s\n", g->line, g->col, g->msg);
	assert_int_equal(g->line, line);
	assert_int_equal(g->col, col);
	assert_non_null(strstr(g->msg, needle));
	diag_list_free(d);
}

#define POOL "cluster:\n  zones: [a]\n  pools:\n  - name: p\n"
static void test_bad_scenarios_are_positioned(void **state)
{
	(void)state;
	expect_bad("scenario: x\n" POOL "    nodes: 1\n    autoscalng: {max: 2}\n"
		   "    allocatable: {cpu: '4', memory: 8Gi}\nworkload: {training: {duration: 5}}\n",
		   7, 5, "unknown key 'autoscalng'");
	expect_bad("scenario: x\n" POOL "    nodes: 1\n    allocatable: {cpu: four, memory: 8Gi}\n"
		   "workload: {training: {duration: 5}}\n", 7, 24, "not a Kubernetes quantity");
	expect_bad("scenario: x\n" POOL "    autoscaling: {min: 3, max: 1}\n"
		   "    allocatable: {cpu: '4', memory: 8Gi}\nworkload: {training: {duration: 5}}\n",
		   6, 18, "max (1) is less than min (3)");
	expect_bad("scenario: x\n" POOL "    nodes: 1\n    allocatable: {cpu: '4', memory: 8Gi}\n"
		   "workload: {training: {duration: 5, steps: 3}}\n", 8, 22, "exactly one of");
	expect_bad("scenario: x\n" POOL "    nodes: [1\n", 7, 1, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundled_scenarios_load),
		cmocka_unit_test(test_seed_setup_is_read),
		cmocka_unit_test(test_bad_scenarios_are_positioned),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
