/* perf.c: see perf.h.
 *
 * The constants. Five were fitted, by a grid search, to the 26 H100
 * measurements in ../shared/calib/h100.jsonl (make calib-report prints the
 * result); each is a physical quantity, and its value is where such
 * quantities usually fall, which is why the model holds on other GPUs:
 *
 *   ETA = 0.40     fraction of the dense tensor peak the step's matmuls
 *                  reach. cuBLAS gets 70-80% on large square products
 *                  (facts.md: 80% on an 8192^3 bf16 matmul); a training step
 *                  mixes in skinny ones (LoRA, the 4096x8 adapters), SDPA
 *                  and launch gaps, hence about half of that.
 *   ELEM = 8       bytes moved per element of a hidden/intermediate vector,
 *                  per layer and pass, by memory-bound kernels (RMSNorm,
 *                  SiLU, the product, rotary, residual adds, dropout: each
 *                  reads and writes a vector or two of 2-byte values).
 *   LOGIT_T = 32   bytes of memory traffic per logit for the loss: bf16
 *                  logits upcast to fp32, log-softmax, its gradient, both
 *                  ways (2+4+4+4+...).
 *   HOST_LAYER = 2.5 ms, HOST_FIXED = 30 ms: the host's time to launch one
 *                  layer's kernels forward and backward through PyTorch,
 *                  and the per-step rest (loss, optimizer call, zero_grad).
 *                  It bounds short sequences: a 7B LoRA step at 512 tokens
 *                  costs about what it costs at 1024.
 *   HOST_TARGET = 0.25 ms per LoRA target and layer: PEFT's Python forward
 *                  (cast, dropout, A, B, scale, add) and its backward, about
 *                  15 launches at ~15 us (a guess; with the calibration's two
 *                  targets a LoRA layer costs 3 ms, a full one 2.5 ms, which
 *                  the short-sequence points bear out).
 *                  Recomputation under checkpointing launches the forward
 *                  again (RECOMPUTE_HOST = 1: twice as many launches).
 * and three for memory, from the slopes and intercepts of peak memory
 * against tokens:
 *   ACT_H = 11, ACT_I = 4: activations kept per token and layer, in
 *                  2-byte values: about 11 hidden-sized vectors (norm inputs
 *                  and outputs, q, k, v, rotated q and k, attention output,
 *                  residuals) and 4 intermediate-sized ones (gate, up, SiLU,
 *                  product) -- what autograd saves for a Llama layer.
 *   LOGIT_M = 10   bytes per logit alive at the peak (bf16 logits, their
 *                  fp32 copy for the loss, part of its gradient).
 *   OVERHEAD = 0.2 GiB: CUDA context buffers, cuBLAS workspace, allocator
 *                  rounding.
 * Optimizer state is AdamW's two moments in the weights' dtype (bf16 here,
 * as in the calibration runs; 4 bytes per trained weight), gradients 2.
 * With fp32_master every one of those is 4 bytes a value (weights 4,
 * gradients 4, moments 8), and the matmuls read fp16/bf16 copies of one
 * layer at a time (FSDP's gathered units, autocast's casts).
 *
 * LoRA targets beyond q_proj and v_proj (whose cost is inside the fitted
 * constants) add, per token, layer and input element: LORA_ACT = 5 bytes
 * kept for backward (PEFT casts the input to the adapters' fp32 and keeps
 * the dropout output, 4 bytes, and its mask, 1) and LORA_TRAFFIC = 15
 * bytes moved per pass (read 2, write and read the fp32 copy 8, dropout
 * 4+1), plus 6 bytes per output element (read the base output and the
 * adapter's, write the sum). Counting, not fitted. */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model/perf.h"

