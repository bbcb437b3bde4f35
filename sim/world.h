/* world.h: the simulated world the processes share (private to sim/).
 *
 * Each process keeps its state here and advances by scheduling events on
 * the engine; none of them is inside the engine. Who owns what:
 *   controller.c  the Argo controller: workflow nodes (wnode), DAG and
 *                 steps, parameters, resource actions, retries, deadlines
 *   scheduler.c   kube-scheduler filter/score, the autoscaler, stuck pods
 *   storage.c     storage classes and claims: Immediate and
 *                 WaitForFirstConsumer binding, provisioning latency
 *   services.c    LoadBalancer Services and StatefulSets (etcd)
 *   pods.c        a pod's life: pull (per-node image cache), start, run
 *   training.c    torchrun ranks: rendezvous, worker start, download,
 *                 the training span
 *   simulate.c    building the world, records, trace, the summary
 * Everything is allocated in w->a and lives as long as the run. */
#ifndef REHEARSE_SIM_WORLD_H
#define REHEARSE_SIM_WORLD_H

#include <stdio.h>

#include "document/arena.h"
#include "model/scenario.h"
#include "document/workflow.h"
#include "sim/dist.h"
#include "sim/engine.h"
#include "sim/rng.h"
#include "sim/simulate.h"

typedef struct world world;
typedef struct wnode wnode;
typedef struct pod pod;
typedef struct knode knode;
typedef struct pvc pvc;
typedef struct sclass sclass;
typedef struct svc svc;
typedef struct sts sts;
typedef struct rgroup rgroup;

/* A growable array of pointers (in the world's arena). */
typedef struct vec {
	void **v;
	size_t n, cap;
} vec;
int vec_push(arena *a, vec *v, void *p);

struct knode {
	const cl_pool *pool;
	const char *name, *zone;
	int up;                 /* 0 while being created by the autoscaler */
	int down;               /* lost or NotReady: nothing is placed on it */
	double up_at, end_at;
	double cpu_used, mem_used;
	int gpu_used;
	double score_cpu, score_mem; /* requests as scoring counts them */
	vec images;             /* image names pulled or being pulled */
	vec image_ready;        /* double* ready time per image */
	size_t pool_index;
	int ran_gpu_pod;        /* a pod asking for GPUs was placed here (cost: unused nodes) */
	double plan_cpu, plan_mem; /* while not up: what the pending pods the autoscaler */
	int plan_gpu;           /* counted on it will ask (recomputed every pass) */
	vec pods;               /* pods placed here that have not ended, in no order */
};

struct sclass {
	const char *name;
	cl_binding binding;
	const char **zones;     /* zones a disk may land in; NULL: where nodes are */
	size_t nzones;
	sim_dist prov;
};

typedef enum { PVC_WAIT_CLASS, PVC_WAIT_CONSUMER, PVC_PROVISIONING, PVC_BOUND } pvc_state;

struct pvc {
	const char *name, *class_name;
	sclass *cls;
	pvc_state state;
	const char *zone;       /* set once provisioning has chosen */
	double bound_at;
	knode *attached;        /* ReadWriteOnce: the node it is attached to */
	int rwo;
	int deleted;
	double deleted_at;
	double gib;             /* requested size (cost: GiB-hours); 0 unknown */
	const char *no_class;   /* scheduler.c: the reason a pod waits on it while its class is missing */
};

typedef enum { POD_GENERIC, POD_LBWAIT, POD_RANK, POD_ETCD } pod_kind;
typedef enum { P_PENDING, P_VOLUME, P_PULL, P_START, P_RUN, P_DONE } pod_state;

