/* faults.c: what-ifs as events -- a node lost, preempted or hung, a pod
 * deleted, a worker that exits, an agent that joins late -- and the
 * failures drawn at the scenario's rates.
 *
 * An injected fault is an event at its time; when it fires it finds the
 * pod of the torchrun rank it names and tells the actors what happened,
 * as the cluster would: the training group (training.c) sees its
 * connections reset or hang, and Kubernetes sees the node go. A node that
 * is gone is deleted by the cloud controller and its pods with it, seen by
 * Argo after the node-monitor grace period; a node that hangs is marked
 * NotReady after that period and its pods evicted only once their
 * not-ready toleration (300 s by default) runs out. A preempted node and a
 * deleted pod give their processes SIGTERM and a grace period (the
 * provider's notice; terminationGracePeriodSeconds): the processes end
 * then (after a checkpoint, if the scenario says the script writes one and
 * it fits), so their peers fail at once. */
#include "sim/world.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "document/quantity.h"

#define NODE_GRACE_S 40.0   /* facts: kubelet silent this long -> NotReady (40-50 s) */
#define EVICT_AFTER_S 300.0 /* facts: default not-ready/unreachable toleration */
#define POD_GRACE_S 30.0    /* Kubernetes: terminationGracePeriodSeconds defaults to 30 s */

static const struct {
	const char *name;
	sim_inject_kind kind;
} kinds[] = {
	{"node-loss", SIM_INJ_NODE_LOSS}, {"node-hang", SIM_INJ_NODE_HANG},
	{"worker-exit", SIM_INJ_WORKER_EXIT}, {"pod-kill", SIM_INJ_POD_KILL},
	{"preempt", SIM_INJ_PREEMPT}, {"join-late", SIM_INJ_JOIN_LATE},
};

int sim_inject_parse(const char *s, sim_inject *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	snprintf(out->text, sizeof out->text, "%s", s);
	char kind[32] = "", rank[32] = "", at[8] = "", when[32] = "", times[16] = "";
	int n = sscanf(s, "%31s %31s %7s %31s %15s", kind, rank, at, when, times);
	if (n < 4 || strcmp(at, "at")) {
		snprintf(err, errlen, "--inject '%s': want 'KIND rank-N at TIME [xN]', e.g. 'node-loss rank-1 at 30m'", s);
		return -1;
	}
	size_t k;
	for (k = 0; k < sizeof kinds / sizeof kinds[0] && strcmp(kind, kinds[k].name); k++)
		;
	if (k == sizeof kinds / sizeof kinds[0]) {
		snprintf(err, errlen, "--inject '%s': '%s' is not node-loss, node-hang, worker-exit, pod-kill, "
			 "preempt or join-late", s, kind);
		return -1;
	}
	out->kind = kinds[k].kind;
	char *end;
	long r = strncmp(rank, "rank-", 5) ? -1 : strtol(rank + 5, &end, 10);
	if (r < 0 || r > 100000 || *end) {
		snprintf(err, errlen, "--inject '%s': '%s' is not rank-N", s, rank);
		return -1;
	}
	out->rank = (int)r;
	if (out->kind == SIM_INJ_JOIN_LATE && !strcmp(when, "never")) {
		out->at = INFINITY;
	} else {
		const char *rest;
		double v = duration_part(when, &rest);
		if (v < 0 || *rest || v > 365 * 86400.0) {
			snprintf(err, errlen, "--inject '%s': '%s' is not a time (90, 90s, 30m, 1h, 2d%s)", s, when,
				 out->kind == SIM_INJ_JOIN_LATE ? ", never" : "");
			return -1;
		}
		out->at = v;
	}
	out->times = 1;
	if (n == 5) {
		long x = times[0] == 'x' ? strtol(times + 1, &end, 10) : -1;
		if (x < 1 || x > 1000 || *end || out->kind != SIM_INJ_WORKER_EXIT) {
			snprintf(err, errlen, "--inject '%s': '%s' is not xN (worker-exit only, N from 1 to 1000)",
				 s, times);
			return -1;
		}
		out->times = (int)x;
	}
	return 0;
}

