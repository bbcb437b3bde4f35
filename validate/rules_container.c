/* rules_container.c: the pods a workflow's templates become -- what the
 * Kubernetes API server refuses when Argo creates them (unknown volumes,
 * two volumes at one path, requests above limits, extended resources whose
 * request differs from the limit, quantities that do not parse) and what it
 * accepts but gets wrong (an env variable set twice). */
#include <stdio.h>
#include <string.h>

#include "document/quantity.h"
#include "validate/families.h"

typedef void (*ctr_fn)(lint_ctx *c, const wf_doc *d, const wf_template *t, const wf_container *k);

/* Every container of every template: main, containerSet, init, sidecars. */
static void each_container(lint_ctx *c, ctr_fn fn)
{
	const wf_set *s = lint_set(c);
	for (size_t i = 0; i < wf_set_count(s); i++) {
		const wf_doc *d = wf_set_doc(s, i);
		for (size_t t = 0; t < d->spec.ntemplates; t++) {
			const wf_template *tp = &d->spec.templates[t];
			if (tp->main)
				fn(c, d, tp, tp->main);
			for (size_t k = 0; k < tp->ncontainers; k++)
				fn(c, d, tp, &tp->containers[k]);
			for (size_t k = 0; k < tp->ninit; k++)
				fn(c, d, tp, &tp->init_containers[k]);
			for (size_t k = 0; k < tp->nsidecars; k++)
				fn(c, d, tp, &tp->sidecars[k]);
		}
	}
}

static int templated(const char *s)
{
	return s && strstr(s, "{{");
}

static const char *ctr_name(const wf_container *k)
{
	return k->name ? k->name : "main";
}

/* ----------------------------------------------------------------- volumes */

static int list_has_name(const ynode *list, const char *name, int meta)
{
	for (size_t i = 0; list && list->kind == YN_SEQ && i < list->n; i++) {
		const ynode *it = list->item[i];
		const char *n = meta ? yn_get_str(yn_get(it, "metadata"), "name") : yn_get_str(it, "name");
		if (n && !strcmp(n, name))
			return 1;
	}
	return 0;
}

static int volume_known(const wf_doc *d, const wf_template *t, const char *name)
{
	return list_has_name(t->volumes, name, 0) || list_has_name(d->spec.volumes, name, 0) ||
	       list_has_name(d->spec.volume_claim_templates, name, 1);
}

/* "{{inputs.parameters.X}}" exactly (spaces allowed): X into out. */
static int param_ref(const char *s, char *out, size_t outlen)
{
	while (*s == ' ')
		s++;
	if (strncmp(s, "{{", 2))
		return 0;
	s += 2;
	while (*s == ' ')
		s++;
	if (strncmp(s, "inputs.parameters.", 18))
		return 0;
	s += 18;
	size_t n = strcspn(s, " }");
	const char *e = s + n;
	while (*e == ' ')
		e++;
	if (strcmp(e, "}}") || !n || n >= outlen)
		return 0;
	memcpy(out, s, n);
	out[n] = 0;
	return 1;
}

static const ynode *arg_value(const wf_task *k, const char *param)
{
	for (size_t i = 0; i < k->arguments.nparams; i++)
		if (k->arguments.params[i].name && !strcmp(k->arguments.params[i].name, param))
			return k->arguments.params[i].value;
	return NULL;
}

static void unknown_volume(lint_ctx *c, const ynode *at, const char *vol, const char *why)
{
	lint_report(c, "container-unknown-volume", at, NULL,
		    "volumeMount '%s'%s: no volume, workflow volume or volumeClaimTemplate has that name", vol, why);
}

