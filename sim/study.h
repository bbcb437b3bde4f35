/* study.h: one case of a decision -- a workflow, a scenario and what-ifs.
 *
 * compare, sweep and plan ask the same question many times: "what if this
 * workflow ran on that scenario with N nodes, these GPUs, this
 * micro-batch, spot VMs?". A case names the inputs and the changes; a run
 * loads them, applies the changes the way a person would (the torchrun
 * fan-out re-scaled as `fix --nodes` does, fixed GPU pools sized to the
 * fan-out, the GPU machine type swapped in from model/machine.h with the
 * pods' accelerator nodeSelector following it), simulates, and keeps the
 * result and the perf model's view of a step. The CLI and the reports
 * read runs; nothing here prints. */
#ifndef REHEARSE_SIM_STUDY_H
#define REHEARSE_SIM_STUDY_H

#include <stddef.h>
#include <stdint.h>

#include "document/diag.h"
#include "document/workflow.h"
#include "model/perf.h"
#include "model/scenario.h"
#include "sim/simulate.h"

typedef struct study_case {
	const char *label;          /* column header; NULL: made from the changes */
	const char *workflow;       /* path */
	const char *scenario;       /* path */
	int nodes;                  /* > 0: re-scale the torchrun fan-out to this */
	int keep_pool;              /* 1: leave fixed GPU pools as the scenario sizes them */
	const char *gpu;            /* machine catalog name ("h100"), NULL: the scenario's */
	int micro_batch;            /* > 0: the workload's micro-batch */
	int spot;                   /* -1: as the scenario; 0 on-demand; 1 spot */
	uint64_t seed;
} study_case;

typedef struct study_run study_run;

/* Load, change and simulate one case. NULL when the inputs cannot be used:
 * findings with positions in d, or why in err. A run that was cut off by
 * a cap is still returned (its result says so). */
study_run *study_run_case(const study_case *c, diag_list *d, char *err, size_t errlen);
const sim_result *study_result(const study_run *r);
const char *study_label(const study_run *r);
/* What `rehearse lint` says of the workflow as given (before any change). */
const diag_list *study_findings(const study_run *r);
/* The perf model's view of one step of the run's torchrun group on its
 * GPU pool; 0, or -1 when the workload or pool gives it nothing to go on. */
int study_perf(const study_run *r, perf_out *o);
/* The GPU machine of the run's GPU pool ("n1-highmem-32") and its GPU label. */
const char *study_machine(const study_run *r);
const char *study_gpu(const study_run *r);
int study_micro_batch(const study_run *r);
double study_nic_gbps(const study_run *r);
void study_run_free(study_run *r);

/* Trials: the case simulated again n times, each with its own seed split
 * from the case's (splitmix64), on the same inputs and changes, so the
 * scenario's latency distributions (and whatever else the simulator draws)
 * vary from trial to trial. The same seed gives the same trials. A trial
 * succeeds when the workflow does and the perf model says its step fits.
 * This is the seam for the Monte Carlo of failures: trials run whatever
 * the simulator models. Returns 0, or -1 with err. */
typedef struct study_trial {
	uint64_t seed;
	int ok;
	char status[16];
	double makespan, cost;
} study_trial;

typedef struct study_mc {
	int trials, succeeded;
	double p_success;
	double p50_makespan, p90_makespan;
	double mean_cost, p90_cost;
} study_mc;

int study_trials(study_run *r, int n, study_mc *mc, char *err, size_t errlen);
/* The last study_trials' rows (NULL, 0 before). */
const study_trial *study_trial_rows(const study_run *r, int *n);

/* Decisions over many runs, each given by its time and cost (ok[i] 0:
 * the run failed, it takes no part). The time/cost Pareto front: front[i]
 * is 1 when no other ok run is at least as fast and as cheap and better
 * in one. Returns how many are on it. */
size_t study_pareto(const double *time, const double *cost, const int *ok, size_t n, int *front);
/* The knee of the front: the run on it whose time and cost, each over
 * the best on the front, have the smallest sum (a balanced choice, not
 * the fastest nor the cheapest at any price); -1 when the front is empty. */
long study_knee(const double *time, const double *cost, const int *front, size_t n);
/* The cheapest ok run with time <= deadline and cost <= budget (budget
 * <= 0: none); ties to the faster. -1 when none. */
long study_cheapest_within(const double *time, const double *cost, const int *ok, size_t n,
			   double deadline, double budget);

/* Building blocks, also used by `simulate`:
 * the document to run, from the first file loaded: a Workflow, else a
 * CronWorkflow, else a template with an entrypoint (wf_set_join then
 * joins in a workflowTemplateRef); */
const wf_doc *study_pick_doc(const wf_set *s);
/* re-scale the first torchrun job of doc to n pods: the set to simulate (s
 * itself when nothing changes, else a reloaded copy the caller frees too),
 * or NULL with err; *from gets the job's pod count; */
wf_set *study_rescale(wf_set *s, const wf_doc *doc, int n, int *from, char *err, size_t errlen);
/* size the fixed GPU pool the rank pods of doc run on to hold its ranks
 * (one such pool; autoscaling pools are left to the autoscaler). Says what
 * changed in note (empty when nothing did). Returns 0, or -1 when there is
 * no single fixed GPU pool to size (note says why). */
int study_fit_pools(scenario *scn, const wf_doc *doc, int ranks, char *note, size_t notelen);

#endif
