/* rules_torchrun.c: torchrun-* rules -- will the ranks of a torchrun job
 * find each other, agree on who they are, and use the GPUs they hold?
 *
 * document/torchrun.h finds each template that runs torchrun and every task
 * or step that calls it (one call per pod, fan-out expanded), and reads
 * each option as a call site sees it. A "run" is the set of calls that
 * share a parent template, a rendezvous id and an endpoint: the pods that
 * must meet in one rendezvous. Values still holding an Argo expression
 * after resolution ({{tasks.x.outputs...}}) are unknown, and rules that
 * need them stay quiet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "document/torchrun.h"
#include "model/cluster.h"
#include "model/perf.h"
#include "validate/families.h"
#include "validate/objects.h"

/* One pod of a run. */
struct rank {
	const tr_job *j;
	const tr_call *c;
};

struct run {
	struct rank *r;
	size_t n;
	int unknown_fanout;
	const tr_job *first;
};

static int parse_int(const char *s, long *out)
{
	char *end;
	if (!s || !*s)
		return -1;
	long v = strtol(s, &end, 10);
	if (*end)
		return -1;
	*out = v;
	return 0;
}

/* "N" or "MIN:MAX" */
static int parse_nnodes(const char *s, long *lo, long *hi)
{
	const char *colon = strchr(s, ':');
	if (!colon)
		return parse_int(s, lo) ? -1 : (*hi = *lo, 0);
	char a[32];
	if ((size_t)(colon - s) >= sizeof a)
		return -1;
	memcpy(a, s, (size_t)(colon - s));
	a[colon - s] = 0;
	return parse_int(a, lo) || parse_int(colon + 1, hi) ? -1 : 0;
}

static const char *backend_of(arena *a, const tr_job *j, const tr_call *c)
{
	const char *b = c ? tr_call_opt(a, j, c, "rdzv-backend", NULL) : NULL;
	if (!c) {
		const tr_opt *o = tr_get(j->cmd, "rdzv-backend");
		b = o ? o->value : NULL;
	}
	if (tr_get(j->cmd, "standalone"))
		return "c10d";
	return b ? b : "static";
}

/* The option's value where it is written (its line in a script). */
static const ynode *opt_site(lint_ctx *lc, const tr_opt *o, ynode *pos)
{
	if (!o->value_node)
		return o->node;
	return o->value_node->style == YN_LITERAL ? kpos(lint_set(lc), o->value_node, o->off, o->len, pos)
						  : o->value_node;
}

/* Where a call's value of an option comes from: the task's argument when
 * the option is just {{inputs.parameters.X}}, else the option's value. */
static const ynode *value_site_at(lint_ctx *lc, const tr_job *j, const tr_call *c, const char *opt, ynode *pos)
{
	const tr_opt *o = tr_get(j->cmd, opt);
	if (!o)
		return j->cmd->at;
	const char *v = o->value;
	char name[128];
	if (v && sscanf(v, "{{inputs.parameters.%127[^} ]}}", name) == 1) {
		const ynode *arg = tr_call_arg(c, name);
		if (arg)
			return arg;
	}
	return opt_site(lc, o, pos);
}

#define value_site(j, c, opt) value_site_at(lc, j, c, opt, &(ynode){0})

static const char *task_name(const tr_call *c)
{
	return c->task->name ? c->task->name : "?";
}

/* Run fn over every run of every document. */
typedef void (*run_fn)(lint_ctx *, arena *, const struct run *, int mode);

/* Run fn over every run of every document; mode picks which of the
 * findings a shared check reports (one rule id per call). */
static void each_run(lint_ctx *lc, run_fn fn, int mode)
{
	const wf_set *s = lint_set(lc);
	for (size_t di = 0; di < wf_set_count(s); di++) {
		tr_job *jobs;
		size_t nj;
		if (lint_jobs(lc, wf_set_doc(s, di), &jobs, &nj))
			return;
		if (!nj)
			continue; /* most workflows run no torchrun: nothing to allocate */
		arena *a = arena_new();
		if (!a)
			return;
		size_t total = 0;
		for (size_t i = 0; i < nj; i++)
			total += jobs[i].ncalls;
		const char **key = arena_alloc(a, (total + 1) * sizeof *key);
		struct rank *all = arena_alloc(a, (total + 1) * sizeof *all);
		char *done = arena_alloc(a, total + 1);
		if (!key || !all || !done) {
			arena_free(a);
			return;
		}
		size_t n = 0;
		for (size_t i = 0; i < nj; i++)
			for (size_t k = 0; k < jobs[i].ncalls; k++) {
				const tr_call *c = &jobs[i].calls[k];
				const char *id = tr_call_opt(a, &jobs[i], c, "rdzv-id", NULL);
				const char *ep = tr_call_opt(a, &jobs[i], c, "rdzv-endpoint", NULL);
				const char *ma = tr_call_opt(a, &jobs[i], c, "master-addr", NULL);
				/* ids that differ per call are a finding, not separate runs:
				 * group by what is known before the run starts */
				key[n] = arena_printf(a, "%s|%s|%s", c->parent->name ? c->parent->name : "",
						      ep ? ep : "", ma ? ma : "");
				(void)id;
				all[n++] = (struct rank){&jobs[i], c};
			}
		/* jobs nobody calls are still checked alone (nproc vs GPUs...) */
		for (size_t i = 0; i < nj; i++)
			if (!jobs[i].ncalls) {
				struct run r = {NULL, 0, jobs[i].unknown_fanout != NULL, &jobs[i]};
				fn(lc, a, &r, mode);
			}
		struct rank *grp = arena_alloc(a, (total + 1) * sizeof *grp);
		for (size_t i = 0; grp && i < n; i++) {
			if (done[i] || !key[i])
				continue;
			struct run r = {grp, 0, 0, all[i].j};
			for (size_t k = i; k < n; k++)
				if (!done[k] && key[k] && !strcmp(key[k], key[i])) {
					done[k] = 1;
					grp[r.n++] = all[k];
					r.unknown_fanout |= all[k].j->unknown_fanout != NULL;
				}
			fn(lc, a, &r, mode);
		}
		arena_free(a);
	}
}

