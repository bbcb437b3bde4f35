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
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/perf.h"

#define ETA 0.40
#define ELEM 8.0
#define LOGIT_T 32.0
#define HOST_LAYER 0.0025
#define HOST_TARGET 0.00025
#define HOST_FIXED 0.030
#define RECOMPUTE_HOST 1.0
#define ACT_H 11.0
#define ACT_I 4.0
#define LOGIT_M 10.0
#define OVERHEAD (0.2 * 1073741824.0)
#define BYTES_W 2.0      /* bf16/fp16 weights */
#define BYTES_G 2.0      /* gradients of trained weights */
#define BYTES_OPT 4.0    /* AdamW moments, two 2-byte values per trained weight */
#define BYTES_LORA 4.0   /* LoRA adapters are created in fp32 by PEFT */
#define LORA_ACT 5.0
#define LORA_TRAFFIC 15.0

const char *perf_bound_name(perf_bound b)
{
	static const char *const n[] = {"compute", "memory bandwidth", "intra-node link", "network", "host (kernel launches)"};
	return n[b];
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
	double recompute = in->grad_ckpt ? fwd : 0;
	o->flops_per_step = T * (fwd + bwd + recompute);
	double rate = ETA * g->peak_flops;
	o->t_matmul = T * (mm * (in->lora ? 2 : 3) + (in->grad_ckpt ? mm : 0)) / rate;
	o->t_attention = T * att * (3 + (in->grad_ckpt ? 1 : 0)) / rate;
	double passes = 3 + (in->grad_ckpt ? 1 : 0);
	o->t_memory = (T * L * ELEM * (h + inter) * 2 * passes + T * V * LOGIT_T +
		       T * L * passes * (LORA_TRAFFIC * x_in + 6 * x_out)) / g->mem_bw;
	if (o->t_memory < 0)
		o->t_memory = 0;
	/* fused AdamW reads weight, gradient and both moments, writes three */
	o->t_optimizer = o->trainable * (in->lora ? 7 * BYTES_LORA : 7 * bytes_w) / world / g->mem_bw;

	/* FSDP (full shard) over world GPUs: all-gather the weights forward
	 * and backward, reduce-scatter the trained weights' gradients. In a
	 * ring every hop carries (world-1)/world of the bytes, so the slowest
	 * hop sets the pace: the GPU link inside a node, the node's NIC
	 * between nodes. */
	int net = in->nodes > 1 && in->nic_bps / 8 < g->link_bw;
	if (world > 1) {
		/* gathered and reduced in the compute dtype (FSDP MixedPrecision) */
		double bytes = (2 * P * BYTES_W + o->trainable * BYTES_G) * (world - 1) / world;
		o->t_comm = bytes / (net ? in->nic_bps / 8 : g->link_bw);
	}
	double compute = o->t_matmul + o->t_attention + o->t_memory + o->t_optimizer;
	/* prefetch hides communication behind compute, but for the first
	 * layer's gather */
	o->t_comm_exposed = (o->t_comm > compute ? o->t_comm - compute : 0) + o->t_comm / L;
	o->t_gpu = compute + o->t_comm_exposed;
	o->t_host = L * (HOST_LAYER + HOST_TARGET * n_targets) * (1 + (in->grad_ckpt ? RECOMPUTE_HOST : 0)) + HOST_FIXED;
	o->step_s = o->t_gpu > o->t_host ? o->t_gpu : o->t_host;
	o->tokens_per_s = T * world / o->step_s;
	o->mfu = o->flops_per_step / o->step_s / g->peak_flops;

	if (o->t_host >= o->t_gpu) {
		o->bound = BOUND_HOST;
	} else if (o->t_comm > compute) {
		o->bound = net ? BOUND_NETWORK : BOUND_LINK;
	} else {
		o->bound = o->t_memory > o->t_matmul + o->t_attention ? BOUND_MEMORY : BOUND_COMPUTE;
	}

	/* Memory. */
	o->m_weights = P * bytes_w / world;
	/* the layer in use and the one prefetched, in the compute dtype: FSDP's
	 * gathered units, or autocast's casts of fp32 weights */
	o->m_gathered = world > 1 || in->fp32_master ? 2 * layerP * BYTES_W : 0;
	if (in->lora)
		o->m_trainable = lora * (BYTES_LORA * 3 + BYTES_LORA) / world; /* weight, grad, two moments */
	else
		o->m_trainable = P * (in->fp32_master ? 8.0 : BYTES_OPT) / world; /* moments */
	double per_layer = (ACT_H * h + ACT_I * inter) * 2 + LORA_ACT * x_in;
	if (in->grad_ckpt)
		o->m_activations = T * L * h * 2 + T * per_layer;
	else
		o->m_activations = T * L * per_layer;
	o->m_logits = T * V * LOGIT_M;
	/* gradients of a full fine-tune take the place of the activations
	 * backward frees; only what exceeds them adds */
	if (!in->lora) {
		double grads = P * (in->fp32_master ? 4.0 : BYTES_G) / world;
		o->m_grads = grads > o->m_activations + o->m_logits ? grads - o->m_activations - o->m_logits : 0;
	}
	o->m_overhead = OVERHEAD;
	o->peak_bytes = o->m_weights + o->m_gathered + o->m_trainable + o->m_grads + o->m_activations + o->m_logits +
			o->m_overhead;
	o->fits = o->peak_bytes <= g->mem_bytes;
	return 0;
}
