/* gpu.h: the GPU catalog -- what a training step can get out of each GPU.
 *
 * Dense tensor-core peak for the training precision (fp16 on V100, which
 * has no bf16; bf16 elsewhere), memory size and bandwidth, and the link
 * between GPUs of one node. Figures are vendor datasheets, as collected
 * in ../shared/facts.md; each row says so (or says it is a guess). */
#ifndef REHEARSE_GPU_H
#define REHEARSE_GPU_H

#include <stddef.h>

typedef struct gpu_spec {
	const char *name;        /* "h100", "v100-16", ... */
	const char *label;       /* "H100 SXM 80 GB" */
	double peak_flops;       /* dense fp16/bf16 tensor FLOP/s */
	int bf16;                /* 0: trains in fp16 */
	double mem_bytes;        /* memory size, bytes (GB as sold: 10^9) */
	double mem_bw;           /* bytes/s */
	double link_bw;          /* GPU-to-GPU within a node, bytes/s per GPU, one direction */
	const char *link;        /* "NVLink 4", "PCIe 4" */
} gpu_spec;

/* A GPU by name (case-insensitive; "h100" is the SXM part), or NULL. */
const gpu_spec *gpu_find(const char *name);
/* The catalog entry for a GPU as a cloud or a scenario names it
 * ("V100-SXM2-16GB", "nvidia-tesla-v100", "A100-SXM4-80GB", "H100 80GB PCIe"), or NULL. */
const gpu_spec *gpu_from_label(const char *label);
size_t gpu_count(void);
const gpu_spec *gpu_at(size_t i);

#endif
