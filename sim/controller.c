/* controller.c: the Argo workflow controller, as a process on the engine.
 *
 * It walks the workflow the way Argo's controller does: the entrypoint
 * template becomes a node; a DAG starts each task once the tasks its
 * `depends` expression (or `dependencies` list) names have completed and
 * the expression holds (else the task is Omitted); steps run group after
 * group; withItems / withSequence fan a task out; `when` is evaluated on
 * the substituted text. Leaf templates do the work: a container or script
 * becomes a pod (pods.c), a resource template creates, applies or deletes
 * objects (storage.c, services.c). Output parameters flow into the
 * arguments of later tasks through {{tasks.X.outputs.parameters.Y}}.
 * retryStrategy retries a failed leaf, activeDeadlineSeconds bounds a pod
 * or the workflow, and the exit handler runs after the entrypoint ends.
 *
 * What cannot be known offline is assumed and said in a note: an output
 * read from a file the container writes gets a placeholder value; one a
 * `when` compares (a coin flip's result) is drawn per run from the values
 * the `when`s tell apart; a `when` that stays undecided is taken as true. */
#include "sim/world.h"

#include <ctype.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "document/depends.h"
#include "document/expr.h"
#include "document/quantity.h"
#include "document/torchrun.h"
#include "validate/objects.h"

#define LB_POLL_DEFAULT_S 10.0 /* guess: a typical `sleep 10` poll loop */
#define MAX_DEPTH 50     /* guess: deeper nesting is a recursion the model cannot end */
#define FAKE_IP "203.0.113.10" /* TEST-NET-3 (RFC 5737): a documentation address */

static void node_done(world *w, wnode *n, const char *phase, const char *msg);

/* A kid slot held for a task being started: start_task may end the task
 * at once and re-enter the progress functions, which must see the slot as
 * taken (not free, not a finished node). */
static char starting_tag;
#define STARTING ((void *)&starting_tag)
/* The join timeout from --rdzv-conf: the dynamic rendezvous (c10d,
 * etcd-v2) reads join_timeout=, the legacy etcd backend timeout= (its
 * etcd_rendezvous.py); both default to 600 s. A key the backend does not
 * read is said, since it changes nothing. */
static void rdzv_timeout(world *w, rgroup *g, const char *backend, const char *conf)
{
	const char *want = !strcmp(backend, "etcd") ? "timeout" : "join_timeout";
	const char *other = !strcmp(backend, "etcd") ? "join_timeout" : "timeout";
	for (const char *s = conf; s && *s;) {
		size_t len = strcspn(s, ",");
		const char *eq = memchr(s, '=', len);
		if (eq) {
			size_t klen = (size_t)(eq - s);
			char *end;
			double v = strtod(eq + 1, &end);
			if (klen == strlen(want) && !strncmp(s, want, klen) && end > eq + 1 && v > 0)
				g->join_timeout_s = v;
			else if (klen == strlen(other) && !strncmp(s, other, klen))
				w_note(w, "rendezvous %s: --rdzv-conf %.*s is not read by the %s backend (it reads "
				       "%s=): the join timeout stays %.0f s", g->key, (int)len, s, backend, want,
				       g->join_timeout_s);
		}
		s += len + (s[len] == ',');
	}
}

static void start_leaf(world *w, wnode *n);

/* --- parameters ---------------------------------------------------------- */

static const char *lookup(const vec *names, const vec *vals, const char *name, size_t len)
{
	for (size_t i = 0; i < names->n; i++) {
		const char *k = names->v[i];
		if (k && strlen(k) == len && !memcmp(k, name, len)) /* a parameter may have no name */
			return vals->v[i];
	}
	return NULL;
}

static wnode *kid_named(wnode *ctx, const char *name, size_t len)
{
	for (wnode *c = ctx; c; c = c->parent)
		for (size_t i = 0; i < c->kids.n; i++) {
			wnode *k = c->kids.v[i];
			if (k && k != STARTING && k->task && k->task->name && strlen(k->task->name) == len &&
			    !memcmp(k->task->name, name, len))
				return k;
		}
	return NULL;
}

static const char *wf_arg(world *w, const char *name, size_t len)
{
	const wf_io *a = &w->doc->spec.arguments;
	for (size_t i = 0; i < a->nparams; i++)
		if (a->params[i].name && strlen(a->params[i].name) == len && !memcmp(a->params[i].name, name, len))
			return yn_str(a->params[i].value);
	return NULL;
}

/* The node a {{tasks.X.F}} or {{steps.X.F}} seen from ctx names, or
 * {{sim.node.N.F}} (a reference bound to its node when it was passed down
 * as an argument: see bind_refs), with F in *field; NULL if none. */
static wnode *ref_owner(world *w, wnode *ctx, const char *e, size_t len, const char **field, size_t *fl)
{
	size_t rl = 0;
	const char *end = e + len, *dot, *rest = wf_expr_rest(e, len, "sim.node.", &rl);
	wnode *k = NULL;
	if (rest && rl) {
		char *ne;
		unsigned long id = strtoul(rest, &ne, 10);
		if (ne == rest || ne >= end || *ne != '.' || id >= w->wnodes.n)
			return NULL;
		k = w->wnodes.v[id];
		dot = ne;
	} else {
		if (!(rest = wf_expr_rest(e, len, "tasks.", &rl)))
			rest = wf_expr_rest(e, len, "steps.", &rl);
		if (!rest || !rl || !(dot = memchr(rest, '.', (size_t)(end - rest))))
			return NULL;
		k = kid_named(ctx, rest, (size_t)(dot - rest));
	}
	if (k) {
		*field = dot + 1;
		*fl = (size_t)(end - *field);
	}
	return k;
}

/* The value of one {{expression}} seen from ctx, or NULL. */
static const char *resolve(world *w, wnode *ctx, const char *item, const char *e, size_t len)
{
	const char *rest;
	size_t rl = 0;
	if (len == 4 && !memcmp(e, "item", 4))
		return item;
	if ((rest = wf_expr_rest(e, len, "inputs.parameters.", &rl)) && rl)
		return ctx ? lookup(&ctx->in_names, &ctx->in_vals, rest, rl) : NULL;
	if ((rest = wf_expr_rest(e, len, "workflow.parameters.", &rl)) && rl)
		return wf_arg(w, rest, rl);
	if (len == 13 && !memcmp(e, "workflow.name", 13))
		return w->wfname;
	if (len == 12 && !memcmp(e, "workflow.uid", 12))
		return "00000000-0000-4000-8000-000000000000";
	if (len == 18 && !memcmp(e, "workflow.namespace", 18))
		return "default";
	if (len == 15 && !memcmp(e, "workflow.status", 15)) /* known once the entrypoint ended */
		return w->root && w->root->state == N_DONE ? w->root->phase : NULL;
	const char *f;
	size_t fl;
	wnode *k = ref_owner(w, ctx, e, len, &f, &fl);
	if (k) {
		const char *p;
		size_t pl = 0;
		if ((p = wf_expr_rest(f, fl, "outputs.parameters.", &pl)) && pl) {
			const char *v = lookup(&k->out_names, &k->out_vals, p, pl);
			/* a placeholder (what the container writes at run time) is
			 * unknown to a `when`, which may draw it */
			return v && w->when_subst && !strncmp(v, "sim-", 4) ? NULL : v;
		}
		if (fl == 14 && !memcmp(f, "outputs.result", 14))
			return k->result; /* what the container printed: drawn for a `when`, else unknown */
		if (fl == 6 && !memcmp(f, "status", 6))
			return k->phase;
		if (fl == 2 && !memcmp(f, "ip", 2))
			return "10.0.0.2";
	}
	return NULL;
}

static const char *subst_item(world *w, wnode *ctx, const char *item, const char *s)
{
	if (!s || !strstr(s, "{{"))
		return s;
	size_t cap = strlen(s) + 1, n = 0;
	char *out = malloc(cap);
	if (!out) {
		w->oom = 1;
		return s;
	}
	for (const char *p = s; *p;) {
		const char *o = strstr(p, "{{");
		const char *c = o ? strstr(o + 2, "}}") : NULL;
		const char *piece = p, *val = NULL;
		size_t plen;
		if (!o || !c) {
			plen = strlen(p);
			p += plen;
		} else {
			plen = (size_t)(o - p);
			const char *e = o + 2, *ee = c;
			while (e < ee && isspace((unsigned char)*e))
				e++;
			while (ee > e && isspace((unsigned char)ee[-1]))
				ee--;
			val = resolve(w, ctx, item, e, (size_t)(ee - e));
			if (!val) { /* unresolved: keep it as written */
				plen = (size_t)(c + 2 - p);
			}
			p = c + 2;
		}
		size_t vlen = val ? strlen(val) : 0;
		if (n + plen + vlen + 1 > cap) {
			cap = (n + plen + vlen + 1) * 2;
			char *nb = realloc(out, cap);
			if (!nb) {
				free(out);
				w->oom = 1;
				return s;
			}
			out = nb;
		}
		memcpy(out + n, piece, plen);
		n += plen;
		if (val)
			memcpy(out + n, val, vlen), n += vlen;
	}
	out[n] = 0;
	char *r = arena_strdup(w->a, out);
	free(out);
	if (!r)
		w->oom = 1;
	return r ? r : s;
}

const char *ctl_subst(world *w, wnode *ctx, const char *s)
{
	return subst_item(w, ctx, ctx ? ctx->item : NULL, s);
}

static void set_out(world *w, wnode *n, const char *name, const char *val)
{
	if (vec_push(w->a, &n->out_names, (void *)name) || vec_push(w->a, &n->out_vals, (void *)val))
		w->oom = 1;
}

