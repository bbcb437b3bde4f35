/* training.c: torchrun ranks -- rendezvous, worker start, training.
 *
 * Each rank pod runs a torchrun agent. Agents of one group (same rdzv id
 * and endpoint) meet in a rendezvous that completes when all --nnodes have
 * joined; an agent that waits longer than the join timeout fails the pod
 * (RendezvousTimeoutError; --max-restarts does not cover it). With the
 * etcd backends an agent can only join once etcd serves. Once the group
 * forms, each node's workers import their libraries, download the model
 * and load it; training starts when the slowest rank is ready (the first
 * collective waits for everyone) and lasts one span for the whole group:
 * the scenario's training.duration, or steps x step_s, where steps may
 * come from dataset tokens / (seq x micro-batch x world x accumulation) x
 * epochs. If a rank's pod ends early, its peers fail with it. */
#include "model/perf.h"
#include "sim/world.h"

#include <math.h>
#include <string.h>

rgroup *trn_group(world *w, const char *key, int size, int nproc)
{
	for (size_t i = 0; i < w->groups.n; i++) {
		rgroup *g = w->groups.v[i];
		if (!strcmp(g->key, key) && !g->done && !g->failed)
			return g;
	}
	rgroup *g = arena_alloc(w->a, sizeof *g);
	if (!g || vec_push(w->a, &w->groups, g)) {
		w->oom = 1;
		return NULL;
	}
	g->key = key;
	g->size = size > 0 ? size : 1;
	g->nproc = nproc > 0 ? nproc : 1;
	return g;
}

/* Seconds per optimizer step from the performance model (model/perf.h):
 * the workload on the GPUs of the pool the group's first pod runs on, its
 * --nnodes pods of --nproc-per-node GPUs each, over that pool's NIC. */
static double perf_step(world *w, rgroup *g)
{
	const scn_workload *wl = &w->scn->workload;
	const pod *p = g->members.n ? g->members.v[0] : NULL;
	const cl_pool *pool = p && p->node ? p->node->pool : NULL;
	const gpu_spec *gpu = pool && pool->gpu_type ? gpu_from_label(pool->gpu_type) : NULL;
	const model_shape *shape = shape_find(wl->model);
	if (!gpu || !shape) { /* the scenario loader checks both; a pod on a CPU pool has neither */
		w_problem(w, "rendezvous %s: the performance model has no GPU for pool %s", g->key,
			  pool ? pool->name : "(none)");
		return 0;
	}
	perf_in in = {.gpu = gpu, .shape = shape, .lora = !strcmp(wl->method, "lora"), .lora_rank = wl->lora_rank,
		      .seq = wl->seq, .micro_batch = wl->micro_batch, .grad_ckpt = wl->grad_ckpt,
		      .nodes = g->size, .gpus_per_node = g->nproc, .lora_targets = wl->lora_targets,
		      .fp32_master = wl->fp32_master,
		      .strategy = g->strategy_set ? g->strategy : wl->strategy,
		      .nic_bps = (pool->nic_gbps > 0 ? pool->nic_gbps : CL_DEFAULT_NIC_GBPS) * 1e9};
	const char *from = g->strategy_set ? arena_printf(w->a, "the training script's %s", g->strategy_arg)
			   : wl->strategy_set ? "the scenario's workload.strategy"
			   : "llama-recipes' default; neither the workflow nor the scenario names one";
	perf_out o;
	char err[200];
	if (perf_estimate(&in, &o, err, sizeof err)) {
		w_problem(w, "rendezvous %s: %s", g->key, err);
		return 0;
	}
	if (!o.fits)
		w_problem(w, "rendezvous %s: the model predicts %.1f GiB per GPU, more than the %s's %.0f GiB: "
			  "the first step runs out of memory", g->key, o.peak_bytes / 1073741824.0, gpu->label,
			  gpu->mem_bytes / 1073741824.0);
	w_note(w, "rendezvous %s: %s on %d x %d %s: %.2f s per step, %s (%s), bound by %s (rehearse model)", g->key,
	       shape->name, g->size, g->nproc, gpu->label, o.step_s, perf_strategy_name(in.strategy), from,
	       perf_bound_name(o.bound));
	/* a faster strategy that fits is advice, never applied */
	perf_option opt[PERF_NSTRATEGY];
	int best = perf_rank(&in, opt, err, sizeof err) ? -1 : perf_recommend(opt);
	if (best >= 0 && opt[best].out.step_s * (1 + PERF_TIE) < o.step_s)
		w_note(w, "rendezvous %s: %s would take %.2f s per step (%.2fx faster, %.1f GiB per GPU; rehearse model "
		       "--strategy auto)", g->key, perf_strategy_name(opt[best].strategy), opt[best].out.step_s,
		       o.step_s / opt[best].out.step_s, opt[best].out.peak_bytes / 1073741824.0);
	return o.step_s * wl->accumulation;
}

/* The training span of a group, drawn once for all its ranks: the one
 * place its length comes from -- the scenario's duration, its steps x
 * step_s, or steps x the performance model's step time (perf: true). */