#define ETA 0.40
#define ELEM 8.0
#define LOGIT_T 32.0
#define HOST_LAYER 0.0025
#define HOST_TARGET 0.00025
#define HOST_FIXED 0.030
#define RECOMPUTE_HOST 1.0
#define SELECTIVE_HOST 0.2 /* attention's share of a layer's launches: a guess */
#define ACT_H 11.0
#define ACT_I 4.0
#define ACT_REP 4.0       /* of ACT_H, whole on every GPU under tensor parallelism */
#define ACT_SELECTIVE 3.0 /* of ACT_H, dropped by selective recompute */
#define LOGIT_M 10.0
#define OVERHEAD (0.2 * 1073741824.0)
#define BYTES_W 2.0      /* bf16/fp16 weights */
#define BYTES_G 2.0      /* gradients of trained weights */
#define BYTES_OPT 4.0    /* AdamW moments, two 2-byte values per trained weight */
#define BYTES_LORA 4.0   /* LoRA adapters are created in fp32 by PEFT */
#define LORA_ACT 5.0
#define LORA_TRAFFIC 15.0
/* Collectives. Latency per hop of a ring or tree step: NCCL over NVLink or
 * PCIe inside a node, a few microseconds; over TCP sockets between cloud
 * VMs (no RDMA, as on GKE's n1 machines), tens. Estimates, not measured
 * here; they matter only for small all-reduces over many nodes. DDP's
 * bucket size is PyTorch's default bucket_cap_mb. */
#define ALPHA_LINK 5e-6
#define ALPHA_NIC 30e-6
#define DDP_BUCKET (25.0 * 1048576.0)

const char *perf_bound_name(perf_bound b)
{
	static const char *const n[] = {"compute", "memory bandwidth", "intra-node link", "network", "host (kernel launches)"};
	return n[b];
}

static const char *const strategy_names[PERF_NSTRATEGY] = {"full-shard", "hybrid-shard", "shard-grad-op",
								"no-shard", "ddp"};

const char *perf_strategy_name(perf_strategy s)
{
	assert(s >= 0 && s < PERF_NSTRATEGY);
	return strategy_names[s];
}

/* Our names, FSDP's ShardingStrategy names (FULL_SHARD, _HYBRID_SHARD_ZERO2
 * is not modelled), and the short ones people write (hsdp, fsdp, zero3). */
int perf_strategy_parse(const char *name, perf_strategy *out)
{
	static const struct { const char *name; perf_strategy s; } alias[] = {
		{"full-shard", PERF_FULL_SHARD}, {"full_shard", PERF_FULL_SHARD}, {"fsdp", PERF_FULL_SHARD},
		{"zero3", PERF_FULL_SHARD}, {"hybrid-shard", PERF_HYBRID_SHARD}, {"hybrid_shard", PERF_HYBRID_SHARD},
		{"hsdp", PERF_HYBRID_SHARD}, {"shard-grad-op", PERF_SHARD_GRAD_OP}, {"shard_grad_op", PERF_SHARD_GRAD_OP},
		{"zero2", PERF_SHARD_GRAD_OP}, {"no-shard", PERF_NO_SHARD}, {"no_shard", PERF_NO_SHARD},
		{"ddp", PERF_DDP},
	};
	const char *dot = strrchr(name, '.'); /* ShardingStrategy.FULL_SHARD */
	if (dot)
		name = dot + 1;
	for (size_t i = 0; i < sizeof alias / sizeof *alias; i++)
		if (!strcasecmp(name, alias[i].name)) {
			*out = alias[i].s;
			return 0;
		}
	return -1;
}

/* One family of all-reduces (calls collectives, bytes in all per GPU)
 * over n nodes of g GPUs, `per_nic` GPUs of a node each running its own
 * through the node's NIC. NCCL picks ring or tree per call; we take the
 * faster. A ring moves 2(k-1)/k of the bytes through every hop, the NIC's
 * included, in 2(k-1) latency steps; a tree (NCCL's double binary tree
 * between nodes, a chain inside) moves about twice the bytes through each
 * node's NIC but in 2 log2(n) steps between nodes. Adds to o's bytes and
 * seconds per link. */