/* An argument passed down may keep a reference to an output nobody knows
 * yet ({{steps.flip.outputs.result}}): it is bound to the node it names
 * ({{sim.node.N.outputs.result}}), so the callee reads that node's output
 * -- drawn later, maybe -- and not one of its own steps of the same name. */
static const char *bind_refs(world *w, wnode *scope, const char *v)
{
	if (!v || !strstr(v, "{{"))
		return v;
	char out[4096];
	size_t n = 0;
	for (const char *p = v; *p;) {
		const char *o = strstr(p, "{{"), *c = o ? strstr(o + 2, "}}") : NULL;
		if (!o || !c)
			o = c = p + strlen(p);
		int k = snprintf(out + n, sizeof out - n, "%.*s", (int)(o - p), p);
		if (k < 0 || (size_t)k >= sizeof out - n)
			return v;
		n += (size_t)k;
		if (!*o)
			break;
		const char *b = o + 2, *e = c, *f;
		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		size_t fl;
		wnode *owner = (size_t)(e - b) > 6 && (!memcmp(b, "steps.", 6) || !memcmp(b, "tasks.", 6))
			? ref_owner(w, scope, b, (size_t)(e - b), &f, &fl) : NULL;
		k = owner ? snprintf(out + n, sizeof out - n, "{{sim.node.%zu.%.*s}}", owner->id, (int)fl, f)
			  : snprintf(out + n, sizeof out - n, "%.*s", (int)(c + 2 - o), o);
		if (k < 0 || (size_t)k >= sizeof out - n)
			return v;
		n += (size_t)k;
		p = c + 2;
	}
	char *r = arena_strdup(w->a, out);
	if (!r)
		w->oom = 1;
	return r ? r : v;
}

/* --- nodes ---------------------------------------------------------------- */

static const char *tmpl_what(const wf_template *t)
{
	if (t->kind == TK_RESOURCE && t->resource && t->resource->action)
		return t->resource->action;
	return wf_tmpl_kind_name(t->kind);
}

/* A node for template t, called by task (NULL for the entrypoint and the
 * exit handler) from parent; its inputs are the task's arguments as the
 * parent sees them, else the inputs' defaults. */
static wnode *new_node(world *w, wnode *parent, const wf_template *t, const wf_task *task,
		       const char *name, const char *item)
{
	wnode *n = arena_alloc(w->a, sizeof *n);
	if (!n) {
		w->oom = 1;
		return NULL;
	}
	n->w = w;
	n->id = w->wnodes.n;
	if (vec_push(w->a, &w->wnodes, n))
		w->oom = 1;
	n->t = t;
	n->task = task;
	n->scope = parent && parent->scope ? parent->scope : w->doc;
	if (task && task->tmpl_ref && t)
		(void)wf_set_template_ref(w->doc->set, task->tmpl_ref, &n->scope);
	n->name = name;
	n->parent = parent;
	n->depth = parent ? parent->depth + 1 : 0;
	n->item = item;
	n->state = N_RUN;
	n->rec = w_record(w, SIM_REC_NODE, name, t ? t->name : "", t ? tmpl_what(t) : "", n->depth);
	const char *par = t && t->parallelism ? yn_str(t->parallelism) : NULL;
	n->par_limit = par && atoi(par) > 0 ? atoi(par) : 0;
	for (size_t i = 0; t && i < t->inputs.nparams; i++) {
		const wf_param *ip = &t->inputs.params[i];
		const char *v = NULL;
		const wf_io *args = task ? &task->arguments : parent ? NULL : &w->doc->spec.arguments;
		for (size_t k = 0; args && k < args->nparams; k++)
			if (ip->name && args->params[k].name && !strcmp(args->params[k].name, ip->name))
				v = bind_refs(w, parent, subst_item(w, parent, item, yn_str(args->params[k].value)));
		if (!v)
			v = yn_str(ip->value) ? yn_str(ip->value) : yn_str(ip->dflt);
		if (!v) {
			w_note(w, "%s: input parameter %s has no value", name, ip->name);
			v = "";
		}
		if (vec_push(w->a, &n->in_names, (void *)ip->name) ||
		    vec_push(w->a, &n->in_vals, (void *)v))
			w->oom = 1;
	}
	w_trace(w, "node %s (%s) started", name, t ? t->name : "?");
	return n;
}

static void dag_progress(world *w, wnode *n);
static void deps_resolve(world *w, wnode *dag);
static void steps_progress(world *w, wnode *n);
static void start_node(world *w, wnode *n);

/* How many times a leaf may be retried, from retryStrategy.limit. */
static int retry_limit(world *w, wnode *n, const char **policy)
{
	const ynode *r = n->t->retry;
	*policy = "OnFailure";
	if (!r)
		return 0;
	const char *pol = yn_get_str(r, "retryPolicy");
	if (pol)
		*policy = pol;
	const ynode *l = yn_get(r, "limit");
	if (!l)
		return 1000; /* no limit: Argo retries without end; the caps stop it */
	const char *s = ctl_subst(w, n, yn_str(l));
	long v = s ? strtol(s, NULL, 10) : 0;
	return v < 0 ? 0 : v > 1000 ? 1000 : (int)v;
}

/* A Go duration ("90s", "1m30s", "1.5h", "250ms") or a bare number of
 * seconds, as Argo reads retry back-offs and template timeouts; 0 for
 * none or for what it cannot read. */
static double seconds(const char *s)
{
	double total = 0;
	for (const char *q = s; q && *q;) {
		double v = duration_part(q, &q);
		if (v < 0)
			return 0;
		total += v;
	}
	return total;
}

static void retry_fire(sim_engine *e, void *arg, long what)
{
	(void)e;
	(void)what;
	wnode *n = arg;
	world *w = n->w;
	n->attempt++;
	sim_record *old = w_rec(w, n->rec);
	n->rec = w_record(w, SIM_REC_NODE, arena_printf(w->a, "%s(%d)", n->name, n->attempt),
			  old->tmpl, old->what, n->depth);
	w_rec(w, n->rec)->attempt = n->attempt;
	n->pod = NULL;
	start_leaf(w, n);
}

/* A leaf's pod or action ended: failed is 0 (it succeeded), 1 (Failed:
 * its container failed) or 2 (Error: Argo could not run it, e.g. the pod
 * was refused at creation). retryPolicy OnFailure (the default) retries
 * failures, OnError errors, Always both. */
static void leaf_end(world *w, wnode *n, int failed, const char *msg)
{
	sim_record *r = w_rec(w, n->rec);
	if (r->end < 0)
		r->end = sim_now(w->e);
	r->status = failed == 2 ? "Error" : failed ? "Failed" : "Succeeded";
	if (msg && *msg)
		r->message = msg;
	const char *pol = n->retry_policy ? n->retry_policy : "OnFailure";
	int retry = failed == 2 ? !strcmp(pol, "OnError") || !strcmp(pol, "Always")
		: failed && strcmp(pol, "OnError") && strcmp(pol, "OnTransientError");
	if (retry && n->attempt < n->retry_limit) {
		double back = 0;
		const ynode *b = yn_get(n->t->retry, "backoff");
		if (b) {
			back = seconds(yn_get_str(b, "duration"));
			const char *f = yn_get_str(b, "factor");
			double fac = f ? atof(f) : 1;
			for (int i = 0; i < n->attempt && fac > 1; i++)
				back *= fac;
		}
		w_trace(w, "node %s failed; retry %d of %d in %.0f s", n->name, n->attempt + 1,
			n->retry_limit, back);
		sim_after(w->e, back, retry_fire, n, 0);
		return;
	}
	node_done(w, n, failed == 2 ? "Error" : failed ? "Failed" : "Succeeded", msg);
}

void ctl_pod_done(world *w, pod *p)
{
	wnode *n = p->owner;
	if (!n || n->state == N_DONE || n->pod != p)
		return;
	if (!p->failed) {
		/* outputs: what the container would have written */
		for (size_t i = 0; i < n->t->outputs.nparams; i++) {
			const wf_param *op = &n->t->outputs.params[i];
			const ynode *vf = op->value_from;
			const char *v = NULL;
			if (p->kind == POD_LBWAIT)
				v = FAKE_IP;
			else if (yn_get(vf, "default"))
				v = yn_get_str(vf, "default");
			else if (yn_str(op->value))
				v = ctl_subst(w, n, yn_str(op->value));
			if (!v) {
				v = arena_printf(w->a, "sim-%s-%s", n->name, op->name);
				w_note(w, "%s: output %s is read from the container at run time; "
				       "the simulation uses \"%s\"", n->name, op->name, v);
			}
			set_out(w, n, op->name, v);
		}
	}
	leaf_end(w, n, p->failed, p->msg);
}

/* --- resource templates ------------------------------------------------- */

static const char *jsonpath_value(const ynode *root, const char *path)
{
	char buf[256];
	if (!path)
		return NULL;
	while (*path == '{' || *path == '.')
		path++;
	snprintf(buf, sizeof buf, "%s", path);
	size_t l = strlen(buf);
	if (l && buf[l - 1] == '}')
		buf[l - 1] = 0;
	const ynode *n = root;
	char *save = NULL;
	for (char *tok = strtok_r(buf, ".", &save); tok && n; tok = strtok_r(NULL, ".", &save))
		n = yn_get(n, tok);
	return yn_str(n);
}

