/* simulate.c: building the world, running it, and summing up (simulate.h).
 *
 * The scenario's latency specs are parsed here, once, so a bad one is
 * reported at its position before anything runs. Then the cluster's
 * initial nodes are made, the controller submits the workflow at t=0 and
 * the engine runs until nothing is left to happen, or a cap trips. What
 * is still running or pending at the end is reported as such: the run
 * never waits for something that cannot come. */
#include "sim/world.h"
#include "document/grow.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct simulation {
	world w;
	sim_result res;
};

int vec_push(arena *a, vec *v, void *p)
{
	if (ARENA_GROW(a, v->v, v->n, v->cap, 8))
		return -1;
	v->v[v->n++] = p;
	return 0;
}

const char *sim_phase_name(sim_phase p)
{
	static const char *const names[SIM_PH_COUNT] = {
		"schedule", "scale-up", "volume", "pull", "start", "run", "rendezvous",
		"worker-start", "download", "load", "sync", "training"};
	return p < SIM_PH_COUNT ? names[p] : "?";
}

static char *vfmt(world *w, const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof buf, fmt, ap);
	char *s = arena_strdup(w->a, buf);
	if (!s)
		w->oom = 1;
	return s;
}

void w_trace(world *w, const char *fmt, ...)
{
	if (!w->opts.trace)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *s = vfmt(w, fmt, ap);
	va_end(ap);
	sim_trace_line *l = arena_alloc(w->a, sizeof *l);
	if (!s || !l || vec_push(w->a, &w->trace, l)) {
		w->oom = 1;
		return;
	}
	l->t = sim_now(w->e);
	l->text = s;
}

/* FNV-1a over s, continuing from h; the 0xff ends a string, so ("ab",
 * "c") and ("a", "bc") hash apart. */
static uint64_t fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ull;
	return (h ^ 0xff) * 0x100000001b3ull;
}

/* Whether a text (its 64-bit hash) was said before; remembers it if not.
 * An open-addressing set, so that a run of a million restarts, each with
 * its own failure line, checks each in constant time, not against all
 * before it (which took hours). Two texts with one hash would pass for one:
 * at a million texts, a chance of about 1 in 30 million. 1: new. */
static int w_new_text(world *w, uint64_t h)
{
	h += !h; /* 0 marks an empty slot */
	if (2 * (w->nseen + 1) > w->seen_cap) {
		size_t cap = w->seen_cap ? 2 * w->seen_cap : 256;
		uint64_t *t = calloc(cap, sizeof *t);
		if (!t) {
			w->oom = 1;
			return 0;
		}
		for (size_t i = 0; i < w->seen_cap; i++) {
			uint64_t x = w->seen[i];
			if (!x)
				continue;
			size_t k = x & (cap - 1);
			while (t[k])
				k = (k + 1) & (cap - 1);
			t[k] = x;
		}
		free(w->seen);
		w->seen = t;
		w->seen_cap = cap;
	}
	size_t k = h & (w->seen_cap - 1);
	for (; w->seen[k]; k = (k + 1) & (w->seen_cap - 1))
		if (w->seen[k] == h)
			return 0;
	w->seen[k] = h;
	w->nseen++;
	return 1;
}

/* Problems and notes are said once, however often the model hits them. */
static void add_text(world *w, vec *v, uint64_t tag, const char *fmt, va_list ap)
{
	char buf[1024];
	vsnprintf(buf, sizeof buf, fmt, ap);
	if (!w_new_text(w, fnv(tag, buf)))
		return;
	char *s = arena_strdup(w->a, buf);
	if (!s || vec_push(w->a, v, s))
		w->oom = 1;
}

void w_note(world *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_text(w, &w->notes, 1, fmt, ap);
	va_end(ap);
}

void w_problem(world *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add_text(w, &w->problems, 2, fmt, ap);
	va_end(ap);
}

/* The most nodes a run follows, counted as Argo's status.nodes counts
 * them (the workflow itself, each step, task, retry and pod): a bound on
 * what one run may cost. A DAG of 9,999 tasks takes 0.7 s and 42 MB
 * (README, Limits). Before the scheduler kept its pending pods and the
 * DAG its resolved depends, the cap was 2,000: 2,000 tasks took 4.6 s and
 * 280 MB, 4,000 took 22 s and 1.6 GB. */