struct pod {
	world *w;
	const char *name;
	pod_kind kind;
	wnode *owner;           /* the workflow node it runs, or NULL */
	sts *set;               /* StatefulSet member, or NULL */
	int ordinal;
	double cpu_m, mem_b;
	int gpus;
	const ynode *selector, *affinity, *tolerations;
	const ynode *labels;    /* metadata.labels, for pod (anti-)affinity */
	vec pvcs;
	const char *image;
	int pull_always;
	knode *node;
	size_t node_slot;       /* its index in node->pods */
	pod_state state;
	int failed;
	const char *msg;        /* last reason it waits or failed */
	double created;
	size_t rec;             /* its record */
	sim_phase phase;
	double phase_since;
	int scale_pending;      /* an upcoming node can take it (this pass) */
	int stuck;
	long gen;               /* bumps when the pod ends: stale events are ignored */
	const char *svc_name;   /* POD_LBWAIT */
	double poll_s;
	rgroup *group;          /* POD_RANK */
	double run_s;           /* POD_GENERIC: how long its work takes */
	double deadline_s;      /* activeDeadlineSeconds, 0 if none */
	const fx *start_fx;     /* a defect that stops its container at start, or NULL */
	const fx *crash_fx;     /* StatefulSet member that crash-loops: why */
	int restarts;           /* container restarts (CrashLoopBackOff) */
	double backoff_s;       /* the kubelet's next back-off */
	double crash_last;      /* last crash */
	int downloaded;         /* torchrun rank: the weights are on its node */
	int hung;               /* its node hangs: nothing on it answers */
	int lost;               /* its node is gone */
	int in_rdzv;            /* torchrun agent waiting in a rendezvous */
	double rdzv_deadline;   /* when its join timeout expires */
	int node_rank;          /* torchrun --node-rank, or its place in the group */
	const char *sigterm_end; /* after SIGTERM: end the pod with this when its processes end */
};

struct svc {
	const char *name, *type;
	double ip_at;           /* < 0: no external IP (yet) */
	int deleted;
	double created_at, deleted_at; /* cost: LoadBalancer hours */
};

struct sts {
	const char *name;
	int replicas, ready;
	const ynode *tmpl;      /* spec.template */
	const ynode *vcts;      /* spec.volumeClaimTemplates */
	const char *image;
	vec pods;
	int deleted;
	int is_etcd;
	const fx *broken;       /* a defect that keeps its pods from ever serving */
	const fx *v2_404;       /* etcd serves, but not the v2 API */
	int parallel;           /* podManagementPolicy: Parallel */
	double quorum_at;       /* < 0 until a majority is ready */
};

typedef enum { G_RDZV, G_START, G_TRAIN, G_DONE, G_FAILED } rgroup_state;

/* One torchrun job: the agents of its pods and their worker group. */
struct rgroup {
	const char *key;
	const char *tmpl;       /* the rank template (effects land on it) */
	int size;               /* --nnodes */
	int nproc;              /* --nproc-per-node */
	int needs_etcd;         /* etcd / etcd-v2 rendezvous backend */
	int c10d;               /* c10d: the store lives in the agent on the endpoint host */
	pod *store_host;        /* c10d: that agent's pod (the first to join) */
	int max_restarts;       /* --max-restarts (torchrun's default 0) */
	int restarts;           /* worker-group restarts so far */
	int failures;           /* worker-group failures (the last may not restart) */
	double monitor_s;       /* --monitor-interval (default 0.1 s) */
	double join_timeout_s;  /* --rdzv-conf join_timeout, else the scenario's */
	rgroup_state state;
	long round;             /* bumps at every restart: older events are ignored */
	vec members;            /* agents in the current rendezvous round */
	vec waiting;            /* agents up, waiting for etcd to serve */
	int formed, started;
	double formed_at, first_step;
	int ready;
	double train_s;         /* training work: seconds of steps, checkpoints apart */
	double saved_s;         /* work the last checkpoint holds */
	double seg_start;       /* the current training segment began */
	double seg_end;         /* and ends, if nothing fails first */
	double step_s;          /* one optimizer step */
	double ckpt_every_s, ckpt_write_s, ckpt_read_s;
	int oom;                /* the perf model: the first step runs out of memory */
	const char *oom_why;
	const fx *crash_fx;     /* a defect that crashes the workers at the first step */
	const fx *never_fx;     /* a defect that keeps the agents from meeting */
	int repeat_rank;        /* an injected worker exit that comes back: its rank */
	int repeats;            /* and how many more times */
	const char *repeat_why;
	double lost_gpu_s;      /* training GPU-seconds lost to restarts */
	long notice_round;      /* a checkpoint begun on SIGTERM in this round (-1: none) */
	double notice_saved_s;  /* and the training it will hold */
	double mtbf_s;          /* of its nodes while training, at the scenario's rates */
	int failed, done;
	int live_pods;          /* its pods that have not ended */
	long steps;
	perf_strategy strategy; /* as the training script's arguments choose it, */
	int strategy_set;       /* if they do (strategy_arg: the one that said) */
	const char *strategy_arg;
};

typedef enum { N_WAIT, N_RUN, N_DONE } wnode_state;