static void allreduce(perf_out *o, const gpu_spec *gpu, double nic, double n, double g, double bytes, double calls,
		      double per_nic)
{
	double k = n * g;
	if (k <= 1 || bytes <= 0)
		return;
	double link_b = g > 1 ? 2 * (k - 1) / k * bytes : 0;
	double ring_nic_b = n > 1 ? 2 * (k - 1) / k * bytes * per_nic : 0;
	double ring_link_t = link_b / gpu->link_bw + calls * 2 * (k - n) * ALPHA_LINK;
	double ring_nic_t = n > 1 ? ring_nic_b / nic + calls * 2 * (n - 1) * ALPHA_NIC : 0;
	double tree_nic_b = 2 * bytes * per_nic;
	double tree_link_t = link_b / gpu->link_bw + calls * 2 * (g - 1) * ALPHA_LINK;
	double tree_nic_t = tree_nic_b / nic + calls * 2 * ceil(log2(n)) * ALPHA_NIC;
	double ring = ring_link_t > ring_nic_t ? ring_link_t : ring_nic_t;
	double tree = tree_link_t > tree_nic_t ? tree_link_t : tree_nic_t;
	int use_tree = n > 2 && tree < ring;
	o->allreduce = use_tree ? "tree" : "ring";
	o->bytes_link += link_b;
	o->bytes_nic += use_tree ? tree_nic_b : ring_nic_b;
	o->t_link += use_tree ? tree_link_t : ring_link_t;
	o->t_nic += use_tree ? tree_nic_t : ring_nic_t;
}

/* The strategy's collectives: bytes and seconds on the GPU link and the
 * NIC (see perf_strategy in perf.h), which run side by side, so t_comm is
 * the larger. Sets o->shard; returns in how many parts the communication
 * is issued (the first gather or the last reduction cannot hide behind
 * compute). */
static double comm_plan(const perf_in *in, perf_out *o, double L, double bytes_w)
{
	const gpu_spec *gpu = in->gpu;
	double N = (double)in->nodes, G = (double)in->gpus_per_node, W = N * G;
	double nic = in->nic_bps / 8;
	/* tensor parallelism splits every weight over tp GPUs of a node: the
	 * data-parallel groups are tp times smaller, each GPU's bytes tp times
	 * fewer, and tp such groups share the node's NIC */
	double tp = in->tp > 1 ? (double)in->tp : 1;
	G /= tp;
	W /= tp;
	double Pb = o->params * BYTES_W / tp; /* gathered in the compute dtype (FSDP MixedPrecision) */
	double Rb = o->trainable * BYTES_G / tp; /* reduced in it too */
	double parts = L;                 /* FSDP: one unit per layer */
	/* the ring of all-gathers and reduce-scatters: over every GPU, or
	 * over the node's GPUs under hybrid-shard */
	double ring = 1, ring_bytes = 0;
	switch (in->strategy) {
	case PERF_FULL_SHARD:
		o->shard = ring = W;
		ring_bytes = 2 * Pb + Rb;
		break;
	case PERF_SHARD_GRAD_OP:
		o->shard = ring = W;
		ring_bytes = Pb + Rb;
		break;
	case PERF_HYBRID_SHARD:
		o->shard = ring = G;
		ring_bytes = 2 * Pb + Rb;
		/* each GPU all-reduces its R/G with its peers on the other
		 * nodes, once per layer; the node's G GPUs share its NIC */
		allreduce(o, gpu, nic, N, 1, Rb / G, L, G * tp);
		break;
	case PERF_NO_SHARD:
		o->shard = 1;
		allreduce(o, gpu, nic, N, G, Rb, L, tp);
		break;
	case PERF_DDP: {
		o->shard = 1;
		double grads = o->trainable * (in->lora ? BYTES_LORA : bytes_w) / tp;
		parts = ceil(grads / DDP_BUCKET);
		if (parts < 1)
			parts = 1;
		allreduce(o, gpu, nic, N, G, grads, parts, tp);
		break;
	}
	default:
		assert(0);
	}
	if (ring > 1) {
		/* each hop of the ring carries (ring-1)/ring of the bytes; it
		 * crosses the NIC when it spans nodes */
		double v = ring_bytes * (ring - 1) / ring;
		if (G > 1) {
			o->bytes_link += v;
			o->t_link += v / gpu->link_bw;
		}
		if (ring > G) {
			o->bytes_nic += v * tp;
			o->t_nic += v * tp / nic;
		}
	}
	o->t_comm = o->t_link > o->t_nic ? o->t_link : o->t_nic;
	return parts;
}