/* ------------------------------------------------------------- nnodes */

static void nnodes(lint_ctx *lc, arena *a, const struct run *r, int mode)
{
	(void)mode;
	if (!r->n)
		return;
	const tr_opt *o;
	const char *v = tr_call_opt(a, r->r[0].j, r->r[0].c, "nnodes", &o);
	long lo, hi;
	const tr_opt *alone = tr_get(r->r[0].j->cmd, "standalone");
	const ynode *at = alone ? alone->node : value_site(r->r[0].j, r->r[0].c, "nnodes");
	if (alone) {
		/* torchrun --standalone is a one-node job whatever --nnodes says */
		v = "1 (--standalone)";
		lo = hi = 1;
	} else if (!v || tr_unresolved(v) || parse_nnodes(v, &lo, &hi)) {
		return;
	}
	long n = (long)r->n;
	int bad = r->unknown_fanout ? n > hi : (n < lo || n > hi);
	if (!bad)
		return;
	char tasks[256] = "";
	size_t tl = 0;
	for (size_t i = 0; i < r->n && i < 6 && tl < sizeof tasks - 40; i++)
		tl += (size_t)snprintf(tasks + tl, sizeof tasks - tl, "%s%s", i ? ", " : "", task_name(r->r[i].c));
	if (r->n > 6)
		snprintf(tasks + tl, sizeof tasks - tl, ", ...");
	lint_report(lc, "torchrun-nnodes-mismatch", at, NULL,
		    "--nnodes %s but %ld pod%s run template '%s' (%s): %s", v, n, n == 1 ? "" : "s",
		    r->first->tmpl->name ? r->first->tmpl->name : "?", tasks,
		    alone ? "--standalone gives each pod a private rendezvous on localhost, so the pods train as "
			    "separate single-node jobs, not as one job across them"
		    : n < lo ? "the rendezvous waits for nodes that never come, then times out and fails every rank"
			     : "the extra nodes wait outside the rendezvous, or fail it, holding their GPUs");
}

static void check_nnodes(lint_ctx *c) { each_run(c, nnodes, 0); }

/* ---------------------------------------------------------- node ranks */

static void ranks(lint_ctx *lc, arena *a, const struct run *r, int mode)
{
	if (r->n < 2 || r->unknown_fanout)
		return;
	const char *b = backend_of(a, r->r[0].j, r->r[0].c);
	if (strcmp(b, "static"))
		return; /* c10d and etcd assign ranks themselves; --node-rank is ignored */
	long lo = 0, hi = 0;
	const char *nv = tr_call_opt(a, r->r[0].j, r->r[0].c, "nnodes", NULL);
	if (!nv || tr_unresolved(nv) || parse_nnodes(nv, &lo, &hi))
		hi = (long)r->n;
	long *seen = arena_alloc(a, r->n * sizeof *seen);
	if (!seen)
		return;
	size_t ns = 0;
	for (size_t i = 0; i < r->n; i++) {
		const tr_call *c = r->r[i].c;
		const tr_opt *o;
		const char *v = tr_call_opt(a, r->r[i].j, c, "node-rank", &o);
		long k;
		if (!o) {
			v = "0"; /* torchrun's default */
		}
		if (!v || tr_unresolved(v))
			continue;
		const ynode *at = o ? value_site(r->r[i].j, c, "node-rank") : c->task->node;
		if (parse_int(v, &k) || k < 0 || k >= hi) {
			if (mode == 1)
				lint_report(lc, "torchrun-node-rank-range", at, NULL,
				    "task '%s' gets node rank '%s', outside 0..%ld: torchrun's static rendezvous "
				    "waits for rank %s forever (or refuses it) and the job never starts",
				    task_name(c), v, hi - 1, v);
			continue;
		}
		size_t j;
		for (j = 0; j < ns && seen[j] != k; j++)
			;
		if (j < ns) {
			if (mode == 0)
				lint_report(lc, "torchrun-node-rank-duplicate", at, NULL,
				    "task '%s' is node rank %ld%s, like an earlier task: two nodes claim the same "
				    "ranks, so one rank id is missing and the static rendezvous never completes",
				    task_name(c), k, o ? "" : " (torchrun's default, no --node-rank)");
			continue;
		}
		seen[ns++] = k;
	}
}

static void check_rank_dup(lint_ctx *c) { each_run(c, ranks, 0); }
static void check_rank_range(lint_ctx *c) { each_run(c, ranks, 1); }

/* ----------------------------------------------------- nproc vs GPUs */

static void nproc_cmp(lint_ctx *lc, arena *a, const struct run *r, int over)
{
	const tr_job *j = r->first;
	/* one report per job: only on the run that holds its first call */
	if (r->n && r->r[0].c != &j->calls[0])
		return;
	const tr_opt *o = tr_get(j->cmd, "nproc-per-node");
	const char *v = o ? (r->n ? tr_call_opt(a, j, r->r[0].c, "nproc-per-node", NULL) : o->value) : "1";
	long np;
	double g = kctr_gpus(j->ctr->node);
	if (!v || tr_unresolved(v) || parse_int(v, &np) || g <= 0)
		return;
	ynode pos;
	const ynode *at = o ? opt_site(lc, o, &pos) : j->cmd->at;
	if (over && np > (long)g)
		lint_report(lc, "torchrun-nproc-exceeds-gpus", at, NULL,
			    "--nproc-per-node %ld but the container has %g GPU%s: workers with local rank >= %g "
			    "fail on cuda.set_device (invalid device ordinal) and torchrun tears the job down",
			    np, g, g == 1 ? "" : "s", g);
	if (!over && np < (long)g)
		lint_report(lc, "torchrun-nproc-idle-gpus", at, NULL,
			    "--nproc-per-node %ld%s but the container holds %g GPUs: %g of them stay idle and are "
			    "billed all the same", np, o ? "" : " (the default)", g, g - (double)np);
}

static void check_nproc_over(lint_ctx *c) { each_run(c, nproc_cmp, 1); }
static void check_nproc_idle(lint_ctx *c) { each_run(c, nproc_cmp, 0); }

/* ------------------------------------------------ data parallelism */