static double training_span(world *w, rgroup *g)
{
	const scn_workload *wl = &w->scn->workload;
	if (wl->duration.spec)
		return w_draw(w, &w->duration);
	long steps = wl->steps;
	if (!steps) {
		double per_step = (double)wl->seq * wl->micro_batch * wl->accumulation *
			g->size * g->nproc;
		double n = ceil(wl->dataset_tokens / per_step) * wl->epochs;
		steps = n < 1 ? 1 : n > 1e12 ? (long)1e12 : (long)n;
	}
	g->steps = steps;
	if (wl->use_perf)
		return steps * perf_step(w, g);
	double t = 0;
	if (w->step_s.kind == SIM_DIST_CONSTANT)
		return steps * w->step_s.a;
	/* past SAMPLED steps, the sum of draws is their sample scaled: a run
	 * of a billion steps costs no more than one of ten thousand */
	enum { SAMPLED = 10000 };
	long k = steps < SAMPLED ? steps : SAMPLED;
	for (long i = 0; i < k; i++)
		t += w_draw(w, &w->step_s);
	return t * ((double)steps / k);
}

static void trained(sim_engine *e, void *arg, long what)
{
	(void)e;
	(void)what;
	rgroup *g = arg;
	if (g->failed || g->done)
		return;
	g->done = 1;
	for (size_t i = 0; i < g->members.n; i++) {
		pod *p = g->members.v[i];
		pod_finish(p->w, p, 0, "");
	}
}

static void ready(sim_engine *e, void *arg, long gen)
{
	pod *p = arg;
	world *w = p->w;
	rgroup *g = p->group;
	if (p->gen != gen || p->state == P_DONE || g->failed)
		return;
	pod_set_phase(w, p, SIM_PH_SYNC);
	if (++g->ready < g->size)
		return;
	g->started = 1;
	g->first_step = sim_now(e);
	g->train_s = training_span(w, g);
	w_trace(w, "rendezvous %s: all %d ranks ready, first training step; training takes %.0f s",
		g->key, g->size, g->train_s);
	for (size_t i = 0; i < g->members.n; i++)
		pod_set_phase(w, g->members.v[i], SIM_PH_TRAINING);
	sim_after(e, g->train_s, trained, g, 0);
}

static void loading(sim_engine *e, void *arg, long gen)
{
	pod *p = arg;
	if (p->gen != gen || p->state == P_DONE || p->group->failed)
		return;
	pod_set_phase(p->w, p, SIM_PH_LOAD);
	sim_after(e, w_draw(p->w, &p->w->model_load), ready, p, gen);
}

static void downloading(sim_engine *e, void *arg, long gen)
{
	pod *p = arg;
	world *w = p->w;
	if (p->gen != gen || p->state == P_DONE || p->group->failed)
		return;
	pod_set_phase(w, p, SIM_PH_DOWNLOAD);
	double mbps = w_draw(w, &w->hub_mbps);
	double d = mbps > 0 ? w->scn->workload.model_gb * 1000 / mbps : 0;
	sim_after(e, d, loading, p, gen);
}

static void formed(world *w, rgroup *g)
{
	g->formed = 1;
	g->formed_at = sim_now(w->e);
	w_trace(w, "rendezvous %s complete: %d of %d nodes", g->key, (int)g->members.n, g->size);
	for (size_t i = 0; i < g->members.n; i++) {
		pod *p = g->members.v[i];
		pod_set_phase(w, p, SIM_PH_WORKER);
		sim_after(w->e, w_draw(w, &w->worker_start), downloading, p, p->gen);
	}
}

static void join(world *w, pod *p)
{
	rgroup *g = p->group;
	vec_push(w->a, &g->members, p);
	w_trace(w, "pod %s joins rendezvous %s (%d/%d)", p->name, g->key, (int)g->members.n, g->size);
	if ((int)g->members.n == g->size)
		formed(w, g);
}

static void join_timeout(sim_engine *e, void *arg, long gen)
{
	(void)e;
	pod *p = arg;
	world *w = p->w;
	rgroup *g = p->group;
	if (p->gen != gen || p->state == P_DONE || g->formed)
		return;
	pod_finish(w, p, 1, arena_printf(w->a, "RendezvousTimeoutError: %d of %d nodes joined "
		   "within the join timeout (%.0f s)%s", (int)g->members.n, g->size,
		   w->scn->workload.join_timeout_s, g->needs_etcd && etcd_available_at(w) < 0
		   ? "; etcd never served" : ""));
}

void trn_agent_started(world *w, pod *p)
{
	rgroup *g = p->group;
	pod_set_phase(w, p, SIM_PH_RENDEZVOUS);
	w_trace(w, "pod %s: torchrun agent up", p->name);
	sim_after(w->e, w->scn->workload.join_timeout_s, join_timeout, p, p->gen);
	if (g->needs_etcd && etcd_available_at(w) < 0) {
		vec_push(w->a, &g->waiting, p);
		return;
	}
	join(w, p);
}

void trn_etcd_up(world *w)
{
	for (size_t i = 0; i < w->groups.n; i++) {
		rgroup *g = w->groups.v[i];
		vec wait = g->waiting;
		g->waiting = (vec){0};
		for (size_t k = 0; k < wait.n; k++) {
			pod *p = wait.v[k];
			if (p->state != P_DONE)
				join(w, p);
		}
	}
}

void trn_pod_gone(world *w, pod *p)
{
	rgroup *g = p->group;
	if (!g || g->done || g->failed || p->failed == 0)
		return;
	if (!g->formed)
		return; /* the others keep waiting; their own timeouts end them */
	g->failed = 1;
	for (size_t i = 0; i < g->members.n; i++) {
		pod *q = g->members.v[i];
		if (q != p)
			pod_finish(w, q, 1, arena_printf(w->a, "worker group failed: rank pod %s ended "
				   "(%s)", p->name, p->msg ? p->msg : ""));
	}
}