int perf_estimate(const perf_in *in, perf_out *o, char *err, size_t errlen)
{
	memset(o, 0, sizeof *o);
	const model_shape *s = in->shape;
	const gpu_spec *g = in->gpu;
	const char *why = shape_check(s);
	if (why) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (in->seq <= 0 || in->micro_batch <= 0 || in->nodes <= 0 || in->gpus_per_node <= 0 ||
	    (in->lora && in->lora_rank <= 0) || in->nic_bps <= 0) {
		snprintf(err, errlen, "sequence length, micro-batch, nodes, GPUs per node, LoRA rank and NIC "
				      "bandwidth must be positive");
		return -1;
	}
	if ((int)in->strategy < 0 || in->strategy >= PERF_NSTRATEGY || in->grad_ckpt < 0 ||
	    in->grad_ckpt > PERF_CKPT_SELECTIVE) {
		snprintf(err, errlen, "unknown parallelism strategy or recompute mode");
		return -1;
	}
	long tpn = in->tp > 1 ? in->tp : 1;
	/* fewer key/value heads than GPUs: each is copied to tp/kv of them */
	if (in->gpus_per_node % tpn || s->heads % tpn || (s->kv_heads % tpn && tpn % s->kv_heads)) {
		snprintf(err, errlen, "tensor parallelism of %ld must divide the GPUs per node (%ld) and the attention heads "
			 "(%ld), and divide or be a multiple of the key/value heads (%ld)", tpn, in->gpus_per_node, s->heads,
			 s->kv_heads);
		return -1;
	}
	double tp = (double)tpn;
	int full_ckpt = in->grad_ckpt == PERF_CKPT_FULL, sel_ckpt = in->grad_ckpt == PERF_CKPT_SELECTIVE;
	double h = (double)s->hidden, inter = (double)s->intermediate, L = (double)s->layers, V = (double)s->vocab;
	double seq = (double)in->seq, T = seq * (double)in->micro_batch;
	double world = (double)in->nodes * (double)in->gpus_per_node;
	double P = shape_params(s), layerP = shape_layer_matmul_params(s);
	unsigned targets = in->lora_targets ? in->lora_targets : SHAPE_LORA_DEFAULT;
	if (targets & ~(unsigned)SHAPE_LORA_ALL) {
		snprintf(err, errlen, "unknown LoRA target");
		return -1;
	}
	double lora = in->lora ? shape_lora_params(s, in->lora_rank, targets) : 0;
	/* what the targets add beyond the calibration's q_proj and v_proj */
	double x_in = 0, x_out = 0, n_targets = 0;
	if (in->lora) {
		x_in = shape_lora_input_width(s, targets) - shape_lora_input_width(s, SHAPE_LORA_DEFAULT);
		double i_, o_;
		for (unsigned t = 1; t <= SHAPE_DOWN; t <<= 1) {
			shape_linear_dims(s, t, &i_, &o_);
			x_out += ((targets & t) ? o_ : 0) - ((SHAPE_LORA_DEFAULT & t) ? o_ : 0);
			n_targets += (targets & t) != 0;
		}
	}
	double bytes_w = in->fp32_master ? 4.0 : BYTES_W; /* weights as stored */
	o->params = P;
	o->trainable = in->lora ? lora : P;

	/* FLOPs per token. Forward: 2 per weight of every matmul and of the
	 * lm_head; causal attention 2*seq*h per layer (QK^T and AV, half
	 * masked). Backward: activation gradients (one forward's worth),
	 * weight gradients (another, full fine-tune only), attention twice.
	 * LoRA adds 2 per adapter weight each way. */
	double mm = 2 * (L * layerP + V * h) + 2 * lora;
	double att = 2 * seq * h * L;
	double fwd = mm + att;
	double bwd = (in->lora ? mm : 2 * mm) + 2 * att;
	/* full recompute runs the forward again; selective only attention's */
	double recompute = full_ckpt ? fwd : sel_ckpt ? att : 0;
	/* tensor parallelism: each GPU does 1/tp of the matmuls and attention
	 * heads, of the intermediate-sized elementwise work and of the loss
	 * over the vocabulary (Megatron's vocab-parallel loss); the hidden-
	 * sized work (norms, residuals) is repeated on every GPU */
	o->flops_per_step = T * (fwd + bwd + recompute) / tp;
	double rate = ETA * g->peak_flops;
	o->t_matmul = T * (mm * (in->lora ? 2 : 3) + (full_ckpt ? mm : 0)) / rate / tp;
	o->t_attention = T * att * (3 + (in->grad_ckpt ? 1 : 0)) / rate / tp;
	double passes = 3 + (full_ckpt ? 1 : 0);
	o->t_memory = (T * L * ELEM * (h + inter / tp) * 2 * passes + T * V * LOGIT_T / tp +
		       T * L * passes * (LORA_TRAFFIC * x_in + 6 * x_out) / tp) / g->mem_bw;
	if (o->t_memory < 0)
		o->t_memory = 0;

	double tail = comm_plan(in, o, L, bytes_w);
	/* fused AdamW reads weight, gradient and both moments, writes three,
	 * for the trained weights this GPU holds */
	o->t_optimizer = o->trainable * (in->lora ? 7 * BYTES_LORA : 7 * bytes_w) / o->shard / tp / g->mem_bw;
	/* Megatron's tensor parallelism (no sequence parallelism) all-reduces
	 * the hidden states after attention and after the MLP, in forward and
	 * in backward (and in the recomputed forward): on the critical path,
	 * over the GPU link */
	if (tp > 1) {
		double calls = L * (4 + (full_ckpt ? 2 : 0));
		double bytes = calls * 2 * (tp - 1) / tp * T * h * BYTES_W;
		o->t_tp = bytes / g->link_bw + calls * 2 * (tp - 1) * ALPHA_LINK;
		o->bytes_link += bytes;
	}
	double compute = o->t_matmul + o->t_attention + o->t_memory + o->t_optimizer;
	/* prefetch hides communication behind compute, but for the first
	 * layer's gather */
	o->t_comm_exposed = (o->t_comm > compute ? o->t_comm - compute : 0) + o->t_comm / tail;
	o->t_gpu = compute + o->t_comm_exposed + o->t_tp;
	o->t_host = L * (HOST_LAYER + HOST_TARGET * n_targets) *
			    (1 + (full_ckpt ? RECOMPUTE_HOST : sel_ckpt ? SELECTIVE_HOST : 0)) + HOST_FIXED;
	o->step_s = o->t_gpu > o->t_host ? o->t_gpu : o->t_host;
	o->tokens_per_s = T * world / tp / o->step_s; /* a tensor-parallel group shares its tokens */
	o->mfu = o->flops_per_step / o->step_s / g->peak_flops;

	if (o->t_host >= o->t_gpu) {
		o->bound = BOUND_HOST;
	} else if (o->t_comm > compute) {
		o->bound = o->t_nic >= o->t_link ? BOUND_NETWORK : BOUND_LINK;
	} else if (o->t_tp > compute) {
		o->bound = BOUND_LINK;
	} else {
		o->bound = o->t_memory > o->t_matmul + o->t_attention ? BOUND_MEMORY : BOUND_COMPUTE;
	}

	/* Memory. What is sharded over which group: see perf_strategy. */
	perf_strategy st = in->strategy;
	double shard = o->shard;
	o->m_weights = P * bytes_w / shard / tp;
	/* the layer in use and the one prefetched, in the compute dtype: FSDP's
	 * gathered units, or autocast's casts of fp32 weights; SHARD_GRAD_OP
	 * keeps every unit it gathered in forward until backward is done */
	if (st == PERF_SHARD_GRAD_OP && shard > 1)
		o->m_gathered = P * BYTES_W / tp;
	else
		o->m_gathered = shard > 1 || in->fp32_master ? 2 * layerP * BYTES_W / tp : 0;
	if (in->lora)
		o->m_trainable = lora * (BYTES_LORA * 3 + BYTES_LORA) / shard / tp; /* weight, grad, two moments */
	else
		o->m_trainable = P * (in->fp32_master ? 8.0 : BYTES_OPT) / shard / tp; /* moments */
	/* DDP copies the gradients into its buckets (gradient_as_bucket_view
	 * is off by default), in the weights' dtype */
	if (st == PERF_DDP && world > 1)
		o->m_buckets = o->trainable * (in->lora ? BYTES_LORA : bytes_w) / tp;
	/* under tensor parallelism ACT_REP of the hidden-sized vectors (the
	 * two norms' inputs and outputs) are whole on every GPU, the rest
	 * split; selective recompute drops the rotated q and k and the
	 * attention output (SDPA keeps no seq^2 scores to drop) */
	double per_layer = (ACT_REP * h + (ACT_H - ACT_REP) * h / tp + ACT_I * inter / tp) * 2 + LORA_ACT * x_in;
	if (full_ckpt)
		o->m_activations = T * L * h * 2 + T * per_layer;
	else if (sel_ckpt)
		o->m_activations = T * L * (per_layer - ACT_SELECTIVE * h * 2 / tp);
	else
		o->m_activations = T * L * per_layer;
	o->m_logits = T * V * LOGIT_M / tp;
	/* gradients of a full fine-tune take the place of the activations
	 * backward frees; only what exceeds them adds */
	if (!in->lora) {
		double grads = P * (in->fp32_master ? 4.0 : BYTES_G) / shard / tp;
		o->m_grads = grads > o->m_activations + o->m_logits ? grads - o->m_activations - o->m_logits : 0;
	}
	o->m_overhead = OVERHEAD;
	o->peak_bytes = o->m_weights + o->m_gathered + o->m_trainable + o->m_grads + o->m_buckets + o->m_activations +
			o->m_logits + o->m_overhead;
	o->fits = o->peak_bytes <= g->mem_bytes;
	return 0;
}