/* The GPU a node selector asks for (GKE's accelerator label, NVIDIA's
 * product label, ...): the first value the catalog knows, or NULL. */
static const gpu_spec *selector_gpu(const ynode *sel)
{
	for (size_t i = 0; sel && sel->kind == YN_MAP && i < sel->n; i++) {
		const gpu_spec *g = sel->val[i]->kind == YN_SCALAR ? gpu_from_label(sel->val[i]->str) : NULL;
		if (g)
			return g;
	}
	return NULL;
}

/* A multi-node job whose training script asks FSDP for FULL_SHARD
 * (llama-recipes' --enable_fsdp alone, --sharding_strategy FULL_SHARD,
 * the Trainer's --fsdp full_shard) when the perf model says another
 * strategy that fits is clearly faster: a suggestion with its numbers and
 * their basis, never a fix applied behind the user's back. It needs what
 * the perf model needs: the model (--model_name), the GPU (the node
 * selector), nodes and GPUs per node; the NIC, which no workflow states,
 * is the simulator's default. Quiet when any is unknown. */
static void full_shard_slow(lint_ctx *lc, arena *a, const struct run *r, int mode)
{
	(void)mode;
	const tr_job *j = r->first;
	if (!r->n || r->r[0].c != &j->calls[0] || !j->cmd->nargs)
		return;
	const tr_cmd *cmd = j->cmd;
	const char *const *args = cmd->args;
	perf_strategy st;
	size_t at;
	if (!perf_strategy_from_args(args, cmd->nargs, &st, &at) || st != PERF_FULL_SHARD)
		return;
	long lo, nodes, gpn;
	const char *nv = tr_call_opt(a, j, r->r[0].c, "nnodes", NULL);
	const char *pv = tr_call_opt(a, j, r->r[0].c, "nproc-per-node", NULL);
	double g = kctr_gpus(j->ctr->node);
	if (!nv || tr_unresolved(nv) || parse_nnodes(nv, &lo, &nodes) || nodes < 2)
		return;
	if (!pv || tr_unresolved(pv) || parse_int(pv, &gpn))
		gpn = (long)g;
	const char *mid = perf_script_arg(args, cmd->nargs, "model_name", NULL);
	if (!mid)
		mid = perf_script_arg(args, cmd->nargs, "model_name_or_path", NULL);
	const model_shape *shape = mid ? shape_from_model_id(mid) : NULL;
	const gpu_spec *gpu = selector_gpu(j->tmpl->node_selector);
	if (!gpu)
		gpu = selector_gpu(j->doc->spec.node_selector);
	if (gpn < 1 || gpn > 64 || !shape || !gpu)
		return;
	/* llama-recipes' defaults: LoRA when --use_peft, 4096-token packed
	 * sequences, batch 4, activation checkpointing under FSDP, fp32 weights
	 * unless --pure_bf16 */
	const char *peft = perf_script_arg(args, cmd->nargs, "use_peft", NULL);
	const char *ctx = perf_script_arg(args, cmd->nargs, "context_length", NULL);
	const char *mb = perf_script_arg(args, cmd->nargs, "batch_size_training", NULL);
	const char *ck = perf_script_arg(args, cmd->nargs, "fsdp_activation_checkpointing", NULL);
	const char *bf = perf_script_arg(args, cmd->nargs, "pure_bf16", NULL);
	long seq = 4096, batch = 4;
	if (ctx && (parse_int(ctx, &seq) || seq < 1 || seq > 1 << 20))
		return;
	if (mb && (parse_int(mb, &batch) || batch < 1 || batch > 4096))
		return;
	int off = 0;
	if (ck && (!strcasecmp(ck, "false") || !strcmp(ck, "0")))
		off = 1;
	perf_in in = {gpu, shape, peft && strcasecmp(peft, "false"), 8, seq, batch, off ? PERF_CKPT_NONE : PERF_CKPT_FULL,
		      nodes, gpn, CL_DEFAULT_NIC_GBPS * 1e9, 0, !bf || !strcasecmp(bf, "false"), PERF_FULL_SHARD, 1};
	perf_option opt[PERF_NSTRATEGY];
	char err[200];
	if (perf_rank(&in, opt, err, sizeof err))
		return;
	int best = perf_recommend(opt), fs = 0;
	while (opt[fs].strategy != PERF_FULL_SHARD)
		fs++;
	/* only a clear win: 10%, beyond what the model can tell apart */
	if (best < 0 || opt[best].strategy == PERF_FULL_SHARD || !opt[fs].out.fits ||
	    opt[best].out.step_s * 1.10 >= opt[fs].out.step_s)
		return;
	const perf_out *b = &opt[best].out, *f = &opt[fs].out;
	const char *flag = opt[best].strategy == PERF_HYBRID_SHARD ? "--sharding_strategy HYBRID_SHARD --hsdp"
			   : opt[best].strategy == PERF_SHARD_GRAD_OP ? "--sharding_strategy SHARD_GRAD_OP"
			   : "--sharding_strategy NO_SHARD";
	lint_report(lc, "torchrun-fsdp-full-shard-slow", cmd->arg_nodes[at],
		    arena_printf(a, "pass %s to the training script (then check with rehearse simulate)", flag),
		    "FULL_SHARD over %ld nodes x %ld GPUs gathers every weight across the network each step: the perf "
		    "model says %.2f s a step (bound by %s) for %s on %s at %g Gbit/s per node (an assumed NIC: the "
		    "workflow states none), against %.2f s for %s (%.2fx faster, %.1f GiB per GPU): rehearse model "
		    "--gpu %s --model %s --method %s --seq %ld --micro-batch %ld%s%s --nodes %ld --gpus-per-node %ld "
		    "--nic-gbps %g",
		    nodes, gpn, f->step_s, perf_bound_name(f->bound), shape->name, gpu->label, CL_DEFAULT_NIC_GBPS,
		    b->step_s, perf_strategy_name(opt[best].strategy), f->step_s / b->step_s,
		    b->peak_bytes / 1073741824.0, gpu->name, shape->name, in.lora ? "lora" : "full", seq, batch,
		    off ? "" : " --grad-ckpt", in.fp32_master ? " --fp32-master" : "", nodes, gpn, CL_DEFAULT_NIC_GBPS);
}

