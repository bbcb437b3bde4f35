/* perf.h: how long a fine-tuning step takes and how much GPU memory it
 * needs, from first principles, with a few constants fitted to real
 * measurements (../shared/calib/h100.jsonl; see perf.c for each constant
 * and why it has its value).
 *
 * Time. The GPU's work is matmul FLOPs (forward; backward twice that for a
 * full fine-tune, once for LoRA, which needs gradients of activations but
 * not of frozen weights; one more forward under gradient checkpointing),
 * attention's sequence-squared FLOPs, memory-bound elementwise work (norms,
 * activations, rotary, residuals, the loss over the vocabulary) and the
 * optimizer step; with FSDP, all-gathers of the weights in forward and
 * backward and a reduce-scatter of the gradients, over the intra-node link
 * or the node's NIC, overlapped with compute. The host launches the kernels
 * (a cost per layer); the step takes the longer of the two.
 *
 * Memory. Weights (sharded by FSDP, plus the layers being gathered),
 * gradients and optimizer state of what is trained (sharded), activations
 * (per layer, or only layer inputs plus one layer under checkpointing), the
 * logits, and allocator overhead. The gradients of a full fine-tune are
 * allocated while backward frees the activations: the peak holds the
 * larger of the two (m_grads is what they add beyond the activations). */
#ifndef REHEARSE_PERF_H
#define REHEARSE_PERF_H

#include "model/gpu.h"
#include "model/shape.h"

typedef struct perf_in {
	const gpu_spec *gpu;
	const model_shape *shape;
	int lora;                 /* 1: LoRA on q_proj and v_proj; 0: full fine-tune */
	long lora_rank;
	long seq, micro_batch;
	int grad_ckpt;
	long nodes, gpus_per_node;
	double nic_bps;           /* bits/s per node */
	unsigned lora_targets;    /* SHAPE_Q | ...; 0: q_proj and v_proj */
	int fp32_master;          /* 1: weights, gradients and AdamW state in fp32, matmuls in
	                           * fp16/bf16 (FSDP MixedPrecision, as llama-recipes on V100);
	                           * 0: everything in fp16/bf16, as the calibration runs */
} perf_in;

typedef enum { BOUND_COMPUTE, BOUND_MEMORY, BOUND_LINK, BOUND_NETWORK, BOUND_HOST } perf_bound;

typedef struct perf_out {
	double step_s, tokens_per_s, mfu;
	/* where the time goes (seconds, before the max with the host) */
	double t_matmul, t_attention, t_memory, t_optimizer, t_comm, t_comm_exposed, t_host, t_gpu;
	perf_bound bound;
	/* where the memory goes (bytes) */
	double m_weights, m_gathered, m_trainable, m_grads, m_activations, m_logits, m_overhead, peak_bytes;
	double params, trainable, flops_per_step;
	int fits;
} perf_out;

/* Returns 0, or -1 with why in err (inconsistent input). */
int perf_estimate(const perf_in *in, perf_out *out, char *err, size_t errlen);
const char *perf_bound_name(perf_bound b);

#endif
