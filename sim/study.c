/* study.c: load, change and simulate one case (study.h).
 *
 * Each run owns its inputs: the workflow set (and its re-scaled copy), a
 * scenario loaded afresh (the changes are written into it), and the
 * simulation. Loading a scenario is a small YAML parse, so a sweep of
 * hundreds of cases spends its time simulating, not loading. */
#include "sim/study.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/rescale.h"
#include "document/torchrun.h"
#include "model/gpu.h"
#include "model/machine.h"
#include "model/shape.h"
#include "validate/rules.h"

struct study_run {
	wf_set *set, *run_set;
	scenario *scn;
	simulation *sim;
	diag_list *findings;        /* the workflow's lint findings */
	fx_list *effects;           /* their runtime effects, played out in every run */
	const cl_pool *gpu_pool;
	char label[128];
	char notes[6][320];
	const char *note_ptrs[6];
	const wf_doc *doc;          /* what ran, for trials */
	sim_opts opts;
	study_trial *trials;
	int ntrials;
};

const wf_doc *study_pick_doc(const wf_set *s)
{
	/* the first file's documents (the others hold the WorkflowTemplates it
	 * names): a Workflow, else a CronWorkflow (its workflowSpec), else a
	 * template that can be submitted (it has an entrypoint), else the first */
	const yn_doc *raw = wf_set_raw_count(s) ? wf_set_raw(s, 0) : NULL;
	const wf_doc *best = NULL;
	int rank = 4;
	for (size_t i = 0; i < wf_set_count(s); i++) {
		const wf_doc *d = wf_set_doc(s, i);
		if (raw && raw->file && d->file && strcmp(raw->file, d->file))
			continue;
		int r = d->kind == WF_WORKFLOW ? 0 : d->kind == WF_CRON_WORKFLOW ? 1 : d->spec.entrypoint ? 2 : 3;
		if (r < rank)
			best = d, rank = r;
	}
	return best;
}

/* Emit s and load it again: what a change to its trees becomes. */
static wf_set *reload(wf_set *s, const char *file, char *err, size_t errlen)
{
	size_t len = 0;
	char *text = wf_set_emit(s, &len, err, errlen);
	if (!text)
		return NULL;
	wf_set *out = wf_set_new();
	diag_list *d = diag_list_new();
	if (!out || !d || wf_set_load_mem(out, file, text, len, d, err, errlen)) {
		if (!err[0])
			snprintf(err, errlen, "out of memory");
		wf_set_free(out);
		out = NULL;
	}
	diag_list_free(d);
	free(text);
	return out;
}

wf_set *study_rescale(wf_set *s, const wf_doc *doc, int n, int *from, char *err, size_t errlen)
{
	tr_job *jobs = NULL;
	size_t nj = 0;
	*from = 0;
	if (tr_find(wf_set_arena(s), doc, &jobs, &nj)) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!nj) {
		snprintf(err, errlen, "--nodes %d: the workflow runs no torchrun job to re-scale", n);
		return NULL;
	}
	*from = (int)jobs[0].ncalls;
	int rc = rescale_job(wf_set_arena(s), &jobs[0], (unsigned)n, NULL, NULL, err, errlen);
	if (rc < 0) {
		if (!err[0])
			snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return rc == 0 ? s : reload(s, doc->file, err, errlen);
}

/* GPUs one rank pod asks for: the torchrun container's nvidia.com/gpu
 * limit (or request); 0 when it asks none or there is no torchrun job. */
static int rank_gpus(arena *a, const wf_doc *doc)
{
	tr_job *jobs = NULL;
	size_t nj = 0;
	if (tr_find(a, doc, &jobs, &nj) || !nj || !jobs[0].ctr)
		return 0;
	const ynode *res = jobs[0].ctr->resources;
	const char *g = yn_get_str(yn_get(res, "limits"), "nvidia.com/gpu");
	if (!g)
		g = yn_get_str(yn_get(res, "requests"), "nvidia.com/gpu");
	return g ? atoi(g) : 0;
}

/* The one fixed pool with GPUs enough for a rank pod; NULL when there is
 * none or more than one (which would be a guess). */
