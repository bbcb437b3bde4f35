/* scenario.h: a scenario file -- the cluster and workload a simulation runs.
 *
 * A scenario is YAML (files in scenarios/). Its top-level keys:
 *   scenario:     a name;  description: one line
 *   nodes:        optional torchrun node count to re-scale the workflow to
 *                 (the same as `simulate --nodes N`)
 *   cluster:      node pools, storage classes, load balancer, images and
 *                 the latencies of the control plane (see model/cluster.h)
 *   workload:     what the training container does (model, method, data,
 *                 batch, epochs, download, start-up, training length)
 * Every figure a scenario gives should cite ../shared/facts.md or say it is
 * a guess; the loader's own defaults do (see scenario.c). Errors carry
 * file:line:col. A scenario owns one arena; scn_free releases it all. */
#ifndef REHEARSE_SCENARIO_H
#define REHEARSE_SCENARIO_H

#include <stddef.h>

#include "document/arena.h"
#include "model/cluster.h"
#include "model/perf.h"
#include "document/diag.h"

typedef struct scn_workload {
	const char *model, *method;     /* "llama-2-7b", "lora" (for perf and reports) */
	double dataset_tokens;
	int seq, micro_batch, accumulation, epochs;
	double checkpoint_interval_s;   /* 0: none modelled */
	double model_gb;                /* weights to download per node */
	cl_latency hub_mbps;            /* download bandwidth, MB/s */
	cl_latency worker_start;        /* import torch & co. before the first step */
	cl_latency model_load;          /* weights from disk to GPU */
	double join_timeout_s;          /* rendezvous join timeout */
	double pg_timeout_s;            /* process-group timeout: a hung peer is noticed after it */
	/* The training phase: a duration, or steps x step time. */
	cl_latency duration;            /* spec NULL when steps are given */
	long steps;                     /* 0: not given */
	cl_latency step_s;
	int use_perf;                   /* 1: step time from the perf model (model/perf.h) */
	int grad_ckpt;                  /* activation checkpointing (for perf) */
	int lora_rank;                  /* LoRA rank (for perf), default 8 */
	unsigned lora_targets;          /* LoRA targets (for perf), 0: q_proj and v_proj */
	int fp32_master;                /* fp32 weights and optimizer state (for perf) */
	perf_strategy strategy;         /* data parallelism (for perf) when the workflow's
	                                 * training arguments name none; default full-shard */
	int strategy_set;               /* 1: the scenario gave it */
} scn_workload;

/* Failures a run draws (scenario `failures:`): rates per hour, each a
 * sourced default when not given (the loader notes which). */
typedef struct scn_failures {
	double gpu_rate;                /* unexpected interruptions per GPU-hour */
	double spot_rate;               /* preemptions per spot node-hour */
	double spot_notice_s;           /* the provider's notice before a preemption */
	double checkpoint_mbps;         /* checkpoint write/read, MB/s */
	int checkpoint_on_notice;       /* the script writes a checkpoint on SIGTERM */
} scn_failures;

typedef struct scenario {
	const char *file, *name, *description;
	int nodes;                      /* 0: keep the workflow's fan-out */
	const ynode *nodes_node;
	cl_cluster cluster;
	scn_workload workload;
	scn_failures failures;
	const char **notes;             /* assumptions and limits the loader noted (with key paths) */
	size_t nnotes;
	arena *arena;
} scenario;

/* Load a scenario file. Findings (syntax, unknown keys, bad values) go to
 * d with positions. Returns the scenario, or NULL when it cannot be used:
 * then d holds why, or err does for I/O and memory errors. */
/* path "-" reads standard input (named "<stdin>" in messages). */
scenario *scn_load_file(const char *path, diag_list *d, char *err, size_t errlen);
scenario *scn_load_mem(const char *name, const char *buf, size_t len, diag_list *d,
		       char *err, size_t errlen);
void scn_free(scenario *s);

#endif
