/* simulate.h: run one workflow on one scenario and say what would happen.
 *
 * The public face of the simulator for the CLI and the reports. A run
 * builds the world (nodes, storage, the Argo controller) as clients of the
 * engine (sim/engine.h), runs it to the end, and leaves a result: one
 * record per workflow node and per pod with its times and phases, a
 * summary, the problems that stopped progress, and (with trace) every
 * event. Same inputs and seed, same result, byte for byte. */
#ifndef REHEARSE_SIM_SIMULATE_H
#define REHEARSE_SIM_SIMULATE_H

#include <stddef.h>
#include <stdint.h>

#include "document/diag.h"
#include "model/scenario.h"
#include "document/workflow.h"
#include "validate/effects.h"

/* How far the simulated clock follows a run: ten times the longest span a
 * scenario may give (model/limits.h lim_seconds: 1e8 s, about three years),
 * so a run of that span ends inside it with its set-up, its restarts and
 * the work they repeat. 1e9 s is about 31.7 years; a double still counts
 * its microseconds there. */
#define SIM_HORIZON_S 1e9
/* How many distinct failures a result lists (the rest it counts): a run of
 * months with a failure an hour restarts thousands of times. */
#define SIM_MAX_FAILURES 1000
/* How many events one run may handle: a model that never settles stops. */
#define SIM_MAX_EVENTS 10000000

/* Where a pod's time goes. */
typedef enum {
	SIM_PH_SCHEDULE,   /* pending: no node yet (scale-up included) */
	SIM_PH_SCALE_UP,   /* the part of pending spent waiting for a new node */
	SIM_PH_VOLUME,     /* scheduled, waiting for its volumes */
	SIM_PH_PULL,       /* image pull */
	SIM_PH_START,      /* container create and start */
	SIM_PH_RUN,        /* an ordinary container's work (or a poll loop) */
	SIM_PH_RENDEZVOUS, /* torchrun agent waiting for all nodes */
	SIM_PH_WORKER,     /* workers importing torch and friends */
	SIM_PH_DOWNLOAD,   /* model weights from the Hub */
	SIM_PH_LOAD,       /* weights into GPU memory */
	SIM_PH_SYNC,       /* ready, waiting for the slowest rank */
	SIM_PH_TRAINING,   /* training steps */
	SIM_PH_COUNT
} sim_phase;

const char *sim_phase_name(sim_phase p);

typedef enum { SIM_REC_NODE, SIM_REC_POD } sim_rec_kind;

/* One workflow node (DAG task, step, template) or one pod outside the
 * workflow's own nodes (a StatefulSet member). Times are seconds from
 * submission; end < 0 when it never ended. */
typedef struct sim_record {
	sim_rec_kind kind;
	const char *name;       /* "finetune-rank-0", "etcd-1" */
	const char *tmpl;       /* template name, or owner ("sts/etcd") for pods */
	const char *what;       /* "container", "resource create StorageClass/ssd", "dag" */
	int depth;              /* nesting under the entrypoint */
	int attempt;            /* 0, then 1.. for retries */
	double start, end;
	const char *status;     /* Succeeded, Failed, Omitted, Running, Pending */
	const char *message;    /* why it failed or waits; "" if none */
	const char *node, *zone;/* where its pod ran; NULL if no pod */
	double phase[SIM_PH_COUNT];
	int gpus;
} sim_record;

typedef struct sim_trace_line {
	double t;
	const char *text;
} sim_trace_line;

/* Storage billed per class: GiB-hours of bound disks and their price. */
typedef struct sim_storage_cost {
	const char *cls;
	double gib_hours, usd, price_gib_month;
} sim_storage_cost;

/* What the run would be billed, line by line, and the GPU time it wastes.
 * Everything is counted from submission to the workflow's end (or the
 * stop): nodes from when they are Ready, disks from when they are bound
 * until deleted, LoadBalancers from creation until deleted. */