/* Names the largest part of a peak that does not fit: what a user changes
 * first (shard the weights, checkpoint the activations, ...). */
void perf_oom_reason(const perf_in *in, const perf_out *o, char *buf, size_t len)
{
	const double GiB = 1073741824.0;
	int sgo = in->strategy == PERF_SHARD_GRAD_OP && o->shard > 1;
	struct { double v; const char *what; } part[] = {
		{o->m_weights, o->shard > 1 ? "the weights' shard"
			       : in->tp > 1 ? "the weights (a tensor-parallel slice, whole on every data-parallel rank)"
			       : "the weights (a full replica on every GPU)"},
		{o->m_gathered, sgo ? "every layer's 16-bit weights (kept from forward to backward)" : "the gathered layers"},
		{o->m_trainable, in->lora ? "the LoRA adapters and their state" : "the optimizer state"},
		{o->m_grads + o->m_buckets, "the gradients"},
		{o->m_activations, "the activations"},
		{o->m_logits, "the logits"},
	};
	size_t big = 0;
	for (size_t i = 1; i < sizeof part / sizeof *part; i++)
		if (part[i].v > part[big].v)
			big = i;
	snprintf(buf, len, "needs %.1f GiB of %.0f; the largest part is %s, %.1f GiB", o->peak_bytes / GiB,
		 in->gpu->mem_bytes / GiB, part[big].what, part[big].v / GiB);
}