/* Create or apply one object; NULL on success, else the error. */
static const char *apply_object(world *w, wnode *n, const ynode *m, int create)
{
	const char *kind = yn_get_str(m, "kind");
	const char *name = yn_get_str(yn_get(m, "metadata"), "name");
	char err[256] = "";
	if (!kind)
		return "the manifest has no kind";
	if (!name)
		name = arena_printf(w->a, "%s-%s", w->wfname, n->name);
	if (!strcmp(kind, "StorageClass")) {
		if (sto_class(w, name))
			return create ? arena_printf(w->a, "storageclasses.storage.k8s.io \"%s\" "
						     "already exists", name) : NULL;
		return sto_create_class(w, name, m, err, sizeof err) ? NULL : arena_strdup(w->a, err);
	}
	if (kmanifest_is(m, "StatefulSet")) {
		if (sts_find(w, name))
			return create ? arena_printf(w->a, "statefulsets.apps \"%s\" already exists", name) : NULL;
		sts *set = sts_create(w, m, err, sizeof err);
		if (!set)
			return arena_strdup(w->a, err);
		set->v2_404 = w_effect(w, n->t->name, FX_RDZV_404);
		set->broken = w_effect(w, n->t->name, FX_CRASH_LOOP);
		if (!set->broken && set->is_etcd)
			set->broken = w_effect(w, n->t->name, FX_NO_DNS);
		return NULL;
	}
	if (!strcmp(kind, "Service")) {
		if (svc_find(w, name))
			return create ? arena_printf(w->a, "services \"%s\" already exists", name) : NULL;
		svc_create(w, name, yn_get_str(yn_get(m, "spec"), "type"));
		w_trace(w, "service %s created", name);
		return NULL;
	}
	if (!strcmp(kind, "PersistentVolumeClaim")) {
		const ynode *spec = yn_get(m, "spec");
		const ynode *am = yn_get(spec, "accessModes");
		const char *mode = am && am->kind == YN_SEQ && am->n ? yn_str(am->item[0]) : NULL;
		sto_size(sto_claim(w, name, yn_get_str(spec, "storageClassName"),
				   !mode || !strcmp(mode, "ReadWriteOnce")), spec);
		w_trace(w, "pvc %s created", name);
		return NULL;
	}
	w_note(w, "%s: %s/%s is created but not modelled further", n->name, kind, name);
	return NULL;
}

/* Delete kind/name: 0, or -1 when there is no such object. Kinds the
 * model does not keep are taken as deleted, with a note. */
static int delete_object(world *w, wnode *n, const char *kind, const char *name)
{
	if (!svc_delete(w, kind, name) || !sto_delete(w, kind, name))
		return 0;
	static const char *const kept[] = {"Service", "StatefulSet", "PersistentVolumeClaim", "StorageClass", NULL};
	for (size_t i = 0; kept[i]; i++)
		if (ktype_is(kind, strlen(kind), kept[i]))
			return -1;
	w_note(w, "%s: deleting %s/%s is not modelled (taken as done)", n->name, kind, name);
	return 0;
}

static void resource_done(sim_engine *e, void *arg, long what)
{
	(void)e;
	(void)what;
	wnode *n = arg;
	world *w = n->w;
	const wf_resource *r = n->t->resource;
	const char *action = r->action ? r->action : "create";
	const char *fail = NULL;
	const ynode *root = r->ndocs ? r->docs[0].root : NULL;
	if (r->templated && r->manifest) {
		/* parse the manifest as this call sees it */
		const char *text = ctl_subst(w, n, r->manifest);
		diag_list *dl = diag_list_new();
		yn_doc *docs = NULL;
		size_t nd = 0;
		if (dl && yn_parse(w->a, "manifest", text, strlen(text), &yn_default_limits, NULL, dl,
				   &docs, &nd) == 0 && nd)
			root = docs[0].root;
		diag_list_free(dl);
	}
	const fx *refused = w_effect(w, n->t->name, FX_OBJECT_REFUSED);
	if (refused && strcmp(action, "delete")) {
		fail = arena_printf(w->a, "the API server refuses the object: %s", refused->msg);
		w_failure(w, refused, n->name, "%s", fail);
	} else if (!strcmp(action, "delete")) {
		const ynode *fl = r->flags;
		int any = 0, ignore = 0;
		for (size_t i = 0; fl && fl->kind == YN_SEQ && i < fl->n; i++) {
			const char *f = yn_str(fl->item[i]);
			ignore |= f && (!strcmp(f, "--ignore-not-found") ||
					!strcmp(f, "--ignore-not-found=true"));
		}
		for (size_t i = 0; fl && fl->kind == YN_SEQ && i < fl->n; i++) {
			const char *f = ctl_subst(w, n, yn_str(fl->item[i]));
			const char *slash = f && f[0] != '-' ? strchr(f, '/') : NULL;
			if (!slash)
				continue;
			any = 1;
			char kind[64];
			snprintf(kind, sizeof kind, "%.*s", (int)(slash - f), f);
			if (delete_object(w, n, kind, slash + 1) && !ignore && !fail)
				fail = arena_printf(w->a, "Error from server (NotFound): %s not found", f);
		}
		if (!any && root) {
			const char *kind = yn_get_str(root, "kind"), *name =
				yn_get_str(yn_get(root, "metadata"), "name");
			if (kind && name && delete_object(w, n, kind, name) && !ignore)
				fail = arena_printf(w->a, "%s %s not found", kind, name);
		}
	} else if (!strcmp(action, "patch") && !yn_get_str(root, "kind")) {
		w_note(w, "%s: a patch of an object named by flags is not modelled (taken as done)",
		       n->name);
	} else if (!strcmp(action, "create") || !strcmp(action, "apply") ||
		   !strcmp(action, "replace") || !strcmp(action, "patch")) {
		if (!root)
			fail = "the manifest is empty or does not parse";
		else
			fail = apply_object(w, n, root, !strcmp(action, "create"));
	} else {
		w_note(w, "%s: resource action %s is not modelled (taken as done)", n->name, action);
	}
	if (!fail) {
		if (r->success)
			w_note(w, "%s: successCondition is not modelled: taken as met at once", n->name);
		for (size_t i = 0; i < n->t->outputs.nparams; i++) {
			const wf_param *op = &n->t->outputs.params[i];
			const char *v = jsonpath_value(root, yn_get_str(op->value_from, "jsonPath"));
			if (!v)
				v = arena_printf(w->a, "sim-%s-%s", n->name, op->name);
			set_out(w, n, op->name, v);
		}
	}
	w_trace(w, "resource %s %s: %s", action, n->name, fail ? fail : "done");
	leaf_end(w, n, fail != NULL, fail);
}

/* --- container templates ------------------------------------------------ */

/* What a container runs, as one line: its command and args, each resolved
 * and followed by a space, then its script's source (the first 4 KiB). */
static void command_text(world *w, wnode *n, char *text, size_t cap)
{
	const wf_container *c = n->t->main;
	const ynode *parts[2] = {c->command, c->args};
	size_t len = 0;
	text[0] = 0;
	for (int k = 0; k < 2; k++) {
		const ynode *s = parts[k];
		for (size_t i = 0; s && s->kind == YN_SEQ && i < s->n && len < cap; i++)
			if (yn_str(s->item[i]))
				len += snprintf(text + len, cap - len, "%s ", ctl_subst(w, n, yn_str(s->item[i])));
	}
	if (c->source && len < cap)
		snprintf(text + len, cap - len, "%s", c->source);
}

/* A container that polls for a LoadBalancer's IP (kubectl get svc NAME
 * ... loadBalancer ... sleep N): the service name, and the poll period. */
static const char *lb_wait(world *w, wnode *n, double *poll)
{
	char text[4096];
	command_text(w, n, text, sizeof text);
	if (!strstr(text, "kubectl") || !strstr(text, "loadBalancer"))
		return NULL;
	const char *g = strstr(text, "get svc ");
	size_t skip = 8;
	if (!g)
		g = strstr(text, "get service "), skip = 12;
	if (!g)
		return NULL;
	g += skip;
	size_t len = strcspn(g, " \t\n;\"'");
	const char *sl = strstr(text, "sleep ");
	*poll = sl ? atof(sl + 6) : LB_POLL_DEFAULT_S;
	if (*poll <= 0)
		*poll = LB_POLL_DEFAULT_S;
	return ctl_subst(w, n, arena_strndup(w->a, g, len));
}

/* The seconds a container says it sleeps: every `sleep D` that begins a
 * command of its argv or script (D as GNU sleep reads it: a number with an
 * optional s, m, h or d), summed; -1 for `sleep infinity`, 0 for none. A
 * step that sleeps a day runs at least a day, whatever container_run says. */
static double sleeps(world *w, wnode *n)
{
	char text[4096];
	command_text(w, n, text, sizeof text);
	double total = 0;
	for (const char *q = text; (q = strstr(q, "sleep")) != NULL; q += 5) {
		if (q > text && !strchr(" \t\n;&|(\"'", q[-1]))
			continue;
		const char *d = q + 5;
		if (*d != ' ' && *d != ';' && *d != '\t')
			continue;
		d += strspn(d, " ;\t");
		if (!strncmp(d, "infinity", 8))
			return -1;
		const char *end;
		double v = duration_part(d, &end);
		if (v >= 0 && v <= 1e12)
			total += v;
	}
	return total;
}

/* A copy of a string map with {{...}} in its values resolved (a
 * nodeSelector may take its values from parameters). */
static const ynode *subst_map(world *w, wnode *n, const ynode *m)
{
	if (!m || m->kind != YN_MAP)
		return m;
	int templated = 0;
	for (size_t i = 0; i < m->n; i++)
		templated |= yn_str(m->val[i]) && strstr(yn_str(m->val[i]), "{{") != NULL;
	if (!templated)
		return m;
	ynode *c = yn_copy(w->a, m);
	for (size_t i = 0; c && i < c->n; i++)
		if (yn_str(c->val[i])) {
			const char *v = ctl_subst(w, n, c->val[i]->str);
			c->val[i]->str = v;
			c->val[i]->len = strlen(v);
		}
	return c ? c : m;
}