#define SIM_MAX_RECORDS 10000

size_t w_record(world *w, sim_rec_kind kind, const char *name, const char *tmpl,
		const char *what, int depth)
{
	if (w->recs.n >= SIM_MAX_RECORDS) {
		/* past the limit: said once, the run stops at the next event;
		 * until then this record shares slot 0, as when out of memory */
		w_problem(w, "the workflow runs more than %d nodes (itself, its steps, tasks, retries and pods, "
			  "as Argo's status.nodes counts them): the simulation stops here (the simulator follows at "
			  "most %d, so that one run stays within seconds)", SIM_MAX_RECORDS, SIM_MAX_RECORDS);
		w_workflow_done(w, "Error"); /* what the run says stops short of an answer */
		sim_stop(w->e);
		return 0;
	}
	sim_record *r = arena_alloc(w->a, sizeof *r);
	if (!r || vec_push(w->a, &w->recs, r)) {
		/* Out of memory: the run stops at the next event; until then
		 * this record shares slot 0, which always exists. */
		w->oom = 1;
		sim_stop(w->e);
		return 0;
	}
	r->kind = kind;
	r->name = name;
	r->tmpl = tmpl ? tmpl : "";
	r->what = what ? what : "";
	r->depth = depth;
	r->start = sim_now(w->e);
	r->end = -1;
	r->status = "Pending";
	r->message = "";
	return w->recs.n - 1;
}

sim_record *w_rec(world *w, size_t i)
{
	assert(i < w->recs.n);
	return w->recs.v[i];
}

double w_draw(world *w, const sim_dist *d)
{
	return sim_dist_duration(d, &w->rng);
}

void w_workflow_done(world *w, const char *status)
{
	if (w->wf_status)
		return;
	w->wf_status = status;
	w->wf_end = sim_now(w->e);
	w_trace(w, "workflow %s", status);
}

void w_stop_stuck(world *w)
{
	if (w->stuck)
		return;
	/* activeDeadlineSeconds still ahead: the controller ends the workflow
	 * then, and what runs until then runs (and costs); the deadline event
	 * stops nothing by itself, so the run ends when it has played out */
	if (w->deadline_ahead > sim_now(w->e) && !w->wf_status) {
		if (!w->stuck_until_deadline)
			w_trace(w, "the workflow cannot make progress: it waits for a deadline or timeout "
				"(t=%.0f s)", w->deadline_ahead);
		w->stuck_until_deadline = 1;
		return;
	}
	w->stuck = 1;
	w_trace(w, "simulation stops: the workflow cannot make progress");
	sim_stop(w->e);
}

void w_deadline_ahead(world *w, double t)
{
	if (t > w->deadline_ahead)
		w->deadline_ahead = t;
}

void w_burned(world *w, double t, double *gpu_s, double *cost)
{
	*gpu_s = *cost = 0;
	for (size_t i = 0; i < w->knodes.n; i++) {
		knode *n = w->knodes.v[i];
		if (!n->up || n->up_at > t)
			continue;
		double end = n->end_at > 0 && n->end_at < t ? n->end_at : t;
		double price = n->pool->spot ? n->pool->price_spot : n->pool->price_on_demand;
		*gpu_s += n->pool->gpus * (end - n->up_at);
		*cost += price * (end - n->up_at) / 3600;
	}
}

void w_failure(world *w, const fx *cause, const char *who, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (!w_new_text(w, fnv(fnv(3, who), buf)))
		return;
	if (w->failures.n >= SIM_MAX_FAILURES) {
		w->failures_unlisted++; /* counted, not kept: the list would outgrow the run */
		return;
	}
	char *what = arena_strdup(w->a, buf);
	sim_failure *f = arena_alloc(w->a, sizeof *f);
	if (!what || !f || vec_push(w->a, &w->failures, f)) {
		w->oom = 1;
		return;
	}
	f->t = sim_now(w->e);
	f->who = who;
	f->what = what;
	if (cause) {
		f->rule = cause->rule;
		f->file = cause->file;
		f->line = cause->line;
		f->col = cause->col;
	}
	w_burned(w, f->t, &f->gpu_s, &f->cost);
	w_trace(w, "failure: %s: %s%s%s%s", who, what, cause ? " [" : "", cause ? cause->rule : "",
		cause ? "]" : "");
}

