/* montecarlo.h: many trials of one run, and what they say together.
 *
 * A rehearsal that draws latencies and failures is one sample; decisions
 * need the distribution. mc_run() simulates a (workflow, scenario) N
 * times, each trial with its own random stream split from the seed (so
 * the result is the same bytes whatever the number of threads), on as
 * many threads as asked, and sums them up: percentiles of makespan, cost
 * and GPU-hours, the probability of success, restarts and training lost
 * to failures, and the checkpoint interval. compare, sweep and plan call
 * it; `simulate --trials N` prints it. */
#ifndef REHEARSE_SIM_MONTECARLO_H
#define REHEARSE_SIM_MONTECARLO_H

#include <stddef.h>
#include <stdint.h>

#include "document/workflow.h"
#include "model/scenario.h"
#include "sim/simulate.h"

typedef struct mc_opts {
	int trials;                 /* >= 1 */
	int threads;                /* 0: the online CPUs */
	/* called as trials end, from one thread at a time; may be NULL */
	void (*progress)(void *ctx, int done, int total);
	void *progress_ctx;
	int no_baseline;            /* 1: skip the failure-free twin of each trial */
	int ckpt_search;            /* 1: also try checkpoint intervals around Young/Daly's */
} mc_opts;

#define MC_CKPT_TRIES 6

typedef struct mc_stat {
	double mean, p50, p90, p99, min, max;
} mc_stat;

typedef struct mc_summary {
	int trials, succeeded;
	double p_success;
	mc_stat makespan_s;         /* every trial, failed ones at their end */
	mc_stat cost_usd;           /* the bill (sim_result.cost.total_usd) */
	mc_stat gpu_hours;          /* GPU-hours provisioned */
	double restarts_mean;       /* torchrun worker-group restarts per trial */
	double gpu_hours_lost_mean; /* training lost to restarts per trial */
	double failures_mean;       /* drawn and injected failures per trial */
	/* the same trials with no drawn failures (same latency draws): the
	 * failure-free makespan's median; < 0 when skipped */
	double failure_free_p50_s;
	/* checkpointing: the job's mean time between failures (its GPUs and
	 * nodes, from the scenario's rates), one checkpoint's cost, and
	 * Young/Daly's interval sqrt(2 x cost x MTBF); 0 when unknown */
	double mtbf_s, ckpt_cost_s, young_daly_s;
	/* with ckpt_search: intervals tried (0: none, the scenario's as is,
	 * then multiples of Young/Daly's), the mean makespan of each over the
	 * first min(trials, 200) trials' seeds, its success probability, and
	 * the best of them: the least expected time to a run that finishes,
	 * mean makespan / p(success) (a failed run is run again: Wald), not
	 * the least mean makespan, which failed runs shorten */
	int ckpt_tried;
	double ckpt_interval_s[MC_CKPT_TRIES], ckpt_mean_s[MC_CKPT_TRIES];
	double ckpt_p_success[MC_CKPT_TRIES];
	double ckpt_best_s;
	uint64_t events;            /* over all trials */
} mc_summary;

/* The seed of trial i of a run seeded with `seed` (splitmix64): trials are
 * independent of each other and of the threads that run them. */
uint64_t mc_trial_seed(uint64_t seed, int i);

/* Run o->trials trials of doc on scn with the options of `base` (its seed
 * is the run's; trace is ignored). 0, or -1 with why in err (a scenario
 * that does not compile, out of memory). */
int mc_run(const wf_doc *doc, const scenario *scn, const sim_opts *base, const mc_opts *o,
	   mc_summary *out, char *err, size_t errlen);

#endif