static int opt_int(world *w, wnode *n, const tr_cmd *c, const char *name, int dflt)
{
	const tr_opt *o = tr_get(c, name);
	const char *v = o && o->value ? ctl_subst(w, n, o->value) : NULL;
	if (!v)
		return dflt;
	const char *colon = strchr(v, ':'); /* elastic "MIN:MAX": the job waits for MAX */
	long k = strtol(colon ? colon + 1 : v, NULL, 10);
	return k > 0 ? (int)k : dflt;
}

/* Volumes a container mounts, as claims: a template or workflow volume
 * with persistentVolumeClaim, or a workflow volumeClaimTemplate. */
static void mount_claims(world *w, wnode *n, pod *p)
{
	const ynode *mounts = n->t->main->volume_mounts;
	for (size_t i = 0; mounts && mounts->kind == YN_SEQ && i < mounts->n; i++) {
		const char *vname = ctl_subst(w, n, yn_get_str(mounts->item[i], "name"));
		const char *claim = NULL;
		const ynode *lists[2] = {n->t->volumes, w->doc->spec.volumes};
		for (int k = 0; !claim && vname && k < 2; k++)
			for (size_t j = 0; lists[k] && lists[k]->kind == YN_SEQ && j < lists[k]->n; j++) {
				const ynode *v = lists[k]->item[j];
				const char *nm = yn_get_str(v, "name");
				if (nm && !strcmp(ctl_subst(w, n, nm), vname)) {
					const ynode *pc = yn_get(v, "persistentVolumeClaim");
					claim = pc ? ctl_subst(w, n, yn_get_str(pc, "claimName")) : "";
					break;
				}
			}
		const ynode *vcts = w->doc->spec.volume_claim_templates;
		for (size_t j = 0; !claim && vname && vcts && vcts->kind == YN_SEQ && j < vcts->n; j++) {
			const char *nm = yn_get_str(yn_get(vcts->item[j], "metadata"), "name");
			if (nm && !strcmp(nm, vname))
				claim = arena_printf(w->a, "%s-%s", w->wfname, nm);
		}
		if (!claim || !*claim)
			continue;
		pvc *c = sto_find(w, claim);
		if (!c) {
			w_note(w, "%s mounts claim %s, which nothing creates; assumed to exist", n->name, claim);
			c = sto_claim(w, claim, NULL, 0);
			if (c && c->state != PVC_BOUND && c->cls && c->cls->binding == CL_BIND_IMMEDIATE) {
				/* a pre-existing claim is already bound */
			}
		}
		if (c && vec_push(w->a, &p->pvcs, c))
			w->oom = 1;
	}
}

/* An effect on a torchrun job: found on its template, or on the DAG or
 * steps template whose task arguments carry the faulty value. */
static const fx *job_effect(world *w, const wf_template *t, rule_effect kind)
{
	const fx *e = w_effect(w, t->name, kind);
	for (size_t i = 0; !e && i < fx_count(w->opts.effects); i++) {
		const fx *f = fx_at(w->opts.effects, i);
		const wf_template *ft = f->kind == kind && f->tmpl ? wf_find_template(w->doc, f->tmpl) : NULL;
		if (ft && (ft->kind == TK_DAG || ft->kind == TK_STEPS))
			e = f;
	}
	return e;
}

/* A template's timeout: the node's time counted from its start, pending
 * included; past it the pod's containers are killed (executor deadline). */
static void step_timeout(sim_engine *e, void *arg, long gen)
{
	(void)e;
	pod *p = arg;
	if (p->gen == gen && p->state != P_DONE)
		pod_kill(p->w, p, "Step exceeded its deadline");
}

static void start_pod(world *w, wnode *n)
{
	const wf_template *t = n->t;
	double poll = 0;
	const char *svc = lb_wait(w, n, &poll);
	tr_cmd *cmds = NULL;
	size_t ncmds = 0;
	tr_parse_container(w->a, t->main, &cmds, &ncmds);
	pod_kind kind = ncmds ? POD_RANK : svc ? POD_LBWAIT : POD_GENERIC;
	const char *pname = arena_printf(w->a, "%s-%s", w->wfname, n->name);
	const fx *refused = w_effect(w, t->name, FX_OBJECT_REFUSED);
	if (refused) {
		/* the API server validates the pod: it is never created */
		const char *msg = arena_printf(w->a, "pods \"%s\" is invalid: %s", pname, refused->msg);
		w_failure(w, refused, n->name, "%s", msg);
		leaf_end(w, n, 2, msg);
		return;
	}
	pod *p = pod_new(w, pname, kind, n, n->rec);
	if (!p)
		return;
	n->pod = p;
	p->start_fx = w_effect(w, t->name, FX_START_ERROR);
	if (!p->start_fx)
		p->start_fx = job_effect(w, t, FX_EXIT_AT_START);
	const ynode *podspec = t->node;
	pod_fill_from_spec(w, p, t->main->node, podspec);
	if (!p->selector)
		p->selector = w->doc->spec.node_selector;
	if (!p->tolerations)
		p->tolerations = w->doc->spec.tolerations;
	if (!p->affinity)
		p->affinity = w->doc->spec.affinity;
	p->image = ctl_subst(w, n, p->image);
	p->selector = subst_map(w, n, p->selector);
	const char *ad = t->active_deadline ? ctl_subst(w, n, yn_str(t->active_deadline)) : NULL;
	p->deadline_s = ad ? atof(ad) : 0;
	double timeout = t->timeout ? seconds(ctl_subst(w, n, yn_str(t->timeout))) : 0;
	if (timeout > 0) {
		sim_after(w->e, timeout, step_timeout, p, p->gen);
		w_deadline_ahead(w, sim_now(w->e) + timeout);
	}
	mount_claims(w, n, p);
	if (kind == POD_LBWAIT) {
		p->svc_name = svc;
		p->poll_s = poll;
	} else if (kind == POD_RANK) {
		const tr_cmd *c = &cmds[0];
		int size = tr_get(c, "standalone") ? 1 : opt_int(w, n, c, "nnodes", 0);
		if (size <= 0) {
			/* --nnodes from an environment variable or absent: the pods
			 * the workflow runs for this template are the group */
			size = 1;
			tr_job *jobs = NULL;
			size_t nj = 0;
			if (!tr_find(w->a, w->doc, &jobs, &nj))
				for (size_t j = 0; j < nj; j++)
					if (jobs[j].tmpl == t && jobs[j].ncalls > 0)
						size = (int)jobs[j].ncalls;
			w_note(w, "template %s: --nnodes is not a number the workflow gives; the group "
			       "is taken as the %d pod(s) that run the template", t->name, size);
		}
		int nproc = opt_int(w, n, c, "nproc-per-node", p->gpus > 0 ? p->gpus : 1);
		const tr_opt *be = tr_get(c, "rdzv-backend"), *id = tr_get(c, "rdzv-id"),
			*ep = tr_get(c, "rdzv-endpoint");
		const char *backend = be && be->value ? ctl_subst(w, n, be->value) : "static";
		const char *key = arena_printf(w->a, "%s@%s", id && id->value ? ctl_subst(w, n, id->value)
					       : "none", ep && ep->value ? ctl_subst(w, n, ep->value) : "local");
		rgroup *g = trn_group(w, key, size, nproc);
		if (!g)
			return;
		g->tmpl = t->name;
		g->needs_etcd = tr_backend_is_etcd(backend);
		g->c10d = !strcmp(backend, "c10d");
		g->max_restarts = opt_int(w, n, c, "max-restarts", 0);
		const tr_opt *mi = tr_get(c, "monitor-interval");
		const char *miv = mi && mi->value ? ctl_subst(w, n, mi->value) : NULL;
		if (miv && atof(miv) > 0)
			g->monitor_s = atof(miv);
		const tr_opt *conf = tr_get(c, "rdzv-conf");
		rdzv_timeout(w, g, backend, conf && conf->value ? ctl_subst(w, n, conf->value) : NULL);
		g->crash_fx = job_effect(w, t, FX_WORKER_CRASH);
		g->never_fx = job_effect(w, t, FX_RDZV_NEVER);
		p->group = g;
		g->live_pods++;
		/* the data-parallel strategy, if the training script's own
		 * arguments name it (model/perf.h) */
		const char **args = c->nargs ? arena_alloc(w->a, c->nargs * sizeof *args) : NULL;
		for (size_t i = 0; args && i < c->nargs; i++)
			args[i] = ctl_subst(w, n, c->args[i]);
		size_t at;
		if (args && !g->strategy_set && perf_strategy_from_args(args, c->nargs, &g->strategy, &at)) {
			g->strategy_set = 1;
			g->strategy_arg = args[at];
		}
		const tr_opt *nr = tr_get(c, "node-rank");
		const char *nrv = nr && nr->value ? ctl_subst(w, n, nr->value) : NULL;
		char *end = NULL;
		long rank = nrv ? strtol(nrv, &end, 10) : -1;
		if (!nrv || end == nrv || *end || rank < 0) {
			/* no number given: its place among the group's pods that
			 * have not ended (counted as they start and end) */
			rank = g->live_pods - 1;
		}
		p->node_rank = (int)rank;
	} else {
		double slept = sleeps(w, n);
		p->run_s = slept < 0 ? -1 : slept + w_draw(w, &w->container_run);
	}
	pod_submit(w, p);
}

