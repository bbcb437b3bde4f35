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
		   6, 32, "cluster.pools[p].autoscaling.max: 1 is less than min (3)");
	expect_bad("scenario: x\n" POOL "    nodes: 1\n    allocatable: {cpu: '4', memory: 8Gi}\n"
		   "workload: {training: {duration: 5, steps: 3}}\n", 8, 22, "exactly one of");
	expect_bad("scenario: x\n" POOL "    nodes: [1\n", 7, 1, "");
}

/* Every number has a unit and a range; the message names the key path and
 * what the model cannot honour (model/limits.h). */
#define ALLOC "    allocatable: {cpu: '4', memory: 8Gi}\n"
static void test_values_are_range_checked(void **state)
{
	(void)state;
	expect_bad("scenario: x\n" POOL "    nodes: -3\n" ALLOC "workload: {training: {duration: 5}}\n", 6, 12,
		   "cluster.pools[p].nodes: -3 is not a whole number of nodes from 0 to 15000");
	expect_bad("scenario: x\n" POOL "    nodes: 1\n" ALLOC "    gpu: {type: H100, count: 1000}\n"
		   "workload: {training: {duration: 5}}\n", 8, 30,
		   "cluster.pools[p].gpu.count: 1000 is more than 16 GPUs: no cloud machine has more GPUs");
	expect_bad("scenario: x\n" POOL "    nodes: 1\n" ALLOC "    nic_gbps: 0\n"
		   "workload: {training: {duration: 5}}\n", 8, 15,
		   "cluster.pools[p].nic_gbps: 0 is not a number of Gbps above 0");
	expect_bad("scenario: x\n" POOL "    nodes: 1\n" ALLOC "workload: {seq: 100000000, training: {duration: 5}}\n",
		   8, 17, "workload.seq: 100000000 is more than 131072 tokens");
	expect_bad("scenario: x\n" POOL "    nodes: 1\n" ALLOC "workload: {seq: abc, training: {duration: 5}}\n",
		   8, 17, "workload.seq: 'abc' is not a whole number of tokens");
	expect_bad("scenario: x\n" POOL "    nodes: 1\n" ALLOC "workload: {model: llama2-7b, lora_rank: 8192, "
		   "training: {duration: 5}}\n", 8, 41, "workload.lora_rank: LoRA rank 8192 is more than the narrowest");
	expect_bad("scenario: x\n" POOL "    nodes: 1\n" ALLOC "workload: {dataset_tokens: 1e6, training: {steps: 0, step_s: 1}}\n",
		   8, 51, "workload.training.steps: 0 is not a whole number of steps");
	expect_bad("scenario: x\nnodes: 100000\n" POOL "    nodes: 1\n" ALLOC "workload: {training: {duration: 5}}\n",
		   2, 8, "nodes: 100000 is more than 15000 nodes");
	expect_bad("scenario: x\n" POOL "    nodes: 1\n" ALLOC "  images: {sizes: {img: -1}}\n"
		   "workload: {training: {duration: 5}}\n", 8, 25, "cluster.images.sizes[img]: -1 is not a number of GB");
	expect_bad("scenario: x\n" POOL "    nodes: 1\n    allocatable: {cpu: '0', memory: 8Gi}\n"
		   "workload: {training: {duration: 5}}\n", 7, 24, "cluster.pools[p].allocatable.cpu: '0' is not more than 0");

	/* a sequence past the model's context is noted, not refused */
	const char *ok = "scenario: x\n" POOL "    nodes: 1\n" ALLOC
		"workload: {model: llama2-7b, seq: 8192, training: {duration: 5}}\n";
	char err[256] = "";
	diag_list *d = diag_list_new();
	scenario *s = scn_load_mem("ok.yaml", ok, strlen(ok), d, err, sizeof err);
	assert_non_null(s);
	size_t found = 0;
	for (size_t i = 0; i < s->nnotes; i++)
		found += strstr(s->notes[i], "workload.seq: a sequence of 8192 tokens is beyond llama2-7b's "
				"4096-token context") != NULL;
	assert_int_equal(found, 1);
	scn_free(s);
	diag_list_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundled_scenarios_load),
		cmocka_unit_test(test_seed_setup_is_read),
		cmocka_unit_test(test_bad_scenarios_are_positioned),
		cmocka_unit_test(test_values_are_range_checked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