static void check_full_shard_slow(lint_ctx *c) { each_run(c, full_shard_slow, 0); }

/* ------------------------------------------------------- rendezvous */

static int multi_node(arena *a, const struct run *r)
{
	if (r->n > 1 || r->unknown_fanout)
		return 1;
	const char *v = r->n ? tr_call_opt(a, r->r[0].j, r->r[0].c, "nnodes", NULL) : NULL;
	if (!v) {
		const tr_opt *o = tr_get(r->first->cmd, "nnodes");
		v = o ? o->value : NULL;
	}
	long lo, hi;
	return v && !tr_unresolved(v) && !parse_nnodes(v, &lo, &hi) && hi > 1;
}

/* Is host the pod's own address: $(VAR) / $VAR / ${VAR} of an env var
 * from status.podIP or metadata.name, $HOSTNAME, or $(hostname)? Each
 * pod then points at itself. */
static int own_pod(const wf_container *ctr, const char *host)
{
	char var[128];
	if (!strcmp(host, "$HOSTNAME") || !strcmp(host, "${HOSTNAME}") || !strcmp(host, "$(hostname)") ||
	    !strcmp(host, "$(hostname -i)"))
		return 1;
	if (sscanf(host, "$(%127[A-Za-z0-9_])", var) != 1 && sscanf(host, "${%127[A-Za-z0-9_]}", var) != 1 &&
	    sscanf(host, "$%127[A-Za-z0-9_]", var) != 1)
		return 0;
	const ynode *env = ctr->env;
	for (size_t i = 0; env && env->kind == YN_SEQ && i < env->n; i++) {
		const char *n = yn_get_str(env->item[i], "name");
		const char *fp = yn_get_str(yn_get(yn_get(env->item[i], "valueFrom"), "fieldRef"), "fieldPath");
		if (n && fp && !strcmp(n, var) && (!strcmp(fp, "status.podIP") || !strcmp(fp, "metadata.name")))
			return 1;
	}
	return !strcmp(var, "HOSTNAME");
}

static void backend(lint_ctx *lc, arena *a, const struct run *r, int mode)
{
	const tr_job *j = r->first;
	const tr_call *c = r->n ? r->r[0].c : NULL;
	const tr_opt *o = tr_get(j->cmd, "rdzv-backend");
	const char *b = backend_of(a, j, c);
	ynode pos;
	if (tr_unresolved(b))
		return;
	static const char *const known[] = {"static", "c10d", "etcd", "etcd-v2"};
	int ok = 0;
	for (size_t i = 0; i < 4; i++)
		ok |= !strcmp(b, known[i]);
	if (!ok) {
		if (mode == 0)
			lint_report(lc, "torchrun-rdzv-backend-unknown", o ? opt_site(lc, o, &pos) : j->cmd->at, NULL,
			    "--rdzv-backend '%s' is not one torchrun knows (static, c10d, etcd, etcd-v2): every "
			    "rank exits at start with a rendezvous handler error", b);
		return;
	}
	if (!strcmp(b, "static") || tr_get(j->cmd, "standalone") || !multi_node(a, r))
		return;
	const char *ep = c ? tr_call_opt(a, j, c, "rdzv-endpoint", NULL) : NULL;
	if (!c) {
		const tr_opt *e = tr_get(j->cmd, "rdzv-endpoint");
		ep = e ? e->value : NULL;
	}
	if (!ep || !*ep) {
		if (mode == 1)
			lint_report(lc, "torchrun-rdzv-endpoint-missing", o ? opt_site(lc, o, &pos) : j->cmd->at, NULL,
			    "--rdzv-backend %s on several nodes without --rdzv-endpoint: %s", b,
			    tr_backend_is_etcd(b) ? "the etcd rendezvous has no server to talk to and fails at start"
					       : "each node uses localhost as the store, so every node forms a "
						 "rendezvous of its own and waits for the others forever");
		return;
	}
	if (mode == 2 && !strcmp(b, "c10d")) {
		char host[256];
		snprintf(host, sizeof host, "%s", ep);
		char *colon = strrchr(host, ':');
		if (colon && host[0] != '[')
			*colon = 0;
		if (!strcmp(host, "localhost") || !strncmp(host, "127.", 4) || !strcmp(host, "0.0.0.0") ||
		    !strcmp(host, "[::1]") || !strcmp(host, "::1") || !*host || own_pod(j->ctr, host))
			lint_report(lc, "torchrun-c10d-endpoint-local", value_site(j, c, "rdzv-endpoint"), NULL,
				    "c10d rendezvous endpoint '%s' is each pod itself: every node hosts its own "
				    "store, no two nodes meet, and all wait until the rendezvous times out", ep);
	}
}

static void check_backend(lint_ctx *c) { each_run(c, backend, 0); }
static void check_endpoint(lint_ctx *c) { each_run(c, backend, 1); }
static void check_local(lint_ctx *c) { each_run(c, backend, 2); }

/* ---------------------------------------------------------- run ids */