const fx *w_effect(world *w, const char *tmpl, rule_effect kind)
{
	const fx_list *l = w->opts.effects;
	if (tmpl)
		return fx_find(l, tmpl, kind);
	for (size_t i = 0; i < fx_count(l); i++)
		if (fx_at(l, i)->kind == kind)
			return fx_at(l, i);
	return NULL;
}

/* Parse one latency and check what it can draw against its range; a bad
 * one is reported where it was written, with its key path; a normal whose
 * tail is cut at 0 is an assumption the run reports. */
static int compile(world *w, sim_dist *d, const cl_latency *lat, const char *what, const lim_range *r,
		   diag_list *dl)
{
	char err[512];
	if (!lat->spec) {
		*d = sim_dist_constant(0);
		return 0;
	}
	int rc = sim_dist_parse(d, lat->spec, err, sizeof err);
	if (rc == 0 && (rc = sim_dist_check(d, r, err, sizeof err)) >= 0) {
		if (rc == 1)
			w_note(w, "%s: %s", what, err);
		return 0;
	}
	sim_dist_clear(d);
	if (lat->node)
		yn_diag(dl, lat->node, DIAG_ERROR, "scenario", "", "%s: %s", what, err);
	else
		diag_add(dl, DIAG_ERROR, "scenario", w->scn->file, 0, 0, 0, 0, "",
			 "built-in default for %s: %s", what, err);
	return -1;
}

simulation *simulation_new(const wf_doc *doc, const scenario *scn, const sim_opts *o,
			   diag_list *d, char *err, size_t errlen)
{
	simulation *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	world *w = &s->w;
	w->a = arena_new();
	w->e = sim_new();
	if (!w->a || !w->e) {
		snprintf(err, errlen, "out of memory");
		simulation_free(s);
		return NULL;
	}
	w->doc = doc;
	w->scn = scn;
	w->cl = &scn->cluster;
	w->opts = *o;
	w->res = &s->res;
	w->wf_end = -1;
	w->horizon = o->max_time > 0 ? o->max_time : SIM_HORIZON_S;
	sim_rng_seed(&w->rng, o->seed);
	sim_rng_seed(&w->frng, o->seed ^ 0x6661696c75726573ull); /* "failures" */
	sim_rng_seed(&w->orng, o->seed ^ 0x6f7574707574735full); /* "outputs_" */
	snprintf(w->wfname, sizeof w->wfname, "%s%s", doc->name ? doc->name :
		 doc->generate_name ? doc->generate_name : "workflow-",
		 doc->name ? "" : "sim");
	const scn_workload *wl = &scn->workload;
	int bad = 0;
	const lim_range *sec = &lim_seconds;
	bad |= compile(w, &w->lb_ip, &w->cl->lb_ip, "cluster.load_balancer_ip", sec, d);
	bad |= compile(w, &w->pod_start, &w->cl->pod_start, "cluster.pod_start", sec, d);
	bad |= compile(w, &w->resource_action, &w->cl->resource_action, "cluster.resource_action", sec, d);
	bad |= compile(w, &w->container_run, &w->cl->container_run, "cluster.container_run", sec, d);
	bad |= compile(w, &w->etcd_ready, &w->cl->etcd_ready, "cluster.etcd_ready", sec, d);
	bad |= compile(w, &w->hub_mbps, &wl->hub_mbps, "workload.hub_mbps", &lim_mbps, d);
	bad |= compile(w, &w->worker_start, &wl->worker_start, "workload.worker_start", sec, d);
	bad |= compile(w, &w->model_load, &wl->model_load, "workload.model_load", sec, d);
	bad |= compile(w, &w->duration, &wl->duration, "workload.training.duration", sec, d);
	bad |= compile(w, &w->step_s, &wl->step_s, "workload.training.step_s", &lim_positive_seconds, d);
	for (size_t i = 0; i < w->cl->nclasses; i++) { /* sim/storage.c draws from these */
		const cl_storage_class *c = &w->cl->classes[i];
		char what[300];
		sim_dist tmp;
		snprintf(what, sizeof what, "cluster.storage_classes[%s].provisioning", c->name);
		bad |= compile(w, &tmp, &c->provisioning, what, sec, d);
		sim_dist_clear(&tmp);
	}
	for (size_t i = 0; i < scn->nnotes; i++)
		w_note(w, "%s", scn->notes[i]);
	w->scale_up = arena_alloc(w->a, (w->cl->npools + 1) * sizeof *w->scale_up);
	if (!w->scale_up) {
		snprintf(err, errlen, "out of memory");
		simulation_free(s);
		return NULL;
	}
	for (size_t i = 0; i < w->cl->npools; i++) {
		const cl_pool *p = &w->cl->pools[i];
		char what[300];
		snprintf(what, sizeof what, "cluster.pools[%s].autoscaling.scale_up", p->name);
		bad |= compile(w, &w->scale_up[i], &p->scale_up, what, sec, d);
		for (int k = 0; !bad && k < p->nodes; k++)
			sched_add_node(w, p, p->zones[k % p->nzones], 1);
	}
	if (bad) {
		simulation_free(s);
		return NULL;
	}
	for (size_t i = 0; i < o->nnotes; i++)
		w_note(w, "%s", o->notes[i]);
	sto_init(w);
	if (!o->no_failures && faults_start(w) < 0) {
		snprintf(err, errlen, "out of memory");
		simulation_free(s);
		return NULL;
	}
	if (ctl_start(w) < 0) {
		snprintf(err, errlen, "%s", w->notes.n ? (const char *)w->notes.v[w->notes.n - 1]
			 : "cannot start the workflow");
		simulation_free(s);
		return NULL;
	}
	return s;
}

