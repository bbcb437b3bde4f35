/* rules_tmpl.c: what Argo's validator (workflow/validate/validate.go in
 * argoproj/argo-workflows) refuses in a template, its arguments and its
 * metrics, beyond references (rules_ref.c) and DAG structure (rules_dag.c):
 *
 *   tmpl-*    one template type; parallelism and activeDeadlineSeconds where
 *             they apply; an image (or one inherited from templateDefaults);
 *             containerSet containers and dependencies; outputs.parameters
 *             valueFrom with one source that fits the template type;
 *             pod-level resources and resource claims where a pod exists
 *   arg-*     arguments of tasks, steps and the workflow: a value for every
 *             parameter, the valueFrom sources arguments may use, enums,
 *             a source for every artifact
 *   metric-*  Prometheus metrics: names, labels, help, values
 *
 * Semantics follow Argo's code, rule by rule, not its wording; each check
 * says what Argo does with the workflow. One walk over the templates
 * serves every rule here (lint speed: no rule rescans the tree). */
#include <stdio.h>
#include <string.h>

#include "validate/families.h"

static const char *tname(const wf_template *t)
{
	return t->name ? t->name : "?";
}

static int present(const ynode *n)
{
	return n && !(n->kind == YN_SCALAR && yn_is_null(n) && !yn_is_quoted(n));
}

static int has_var(const char *s)
{
	return s && strstr(s, "{{");
}

/* ------------------------------------------------------------ templates */

static const char *const type_keys[] = {"container", "containerSet", "steps", "script", "resource",
					"dag", "suspend", "data", "http", "plugin"};

static void check_type(lint_ctx *c, const wf_template *t)
{
	size_t n = 0;
	const ynode *second = NULL;
	for (size_t i = 0; i < sizeof type_keys / sizeof type_keys[0]; i++)
		if (present(yn_get(t->node, type_keys[i])) && ++n == 2)
			second = yn_get_key(t->node, type_keys[i]);
	if (n == 0 && !yn_get(t->node, "templateRef"))
		lint_report(c, "tmpl-type", yn_get(t->node, "name") ? yn_get(t->node, "name") : t->node, NULL,
			    "template '%s' has no type (container, script, resource, dag, steps, suspend, "
			    "containerSet, http, data or plugin): Argo refuses the workflow", tname(t));
	else if (n > 1)
		lint_report(c, "tmpl-type", second, NULL,
			    "template '%s' has %zu template types; Argo runs exactly one and refuses the workflow",
			    tname(t), n);
}

static int is_leaf(const wf_template *t)
{
	return t->kind != TK_DAG && t->kind != TK_STEPS;
}

static int makes_pod(const wf_template *t)
{
	return t->kind == TK_CONTAINER || t->kind == TK_SCRIPT || t->kind == TK_RESOURCE ||
	       t->kind == TK_CONTAINERSET || t->kind == TK_DATA;
}