/* A mount named through a parameter: check the name each caller passes. */
static void check_param_mount(lint_ctx *c, const wf_doc *d, const wf_template *t, const ynode *mount_name,
			      const char *param)
{
	const wf_param *in = NULL;
	for (size_t i = 0; i < t->inputs.nparams; i++)
		if (t->inputs.params[i].name && !strcmp(t->inputs.params[i].name, param))
			in = &t->inputs.params[i];
	if (!in)
		return; /* ref-variable reports it */
	const char *dflt = yn_str(in->value ? in->value : in->dflt);
	for (size_t i = 0; i < d->spec.ntemplates; i++) {
		const wf_template *p = &d->spec.templates[i];
		for (size_t g = 0; g <= p->ngroups; g++) {
			const wf_task *v = g < p->ngroups ? p->groups[g].steps : p->tasks;
			size_t n = g < p->ngroups ? p->groups[g].n : p->ntasks;
			for (size_t k = 0; k < n; k++) {
				if (!v[k].tmpl || !t->name || strcmp(v[k].tmpl, t->name))
					continue;
				const ynode *val = arg_value(&v[k], param);
				const char *name = val ? yn_str(val) : dflt;
				if (!name || templated(name) || volume_known(d, t, name))
					continue;
				char why[600];
				snprintf(why, sizeof why, " (from %s '%s', through input '%s')",
					 g < p->ngroups ? "step" : "task", v[k].name ? v[k].name : "?", param);
				unknown_volume(c, val ? val : mount_name, name, why);
			}
		}
	}
}

static void check_mounts(lint_ctx *c, const wf_doc *d, const wf_template *t, const wf_container *k)
{
	/* A WorkflowTemplate's templates may mount the volumes of the Workflow
	 * that calls them; a podSpecPatch may add volumes. Neither is visible
	 * here. */
	if (d->kind == WF_WORKFLOW_TEMPLATE || d->kind == WF_CLUSTER_WORKFLOW_TEMPLATE || t->pod_spec_patch ||
	    d->spec.pod_spec_patch || d->spec.workflow_template_ref)
		return;
	const ynode *m = k->volume_mounts;
	for (size_t i = 0; m && m->kind == YN_SEQ && i < m->n; i++) {
		const ynode *nn = yn_get(m->item[i], "name");
		const char *name = yn_str(nn);
		if (!name)
			continue;
		char param[256];
		if (param_ref(name, param, sizeof param))
			check_param_mount(c, d, t, nn, param);
		else if (!templated(name) && !volume_known(d, t, name))
			unknown_volume(c, nn, name, "");
	}
}

/* Argo loads a container template's input artifacts at their paths in
 * the main container; a volume mounted at the same path is refused
 * (validateLeaf: "already mounted"). */
static void check_artifact_paths(lint_ctx *c, const wf_template *t, const wf_container *k)
{
	const ynode *m = k->volume_mounts;
	if (t->kind != TK_CONTAINER || k != t->main || !m || m->kind != YN_SEQ)
		return;
	for (size_t a = 0; a < t->inputs.narts; a++) {
		const ynode *pn = yn_get(t->inputs.arts[a].node, "path");
		const char *pa = yn_str(pn);
		if (!pa || templated(pa))
			continue;
		for (size_t i = 0; i < m->n; i++) {
			const char *pi = yn_get_str(m->item[i], "mountPath");
			if (!pi || strcmp(pi, pa))
				continue;
			lint_report(c, "container-mount-path-duplicate", pn, "load the artifact elsewhere, or mount the volume elsewhere",
				    "input artifact '%s' of template '%s' is loaded at %s, where volume '%s' is "
				    "mounted (line %u): Argo refuses the template",
				    t->inputs.arts[a].name ? t->inputs.arts[a].name : "?", t->name ? t->name : "?", pa,
				    yn_get_str(m->item[i], "name") ? yn_get_str(m->item[i], "name") : "?", m->item[i]->line);
			break;
		}
	}
}

static void check_paths(lint_ctx *c, const wf_doc *d, const wf_template *t, const wf_container *k)
{
	(void)d;
	check_artifact_paths(c, t, k);
	const ynode *m = k->volume_mounts;
	for (size_t i = 0; m && m->kind == YN_SEQ && i < m->n; i++) {
		const char *pi = yn_get_str(m->item[i], "mountPath");
		const char *ni = yn_get_str(m->item[i], "name");
		if (!pi || templated(pi))
			continue;
		for (size_t j = 0; j < i; j++) {
			const char *pj = yn_get_str(m->item[j], "mountPath");
			const char *nj = yn_get_str(m->item[j], "name");
			if (!pj || strcmp(pi, pj))
				continue;
			/* The same volume mounted twice at the same path is
			 * pod-duplicate-mount's (and fix removes it). */
			if (ni && nj && !strcmp(ni, nj))
				break;
			lint_report(c, "container-mount-path-duplicate", yn_get(m->item[i], "mountPath"), NULL,
				    "container '%s' mounts '%s' at %s, where '%s' is already mounted (line %u)",
				    ctr_name(k), ni ? ni : "?", pi, nj ? nj : "?", m->item[j]->line);
			break;
		}
	}
}