/* The running pod of torchrun node rank r, or NULL. */
static pod *rank_pod(world *w, int r)
{
	for (size_t i = 0; i < w->pods.n; i++) {
		pod *p = w->pods.v[i];
		if (p->kind == POD_RANK && p->group && p->node_rank == r && p->state != P_DONE &&
		    !p->lost && !p->hung)
			return p;
	}
	return NULL;
}

/* Kubernetes ends the pods of a node it gave up on. */
static void pods_gone(sim_engine *e, void *arg, long hang)
{
	pod *p0 = arg;
	world *w = p0->w;
	knode *n = p0->node;
	(void)e;
	for (size_t i = 0; i < w->pods.n; i++) {
		pod *p = w->pods.v[i];
		if (p->node != n || p->state == P_DONE)
			continue;
		const char *msg = hang
			? arena_printf(w->a, "node %s NotReady; pod evicted after the %.0f s not-ready toleration",
				       n->name, EVICT_AFTER_S)
			: arena_printf(w->a, "node %s is gone: the pod was deleted with it", n->name);
		pod_finish(w, p, 1, msg);
	}
}

void faults_node_loss(world *w, pod *p, const char *why)
{
	knode *n = p->node;
	w_failure(w, NULL, p->name, "node %s %s: its processes are gone", n->name, why);
	sched_node_down(w, n);
	n->end_at = sim_now(w->e);
	for (size_t i = 0; i < w->pods.n; i++) {
		pod *q = w->pods.v[i];
		if (q->node == n && q->state != P_DONE && q->kind == POD_RANK && q->group)
			trn_node_lost(w, q);
	}
	sim_after(w->e, NODE_GRACE_S, pods_gone, p, 0);
}

/* The preempted VM stops at the end of its notice: Kubernetes deletes the
 * node and the pods still on it. */
static void vm_stopped(sim_engine *e, void *arg, long what)
{
	(void)what;
	pod *p = arg;
	knode *n = p->node;
	world *w = p->w;
	n->end_at = sim_now(e);
	for (size_t i = 0; i < w->pods.n; i++) {
		pod *q = w->pods.v[i];
		if (q->node == n && q->state != P_DONE)
			pod_finish(w, q, 1, arena_printf(w->a, "node %s was preempted: the VM stopped at the end "
							 "of its notice", n->name));
	}
}

void faults_preempt(world *w, pod *p, const char *why)
{
	knode *n = p->node;
	double notice = w->scn->failures.spot_notice_s;
	w_failure(w, NULL, p->name, "node %s preempted (%s): %.0f s notice (failures.spot_notice), then "
		  "the VM stops", n->name, why, notice);
	sched_node_down(w, n); /* shutting down: nothing new lands on it */
	for (size_t i = 0; i < w->pods.n; i++) {
		pod *q = w->pods.v[i];
		if (q->node == n && q->state != P_DONE && q->kind == POD_RANK && q->group)
			trn_sigterm(w, q, notice, NULL);
	}
	sim_after(w->e, notice, vm_stopped, p, 0);
}

/* A drawn failure of p's node while its group trains: a GPU fault (its
 * workers crash; torchrun restarts the group) or, on a spot node, a
 * preemption (the node is gone). */
static void drawn(sim_engine *e, void *arg, long round)
{
	(void)e;
	pod *p = arg;
	world *w = p->w;
	rgroup *g = p->group;
	if (g->round != round || g->state != G_TRAIN || p->state == P_DONE || p->lost || p->hung)
		return;
	const scn_failures *f = &w->scn->failures;
	double gpu = f->gpu_rate * (p->gpus > 0 ? p->gpus : 1);
	double spot = p->node->pool->spot ? f->spot_rate : 0;
	if (sim_rng_uniform(&w->frng) * (gpu + spot) < gpu) {
		trn_worker_fail(w, p, NULL, arena_printf(w->a, "GPU failure on %s (drawn at %g per GPU-hour, "
				"failures.gpu_rate)", p->node->name, f->gpu_rate));
		return;
	}
	faults_preempt(w, p, arena_printf(w->a, "spot; drawn at %g per node-hour, "
		       "failures.spot_preemption_rate", f->spot_rate));
}

