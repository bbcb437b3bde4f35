/* pods.c: one pod's life, from creation to its end.
 *
 * pending (scheduler.c) -> volumes bound (storage.c) -> image pull ->
 * container start -> running -> done. The pull uses a per-node cache: a
 * node that has the image (or is pulling it) does not pull it again;
 * imagePullPolicy: Always only costs a registry check then. What a
 * running pod does depends on what it is: an ordinary container works for
 * the scenario's container_run, a poll loop for a LoadBalancer IP ends at
 * the first poll after the IP exists, an etcd member becomes Ready, and a
 * torchrun rank hands over to training.c. Events carry the pod's
 * generation, so those that arrive after it ended are ignored. */
#include "sim/world.h"

#include <stdlib.h>
#include <string.h>

#include "validate/objects.h"

#define PULL_CHECK_S 1.0 /* guess: registry round trip for a cached image */
#define CRASH_AFTER_S 1.0 /* guess: a server with bad flags exits within a second */
#define BACKOFF_FIRST_S 10.0 /* facts.md: kubelet back-off 10 s, doubling, ... */
#define BACKOFF_MAX_S 300.0  /* ... capped at 5 min (CrashLoopBackOff) */

pod *pod_new(world *w, const char *name, pod_kind kind, wnode *owner, size_t rec)
{
	pod *p = arena_alloc(w->a, sizeof *p);
	/* pending from the start: the next scheduling pass tries it */
	if (!p || vec_push(w->a, &w->pods, p) || vec_push(w->a, &w->pending, p)) {
		w->oom = 1;
		return NULL;
	}
	p->w = w;
	p->name = name;
	p->kind = kind;
	p->owner = owner;
	p->rec = rec;
	p->created = p->phase_since = sim_now(w->e);
	p->phase = SIM_PH_SCHEDULE;
	p->run_s = -1;
	return p;
}

static double quantity(const ynode *res, const char *key, int cpu)
{
	const char *s = yn_get_str(yn_get(res, "requests"), key);
	if (!s)
		s = yn_get_str(yn_get(res, "limits"), key); /* limits alone set requests */
	double v = 0;
	if (s && (cpu ? cl_cpu_millis(s, &v) : cl_bytes(s, &v)))
		v = 0;
	return v;
}

void pod_fill_from_spec(world *w, pod *p, const ynode *c, const ynode *podspec)
{
	(void)w;
	const ynode *res = yn_get(c, "resources");
	p->image = yn_get_str(c, "image");
	const char *pol = yn_get_str(c, "imagePullPolicy");
	p->pull_always = (pol && !strcmp(pol, "Always")) ||
		(!pol && p->image && (!strchr(p->image, ':') || strstr(p->image, ":latest")));
	p->cpu_m = quantity(res, "cpu", 1);
	p->mem_b = quantity(res, "memory", 0);
	double g = kctr_gpus(c);
	p->gpus = g > 0 ? (int)g : 0;
	if (podspec) {
		p->selector = yn_get(podspec, "nodeSelector");
		p->affinity = yn_get(podspec, "affinity");
		p->tolerations = yn_get(podspec, "tolerations");
		p->labels = yn_get(yn_get(podspec, "metadata"), "labels");
	}
}

void pod_set_phase(world *w, pod *p, sim_phase ph)
{
	double now = sim_now(w->e);
	w_rec(w, p->rec)->phase[p->phase] += now - p->phase_since;
	p->phase = ph;
	p->phase_since = now;
}

void pod_submit(world *w, pod *p)
{
	w_trace(w, "pod %s created (%.0f mCPU, %.1f GiB, %d GPU)", p->name, p->cpu_m,
		p->mem_b / 1073741824.0, p->gpus);
	sched_kick(w);
}

static void running(sim_engine *e, void *arg, long gen);

static void lb_poll(sim_engine *e, void *arg, long gen)
{
	pod *p = arg;
	world *w = p->w;
	if (p->gen != gen || p->state == P_DONE)
		return;
	svc *s = svc_find(w, p->svc_name);
	if (s && s->ip_at >= 0) {
		w_trace(w, "pod %s: service %s has its external IP", p->name, p->svc_name);
		pod_finish(w, p, 0, "");
		return;
	}
	/* Nothing else can happen: the IP will never come, the loop would spin. */
	if (sim_pending(e) == 0) {
		const char *why = !s ? arena_printf(w->a, "service %s does not exist", p->svc_name)
			: arena_printf(w->a, "service %s is %s, it never gets an external IP",
				       p->svc_name, s->type);
		p->stuck = 1;
		w_rec(w, p->rec)->message = arena_printf(w->a, "polls forever: %s", why);
		w_problem(w, "%s polls forever: %s", p->name, why);
		w_stop_stuck(w);
		return;
	}
	sim_after(e, p->poll_s, lb_poll, p, gen);
}