/* ---------------------------------------------------------------------- env */

static void check_env(lint_ctx *c, const wf_doc *d, const wf_template *t, const wf_container *k)
{
	(void)d, (void)t;
	const ynode *e = k->env;
	for (size_t i = 0; e && e->kind == YN_SEQ && i < e->n; i++) {
		const char *ni = yn_get_str(e->item[i], "name");
		if (!ni)
			continue;
		for (size_t j = 0; j < i; j++) {
			const char *nj = yn_get_str(e->item[j], "name");
			if (nj && !strcmp(ni, nj)) {
				lint_report(c, "container-env-duplicate", yn_get(e->item[i], "name"), NULL,
					    "container '%s' sets %s twice (also on line %u); Kubernetes keeps the "
					    "last one silently", ctr_name(k), ni, e->item[j]->line);
				break;
			}
		}
	}
}

/* ---------------------------------------------------------------- resources */

/* Extended resources (vendor-domain names such as nvidia.com/gpu) cannot be
 * overcommitted: Kubernetes wants request == limit. */
static int extended(const char *res)
{
	return strchr(res, '/') && strncmp(res, "kubernetes.io/", 14) && !strstr(res, ".kubernetes.io/") &&
	       strncmp(res, "hugepages-", 10) && strncmp(res, "requests.", 9);
}

static int qty(const ynode *n, double *v)
{
	const char *s = yn_str(n);
	return s && !templated(s) && quantity_parse(s, n->len, v) == 0;
}

/* The quantities of a requests or limits map m of `what 'name'` (which is
 * "requests" or "limits"); the owner is formatted only for a finding. */
static void check_quantities_in(lint_ctx *c, const ynode *m, const char *what, const char *name, const char *which)
{
	char where[300] = "";
	for (size_t i = 0; m && m->kind == YN_MAP && i < m->n; i++) {
		const ynode *v = m->val[i];
		const char *s = yn_str(v);
		double x;
		if (!s || templated(s) || v->kind != YN_SCALAR || !quantity_parse(s, v->len, &x))
			continue;
		if (!*where)
			snprintf(where, sizeof where, "%s '%s' %s", what, name, which);
		lint_report(c, "container-quantity", v, NULL, "%s %s: '%s' is not a Kubernetes quantity", where,
			    yn_str(m->key[i]), s);
	}
}

static void check_resources(lint_ctx *c, const wf_doc *d, const wf_template *t, const wf_container *k)
{
	(void)d, (void)t;
	const ynode *req = yn_get(k->resources, "requests"), *lim = yn_get(k->resources, "limits");
	check_quantities_in(c, req, "container", ctr_name(k), "requests");
	check_quantities_in(c, lim, "container", ctr_name(k), "limits");
	for (size_t i = 0; req && req->kind == YN_MAP && i < req->n; i++) {
		const char *res = yn_str(req->key[i]);
		double r, l;
		if (!res || !qty(req->val[i], &r))
			continue;
		const ynode *ln = yn_get(lim, res);
		int have_l = ln && qty(ln, &l);
		if (extended(res)) {
			if (!ln)
				lint_report(c, "container-extended-resource", req->key[i], NULL,
					    "container '%s' requests %s without a limit; Kubernetes requires the "
					    "limit for extended resources", ctr_name(k), res);
			else if (have_l && r != l)
				lint_report(c, "container-extended-resource", req->val[i], NULL,
					    "container '%s' requests %s %s but limits it to %s; extended resources "
					    "cannot be overcommitted, so the API server refuses the pod",
					    ctr_name(k), res, yn_str(req->val[i]), yn_str(ln));
			continue;
		}
		if (have_l && r > l)
			lint_report(c, "container-request-over-limit", req->val[i], NULL,
				    "container '%s' requests %s %s, above its limit %s; the API server refuses "
				    "the pod", ctr_name(k), res, yn_str(req->val[i]), yn_str(ln));
	}
}