static cl_pool *fixed_gpu_pool(scenario *scn, int gpus, int *count)
{
	cl_pool *found = NULL;
	*count = 0;
	for (size_t i = 0; i < scn->cluster.npools; i++) {
		cl_pool *p = &scn->cluster.pools[i];
		if (p->gpus > 0 && p->gpus >= gpus && !p->autoscale) {
			found = p;
			++*count;
		}
	}
	return *count == 1 ? found : NULL;
}

static int fit(scenario *scn, int gpus, int ranks, char *note, size_t notelen)
{
	int count;
	note[0] = 0;
	if (gpus <= 0) {
		snprintf(note, notelen, "the rank pods ask for no GPU: no GPU pool sized to the fan-out");
		return -1;
	}
	cl_pool *p = fixed_gpu_pool(scn, gpus, &count);
	if (!p) {
		if (count > 1)
			snprintf(note, notelen, "%d fixed GPU pools could take the rank pods: none was sized "
				 "to the fan-out", count);
		return count > 1 ? -1 : 0; /* none fixed: the autoscaler sizes it */
	}
	int per_node = p->gpus / gpus;
	int want = (ranks + per_node - 1) / per_node;
	if (want == p->nodes)
		return 0;
	snprintf(note, notelen, "GPU pool %s sized from %d to %d node%s for %d rank pod%s of %d GPU%s "
		 "(the scenario's size is kept with --keep-pool)", p->name, p->nodes, want,
		 want == 1 ? "" : "s", ranks, ranks == 1 ? "" : "s", gpus, gpus == 1 ? "" : "s");
	p->nodes = want;
	return 0;
}

int study_fit_pools(scenario *scn, const wf_doc *doc, int ranks, char *note, size_t notelen)
{
	arena *a = arena_new();
	if (!a) {
		snprintf(note, notelen, "out of memory");
		return -1;
	}
	int rc = fit(scn, rank_gpus(a, doc), ranks, note, notelen);
	arena_free(a);
	return rc;
}

/* The scalar values of nodeSelector maps in the document that equal one
 * of old's labels (same key): the ones to point at the new machine's. */
static int retarget_selectors(const ynode *n, const char *key, const char *from, const char *to,
			      arena *a, int in_selector)
{
	int changed = 0;
	if (!n)
		return 0;
	if (n->kind == YN_MAP) {
		for (size_t i = 0; i < n->n; i++) {
			const char *k = yn_str(n->key[i]);
			if (in_selector && k && !strcmp(k, key) && yn_str(n->val[i]) &&
			    !strcmp(yn_str(n->val[i]), from)) {
				ynode *v = n->val[i];
				v->str = arena_strdup(a, to);
				v->len = strlen(to);
				changed++;
				continue;
			}
			changed += retarget_selectors(n->val[i], key, from, to, a,
						      k && !strcmp(k, "nodeSelector"));
		}
	} else if (n->kind == YN_SEQ) {
		for (size_t i = 0; i < n->n; i++)
			changed += retarget_selectors(n->item[i], key, from, to, a, 0);
	}
	return changed;
}

static const char *accelerator(const cl_pool *p)
{
	for (size_t i = 0; i < p->nlabels; i++)
		if (!strcmp(p->labels[i].key, "cloud.google.com/gke-accelerator"))
			return p->labels[i].value;
	return NULL;
}

static cl_pool *first_gpu_pool(scenario *scn)
{
	for (size_t i = 0; i < scn->cluster.npools; i++)
		if (scn->cluster.pools[i].gpus > 0)
			return &scn->cluster.pools[i];
	return NULL;
}

/* Pods of the first torchrun job; 0 when there is none. */
static int fanout(wf_set *s, const wf_doc *doc)
{
	tr_job *jobs = NULL;
	size_t nj = 0;
	if (tr_find(wf_set_arena(s), doc, &jobs, &nj) || !nj)
		return 0;
	return (int)jobs[0].ncalls;
}

void study_run_free(study_run *r)
{
	if (!r)
		return;
	simulation_free(r->sim);
	diag_list_free(r->findings);
	fx_free(r->effects);
	free(r->trials);
	if (r->run_set != r->set)
		wf_set_free(r->run_set);
	wf_set_free(r->set);
	scn_free(r->scn);
	free(r);
}