static void etcd_ready(sim_engine *e, void *arg, long gen)
{
	(void)e;
	pod *p = arg;
	if (p->gen != gen || p->state == P_DONE)
		return;
	sts_pod_ready(p->w, p);
}

static void work_done(sim_engine *e, void *arg, long gen)
{
	(void)e;
	pod *p = arg;
	if (p->gen == gen && p->state != P_DONE)
		pod_finish(p->w, p, 0, "");
}

/* Restarts of a crash-looping container up to now: those played as
 * events, and one per capped back-off since. */
static int crash_restarts(world *w, const pod *p)
{
	int n = p->restarts;
	if (n && p->backoff_s >= BACKOFF_MAX_S)
		n += (int)((sim_now(w->e) - p->crash_last) / (BACKOFF_MAX_S + CRASH_AFTER_S));
	return n;
}

/* A StatefulSet member whose server cannot start: it exits, the kubelet
 * restarts it after a back-off that doubles from 10 s to 5 min, and it is
 * never Ready. Once the back-off is capped nothing changes any more, so no
 * further events are played: the restarts are counted when the pod ends. */
static void crashed(sim_engine *e, void *arg, long gen)
{
	pod *p = arg;
	world *w = p->w;
	if (p->gen != gen || p->state == P_DONE)
		return;
	const fx *why = p->set ? p->set->broken : NULL;
	p->restarts++;
	p->crash_last = sim_now(e);
	p->backoff_s = p->restarts == 1 ? BACKOFF_FIRST_S : p->backoff_s * 2;
	if (p->backoff_s > BACKOFF_MAX_S)
		p->backoff_s = BACKOFF_MAX_S;
	p->crash_fx = why;
	pod_set_phase(w, p, SIM_PH_RUN);
	sim_record *r = w_rec(w, p->rec);
	r->status = "CrashLoopBackOff";
	r->message = arena_printf(w->a, "CrashLoopBackOff: %s", why ? why->msg : "the container exits");
	if (p->restarts == 1)
		w_failure(w, why, p->name, "the container exits at start; CrashLoopBackOff (back-off 10 s "
			  "doubling to 5 min), never Ready");
	w_trace(w, "pod %s: container exited (restart %d), back-off %.0f s", p->name, p->restarts,
		p->backoff_s);
	if (p->backoff_s < BACKOFF_MAX_S)
		sim_after(e, p->backoff_s + CRASH_AFTER_S, crashed, p, gen);
}

static void running(sim_engine *e, void *arg, long gen)
{
	pod *p = arg;
	world *w = p->w;
	if (p->gen != gen || p->state == P_DONE)
		return;
	p->state = P_RUN;
	w_trace(w, "pod %s running on %s", p->name, p->node->name);
	if (p->start_fx) {
		const char *msg = p->start_fx->kind == FX_START_ERROR
			? arena_printf(w->a, "StartError: %s", p->start_fx->msg)
			: arena_printf(w->a, "Error: the program exits at start: %s", p->start_fx->msg);
		w_failure(w, p->start_fx, p->owner ? p->owner->name : p->name, "%s", msg);
		pod_finish(w, p, 1, msg);
		return;
	}
	if (p->set && p->set->broken) {
		sim_after(e, CRASH_AFTER_S, crashed, p, gen);
		return;
	}
	switch (p->kind) {
	case POD_LBWAIT:
		pod_set_phase(w, p, SIM_PH_RUN);
		lb_poll(e, p, gen);
		return;
	case POD_ETCD:
		pod_set_phase(w, p, SIM_PH_RUN);
		sim_after(e, w_draw(w, &w->etcd_ready), etcd_ready, p, gen);
		return;
	case POD_RANK:
		trn_agent_started(w, p);
		return;
	case POD_GENERIC:
		pod_set_phase(w, p, SIM_PH_RUN);
		if (p->set)
			sts_pod_ready(w, p);
		if (p->run_s >= 0)
			sim_after(e, p->run_s, work_done, p, gen);
		return;
	}
}