void faults_arm(world *w, rgroup *g, double horizon)
{
	const scn_failures *f = &w->scn->failures;
	double rate = 0;
	for (size_t i = 0; i < g->members.n; i++) {
		pod *p = g->members.v[i];
		if (p->state == P_DONE || !p->node)
			continue;
		double r = (f->gpu_rate * (p->gpus > 0 ? p->gpus : 1) +
			    (p->node->pool->spot ? f->spot_rate : 0)) / 3600;
		rate += r;
		if (r <= 0)
			continue;
		double t = -log(sim_rng_open01(&w->frng)) / r;
		if (t < horizon) /* later, training is over: nothing to fail */
			sim_after(w->e, t, drawn, p, g->round);
	}
	g->mtbf_s = rate > 0 ? 1 / rate : 0;
}

static void not_ready(sim_engine *e, void *arg, long what)
{
	(void)e;
	(void)what;
	pod *p = arg;
	sched_node_down(p->w, p->node);
}

static void fire(sim_engine *e, void *arg, long what)
{
	world *w = arg;
	const sim_inject *in = &w->opts.inject[what];
	pod *p = rank_pod(w, in->rank);
	if (!p) {
		w_note(w, "--inject '%s': rank-%d is not running then; nothing happens", in->text, in->rank);
		return;
	}
	switch (in->kind) {
	case SIM_INJ_WORKER_EXIT: {
		rgroup *g = p->group;
		if (g->state != G_START && g->state != G_TRAIN) {
			w_note(w, "--inject '%s': rank-%d's workers are not running then; nothing happens",
			       in->text, in->rank);
			return;
		}
		const char *why = arena_printf(w->a, "a worker of rank-%d exited with code 1 (--inject)",
					       in->rank);
		g->repeat_rank = in->rank;
		g->repeats = in->times - 1;
		g->repeat_why = why;
		trn_worker_fail(w, p, NULL, why);
		return;
	}
	case SIM_INJ_NODE_LOSS:
		faults_node_loss(w, p, "lost (--inject)");
		return;
	case SIM_INJ_PREEMPT:
		faults_preempt(w, p, "--inject");
		return;
	case SIM_INJ_POD_KILL:
		w_failure(w, NULL, p->name, "pod deleted (--inject): SIGTERM, %.0f s grace "
			  "(terminationGracePeriodSeconds' default)", POD_GRACE_S);
		trn_sigterm(w, p, POD_GRACE_S, "pod deleted (--inject): its processes ended on SIGTERM");
		return;
	case SIM_INJ_JOIN_LATE:
		return; /* not an event: the agent asks faults_join_after() when it starts */
	case SIM_INJ_NODE_HANG: {
		knode *n = p->node;
		w_failure(w, NULL, p->name, "node %s hangs (--inject): connections stay open, nothing answers",
			  n->name);
		for (size_t i = 0; i < w->pods.n; i++) {
			pod *q = w->pods.v[i];
			if (q->node == n && q->state != P_DONE && q->kind == POD_RANK && q->group)
				trn_node_hang(w, q);
		}
		sim_after(e, NODE_GRACE_S, not_ready, p, 0);
		sim_after(e, NODE_GRACE_S + EVICT_AFTER_S, pods_gone, p, 1);
		return;
	}
	}
}

double faults_join_after(world *w, int rank)
{
	double t = 0;
	for (size_t i = 0; !w->opts.no_failures && i < w->opts.ninject; i++) {
		const sim_inject *in = &w->opts.inject[i];
		if (in->kind == SIM_INJ_JOIN_LATE && in->rank == rank && in->at > t)
			t = in->at;
	}
	return t;
}

int faults_start(world *w)
{
	for (size_t i = 0; i < w->opts.ninject; i++)
		if (w->opts.inject[i].kind != SIM_INJ_JOIN_LATE &&
		    sim_at(w->e, w->opts.inject[i].at, fire, w, (long)i))
			return -1;
	return 0;
}