/* Pods still open at the end: close their phases at the stop time. */
static void close_open(world *w)
{
	double now = sim_now(w->e);
	for (size_t i = 0; i < w->pods.n; i++) {
		pod *p = w->pods.v[i];
		if (p->state == P_DONE)
			continue;
		sim_record *r = w_rec(w, p->rec);
		r->phase[p->phase] += now - p->phase_since;
		p->phase_since = now;
	}
	for (size_t i = 0; i < w->recs.n; i++) {
		sim_record *r = w->recs.v[i];
		if (r->end < 0 && !strcmp(r->status, "Succeeded"))
			r->end = now;
	}
}

/* Storage by class: add h GiB-hours of class name at its price. */
static void add_storage(world *w, sim_cost *c, const char *name, double gib_h)
{
	size_t i;
	for (i = 0; i < c->nstorage; i++)
		if (!strcmp(c->storage[i].cls, name))
			break;
	if (i == c->nstorage) {
		sim_storage_cost *nv = arena_alloc(w->a, (c->nstorage + 1) * sizeof *nv);
		if (!nv) {
			w->oom = 1;
			return;
		}
		if (c->nstorage)
			memcpy(nv, c->storage, c->nstorage * sizeof *nv);
		c->storage = nv;
		const cl_storage_class *cfg = cl_find_class(w->cl, name);
		double price = cfg && cfg->price_gib_month >= 0 ? cfg->price_gib_month : CL_DEFAULT_DISK_PRICE;
		if (!cfg || cfg->price_gib_month < 0)
			w_note(w, "storage class %s has no price_gb_month in the scenario: PD-SSD's $%.2f "
			       "per GB-month stands in (facts.md)", name, CL_DEFAULT_DISK_PRICE);
		c->storage[i] = (sim_storage_cost){.cls = name, .price_gib_month = price};
		c->nstorage++;
	}
	c->storage[i].gib_hours += gib_h;
	/* a month of 730 hours, as cloud price lists count it */
	c->storage[i].usd += gib_h * c->storage[i].price_gib_month / 730;
}