static void start_leaf(world *w, wnode *n)
{
	switch (n->t->kind) {
	case TK_CONTAINER:
	case TK_SCRIPT:
		if (n->t->main) {
			start_pod(w, n);
			return;
		}
		break;
	case TK_RESOURCE:
		if (n->t->resource) {
			sim_after(w->e, w_draw(w, &w->resource_action), resource_done, n, 0);
			return;
		}
		break;
	case TK_SUSPEND:
		w_note(w, "%s: suspend is not modelled (resumed at once)", n->name);
		break;
	default:
		w_note(w, "%s: %s templates are not modelled (taken as done at once)", n->name,
		       wf_tmpl_kind_name(n->t->kind));
		break;
	}
	node_done(w, n, "Succeeded", "");
}

/* parallelism (the workflow's, and each enclosing template's) bounds the
 * leaves running at once: a leaf without a slot waits in line. */
static int has_slot(world *w, wnode *n)
{
	if (w->par_limit && w->par_running >= w->par_limit)
		return 0;
	for (wnode *a = n->parent; a; a = a->parent)
		if (a->par_limit && a->par_running >= a->par_limit)
			return 0;
	return 1;
}

static void take_slot(world *w, wnode *n, int d)
{
	n->admitted = d > 0;
	w->par_running += d;
	for (wnode *a = n->parent; a; a = a->parent)
		a->par_running += d;
}

static void admit(world *w, wnode *n)
{
	if (!has_slot(w, n)) {
		w_trace(w, "node %s waits for a parallelism slot", n->name);
		if (vec_push(w->a, &w->deferred, n))
			w->oom = 1;
		return;
	}
	take_slot(w, n, 1);
	start_leaf(w, n);
}

/* A leaf ended: give its slot to the first waiting leaf that may run. */
static void release_slot(world *w, wnode *n)
{
	if (!n->admitted)
		return;
	take_slot(w, n, -1);
	for (size_t i = 0; i < w->deferred.n; i++) {
		wnode *d = w->deferred.v[i];
		if (!d || !has_slot(w, d))
			continue;
		w->deferred.v[i] = NULL;
		w_rec(w, d->rec)->start = sim_now(w->e); /* Argo makes the node only now */
		take_slot(w, d, 1);
		start_leaf(w, d);
	}
}

static void start_node(world *w, wnode *n)
{
	const wf_template *t = n->t;
	if (n->depth > MAX_DEPTH) {
		/* a template that calls itself under a `when` the simulation cannot
		 * decide would recurse without end */
		w_problem(w, "%s: templates nest deeper than %d levels; the simulation stops the "
			  "recursion here", n->name, MAX_DEPTH);
		node_done(w, n, "Failed", "nesting too deep for the simulation");
		return;
	}
	if (t->kind == TK_DAG) {
		for (size_t i = 0; i < t->ntasks; i++)
			if (vec_push(w->a, &n->kids, NULL))
				w->oom = 1;
		deps_resolve(w, n);
		dag_progress(w, n);
	} else if (t->kind == TK_STEPS) {
		steps_progress(w, n);
	} else {
		n->retry_limit = retry_limit(w, n, &n->retry_policy);
		admit(w, n);
	}
}

/* --- when, fan-out ------------------------------------------------------ */

/* A {{...}} the substitution left: a drawn output, else unknown. */
typedef struct when_ctx {
	world *w;
	wnode *ctx;
	const char *item;
	wnode *owner;              /* drawing: the node whose output's compared values are */
	const char *field;         /* collected, and that output ("outputs.result") */
	size_t fl;
	vec vals;                  /* ... its candidate values (distinct, in order met) */
	int other;                 /* ... a value none of them is, too (a != or a lone ==) */
} when_ctx;

static const char *when_ref(void *u, const char *name, size_t len)
{
	when_ctx *c = u;
	return resolve(c->w, c->ctx, c->item, name, len);
}

static void add_val(when_ctx *c, const char *v, size_t len)
{
	for (size_t i = 0; i < c->vals.n; i++)
		if (strlen(c->vals.v[i]) == len && !memcmp(c->vals.v[i], v, len))
			return;
	char *s = arena_alloc(c->w->a, len + 1);
	if (!s || vec_push(c->w->a, &c->vals, s)) {
		c->w->oom = 1;
		return;
	}
	memcpy(s, v, len);
	s[len] = 0;
}

/* A comparison of the output being drawn with a known value: the value
 * (== and =~), or a value on each side of it (<, >: N-1 and N, or N and
 * N+1), so every way the condition can go is among the draws. */
static void when_cmp(void *u, const char *ref, size_t reflen, const char *op, const char *lit, size_t litlen)
{
	when_ctx *c = u;
	const char *f;
	size_t fl;
	if (!c->owner || ref_owner(c->w, c->ctx, ref, reflen, &f, &fl) != c->owner || fl != c->fl ||
	    memcmp(f, c->field, fl))
		return;
	if (op[0] == '<' || op[0] == '>') {
		char buf[64], *end;
		snprintf(buf, sizeof buf, "%.*s", (int)litlen, lit);
		double n = strtod(buf, &end);
		if (end == buf || *end) {
			add_val(c, lit, litlen);
			c->other = 1;
			return;
		}
		int below = (op[0] == '<') == (op[1] != '=');
		char a[40], b[40];
		snprintf(a, sizeof a, "%.15g", below ? n - 1 : n);
		snprintf(b, sizeof b, "%.15g", below ? n : n + 1);
		add_val(c, a, strlen(a));
		add_val(c, b, strlen(b));
		return;
	}
	add_val(c, lit, litlen);
	if (op[0] == '!')
		c->other = 1;
}

/* A value none of the candidates is: past the largest when they are all
 * numbers, else a word. */
static const char *other_value(when_ctx *c)
{
	double max = 0;
	int num = c->vals.n > 0;
	for (size_t i = 0; i < c->vals.n; i++) {
		char *end;
		double v = strtod(c->vals.v[i], &end);
		if (end == (char *)c->vals.v[i] || *end)
			num = 0;
		else if (i == 0 || v > max)
			max = v;
	}
	if (num)
		return arena_printf(c->w->a, "%.15g", floor(max) + 1);
	for (int k = 0;; k++) {
		const char *o = k ? arena_printf(c->w->a, "other-%d", k) : "other";
		size_t i;
		for (i = 0; o && i < c->vals.n; i++)
			if (!strcmp(c->vals.v[i], o))
				break;
		if (!o || i == c->vals.n)
			return o;
	}
}

/* Every `when` of the template ctx runs, substituted, with the comparisons
 * of output `ref` collected. */
static void collect_whens(when_ctx *c)
{
	const wf_template *t = c->ctx->t;
	for (size_t g = 0; t && g < (t->kind == TK_DAG ? 1 : t->ngroups); g++) {
		const wf_task *tasks = t->kind == TK_DAG ? t->tasks : t->groups[g].steps;
		size_t n = t->kind == TK_DAG ? t->ntasks : t->groups[g].n;
		for (size_t i = 0; i < n; i++) {
			if (!tasks[i].when)
				continue;
			const char *s = subst_item(c->w, c->ctx, NULL, yn_str(tasks[i].when));
			expr_env env = {when_ref, when_cmp, c};
			int v;
			(void)expr_when(s, &env, &v, NULL, NULL);
		}
	}
}

/* Draw, for this run, an output only a real run knows (a coin flip's
 * result, a script's answer) that a `when` of ctx's template reads:
 * uniformly among the values the template's `when`s compare it with, said
 * in a note. The draw is kept on the node that made it, so every reader
 * sees the same value. 1 when one was drawn. */