struct wnode {
	world *w;
	size_t id;              /* its index in world.wnodes */
	const wf_template *t;
	const wf_task *task;    /* the task or step that made it, or NULL */
	const wf_doc *scope;    /* the document whose templates `template:` names in it: a
				 * templateRef'd template calls those of its WorkflowTemplate */
	const char *name;
	wnode *parent;
	int depth;
	size_t rec;
	wnode_state state;
	const char *phase;      /* when done: Succeeded, Failed, Omitted, Skipped */
	const char *msg;
	vec in_names, in_vals;  /* inputs.parameters */
	vec out_names, out_vals;/* outputs.parameters */
	const char *result;     /* outputs.result when drawn (see controller.c: when), or NULL */
	const char *item;       /* withItems value */
	vec kids;               /* dag: one per task (NULL until started); steps: all */
	struct task_deps *deps; /* dag: per task, the tasks its depends names (controller.c) */
	size_t started_upto;    /* dag: the kids before it have all started */
	size_t done_upto;       /* dag: the kids before it have all ended */
	size_t group;           /* steps: groups started */
	size_t gstart;          /* steps: where the running group's kids begin */
	int fanout;             /* withItems / withSequence: kids are the items */
	int par_limit;          /* template parallelism: leaves running under it at once */
	int par_running;
	int admitted;           /* a leaf holding a parallelism slot */
	int fail_fast_hit;
	pod *pod;
	int attempt, retry_limit;
	int exit_handler;
	const char *retry_policy;
	double deadline_s;
	double backoff_s;
};

struct world {
	arena *a;
	sim_engine *e;
	sim_rng rng;
	sim_rng frng;           /* failures draw from their own stream: a failure-free twin
				 * of a run draws the same latencies */
	sim_rng orng;           /* outputs only a real run knows (a coin flip's result), drawn
				 * for a `when`: their own stream, so latencies stay as they were */
	int when_subst;         /* 1: substituting a `when`: placeholder outputs stay unresolved */
	const wf_doc *doc;
	const scenario *scn;
	const cl_cluster *cl;
	sim_opts opts;
	sim_result *res;
	vec recs;               /* sim_record* */
	vec problems, notes, trace;
	vec failures;           /* sim_failure*, in time order: the first SIM_MAX_FAILURES */
	size_t failures_unlisted; /* and how many came after those */
	uint64_t *seen;         /* hashes of the notes, problems and failures said */
	size_t nseen, seen_cap;
	vec knodes, pods, pvcs, classes, svcs, stss, groups;
	sim_dist lb_ip, pod_start, resource_action, container_run, etcd_ready;
	sim_dist hub_mbps, worker_start, model_load, duration, step_s;
	sim_dist *scale_up;     /* per pool, in cluster order */
	int nodes_from, nodes_to;
	const wf_template *rank_tmpl;
	wnode *root;            /* the entrypoint */
	wnode *exit_node;
	const char *wf_status;  /* set when the workflow ends */
	double wf_end;
	int stuck;              /* 1: stopped because something can never run */
	int stuck_until_deadline; /* 1: something can never run; the deadline ends it */
	sim_cut cut;            /* a cap stopped the simulation (simulation_run) */
	double horizon;         /* the clock goes no further (SIM_HORIZON_S or opts.max_time) */
	double wf_deadline_at;
	double deadline_ahead;  /* the latest deadline or timeout scheduled */
	int oom;
	int sched_queued;       /* a scheduling pass is queued */
	vec pending;            /* pods a pass may still try, oldest first (scheduler.c) */
	vec soon;               /* nodes the autoscaler asked for that are not up yet, in knodes order */
	int *pool_nodes;        /* per pool, in cluster order: its nodes not down */
	unsigned long placed;   /* placements so far: what a pass learned of a pod holds until this moves */
	vec taint_why;          /* scheduler.c: each taint's filter reason, made once */
	int par_limit, par_running; /* spec.parallelism */
	vec deferred;           /* leaves waiting for a parallelism slot, in order */
	vec wnodes;             /* every workflow node, by id */
	char wfname[128];
};

