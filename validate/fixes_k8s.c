/* fixes_k8s.c: fixes of the objects a workflow's resource templates
 * create (k8s-* rules): the headless Service a StatefulSet needs, apply
 * instead of create for fixed names, and an exit handler that cleans up
 * what Kubernetes keeps (PVCs, the Service). */
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

#include "validate/fixes.h"
#include "validate/objects.h"

#define R_HEADLESS     "k8s-statefulset-no-headless-service"
#define R_CREATE       "k8s-create-fixed-name"
#define R_EXIT_CLEANUP "k8s-exit-cleanup"

static const wf_template *tmpl_by_name(const wf_doc *d, const char *name)
{
	return name ? wf_find_template(d, name) : NULL;
}

/* The object of `kind` named `name` that the document creates (NULL if none). */
static const ynode *created_object(const fix_ctx *c, const wf_doc *d, const char *kind, const char *name)
{
	for (size_t i = 0; i < c->nmf; i++) {
		if (c->mf[i].doc != d)
			continue;
		for (size_t k = 0; k < c->mf[i].ndocs; k++) {
			const ynode *r = c->mf[i].docs[k].root;
			const char *rk = yn_get_str(r, "kind");
			const char *n = yn_get_str(yn_get(r, "metadata"), "name");
			if (rk && n && !strcmp(rk, kind) && !strcmp(n, name))
				return r;
		}
	}
	return NULL;
}

static int added_service(const fix_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->nadded_svc; i++)
		if (!strcmp(c->added_svc[i], name))
			return 1;
	return 0;
}

static int known_service(const fix_ctx *c, const char *name)
{
	const lint_config *cfg = c->opts->lint;
	for (size_t i = 0; cfg && i < cfg->nknown_services; i++)
		if (!strcmp(cfg->known_services[i], name))
			return 1;
	return 0;
}

/* A template name (and DAG task name) not yet used in the document. */
/* n as a whole word of s (a task name in a depends expression). */
static int has_word(const char *s, const char *n)
{
	size_t len = strlen(n);
	for (const char *p = s ? strstr(s, n) : NULL; p; p = strstr(p + 1, n)) {
		int before = p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '-' || p[-1] == '_' || p[-1] == '.');
		int after = isalnum((unsigned char)p[len]) || p[len] == '-' || p[len] == '_';
		if (!before && !after)
			return 1;
	}
	return 0;
}

/* A DAG task of d named n, or a name some task already waits for (a new
 * task of that name would answer a dangling dependency, or wait for
 * itself). */
static int task_named(const wf_doc *d, const char *n)
{
	for (size_t i = 0; i < d->spec.ntemplates; i++)
		for (size_t j = 0; j < d->spec.templates[i].ntasks; j++) {
			const wf_task *t = &d->spec.templates[i].tasks[j];
			if ((t->name && !strcmp(t->name, n)) || has_word(t->depends, n))
				return 1;
			for (size_t k = 0; t->dependencies && t->dependencies->kind == YN_SEQ &&
			     k < t->dependencies->n; k++)
				if (yn_str(t->dependencies->item[k]) && !strcmp(yn_str(t->dependencies->item[k]), n))
					return 1;
		}
	return 0;
}

static const char *unique_name(fix_ctx *c, const wf_doc *d, const char *base)
{
	const char *n = arena_strdup(c->a, base);
	for (unsigned k = 2; n && (tmpl_by_name(d, n) || task_named(d, n) || added_service(c, n)); k++)
		n = arena_printf(c->a, "%s-%u", base, k);
	if (!n)
		c->oom = 1;
	return n;
}

/* The headless Service a StatefulSet's serviceName needs: same selector,
 * one port per container port, DNS for pods before they are ready (etcd
 * members must find each other to become ready at all). */
