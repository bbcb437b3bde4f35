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
 *   HOST_LAYER = 3 ms, HOST_FIXED = 30 ms: the host's time to launch one
 *                  layer's kernels forward and backward through PyTorch and
 *                  PEFT's Python hooks, and the per-step rest (loss, optimizer
 *                  call, zero_grad). It bounds short sequences: a 7B LoRA
 *                  step at 512 tokens costs about what it costs at 1024.
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
 * as in the calibration runs; 4 bytes per trained weight), gradients 2. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/perf.h"

#define ETA 0.40
#define ELEM 8.0
#define LOGIT_T 32.0
#define HOST_LAYER 0.003
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
	double lora = in->lora ? shape_lora_params(s, in->lora_rank) : 0;
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
	o->t_memory = (T * L * ELEM * (h + inter) * 2 * passes + T * V * LOGIT_T) / g->mem_bw;
	/* fused AdamW reads weight, gradient and both moments, writes three */
	o->t_optimizer = o->trainable * (in->lora ? 7 * BYTES_LORA : 7 * BYTES_W) / world / g->mem_bw;

	/* FSDP (full shard) over world GPUs: all-gather the weights forward
	 * and backward, reduce-scatter the trained weights' gradients. In a
	 * ring every hop carries (world-1)/world of the bytes, so the slowest
	 * hop sets the pace: the GPU link inside a node, the node's NIC
	 * between nodes. */
	int net = in->nodes > 1 && in->nic_bps / 8 < g->link_bw;
	if (world > 1) {
		double bytes = (2 * P * BYTES_W + o->trainable * BYTES_G) * (world - 1) / world;
		o->t_comm = bytes / (net ? in->nic_bps / 8 : g->link_bw);
	}
	double compute = o->t_matmul + o->t_attention + o->t_memory + o->t_optimizer;
	/* prefetch hides communication behind compute, but for the first
	 * layer's gather */
	o->t_comm_exposed = (o->t_comm > compute ? o->t_comm - compute : 0) + o->t_comm / L;
	o->t_gpu = compute + o->t_comm_exposed;
	o->t_host = L * HOST_LAYER * (1 + (in->grad_ckpt ? RECOMPUTE_HOST : 0)) + HOST_FIXED;
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
	o->m_weights = P * BYTES_W / world;
	o->m_gathered = world > 1 ? 2 * layerP * BYTES_W : 0; /* the layer in use and the one prefetched */
	if (in->lora)
		o->m_trainable = lora * (BYTES_LORA * 3 + BYTES_LORA) / world; /* weight, grad, two moments */
	else
		o->m_trainable = P * BYTES_OPT / world; /* moments; gradients replace activations (perf.h) */
	double per_layer = (ACT_H * h + ACT_I * inter) * 2;
	if (in->grad_ckpt)
		o->m_activations = T * L * h * 2 + T * per_layer;
	else
		o->m_activations = T * L * per_layer;
	o->m_logits = T * V * LOGIT_M;
	o->m_overhead = OVERHEAD;
	o->peak_bytes = o->m_weights + o->m_gathered + o->m_trainable + o->m_activations + o->m_logits + o->m_overhead;
	o->fits = o->peak_bytes <= g->mem_bytes;
	return 0;
}
