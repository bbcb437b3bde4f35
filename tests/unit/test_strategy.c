/* test_strategy.c: the data-parallel strategies of the perf model
 * (model/perf.h): memory and bytes per step against values counted by
 * hand for a small shape, the ranking and its reasons, and limits no
 * strategy may break (a step is never faster than its FLOPs at the GPU's
 * peak, nor than its bytes at the links' line rates). */
#include "tests/unit/testutil.h"

#include <math.h>

#include "model/perf.h"

/* h 1024, intermediate 4096, 4 layers, 8 heads (no GQA), vocab 1000:
 * a layer's matmuls are 4 h^2 + 3 h i = 16,777,216 weights; with two
 * norms per layer, embedding, lm_head and the final norm,
 * P = 4 (16,777,216 + 2,048) + 2 x 1000 x 1024 + 1024 = 69,166,080.
 * LoRA r=8 on q and v: 4 layers x 8 x (2048 + 2048) = 131,072. */
static const model_shape small = {"small", 1024, 4096, 4, 8, 8, 1000};
#define P 69166080.0
#define LAYER 16777216.0
#define LORA 131072.0

static perf_in small_in(perf_strategy st, int lora, long nodes, long gpn)
{
	/* 1 GB/s NICs (8 Gbit/s): slower than any GPU link */
	perf_in in = {gpu_find("h100"), &small, lora, 8, 512, 1, 0, nodes, gpn, 8e9, 0, 0, st, 1};
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

static void near(double got, double want)
{
	if (fabs(got - want) > 1e-9 * fabs(want) + 1e-6)
		fail_msg("got %.6f, want %.6f", got, want);
}

/* A full fine-tune in bf16 on 2 nodes x 4 GPUs: weights and gradients 2
 * bytes a value (P_b = R_b = 2P), AdamW's moments 4. */
static void test_full_finetune_by_hand(void **state)
{
	(void)state;
	assert_true(fabs(shape_params(&small) - P) < 1);
	assert_true(fabs(shape_layer_matmul_params(&small) - LAYER) < 1);
	const double nic = 1e9, link = gpu_find("h100")->link_bw;

	/* full-shard: everything /8; the ring gathers P twice and reduces R,
	 * (2 x 2P + 2P) x 7/8 = 5.25 P through every hop, the NIC's too */
	perf_out o = run(small_in(PERF_FULL_SHARD, 0, 2, 4));
	near(o.shard, 8);
	near(o.m_weights, 2 * P / 8);
	near(o.m_trainable, 4 * P / 8);
	near(o.m_gathered, 2 * LAYER * 2);
	near(o.bytes_link, 5.25 * P);
	near(o.bytes_nic, 5.25 * P);
	near(o.t_nic, 5.25 * P / nic);
	near(o.t_link, 5.25 * P / link);
	assert_null(o.allreduce);

	/* hybrid-shard: /4 inside the node, (2 x 2P + 2P) x 3/4 over the
	 * link; each GPU all-reduces its quarter of R with the other node:
	 * a two-node ring, 2 x 1/2 x 2P/4 each, four GPUs through one NIC:
	 * 2P, plus a latency per layer */
	o = run(small_in(PERF_HYBRID_SHARD, 0, 2, 4));
	near(o.shard, 4);
	near(o.m_weights, 2 * P / 4);
	near(o.m_trainable, 4 * P / 4);
	near(o.bytes_link, 4.5 * P);
	near(o.bytes_nic, 2 * P);
	assert_string_equal(o.allreduce, "ring");
	assert_true(o.t_nic >= 2 * P / nic && o.t_nic < 2 * P / nic + 1e-3);

	/* shard-grad-op: one gather, one reduction, (2P + 2P) x 7/8; every
	 * layer's weights gathered at the peak */
	o = run(small_in(PERF_SHARD_GRAD_OP, 0, 2, 4));
	near(o.m_weights, 2 * P / 8);
	near(o.m_gathered, 2 * P);
	near(o.bytes_nic, 3.5 * P);

	/* no-shard: replicas; all-reduce 2P over 8 GPUs by ring, 2 x 7/8 */
	o = run(small_in(PERF_NO_SHARD, 0, 2, 4));
	near(o.shard, 1);
	near(o.m_weights, 2 * P);
	near(o.m_trainable, 4 * P);
	near(o.m_buckets, 0);
	near(o.bytes_link, 3.5 * P);
	near(o.bytes_nic, 3.5 * P);

	/* ddp: the same all-reduce, and a copy of the gradients in buckets */
	o = run(small_in(PERF_DDP, 0, 2, 4));
	near(o.m_weights, 2 * P);
	near(o.m_buckets, 2 * P);
	near(o.bytes_nic, 3.5 * P);

	/* fp32 master weights: full-shard still gathers 16-bit copies, but
	 * DDP reduces the gradients in fp32: twice the bytes */
	perf_in m = small_in(PERF_DDP, 0, 2, 4);
	m.fp32_master = 1;
	o = run(m);
	near(o.bytes_nic, 7 * P);
	near(o.m_weights, 4 * P);
	m.strategy = PERF_FULL_SHARD;
	near(run(m).bytes_nic, 5.25 * P);
}

/* LoRA: under hybrid-shard only the adapters' gradients cross the NIC;
 * over many nodes a tree beats the ring's latency. */
static void test_lora_crossing_nodes(void **state)
{
	(void)state;
	perf_out fs = run(small_in(PERF_FULL_SHARD, 1, 2, 4));
	perf_out hs = run(small_in(PERF_HYBRID_SHARD, 1, 2, 4));
	assert_true(fabs(fs.trainable - LORA) < 1);
	/* full-shard still gathers every frozen weight over the NIC */
	near(fs.bytes_nic, (2 * 2 * P + 2 * LORA) * 7 / 8);
	/* hybrid: the adapters' 2 x LORA bytes, once, through a 2-node ring */
	near(hs.bytes_nic, 2 * LORA);
	/* 8 nodes: tree, 2 x R through each NIC, log2(8) = 3 hops up and down
	 * against the ring's 7 */
	perf_out t = run(small_in(PERF_HYBRID_SHARD, 1, 8, 4));
	assert_string_equal(t.allreduce, "tree");
	near(t.bytes_nic, 2 * 2 * LORA);
	/* and the hybrid step beats full-shard by what the NIC saves */
	assert_true(hs.step_s < fs.step_s);
	assert_int_equal(fs.bound, BOUND_NETWORK);
}

/* The seed's shape: what does not fit says why; the ranking puts what
 * fits first, fastest first; the recommendation is hybrid-shard. */
static void test_rank_and_reasons(void **state)
{
	(void)state;
	perf_in in = {gpu_find("v100-16"), shape_find("llama2-7b"), 1, 8, 4096, 1, 1, 4, 4, 32e9, 0, 1, PERF_FULL_SHARD, 1};
	perf_option opt[PERF_NSTRATEGY];
	char err[200];
	assert_int_equal(perf_rank(&in, opt, err, sizeof err), 0);
	int seen = 0, fits = 1;
	for (int i = 0; i < PERF_NSTRATEGY; i++) {
		seen |= 1 << opt[i].strategy;
		if (!opt[i].out.fits) {
			fits = 0;
			assert_true(strstr(opt[i].why, "needs ") && strstr(opt[i].why, "of 16"));
		} else {
			assert_true(fits); /* no fitting one after one that does not */
			assert_string_equal(opt[i].why, "");
			if (i > 0 && opt[i - 1].out.fits)
				assert_true(opt[i - 1].out.step_s <= opt[i].out.step_s);
		}
		if (opt[i].strategy == PERF_NO_SHARD || opt[i].strategy == PERF_DDP) {
			assert_false(opt[i].out.fits);
			assert_non_null(strstr(opt[i].why, "full replica on every GPU"));
		}
		if (opt[i].strategy == PERF_SHARD_GRAD_OP)
			assert_non_null(strstr(opt[i].why, "kept from forward to backward"));
	}
	assert_int_equal(seen, (1 << PERF_NSTRATEGY) - 1);
	int best = perf_recommend(opt);
	assert_true(best >= 0);
	assert_int_equal(opt[best].strategy, PERF_HYBRID_SHARD);
	/* the factor is what the traffic says: full-shard's NIC carries
	 * (2 x 2P + 2R) x 15/16 at 4 GB/s, more than the compute, so its step
	 * is that time plus the first layer's gather (1/32 of it); hybrid-shard
	 * hides its NVLink gathers but that first one, and its NIC carries only
	 * the adapters' all-reduce */
	const perf_out *fs = NULL, *hs = &opt[best].out;
	for (int i = 0; i < PERF_NSTRATEGY; i++)
		if (opt[i].strategy == PERF_FULL_SHARD)
			fs = &opt[i].out;
	double P7 = shape_params(shape_find("llama2-7b")), R7 = 4194304;
	double nic_s = (2 * 2 * P7 + 2 * R7) * 15 / 16 / 4e9;
	double compute = hs->t_matmul + hs->t_attention + hs->t_memory + hs->t_optimizer;
	near(fs->t_nic, nic_s);
	near(fs->step_s, nic_s * (1 + 1.0 / 32));
	near(hs->step_s, compute + hs->t_comm / 32);
	assert_true(hs->t_nic < hs->t_link && hs->t_link < compute);
	near(fs->step_s / hs->step_s, nic_s * (1 + 1.0 / 32) / (compute + hs->t_comm / 32));
	assert_true(fabs(fs->step_s / hs->step_s - 1.74) < 0.01);
	/* nothing fits: 70B full fine-tune on one V100 node */
	perf_in big = {gpu_find("v100-16"), shape_find("llama2-70b"), 0, 8, 4096, 1, 1, 1, 4, 32e9, 0, 1, PERF_FULL_SHARD, 1};
	assert_int_equal(perf_rank(&big, opt, err, sizeof err), 0);
	assert_int_equal(perf_recommend(opt), -1);
	/* names, both ways, and FSDP's own spellings */
	perf_strategy s;
	for (int i = 0; i < PERF_NSTRATEGY; i++) {
		assert_int_equal(perf_strategy_parse(perf_strategy_name((perf_strategy)i), &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(perf_strategy_parse("ShardingStrategy.HYBRID_SHARD", &s), 0);
	assert_int_equal(s, PERF_HYBRID_SHARD);
	assert_int_equal(perf_strategy_parse("hsdp", &s), 0);
	assert_int_equal(s, PERF_HYBRID_SHARD);
	assert_int_equal(perf_strategy_parse("zero4", &s), -1);
	in.strategy = (perf_strategy)PERF_NSTRATEGY;
	perf_out o;
	assert_int_equal(perf_estimate(&in, &o, err, sizeof err), -1);
}

/* First principles, over a grid of GPUs, shapes, methods, strategies,
 * node counts and NICs: no step beats its FLOPs at the dense peak, its
 * NIC bytes at the NIC's line rate or its link bytes at the link's; the
 * sharded memory is never below the weights' share. */
static void test_limits(void **state)
{
	(void)state;
	static const char *const gpus[] = {"v100-16", "a100-80", "h100", "l4"};
	static const char *const shapes[] = {"llama-1b", "llama2-7b", "llama2-70b"};
	static const long nodes[] = {1, 2, 4, 16, 64};
	static const double nics[] = {10e9, 32e9, 100e9, 3200e9};
	int n = 0;
	for (size_t g = 0; g < 4; g++)
		for (size_t sh = 0; sh < 3; sh++)
			for (int lora = 0; lora < 2; lora++)
				for (int st = 0; st < PERF_NSTRATEGY; st++)
					for (size_t k = 0; k < 5; k++)
						for (size_t c = 0; c < 4; c++)
							for (int ckpt = 0; ckpt < 3; ckpt++) {
								perf_in in = {gpu_find(gpus[g]), shape_find(shapes[sh]), lora, 8, 2048, 1,
									      ckpt, nodes[k], 8, nics[c], 0, 0, (perf_strategy)st,
									      1L << (ckpt + c % 2)};
								perf_out o = run(in);
								double floor_flops = o.flops_per_step / in.gpu->peak_flops;
								assert_true(o.step_s >= floor_flops);
								assert_true(o.step_s >= o.bytes_nic / (in.nic_bps / 8) * (1 - 1e-12));
								assert_true(o.step_s >= o.bytes_link / in.gpu->link_bw * (1 - 1e-12));
								assert_true(o.peak_bytes >= o.params * 2 / o.shard / (double)in.tp);
								assert_true(o.mfu > 0 && o.mfu <= 1);
								if (nodes[k] == 1)
									assert_true(o.bytes_nic == 0);
								n++;
							}
	assert_int_equal(n, 4 * 3 * 2 * PERF_NSTRATEGY * 5 * 4 * 3);
}

/* Recompute and tensor parallelism, counted by hand on the small shape
 * (seq 512, micro-batch 1: T = 512 tokens; a layer keeps 11 hidden- and
 * 4 intermediate-sized 2-byte vectors per token: (11 x 1024 + 4 x 4096)
 * x 2 = 55,296 bytes). */
static void test_recompute_and_tp(void **state)
{
	(void)state;
	const double T = 512, h = 1024, L = 4, layer = 55296;
	perf_in in = small_in(PERF_NO_SHARD, 0, 1, 1);
	perf_out none = run(in);
	near(none.m_activations, T * L * layer);
	/* full: every layer's input, and one layer's activations */
	in.grad_ckpt = PERF_CKPT_FULL;
	perf_out full = run(in);
	near(full.m_activations, T * L * h * 2 + T * layer);
	/* selective: all but the rotated q, k and the attention output */
	in.grad_ckpt = PERF_CKPT_SELECTIVE;
	perf_out sel = run(in);
	near(sel.m_activations, T * L * (layer - 3 * h * 2));
	/* its price: attention's forward again (2 seq h per token and layer) */
	near(sel.flops_per_step - none.flops_per_step, T * 2 * 512 * h * L);
	assert_true(sel.step_s > none.step_s && sel.step_s < full.step_s);
	assert_true(full.m_activations < sel.m_activations && sel.m_activations < none.m_activations);

	/* tp 2 on one node of 2 GPUs, no data parallelism left: half the
	 * weights and matmul time; two all-reduces of T x h x 2 bytes forward
	 * and two backward per layer, each 2 x 1/2 of them over the link */
	perf_in t1 = small_in(PERF_NO_SHARD, 0, 1, 1), t2 = small_in(PERF_NO_SHARD, 0, 1, 2);
	t2.tp = 2;
	perf_out o1 = run(t1), o2 = run(t2);
	near(o2.m_weights, o1.m_weights / 2);
	near(o2.t_matmul, o1.t_matmul / 2);
	near(o2.bytes_link, L * 4 * T * h * 2);
	near(o2.bytes_nic, 0);
	assert_true(o2.t_tp >= L * 4 * T * h * 2 / gpu_find("h100")->link_bw);
	/* activations: 4 hidden-sized vectors whole, the rest halved */
	near(o2.m_activations, T * L * (4 * h + 7 * h / 2 + 4 * 4096 / 2) * 2);
	/* tp 2 with full-shard over 2 nodes x 4 GPUs: data parallelism over
	 * 4 ranks, two rings of (2 x 2P/2 + 2P/2) x 3/4 through the NIC */
	perf_in fs = small_in(PERF_FULL_SHARD, 0, 2, 4);
	fs.tp = 2;
	perf_out of = run(fs);
	near(of.shard, 4);
	near(of.m_weights, 2 * P / 8);
	near(of.bytes_nic, 2 * (3 * P) * 3 / 4);
	/* what tensor parallelism cannot split is refused */
	perf_in bad = small_in(PERF_FULL_SHARD, 0, 1, 4);
	bad.tp = 3;
	perf_out ob;
	char err[200];
	assert_int_equal(perf_estimate(&bad, &ob, err, sizeof err), -1);
	assert_non_null(strstr(err, "must divide"));
}

/* Published pretraining runs, whole: GPU-hours for their tokens, against
 * the model's, each with a parallel layout such a run could use, the
 * strategy being the one `rehearse model --strategy auto` recommends. 64
 * nodes of 8 (the hours hardly depend on the count while compute bounds
 * the step); NICs as the papers give them (Llama 2: 200 Gbps per GPU,
 * InfiniBand or RoCE; Llama 3: 400 Gbps per GPU, RoCE). Sources:
 *   Llama 2 model card (github.com/meta-llama/llama, MODEL_CARD.md):
 *     7B 184,320, 13B 368,640, 70B 1,720,320 A100-80GB GPU-hours, 2.0 T
 *     tokens, context 4096; Touvron et al. 2023, section 2.2.1.
 *   Llama 3 model card (github.com/meta-llama/llama3, MODEL_CARD.md):
 *     70B 6.4 M H100-80GB GPU-hours, 15 T tokens, context 8192.
 * Llama 3 8B's card gives 1.3 M hours: the model says 0.58 M (20% MFU
 * is what the card's hours imply, against 38-43% the Llama 3 paper
 * reports for 405B); it is left out and said so in the README. */
static void test_pretraining_gpu_hours(void **state)
{
	(void)state;
	static const struct {
		const char *shape, *gpu;
		long seq, tp;
		int ckpt;
		double tokens, nic_gbps, published;
	} runs[] = {
		{"llama2-7b", "a100-80", 4096, 1, 0, 2e12, 1600, 184320},
		{"llama2-13b", "a100-80", 4096, 1, 0, 2e12, 1600, 368640},
		{"llama2-70b", "a100-80", 4096, 4, 0, 2e12, 1600, 1720320},
		{"llama3-70b", "h100", 8192, 8, 0, 15e12, 3200, 6.4e6},
	};
	for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
		perf_in in = {gpu_find(runs[i].gpu), shape_find(runs[i].shape), 0, 8, runs[i].seq, 1, runs[i].ckpt, 64, 8,
			      runs[i].nic_gbps * 1e9, 0, 0, PERF_FULL_SHARD, runs[i].tp};
		perf_option opt[PERF_NSTRATEGY];
		char err[200];
		assert_int_equal(perf_rank(&in, opt, err, sizeof err), 0);
		int best = perf_recommend(opt);
		assert_true(best >= 0);
		double dp = 64.0 * 8 / (double)runs[i].tp;
		double steps = ceil(runs[i].tokens / ((double)runs[i].seq * dp));
		double hours = steps * opt[best].out.step_s * 64 * 8 / 3600;
		printf("%-11s %-13s %10.0f GPU-hours, published %10.0f: %+5.1f%%\n", runs[i].shape,
		       perf_strategy_name(opt[best].strategy), hours, runs[i].published,
		       100 * (hours / runs[i].published - 1));
		assert_true(fabs(hours / runs[i].published - 1) <= 0.20);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_finetune_by_hand),
		cmocka_unit_test(test_lora_crossing_nodes),
		cmocka_unit_test(test_rank_and_reasons),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_recompute_and_tp),
		cmocka_unit_test(test_pretraining_gpu_hours),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
