/* test_calib.c: the step-time and memory model (model/perf.h) against
 * real measurements (../shared/calib/h100.jsonl, read here), and beyond
 * them: other GPUs, larger full fine-tunes, out of memory, FSDP. */
#include "tests/unit/testutil.h"

#include <cJSON.h>
#include <math.h>
#include <stdio.h>

#include "model/perf.h"

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static perf_in base(const char *gpu, const char *shape, int lora, long seq, long mb, int ckpt)
{
	perf_in in = {gpu_find(gpu), shape_find(shape), lora, 8, seq, mb, ckpt, 1, 1, 50e9, 0, 0, PERF_FULL_SHARD, 1};
	assert_non_null(in.gpu);
	assert_non_null(in.shape);
	return in;
}

static perf_out run(perf_in in)
{
	perf_out o;
	char err[200];
	if (perf_estimate(&in, &o, err, sizeof err))
		fail_msg("%s", err);
	return o;
}

static void test_calibration(void **state)
{
	(void)state;
	char path[4096];
	snprintf(path, sizeof path, "%s/calib/h100.jsonl", test_shared_dir());
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[4096];
	double es[128], em[128];
	size_t n = 0;
	while (fgets(line, sizeof line, f) && n < 128) {
		cJSON *j = cJSON_Parse(line);
		const cJSON *step = cJSON_GetObjectItemCaseSensitive(j, "step_s");
		if (!cJSON_IsNumber(step)) {
			cJSON_Delete(j);
			continue;
		}
		perf_in in = base("h100", cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "shape")),
				  !strcmp(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(j, "mode")), "lora"),
				  (long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "seq")),
				  (long)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "micro_batch")),
				  cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "grad_ckpt")));
		perf_out o = run(in);
		/* parameter counts must be exact: the shapes are the same models */
		assert_true(fabs(o.params - cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "params"))) < 1);
		assert_true(fabs(o.trainable - cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "trainable"))) < 1);
		es[n] = fabs(o.step_s / step->valuedouble - 1);
		em[n] = fabs(o.peak_bytes / 1073741824.0 /
				     cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(j, "peak_gib")) - 1);
		assert_true(o.fits); /* every measured point ran */
		n++;
		cJSON_Delete(j);
	}
	fclose(f);
	assert_true(n >= 20);
	qsort(es, n, sizeof *es, cmp);
	qsort(em, n, sizeof *em, cmp);
	printf("calibration: %zu points, step median %.1f%% max %.1f%%, memory median %.1f%% max %.1f%%\n", n,
	       100 * es[n / 2], 100 * es[n - 1], 100 * em[n / 2], 100 * em[n - 1]);
	assert_true(es[n / 2] <= 0.10);
	assert_true(es[n - 1] <= 0.25);
	assert_true(em[n / 2] <= 0.10);
}

static void test_beyond_calibration(void **state)
{
	(void)state;
	/* a full fine-tune of 70B does not fit one 80 GB GPU; LoRA of 7B does */
	assert_false(run(base("h100", "llama2-70b", 0, 4096, 1, 1)).fits);
	assert_true(run(base("h100", "llama2-7b", 1, 4096, 1, 0)).fits);
	/* 7B LoRA without checkpointing does not fit a 16 GB V100; with FSDP
	 * over 16 of them and checkpointing it does */
	assert_false(run(base("v100-16", "llama2-7b", 1, 4096, 1, 0)).fits);
	perf_in fsdp = base("v100-16", "llama2-7b", 1, 4096, 1, 1);
	fsdp.nodes = 4;
	fsdp.gpus_per_node = 4;
	assert_true(run(fsdp).fits);
	/* slower GPU, slower step; more bandwidth, faster memory-bound work */
	perf_out v = run(base("v100-32", "llama2-7b", 1, 4096, 1, 1));
	perf_out h = run(base("h100", "llama2-7b", 1, 4096, 1, 1));
	assert_true(v.step_s > 4 * h.step_s);
	assert_true(run(base("h200", "llama2-7b", 1, 4096, 1, 1)).t_memory < h.t_memory);
	/* LoRA is cheaper than a full fine-tune, in time and memory */
	perf_out full = run(base("h100", "llama-1b", 0, 4096, 1, 0));
	perf_out lora = run(base("h100", "llama-1b", 1, 4096, 1, 0));
	assert_true(lora.t_matmul < full.t_matmul);
	assert_true(lora.peak_bytes < full.peak_bytes);
	/* more GPUs under FSDP: less memory per GPU */
	perf_in one = base("a100-80", "llama2-13b", 0, 2048, 1, 1), eight = one;
	eight.gpus_per_node = 8;
	assert_true(run(eight).peak_bytes < run(one).peak_bytes / 3);
	/* more nodes of the same GPUs: less memory each, and the sharded part
	 * shrinks with the world size */
	perf_in n1 = base("a100-80", "llama2-13b", 0, 2048, 1, 1), n4 = n1;
	n1.gpus_per_node = n4.gpus_per_node = 8;
	n4.nodes = 4;
	perf_out o1 = run(n1), o4 = run(n4);
	assert_true(o4.peak_bytes < o1.peak_bytes);
	assert_true(fabs(o4.m_weights * 4 - o1.m_weights) < 1);
	assert_true(fabs(o4.m_trainable * 4 - o1.m_trainable) < 1);
	/* a slow network across nodes becomes the bound */
	perf_in multi = base("a100-80", "llama2-13b", 0, 2048, 1, 1);
	multi.nodes = 4;
	multi.gpus_per_node = 8;
	multi.nic_bps = 10e9;
	assert_int_equal(run(multi).bound, BOUND_NETWORK);
	multi.nodes = 1;
	assert_true(run(multi).bound != BOUND_NETWORK);
	/* short sequences are bound by the host launching kernels */
	assert_int_equal(run(base("h100", "llama-1b", 1, 512, 1, 0)).bound, BOUND_HOST);
	/* longer sequences: attention grows faster than the rest */
	perf_out s2 = run(base("h100", "llama2-7b", 1, 2048, 1, 1)), s8 = run(base("h100", "llama2-7b", 1, 8192, 1, 1));
	assert_true(s8.t_attention / s2.t_attention > 15);
	assert_true(s8.t_matmul / s2.t_matmul < 4.5);
}

