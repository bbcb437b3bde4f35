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
 * optimizer step; and the data-parallel strategy's collectives (see
 * perf_strategy: which bytes cross which link) over the intra-node link
 * and the node's NIC, overlapped with compute. Selective recompute runs
 * attention's forward again instead of the whole layer's. Tensor
 * parallelism (tp) splits the layer's work over tp GPUs of a node and adds
 * two all-reduces of the hidden states per layer and pass, which nothing
 * hides. The host launches the kernels (a cost per layer); the step takes
 * the longer of the two.
 *
 * Memory. Weights (sharded over the strategy's shard group and split over
 * tp, plus the layers being gathered), gradients and optimizer state of
 * what is trained (sharded likewise), activations (per layer, or only
 * layer inputs plus one layer under full checkpointing, or all but the
 * attention's own under selective), the logits, and allocator overhead. The
 * gradients of a full fine-tune are allocated while backward frees the
 * activations: the peak holds the larger of the two (m_grads is what they
 * add beyond the activations). */
#ifndef REHEARSE_PERF_H
#define REHEARSE_PERF_H

#include "model/gpu.h"
#include "model/shape.h"

/* How the data-parallel ranks share the model. W GPUs = N nodes x G per
 * node. Bytes per step and GPU; P the weights in fp16/bf16, R the trained
 * weights' gradients.
 *   full-shard     FSDP FULL_SHARD (ZeRO-3) over W: weights, gradients and
 *                  optimizer state /W; all-gather P in forward and again in
 *                  backward, reduce-scatter R: (2P+R)(W-1)/W on every ring
 *                  hop, the NIC's among them. The default (llama-recipes').
 *   hybrid-shard   FSDP HYBRID_SHARD (FSDP2's 2-D mesh): full-shard over the
 *                  G GPUs of a node, replicas across nodes: /G, (2P+R)(G-1)/G
 *                  over the GPU link, and only R crosses the NIC (all-reduce
 *                  of each GPU's R/G over the N nodes: 2(N-1)/N R per node
 *                  by ring, 2R by tree). Under LoRA R is the adapters'.
 *   shard-grad-op  FSDP SHARD_GRAD_OP (ZeRO-2) over W: gradients and state
 *                  /W, weights /W at rest but gathered once in forward and
 *                  kept until backward ends (every layer's P at the peak):
 *                  (P+R)(W-1)/W.
 *   no-shard       FSDP NO_SHARD: full replicas, R all-reduced per layer in
 *                  the reduce dtype: 2(W-1)/W R by ring.
 *   ddp            DistributedDataParallel: full replicas, R all-reduced in
 *                  25 MB buckets in the weights' own dtype (fp32 adapters,
 *                  fp32 master weights), a second copy of R in the buckets;
 *                  the last bucket cannot hide behind backward.
 * All-gathers and reduce-scatters are rings (NCCL has no tree for them);
 * all-reduces take the faster of ring and tree, latency included (a tree
 * crosses log2(N) nodes, a ring N-1, which matters for small LoRA
 * gradients over many nodes). */
typedef enum {
	PERF_FULL_SHARD,
	PERF_HYBRID_SHARD,
	PERF_SHARD_GRAD_OP,
	PERF_NO_SHARD,
	PERF_DDP,
	PERF_NSTRATEGY
} perf_strategy;

typedef struct perf_in {
	const gpu_spec *gpu;
	const model_shape *shape;
	int lora;                 /* 1: LoRA on q_proj and v_proj; 0: full fine-tune */
	long lora_rank;
	long seq, micro_batch;
	int grad_ckpt;            /* recompute: PERF_CKPT_NONE, _FULL (every layer's
	                           * forward again), _SELECTIVE (attention only) */
	long nodes, gpus_per_node;
	double nic_bps;           /* bits/s per node */
	unsigned lora_targets;    /* SHAPE_Q | ...; 0: q_proj and v_proj */
	int fp32_master;          /* 1: weights, gradients and AdamW state in fp32, matmuls in
	                           * fp16/bf16 (FSDP MixedPrecision, as llama-recipes on V100);
	                           * 0: everything in fp16/bf16, as the calibration runs */
	perf_strategy strategy;   /* 0: full-shard */
	long tp;                  /* tensor-parallel GPUs inside a node (0 or 1: none);
	                           * divides gpus_per_node; data parallelism over
	                           * the nodes x gpus_per_node / tp groups */
} perf_in;

enum { PERF_CKPT_NONE, PERF_CKPT_FULL, PERF_CKPT_SELECTIVE };

typedef enum { BOUND_COMPUTE, BOUND_MEMORY, BOUND_LINK, BOUND_NETWORK, BOUND_HOST } perf_bound;

typedef struct perf_out {
	double step_s, tokens_per_s, mfu;
	/* where the time goes (seconds, before the max with the host) */
	double t_matmul, t_attention, t_memory, t_optimizer, t_comm, t_comm_exposed, t_host, t_gpu;
	/* the collectives: seconds on each link (t_comm is the larger; they
	 * run side by side), bytes per step each way through one GPU's link
	 * and through one node's NIC, and the all-reduce algorithm, if any */
	double t_link, t_nic, bytes_link, bytes_nic;
	double t_tp;              /* tensor parallelism's all-reduces, not hidden */
	const char *allreduce;    /* "ring", "tree" or NULL */
	perf_bound bound;
	/* where the memory goes (bytes) */
	double m_weights, m_gathered, m_trainable, m_grads, m_buckets, m_activations, m_logits, m_overhead, peak_bytes;
	double shard;             /* GPUs the weights are sharded over (1: replicas) */
	double params, trainable, flops_per_step;
	int fits;
} perf_out;

/* Returns 0, or -1 with why in err (inconsistent input). */
int perf_estimate(const perf_in *in, perf_out *out, char *err, size_t errlen);
const char *perf_bound_name(perf_bound b);
/* "full-shard", "hybrid-shard", ...; and back, also from FSDP's and
 * llama-recipes' spellings (FULL_SHARD, HYBRID_SHARD, hsdp, ...):
 * returns 0, or -1 for a name it does not know. */
const char *perf_strategy_name(perf_strategy s);
int perf_strategy_parse(const char *name, perf_strategy *out);
/* The strategy a training script's own arguments choose, as the common
 * launchers spell it: llama-recipes (`--enable_fsdp` alone is its default
 * FULL_SHARD, `--sharding_strategy HYBRID_SHARD`, `--hsdp`, also as
 * `--fsdp_config.sharding_strategy=...`), Hugging Face's Trainer (`--fsdp
 * "hybrid_shard auto_wrap"`) and accelerate (`--fsdp_sharding_strategy`,
 * a name or its number). Returns 1 with *out and in *at the index of the
 * argument that decided, or 0 when the arguments do not say. */
int perf_strategy_from_args(const char *const *args, size_t n, perf_strategy *out, size_t *at);
/* One option of a training script, "--name value" or "--name=value" (also
 * llama-recipes' "--fsdp_config.name"): its value, "" for a bare flag, or
 * NULL when absent; the last one wins. *at (if given): its index. */
const char *perf_script_arg(const char *const *args, size_t n, const char *name, size_t *at);
/* When out does not fit: one line naming the need, the GPU's memory and
 * the largest part ("needs 17.2 GiB of 16; the largest part is every
 * layer's 16-bit weights (kept from forward to backward), 12.6 GiB"). */
void perf_oom_reason(const perf_in *in, const perf_out *out, char *buf, size_t len);

/* Every strategy for one workload: what each costs, best first. */
typedef struct perf_option {
	perf_strategy strategy;
	perf_out out;
	char why[200];            /* "" when it fits, else perf_oom_reason */
} perf_option;
/* Fills opt[PERF_NSTRATEGY] (in->strategy ignored): the strategies that
 * fit by step time (ties keep the enum's order), then those that do not.
 * Returns 0, or -1 with why in err. */
int perf_rank(const perf_in *in, perf_option opt[PERF_NSTRATEGY], char *err, size_t errlen);
/* Which of a ranked opt[] to use: the fastest that fits, or one no more
 * than PERF_TIE slower that needs less memory (the model cannot tell such
 * steps apart; headroom is worth more). -1 when none fits. */
#define PERF_TIE 0.02
int perf_recommend(const perf_option opt[PERF_NSTRATEGY]);

#endif

