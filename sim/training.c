/* training.c: torchrun's elastic agents and their worker group.
 *
 * Each rank pod runs a torchrun agent. The agents of one job (same rdzv id
 * and endpoint) meet in a rendezvous that completes when all --nnodes have
 * joined; an agent that waits longer than the join timeout fails its pod
 * (RendezvousTimeoutError). With the etcd backends an agent can only join
 * once etcd serves. Once the group forms, each node's workers import their
 * libraries, download the model (once per node) and load it (plus the last
 * checkpoint, after a restart); training starts when the slowest rank is
 * ready, since the first collective waits for everyone.
 *
 * As torch.distributed.elastic does (agent/server/api.py): a failure of the
 * workers on any node stops the worker group on every node, and the agents
 * rendezvous again and restart all workers. The agent notices a failure at
 * its next monitor tick (--monitor-interval); a restart costs the worker
 * start and the model load again, and the work since the last checkpoint.
 * --max-restarts N allows N restarts (N+1 attempts, default 0); after the
 * last one every agent exits 1. A peer whose processes die resets its
 * connections, so the others fail at once; a peer that hangs is noticed
 * only when the collective times out (the NCCL process-group timeout).
 * With c10d the store lives in the agent on the endpoint host: if that node
 * goes, the others cannot rendezvous again. */
#include "model/perf.h"
#include "sim/world.h"

#include <math.h>
#include <string.h>

#define STOP_S 1.0        /* guess: stopping the workers of a node */
#define RDZV_ROUND_S 1.0  /* guess: one rendezvous round once all agents are in */
#define EXIT_S 1.0        /* guess: an agent exits after the last attempt (measured ~2 s in all) */
#define FIRST_FAIL_S 10.0 /* guess: an OOM or crash in the first step comes this soon */
#define CKPT_MBPS 200.0   /* guess: sharded checkpoint write/read to the pod's disk, MB/s */
#define CKPT_FIXED_S 2.0  /* guess: FSDP state-dict gather and file open per checkpoint */
#define CKPT_BYTES_PER_PARAM 12.0 /* fp32 weights + AdamW moments of what is trained */