static study_run *fail(study_run *r)
{
	study_run_free(r);
	return NULL;
}

study_run *study_run_case(const study_case *c, diag_list *d, char *err, size_t errlen)
{
	study_run *r = calloc(1, sizeof *r);
	const char *notes[6];
	size_t nnotes = 0;
	err[0] = 0;
	if (!r || !(r->set = wf_set_new())) {
		snprintf(err, errlen, "out of memory");
		return fail(r);
	}
	r->scn = scn_load_file(c->scenario, d, err, errlen);
	if (!r->scn)
		return fail(r);
	if (wf_set_load_file(r->set, c->workflow, d, err, errlen))
		return fail(r);
	if (diag_count_at_least(d, DIAG_ERROR)) {
		snprintf(err, errlen, "%s does not load; see `rehearse lint`", c->workflow);
		return fail(r);
	}
	const wf_doc *doc = study_pick_doc(r->set);
	if (!doc) {
		snprintf(err, errlen, "%s holds no Argo workflow", c->workflow);
		return fail(r);
	}
	/* what lint says of the workflow as given, kept with the run */
	if (!(r->findings = diag_list_new()) || lint_run(r->set, NULL, r->findings)) {
		snprintf(err, errlen, "out of memory");
		return fail(r);
	}
	/* a case plays out what lint knows is fatal, as simulate does: a
	 * comparison never calls a workflow that cannot deploy a success */
	if (!(r->effects = fx_from_findings(r->set, doc, r->findings, err, errlen)))
		return fail(r);
	scenario *scn = r->scn;
	cl_pool *gp = first_gpu_pool(scn);
	if (c->gpu) {
		const machine_type *m = machine_find(c->gpu);
		if (!m) {
			snprintf(err, errlen, "--gpu %s: no such GPU machine type (see `rehearse sweep --list-gpus`)",
				 c->gpu);
			return fail(r);
		}
		if (!gp) {
			snprintf(err, errlen, "--gpu %s: scenario %s has no GPU pool to swap it into",
				 c->gpu, scn->name);
			return fail(r);
		}
		/* the scenario's own machine: its own figures and prices stand */
		if (gp->machine && !strcmp(gp->machine, m->machine))
			goto swapped;
		const char *old = accelerator(gp);
		if (old && strcmp(old, m->accelerator) &&
		    retarget_selectors(doc->root, "cloud.google.com/gke-accelerator", old,
				       m->accelerator, wf_set_arena(r->set), 0)) {
			wf_set *again = reload(r->set, doc->file, err, errlen);
			if (!again)
				return fail(r);
			wf_set_free(r->set);
			r->set = again;
			doc = study_pick_doc(r->set);
		}
		snprintf(r->notes[nnotes], sizeof r->notes[0], "pool %s: %s with %d x %s swapped in "
			 "(%s); pods' nodeSelector %s follows it", gp->name, m->machine, m->gpus,
			 m->gpu_label, m->basis, m->accelerator);
		notes[nnotes] = r->notes[nnotes];
		nnotes++;
		machine_apply(gp, m);
		if (scn->workload.use_perf == 0 && gpu_from_label(m->gpu_label))
			snprintf(r->notes[nnotes - 1] + strlen(r->notes[nnotes - 1]),
				 sizeof r->notes[0] - strlen(r->notes[nnotes - 1]),
				 "; the scenario's training length does not use the perf model, so it "
				 "stays what the scenario says");
	}
swapped:
	if (c->micro_batch > 0)
		scn->workload.micro_batch = c->micro_batch;
	if (c->spot >= 0)
		for (size_t i = 0; i < scn->cluster.npools; i++)
			if (scn->cluster.pools[i].gpus > 0)
				scn->cluster.pools[i].spot = c->spot;
	if (c->spot == 1 && nnotes < 4) {
		snprintf(r->notes[nnotes], sizeof r->notes[0], "GPU nodes are billed at spot prices; "
			 "spot preemption is not modelled in this run: it finishes as on demand would");
		notes[nnotes] = r->notes[nnotes];
		nnotes++;
	}
	sim_opts o = {0};
	o.seed = c->seed ? c->seed : 1;
	o.effects = r->effects;
	int nodes = c->nodes > 0 ? c->nodes : scn->nodes;
	r->run_set = r->set;
	if (nodes > 0) {
		int from = 0;
		r->run_set = study_rescale(r->set, doc, nodes, &from, err, errlen);
		if (!r->run_set)
			return fail(r);
		doc = study_pick_doc(r->run_set);
		o.nodes = nodes;
		o.nodes_from = from;
	}
	/* fixed GPU pools hold what the fan-out needs, no more, no less */
	int ranks = nodes > 0 ? nodes : fanout(r->run_set, doc);
	if (!c->keep_pool && ranks > 0) {
		study_fit_pools(scn, doc, ranks, r->notes[nnotes], sizeof r->notes[0]);
		if (r->notes[nnotes][0])
			notes[nnotes] = r->notes[nnotes], nnotes++;
	}
	memcpy(r->note_ptrs, notes, sizeof notes);
	o.notes = r->note_ptrs;
	o.nnotes = nnotes;
	r->doc = doc;
	r->opts = o;
	r->gpu_pool = first_gpu_pool(scn);
	r->sim = simulation_new(doc, scn, &o, d, err, errlen);
	if (!r->sim)
		return fail(r);
	char runerr[256];
	if (simulation_run(r->sim, runerr, sizeof runerr) && !strncmp(runerr, "out of memory", 13)) {
		snprintf(err, errlen, "%s", runerr);
		return fail(r);
	}
	if (c->label)
		snprintf(r->label, sizeof r->label, "%s", c->label);
	else
		snprintf(r->label, sizeof r->label, "%s", scn->name);
	return r;
}

