/* montecarlo.c: N trials of one run on a few threads (montecarlo.h).
 *
 * Each trial is a whole simulation with its own seed, split from the run's
 * seed by trial index (splitmix64), so which thread runs which trial does
 * not matter: the trials' results land in an array by index and the
 * summary is computed from the array. Threads take trial indices from a
 * shared counter. A trial's failure-free twin runs the same seed with no
 * drawn failures or what-ifs: failures draw from their own stream, so the
 * twin's latencies are the trial's own and the pair differs only by what
 * the failures cost. */
#include "sim/montecarlo.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

uint64_t mc_trial_seed(uint64_t seed, int i)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

typedef struct trial {
	double makespan, cost, gpu_h, lost_h, ff_makespan, mtbf, ckpt;
	int ok, restarts, failures;
	uint64_t events;
	int err;
} trial;

typedef struct job {
	const wf_doc *doc;
	const scenario *scn;
	sim_opts base;
	const mc_opts *o;
	trial *t;
	atomic_int next;
	int done;
	pthread_mutex_t mu;
	int failed;
	char err[320];
} job;

/* One simulation; 0, or -1 with why in err. */
static int simulate_one(job *j, uint64_t seed, int twin, trial *t, char *err, size_t errlen)
{
	sim_opts so = j->base;
	so.seed = seed;
	so.trace = 0;
	if (twin) {
		so.no_failures = 1;
		so.ninject = 0;
		so.inject = NULL;
	}
	diag_list *d = diag_list_new();
	simulation *s = d ? simulation_new(j->doc, j->scn, &so, d, err, errlen) : NULL;
	diag_list_free(d);
	if (!s) {
		if (!err[0])
			snprintf(err, errlen, "the scenario does not compile (run `rehearse simulate` once)");
		return -1;
	}
	char rerr[256];
	if (simulation_run(s, rerr, sizeof rerr) && !strncmp(rerr, "out of memory", 13)) {
		snprintf(err, errlen, "%s", rerr);
		simulation_free(s);
		return -1;
	}
	const sim_result *r = simulation_result(s);
	if (twin) {
		t->ff_makespan = r->makespan;
	} else {
		t->makespan = r->makespan;
		t->cost = r->cost.total_usd;
		t->gpu_h = r->gpu_s_provisioned / 3600;
		t->lost_h = r->gpu_s_lost / 3600;
		t->ok = !strcmp(r->status, "Succeeded");
		t->restarts = r->restarts;
		t->failures = (int)(r->nfailures + r->failures_unlisted);
		t->events = r->events;
		t->mtbf = r->job_mtbf_s;
		t->ckpt = r->ckpt_write_s;
	}
	simulation_free(s);
	return 0;
}