rgroup *trn_group(world *w, const char *key, int size, int nproc)
{
	for (size_t i = 0; i < w->groups.n; i++) {
		rgroup *g = w->groups.v[i];
		if (!strcmp(g->key, key) && g->state != G_DONE && g->state != G_FAILED)
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
	g->monitor_s = 0.1;
	g->join_timeout_s = w->scn->workload.join_timeout_s;
	g->repeat_rank = -1;
	g->notice_round = -1;
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
	if (!o.fits) {
		g->oom = 1;
		g->oom_why = arena_printf(w->a, "CUDA out of memory: the model predicts %.1f GiB per GPU, "
					  "more than the %s's %.0f GiB (micro_batch %d, seq %d; "
					  "rehearse model)",
					  o.peak_bytes / 1073741824.0, gpu->label,
					  gpu->mem_bytes / 1073741824.0, wl->micro_batch, wl->seq);
	}
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

/* One checkpoint's write (and read, on resume): what is trained (the LoRA
 * adapters, or every weight) x 12 bytes (fp32 weights and AdamW's two
 * moments) at failures.checkpoint_mbps, plus a fixed cost. Said once. */
static void checkpoint_cost(world *w, rgroup *g)
{
	const scn_workload *wl = &w->scn->workload;
	const model_shape *shape = shape_find(wl->model);
	int lora = !strcmp(wl->method, "lora");
	double params = !shape ? wl->model_gb * 1e9 / 2 /* fp16 weights */
		: lora ? shape_lora_params(shape, wl->lora_rank, wl->lora_targets) : shape_params(shape);
	double mb = params * CKPT_BYTES_PER_PARAM / 1e6;
	double mbps = w->scn->failures.checkpoint_mbps > 0 ? w->scn->failures.checkpoint_mbps : CKPT_MBPS;
	g->ckpt_write_s = g->ckpt_read_s = CKPT_FIXED_S + mb / mbps;
	if (g->ckpt_every_s > 0)
		w_note(w, "rendezvous %s: a checkpoint is %.0f MB (%s: %.3g parameters x %.0f bytes), written "
		       "or read in %.1f s (%.0f MB/s, failures.checkpoint_mbps, + %.0f s)", g->key, mb,
		       lora ? "the LoRA adapters" : "every weight", params, CKPT_BYTES_PER_PARAM,
		       g->ckpt_write_s, mbps, CKPT_FIXED_S);
}

/* The training work of a group, drawn once for all its ranks: the
 * scenario's duration, its steps x step_s, or steps x the performance
 * model's step time (perf: true). */
static double training_span(world *w, rgroup *g)
{
	const scn_workload *wl = &w->scn->workload;
	g->step_s = 0;
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
	if (wl->use_perf) {
		g->step_s = perf_step(w, g);
		return steps * g->step_s;
	}
	if (w->step_s.kind == SIM_DIST_CONSTANT) {
		g->step_s = w->step_s.a;
		return steps * w->step_s.a;
	}
	/* past SAMPLED steps, the sum of draws is their sample scaled: a run
	 * of a billion steps costs no more than one of ten thousand */
	enum { SAMPLED = 10000 };
	double t = 0;
	long k = steps < SAMPLED ? steps : SAMPLED;
	for (long i = 0; i < k; i++)
		t += w_draw(w, &w->step_s);
	g->step_s = t / k;
	return t * ((double)steps / k);
}

static int alive(const pod *p)
{
	return p->state != P_DONE && !p->hung && !p->lost;
}

static void set_phase_all(world *w, rgroup *g, sim_phase ph)
{
	for (size_t i = 0; i < g->members.n; i++) {
		pod *p = g->members.v[i];
		if (alive(p))
			pod_set_phase(w, p, ph);
	}
}

static void trained(sim_engine *e, void *arg, long round)
{
	(void)e;
	rgroup *g = arg;
	if (g->round != round || g->state != G_TRAIN)
		return;
	g->state = G_DONE;
	g->done = 1;
	vec m = g->members;
	for (size_t i = 0; i < m.n; i++) {
		pod *p = m.v[i];
		pod_finish(p->w, p, 0, "");
	}
}

static pod *member_of_rank(rgroup *g, int rank)
{
	for (size_t i = 0; i < g->members.n; i++) {
		pod *p = g->members.v[i];
		if (p->node_rank == rank)
			return p;
	}
	return NULL;
}

/* The first step fails (out of memory, a crashing defect) or an injected
 * exit comes back: the workers of one node exit. */
static void first_step_fails(sim_engine *e, void *arg, long round)
{
	(void)e;
	rgroup *g = arg;
	if (g->round != round || g->state != G_TRAIN || !g->members.n)
		return;
	world *w = ((pod *)g->members.v[0])->w;
	if (g->oom || g->crash_fx) {
		pod *p = member_of_rank(g, 0);
		if (!p)
			p = g->members.v[0];
		trn_worker_fail(w, p, g->crash_fx, g->oom ? g->oom_why : g->crash_fx->msg);
		return;
	}
	pod *p = member_of_rank(g, g->repeat_rank);
	if (p && g->repeats > 0) {
		g->repeats--;
		trn_worker_fail(w, p, NULL, g->repeat_why);
	}
}

/* All ranks are ready: the first (or a resumed) training step. */
static void train(world *w, rgroup *g)
{
	double now = sim_now(w->e);
	g->state = G_TRAIN;
	if (!g->started) {
		g->started = 1;
		g->first_step = now;
		g->train_s = training_span(w, g);
		g->ckpt_every_s = w->opts.checkpoint_interval_s > 0 ? w->opts.checkpoint_interval_s
			: w->opts.checkpoint_interval_s < 0 ? 0 : w->scn->workload.checkpoint_interval_s;
		checkpoint_cost(w, g);
	}
	set_phase_all(w, g, SIM_PH_TRAINING);
	if (g->oom || g->crash_fx || (g->repeats > 0 && member_of_rank(g, g->repeat_rank))) {
		w_trace(w, "rendezvous %s: all %d ranks ready, %s", g->key, g->size,
			g->restarts ? "training resumes" : "first training step");
		/* an OOM or a crash comes in the first forward pass, not at the
		 * end of a long step; a recurring exit within the first step */
		double t = g->step_s > 0 && g->step_s < FIRST_FAIL_S ? g->step_s : FIRST_FAIL_S;
		sim_after(w->e, t, first_step_fails, g, g->round);
		return;
	}
	double left = g->train_s - g->saved_s;
	if (left < 0)
		left = 0;
	double writes = g->ckpt_every_s > 0 ? floor(left / g->ckpt_every_s) : 0;
	double d = left + writes * g->ckpt_write_s;
	g->seg_start = now;
	g->seg_end = now + d;
	if (!w->opts.no_failures)
		faults_arm(w, g, d);
	w_trace(w, "rendezvous %s: all %d ranks ready, %s; training takes %.0f s", g->key, g->size,
		g->restarts ? "training resumes" : "first training step", d);
	sim_after(w->e, d, trained, g, g->round);
}

static void ready(sim_engine *e, void *arg, long round)
{
	(void)e;
	pod *p = arg;
	world *w = p->w;
	rgroup *g = p->group;
	if (g->round != round || !alive(p) || g->state != G_START)
		return;
	pod_set_phase(w, p, SIM_PH_SYNC);
	if (++g->ready == g->size)
		train(w, g);
}

static void loading(sim_engine *e, void *arg, long round)
{
	pod *p = arg;
	world *w = p->w;
	rgroup *g = p->group;
	if (g->round != round || !alive(p) || g->state != G_START)
		return;
	p->downloaded = 1;
	pod_set_phase(w, p, SIM_PH_LOAD);
	double d = w_draw(w, &w->model_load) + (g->saved_s > 0 ? g->ckpt_read_s : 0);
	sim_after(e, d, ready, p, round);
}

static void workers_up(sim_engine *e, void *arg, long round)
{
	pod *p = arg;
	world *w = p->w;
	rgroup *g = p->group;
	if (g->round != round || !alive(p) || g->state != G_START)
		return;
	if (p->downloaded) {
		loading(e, p, round);
		return;
	}
	pod_set_phase(w, p, SIM_PH_DOWNLOAD);
	double mbps = w_draw(w, &w->hub_mbps);
	double d = mbps > 0 ? w->scn->workload.model_gb * 1000 / mbps : 0;
	sim_after(e, d, loading, p, round);
}

static void formed(sim_engine *e, void *arg, long round)
{
	(void)e;
	rgroup *g = arg;
	if (g->round != round || g->state != G_RDZV || (int)g->members.n < g->size)
		return;
	world *w = ((pod *)g->members.v[0])->w;
	g->state = G_START;
	g->ready = 0;
	if (!g->formed) {
		g->formed = 1;
		g->formed_at = sim_now(w->e);
	}
	w_trace(w, "rendezvous %s complete: %d of %d nodes%s", g->key, (int)g->members.n, g->size,
		g->restarts ? arena_printf(w->a, " (restart %d of %d)", g->restarts, g->max_restarts) : "");
	for (size_t i = 0; i < g->members.n; i++) {
		pod *p = g->members.v[i];
		p->in_rdzv = 0;
		pod_set_phase(w, p, SIM_PH_WORKER);
		sim_after(w->e, w_draw(w, &w->worker_start), workers_up, p, g->round);
	}
}

static sts *etcd_serving(world *w)
{
	for (size_t i = 0; i < w->stss.n; i++) {
		sts *s = w->stss.v[i];
		if (s->is_etcd && !s->deleted && s->quorum_at >= 0)
			return s;
	}
	return NULL;
}

static void join_timeout(sim_engine *e, void *arg, long gen)
{
	pod *p = arg;
	world *w = p->w;
	rgroup *g = p->group;
	if (p->gen != gen || !alive(p) || !p->in_rdzv || sim_now(e) < p->rdzv_deadline - 1e-9)
		return;
	const fx *cause = g->never_fx;
	for (size_t i = 0; !cause && g->needs_etcd && !etcd_serving(w) && i < w->stss.n; i++)
		cause = ((sts *)w->stss.v[i])->broken; /* the etcd that never served, and why */
	const char *why = g->never_fx ? arena_printf(w->a, "; %s", g->never_fx->msg)
		: g->needs_etcd && !etcd_serving(w) ? "; etcd never served" : "";
	const char *msg = arena_printf(w->a, "RendezvousTimeoutError: %d of %d nodes joined within the "
				       "join timeout (%.0f s)%s", (int)g->members.n, g->size,
				       g->join_timeout_s, why);
	w_failure(w, cause, p->name, "%s", msg);
	pod_finish(w, p, 1, msg);
}

static void v2_refused(sim_engine *e, void *arg, long gen)
{
	(void)e;
	pod *p = arg;
	world *w = p->w;
	sts *s = etcd_serving(w);
	if (p->gen != gen || !alive(p) || !s || !s->v2_404)
		return;
	const char *msg = arena_printf(w->a, "etcd %s answers 404 Not Found on /v2/keys: the etcd-v2 "
				       "rendezvous needs the v2 API", s->name);
	w_failure(w, s->v2_404, p->name, "%s", msg);
	pod_finish(w, p, 1, msg);
}

/* The agent is in the rendezvous: join if it can. */
static void join(world *w, pod *p)
{
	rgroup *g = p->group;
	if (g->never_fx)
		return; /* it waits for peers that never come; the join timeout ends it */
	if (g->needs_etcd) {
		sts *s = etcd_serving(w);
		if (s && s->v2_404) {
			sim_after(w->e, 1.0, v2_refused, p, p->gen);
			return;
		}
	}
	for (size_t i = 0; i < g->members.n; i++)
		if (g->members.v[i] == p)
			return;
	if (g->state != G_RDZV) {
		/* a late agent: the running group sees a node waiting and restarts
		 * (api.py: num_nodes_waiting() > 0), here only if one is missing */
		return;
	}
	vec_push(w->a, &g->members, p);
	if (g->c10d && p->node_rank == 0 && g->store_host != p) {
		if (!g->store_host)
			w_note(w, "rendezvous %s: c10d keeps its store in the agent of node rank 0 (taken as "
			       "the --rdzv-endpoint host): if that node goes, the others cannot rendezvous again",
			       g->key);
		g->store_host = p;
	}
	w_trace(w, "pod %s joins rendezvous %s (%d/%d)", p->name, g->key, (int)g->members.n, g->size);
	if ((int)g->members.n == g->size)
		sim_after(w->e, g->restarts ? RDZV_ROUND_S : 0, formed, g, g->round);
}

static void enter_rdzv(world *w, pod *p)
{
	rgroup *g = p->group;
	p->in_rdzv = 1;
	p->rdzv_deadline = sim_now(w->e) + g->join_timeout_s;
	pod_set_phase(w, p, SIM_PH_RENDEZVOUS);
	sim_after(w->e, g->join_timeout_s, join_timeout, p, p->gen);
	if (g->needs_etcd && !etcd_serving(w)) {
		vec_push(w->a, &g->waiting, p);
		return;
	}
	join(w, p);
}

static void agent_late(sim_engine *e, void *arg, long gen)
{
	(void)e;
	pod *p = arg;
	if (p->gen == gen && alive(p)) {
		w_trace(p->w, "pod %s: torchrun agent up, late (--inject join-late)", p->name);
		enter_rdzv(p->w, p);
	}
}

int trn_past_horizon(world *w)
{
	int n = 0;
	for (size_t i = 0; i < w->groups.n; i++) {
		rgroup *g = w->groups.v[i];
		if (g->state != G_TRAIN || g->seg_start <= 0 || g->seg_end <= w->horizon)
			continue;
		const scn_workload *wl = &w->scn->workload;
		double d = g->train_s;
		w_problem(w, "rendezvous %s: its training takes %.0f s (%.1f years%s), and the segment under "
			  "way would end at t=%.0f s, past the simulator's horizon of %.0f s (%.1f years)", g->key,
			  d, d / (365.25 * 86400), wl->duration.spec ? ", workload.training.duration"
			  : arena_printf(w->a, ": %ld steps of %.3g s, from %s", g->steps, g->step_s,
					 wl->steps ? "workload.training.steps"
					 : "workload.dataset_tokens x epochs over seq x micro_batch x "
					   "accumulation x the group's GPUs"),
			  g->seg_end, w->horizon, w->horizon / (365.25 * 86400));
		n++;
	}
	return n;
}

void trn_agent_started(world *w, pod *p)
{
	double late = faults_join_after(w, p->node_rank), now = sim_now(w->e);
	if (late > now) {
		/* a late node (--inject join-late): its peers idle until it comes */
		pod_set_phase(w, p, SIM_PH_START);
		w_trace(w, "pod %s: torchrun agent held back until %s (--inject join-late)", p->name,
			isinf(late) ? "never" : arena_printf(w->a, "%.1f s", late));
		if (!isinf(late))
			sim_after(w->e, late - now, agent_late, p, p->gen);
		return;
	}
	w_trace(w, "pod %s: torchrun agent up", p->name);
	enter_rdzv(w, p);
}

void trn_etcd_up(world *w)
{
	for (size_t i = 0; i < w->groups.n; i++) {
		rgroup *g = w->groups.v[i];
		vec wait = g->waiting;
		g->waiting = (vec){0};
		for (size_t k = 0; k < wait.n; k++) {
			pod *p = wait.v[k];
			if (alive(p) && p->in_rdzv)
				join(w, p);
		}
	}
}

/* After a failure: the agents still able to, rendezvous again. */
static void rejoin(sim_engine *e, void *arg, long round)
{
	(void)e;
	rgroup *g = arg;
	if (g->round != round || g->state != G_RDZV)
		return;
	vec old = g->members;
	g->members = (vec){0};
	world *w = NULL;
	for (size_t i = 0; i < old.n; i++) {
		pod *p = old.v[i];
		w = p->w;
		if (!alive(p))
			continue;
		if (g->c10d && g->store_host && g->store_host != p && !alive(g->store_host)) {
			const char *msg = arena_printf(w->a, "RendezvousConnectionError: the c10d store on %s "
						       "(the --rdzv-endpoint host) is gone", g->store_host->name);
			w_failure(w, NULL, p->name, "%s", msg);
			pod_finish(w, p, 1, msg);
			continue;
		}
		enter_rdzv(w, p);
	}
}

static void agents_exit(sim_engine *e, void *arg, long round)
{
	(void)e;
	rgroup *g = arg;
	if (g->round != round || g->state != G_FAILED)
		return;
	vec m = g->members;
	for (size_t i = 0; i < m.n; i++) {
		pod *p = m.v[i];
		if (p->state != P_DONE && !p->hung)
			pod_finish(p->w, p, 1, arena_printf(p->w->a, "torchrun: the worker group failed "
				   "%d time(s); --max-restarts %d is used up", g->failures, g->max_restarts));
	}
}

/* The training segment that began at g->seg_start, at now: the work the
 * checkpoints written since hold (kept) and the seconds since the last one
 * (lost if the workers stop now). */
static void segment_progress(const rgroup *g, double now, double *kept, double *since)
{
	double e = now - g->seg_start, keep = 0;
	if (g->ckpt_every_s > 0) {
		double k = floor(e / (g->ckpt_every_s + g->ckpt_write_s));
		keep = k * g->ckpt_every_s;
		e -= k * (g->ckpt_every_s + g->ckpt_write_s);
	}
	*kept = keep;
	*since = e;
}

void trn_worker_fail(world *w, pod *p, const fx *cause, const char *why)
{
	rgroup *g = p->group;
	if (!g || (g->state != G_START && g->state != G_TRAIN))
		return;
	double now = sim_now(w->e);
	if (g->state == G_TRAIN && g->seg_start > 0 && !g->oom && !g->crash_fx) {
		double keep, e;
		segment_progress(g, now, &keep, &e);
		g->saved_s += keep;
		if (g->saved_s > g->train_s)
			g->saved_s = g->train_s;
		g->lost_gpu_s += e * g->size * g->nproc;
	}
	g->seg_start = 0;
	g->round++;
	g->failures++;
	w_failure(w, cause, p->name, "workers failed (attempt %d of %d): %s", g->failures,
		  g->max_restarts + 1, why);
	w_trace(w, "rendezvous %s: workers on %s failed (%s); the agents stop the group", g->key,
		p->name, why);
	set_phase_all(w, g, SIM_PH_RENDEZVOUS);
	double detect = g->monitor_s + STOP_S;
	if (g->failures > g->max_restarts) {
		g->state = G_FAILED;
		g->failed = 1;
		sim_after(w->e, detect + EXIT_S, agents_exit, g, g->round);
		return;
	}
	g->state = G_RDZV;
	g->restarts++;
	sim_after(w->e, detect, rejoin, g, g->round);
}

static void nccl_timeout(sim_engine *e, void *arg, long round)
{
	(void)e;
	pod *p = arg;
	rgroup *g = p->group;
	if (g->round != round)
		return;
	trn_worker_fail(p->w, p, NULL, arena_printf(p->w->a, "NCCL watchdog: a collective with %s "
			"timed out after %.0f s (workload.pg_timeout: init_process_group(timeout=))",
			p->name, p->w->scn->workload.pg_timeout_s));
}

void trn_node_hang(world *w, pod *p)
{
	rgroup *g = p->group;
	p->hung = 1;
	if (g && (g->state == G_START || g->state == G_TRAIN))
		sim_after(w->e, w->scn->workload.pg_timeout_s, nccl_timeout, p, g->round);
}

void trn_node_lost(world *w, pod *p)
{
	p->lost = 1;
	if (p->group)
		trn_worker_fail(w, p, NULL, arena_printf(w->a, "connection reset by peer: the node of "
				"%s is gone", p->name));
}

void trn_pod_gone(world *w, pod *p)
{
	rgroup *g = p->group;
	if (!g || g->state == G_DONE || g->state == G_FAILED)
		return;
	if (p->hung || p->lost) {
		/* its connections reset (lost) or hang (hung) on their own terms */
	} else if (p->failed && (g->state == G_START || g->state == G_TRAIN)) {
		int member = 0;
		for (size_t i = 0; i < g->members.n; i++)
			member |= g->members.v[i] == p;
		if (member) {
			/* its processes are gone: connections reset, the peers fail at once */
			trn_worker_fail(w, p, NULL, arena_printf(w->a, "connection reset: rank pod %s "
					"ended (%s)", p->name, p->msg ? p->msg : ""));
			return;
		}
	}
	if (g->state == G_RDZV) {
		for (size_t i = 0; i < g->members.n; i++)
			if (g->members.v[i] == p) {
				g->members.v[i] = g->members.v[--g->members.n];
				break;
			}
	}
}

/* The workers of p end (SIGTERM) at the event: with a checkpoint written
 * first when one was begun in the grace period and no failure came since. */
static void terminated(sim_engine *e, void *arg, long gen)
{
	(void)e;
	pod *p = arg;
	world *w = p->w;
	rgroup *g = p->group;
	if (p->gen != gen || p->state == P_DONE || p->lost || p->hung)
		return;
	p->lost = 1; /* its processes are gone */
	if (g->notice_round == g->round && g->state == G_TRAIN && g->seg_start > 0) {
		g->saved_s = g->notice_saved_s > g->train_s ? g->train_s : g->notice_saved_s;
		g->seg_start = 0; /* the checkpoint holds it all: nothing lost */
	}
	g->notice_round = -1;
	trn_worker_fail(w, p, NULL, arena_printf(w->a, "connection reset by peer: the processes of %s "
			"ended (SIGTERM)", p->name));
	if (p->sigterm_end)
		pod_finish(w, p, 1, p->sigterm_end);
}

void trn_sigterm(world *w, pod *p, double grace_s, const char *end_msg)
{
	rgroup *g = p->group;
	double now = sim_now(w->e), d = 0;
	p->sigterm_end = end_msg;
	if (g && g->state == G_TRAIN && g->seg_start > 0 && !g->oom && !g->crash_fx &&
	    w->scn->failures.checkpoint_on_notice) {
		double keep, since;
		segment_progress(g, now, &keep, &since);
		if (g->ckpt_write_s <= grace_s) {
			if (since > g->ckpt_every_s && g->ckpt_every_s > 0)
				since = g->ckpt_every_s; /* inside a periodic write: it holds that much */
			g->notice_round = g->round;
			g->notice_saved_s = g->saved_s + keep + since;
			d = g->ckpt_write_s;
			w_note(w, "rendezvous %s: on SIGTERM the workers write a checkpoint (%.1f s, within the "
			       "%.0f s grace; failures.checkpoint_on_notice): %.0f s of training kept", g->key,
			       d, grace_s, g->notice_saved_s);
		} else {
			w_note(w, "rendezvous %s: a checkpoint (%.1f s) does not fit in the %.0f s grace: "
			       "the workers end without one", g->key, g->ckpt_write_s, grace_s);
		}
	}
	sim_after(w->e, d, terminated, p, p->gen);
}