static ynode *headless_service(fix_ctx *c, const ynode *sts, const char *svc)
{
	const ynode *spec = yn_get(sts, "spec");
	const ynode *sel = yn_get(yn_get(spec, "selector"), "matchLabels");
	if (!sel || sel->kind != YN_MAP || !sel->n)
		return NULL;
	ynode *root = fix_map(c), *md = fix_map(c), *sp = fix_map(c), *ports = fix_seq(c);
	if (c->oom)
		return NULL;
	fix_set(c, root, "apiVersion", fix_str(c, "v1", YN_PLAIN));
	fix_set(c, root, "kind", fix_str(c, "Service", YN_PLAIN));
	fix_set(c, md, "name", fix_str(c, svc, YN_PLAIN));
	const ynode *ns = yn_get(yn_get(sts, "metadata"), "namespace");
	if (ns)
		fix_set(c, md, "namespace", yn_copy(c->a, ns));
	const ynode *labels = yn_get(yn_get(sts, "metadata"), "labels");
	if (labels && labels->kind == YN_MAP)
		fix_set(c, md, "labels", yn_copy(c->a, labels));
	fix_set(c, root, "metadata", md);
	fix_set(c, sp, "clusterIP", fix_str(c, "None", YN_PLAIN));
	fix_set(c, sp, "publishNotReadyAddresses", fix_str(c, "true", YN_PLAIN));
	fix_set(c, sp, "selector", yn_copy(c->a, sel));
	const ynode *ctrs = yn_get(fix_pod_spec(sts), "containers");
	for (size_t i = 0; ctrs && ctrs->kind == YN_SEQ && i < ctrs->n; i++) {
		const ynode *cp = yn_get(ctrs->item[i], "ports");
		for (size_t j = 0; cp && cp->kind == YN_SEQ && j < cp->n; j++) {
			const ynode *num = yn_get(cp->item[j], "containerPort");
			if (!yn_str(num))
				continue;
			ynode *port = fix_map(c);
			const ynode *pn = yn_get(cp->item[j], "name");
			/* a Service with several ports must name each */
			fix_set(c, port, "name", pn ? yn_copy(c->a, pn) : fix_str(c, arena_printf(c->a, "port-%s", num->str), YN_PLAIN));
			fix_set(c, port, "port", yn_copy(c->a, num));
			const ynode *proto = yn_get(cp->item[j], "protocol");
			if (proto)
				fix_set(c, port, "protocol", yn_copy(c->a, proto));
			fix_append(c, ports, port);
		}
	}
	if (ports->n)
		fix_set(c, sp, "ports", ports);
	fix_set(c, root, "spec", sp);
	return c->oom ? NULL : root;
}

/* Make the task that creates the StatefulSet wait for `svc_task`. */
static void add_dependency(fix_ctx *c, const wf_template *dag, const wf_task *t, const char *svc_task)
{
	ynode *tasks = fix_w(yn_get(yn_get(dag->node, "dag"), "tasks"));
	int uses_deps = 0;
	for (size_t i = 0; i < dag->ntasks; i++)
		uses_deps |= dag->tasks[i].dependencies != NULL;
	ynode *nt = fix_map(c);
	fix_set(c, nt, "name", fix_str(c, svc_task, YN_PLAIN));
	fix_set(c, nt, "template", fix_str(c, svc_task, YN_PLAIN));
	ynode *tn = fix_w(t->node);
	/* Argo refuses a DAG that mixes `depends` and `dependencies`. */
	if (uses_deps) {
		if (t->dependencies)
			fix_set(c, nt, "dependencies", yn_copy(c->a, t->dependencies));
		ynode *deps = fix_w(t->dependencies);
		if (!deps || deps->kind != YN_SEQ)
			fix_set(c, tn, "dependencies", deps = fix_seq(c));
		fix_append(c, deps, fix_str(c, svc_task, YN_PLAIN));
	} else {
		const char *old = t->depends;
		if (old && *old)
			fix_set(c, nt, "depends", fix_str(c, old, YN_PLAIN));
		const char *dep = !old || !*old ? svc_task
			: strpbrk(old, "|!") ? arena_printf(c->a, "(%s) && %s", old, svc_task)
			: arena_printf(c->a, "%s && %s", old, svc_task);
		fix_set(c, tn, "depends", dep ? fix_str(c, dep, YN_PLAIN) : NULL);
	}
	size_t at = fix_index_in(tasks, t->node);
	if (!c->oom && at != (size_t)-1)
		fix_insert(c, tasks, at, nt);
}