typedef struct sim_cost {
	double gpu_node_hours, gpu_usd;   /* GPU pools' nodes */
	int gpu_spot;                     /* 1: a GPU pool is billed at spot prices */
	double cpu_node_hours, cpu_usd;   /* pools without GPUs */
	sim_storage_cost *storage;        /* one per storage class that held a disk */
	size_t nstorage;
	double storage_usd;
	double lb_hours, lb_usd;          /* LoadBalancer Services */
	double cluster_hours, cluster_usd;/* the managed control plane's fee */
	double total_usd;
	/* Waste: GPU time not spent in training steps, and its share of the
	 * GPU nodes' bill; by what the rank pod on the GPU was doing, plus the
	 * time GPU nodes held no rank pod at all (before placement, after the
	 * end, nodes a fixed pool holds but the run never uses). */
	double idle_gpu_hours, idle_gpu_usd;
	double idle_phase_gpu_hours[SIM_PH_COUNT];
	double idle_empty_gpu_hours;
	int gpu_nodes, unused_gpu_nodes;  /* GPU nodes up; of them never ran a GPU pod */
	double unused_gpu_usd;
	/* per unit of work; < 0 when the run did not finish training */
	double per_epoch_usd, per_mtokens_usd;
	double tokens;                    /* trained (dataset tokens x epochs), 0 unknown */
	int epochs;
} sim_cost;

/* Something that failed during the run: a defect lint knows (rule and
 * position of its finding), the perf model's out of memory, or an
 * injected or drawn failure. gpu_s and cost: what the run had burned by
 * then (GPU-seconds and dollars of node time since submission). */
typedef struct sim_failure {
	double t;
	const char *who;            /* the pod, step or object that failed */
	const char *what;           /* what happened, as the cluster would say it */
	const char *rule;           /* the lint rule behind it, or NULL */
	const char *file;           /* where its finding is (or the scenario's key) */
	unsigned line, col;
	double gpu_s, cost;
} sim_failure;

/* Whether a cap stopped the simulation before the run ended by itself. */
typedef enum {
	SIM_CUT_NONE,
	SIM_CUT_HORIZON, /* the next event lay past the horizon: results stop there */
	SIM_CUT_EVENTS   /* SIM_MAX_EVENTS (or opts.max_events) were handled */
} sim_cut;

typedef struct sim_result {
	const char *workflow, *scenario;
	uint64_t seed;
	int nodes_from, nodes_to;   /* torchrun fan-out before and after re-scaling */
	const char *status;         /* Succeeded, Failed, Error, Stuck (nothing left can happen),
				     * CutOff (the run had not ended at a cap: see cut) */
	sim_cut cut;                /* what cut the simulation off, if anything */
	double horizon;             /* the simulated clock's end (seconds) */
	double cut_at;              /* cut off: where the clock stopped (the horizon, or the last
				     * event handled under the event cap) */
	double next_event;          /* cut off: when the next event was due (INFINITY: none) */
	double makespan;            /* submission to the workflow's end (or the stop, or the cut) */
	double first_step;          /* first training step, < 0 if none */
	double training_end;        /* < 0 if training never ended */
	double gpu_s_provisioned;   /* GPU-seconds of GPU nodes up until the end */
	double gpu_s_training;      /* GPU-seconds spent in training steps */
	double node_cost;           /* $ for node time until the end */
	sim_cost cost;              /* the whole bill, line by line */
	int nproc;                  /* --nproc-per-node of the torchrun group */
	long steps;                 /* optimizer steps of the training span, 0 unknown */
	double phase_rank_mean[SIM_PH_COUNT]; /* mean over rank pods */
	int ranks;                  /* rank pods that ran (last attempts) */
	int nodes_added;            /* by the autoscaler */
	uint64_t events;
	sim_record *rec;
	size_t nrec;
	sim_failure *failures;      /* in time order; the first is what failed first */
	size_t nfailures;           /* at most SIM_MAX_FAILURES, */
	size_t failures_unlisted;   /* then the rest are counted */
	int restarts;               /* torchrun worker-group restarts */
	double gpu_s_lost;          /* GPU-seconds of training lost to restarts */
	double job_mtbf_s;          /* the training job's mean time between failures (its GPUs
				     * and spot nodes at the scenario's rates); 0 unknown */
	double ckpt_write_s;        /* one checkpoint write of the job; 0 unknown */
	const char **problems;      /* why something failed or is stuck */
	size_t nproblems;
	const char **notes;         /* assumptions the run made */
	size_t nnotes;
	sim_trace_line *trace;      /* only with opts.trace */
	size_t ntrace;
} sim_result;