static void run_id(lint_ctx *lc, arena *a, const struct run *r, int constant)
{
	if (!r->n)
		return;
	const tr_job *j = r->first;
	const char *b = backend_of(a, j, r->r[0].c);
	if (!strcmp(b, "static") || tr_unresolved(b))
		return;
	const tr_opt *o;
	const char *id0 = tr_call_opt(a, r->r[0].j, r->r[0].c, "rdzv-id", &o);
	if (!constant) {
		for (size_t i = 1; i < r->n; i++) {
			const char *id = tr_call_opt(a, r->r[i].j, r->r[i].c, "rdzv-id", NULL);
			if (!id || !id0 || tr_unresolved(id) || tr_unresolved(id0) || !strcmp(id, id0))
				continue;
			lint_report(lc, "torchrun-rdzv-id-mismatch", value_site(r->r[i].j, r->r[i].c, "rdzv-id"), NULL,
				    "task '%s' uses --rdzv-id '%s' but task '%s' uses '%s': ranks with different ids "
				    "join different rendezvous, and each waits for the others until it times out",
				    task_name(r->r[i].c), id, task_name(r->r[0].c), id0);
		}
		return;
	}
	if (!tr_backend_is_etcd(b))
		return;
	for (size_t i = 0; i < r->n; i++) {
		const char *id = tr_call_opt(a, r->r[i].j, r->r[i].c, "rdzv-id", NULL);
		if (o && (!id || tr_unresolved(id)))
			return; /* per-run somewhere: fine, or unknown */
	}
	if (!o) {
		lint_report(lc, "torchrun-rdzv-id-constant", j->cmd->at, NULL,
			    "no --rdzv-id with the %s rendezvous: every run uses torchrun's default id 'none', so "
			    "a run finds the previous run's closed rendezvous in etcd and its ranks exit", b);
		return;
	}
	lint_report(lc, "torchrun-rdzv-id-constant", value_site(r->r[0].j, r->r[0].c, "rdzv-id"), NULL,
		    "--rdzv-id is the constant '%s' with the %s rendezvous: etcd keeps the run's rendezvous "
		    "state (on its data dir, which the StatefulSet's PVCs keep across runs), so the next run "
		    "with the same id finds it closed and its ranks exit", id0 ? id0 : "?", b);
}

static void check_id_mismatch(lint_ctx *c) { each_run(c, run_id, 0); }
static void check_id_constant(lint_ctx *c) { each_run(c, run_id, 1); }

/* -------------------------------------------------------- max restarts */

static void restarts(lint_ctx *lc, arena *a, const struct run *r, int mode)
{
	(void)mode;
	const tr_job *j = r->first;
	if (r->n && r->r[0].c != &j->calls[0])
		return;
	const tr_opt *o = tr_get(j->cmd, "max-restarts");
	if (!o)
		return;
	const char *v = r->n ? tr_call_opt(a, j, r->r[0].c, "max-restarts", NULL) : o->value;
	long k;
	ynode pos;
	if (v && tr_unresolved(v))
		return;
	if (!v || parse_int(v, &k))
		lint_report(lc, "torchrun-max-restarts-invalid", opt_site(lc, o, &pos), NULL,
			    "--max-restarts '%s' is not an integer: torchrun's argument parser exits before "
			    "any worker starts", v ? v : "");
	else if (k < 0)
		lint_report(lc, "torchrun-max-restarts-invalid", opt_site(lc, o, &pos), NULL,
			    "--max-restarts %ld is negative: torchrun treats it as no restarts at all, so the "
			    "first worker failure ends the job", k);
}

static void check_restarts(lint_ctx *c) { each_run(c, restarts, 0); }

/* ------------------------------------------- what breaks in the field */

/* Failures of multi-node jobs that their issue trackers report again and
 * again (see each rule's rationale for the issue): one volume for every
 * node, NCCL told to use the loopback interface, and a c10d store that
 * the other nodes give up on before its pod has started. One walk over
 * the runs checks all three. */

/* Does a PVC's accessModes allow one node only (ReadWriteOnce,
 * ReadWriteOncePod, nothing else)? */
static int one_node_modes(const ynode *modes)
{
	size_t n = 0;
	for (size_t i = 0; modes && modes->kind == YN_SEQ && i < modes->n; i++) {
		const char *m = yn_str(modes->item[i]);
		if (!m || (strcmp(m, "ReadWriteOnce") && strcmp(m, "ReadWriteOncePod")))
			return 0;
		n++;
	}
	return n > 0;
}

/* The claim behind volume `vol` of job j's pod, and its accessModes:
 * a volumeClaimTemplate of that name, or a persistentVolumeClaim volume
 * whose claim a resource template of the workflow creates. NULL when the
 * workflow does not say (a claim made elsewhere). */
static const ynode *claim_of(arena *a, const tr_job *j, const tr_call *c, const char *vol, const char **claim)
{
	const ynode *lists[2] = {j->tmpl->volumes, j->doc->spec.volumes};
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; lists[l] && lists[l]->kind == YN_SEQ && i < lists[l]->n; i++) {
			const char *n = yn_get_str(lists[l]->item[i], "name");
			if (!n || strcmp(tr_resolve(a, j, c, n), vol))
				continue;
			const char *cn = yn_get_str(yn_get(lists[l]->item[i], "persistentVolumeClaim"), "claimName");
			if (!cn || tr_unresolved(cn = tr_resolve(a, j, c, cn)))
				return NULL;
			kobj objs[KOBJ_MAX];
			size_t no = kobj_list(j->doc, objs, KOBJ_MAX);
			const kobj *pvc = kobj_created(objs, no, "PersistentVolumeClaim", cn);
			*claim = cn;
			return pvc ? yn_get(yn_get(pvc->root, "spec"), "accessModes") : NULL;
		}
	const ynode *vct = j->doc->spec.volume_claim_templates;
	for (size_t i = 0; vct && vct->kind == YN_SEQ && i < vct->n; i++) {
		const char *n = yn_get_str(yn_get(vct->item[i], "metadata"), "name");
		if (n && !strcmp(n, vol)) {
			*claim = n;
			return yn_get(yn_get(vct->item[i], "spec"), "accessModes");
		}
	}
	return NULL;
}

/* Where a call's value for a template field comes from: the call's
 * argument when the field is just {{inputs.parameters.X}}. */
static const ynode *arg_site(const tr_call *c, const ynode *field)
{
	char name[128];
	const char *v = yn_str(field);
	if (v && sscanf(v, "{{inputs.parameters.%127[^} ]}}", name) == 1) {
		const ynode *arg = tr_call_arg(c, name);
		if (arg)
			return arg;
	}
	return field;
}