/* headless-service: a StatefulSet's pods get stable DNS names
 * (etcd-0.etcd) only through a headless Service named by serviceName;
 * without it the etcd peers never find each other. */
/* A Service name Kubernetes accepts (an RFC 1123 label). Any other cannot
 * name a Service, nor the template and task named after it. */
static int dns_label(const char *s)
{
	size_t n = strlen(s);
	if (!n || n > 63 || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

static void fix_headless(fix_ctx *c)
{
	size_t nmf = c->nmf;
	for (size_t i = 0; i < nmf && !c->oom; i++) {
		fix_manifest *m = &c->mf[i];
		const wf_doc *d = m->doc;
		for (size_t k = 0; k < m->ndocs && !c->oom; k++) {
			const ynode *sts = m->docs[k].root;
			const ynode *sn = yn_get(yn_get(sts, "spec"), "serviceName");
			const char *svc = yn_str(sn);
			if (!kmanifest_is(sts, "StatefulSet") || !svc || !*svc || fix_templated(svc))
				continue;
			if (known_service(c, svc) || added_service(c, svc))
				continue;
			if (!dns_label(svc)) {
				fix_declined(c, sn, "serviceName '%s' is not a name Kubernetes accepts for a Service "
					    "(lowercase letters, digits and '-', at most 63): correct it first", svc);
				continue;
			}
			const ynode *have = created_object(c, d, "Service", svc);
			if (have) {
				if (strcmp(yn_get_str(yn_get(have, "spec"), "clusterIP") ? yn_get_str(yn_get(have, "spec"), "clusterIP") : "", "None"))
					fix_declined(c, sn,
						    "the workflow creates a Service '%s' that is not headless; "
						    "make it clusterIP: None by hand (or rename one)", svc);
				continue;
			}
			/* Who runs the StatefulSet's template? */
			const wf_template *caller = NULL;
			const wf_task *task = NULL;
			for (size_t ti = 0; ti < d->spec.ntemplates && !task; ti++) {
				const wf_template *t = &d->spec.templates[ti];
				for (size_t j = 0; j < t->ntasks && !task; j++)
					if (t->tasks[j].tmpl && !strcmp(t->tasks[j].tmpl, m->tmpl->name ? m->tmpl->name : ""))
						caller = t, task = &t->tasks[j];
			}
			if (!task) {
				fix_declined(c, sn,
					    "no DAG task runs the template that creates StatefulSet '%s'; add the "
					    "headless Service '%s' by hand", yn_get_str(yn_get(sts, "metadata"), "name"), svc);
				continue;
			}
			ynode *root = headless_service(c, sts, svc);
			if (!root) {
				if (!c->oom)
					fix_declined(c, sn,
						    "StatefulSet has no spec.selector.matchLabels to select its pods by; "
						    "add the headless Service '%s' by hand", svc);
				continue;
			}
			const char *name = unique_name(c, d, arena_printf(c->a, "create-%s-headless-service", svc));
			size_t len;
			fix_to_block(root);
			char *text = name ? yn_emit_string(root, &len) : NULL;
			ynode *tmpl = fix_map(c), *res = fix_map(c);
			if (!text || c->oom) {
				free(text);
				c->oom = 1;
				return;
			}
			fix_set(c, tmpl, "name", fix_str(c, name, YN_PLAIN));
			fix_set(c, res, "action", fix_str(c, "apply", YN_PLAIN));
			fix_set(c, res, "manifest", fix_str(c, text, YN_LITERAL));
			free(text);
			fix_set(c, tmpl, "resource", res);
			ynode *tl = fix_w(d->spec.templates_node);
			size_t at = fix_index_in(tl, m->tmpl->node);
			if (c->oom || at == (size_t)-1)
				return;
			fix_insert(c, tl, at + 1, tmpl);
			add_dependency(c, caller, task, name);
			const char **v = realloc(c->added_svc, (c->nadded_svc + 2) * sizeof *v);
			if (!v) {
				c->oom = 1;
				return;
			}
			c->added_svc = v;
			v[c->nadded_svc++] = arena_strdup(c->a, svc);
			v[c->nadded_svc++] = name;
			fix_applied(c, sn,
				    "added template '%s' (headless Service '%s' for the StatefulSet's pods) and DAG "
				    "task '%s', which '%s' now waits for", name, svc, name, task->name ? task->name : "?");
			c->changed = 1;
		}
	}
}

/* apply-not-create: `create` of an object with a fixed name fails with
 * AlreadyExists whenever the last run's object is still there (a failed
 * exit handler, a second submission); `apply` creates or updates. */
static void fix_apply(fix_ctx *c)
{
	for (size_t i = 0; i < c->nmf; i++) {
		fix_manifest *m = &c->mf[i];
		const wf_resource *r = m->tmpl->resource;
		if (!r->action || strcmp(r->action, "create") || !m->ndocs)
			continue;
		int fixed_names = 1;
		for (size_t k = 0; k < m->ndocs; k++) {
			const ynode *md = yn_get(m->docs[k].root, "metadata");
			const char *n = yn_get_str(md, "name");
			if (!n || fix_templated(n) || yn_get(md, "generateName"))
				fixed_names = 0;
		}
		if (!fixed_names)
			continue;
		fix_applied(c, r->action_node,
			    "template '%s': action create changed to apply (its objects have fixed names)",
			    m->tmpl->name ? m->tmpl->name : "?");
		fix_set(c, fix_w(yn_get(m->tmpl->node, "resource")), "action", fix_str(c, "apply", YN_PLAIN));
		c->changed = 1;
	}
}

/* ------------------------------------------------------------ exit handler */

static int flags_have(const ynode *flags, const char *f)
{
	for (size_t i = 0; flags && flags->kind == YN_SEQ && i < flags->n; i++)
		if (yn_str(flags->item[i]) && !strcmp(flags->item[i]->str, f))
			return 1;
	return 0;
}

static void add_flag(fix_ctx *c, ynode *flags, const char *f, const char *why, const wf_template *t)
{
	if (flags_have(flags, f))
		return;
	if (f[0] == '-')
		fix_applied(c, flags, "exit handler template '%s': added %s (%s)",
			    t->name ? t->name : "?", f, why);
	else
		fix_applied(c, flags,
			    "exit handler template '%s' also deletes %s (%s)", t->name ? t->name : "?", f, why);
	fix_append(c, flags, fix_str(c, f, fix_string_style(f)));
	c->changed = 1;
}

/* The deletes of one exit-handler template: tolerate objects already gone
 * (a run that failed before creating them), and take the StatefulSet's
 * PVCs and headless Service along, which Kubernetes keeps after the
 * StatefulSet is deleted: storage billed every run, forever. */
static void cleanup_template(fix_ctx *c, const wf_doc *d, const wf_template *t)
{
	const wf_resource *r = t->resource;
	ynode *flags = fix_w(r->flags);
	/* no --ignore-not-found: Argo's executor adds it to every delete */
	if (!flags || flags->kind != YN_SEQ)
		return;
	size_t n0 = flags->n;
	for (size_t i = 0; i < n0 && !c->oom; i++) {
		const char *f = yn_str(flags->item[i]);
		const char *slash = f ? strchr(f, '/') : NULL;
		if (!slash)
			continue;
		if (!ktype_is(f, (size_t)(slash - f), "StatefulSet"))
			continue;
		const ynode *sts = created_object(c, d, "StatefulSet", slash + 1);
		if (!sts)
			continue;
		const ynode *spec = yn_get(sts, "spec");
		long long replicas = 1;
		const ynode *rn = yn_get(spec, "replicas");
		if (rn && yn_int(rn, &replicas)) {
			fix_declined(c, flags->item[i],
				    "StatefulSet %s has replicas '%s': cannot name its PVCs to delete them",
				    slash + 1, yn_str(rn) ? yn_str(rn) : "?");
			continue;
		}
		const ynode *vct = yn_get(spec, "volumeClaimTemplates");
		for (size_t v = 0; vct && vct->kind == YN_SEQ && v < vct->n && replicas <= 1000; v++) {
			const char *vn = yn_get_str(yn_get(vct->item[v], "metadata"), "name");
			if (!vn)
				continue;
			for (long long k = 0; k < replicas; k++) {
				char *pvc = arena_printf(c->a, "pvc/%s-%s-%lld", vn, slash + 1, k);
				if (!pvc)
					return (void)(c->oom = 1);
				add_flag(c, flags, pvc, "StatefulSet PVCs outlive the StatefulSet", t);
			}
		}
		const char *svc = yn_get_str(spec, "serviceName");
		if (svc && (created_object(c, d, "Service", svc) || added_service(c, svc)) &&
		    !flags_have(flags, arena_printf(c->a, "service/%s", svc)) &&
		    !flags_have(flags, arena_printf(c->a, "services/%s", svc)))
			add_flag(c, flags, arena_printf(c->a, "svc/%s", svc), "the StatefulSet's headless Service", t);
	}
}

static void fix_exit(fix_ctx *c)
{
	for (size_t di = 0; di < wf_set_count(c->set) && !c->oom; di++) {
		const wf_doc *d = wf_set_doc(c->set, di);
		if (!d->spec.on_exit || !d->spec.ntemplates)
			continue;
		/* Templates reachable from the exit handler, breadth first. */
		const wf_template **q = calloc(d->spec.ntemplates, sizeof *q);
		if (!q)
			return (void)(c->oom = 1);
		size_t nq = 0;
		const wf_template *h = tmpl_by_name(d, d->spec.on_exit);
		if (h)
			q[nq++] = h;
		for (size_t i = 0; i < nq; i++) {
			const wf_template *t = q[i];
			for (size_t j = 0; j < t->ntasks + t->ngroups; j++) {
				size_t ns = j < t->ntasks ? 1 : t->groups[j - t->ntasks].n;
				for (size_t s = 0; s < ns; s++) {
					const wf_task *k = j < t->ntasks ? &t->tasks[j] : &t->groups[j - t->ntasks].steps[s];
					const wf_template *u = tmpl_by_name(d, k->tmpl);
					int seen = !u;
					for (size_t x = 0; x < nq && !seen; x++)
						seen = q[x] == u;
					if (!seen && nq < d->spec.ntemplates)
						q[nq++] = u;
				}
			}
		}
		for (size_t i = 0; i < nq && !c->oom; i++)
			if (q[i]->resource && q[i]->resource->action && !strcmp(q[i]->resource->action, "delete"))
				cleanup_template(c, d, q[i]);
		free(q);
	}
}

const fix_pass fix_pass_headless_service = {"headless-service", R_HEADLESS,
	"add the headless Service a StatefulSet's serviceName names, and a DAG task before the StatefulSet", fix_headless};
const fix_pass fix_pass_apply_not_create = {"apply-not-create", R_CREATE,
	"action apply, not create, for objects with fixed names", fix_apply};
const fix_pass fix_pass_exit_cleanup = {"exit-cleanup", R_EXIT_CLEANUP,
	"exit-handler deletes of a StatefulSet: its PVCs and headless Service too", fix_exit};