/* The bill, line by line, up to end (see sim_cost). */
static void cost(world *w, double end)
{
	sim_result *res = w->res;
	sim_cost *c = &res->cost;
	double gpu_h_nodes = 0;
	for (size_t i = 0; i < w->knodes.n; i++) {
		knode *n = w->knodes.v[i];
		if (!n->up || n->up_at > end)
			continue;
		double h = (end - n->up_at) / 3600;
		double price = n->pool->spot ? n->pool->price_spot : n->pool->price_on_demand;
		if (n->pool->gpus > 0) {
			c->gpu_node_hours += h;
			c->gpu_usd += price * h;
			c->gpu_spot |= n->pool->spot;
			c->gpu_nodes++;
			gpu_h_nodes += h * n->pool->gpus;
			if (!n->ran_gpu_pod) {
				c->unused_gpu_nodes++;
				c->unused_gpu_usd += price * h;
			}
		} else {
			c->cpu_node_hours += h;
			c->cpu_usd += price * h;
		}
	}
	for (size_t i = 0; i < w->pvcs.n; i++) {
		pvc *v = w->pvcs.v[i];
		if (v->state != PVC_BOUND || v->bound_at > end)
			continue;
		double until = v->deleted && v->deleted_at < end ? v->deleted_at : end;
		if (until > v->bound_at && v->gib > 0)
			add_storage(w, c, v->class_name, v->gib * (until - v->bound_at) / 3600);
	}
	for (size_t i = 0; i < c->nstorage; i++)
		c->storage_usd += c->storage[i].usd;
	double lb_price = w->cl->lb_price >= 0 ? w->cl->lb_price : CL_DEFAULT_LB_PRICE;
	for (size_t i = 0; i < w->svcs.n; i++) {
		svc *v = w->svcs.v[i];
		if (strcmp(v->type, "LoadBalancer") || v->created_at > end)
			continue;
		double until = v->deleted && v->deleted_at < end ? v->deleted_at : end;
		c->lb_hours += (until - v->created_at) / 3600;
	}
	c->lb_usd = c->lb_hours * lb_price;
	if (c->lb_hours > 0 && w->cl->lb_price < 0)
		w_note(w, "load balancers are billed at $%.3f an hour (facts.md: GKE forwarding rule); "
		       "set cluster.load_balancer_price to change it", lb_price);
	double fee = w->cl->cluster_fee >= 0 ? w->cl->cluster_fee : CL_DEFAULT_CLUSTER_FEE;
	c->cluster_hours = end / 3600;
	c->cluster_usd = c->cluster_hours * fee;
	if (w->cl->cluster_fee < 0)
		w_note(w, "the cluster fee is GKE's $%.2f an hour (facts.md); set cluster.cluster_fee "
		       "to change it", fee);
	c->total_usd = c->gpu_usd + c->cpu_usd + c->storage_usd + c->lb_usd + c->cluster_usd;
	/* waste: provisioned GPU time not spent training, by what the rank
	 * pod holding the GPUs was doing; the rest had no rank pod on it */
	double idle_s = res->gpu_s_provisioned - res->gpu_s_training;
	c->idle_gpu_hours = idle_s > 0 ? idle_s / 3600 : 0;
	c->idle_gpu_usd = gpu_h_nodes > 0 ? c->idle_gpu_hours / gpu_h_nodes * c->gpu_usd : 0;
	double in_pods = 0;
	for (size_t i = 0; i < w->pods.n; i++) {
		pod *p = w->pods.v[i];
		if (p->gpus <= 0)
			continue;
		sim_record *r = w_rec(w, p->rec);
		for (int k = SIM_PH_VOLUME; k < SIM_PH_COUNT; k++)
			if (k != SIM_PH_TRAINING) {
				c->idle_phase_gpu_hours[k] += p->gpus * r->phase[k] / 3600;
				in_pods += p->gpus * r->phase[k] / 3600;
			}
	}
	c->idle_empty_gpu_hours = c->idle_gpu_hours > in_pods ? c->idle_gpu_hours - in_pods : 0;
	const scn_workload *wl = &w->scn->workload;
	c->epochs = wl->epochs;
	c->tokens = wl->dataset_tokens * wl->epochs;
	int trained = res->training_end >= 0 && !strcmp(res->status, "Succeeded");
	c->per_epoch_usd = trained && wl->epochs > 0 ? c->total_usd / wl->epochs : -1;
	c->per_mtokens_usd = trained && c->tokens > 0 ? c->total_usd / (c->tokens / 1e6) : -1;
}