static int int_text(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static void check_deadline(lint_ctx *c, const wf_template *t)
{
	const ynode *a = t->active_deadline;
	if (!present(a))
		return;
	if (!is_leaf(t)) {
		lint_report(c, "tmpl-deadline", a, "put it on the templates the steps or tasks run, or use timeout",
			    "activeDeadlineSeconds on %s template '%s': Argo takes it only on leaf templates "
			    "(container, script, resource ...) and refuses the workflow",
			    t->kind == TK_DAG ? "DAG" : "steps", tname(t));
		return;
	}
	const char *s = yn_str(a);
	if (!s)
		return; /* schema-type */
	long long v;
	if (int_text(s)) {
		if (!yn_int(a, &v) && v < 0)
			lint_report(c, "tmpl-deadline", a, NULL,
				    "activeDeadlineSeconds %s on template '%s' is negative: Argo refuses the workflow", s,
				    tname(t));
		return;
	}
	size_t n = strlen(s);
	if (!(n >= 4 && !strncmp(s, "{{", 2) && !strcmp(s + n - 2, "}}")))
		lint_report(c, "tmpl-deadline", a, NULL,
			    "activeDeadlineSeconds '%s' on template '%s' is neither a whole number of seconds nor a "
			    "{{variable}}: Argo refuses the workflow", s, tname(t));
}

static void check_parallelism(lint_ctx *c, const wf_template *t)
{
	if (present(t->parallelism) && is_leaf(t))
		lint_report(c, "tmpl-parallelism", yn_get_key(t->node, "parallelism"), NULL,
			    "parallelism on %s template '%s': it bounds the children of a steps or DAG template, "
			    "and Argo refuses it anywhere else", wf_tmpl_kind_name(t->kind), tname(t));
}

/* container.image / script.image may be left out when templateDefaults
 * gives one (Argo merges the defaults in before it runs the template). */
static void check_image(lint_ctx *c, const wf_doc *d, const wf_template *t)
{
	if (t->kind != TK_CONTAINER && t->kind != TK_SCRIPT)
		return;
	const char *key = t->kind == TK_CONTAINER ? "container" : "script";
	const ynode *body = yn_get(t->node, key);
	if (!body || body->kind != YN_MAP)
		return;
	const char *img = yn_get_str(body, "image");
	if (img && *img)
		return;
	const ynode *defaults = yn_get(yn_get(d->spec.node, "templateDefaults"), key);
	const char *dimg = yn_get_str(defaults, "image");
	if (dimg && *dimg)
		return;
	lint_report(c, "tmpl-image-missing", yn_get_key(t->node, key), NULL,
		    "%s template '%s' has no image (and spec.templateDefaults.%s gives none): Argo refuses "
		    "the workflow", key, tname(t), key);
}

static int reserved_name(const char *n)
{
	return n && (!strcmp(n, "wait") || !strcmp(n, "supervisor") || !strncmp(n, "artifact-plugin-", 16));
}

static void check_container_set(lint_ctx *c, const wf_template *t)
{
	for (size_t i = 0; i < t->nsidecars; i++)
		if (reserved_name(t->sidecars[i].name))
			lint_report(c, "tmpl-container-set", yn_get(t->sidecars[i].node, "name"), NULL,
				    "sidecar name '%s' in template '%s' is reserved for Argo's own containers: Argo "
				    "refuses the workflow", t->sidecars[i].name, tname(t));
	if (t->kind != TK_CONTAINERSET)
		return;
	const ynode *set = yn_get(t->node, "containerSet");
	const ynode *ctrs = yn_get(set, "containers");
	if (!ctrs || ctrs->kind != YN_SEQ || !ctrs->n) {
		lint_report(c, "tmpl-container-set", ctrs ? ctrs : yn_get_key(t->node, "containerSet"), NULL,
			    "containerSet of template '%s' has no containers: Argo refuses the workflow", tname(t));
		return;
	}
	int has_main = 0;
	for (size_t i = 0; i < ctrs->n; i++) {
		const char *n = yn_get_str(ctrs->item[i], "name");
		has_main |= n && !strcmp(n, "main");
		if (reserved_name(n))
			lint_report(c, "tmpl-container-set", yn_get(ctrs->item[i], "name"), NULL,
				    "container name '%s' in the containerSet of template '%s' is reserved for Argo's "
				    "own containers: Argo refuses the workflow", n, tname(t));
		const ynode *deps = yn_get(ctrs->item[i], "dependencies");
		for (size_t j = 0; deps && deps->kind == YN_SEQ && j < deps->n; j++) {
			const char *dep = yn_str(deps->item[j]);
			size_t k;
			for (k = 0; dep && k < ctrs->n; k++) {
				const char *o = yn_get_str(ctrs->item[k], "name");
				if (o && !strcmp(o, dep))
					break;
			}
			if (dep && k == ctrs->n)
				lint_report(c, "tmpl-container-set", deps->item[j], NULL,
					    "container '%s' of template '%s' depends on '%s', which is not a container "
					    "of the set: Argo refuses the workflow", n ? n : "?", tname(t), dep);
		}
	}
	if (!has_main && (t->inputs.narts || t->outputs.nparams || t->outputs.narts))
		lint_report(c, "tmpl-container-set", yn_get_key(t->node, "containerSet"),
			    "name the container that reads the inputs and writes the outputs 'main'",
			    "template '%s' has input artifacts or outputs but no container named 'main' in its "
			    "containerSet: Argo refuses the workflow", tname(t));
}

/* outputs.parameters: exactly one of value and valueFrom; valueFrom with
 * exactly one source, and one the template type can give. */
static void check_outputs(lint_ctx *c, const wf_template *t)
{
	static const char *const srcs[] = {"path", "jqFilter", "jsonPath", "parameter", "expression", "supplied"};
	for (size_t i = 0; i < t->outputs.nparams; i++) {
		const wf_param *p = &t->outputs.params[i];
		const char *pn = p->name ? p->name : "?";
		const ynode *at = p->node;
		if (present(p->value) && present(p->value_from)) {
			lint_report(c, "tmpl-output-value-from", yn_get_key(p->node, "valueFrom"), NULL,
				    "output parameter '%s' of template '%s' has both value and valueFrom: Argo "
				    "refuses the workflow (choose one)", pn, tname(t));
			continue;
		}
		if (p->value)
			continue;
		if (!p->value_from) {
			lint_report(c, "tmpl-output-value-from", at, "add valueFrom (path, parameter, jsonPath ...) or value",
				    "output parameter '%s' of template '%s' says neither where its value comes from "
				    "(valueFrom) nor what it is (value): Argo refuses the workflow", pn, tname(t));
			continue;
		}
		size_t n = 0;
		int has[6] = {0};
		for (size_t k = 0; k < 6; k++) {
			const ynode *v = yn_get(p->value_from, srcs[k]);
			has[k] = k == 5 ? v != NULL : yn_str(v) && *yn_str(v);
			n += (size_t)has[k];
		}
		if (n != 1) {
			lint_report(c, "tmpl-output-value-from", p->value_from, NULL,
				    "valueFrom of output parameter '%s' in template '%s' names %s source: Argo "
				    "refuses the workflow (give exactly one of path, jqFilter, jsonPath, parameter, "
				    "expression, supplied)", pn, tname(t), n ? "more than one" : "no");
			continue;
		}
		const char *want = NULL;
		switch (t->kind) {
		case TK_CONTAINER: case TK_CONTAINERSET: case TK_SCRIPT:
			if (!has[0])
				want = "path (the file the container writes)";
			break;
		case TK_RESOURCE:
			if (!has[1] && !has[2])
				want = "jsonPath or jqFilter (read from the object)";
			break;
		case TK_DAG: case TK_STEPS:
			if (!has[3] && !has[4])
				want = "parameter or expression (from a task's or step's outputs)";
			break;
		default:
			break;
		}
		if (want)
			lint_report(c, "tmpl-output-value-from", p->value_from, NULL,
				    "output parameter '%s' of %s template '%s' must take its value from %s: Argo "
				    "refuses the workflow", pn, wf_tmpl_kind_name(t->kind), tname(t), want);
	}
}

/* Pod-level resources: cpu, memory and hugepages-* only, no claims, and
 * only on templates whose pod is their own (not http/plugin, which run in
 * the shared agent pod). Resource claims need a pod. */
static void check_pod_resources(lint_ctx *c, const ynode *pr, const char *where, const wf_template *t)
{
	if (!pr || pr->kind != YN_MAP)
		return;
	if (t && (t->kind == TK_HTTP || t->kind == TK_PLUGIN)) {
		lint_report(c, "tmpl-pod-resources", yn_get_key(t->node, "podResources"), NULL,
			    "podResources on %s template '%s': it runs in Argo's shared agent pod, whose size is "
			    "fixed; Argo refuses the workflow", wf_tmpl_kind_name(t->kind), tname(t));
		return;
	}
	if (yn_get(pr, "claims"))
		lint_report(c, "tmpl-pod-resources", yn_get_key(pr, "claims"), NULL,
			    "%s: pod-level resources take no claims (put them on a container): Argo refuses "
			    "the workflow", where);
	static const char *const lists[] = {"limits", "requests"};
	for (size_t l = 0; l < 2; l++) {
		const ynode *m = yn_get(pr, lists[l]);
		for (size_t i = 0; m && m->kind == YN_MAP && i < m->n; i++) {
			const char *k = yn_str(m->key[i]);
			if (k && strcmp(k, "cpu") && strcmp(k, "memory") && strncmp(k, "hugepages-", 10))
				lint_report(c, "tmpl-pod-resources", m->key[i], "ask for it on the container instead",
					    "%s: '%s' is not a pod-level resource (only cpu, memory and hugepages-*): "
					    "Argo refuses the workflow, the API server would refuse the pod", where, k);
		}
	}
}

static void check_claims(lint_ctx *c, const wf_template *t)
{
	const ynode *rc = yn_get(t->node, "resourceClaims");
	if (rc && !(rc->kind == YN_SEQ && !rc->n) && t->kind != TK_NONE && !makes_pod(t))
		lint_report(c, "tmpl-pod-resources", yn_get_key(t->node, "resourceClaims"), NULL,
			    "resourceClaims on %s template '%s', which creates no pod of its own to attach them "
			    "to: Argo refuses the workflow", wf_tmpl_kind_name(t->kind), tname(t));
	const ynode *pr = yn_get(t->node, "podResources");
	if (pr) {
		char where[200];
		snprintf(where, sizeof where, "podResources of template '%s'", tname(t));
		check_pod_resources(c, pr, where, t);
	}
}

/* ------------------------------------------------------------ arguments */

static const char *const locations[] = {"s3", "git", "http", "artifactory", "hdfs", "raw", "oss", "gcs",
					"azure", "plugin", NULL};

/* Arguments of a task, step or the workflow. `submit`: values must be
 * there now (task and step arguments, a CronWorkflow's); else they may
 * come at submission (`argo submit -p`). */
static void check_args(lint_ctx *c, const wf_io *a, const char *who, int submit)
{
	for (size_t i = 0; i < a->nparams; i++) {
		const wf_param *p = &a->params[i];
		const char *pn = p->name ? p->name : "?";
		if (!p->value && !p->value_from && submit)
			lint_report(c, "arg-value-missing", p->node, NULL,
				    "%s passes parameter '%s' without a value or valueFrom: Argo refuses the "
				    "workflow", who, pn);
		if (p->value_from && p->value_from->kind == YN_MAP) {
			const ynode *vf = p->value_from;
			int ok = yn_get(vf, "configMapKeyRef") || yn_get_str(vf, "event") || yn_get(vf, "supplied");
			const char *bad = NULL;
			static const char *const no[] = {"path", "jsonPath", "parameter", "expression"};
			for (size_t k = 0; k < 4 && !bad; k++) {
				const char *x = yn_get_str(vf, no[k]);
				if (x && *x)
					bad = no[k];
			}
			if (!ok || bad)
				lint_report(c, "arg-value-from", bad ? yn_get_key(vf, bad) : vf,
					    "use value: (a {{...}} reference works there), or valueFrom.configMapKeyRef",
					    "%s passes parameter '%s' with valueFrom%s%s: arguments take only "
					    "configMapKeyRef, supplied, event and default there, and Argo refuses the "
					    "workflow", who, pn, bad ? "." : "", bad ? bad : " without a source");
		}
		const ynode *en = p->enum_;
		if (!en)
			continue;
		if (en->kind == YN_SEQ && !en->n) {
			lint_report(c, "arg-enum", en, NULL, "%s: parameter '%s' has an empty enum: Argo refuses the "
				    "workflow (an enum lists at least one value)", who, pn);
			continue;
		}
		if (!p->value) {
			if (submit)
				lint_report(c, "arg-enum", p->node, NULL,
					    "%s: parameter '%s' has an enum but no value: Argo refuses the workflow",
					    who, pn);
			continue;
		}
		const char *v = yn_str(p->value);
		if (!v || has_var(v) || en->kind != YN_SEQ)
			continue;
		size_t k;
		for (k = 0; k < en->n; k++)
			if (yn_str(en->item[k]) && !strcmp(yn_str(en->item[k]), v))
				break;
		if (k == en->n)
			lint_report(c, "arg-enum", p->value, NULL,
				    "%s: parameter '%s' is '%s', which its enum does not list: Argo refuses the "
				    "workflow", who, pn, v);
	}
	for (size_t i = 0; i < a->narts; i++) {
		const wf_artifact *ar = &a->arts[i];
		const char *an = ar->name ? ar->name : "?";
		const ynode *fe = yn_get(ar->node, "fromExpression");
		if (ar->from && fe) {
			lint_report(c, "arg-artifact", fe, NULL,
				    "%s passes artifact '%s' with both from and fromExpression: Argo refuses the "
				    "workflow", who, an);
			continue;
		}
		if (ar->from || fe)
			continue;
		int located = 0;
		for (size_t k = 0; locations[k] && !located; k++)
			located = yn_get(ar->node, locations[k]) != NULL;
		if (!located)
			lint_report(c, "arg-artifact", ar->node, "give from: (an output of a task or step), or a "
				    "location (s3:, http:, git:, raw: ...)",
				    "%s passes artifact '%s' with no from and no location: Argo refuses the workflow",
				    who, an);
	}
}

/* -------------------------------------------------------------- metrics */

static int metric_name_ok(const char *s)
{
	/* Prometheus' legacy name alphabet, without ':' (Argo's metrics.IsValidMetricName) */
	if (!s || !*s || (*s >= '0' && *s <= '9'))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

static void check_metrics(lint_ctx *c, const wf_template *t)
{
	const ynode *pm = yn_get(yn_get(t->node, "metrics"), "prometheus");
	for (size_t i = 0; pm && pm->kind == YN_SEQ && i < pm->n; i++) {
		const ynode *m = pm->item[i];
		const char *name = yn_get_str(m, "name");
		const char *mn = name ? name : "?";
		if (name && !has_var(name) && !metric_name_ok(name))
			lint_report(c, "metric-invalid", yn_get(m, "name"), "use letters, digits and '_'",
				    "metric name '%s' in template '%s' has characters Prometheus names cannot hold: "
				    "Argo refuses the workflow", name, tname(t));
		const ynode *labels = yn_get(m, "labels");
		for (size_t k = 0; labels && labels->kind == YN_SEQ && k < labels->n; k++) {
			const char *key = yn_get_str(labels->item[k], "key");
			if (key && !has_var(key) && !metric_name_ok(key))
				lint_report(c, "metric-invalid", yn_get(labels->item[k], "key"), "use letters, digits and '_'",
					    "label '%s' of metric '%s' in template '%s' has characters Prometheus label "
					    "names cannot hold: Argo refuses the workflow", key, mn, tname(t));
		}
		const char *help = yn_get_str(m, "help");
		if (!help || !*help)
			lint_report(c, "metric-invalid", m, "add help: a sentence saying what it measures",
				    "metric '%s' in template '%s' has no help text: Argo refuses the workflow", mn, tname(t));
		static const char *const kinds[] = {"gauge", "counter", "histogram"};
		for (size_t k = 0; k < 3; k++) {
			const ynode *g = yn_get(m, kinds[k]);
			if (!g || g->kind != YN_MAP)
				continue;
			const char *v = yn_get_str(g, "value");
			if (!v || !*v) {
				lint_report(c, "metric-invalid", yn_get_key(m, kinds[k]), NULL,
					    "%s metric '%s' in template '%s' has no value: Argo refuses the workflow",
					    kinds[k], mn, tname(t));
				continue;
			}
			int rt = 0;
			if (k == 0 && !yn_bool(yn_get(g, "realtime"), &rt) && rt && strstr(v, "resourcesDuration."))
				lint_report(c, "metric-invalid", yn_get(g, "value"), NULL,
					    "realtime gauge '%s' in template '%s' reads resourcesDuration, which exists "
					    "only once the node is done: Argo refuses the workflow", mn, tname(t));
		}
	}
}

/* ----------------------------------------------------------------- loops */

/* A task or step loops over one of withItems, withParam, withSequence;
 * a withSequence counts, or ends, not both (Argo: addItemsToScope). */
static void check_loop(lint_ctx *c, const char *what, const wf_task *k)
{
	static const char *const keys[] = {"withItems", "withParam", "withSequence"};
	const ynode *src[] = {k->with_items, k->with_param, k->with_sequence};
	const char *first = NULL;
	for (size_t i = 0; i < 3; i++) {
		if (!src[i])
			continue;
		if (first) {
			lint_report(c, "tmpl-loop", yn_get_key(k->node, keys[i]), "keep one of them",
				    "%s '%s' loops over both %s and %s: Argo takes only one of withItems, "
				    "withParam, withSequence, and refuses the workflow", what,
				    k->name ? k->name : "?", first, keys[i]);
			break;
		}
		first = keys[i];
	}
	if (k->with_sequence && yn_get(k->with_sequence, "count") && yn_get(k->with_sequence, "end"))
		lint_report(c, "tmpl-loop", yn_get_key(k->with_sequence, "end"), "keep count (with start) or end, not both",
			    "withSequence of %s '%s' has both count and end: Argo refuses the workflow", what,
			    k->name ? k->name : "?");
}

/* ----------------------------------------------------------------- walk */

/* The arguments a task or step passes (what is "task" or "step"); its name
 * is formatted only when it passes some. */
static void check_call_args(lint_ctx *c, const char *what, const char *name, const wf_io *a)
{
	if (!a->nparams && !a->narts)
		return;
	char who[300];
	snprintf(who, sizeof who, "%s '%s'", what, name ? name : "?");
	check_args(c, a, who, 1);
}

static void tmpl_walk(lint_ctx *c)
{
	const wf_set *s = lint_set(c);
	for (size_t di = 0; di < wf_set_count(s); di++) {
		const wf_doc *d = wf_set_doc(s, di);
		/* A CronWorkflow's arguments must hold values (no one passes -p);
		 * a Workflow's may come with `argo submit -p`, a template's from
		 * whoever uses it. */
		check_args(c, &d->spec.arguments, "the workflow", d->kind == WF_CRON_WORKFLOW);
		check_pod_resources(c, yn_get(d->spec.node, "podResources"), "spec.podResources", NULL);
		for (size_t ti = 0; ti < d->spec.ntemplates; ti++) {
			const wf_template *t = &d->spec.templates[ti];
			check_type(c, t);
			check_parallelism(c, t);
			check_deadline(c, t);
			check_image(c, d, t);
			check_container_set(c, t);
			check_outputs(c, t);
			check_claims(c, t);
			check_metrics(c, t);
			for (size_t k = 0; k < t->ntasks; k++) {
				check_call_args(c, "task", t->tasks[k].name, &t->tasks[k].arguments);
				check_loop(c, "task", &t->tasks[k]);
			}
			for (size_t g = 0; g < t->ngroups; g++)
				for (size_t k = 0; k < t->groups[g].n; k++) {
					const wf_task *st = &t->groups[g].steps[k];
					check_call_args(c, "step", st->name, &st->arguments);
					check_loop(c, "step", st);
				}
		}
	}
}

const rule rules_tmpl[] = {
	{"tmpl-type", DIAG_ERROR, "a template with no type, or with more than one",
	 "A template is exactly one of container, script, resource, dag, steps, suspend, containerSet, "
	 "http, data or plugin. Argo's validator refuses a template with none (often a typo in the key) "
	 "or with two (which one was meant?).",
	 "keep one of container, script, resource, dag, steps, ...",
	 "- name: train\n  container: {image: trainer:1}\n  script: {image: trainer:1, source: run()}\n",
	 "- name: train\n  container: {image: trainer:1}\n", tmpl_walk},
	{"tmpl-parallelism", DIAG_ERROR, "parallelism on a template that is not steps or dag",
	 "Template parallelism bounds how many children of a steps or DAG template run at once; a "
	 "container has no children, and Argo refuses parallelism there.",
	 "move parallelism to the steps or DAG template that runs it, or to spec.parallelism",
	 "- name: train\n  parallelism: 2\n  container: {image: trainer:1}\n",
	 "- name: main\n  parallelism: 2\n  dag: {tasks: [...]}\n", NULL},
	{"tmpl-deadline", DIAG_ERROR, "activeDeadlineSeconds that Argo refuses",
	 "activeDeadlineSeconds bounds a pod's run time; Argo takes it on leaf templates only, as a "
	 "non-negative whole number or a {{variable}} that becomes one, and refuses anything else.",
	 "a whole number of seconds on the container/script/resource template (or spec.activeDeadlineSeconds)",
	 "- name: main\n  activeDeadlineSeconds: 1h\n  dag: {tasks: [...]}\n",
	 "- name: train\n  activeDeadlineSeconds: 3600\n  container: {image: trainer:1}\n", NULL},
	{"tmpl-image-missing", DIAG_ERROR, "a container or script template without an image",
	 "A container template's pod needs an image. Argo accepts one left out only when "
	 "spec.templateDefaults gives it (container.image for container templates, script.image for "
	 "script templates), and refuses the workflow otherwise.",
	 "set image:, or spec.templateDefaults.container.image / script.image",
	 "- name: train\n  container: {command: [python, train.py]}\n",
	 "- name: train\n  container: {image: trainer:1, command: [python, train.py]}\n", NULL},
	{"tmpl-container-set", DIAG_ERROR, "a containerSet Argo refuses",
	 "A containerSet runs its containers in one pod in the order their dependencies give; Argo "
	 "refuses a set without containers, a dependency on a container not in the set, names it "
	 "reserves for its own containers (wait, supervisor, artifact-plugin-*), and inputs or outputs "
	 "without a container named main to read or write them.",
	 "depend only on containers of the set; name the one with the outputs 'main'",
	 "containers:\n- {name: a, image: x}\n- {name: b, image: x, dependencies: [c]}\n",
	 "containers:\n- {name: a, image: x}\n- {name: b, image: x, dependencies: [a]}\n", NULL},
	{"tmpl-output-value-from", DIAG_ERROR, "an output parameter without exactly one source that fits its template",
	 "An output parameter has a value, or a valueFrom with one source: path for container, script "
	 "and containerSet templates (the file they write), jsonPath or jqFilter for resource templates, "
	 "parameter or expression for steps and DAG templates. Argo refuses anything else.",
	 "give one valueFrom source of the kind the template can produce",
	 "- name: train\n  container: {image: trainer:1}\n  outputs:\n    parameters:\n    - {name: loss, valueFrom: {parameter: x}}\n",
	 "- name: train\n  container: {image: trainer:1}\n  outputs:\n    parameters:\n    - {name: loss, valueFrom: {path: /tmp/loss}}\n",
	 NULL},
	{"tmpl-pod-resources", DIAG_ERROR, "pod-level resources or resource claims where Argo refuses them",
	 "podResources sizes a template's whole pod: Kubernetes takes only cpu, memory and hugepages-* "
	 "there and no claims, and http/plugin templates run in Argo's shared agent pod, which they "
	 "cannot size. resourceClaims attach to a pod: steps, dag, suspend, http and plugin templates "
	 "create none. Argo refuses each of these before anything runs.",
	 "ask for GPUs and claims on the container; keep podResources to cpu and memory",
	 "podResources:\n  limits: {nvidia.com/gpu: \"1\"}\n", "podResources:\n  limits: {cpu: \"8\", memory: 64Gi}\n",
	 NULL},
	{"tmpl-loop", DIAG_ERROR, "a task or step with two loop sources, or a withSequence with count and end",
	 "A task or step fans out over withItems, withParam or withSequence, one of them; a "
	 "withSequence runs count numbers from start, or start to end. Argo refuses a task or step "
	 "that gives two sources, or a sequence with both count and end.",
	 "keep one loop source; give withSequence count or end",
	 "withSequence: {count: \"4\", end: \"3\"}\n", "withSequence: {count: \"4\"}\n", NULL},
	{"arg-value-missing", DIAG_ERROR, "an argument parameter without a value",
	 "Arguments of a task or step (and of a CronWorkflow, which no one submits by hand) are the "
	 "values the template gets; Argo refuses a parameter passed without value or valueFrom.",
	 "give it value: (or valueFrom.configMapKeyRef), or leave the parameter out to use the input's default",
	 "arguments:\n  parameters:\n  - name: lr\n", "arguments:\n  parameters:\n  - {name: lr, value: \"1e-4\"}\n", NULL},
	{"arg-value-from", DIAG_ERROR, "an argument with a valueFrom source arguments cannot use",
	 "valueFrom in arguments reads a ConfigMap key (configMapKeyRef), an event or a value supplied "
	 "at resume; path, jsonPath, parameter and expression are outputs' sources, and Argo refuses "
	 "them in arguments.",
	 "pass value: \"{{tasks.x.outputs.parameters.y}}\" instead",
	 "- name: data\n  valueFrom: {path: /tmp/data}\n", "- name: data\n  value: \"{{tasks.prep.outputs.parameters.data}}\"\n",
	 NULL},
	{"arg-enum", DIAG_ERROR, "an enum that is empty, or a value it does not list",
	 "A parameter's enum lists the values it may take; Argo refuses an empty enum, a value that is "
	 "not in it, and (where the value cannot come later) an enum without a value.",
	 "list the allowed values and pick one of them",
	 "- name: gpu\n  value: a10\n  enum: [v100, a100, h100]\n", "- name: gpu\n  value: a100\n  enum: [v100, a100, h100]\n",
	 NULL},
	{"arg-artifact", DIAG_ERROR, "an argument artifact with no source, or with two",
	 "An artifact passed to a template needs somewhere to come from: from (an output of an earlier "
	 "task or step), fromExpression, or a location (s3, http, git, raw ...). Argo refuses one with "
	 "none, or with both from and fromExpression.",
	 "add from: \"{{tasks.x.outputs.artifacts.y}}\" or a location",
	 "artifacts:\n- name: weights\n", "artifacts:\n- name: weights\n  from: \"{{tasks.train.outputs.artifacts.weights}}\"\n",
	 NULL},
	{"metric-invalid", DIAG_ERROR, "a Prometheus metric Argo refuses",
	 "Argo emits a template's metrics under Prometheus' rules: names and label keys of letters, "
	 "digits and '_', a help text, a value for each gauge, counter and histogram, and no "
	 "resourcesDuration in a realtime gauge (it exists only when the node ends). It refuses the "
	 "workflow otherwise.",
	 "fix the name, add help, give the metric a value",
	 "prometheus:\n- name: step.time\n  gauge: {value: \"{{duration}}\"}\n",
	 "prometheus:\n- name: step_time\n  help: seconds per step\n  gauge: {value: \"{{duration}}\"}\n", NULL},
};

const size_t rules_tmpl_count = sizeof rules_tmpl / sizeof rules_tmpl[0];