static void pvc_quantities(lint_ctx *c)
{
	const wf_set *s = lint_set(c);
	for (size_t i = 0; i < wf_set_count(s); i++) {
		const ynode *v = wf_set_doc(s, i)->spec.volume_claim_templates;
		for (size_t k = 0; v && v->kind == YN_SEQ && k < v->n; k++) {
			const ynode *r = yn_get(yn_get(v->item[k], "spec"), "resources");
			const char *n = yn_get_str(yn_get(v->item[k], "metadata"), "name");
			check_quantities_in(c, yn_get(r, "requests"), "volumeClaimTemplate", n ? n : "?", "requests");
			check_quantities_in(c, yn_get(r, "limits"), "volumeClaimTemplate", n ? n : "?", "limits");
		}
	}
}

static void mounts(lint_ctx *c) { each_container(c, check_mounts); }
static void paths(lint_ctx *c) { each_container(c, check_paths); }
static void env(lint_ctx *c) { each_container(c, check_env); }
static void resources(lint_ctx *c)
{
	each_container(c, check_resources);
	pvc_quantities(c);
}

const rule rules_container[] = {
	{"container-unknown-volume", DIAG_ERROR, "a volumeMount names no volume",
	 "Kubernetes refuses a pod whose volumeMount names a volume the pod does not have "
	 "(\"volumeMounts[0].name: Not found\"); Argo's pod for that node fails at once. A mount named "
	 "through an input parameter is checked with the name each caller passes.",
	 "declare the volume in the template's volumes, spec.volumes or spec.volumeClaimTemplates",
	 "volumeMounts:\n- {name: rank-4, mountPath: /data}   # only rank-0..rank-3 exist\n",
	 "volumeMounts:\n- {name: rank-0, mountPath: /data}\n", mounts},
	{"container-mount-path-duplicate", DIAG_ERROR, "two different volumes (or a volume and an input artifact) at one path",
	 "A path can hold one mount; Kubernetes refuses the pod (\"must be unique\"), and Argo's own "
	 "validation refuses the template. Argo loads a container template's input artifacts at their "
	 "paths too, and refuses a volume mounted at one of them.",
	 "mount the second volume elsewhere, or drop one of them",
	 "volumeMounts:\n- {name: data, mountPath: /data}\n- {name: cache, mountPath: /data}\n",
	 "volumeMounts:\n- {name: data, mountPath: /data}\n- {name: cache, mountPath: /cache}\n", paths},
	{"container-env-duplicate", DIAG_WARNING, "an environment variable is set twice",
	 "Kubernetes accepts duplicate env names and keeps the last value, silently; the first one "
	 "is dead text that someone will edit in vain.",
	 "keep one entry per variable",
	 "env:\n- {name: NCCL_DEBUG, value: INFO}\n- {name: NCCL_DEBUG, value: WARN}\n",
	 "env:\n- {name: NCCL_DEBUG, value: WARN}\n", env},
	{"container-request-over-limit", DIAG_ERROR, "a resource request is above its limit",
	 "The API server refuses a pod whose request exceeds its limit (\"must be less than or equal "
	 "to limit\").",
	 "lower the request or raise the limit",
	 "resources:\n  requests: {memory: 128Gi}\n  limits: {memory: 120Gi}\n",
	 "resources:\n  requests: {memory: 112Gi}\n  limits: {memory: 120Gi}\n", resources},
	{"container-extended-resource", DIAG_ERROR, "a GPU (extended resource) request differs from its limit",
	 "Extended resources such as nvidia.com/gpu cannot be overcommitted: Kubernetes requires a "
	 "limit, and a request equal to it, and refuses the pod otherwise.",
	 "set the same count under requests and limits (or only under limits)",
	 "resources:\n  requests: {nvidia.com/gpu: 2}\n  limits: {nvidia.com/gpu: 4}\n",
	 "resources:\n  requests: {nvidia.com/gpu: 4}\n  limits: {nvidia.com/gpu: 4}\n", NULL},
	{"container-quantity", DIAG_ERROR, "a resource quantity does not parse",
	 "Kubernetes quantities are a number with an optional suffix (500m, 4, 120Gi, 1e9); anything "
	 "else (120GB, 1 Gi) makes the API server refuse the object.",
	 "write a Kubernetes quantity: 120Gi, 500m, 4",
	 "resources:\n  limits: {memory: 120GB}\n", "resources:\n  limits: {memory: 120Gi}\n", NULL},
};

const size_t rules_container_count = sizeof rules_container / sizeof rules_container[0];