static void summarise(world *w)
{
	sim_result *res = w->res;
	double end = w->wf_status ? w->wf_end : sim_now(w->e);
	res->workflow = w->wfname;
	res->scenario = w->scn->name;
	res->seed = w->opts.seed;
	for (size_t i = 0; i < w->groups.n; i++) {
		rgroup *g = w->groups.v[i];
		if (g->size > res->nodes_to)
			res->nodes_to = g->size;
	}
	if (w->opts.nodes > 0)
		res->nodes_to = w->opts.nodes;
	res->nodes_from = w->opts.nodes_from > 0 ? w->opts.nodes_from : res->nodes_to;
	res->status = w->wf_status ? w->wf_status : w->cut ? "CutOff" : "Stuck";
	res->cut = w->cut;
	res->horizon = w->horizon;
	res->cut_at = w->cut ? sim_now(w->e) : -1;
	res->next_event = w->cut ? sim_next(w->e) : INFINITY;
	res->makespan = end;
	res->events = sim_handled(w->e);
	res->first_step = res->training_end = -1;
	for (size_t i = 0; i < w->groups.n; i++) {
		rgroup *g = w->groups.v[i];
		if (g->started && (res->first_step < 0 || g->first_step < res->first_step))
			res->first_step = g->first_step;
	}
	w_burned(w, end, &res->gpu_s_provisioned, &res->node_cost);
	for (size_t i = 0; i < w->knodes.n; i++) {
		knode *n = w->knodes.v[i];
		if (n->up && n->up_at > 0 && n->up_at <= end)
			res->nodes_added++;
	}
	for (size_t i = 0; i < w->groups.n; i++) {
		rgroup *g = w->groups.v[i];
		res->restarts += g->restarts;
		res->gpu_s_lost += g->lost_gpu_s;
		if (g->started && !res->job_mtbf_s) {
			res->job_mtbf_s = g->mtbf_s;
			res->ckpt_write_s = g->ckpt_write_s;
		}
	}
	res->failures = arena_alloc(w->a, (w->failures.n + 1) * sizeof *res->failures);
	for (size_t i = 0; res->failures && i < w->failures.n; i++)
		res->failures[i] = *(sim_failure *)w->failures.v[i];
	res->nfailures = res->failures ? w->failures.n : 0;
	res->failures_unlisted = w->failures_unlisted;
	int nr = 0;
	for (size_t i = 0; i < w->pods.n; i++) {
		pod *p = w->pods.v[i];
		if (p->kind != POD_RANK)
			continue;
		sim_record *r = w_rec(w, p->rec);
		res->gpu_s_training += p->gpus * r->phase[SIM_PH_TRAINING];
		for (int k = 0; k < SIM_PH_COUNT; k++)
			res->phase_rank_mean[k] += r->phase[k];
		if (r->phase[SIM_PH_TRAINING] > 0 && p->group && p->group->done && r->end > res->training_end)
			res->training_end = r->end;
		nr++;
	}
	for (int k = 0; nr && k < SIM_PH_COUNT; k++)
		res->phase_rank_mean[k] /= nr;
	res->ranks = nr;
	for (size_t i = 0; i < w->groups.n; i++) {
		rgroup *g = w->groups.v[i];
		if (g->size == res->nodes_to || !res->nproc)
			res->nproc = g->nproc, res->steps = g->steps;
	}
	cost(w, end);
	res->rec = arena_alloc(w->a, (w->recs.n + 1) * sizeof *res->rec);
	for (size_t i = 0; res->rec && i < w->recs.n; i++)
		res->rec[i] = *(sim_record *)w->recs.v[i];
	res->nrec = res->rec ? w->recs.n : 0;
	res->problems = (const char **)w->problems.v;
	res->nproblems = w->problems.n;
	res->notes = (const char **)w->notes.v;
	res->nnotes = w->notes.n;
	res->trace = arena_alloc(w->a, (w->trace.n + 1) * sizeof *res->trace);
	for (size_t i = 0; res->trace && i < w->trace.n; i++)
		res->trace[i] = *(sim_trace_line *)w->trace.v[i];
	res->ntrace = res->trace ? w->trace.n : 0;
}

/* A time for a person: seconds, and days or years when it is that long. */
static const char *when(world *w, double t)
{
	if (isinf(t))
		return "never";
	if (t >= 365.25 * 86400)
		return arena_printf(w->a, "t=%.0f s, %.1f years", t, t / (365.25 * 86400));
	if (t >= 86400)
		return arena_printf(w->a, "t=%.0f s, %.1f days", t, t / 86400);
	return arena_printf(w->a, "t=%.0f s", t);
}

/* A cap stopped the run before it ended by itself: say which, where the
 * clock stands (the results stop there) and that nothing was due before
 * the next event (a no-op left by a restart, or what would have come). At
 * the horizon the clock is moved up to it: nothing happens between the
 * last event and the next, so the world there is known. A horizon reached
 * after the workflow ended cuts nothing: its results stand at its end, and
 * what is left is a stale no-op or clean-up. 0: not cut after all. */