static void rwo_shared(lint_ctx *lc, arena *a, const struct run *r)
{
	if (r->n < 2)
		return;
	struct use {
		const char *claim;
		size_t call;
		const ynode *name_node;
	} *u = NULL;
	size_t nu = 0, cap = 0;
	for (size_t i = 0; i < r->n; i++) {
		const tr_job *j = r->r[i].j;
		const ynode *vm = j->ctr->volume_mounts;
		for (size_t m = 0; vm && vm->kind == YN_SEQ && m < vm->n; m++) {
			const ynode *nn = yn_get(vm->item[m], "name");
			const char *vol = yn_str(nn) ? tr_resolve(a, j, r->r[i].c, nn->str) : NULL;
			const char *claim = NULL;
			if (!vol || tr_unresolved(vol) || !one_node_modes(claim_of(a, j, r->r[i].c, vol, &claim)))
				continue;
			if (nu == cap) {
				struct use *g = arena_alloc(a, (cap = cap ? 2 * cap : 16) * sizeof *g);
				if (!g)
					return;
				if (nu)
					memcpy(g, u, nu * sizeof *g);
				u = g;
			}
			u[nu++] = (struct use){claim, i, nn};
		}
	}
	for (size_t x = 0; x < nu; x++) {
		int reported = 0;
		for (size_t y = 0; y < x; y++)
			reported |= !strcmp(u[y].claim, u[x].claim);
		if (reported)
			continue;
		/* uses come in call order: count the calls, and find the second */
		size_t users = 1, second = x, last = u[x].call;
		for (size_t y = x + 1; y < nu; y++)
			if (!strcmp(u[y].claim, u[x].claim) && u[y].call != last) {
				if (users++ == 1)
					second = y;
				last = u[y].call;
			}
		if (users < 2)
			continue;
		const tr_call *c = r->r[u[second].call].c;
		lint_report(lc, "torchrun-rwo-volume-shared", arg_site(c, u[second].name_node), NULL,
			    "claim '%s' is ReadWriteOnce but %zu pods of one torchrun job mount it (task '%s' and "
			    "task '%s' among them): a ReadWriteOnce volume attaches to one node, so the ranks that "
			    "land on other nodes stay in ContainerCreating (Multi-Attach error) and the rendezvous "
			    "never completes", u[x].claim, users, task_name(r->r[u[x].call].c), task_name(c));
	}
}

/* Does an interface list (comma-separated; NCCL_SOCKET_IFNAME also has
 * "=" for exact names and "^" to exclude) select the loopback interface
 * only? */
static int loopback_only(const char *v, int nccl)
{
	if (*v == '^' || !*v)
		return 0;
	if (*v == '=' && nccl)
		v++;
	for (const char *e = v;; e++)
		if (*e == ',' || !*e) {
			if (e - v != 2 || strncmp(v, "lo", 2))
				return 0;
			if (!*e)
				return 1;
			v = e + 1;
		}
}

static void ifname_loopback(lint_ctx *lc, arena *a, const struct run *r)
{
	const tr_job *j = r->first;
	if ((r->n && r->r[0].c != &j->calls[0]) || !multi_node(a, r))
		return;
	const ynode *env = j->ctr->env;
	for (size_t i = 0; env && env->kind == YN_SEQ && i < env->n; i++) {
		const char *n = yn_get_str(env->item[i], "name");
		const ynode *val = yn_get(env->item[i], "value");
		if (!n || !yn_str(val) || (strcmp(n, "NCCL_SOCKET_IFNAME") && strcmp(n, "GLOO_SOCKET_IFNAME")))
			continue;
		const char *v = r->n ? tr_resolve(a, j, r->r[0].c, val->str) : val->str;
		if (!v || !loopback_only(v, n[0] == 'N'))
			continue;
		lint_report(lc, "torchrun-socket-ifname-loopback", val, NULL,
			    "%s='%s' on a job of several nodes: %s binds to the loopback interface, which no other "
			    "node can reach, so %s", n, v, n[0] == 'N' ? "NCCL" : "Gloo",
			    n[0] == 'N' ? "NCCL's bootstrap between nodes fails and the workers crash at the first "
					  "collective" : "process groups between nodes never connect");
	}
}

/* The value of key `key` in a --rdzv-conf string ("k=v,k=v"), or -1 when
 * it is absent or not a whole number. */
static long rdzv_conf_int(const char *conf, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = conf; p && *p; p = strchr(p, ','), p = p ? p + 1 : NULL) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, kl) && p[kl] == '=') {
			char *end;
			long v = strtol(p + kl + 1, &end, 10);
			return end != p + kl + 1 && (*end == ',' || !*end) ? v : -1;
		}
	}
	return -1;
}

/* rehearse's bar for a rendezvous wait, and its basis (said in the message). */
#define RDZV_WAIT_MIN_S 300

static void rdzv_timeout(lint_ctx *lc, arena *a, const struct run *r)
{
	const tr_job *j = r->first;
	if ((r->n && r->r[0].c != &j->calls[0]) || !multi_node(a, r) || tr_get(j->cmd, "standalone"))
		return;
	const tr_call *c = r->n ? r->r[0].c : NULL;
	const char *b = backend_of(a, j, c);
	if (!strcmp(b, "static") || tr_unresolved(b))
		return;
	const tr_opt *co = tr_get(j->cmd, "rdzv-conf");
	const char *conf = co ? (c ? tr_call_opt(a, j, c, "rdzv-conf", NULL) : co->value) : "";
	if (!conf || tr_unresolved(conf))
		return;
	long join = rdzv_conf_int(conf, "join_timeout");
	if (join < 0)
		join = rdzv_conf_int(conf, "timeout");
	long rd = rdzv_conf_int(conf, "read_timeout");
	const tr_opt *bo = tr_get(j->cmd, "rdzv-backend");
	ynode pos;
	const ynode *at = co ? opt_site(lc, co, &pos) : bo ? opt_site(lc, bo, &pos) : j->cmd->at;
	if (!strcmp(b, "c10d") && rd < RDZV_WAIT_MIN_S)
		lint_report(lc, "torchrun-rdzv-timeout-short", at, NULL,
			    "c10d rendezvous with read_timeout %ld s%s: the nodes that do not host the store give up "
			    "(RendezvousConnectionError) if the endpoint's pod is not listening within it, and pods of "
			    "one job start minutes apart when a GPU node is added or a multi-GB image pulled "
			    "(rehearse asks for at least %d s)", rd < 0 ? 60L : rd, rd < 0 ? " (torchrun's default)" : "",
			    RDZV_WAIT_MIN_S);
	else if (join >= 0 && join < RDZV_WAIT_MIN_S)
		lint_report(lc, "torchrun-rdzv-timeout-short", at, NULL,
			    "%s rendezvous with join_timeout %ld s: the first nodes give up before the last pod of "
			    "the job has started if a GPU node has to be added or a multi-GB image pulled "
			    "(torchrun's default is 600 s; rehearse asks for at least %d s)", b, join,
			    RDZV_WAIT_MIN_S);
}