int perf_rank(const perf_in *in, perf_option opt[PERF_NSTRATEGY], char *err, size_t errlen)
{
	for (int i = 0; i < PERF_NSTRATEGY; i++) {
		perf_in one = *in;
		one.strategy = (perf_strategy)i;
		opt[i].strategy = one.strategy;
		opt[i].why[0] = 0;
		if (perf_estimate(&one, &opt[i].out, err, errlen))
			return -1;
		if (!opt[i].out.fits)
			perf_oom_reason(&one, &opt[i].out, opt[i].why, sizeof opt[i].why);
	}
	/* insertion sort: stable, five entries */
	for (int i = 1; i < PERF_NSTRATEGY; i++)
		for (int k = i; k > 0; k--) {
			const perf_out *a = &opt[k - 1].out, *b = &opt[k].out;
			int later = (!a->fits && b->fits) || (a->fits == b->fits && b->step_s < a->step_s);
			if (!later)
				break;
			perf_option t = opt[k];
			opt[k] = opt[k - 1];
			opt[k - 1] = t;
		}
	return 0;
}

int perf_recommend(const perf_option opt[PERF_NSTRATEGY])
{
	if (!opt[0].out.fits)
		return -1;
	int best = 0;
	for (int i = 1; i < PERF_NSTRATEGY && opt[i].out.fits; i++)
		if (opt[i].out.step_s <= opt[0].out.step_s * (1 + PERF_TIE) &&
		    opt[i].out.peak_bytes < opt[best].out.peak_bytes)
			best = i;
	return best;
}