/* LoRA targets and fp32 master weights: counts that must be exact, and
 * directions that must hold. */
static void test_targets_and_precision(void **state)
{
	(void)state;
	const model_shape *s7 = shape_find("llama2-7b"), *s8 = shape_find("llama3-8b");
	/* parsing: both spellings, all, and refusals */
	assert_int_equal(shape_lora_targets("q_proj,v_proj"), SHAPE_LORA_DEFAULT);
	assert_int_equal(shape_lora_targets("Q,v"), SHAPE_LORA_DEFAULT);
	assert_int_equal(shape_lora_targets("all"), SHAPE_LORA_ALL);
	assert_int_equal(shape_lora_targets("q,x"), 0);
	assert_int_equal(shape_lora_targets("q,"), 0);
	assert_int_equal(shape_lora_targets(""), 0);
	assert_int_equal(shape_lora_targets("proj"), 0);
	/* PEFT's counts: 7B r=8 on q,v is 4,194,304 (the calibration's
	 * "trainable"); all seven linears of 7B, r=8: 19,988,480; on Llama 3
	 * 8B (grouped k/v of 1024) q,v: 3,407,872 */
	assert_true(fabs(shape_lora_params(s7, 8, 0) - 4194304) < 1);
	assert_true(fabs(shape_lora_params(s7, 8, SHAPE_LORA_ALL) - 19988480) < 1);
	assert_true(fabs(shape_lora_params(s8, 8, SHAPE_LORA_DEFAULT) - 3407872) < 1);
	/* more targets: more trained weights, more memory, a longer step */
	perf_in qv = base("h100", "llama2-7b", 1, 4096, 1, 0), all = qv;
	all.lora_targets = SHAPE_LORA_ALL;
	perf_out oqv = run(qv), oall = run(all);
	assert_true(oall.trainable > 4 * oqv.trainable);
	assert_true(oall.peak_bytes > oqv.peak_bytes);
	assert_true(oall.step_s > oqv.step_s);
	/* fewer targets than the calibration's pair: less, never negative */
	perf_in q = qv;
	q.lora_targets = SHAPE_Q;
	perf_out oq = run(q);
	assert_true(oq.peak_bytes < oqv.peak_bytes && oq.m_activations > 0 && oq.t_memory > 0);
	/* the default is q and v */
	perf_in qv2 = qv;
	qv2.lora_targets = SHAPE_Q | SHAPE_V;
	assert_true(run(qv2).peak_bytes == oqv.peak_bytes);
	/* fp32 master weights: twice the weight memory, and a full fine-tune
	 * needs 16 bytes a weight: 7B does not fit one 80 GB GPU in mixed
	 * precision, fits eight of them under FSDP */
	perf_in m = qv;
	m.fp32_master = 1;
	perf_out om = run(m);
	assert_true(fabs(om.m_weights - 2 * oqv.m_weights) < 1);
	perf_in full = base("a100-80", "llama2-7b", 0, 2048, 1, 1);
	full.fp32_master = 1;
	perf_out of1 = run(full);
	assert_false(of1.fits);
	assert_true(of1.m_weights + of1.m_trainable + of1.m_grads + of1.m_activations + of1.m_logits >= 16 * of1.params);
	full.gpus_per_node = 8;
	assert_true(run(full).fits);
	/* gradients show up once they outgrow the activations they replace */
	perf_in big = base("h100", "llama2-13b", 0, 512, 1, 1);
	assert_true(run(big).m_grads > 0);
	perf_in bad = qv;
	bad.lora_targets = 1u << 12;
	perf_out ob;
	char err[100];
	assert_int_equal(perf_estimate(&bad, &ob, err, sizeof err), -1);
}

static void test_bad_input(void **state)
{
	(void)state;
	model_shape bad = {"x", 1000, 4000, 2, 3, 3, 100};
	perf_in in = {gpu_find("h100"), &bad, 1, 8, 1024, 1, 0, 1, 1, 50e9, 0, 0, PERF_FULL_SHARD, 1};
	perf_out o;
	char err[200];
	assert_int_equal(perf_estimate(&in, &o, err, sizeof err), -1);
	assert_non_null(strstr(err, "heads"));
	in.shape = shape_find("llama2-7b");
	in.seq = 0;
	assert_int_equal(perf_estimate(&in, &o, err, sizeof err), -1);
	assert_null(gpu_find("k80"));
	/* cluster labels to catalog rows; an L40S is not an L4 */
	assert_string_equal(gpu_from_label("V100-SXM2-32GB")->name, "v100-32");
	assert_string_equal(gpu_from_label("nvidia-tesla-a100")->name, "a100-40");
	assert_string_equal(gpu_from_label("nvidia-h100-pcie-80gb")->name, "h100-pcie");
	assert_string_equal(gpu_from_label("nvidia-l4")->name, "l4");
	assert_null(gpu_from_label("nvidia-l40s"));
	assert_null(gpu_from_label("L40"));
	assert_null(gpu_from_label("tpu-v5e"));
	assert_non_null(gpu_find("V100"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calibration),
		cmocka_unit_test(test_beyond_calibration),
		cmocka_unit_test(test_targets_and_precision),
		cmocka_unit_test(test_bad_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