static void field(lint_ctx *lc, arena *a, const struct run *r, int mode)
{
	(void)mode;
	rwo_shared(lc, a, r);
	ifname_loopback(lc, a, r);
	rdzv_timeout(lc, a, r);
}

static void check_field(lint_ctx *c) { each_run(c, field, 0); }

const rule rules_torchrun[] = {
	{"torchrun-nnodes-mismatch", DIAG_ERROR, "--nnodes differs from the number of pods that run torchrun",
	 "torchrun's rendezvous waits until --nnodes agents (MIN of MIN:MAX) have joined. If the workflow starts "
	 "fewer pods (DAG tasks, steps, withItems/withSequence items) than that, the ranks that did start sit "
	 "on their GPUs until the rendezvous times out, then fail; more pods than MAX are left out.",
	 "make --nnodes equal to the number of tasks that run the template (or use `rehearse fix --nodes N`)",
	 "args: [--nnodes, '4', ...]   # but only 3 DAG tasks call the template\n",
	 "args: [--nnodes, '3', ...]   # 3 DAG tasks call it\n", check_nnodes},
	{"torchrun-node-rank-duplicate", DIAG_ERROR, "two pods of a static rendezvous get the same --node-rank",
	 "With the static rendezvous (no --rdzv-backend, or static) each node's --node-rank decides its global "
	 "ranks, and rank 0 hosts the store. Two nodes with one rank leave another rank id empty: the job "
	 "waits for it until the store times out.",
	 "give each task a distinct node-rank 0..N-1",
	 "- {name: r0, arguments: {parameters: [{name: rank, value: '0'}]}}\n"
	 "- {name: r1, arguments: {parameters: [{name: rank, value: '0'}]}}\n",
	 "- {name: r0, arguments: {parameters: [{name: rank, value: '0'}]}}\n"
	 "- {name: r1, arguments: {parameters: [{name: rank, value: '1'}]}}\n", check_rank_dup},
	{"torchrun-node-rank-range", DIAG_ERROR, "a --node-rank outside 0..nnodes-1 (static rendezvous)",
	 "Node ranks of a static rendezvous must cover 0..N-1. A rank of N or more (or not a number) is never "
	 "matched by the store, so the job never starts.",
	 "number the tasks' node ranks 0..N-1",
	 "--nnodes 2, tasks with node-rank 1 and 2\n", "--nnodes 2, tasks with node-rank 0 and 1\n", check_rank_range},
	{"torchrun-nproc-exceeds-gpus", DIAG_ERROR, "--nproc-per-node is larger than the container's GPU limit",
	 "torchrun starts --nproc-per-node workers per pod and each one selects GPU LOCAL_RANK. The container "
	 "only sees the GPUs of its limit: workers past that fail with 'invalid device ordinal' and the agent "
	 "tears the whole job down (and restarts it, to fail again).",
	 "set --nproc-per-node to the nvidia.com/gpu limit",
	 "args: [--nproc-per-node, '8']\nresources: {limits: {nvidia.com/gpu: 4}}\n",
	 "args: [--nproc-per-node, '4']\nresources: {limits: {nvidia.com/gpu: 4}}\n", check_nproc_over},
	{"torchrun-nproc-idle-gpus", DIAG_WARNING, "--nproc-per-node is smaller than the container's GPU limit",
	 "The pod holds every GPU of its limit for its whole life; GPUs without a worker are idle but billed, "
	 "and other jobs cannot use them.",
	 "set --nproc-per-node to the nvidia.com/gpu limit (or lower the limit)",
	 "args: [--nproc-per-node, '2']\nresources: {limits: {nvidia.com/gpu: 4}}\n",
	 "args: [--nproc-per-node, '4']\nresources: {limits: {nvidia.com/gpu: 4}}\n", check_nproc_idle},
	{"torchrun-fsdp-full-shard-slow", DIAG_WARNING,
	 "FSDP FULL_SHARD across nodes where the perf model finds a clearly faster strategy",
	 "FULL_SHARD all-gathers every layer's weights in forward and again in backward over a ring that "
	 "crosses each node's NIC: on a cloud network that dwarfs the compute, and under LoRA it moves "
	 "billions of frozen weights to train millions. HYBRID_SHARD shards inside the node and sends only "
	 "the gradients across nodes. The finding names both step times, what the faster one needs in memory "
	 "and the assumed NIC; it is a suggestion: fix never applies it.",
	 "pass --sharding_strategy HYBRID_SHARD --hsdp to the training script",
	 "args: [--nnodes, '4', --nproc-per-node, '4', finetune.py, --enable_fsdp, --use_peft,\n"
	 "       --model_name, meta-llama/Llama-2-7b-hf]\n",
	 "args: [--nnodes, '4', --nproc-per-node, '4', finetune.py, --enable_fsdp, --use_peft,\n"
	 "       --model_name, meta-llama/Llama-2-7b-hf, --sharding_strategy, HYBRID_SHARD, --hsdp]\n",
	 check_full_shard_slow},
	{"torchrun-rdzv-backend-unknown", DIAG_ERROR, "--rdzv-backend names no rendezvous torchrun has",
	 "torchrun looks the backend up in its handler registry (static, c10d, etcd, etcd-v2); any other name "
	 "makes every agent exit before training.",
	 "use c10d (or etcd-v2 with an etcd that serves the v2 API)",
	 "args: [--rdzv-backend, etcd3]\n", "args: [--rdzv-backend, c10d]\n", check_backend},
	{"torchrun-rdzv-endpoint-missing", DIAG_ERROR, "a multi-node dynamic rendezvous without --rdzv-endpoint",
	 "An etcd or etcd-v2 rendezvous needs the etcd's address; c10d without an endpoint uses localhost, "
	 "so each node hosts its own store and never meets the others. Either way the job does not start.",
	 "set --rdzv-endpoint to the etcd's client address, or to rank 0's host for c10d",
	 "args: [--nnodes, '4', --rdzv-backend, c10d]\n",
	 "args: [--nnodes, '4', --rdzv-backend, c10d, --rdzv-endpoint, 'trainer-0.trainer:29400']\n",
	 check_endpoint},
	{"torchrun-c10d-endpoint-local", DIAG_ERROR, "a multi-node c10d rendezvous pointed at each pod itself",
	 "The c10d rendezvous store lives at the endpoint; every node must reach the same host (usually rank "
	 "0's pod through a headless Service). localhost, or the pod's own IP or name (status.podIP, "
	 "$HOSTNAME), is each pod itself, so the nodes never meet.",
	 "point --rdzv-endpoint at rank 0's stable DNS name",
	 "args: [--nnodes, '2', --rdzv-backend, c10d, --rdzv-endpoint, 'localhost:29400']\n",
	 "args: [--nnodes, '2', --rdzv-backend, c10d, --rdzv-endpoint, 'rank-0.trainer:29400']\n",
	 check_local},
	{"torchrun-rdzv-id-mismatch", DIAG_ERROR, "ranks of one run use different --rdzv-id values",
	 "The rendezvous id names the run: agents with different ids wait in different rendezvous, none of "
	 "which reaches --nnodes, and all of them time out.",
	 "pass the same id to every rank, e.g. {{workflow.uid}}",
	 "rank 0: --rdzv-id a; rank 1: --rdzv-id b\n", "every rank: --rdzv-id '{{workflow.uid}}'\n",
	 check_id_mismatch},
	{"torchrun-rdzv-id-constant", DIAG_ERROR, "an etcd rendezvous with a --rdzv-id that is the same every run",
	 "torchrun's etcd rendezvous keeps its state in etcd under the run id and closes it when the job "
	 "ends. etcd keeps that state on its data dir, which outlives the run (the StatefulSet's PVCs, or "
	 "an etcd that is not the workflow's): the next run with the same id finds a closed rendezvous and "
	 "its agents exit at once.",
	 "use a per-run id: --rdzv-id '{{workflow.uid}}'",
	 "- {name: rdzv-id, value: '42'}\n", "- {name: rdzv-id, value: '{{workflow.uid}}'}\n", check_id_constant},
	{"torchrun-max-restarts-invalid", DIAG_ERROR, "--max-restarts is not a non-negative integer",
	 "torchrun parses --max-restarts as an int: anything else stops the launcher before training; a "
	 "negative value disables restarts, so the first worker failure ends the job.",
	 "use a small non-negative integer, e.g. --max-restarts 3",
	 "args: [--max-restarts, three]\n", "args: [--max-restarts, '3']\n", check_restarts},
	{"torchrun-rwo-volume-shared", DIAG_ERROR, "pods of one multi-node torchrun job mount one ReadWriteOnce claim",
	 "A ReadWriteOnce (or ReadWriteOncePod) volume attaches to one node at a time, and the scheduler does not "
	 "keep the pods that mount it together: the ranks placed on other nodes wait in ContainerCreating with a "
	 "Multi-Attach error, the ranks that started wait in the rendezvous, and nobody trains "
	 "(argoproj/argo-workflows#13977: parallel pods sharing a ReadWriteOnce claim fail once they land on "
	 "different nodes). Only claims the workflow defines are checked (volumeClaimTemplates, PVCs its "
	 "resource templates create).",
	 "give each rank its own claim (one volumeClaimTemplate per rank), or use a ReadWriteMany class",
	 "volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce]}}]\n"
	 "# ranks 0..3 all mount 'data'\n",
	 "volumeClaimTemplates: [{metadata: {name: rank-0}, ...}, {metadata: {name: rank-1}, ...}]\n"
	 "# rank i mounts rank-i\n",
	 check_field},
	{"torchrun-socket-ifname-loopback", DIAG_ERROR, "NCCL_SOCKET_IFNAME or GLOO_SOCKET_IFNAME is the loopback interface on a multi-node job",
	 "NCCL and Gloo open their sockets on the interfaces these variables name. `lo` (often copied from a "
	 "single-node recipe) is reachable from the pod itself only: the rendezvous forms, then NCCL's bootstrap "
	 "between nodes fails and every worker crashes (NVIDIA/nccl#286: 'lo is loopback so you won't be able "
	 "to use it between two nodes').",
	 "remove the variable (NCCL skips lo by default) or name the pod's interface, e.g. eth0",
	 "env: [{name: NCCL_SOCKET_IFNAME, value: lo}]   # --nnodes 4\n",
	 "env: [{name: NCCL_SOCKET_IFNAME, value: eth0}]\n", NULL},
	{"torchrun-rdzv-timeout-short", DIAG_WARNING, "a multi-node rendezvous that waits less than the pods take to start",
	 "Pods of one job do not start together: one waits for a GPU node the autoscaler adds, another pulls a "
	 "multi-GB image. The c10d backend's non-host nodes connect to the store on the endpoint's pod with "
	 "read_timeout, 60 s unless --rdzv-conf says otherwise, and fail with RendezvousConnectionError when "
	 "it is not up by then (pytorch/pytorch#107021: 'The client socket has timed out after 60s'); a "
	 "join_timeout below the start-up spread fails the rendezvous the same way. rehearse asks for 300 s, "
	 "a guess at a node scale-up plus an image pull.",
	 "pass --rdzv-conf read_timeout=600 (and keep join_timeout at its default 600 s or more)",
	 "args: [--nnodes, '4', --rdzv-backend, c10d, --rdzv-endpoint, 'trainer-0.trainer:29400']\n",
	 "args: [--nnodes, '4', --rdzv-backend, c10d, --rdzv-endpoint, 'trainer-0.trainer:29400',\n"
	 "       --rdzv-conf, read_timeout=600]\n",
	 NULL},
};

const size_t rules_torchrun_count = sizeof rules_torchrun / sizeof rules_torchrun[0];