/* args[i] as "--name" or "--name=value" (fire and argparse take both;
 * llama-recipes also "--fsdp_config.name"): the value, "" for a bare flag,
 * or NULL when args[i] is not that option. */
static const char *arg_value(const char *const *args, size_t n, size_t i, const char *name)
{
	const char *a = args[i];
	if (!a || strncmp(a, "--", 2))
		return NULL;
	a += 2;
	if (!strncmp(a, "fsdp_config.", 12))
		a += 12;
	size_t k = strlen(name);
	if (strncmp(a, name, k))
		return NULL;
	if (a[k] == '=')
		return a + k + 1;
	if (a[k])
		return NULL;
	return i + 1 < n && args[i + 1] && strncmp(args[i + 1], "--", 2) ? args[i + 1] : "";
}

static int is_false(const char *v)
{
	return !strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "no");
}

const char *perf_script_arg(const char *const *args, size_t n, const char *name, size_t *at)
{
	const char *v = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *x = arg_value(args, n, i, name);
		if (x) { /* the last one wins, as in argparse and fire */
			v = x;
			if (at)
				*at = i;
		}
	}
	return v;
}

int perf_strategy_from_args(const char *const *args, size_t n, perf_strategy *out, size_t *at)
{
	int found = 0, fsdp = -1;
	size_t fsdp_at = 0;
	for (size_t i = 0; i < n; i++) {
		const char *v;
		perf_strategy s;
		if ((v = arg_value(args, n, i, "sharding_strategy")) ||
		    (v = arg_value(args, n, i, "fsdp_sharding_strategy"))) {
			/* accelerate numbers them: 1 FULL_SHARD, 2 SHARD_GRAD_OP,
			 * 3 NO_SHARD, 4 HYBRID_SHARD */
			static const perf_strategy by_number[] = {PERF_FULL_SHARD, PERF_SHARD_GRAD_OP, PERF_NO_SHARD,
								  PERF_HYBRID_SHARD};
			if (v[0] >= '1' && v[0] <= '4' && !v[1])
				s = by_number[v[0] - '1'];
			else if (perf_strategy_parse(v, &s))
				continue;
			*out = s, *at = i, found = 1;
		} else if ((v = arg_value(args, n, i, "hsdp"))) {
			if (!is_false(v))
				*out = PERF_HYBRID_SHARD, *at = i, found = 1;
		} else if ((v = arg_value(args, n, i, "enable_fsdp"))) {
			fsdp = !is_false(v);
			fsdp_at = i;
		} else if ((v = arg_value(args, n, i, "fsdp")) && *v) {
			/* the Trainer's words: "full_shard auto_wrap offload" */
			static const struct { const char *w; perf_strategy s; } words[] = {
				{"hybrid_shard", PERF_HYBRID_SHARD}, {"full_shard", PERF_FULL_SHARD},
				{"shard_grad_op", PERF_SHARD_GRAD_OP}, {"no_shard", PERF_NO_SHARD}};
			for (size_t k = 0; k < sizeof words / sizeof *words; k++)
				if (strstr(v, words[k].w)) {
					*out = words[k].s, *at = i, found = 1;
					break;
				}
		}
	}
	if (!found && fsdp == 1) /* llama-recipes' fsdp_config default */
		*out = PERF_FULL_SHARD, *at = fsdp_at, found = 1;
	return found;
}