/* When a run is cut off after many worker-group restarts, that is the
 * usual cause: failures come faster than training survives them. NULL
 * when it restarted fewer than 100 times. */
static const char *restarts_why(world *w)
{
	int restarts = 0;
	double mtbf = 0;
	for (size_t i = 0; i < w->groups.n; i++) {
		const rgroup *g = w->groups.v[i];
		restarts += g->restarts;
		if (g->mtbf_s > 0 && (!mtbf || g->mtbf_s < mtbf))
			mtbf = g->mtbf_s;
	}
	if (restarts < 100)
		return NULL;
	return arena_printf(w->a, "%d worker-group restarts: failures, one every %.0f s on average, come "
			    "faster than training gets done between them; checkpoint more often "
			    "(workload.checkpoint_interval) or lower the failure rate", restarts, mtbf);
}

static int cut_off(world *w, sim_status st, char *err, size_t errlen)
{
	double next = sim_next(w->e);
	if (st == SIM_TIME_CAP) {
		if (w->wf_status)
			return 0;
		w->cut = SIM_CUT_HORIZON;
		sim_advance(w->e, w->horizon); /* the next event lies past it: cannot fail */
		const char *restarts = restarts_why(w);
		int why = restarts ? 0 : trn_past_horizon(w);
		w_problem(w, "the simulation was cut off at its horizon, %s: the run had not ended, and nothing "
			  "was due before %s%s%s%s; the times and costs here stop at the horizon",
			  when(w, w->horizon), when(w, next), restarts ? " (" : why ? "" : " (a span that long?)",
			  restarts ? restarts : "", restarts ? ")" : "");
		snprintf(err, errlen, "the run was cut off at the simulator's horizon, %s: nothing was due "
			 "before %s", when(w, w->horizon), when(w, next));
		return 1;
	}
	w->cut = SIM_CUT_EVENTS;
	const char *ended = w->wf_status ? arena_printf(w->a, "the workflow had ended (%s at %s), but not "
			    "the simulation", w->wf_status, when(w, w->wf_end)) : "the run had not ended";
	const char *why = restarts_why(w);
	if (!why)
		why = "a model that never settles?";
	w_problem(w, "the simulation was cut off after %llu events, at %s: %s (%s); "
		  "the times and costs here stop there", (unsigned long long)sim_handled(w->e),
		  when(w, sim_now(w->e)), ended, why);
	snprintf(err, errlen, "the run was cut off after %llu events, at %s",
		 (unsigned long long)sim_handled(w->e), when(w, sim_now(w->e)));
	return 1;
}

int simulation_run(simulation *s, char *err, size_t errlen)
{
	world *w = &s->w;
	uint64_t max_ev = w->opts.max_events ? w->opts.max_events : SIM_MAX_EVENTS;
	sim_status st = sim_run(w->e, max_ev, w->horizon);
	int rc = 0;
	if (st == SIM_EVENT_CAP || st == SIM_TIME_CAP) {
		rc = -cut_off(w, st, err, errlen);
	} else if (st == SIM_FAILED || w->oom) {
		snprintf(err, errlen, "out of memory, or a model scheduled an invalid time");
		rc = -1;
	}
	if (!w->wf_status && w->stuck_until_deadline && st == SIM_DONE)
		w->stuck = 1; /* the deadlines came and went: it still waits */
	if (!w->wf_status)
		ctl_on_stuck(w);
	close_open(w);
	summarise(w);
	return rc;
}

const sim_result *simulation_result(const simulation *s)
{
	return &s->res;
}

void simulation_free(simulation *s)
{
	if (!s)
		return;
	world *w = &s->w;
	sim_dist *own[] = {&w->lb_ip, &w->pod_start, &w->resource_action, &w->container_run,
			   &w->etcd_ready, &w->hub_mbps, &w->worker_start, &w->model_load,
			   &w->duration, &w->step_s};
	for (size_t i = 0; i < sizeof own / sizeof own[0]; i++)
		sim_dist_clear(own[i]);
	for (size_t i = 0; w->scale_up && i < w->cl->npools; i++)
		sim_dist_clear(&w->scale_up[i]);
	for (size_t i = 0; i < w->classes.n; i++)
		sim_dist_clear(&((sclass *)w->classes.v[i])->prov);
	sim_free(w->e);
	arena_free(w->a);
	free(w->seen);
	free(s);
}