static void start(sim_engine *e, void *arg, long gen)
{
	pod *p = arg;
	world *w = p->w;
	if (p->gen != gen || p->state == P_DONE)
		return;
	p->state = P_START;
	pod_set_phase(w, p, SIM_PH_START);
	w_trace(w, "pod %s: image ready, starting the container", p->name);
	sim_after(e, w_draw(w, &w->pod_start), running, p, gen);
}

/* The per-node image cache: a pull in progress is shared, not repeated. */
static void pull(sim_engine *e, void *arg, long gen)
{
	pod *p = arg;
	world *w = p->w;
	if (p->gen != gen || p->state == P_DONE)
		return;
	knode *n = p->node;
	double now = sim_now(e), ready = now;
	const char *img = p->image ? p->image : "(none)";
	size_t i;
	for (i = 0; i < n->images.n; i++)
		if (!strcmp(n->images.v[i], img))
			break;
	if (i < n->images.n) {
		double have = *(double *)n->image_ready.v[i];
		ready = have > now ? have : now + (p->pull_always ? PULL_CHECK_S : 0);
		w_trace(w, "pod %s: %s is %s on %s", p->name, img, have > now ? "being pulled" : "cached",
			n->name);
	} else {
		const char *why;
		double gb = cl_image_size(w->cl, p->image, &why);
		if (why)
			w_note(w, "image %s is not in cluster.images.sizes: taken as %g GB (%s)", img, gb, why);
		double *t = arena_alloc(w->a, sizeof *t);
		if (!t || vec_push(w->a, &n->images, (void *)img) || vec_push(w->a, &n->image_ready, t)) {
			w->oom = 1;
			return;
		}
		ready = *t = now + gb * 1000 / w->cl->pull_mbps;
		w_trace(w, "node %s pulls %s (%.1f GB, %.0f s)", n->name, img, gb, ready - now);
	}
	p->state = P_PULL;
	pod_set_phase(w, p, SIM_PH_PULL);
	sim_after(e, ready - now, start, p, gen);
}

static void deadline(sim_engine *e, void *arg, long gen)
{
	(void)e;
	pod *p = arg;
	if (p->gen == gen && p->state != P_DONE)
		pod_finish(p->w, p, 1, arena_printf(p->w->a, "Pod was active on the node longer than "
			   "the specified deadline (activeDeadlineSeconds %.0f)", p->deadline_s));
}

void pod_placed(world *w, pod *p, knode *n)
{
	p->node = n;
	sim_record *r = w_rec(w, p->rec);
	r->node = n->name;
	r->zone = n->zone;
	r->gpus = p->gpus;
	r->status = "Running";
	w_trace(w, "pod %s scheduled on %s (zone %s)", p->name, n->name, n->zone);
	double ready = sto_bind_for_pod(w, p, n);
	p->state = P_VOLUME;
	pod_set_phase(w, p, SIM_PH_VOLUME);
	if (p->deadline_s > 0)
		sim_after(w->e, p->deadline_s, deadline, p, p->gen);
	sim_at(w->e, ready, pull, p, p->gen);
}

void pod_finish(world *w, pod *p, int failed, const char *msg)
{
	if (p->state == P_DONE)
		return;
	pod_set_phase(w, p, p->phase);
	if (p->restarts)
		msg = arena_printf(w->a, "%s%safter CrashLoopBackOff (%d restarts): %s", msg ? msg : "",
				   msg && *msg ? " " : "", crash_restarts(w, p),
				   p->crash_fx ? p->crash_fx->msg : "the container exits at start");
	p->state = P_DONE;
	p->failed = failed;
	p->gen++;
	if (p->group)
		p->group->live_pods--;
	sim_record *r = w_rec(w, p->rec);
	r->end = sim_now(w->e);
	r->status = failed ? "Failed" : "Succeeded";
	if (msg && *msg)
		r->message = msg;
	p->msg = msg;
	w_trace(w, "pod %s %s%s%s", p->name, failed ? "failed" : "succeeded",
		msg && *msg ? ": " : "", msg ? msg : "");
	sched_release(w, p);
	if (p->kind == POD_RANK)
		trn_pod_gone(w, p);
	if (p->owner)
		ctl_pod_done(w, p);
}

void pod_kill(world *w, pod *p, const char *msg)
{
	if (p->state == P_DONE)
		return;
	if (p->set) {
		pod_finish(w, p, 0, msg);
		w_rec(w, p->rec)->status = "Deleted";
		return;
	}
	pod_finish(w, p, 1, msg);
}