const sim_result *study_result(const study_run *r)
{
	return simulation_result(r->sim);
}

const diag_list *study_findings(const study_run *r)
{
	return r->findings;
}

const char *study_label(const study_run *r)
{
	return r->label;
}

const char *study_machine(const study_run *r)
{
	return r->gpu_pool ? r->gpu_pool->machine : "";
}

const char *study_gpu(const study_run *r)
{
	const gpu_spec *g = r->gpu_pool && r->gpu_pool->gpu_type ? gpu_from_label(r->gpu_pool->gpu_type) : NULL;
	return g ? g->name : r->gpu_pool && r->gpu_pool->gpu_type ? r->gpu_pool->gpu_type : "";
}

double study_nic_gbps(const study_run *r)
{
	return r->gpu_pool ? r->gpu_pool->nic_gbps : 0;
}

int study_micro_batch(const study_run *r)
{
	return r->scn->workload.micro_batch;
}

int study_perf(const study_run *r, perf_out *o)
{
	const scn_workload *wl = &r->scn->workload;
	const sim_result *res = study_result(r);
	const gpu_spec *gpu = r->gpu_pool && r->gpu_pool->gpu_type ? gpu_from_label(r->gpu_pool->gpu_type) : NULL;
	const model_shape *shape = shape_find(wl->model);
	if (!gpu || !shape || res->nodes_to <= 0 || (strcmp(wl->method, "lora") && strcmp(wl->method, "full")))
		return -1;
	perf_in in = {.gpu = gpu, .shape = shape, .lora = !strcmp(wl->method, "lora"),
		      .lora_rank = wl->lora_rank, .seq = wl->seq, .micro_batch = wl->micro_batch,
		      .grad_ckpt = wl->grad_ckpt, .nodes = res->nodes_to,
		      .gpus_per_node = res->nproc > 0 ? res->nproc : 1,
		      .lora_targets = wl->lora_targets, .fp32_master = wl->fp32_master,
		      .nic_bps = r->gpu_pool->nic_gbps > 0 ? r->gpu_pool->nic_gbps * 1e9 : 10e9};
	char err[200];
	return perf_estimate(&in, o, err, sizeof err) ? -1 : 0;
}

size_t study_pareto(const double *time, const double *cost, const int *ok, size_t n, int *front)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		front[i] = ok[i];
		for (size_t j = 0; front[i] && j < n; j++)
			if (j != i && ok[j] && time[j] <= time[i] && cost[j] <= cost[i] &&
			    (time[j] < time[i] || cost[j] < cost[i]))
				front[i] = 0;
		k += front[i];
	}
	return k;
}