/* A what-if injected into a run (`--inject 'node-loss rank-1 at 30m'`). */
typedef enum {
	SIM_INJ_NODE_LOSS,   /* the node of a rank is gone: its processes die, connections reset */
	SIM_INJ_NODE_HANG,   /* the node of a rank hangs: connections stay open, nothing answers */
	SIM_INJ_WORKER_EXIT, /* a worker of a rank exits non-zero (x N: it comes back N times) */
	SIM_INJ_POD_KILL,    /* the pod of a rank is deleted (kubectl delete): SIGTERM, its processes end */
	SIM_INJ_PREEMPT,     /* the node of a rank is preempted with the provider's notice */
	SIM_INJ_JOIN_LATE    /* the agent of a rank joins no earlier than `at` (INFINITY: never) */
} sim_inject_kind;

typedef struct sim_inject {
	sim_inject_kind kind;
	int rank;                   /* torchrun node rank */
	double at;                  /* seconds from submission (join-late: INFINITY for never) */
	int times;                  /* worker-exit: how many times (1..) */
	char text[96];              /* as given, for the report */
} sim_inject;

/* Parse "KIND rank-N at TIME [xN]" (TIME: 90, 90s, 30m, 1h, 2d; `never`
 * for join-late). 0, or -1 with why in err. */
int sim_inject_parse(const char *s, sim_inject *out, char *err, size_t errlen);

typedef struct sim_opts {
	uint64_t seed;
	int nodes;                  /* > 0: the fan-out was re-scaled to this (for reports) */
	int nodes_from;             /* then: its size before (for reports) */
	int trace;                  /* keep every event */
	uint64_t max_events;        /* 0: default cap (SIM_MAX_EVENTS) */
	double max_time;            /* 0: default horizon (SIM_HORIZON_S) */
	const char *const *notes;   /* changes made to the inputs before the run, said among */
	size_t nnotes;              /* its assumptions (a pool re-sized, a GPU swapped in) */

	const fx_list *effects;     /* lint's findings as effects (validate/effects.h), or NULL */
	const sim_inject *inject;   /* what-ifs to play, or NULL */
	size_t ninject;
	int no_failures;            /* 1: draw no failures and play no what-ifs (a failure-free twin) */
	double checkpoint_interval_s; /* > 0: instead of the scenario's workload.checkpoint_interval;
				     * < 0: no checkpoints */
} sim_opts;

typedef struct simulation simulation;

/* Prepare a run of doc on scn (re-scaling happens before, on the
 * workflow: cli/cmd_simulate.c uses model/rescale). Problems with the
 * inputs (a distribution that does not parse, no entrypoint) go to d with
 * positions, or to err; then NULL. */
simulation *simulation_new(const wf_doc *doc, const scenario *scn, const sim_opts *o,
			   diag_list *d, char *err, size_t errlen);
/* Run to the end. Returns 0, or -1 with a message in err (out of memory,
 * a runaway model stopped by the caps). The result is complete either way. */
int simulation_run(simulation *s, char *err, size_t errlen);
const sim_result *simulation_result(const simulation *s);
void simulation_free(simulation *s);

#endif