static int draw_output(world *w, wnode *ctx, const char *ref, size_t len)
{
	const char *f, *param = NULL;
	size_t left, fl = 0;
	wnode *k = ref_owner(w, ctx, ref, len, &f, &left);
	if (!k || k->state != N_DONE || !k->phase || strcmp(k->phase, "Succeeded"))
		return 0; /* not run (yet), or failed: nothing to draw */
	if (!(left == 14 && !memcmp(f, "outputs.result", 14)) &&
	    !(param = wf_expr_rest(f, left, "outputs.parameters.", &fl)))
		return 0;
	if (!param && k->result)
		return 0; /* drawn already */
	size_t slot = 0;
	if (param) {
		for (slot = 0; slot < k->out_names.n; slot++)
			if (k->out_names.v[slot] && strlen(k->out_names.v[slot]) == fl &&
			    !memcmp(k->out_names.v[slot], param, fl))
				break;
		if (slot == k->out_names.n || strncmp(k->out_vals.v[slot], "sim-", 4))
			return 0;
	}
	when_ctx c = {w, ctx, NULL, k, f, left, {0}, 0};
	collect_whens(&c);
	if (!c.vals.n)
		return 0; /* compared with nothing known: nothing to draw from */
	if (c.vals.n < 2)
		c.other = 1; /* a lone `== heads`: the flip may also come out otherwise */
	if (c.other) {
		const char *o = other_value(&c);
		if (!o || vec_push(w->a, &c.vals, (void *)o)) {
			w->oom = 1;
			return 0;
		}
	}
	const char *v = c.vals.v[sim_rng_below(&w->orng, c.vals.n)];
	if (param)
		k->out_vals.v[slot] = (void *)v;
	else
		k->result = v;
	char list[512] = "";
	for (size_t i = 0, n = 0; i < c.vals.n && n < sizeof list; i++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", i ? ", " : "", (const char *)c.vals.v[i]);
	w_note(w, "%s %s%s of template %s: known only when it runs; drawn per run, uniformly from {%s}: "
	       "the values the template's `when`s compare it with%s",
	       ctx->t && ctx->t->kind == TK_DAG ? "task" : "step",
	       k->task && k->task->name ? k->task->name : k->name,
	       param ? arena_printf(w->a, "'s output %.*s", (int)fl, param) : "'s outputs.result",
	       ctx->t && ctx->t->name ? ctx->t->name : "?", list,
	       c.other ? ", and one value none of them is" : "");
	w_trace(w, "%s: %.*s drawn: %s", k->name, (int)len, ref, v);
	return 1;
}

/* The first {{...}} of s naming a step's or task's output. */
static int next_output_ref(const char *s, size_t *from, const char **ref, size_t *len)
{
	for (const char *o; (o = strstr(s + *from, "{{"));) {
		const char *c = strstr(o + 2, "}}");
		if (!c)
			return 0;
		*from = (size_t)(c + 2 - s);
		const char *b = o + 2, *e = c;
		while (b < e && isspace((unsigned char)*b))
			b++;
		while (e > b && isspace((unsigned char)e[-1]))
			e--;
		size_t n = (size_t)(e - b);
		int out = 0;
		for (size_t i = 0; !out && i + 9 <= n; i++)
			out = !memcmp(b + i, ".outputs.", 9);
		if (n > 6 && (!memcmp(b, "steps.", 6) || !memcmp(b, "tasks.", 6) || !memcmp(b, "sim.node.", n > 9 ? 9 : n)) && out) {
			*ref = b;
			*len = n;
			return 1;
		}
	}
	return 0;
}

/* 1 run, 0 skip, -1 the condition is one Argo refuses (the task errors,
 * with why in *why). Substituted as Argo does, then read by
 * document/expr; an output only a real run knows is drawn (draw_output);
 * what stays unknown runs, with a note. */
static int eval_when(world *w, wnode *ctx, const char *item, const wf_task *task, const char *name,
		     const char **why)
{
	for (int round = 0; round < 8; round++) {
		w->when_subst = 1;
		const char *s = subst_item(w, ctx, item, yn_str(task->when));
		w->when_subst = 0;
		if (!s)
			return 1;
		when_ctx c = {w, ctx, item, NULL, NULL, 0, {0}, 0};
		expr_env env = {when_ref, NULL, &c};
		int v = 1;
		size_t off = 0;
		const char *msg = NULL;
		int rc = expr_when(s, &env, &v, &off, &msg);
		if (rc == 0)
			return v;
		if (rc < 0) {
			*why = arena_printf(w->a, "invalid 'when' expression '%s': %s (at byte %zu)", s, msg, off);
			return -1;
		}
		int drawn = 0;
		const char *ref;
		size_t len, from = 0;
		while (next_output_ref(s, &from, &ref, &len))
			drawn |= draw_output(w, ctx, ref, len);
		if (!drawn) {
			w_note(w, "%s: when '%s' depends on what only a real run knows; taken as true", name, s);
			return 1;
		}
	}
	return 1;
}

/* A task its `when` keeps from running: Skipped, or (run < 0) Error, as
 * Argo fails a node whose condition it cannot evaluate. */
static void when_not_run(world *w, wnode *n, int run, const char *why)
{
	if (run < 0) {
		w_problem(w, "%s: %s", n->name, why);
		node_done(w, n, "Error", why);
	} else {
		node_done(w, n, "Skipped", "when was false");
	}
}

/* Items of a fan-out, as strings; -1 when the task does not fan out. */
static long fan_items(world *w, wnode *ctx, const wf_task *task, const char ***items)
{
	if (task->with_items && task->with_items->kind == YN_SEQ) {
		const ynode *s = task->with_items;
		*items = arena_alloc(w->a, (s->n + 1) * sizeof **items);
		for (size_t i = 0; *items && i < s->n; i++) {
			const char *v = yn_str(s->item[i]);
			if (!v) { /* a map item: {{item}} reads as its JSON-ish text */
				char *e = yn_emit_string(s->item[i], NULL);
				v = e ? arena_strdup(w->a, e) : "item";
				free(e);
			}
			(*items)[i] = v ? v : "item";
		}
		return *items ? (long)s->n : 0;
	}
	if (task->with_sequence) {
		const char *cnt = ctl_subst(w, ctx, yn_get_str(task->with_sequence, "count"));
		const char *st = ctl_subst(w, ctx, yn_get_str(task->with_sequence, "start"));
		const char *en = ctl_subst(w, ctx, yn_get_str(task->with_sequence, "end"));
		long start = st ? strtol(st, NULL, 10) : 0, n = 0;
		if (cnt)
			n = strtol(cnt, NULL, 10);
		else if (en)
			n = strtol(en, NULL, 10) - start + 1;
		if (n < 0 || n > 10000)
			n = 0;
		*items = arena_alloc(w->a, ((size_t)n + 1) * sizeof **items);
		for (long i = 0; *items && i < n; i++)
			(*items)[i] = arena_printf(w->a, "%ld", start + i);
		return *items ? n : 0;
	}
	if (task->with_param)
		w_note(w, "%s: withParam is read at run time; simulated as one item", task->name);
	return -1;
}

static void opaque_done(sim_engine *e, void *arg, long what)
{
	(void)e;
	(void)what;
	wnode *n = arg;
	node_done(n->w, n, "Succeeded", "");
}

/* The template a task of parent runs: by name in parent's document, or
 * through templateRef in the WorkflowTemplate of the run it names; NULL
 * when neither is there (or it is inline). */
static const wf_template *task_template(world *w, wnode *parent, const wf_task *task)
{
	if (task->tmpl)
		return wf_find_template(parent && parent->scope ? parent->scope : w->doc, task->tmpl);
	if (task->tmpl_ref)
		return wf_set_template_ref(w->doc->set, task->tmpl_ref, NULL);
	return NULL;
}

/* Start a task (step) of parent: one node, or a group of one per item. */
static wnode *start_task(world *w, wnode *parent, const wf_task *task)
{
	const wf_template *t = task_template(w, parent, task);
	const char *name = task->name;
	if (!t) {
		/* a template no document of the run holds, or an inline one: the
		 * run goes on with an opaque step */
		wnode *n = new_node(w, parent, NULL, task, name, NULL);
		if (!n)
			return NULL;
		const char *rn = task->tmpl_ref ? yn_get_str(task->tmpl_ref, "name") : NULL;
		const char *what = task->tmpl ? arena_printf(w->a, "template %s is not in the document",
							     task->tmpl)
			: task->tmpl_ref ? arena_printf(w->a, "templateRef %s/%s: no file given holds it "
							"(give the WorkflowTemplate's file after the workflow's)",
							rn ? rn : "?", yn_get_str(task->tmpl_ref, "template") ?
							yn_get_str(task->tmpl_ref, "template") : "?")
			: "inline templates are not simulated";
		w_note(w, "%s: %s; taken as a step that succeeds after container_run", name, what);
		w_rec(w, n->rec)->what = "opaque";
		n->state = N_RUN;
		sim_after(w->e, w_draw(w, &w->container_run), opaque_done, n, 0);
		return n;
	}
	const char **items = NULL;
	long ni = fan_items(w, parent, task, &items);
	if (ni < 0) {
		const char *why = NULL;
		int run = task->when ? eval_when(w, parent, NULL, task, name, &why) : 1;
		if (run <= 0) {
			wnode *n = new_node(w, parent, t, task, name, NULL);
			if (n)
				when_not_run(w, n, run, why);
			return n;
		}
		wnode *n = new_node(w, parent, t, task, name, NULL);
		if (n)
			start_node(w, n);
		return n;
	}
	wnode *g = new_node(w, parent, t, task, name, NULL);
	if (!g)
		return NULL;
	g->fanout = 1; /* kids are the items */
	w_rec(w, g->rec)->what = "fan-out";
	for (long i = 0; i < ni; i++)
		if (vec_push(w->a, &g->kids, NULL))
			w->oom = 1;
	for (long i = 0; i < ni; i++) {
		const char *kn = arena_printf(w->a, "%s(%ld:%s)", task->name, i, items[i]);
		wnode *k;
		const char *why = NULL;
		int run = task->when ? eval_when(w, parent, items[i], task, kn, &why) : 1;
		if (run <= 0) {
			k = new_node(w, g, t, task, kn, items[i]);
			if (k)
				g->kids.v[i] = k, when_not_run(w, k, run, why);
			continue;
		}
		/* arguments see the parent's scope with this item */
		k = new_node(w, parent, t, task, kn, items[i]);
		if (!k)
			continue;
		k->parent = g;
		k->depth = g->depth + 1;
		w_rec(w, k->rec)->depth = k->depth;
		g->kids.v[i] = k;
		start_node(w, k);
	}
	if (!ni)
		node_done(w, g, "Succeeded", "");
	else {
		int all = 1;
		for (long i = 0; i < ni; i++)
			all &= g->kids.v[i] && ((wnode *)g->kids.v[i])->state == N_DONE;
		if (all && g->state != N_DONE)
			node_done(w, g, "Succeeded", ""); /* recomputed by group_progress */
	}
	return g;
}

/* --- depends ------------------------------------------------------------ */

/* A DAG's `depends`, resolved once when the DAG starts: for each task,
 * the index of every task its expression names, in the order dep_eval
 * visits them (-1: no task of that name). A task whose named tasks have
 * not all ended cannot start yet, and the DAG skips it without parsing
 * its expression again: a chain of n tasks would otherwise parse n
 * expressions, each looking up names among n tasks, at each of its n
 * steps. */
typedef struct task_deps {
	int *task;
	size_t n;
} task_deps;

typedef struct dp {
	world *w;
	wnode *dag;
	const task_deps *td;
	size_t at;     /* the next reference of td */
	int pending;   /* a named task has not completed */
	int bad;
} dp;

/* The text of a task's depends (its dependencies list joined with &&);
 * 0 when it has neither. */
static int deps_text(const wf_task *task, char *buf, size_t size)
{
	buf[0] = 0;
	if (task->depends) {
		snprintf(buf, size, "%s", task->depends);
	} else if (task->dependencies && task->dependencies->kind == YN_SEQ) {
		for (size_t i = 0; i < task->dependencies->n; i++)
			snprintf(buf + strlen(buf), size - strlen(buf), "%s(%s)",
				 i ? " && " : "", yn_str(task->dependencies->item[i]) ?
				 yn_str(task->dependencies->item[i]) : "?");
	} else {
		return 0;
	}
	return 1;
}

/* A DAG's task names indexed for lookups (document/workflow.h), and the
 * indexes deps_collect meets. */
typedef struct names {
	const wf_template *t;
	size_t *by_name, n;
	vec refs;      /* deps_collect: the indexes met, as (void *)(i + 1) */
	arena *a;
	int oom;
} names;

/* The first task named name, as a linear search in task order finds it;
 * -1 if none. */
static int task_by_name(const names *nm, const char *name, size_t len)
{
	return (int)wf_name_find(nm->by_name, nm->n, nm->t->tasks, sizeof *nm->t->tasks,
				 offsetof(wf_task, name), name, len, 0);
}

static int deps_collect(void *u, const char *name, size_t len, dep_result r, size_t off)
{
	(void)r;
	(void)off;
	names *nm = u;
	int j = task_by_name(nm, name, len);
	if (vec_push(nm->a, &nm->refs, (void *)(intptr_t)(j + 1)))
		nm->oom = 1;
	return 0;
}

/* dag->deps, from its template's tasks. */
static void deps_resolve(world *w, wnode *dag)
{
	const wf_template *t = dag->t;
	names nm = {t, malloc((t->ntasks + 1) * sizeof *nm.by_name), 0, {0}, w->a, 0};
	dag->deps = arena_alloc(w->a, (t->ntasks + 1) * sizeof *dag->deps);
	nm.n = nm.by_name ? wf_name_sort(nm.by_name, t->tasks, t->ntasks, sizeof *t->tasks,
					 offsetof(wf_task, name)) : (size_t)-1;
	if (nm.n == (size_t)-1 || !dag->deps) {
		free(nm.by_name);
		dag->deps = NULL; /* deps_ready reads every expression then */
		return;
	}
	for (size_t i = 0; i < t->ntasks && !nm.oom; i++) {
		char buf[2048];
		nm.refs.n = 0;
		if (!deps_text(&t->tasks[i], buf, sizeof buf))
			continue;
		(void)dep_eval(buf, deps_collect, &nm, NULL, NULL, NULL);
		int *ix = nm.refs.n ? arena_alloc(w->a, nm.refs.n * sizeof *ix) : NULL;
		if (nm.refs.n && !ix) {
			nm.oom = 1;
			break;
		}
		for (size_t k = 0; k < nm.refs.n; k++)
			ix[k] = (int)(intptr_t)nm.refs.v[k] - 1;
		dag->deps[i] = (task_deps){ix, nm.refs.n};
	}
	free(nm.by_name);
	if (nm.oom)
		dag->deps = NULL;
}

/* A task one of whose named tasks has not started or not ended: its
 * expression cannot be decided yet (deps_ready would say -1). */
static int deps_waiting(const wnode *dag, size_t i)
{
	if (!dag->deps)
		return 0;
	const task_deps *td = &dag->deps[i];
	for (size_t k = 0; k < td->n; k++) {
		int j = td->task[k];
		const wnode *kid = j >= 0 ? dag->kids.v[j] : NULL;
		if (j >= 0 && (!kid || kid == STARTING || kid->state != N_DONE))
			return 1;
	}
	return 0;
}

static wnode *dag_kid(dp *p, const char *name, size_t len)
{
	wnode *dag = p->dag;
	if (p->td && p->at < p->td->n) {
		int j = p->td->task[p->at++];
		if (j < 0)
			return NULL;
		return dag->kids.v[j] && dag->kids.v[j] != STARTING ? dag->kids.v[j]
			: (wnode *)dag; /* the dag itself: not started */
	}
	for (size_t i = 0; i < dag->t->ntasks; i++) {
		const char *tn = dag->t->tasks[i].name;
		if (tn && strlen(tn) == len && !memcmp(tn, name, len))
			return dag->kids.v[i] && dag->kids.v[i] != STARTING ? dag->kids.v[i]
				: (wnode *)dag; /* the dag itself: not started */
	}
	return NULL;
}

static int phase_is(const wnode *k, const char *ph)
{
	return k->phase && !strcmp(k->phase, ph);
}

/* Failed or Error: Argo's DAG and steps treat both as a failed child. */
static int failed_phase(const wnode *k)
{
	return phase_is(k, "Failed") || phase_is(k, "Error");
}

static int continue_failed(const wnode *k)
{
	int b = 0;
	const ynode *c = k->task ? yn_get(k->task->continue_on, "failed") : NULL;
	return c && !yn_bool(c, &b) && b;
}

/* The truth of one reference of a depends expression (document/depends.h). */
static int dep_ref(void *u, const char *name, size_t len, dep_result r, size_t off)
{
	(void)off;
	dp *p = u;
	wnode *k = dag_kid(p, name, len);
	if (!k) {
		p->bad = 1;
		return 0;
	}
	if (k == p->dag || k->state != N_DONE) {
		p->pending = 1;
		return 0;
	}
	int any = 0, all = 1;
	switch (r) {
	case DEP_DEFAULT:
		return phase_is(k, "Succeeded") || (failed_phase(k) && continue_failed(k)) ||
		       phase_is(k, "Skipped");
	case DEP_SUCCEEDED:
		return phase_is(k, "Succeeded");
	case DEP_FAILED:
		return phase_is(k, "Failed");
	case DEP_ERRORED:
		return phase_is(k, "Error");
	case DEP_SKIPPED:
		return phase_is(k, "Skipped");
	case DEP_OMITTED:
		return phase_is(k, "Omitted");
	case DEP_DAEMONED:
		return 0;
	case DEP_ANY_SUCCEEDED:
	case DEP_ALL_FAILED:
		for (size_t i = 0; i < k->kids.n; i++) {
			wnode *c = k->kids.v[i];
			any |= c && phase_is(c, "Succeeded");
			all &= c && phase_is(c, "Failed");
		}
		return r == DEP_ANY_SUCCEEDED ? any : all && k->kids.n;
	}
	return 0;
}

/* 1 start, 0 omit, -1 wait. */
static int deps_ready(world *w, wnode *dag, size_t i)
{
	const wf_task *task = &dag->t->tasks[i];
	dp p = {w, dag, dag->deps ? &dag->deps[i] : NULL, 0, 0, 0};
	char buf[2048];
	if (!deps_text(task, buf, sizeof buf))
		return 1;
	int v = 0;
	if (dep_eval(buf, dep_ref, &p, &v, NULL, NULL))
		p.bad = 1;
	if (p.pending)
		return -1;
	if (p.bad) {
		w_note(w, "%s: depends '%s' does not parse (see `rehearse lint`); the task is omitted",
		       task->name, buf);
		return 0;
	}
	return v;
}

/* Is a failed kid "handled" (continueOn, or another task depends on its failure)? */
static int failure_handled(wnode *dag, const wnode *k)
{
	if (continue_failed(k))
		return 1;
	char pat[300];
	for (size_t i = 0; k->task && i < dag->t->ntasks; i++) {
		const char *d = dag->t->tasks[i].depends;
		if (!d)
			continue;
		snprintf(pat, sizeof pat, "%s.Failed", k->task->name);
		if (strstr(d, pat))
			return 1;
		snprintf(pat, sizeof pat, "%s.Errored", k->task->name);
		if (strstr(d, pat))
			return 1;
	}
	return 0;
}

static void dag_progress(world *w, wnode *n)
{
	if (n->state == N_DONE)
		return;
	int changed = 1;
	while (changed && !w->stuck) {
		changed = 0;
		/* the tasks before started_upto have all started (or been omitted) */
		while (n->started_upto < n->t->ntasks && n->kids.v[n->started_upto])
			n->started_upto++;
		for (size_t i = n->started_upto; i < n->t->ntasks; i++) {
			if (n->kids.v[i])
				continue;
			if (deps_waiting(n, i))
				continue; /* deps_ready would say: wait */
			const wf_task *task = &n->t->tasks[i];
			int r = deps_ready(w, n, i);
			/* failFast: after an unhandled failure nothing new starts */
			if (r < 0 || (r > 0 && n->fail_fast_hit))
				continue;
			if (r == 0) {
				wnode *k = new_node(w, n, task_template(w, n, task), task, task->name, NULL);
				if (!k)
					return;
				n->kids.v[i] = k;
				node_done(w, k, "Omitted", "its depends expression is false");
			} else {
				/* set the slot before starting: a task that ends at once
				 * re-enters here */
				n->kids.v[i] = STARTING;
				wnode *k = start_task(w, n, task);
				n->kids.v[i] = k;
				if (!k)
					return;
			}
			changed = 1;
			if (n->state == N_DONE)
				return;
		}
	}
	/* a task still runs: the DAG goes on (the tasks before done_upto
	 * have all ended, and an ended task stays so) */
	for (size_t i = n->done_upto; i < n->t->ntasks; i++) {
		wnode *k = n->kids.v[i];
		if (k == STARTING || (k && k->state != N_DONE))
			return;
		if (k && i == n->done_upto)
			n->done_upto++;
	}
	int failed = 0;
	const char *why = "";
	for (size_t i = 0; i < n->t->ntasks; i++) {
		wnode *k = n->kids.v[i];
		if (k && failed_phase(k) && !failure_handled(n, k)) {
			failed = 1;
			why = arena_printf(w->a, "child %s failed", k->name);
		}
	}
	node_done(w, n, failed ? "Failed" : "Succeeded", why);
}

static void steps_progress(world *w, wnode *n)
{
	while (n->state != N_DONE) {
		/* the running group is done when all of its steps are */
		for (size_t i = n->gstart; i < n->kids.n; i++) {
			wnode *k = n->kids.v[i];
			if (!k || k == STARTING || k->state != N_DONE)
				return;
		}
		for (size_t i = n->gstart; i < n->kids.n; i++) {
			wnode *k = n->kids.v[i];
			if (failed_phase(k) && !continue_failed(k)) {
				node_done(w, n, "Failed", arena_printf(w->a, "child %s failed", k->name));
				return;
			}
		}
		if (n->group >= n->t->ngroups)
			break;
		const wf_step_group *sg = &n->t->groups[n->group++];
		size_t base = n->gstart = n->kids.n;
		for (size_t i = 0; i < sg->n; i++)
			if (vec_push(w->a, &n->kids, STARTING))
				w->oom = 1;
		for (size_t i = 0; i < sg->n && n->state != N_DONE && !w->oom; i++)
			n->kids.v[base + i] = start_task(w, n, &sg->steps[i]);
	}
	if (n->state != N_DONE)
		node_done(w, n, "Succeeded", "");
}

/* A fan-out group: done when all items are. */
static void group_progress(world *w, wnode *g)
{
	int failed = 0;
	for (size_t i = 0; i < g->kids.n; i++) {
		wnode *k = g->kids.v[i];
		if (!k || k->state != N_DONE)
			return;
		failed |= failed_phase(k) && !continue_failed(k);
	}
	node_done(w, g, failed ? "Failed" : "Succeeded", failed ? "an item failed" : "");
}

/* --- the workflow -------------------------------------------------------- */

static void finish_workflow(world *w)
{
	const char *st = w->root->phase;
	if (w->exit_node && failed_phase(w->exit_node))
		st = "Failed";
	w_workflow_done(w, st);
}

static void node_done(world *w, wnode *n, const char *phase, const char *msg)
{
	if (n->state == N_DONE)
		return;
	n->state = N_DONE;
	release_slot(w, n);
	n->phase = phase;
	n->msg = msg;
	sim_record *r = w_rec(w, n->rec);
	if (r->end < 0 || strcmp(phase, r->status))
		r->end = sim_now(w->e);
	if (r->end < r->start)
		r->end = r->start;
	r->status = phase;
	if (msg && *msg && !*r->message)
		r->message = msg;
	w_trace(w, "node %s %s%s%s", n->name, phase, msg && *msg ? ": " : "", msg ? msg : "");
	wnode *p = n->parent;
	if (p) {
		if (p->fanout)
			group_progress(w, p);
		else if (p->t && p->t->kind == TK_DAG) {
			if ((!strcmp(phase, "Failed") || !strcmp(phase, "Error")) && !failure_handled(p, n))
				p->fail_fast_hit = 1;
			dag_progress(w, p);
		} else if (p->t && p->t->kind == TK_STEPS)
			steps_progress(w, p);
		return;
	}
	if (n == w->root) {
		if (w->exit_node && w->exit_node->state == N_RUN && !w->exit_node->t)
			return;
		const wf_template *et = w->doc->spec.on_exit ? wf_find_template(w->doc, w->doc->spec.on_exit)
			: NULL;
		if (et) {
			w_trace(w, "workflow %s: running the exit handler %s", phase, et->name);
			w->exit_node = new_node(w, NULL, et, NULL, arena_printf(w->a, "%s.onExit", w->wfname), NULL);
			if (w->exit_node) {
				w->exit_node->exit_handler = 1;
				start_node(w, w->exit_node);
			}
			return;
		}
		finish_workflow(w);
	} else if (n == w->exit_node) {
		finish_workflow(w);
	}
}

static void wf_deadline(sim_engine *e, void *arg, long what)
{
	(void)e;
	(void)what;
	world *w = arg;
	if (w->wf_status || w->root->state == N_DONE)
		return;
	w_problem(w, "the workflow ran past activeDeadlineSeconds (%.0f s): running steps are stopped",
		  w->wf_deadline_at);
	for (size_t i = 0; i < w->pods.n; i++) {
		pod *p = w->pods.v[i];
		if (p->owner && p->state != P_DONE)
			pod_kill(w, p, "Step exceeded its deadline");
	}
}

int ctl_start(world *w)
{
	const wf_spec *s = &w->doc->spec;
	if (w->doc->kind == WF_CRON_WORKFLOW) {
		/* one scheduled run: what each run costs is what a schedule repeats */
		const ynode *sc = yn_get(w->doc->cron_spec, "schedules");
		const char *one = yn_get_str(w->doc->cron_spec, "schedule");
		if (!one && sc && sc->kind == YN_SEQ && sc->n)
			one = yn_str(sc->item[0]);
		w_note(w, "CronWorkflow %s: its workflowSpec is simulated once, as one scheduled run "
		       "(schedule '%s'%s; concurrencyPolicy and history are not modelled)",
		       w->doc->name ? w->doc->name : "?", one ? one : "?",
		       sc && sc->kind == YN_SEQ && sc->n > 1 ? ", the first of its schedules" : "");
	}
	if (w->doc->joined_from)
		w_note(w, "workflowTemplateRef: the workflow runs %s %s (from %s), joined with its own spec "
		       "as Argo joins them", w->doc->joined_from->kind_str, w->doc->joined_from->name,
		       w->doc->joined_from->file);
	const wf_template *t = s->entrypoint ? wf_find_template(w->doc, s->entrypoint) : NULL;
	if (!t) {
		w_note(w, "the workflow's entrypoint %s is not a template of the document",
		       s->entrypoint ? s->entrypoint : "(none)");
		return -1;
	}
	/* volumeClaimTemplates: Argo creates the claims when the workflow starts */
	const ynode *v = s->volume_claim_templates;
	for (size_t i = 0; v && v->kind == YN_SEQ && i < v->n; i++) {
		const char *nm = yn_get_str(yn_get(v->item[i], "metadata"), "name");
		const ynode *spec = yn_get(v->item[i], "spec");
		const ynode *am = yn_get(spec, "accessModes");
		const char *mode = am && am->kind == YN_SEQ && am->n ? yn_str(am->item[0]) : NULL;
		if (!nm)
			continue;
		pvc *c = sto_claim(w, arena_printf(w->a, "%s-%s", w->wfname, nm),
				   yn_get_str(spec, "storageClassName"), !mode || !strcmp(mode, "ReadWriteOnce"));
		sto_size(c, spec);
		if (c)
			w_trace(w, "pvc %s created (volumeClaimTemplate)%s", c->name,
				c->state == PVC_WAIT_CLASS ? arena_printf(w->a, ": storage class %s "
				"does not exist yet", c->class_name) : "");
	}
	const fx *refused = w_effect(w, NULL, FX_SUBMIT_REFUSED);
	if (refused) {
		w_failure(w, refused, w->wfname, "Argo refuses the workflow at submission: %s", refused->msg);
		w_problem(w, "Argo's validation refuses the workflow at submission (%s:%u:%u [%s]): "
			  "nothing runs", refused->file, refused->line, refused->col, refused->rule);
		w_workflow_done(w, "Failed");
		return 0;
	}
	const fx *stale = w_effect(w, NULL, FX_STALE_RDZV);
	if (stale)
		w_note(w, "this run is simulated as the first: a re-run with the same etcd data would find "
		       "the last run's rendezvous closed and its agents would exit at once (%s:%u:%u [%s])",
		       stale->file, stale->line, stale->col, stale->rule);
	const char *par = yn_str(s->parallelism);
	w->par_limit = par && atoi(par) > 0 ? atoi(par) : 0;
	const char *ad = yn_str(s->active_deadline);
	if (ad && atof(ad) > 0) {
		w->wf_deadline_at = atof(ad);
		sim_at(w->e, w->wf_deadline_at, wf_deadline, w, 0);
		w_deadline_ahead(w, w->wf_deadline_at);
	}
	w->root = new_node(w, NULL, t, NULL, w->wfname, NULL);
	if (!w->root)
		return -1;
	start_node(w, w->root);
	return 0;
}

void ctl_on_stuck(world *w)
{
	/* workflow nodes that began and did not end are running ... */
	for (size_t i = 0; i < w->recs.n; i++) {
		sim_record *r = w->recs.v[i];
		if (r->end < 0 && !strcmp(r->status, "Pending"))
			r->status = "Running";
	}
	/* ... unless their pod never got a node */
	for (size_t i = 0; i < w->pods.n; i++) {
		pod *p = w->pods.v[i];
		if (p->state == P_DONE)
			continue;
		sim_record *r = w_rec(w, p->rec);
		r->status = p->state == P_PENDING ? "Pending" : p->restarts ? "CrashLoopBackOff" : "Running";
		if (!*r->message && p->msg)
			r->message = p->msg;
		/* nothing was left to happen, yet it never got a node: say why
		 * (unless a cap cut the run off: then more was to happen) */
		if (p->state == P_PENDING && !p->stuck && !w->stuck && !w->cut)
			w_problem(w, "%s stays pending: %s", p->name, p->msg ? p->msg : "no node takes it");
		else if (p->kind == POD_GENERIC && p->owner && p->run_s < 0 && p->state != P_PENDING)
			w_problem(w, "%s never ends: its container sleeps forever (sleep infinity), and no "
				  "activeDeadlineSeconds or timeout stops it", p->name);
	}
	if (w->stuck)
		w_note(w, "the workflow would wait here until someone stops it: the exit handler "
		       "runs only after that");
}