/* simulate.c */
void w_trace(world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void w_note(world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void w_problem(world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
size_t w_record(world *w, sim_rec_kind kind, const char *name, const char *tmpl,
		const char *what, int depth);
sim_record *w_rec(world *w, size_t i);
double w_draw(world *w, const sim_dist *d);
void w_workflow_done(world *w, const char *status);
void w_stop_stuck(world *w);
/* A deadline or timeout fires at t: stuck work waits for it. */
void w_deadline_ahead(world *w, double t);
/* Something failed now: record it (once per who and what) with the defect
 * behind it (NULL if none) and what the run had burned by then. */
void w_failure(world *w, const fx *cause, const char *who, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The effect of `kind` on template t (or on any template when t is NULL
 * and `any`), from the run's lint findings; NULL if none. */
const fx *w_effect(world *w, const char *tmpl, rule_effect kind);
/* GPU-seconds and dollars of node time from submission to t. */
void w_burned(world *w, double t, double *gpu_s, double *cost);

/* controller.c */
int ctl_start(world *w);
void ctl_pod_done(world *w, pod *p);
const char *ctl_subst(world *w, wnode *ctx, const char *s);
void ctl_on_stuck(world *w);

/* scheduler.c */
knode *sched_add_node(world *w, const cl_pool *pool, const char *zone, int up);
void sched_kick(world *w);      /* something changed: try pending pods soon */
void sched_release(world *w, pod *p);
void sched_node_down(world *w, knode *n); /* lost, NotReady or shutting down: nothing lands on it */

/* storage.c */
void sto_init(world *w);
sclass *sto_class(world *w, const char *name);
sclass *sto_create_class(world *w, const char *name, const ynode *manifest, char *err, size_t errlen);
pvc *sto_claim(world *w, const char *name, const char *class_name, int rwo);
/* The claim's size from a PVC spec's resources.requests.storage (for cost). */
void sto_size(pvc *c, const ynode *spec);
pvc *sto_find(world *w, const char *name);
int sto_delete(world *w, const char *kind, const char *name); /* 0, or -1: no such object */
/* The pod was placed on node: start provisioning what waited for it.
 * Returns when the last of its volumes will be ready. */
double sto_bind_for_pod(world *w, pod *p, knode *n);

/* services.c */
svc *svc_create(world *w, const char *name, const char *type);
svc *svc_find(world *w, const char *name);
sts *sts_create(world *w, const ynode *manifest, char *err, size_t errlen);
sts *sts_find(world *w, const char *name);
void sts_pod_ready(world *w, pod *p);
int svc_delete(world *w, const char *kind, const char *name);
double etcd_available_at(world *w); /* < 0: no etcd quorum (yet) */

/* pods.c */
pod *pod_new(world *w, const char *name, pod_kind kind, wnode *owner, size_t rec);
void pod_fill_from_spec(world *w, pod *p, const ynode *container, const ynode *podspec);
void pod_submit(world *w, pod *p);
void pod_placed(world *w, pod *p, knode *n);
void pod_set_phase(world *w, pod *p, sim_phase ph);
void pod_finish(world *w, pod *p, int failed, const char *msg);
void pod_kill(world *w, pod *p, const char *msg);

/* faults.c: injected what-ifs (and drawn failures) as events */
int faults_start(world *w);
/* Arm the drawn failures of the group's nodes for the training segment
 * that starts now and lasts horizon seconds. */
void faults_arm(world *w, rgroup *g, double horizon);
/* p's node is gone now (a preemption, an injected loss): why says how. */
void faults_node_loss(world *w, pod *p, const char *why);
/* p's node is preempted now with the provider's notice (failures.spot_notice):
 * its pods get SIGTERM, the VM stops when the notice ends. */
void faults_preempt(world *w, pod *p, const char *why);
/* The earliest time rank r's agent may join (--inject join-late; INFINITY:
 * never), 0 if no what-if holds it back. */
double faults_join_after(world *w, int rank);

/* training.c */
void trn_agent_started(world *w, pod *p);
void trn_etcd_up(world *w);             /* etcd began to serve: waiting agents join */
void trn_pod_gone(world *w, pod *p);    /* a rank's pod ended before training did */
/* The workers of p's node fail now (a crash, an OOM, an injected exit, a
 * peer's connection reset): the agents restart the whole group. */
void trn_worker_fail(world *w, pod *p, const fx *cause, const char *why);
void trn_node_hang(world *w, pod *p);   /* p's node stops answering, connections stay open */
void trn_node_lost(world *w, pod *p);   /* p's node is gone: its connections reset */
/* p's processes get SIGTERM with grace_s to go (a preemption notice, a pod
 * deleted): the workers write a checkpoint first if the scenario says the
 * script does and it fits, then end (their peers fail at once); with
 * end_msg, the pod ends then, failed with it. */
void trn_sigterm(world *w, pod *p, double grace_s, const char *end_msg);
/* The run is cut off at the horizon: say which groups were training and
 * would end past it, and how long their training takes; how many. */
int trn_past_horizon(world *w);
rgroup *trn_group(world *w, const char *key, int size, int nproc);

#endif