long study_knee(const double *time, const double *cost, const int *front, size_t n)
{
	double tmin = INFINITY, cmin = INFINITY;
	for (size_t i = 0; i < n; i++)
		if (front[i]) {
			tmin = fmin(tmin, time[i]);
			cmin = fmin(cmin, cost[i]);
		}
	long best = -1;
	double bs = INFINITY;
	for (size_t i = 0; i < n; i++) {
		if (!front[i] || tmin <= 0 || cmin <= 0)
			continue;
		double sc = time[i] / tmin + cost[i] / cmin;
		if (sc < bs)
			bs = sc, best = (long)i;
	}
	if (best < 0) /* a free or instant run: the first on the front */
		for (size_t i = 0; best < 0 && i < n; i++)
			if (front[i])
				best = (long)i;
	return best;
}

long study_cheapest_within(const double *time, const double *cost, const int *ok, size_t n,
			   double deadline, double budget)
{
	long best = -1;
	for (size_t i = 0; i < n; i++) {
		if (!ok[i] || time[i] > deadline || (budget > 0 && cost[i] > budget))
			continue;
		if (best < 0 || cost[i] < cost[best] || (cost[i] == cost[best] && time[i] < time[best]))
			best = (long)i;
	}
	return best;
}

/* splitmix64: trial i's seed from the case's, so trials are independent
 * streams and the same seed gives the same trials. */
static uint64_t trial_seed(uint64_t seed, int i)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ull * (uint64_t)(i + 1);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The q-quantile of sorted v (nearest rank). */
static double quantile(const double *v, int n, double q)
{
	int k = (int)ceil(q * n) - 1;
	return n ? v[k < 0 ? 0 : k >= n ? n - 1 : k] : -1;
}

int study_trials(study_run *r, int n, study_mc *mc, char *err, size_t errlen)
{
	memset(mc, 0, sizeof *mc);
	free(r->trials);
	r->trials = calloc((size_t)(n > 0 ? n : 1), sizeof *r->trials);
	double *ms = calloc((size_t)(n > 0 ? n : 1), sizeof *ms), *cost = calloc((size_t)(n > 0 ? n : 1), sizeof *cost);
	diag_list *d = diag_list_new();
	if (!r->trials || !ms || !cost || !d) {
		free(ms), free(cost), diag_list_free(d);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	perf_out po;
	int oom = study_perf(r, &po) == 0 && !po.fits;
	for (int i = 0; i < n; i++) {
		sim_opts o = r->opts;
		o.seed = trial_seed(r->opts.seed, i);
		simulation *s = simulation_new(r->doc, r->scn, &o, d, err, errlen);
		if (!s) {
			free(ms), free(cost), diag_list_free(d);
			return -1;
		}
		char runerr[256];
		if (simulation_run(s, runerr, sizeof runerr) && !strncmp(runerr, "out of memory", 13)) {
			simulation_free(s);
			free(ms), free(cost), diag_list_free(d);
			snprintf(err, errlen, "%s", runerr);
			return -1;
		}
		const sim_result *res = simulation_result(s);
		study_trial *t = &r->trials[i];
		t->seed = o.seed;
		t->ok = !oom && !strcmp(res->status, "Succeeded");
		snprintf(t->status, sizeof t->status, "%s", oom ? "OutOfMemory" : res->status);
		t->makespan = res->makespan;
		t->cost = res->cost.total_usd;
		ms[i] = t->makespan;
		cost[i] = t->cost;
		mc->succeeded += t->ok;
		mc->mean_cost += t->cost / n;
		simulation_free(s);
	}
	r->ntrials = n;
	qsort(ms, (size_t)n, sizeof *ms, cmp_double);
	qsort(cost, (size_t)n, sizeof *cost, cmp_double);
	mc->trials = n;
	mc->p_success = n ? (double)mc->succeeded / n : 0;
	mc->p50_makespan = quantile(ms, n, 0.5);
	mc->p90_makespan = quantile(ms, n, 0.9);
	mc->p90_cost = quantile(cost, n, 0.9);
	free(ms), free(cost), diag_list_free(d);
	return 0;
}

const study_trial *study_trial_rows(const study_run *r, int *n)
{
	*n = r->ntrials;
	return r->trials;
}