static void *worker(void *arg)
{
	job *j = arg;
	char err[256];
	for (;;) {
		int i = atomic_fetch_add(&j->next, 1);
		if (i >= j->o->trials)
			break;
		uint64_t seed = mc_trial_seed(j->base.seed, i);
		err[0] = 0;
		int bad = simulate_one(j, seed, 0, &j->t[i], err, sizeof err);
		if (!bad && !j->o->no_baseline)
			bad = simulate_one(j, seed, 1, &j->t[i], err, sizeof err);
		pthread_mutex_lock(&j->mu);
		if (bad && !j->failed) {
			j->failed = 1;
			snprintf(j->err, sizeof j->err, "trial %d: %s", i, err);
		}
		j->done++;
		if (j->o->progress)
			j->o->progress(j->o->progress_ctx, j->done, j->o->trials);
		pthread_mutex_unlock(&j->mu);
		if (bad) {
			atomic_store(&j->next, j->o->trials); /* stop the others soon */
			break;
		}
	}
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Nearest-rank percentiles of v (sorted in place). */
static mc_stat stat_of(double *v, int n)
{
	mc_stat s = {0};
	if (n <= 0)
		return s;
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += v[i];
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	s.mean = sum / n;
	s.min = v[0];
	s.max = v[n - 1];
	int k50 = (int)ceil(0.50 * n) - 1, k90 = (int)ceil(0.90 * n) - 1, k99 = (int)ceil(0.99 * n) - 1;
	s.p50 = v[k50 < 0 ? 0 : k50];
	s.p90 = v[k90 < 0 ? 0 : k90];
	s.p99 = v[k99 < 0 ? 0 : k99];
	return s;
}

static int ckpt_search(const wf_doc *doc, const scenario *scn, const sim_opts *base, const mc_opts *o,
		       mc_summary *out, char *err, size_t errlen);

int mc_run(const wf_doc *doc, const scenario *scn, const sim_opts *base, const mc_opts *o,
	   mc_summary *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	if (o->trials < 1) {
		snprintf(err, errlen, "trials must be at least 1");
		return -1;
	}
	int n = o->trials;
	job j = {.doc = doc, .scn = scn, .base = *base, .o = o};
	j.t = calloc((size_t)n, sizeof *j.t);
	double *v = malloc((size_t)n * sizeof *v);
	if (!j.t || !v) {
		free(j.t);
		free(v);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	atomic_init(&j.next, 0);
	pthread_mutex_init(&j.mu, NULL);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int threads = o->threads > 0 ? o->threads : cpus > 0 ? (int)cpus : 1;
	if (threads > n)
		threads = n;
	if (threads > 256)
		threads = 256;
	pthread_t tid[256];
	int started = 0;
	for (int i = 1; i < threads; i++) {
		if (pthread_create(&tid[started], NULL, worker, &j))
			break; /* fewer threads: the same result, later */
		started++;
	}
	worker(&j);
	for (int i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	pthread_mutex_destroy(&j.mu);
	if (j.failed) {
		snprintf(err, errlen, "%s", j.err);
		free(j.t);
		free(v);
		return -1;
	}
	out->trials = n;
	double restarts = 0, lost = 0, fails = 0;
	for (int i = 0; i < n; i++) {
		out->succeeded += j.t[i].ok;
		restarts += j.t[i].restarts;
		lost += j.t[i].lost_h;
		fails += j.t[i].failures;
		out->events += j.t[i].events;
		if (!out->mtbf_s && j.t[i].mtbf > 0) {
			out->mtbf_s = j.t[i].mtbf;
			out->ckpt_cost_s = j.t[i].ckpt;
		}
	}
	out->p_success = (double)out->succeeded / n;
	out->restarts_mean = restarts / n;
	out->gpu_hours_lost_mean = lost / n;
	out->failures_mean = fails / n;
	for (int i = 0; i < n; i++)
		v[i] = j.t[i].makespan;
	out->makespan_s = stat_of(v, n);
	for (int i = 0; i < n; i++)
		v[i] = j.t[i].cost;
	out->cost_usd = stat_of(v, n);
	for (int i = 0; i < n; i++)
		v[i] = j.t[i].gpu_h;
	out->gpu_hours = stat_of(v, n);
	out->failure_free_p50_s = -1;
	if (!o->no_baseline) {
		for (int i = 0; i < n; i++)
			v[i] = j.t[i].ff_makespan;
		out->failure_free_p50_s = stat_of(v, n).p50;
	}
	if (out->mtbf_s > 0 && out->ckpt_cost_s > 0)
		out->young_daly_s = sqrt(2 * out->ckpt_cost_s * out->mtbf_s);
	free(j.t);
	free(v);
	if (o->ckpt_search && out->young_daly_s > 0)
		return ckpt_search(doc, scn, base, o, out, err, errlen);
	return 0;
}

/* The mean makespan with no checkpoints and at 1/4 .. 4 x Young/Daly's
 * interval, over the same seeds: the interval that minimises the expected
 * time to a finished run, found by running the model rather than by the
 * formula's assumptions. */
static int ckpt_search(const wf_doc *doc, const scenario *scn, const sim_opts *base, const mc_opts *o,
		       mc_summary *out, char *err, size_t errlen)
{
	static const double factor[MC_CKPT_TRIES] = {0, 0.25, 0.5, 1, 2, 4};
	mc_opts so = *o;
	so.trials = o->trials < 200 ? o->trials : 200;
	so.no_baseline = 1;
	so.ckpt_search = 0;
	so.progress = NULL;
	double best = INFINITY;
	for (int k = 0; k < MC_CKPT_TRIES; k++) {
		sim_opts b = *base;
		double iv = factor[k] * out->young_daly_s;
		b.checkpoint_interval_s = factor[k] > 0 ? iv : -1;
		mc_summary s;
		if (mc_run(doc, scn, &b, &so, &s, err, errlen))
			return -1;
		out->ckpt_interval_s[k] = iv;
		out->ckpt_mean_s[k] = s.makespan_s.mean;
		out->ckpt_p_success[k] = s.p_success;
		out->ckpt_tried = k + 1;
		double to_finish = s.p_success > 0 ? s.makespan_s.mean / s.p_success : INFINITY;
		if (to_finish < best) {
			best = to_finish;
			out->ckpt_best_s = iv;
		}
	}
	return 0;
}
