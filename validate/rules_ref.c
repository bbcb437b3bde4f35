/* rules_ref.c: references and names -- what Argo resolves before it runs a
 * workflow: the entrypoint and exit handler, templates named by tasks and
 * steps, `{{...}}` variables, arguments every caller must supply, and the
 * names these refer to (unique, in Argo's alphabet).
 *
 * Variables follow Argo's own scoping (workflow/validate in
 * argoproj/argo-workflows): only tags under item., steps., inputs.,
 * outputs., pod., workflow. and tasks. (and a bare `item`) are checked, as
 * there; `{{=expr}}` expressions are left alone, and anything else between
 * braces (a Go template in a kubectl command, say) is not ours. */
#include <stdio.h>
#include <string.h>

#include "validate/dag.h"
#include "validate/families.h"

/* ---------------------------------------------------------------- helpers */

static int eq(const char *a, size_t n, const char *lit)
{
	return strlen(lit) == n && !memcmp(a, lit, n);
}

static int starts(const char *a, size_t n, const char *lit)
{
	size_t l = strlen(lit);
	return n >= l && !memcmp(a, lit, l);
}

/* When [*a, *a + *n) starts with lit, step *a and *n past it and say so:
 * what follows a prefix without counting its letters by hand. */
static int skip_prefix(const char **a, size_t *n, const char *lit)
{
	size_t l = strlen(lit);
	if (*n < l || memcmp(*a, lit, l))
		return 0;
	*a += l;
	*n -= l;
	return 1;
}

static int is_wftmpl(const wf_doc *d)
{
	return d->kind == WF_WORKFLOW_TEMPLATE || d->kind == WF_CLUSTER_WORKFLOW_TEMPLATE;
}

static const wf_param *find_param(const wf_io *io, const char *name, size_t len)
{
	for (size_t i = 0; i < io->nparams; i++) {
		const char *n = io->params[i].name;
		if (n && strlen(n) == len && !memcmp(n, name, len))
			return &io->params[i];
	}
	return NULL;
}

static const wf_artifact *find_art(const wf_io *io, const char *name, size_t len)
{
	for (size_t i = 0; i < io->narts; i++) {
		const char *n = io->arts[i].name;
		if (n && strlen(n) == len && !memcmp(n, name, len))
			return &io->arts[i];
	}
	return NULL;
}

/* The template a task or step runs, when it is one of this document's
 * (NULL for templateRef, inline templates and unknown names). */
static const wf_template *task_template(const wf_doc *d, const wf_task *k)
{
	return k->tmpl ? wf_find_template(d, k->tmpl) : NULL;
}

/* ------------------------------------------------------------ references */

static void check_entry(lint_ctx *c, const wf_doc *d)
{
	const wf_spec *s = &d->spec;
	if (s->workflow_template_ref && s->ntemplates && !is_wftmpl(d)) {
		const ynode *at = yn_get_key(s->node, "templates");
		lint_report(c, "ref-entrypoint", at ? at : s->workflow_template_ref,
			    "drop spec.templates, or drop the workflowTemplateRef and run them",
			    "spec.templates beside a workflowTemplateRef: the workflow runs the WorkflowTemplate's "
			    "templates, and Argo refuses one that lists its own too");
	}
	if (s->workflow_template_ref || !s->node)
		return; /* the entrypoint may come from the referenced template */
	if (!s->entrypoint) {
		if (!is_wftmpl(d))
			lint_report(c, "ref-entrypoint", yn_get_key(d->root, "spec") ? yn_get_key(d->root, "spec") : s->node,
				    "add spec.entrypoint: the name of the template to run first",
				    "%s has no spec.entrypoint: Argo does not know which template to run",
				    d->kind_str ? d->kind_str : "workflow");
	} else if (!wf_find_template(d, s->entrypoint)) {
		lint_report(c, "ref-entrypoint", s->entrypoint_node, NULL,
			    "entrypoint '%s' names no template of this workflow", s->entrypoint);
	}
	if (s->on_exit && !wf_find_template(d, s->on_exit))
		lint_report(c, "ref-entrypoint", s->on_exit_node, NULL,
			    "onExit '%s' names no template of this workflow", s->on_exit);
}

/* The WorkflowTemplate (or ClusterWorkflowTemplate) of the lint run named
 * `name`, or NULL when no file given holds it: resolved as simulate does
 * (document/workflow.h). */
static const wf_doc *ref_target(const wf_set *set, const char *name, int cluster)
{
	return wf_set_template_doc(set, name, cluster);
}

/* The template a templateRef names, when the run holds it. */
static const wf_template *ref_template(const wf_set *set, const ynode *ref)
{
	return wf_set_template_ref(set, ref, NULL);
}

/* Who calls: "task 'x'", "step 'y'", "the workflow" -- formatted only for
 * a message (lint runs this for every task of every file). */
typedef struct caller {
	const char *kind, *name;   /* name NULL: kind alone */
} caller;

static const char *who_str(caller w, char *buf, size_t len)
{
	if (w.name)
		snprintf(buf, len, "%s '%s'", w.kind, w.name);
	else
		snprintf(buf, len, "%s", w.kind);
	return buf;
}

static void check_template_name(lint_ctx *c, const wf_doc *d, const ynode *at, const char *name, caller who)
{
	char b[300];
	if (name && !strstr(name, "{{") && !wf_find_template(d, name))
		lint_report(c, "ref-template", at, NULL, "%s runs template '%s', which this workflow does not define",
			    who_str(who, b, sizeof b), name);
}

static void check_hooks(lint_ctx *c, const wf_doc *d, const ynode *hooks, caller who)
{
	for (size_t i = 0; hooks && hooks->kind == YN_MAP && i < hooks->n; i++) {
		const ynode *h = hooks->val[i];
		check_template_name(c, d, yn_get(h, "template"), yn_get_str(h, "template"), who);
	}
}

/* A templateRef whose name is written with {{...}}. Argo's validator runs
 * every template but the entrypoint with placeholder inputs, so
 * {{inputs.parameters.X}} there becomes a WorkflowTemplate name that does
 * not exist, and it refuses the workflow; {{workflow.parameters.X}} is the
 * workflow's value for X (no value: a placeholder again). Other variables
 * (item, steps, tasks) stay unresolved, and Argo skips the check. Returns
 * the name to look up (arena-free: `buf`), or NULL when there is nothing
 * to look up. */
static const char *ref_name(lint_ctx *c, const wf_doc *d, const wf_template *in, const wf_task *k,
			    const char *rn, char *buf, size_t len)
{
	const ynode *at = yn_get(k->tmpl_ref, "name");
	const char *o = strstr(rn, "{{");
	if (!o)
		return rn;
	const char *cl = strstr(o, "}}");
	if (!cl)
		return NULL;
	const char *v = o + 2;
	while (*v == ' ')
		v++;
	size_t vn = (size_t)(cl - v);
	while (vn && v[vn - 1] == ' ')
		vn--;
	int entry = d->spec.entrypoint && in && in->name && !strcmp(in->name, d->spec.entrypoint);
	if (starts(v, vn, "inputs.parameters.") && !entry) {
		lint_report(c, "ref-template", at, "name the WorkflowTemplate, or choose it with a workflow parameter",
			    "templateRef name '%s' comes from an input of template '%s': Argo validates every "
			    "template with placeholder inputs, finds no WorkflowTemplate of that name, and "
			    "refuses the workflow", rn, in && in->name ? in->name : "?");
		return NULL;
	}
	const char *pname = v;
	size_t pnn = vn;
	if (!skip_prefix(&pname, &pnn, "workflow.parameters.") || is_wftmpl(d) || d->spec.workflow_template_ref)
		return NULL;
	const wf_param *p = find_param(&d->spec.arguments, pname, pnn);
	const char *val = p ? yn_str(p->value) : NULL;
	if (p && !val) {
		lint_report(c, "ref-template", at, "give the parameter a value",
			    "templateRef name '%s' reads workflow parameter '%.*s', which has no value: Argo "
			    "looks up a placeholder name and refuses the workflow", rn, (int)pnn, pname);
		return NULL;
	}
	if (!val || snprintf(buf, len, "%.*s%s%s", (int)(o - rn), rn, val, cl + 2) >= (int)len)
		return NULL;
	return strstr(buf, "{{") ? NULL : buf;
}

static void check_call(lint_ctx *c, const wf_doc *d, const wf_template *in, const wf_task *k, const char *what)
{
	caller who = {what, k->name ? k->name : "?"};
	char b[300], nb[300];
	check_template_name(c, d, k->tmpl_node, k->tmpl, who);
	if (k->on_exit)
		check_template_name(c, d, k->on_exit, yn_str(k->on_exit), who);
	check_hooks(c, d, k->hooks, who);
	if (!k->tmpl_ref)
		return;
	const char *rn = yn_get_str(k->tmpl_ref, "name");
	const char *tn = yn_get_str(k->tmpl_ref, "template");
	const char *name = rn ? ref_name(c, d, in, k, rn, nb, sizeof nb) : NULL;
	if (!name)
		return;
	int cluster = 0;
	(void)yn_bool(yn_get(k->tmpl_ref, "clusterScope"), &cluster);
	const wf_doc *o = ref_target(lint_set(c), name, cluster);
	if (!o) {
		lint_report(c, "ref-not-checked", yn_get_key(k->node, "templateRef") ? yn_get_key(k->node, "templateRef") : k->tmpl_ref, NULL,
			    "not checked: %s runs template '%s' of %s '%s', which is not among the files given "
			    "(its existence and the inputs it needs are not checked)", who_str(who, b, sizeof b),
			    tn ? tn : "?", cluster ? "ClusterWorkflowTemplate" : "WorkflowTemplate", name);
		return;
	}
	if (tn && !strstr(tn, "{{") && !wf_find_template(o, tn))
		lint_report(c, "ref-template", yn_get(k->tmpl_ref, "template"), NULL,
			    "%s refers to template '%s' of %s '%s', which has no such template",
			    who_str(who, b, sizeof b), tn, o->kind_str, o->name);
}

static void ref_templates(lint_ctx *c)
{
	const wf_set *s = lint_set(c);
	for (size_t i = 0; i < wf_set_count(s); i++) {
		const wf_doc *d = wf_set_doc(s, i);
		check_entry(c, d);
		check_hooks(c, d, d->spec.hooks, (caller){"the workflow's hook", NULL});
		for (size_t t = 0; t < d->spec.ntemplates; t++) {
			const wf_template *tp = &d->spec.templates[t];
			for (size_t k = 0; k < tp->ntasks; k++)
				check_call(c, d, tp, &tp->tasks[k], "task");
			for (size_t g = 0; g < tp->ngroups; g++)
				for (size_t k = 0; k < tp->groups[g].n; k++)
					check_call(c, d, tp, &tp->groups[g].steps[k], "step");
		}
	}
}

/* ----------------------------------------------------------------- names */

static int field_name_ok(const char *s)
{
	/* Argo: [a-zA-Z0-9][-a-zA-Z0-9]*, at most 128 characters */
	size_t n = strlen(s);
	if (!n || n > 128 || s[0] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '-'))
			return 0;
	return 1;
}

static int param_name_ok(const char *s)
{
	/* Argo: [-a-zA-Z0-9_]+ */
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '-' ||
		      *s == '_'))
			return 0;
	return 1;
}

/* Names of a list (templates, tasks, parameters...): each valid, each once. */
typedef struct named {
	const char *name;
	const ynode *node;   /* the item */
} named;

/* What a list of names belongs to, formatted only for a message:
 * what = "input" + " parameter", where = " in template" + " 'train'". */
typedef struct owner {
	const char *which, *kind;  /* "input", "parameter" (kind may be "") */
	const char *pre, *name;    /* " in template", "train" (pre NULL: none) */
} owner;

static void say_owner(const owner *o, char *what, size_t wl, char *where, size_t rl)
{
	snprintf(what, wl, "%s%s%s", o->which, *o->kind ? " " : "", o->kind);
	if (o->pre)
		snprintf(where, rl, "%s '%s'", o->pre, o->name ? o->name : "?");
	else
		where[0] = 0;
}

/* A step name with {{inputs.parameters.X}} or {{workflow.parameters.X}}
 * in it: Argo's validator puts a placeholder there and checks what is
 * left (the skeleton: "run_{{inputs.parameters.d}}" is refused for its
 * '_'). Writes the name with each tag as "x" to buf; 0 when another kind
 * of tag (item, steps...) leaves the name to the run. */
static int step_skeleton(const char *name, char *buf, size_t len)
{
	size_t n = 0;
	for (const char *p = name; *p;) {
		if (p[0] == '{' && p[1] == '{') {
			const char *cl = strstr(p + 2, "}}");
			const char *v = p + 2;
			while (*v == ' ')
				v++;
			if (!cl || (strncmp(v, "inputs.parameters.", 18) && strncmp(v, "workflow.parameters.", 20)))
				return 0;
			if (n + 1 >= len)
				return 0;
			buf[n++] = 'x';
			p = cl + 2;
			continue;
		}
		if (n + 1 >= len)
			return 0;
		buf[n++] = *p++;
	}
	buf[n] = 0;
	return 1;
}

static void check_names(lint_ctx *c, const named *v, size_t n, const owner *o, int params)
{
	char what[64], where[300], skel[160];
	int steps = !strcmp(o->which, "step");
	for (size_t i = 0; i < n; i++) {
		if (!v[i].name)
			continue; /* schema-required reports it */
		const char *check = v[i].name;
		if (strstr(v[i].name, "{{")) {
			if (!steps || !step_skeleton(v[i].name, skel, sizeof skel))
				continue; /* resolved at run time */
			check = skel;
		}
		const ynode *at = NULL;
		if (params ? !param_name_ok(check) : !field_name_ok(check)) {
			at = yn_get(v[i].node, "name") ? yn_get(v[i].node, "name") : v[i].node;
			say_owner(o, what, sizeof what, where, sizeof where);
			lint_report(c, "ref-name-invalid", at,
				    params ? "use letters, digits, '-' and '_'"
					   : "use letters, digits and '-', starting with a letter or digit (at most 128)",
				    "%s name '%s'%s is not one Argo accepts", what, v[i].name, where);
		}
		for (size_t j = 0; j < i; j++)
			if (v[j].name && v[j].name[0] == v[i].name[0] && !strcmp(v[j].name, v[i].name)) {
				if (!at)
					at = yn_get(v[i].node, "name") ? yn_get(v[i].node, "name") : v[i].node;
				say_owner(o, what, sizeof what, where, sizeof where);
				lint_report(c, "ref-name-duplicate", at, NULL,
					    "%s name '%s'%s is used twice (first on line %u)", what, v[i].name, where,
					    v[j].node->line);
				break;
			}
	}
}

static void names_of_io(lint_ctx *c, const wf_io *io, const char *which, const char *pre, const char *name,
			named *buf, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < io->nparams && n < cap; i++)
		buf[n++] = (named){io->params[i].name, io->params[i].node};
	check_names(c, buf, n, &(owner){which, "parameter", pre, name}, 1);
	n = 0;
	for (size_t i = 0; i < io->narts && n < cap; i++)
		buf[n++] = (named){io->arts[i].name, io->arts[i].node};
	check_names(c, buf, n, &(owner){which, "artifact", pre, name}, 1);
}

enum { NAMES_MAX = 4096 };

static void ref_names(lint_ctx *c)
{
	static named buf[NAMES_MAX]; /* lint runs on one thread */
	const wf_set *s = lint_set(c);
	for (size_t i = 0; i < wf_set_count(s); i++) {
		const wf_doc *d = wf_set_doc(s, i);
		size_t n = 0;
		for (size_t t = 0; t < d->spec.ntemplates && n < NAMES_MAX; t++)
			buf[n++] = (named){d->spec.templates[t].name, d->spec.templates[t].node};
		check_names(c, buf, n, &(owner){"template", "", NULL, NULL}, 0);
		names_of_io(c, &d->spec.arguments, "workflow argument", NULL, NULL, buf, NAMES_MAX);
		for (size_t t = 0; t < d->spec.ntemplates; t++) {
			const wf_template *tp = &d->spec.templates[t];
			names_of_io(c, &tp->inputs, "input", " in template", tp->name, buf, NAMES_MAX);
			names_of_io(c, &tp->outputs, "output", " in template", tp->name, buf, NAMES_MAX);
			n = 0;
			for (size_t k = 0; k < tp->ntasks && n < NAMES_MAX; k++)
				buf[n++] = (named){tp->tasks[k].name, tp->tasks[k].node};
			check_names(c, buf, n, &(owner){"task", "", " in template", tp->name}, 0);
			n = 0;
			for (size_t g = 0; g < tp->ngroups; g++)
				for (size_t k = 0; k < tp->groups[g].n && n < NAMES_MAX; k++)
					buf[n++] = (named){tp->groups[g].steps[k].name, tp->groups[g].steps[k].node};
			check_names(c, buf, n, &(owner){"step", "", " in template", tp->name}, 0);
			for (size_t k = 0; k < tp->ntasks; k++) {
				const wf_task *tk = &tp->tasks[k];
				names_of_io(c, &tk->arguments, "argument", " of task", tk->name, buf, NAMES_MAX);
				if (tk->name && tk->name[0] >= '0' && tk->name[0] <= '9' && (tk->depends_node || tk->dependencies))
					lint_report(c, "ref-name-invalid", yn_get(tk->node, "name"),
						    "start the name with a letter",
						    "task name '%s' starts with a digit; Argo refuses that in a DAG that uses "
						    "depends or dependencies", tk->name);
			}
			for (size_t g = 0; g < tp->ngroups; g++)
				for (size_t k = 0; k < tp->groups[g].n; k++) {
					const wf_task *st = &tp->groups[g].steps[k];
					names_of_io(c, &st->arguments, "argument", " of step", st->name, buf, NAMES_MAX);
				}
		}
	}
}

/* ---------------------------------------------------------------- inputs */

/* Every input a template needs without a default must come from each of
 * its callers. */
static void check_supplied(lint_ctx *c, const wf_doc *d, const wf_template *callee, const wf_io *args,
			   const ynode *at, caller w)
{
	char who[300];
	for (size_t i = 0; i < callee->inputs.nparams; i++) {
		const wf_param *p = &callee->inputs.params[i];
		if (!p->name || p->value || p->dflt || p->value_from)
			continue;
		if (!find_param(args, p->name, strlen(p->name)))
			lint_report(c, "ref-missing-argument", at, NULL,
				    "%s calls template '%s' without its input parameter '%s', which has no default",
				    who_str(w, who, sizeof who), callee->name ? callee->name : "?", p->name);
	}
	for (size_t i = 0; i < callee->inputs.narts; i++) {
		const wf_artifact *a = &callee->inputs.arts[i];
		int optional = 0;
		(void)yn_bool(a->optional, &optional);
		if (!a->name || optional || a->from)
			continue;
		/* an artifact with a location of its own (s3:, http:, raw:, git: ...) needs no argument */
		const ynode *an = a->node;
		int located = 0;
		for (size_t k = 0; an && an->kind == YN_MAP && k < an->n; k++) {
			const char *key = yn_str(an->key[k]);
			if (key && strcmp(key, "name") && strcmp(key, "path") && strcmp(key, "optional") &&
			    strcmp(key, "mode") && strcmp(key, "archive") && strcmp(key, "recurseMode") &&
			    strcmp(key, "subPath") && strcmp(key, "globalName") && strcmp(key, "archiveLogs"))
				located = 1;
		}
		if (!located && !find_art(args, a->name, strlen(a->name)))
			lint_report(c, "ref-missing-argument", at, NULL,
				    "%s calls template '%s' without its input artifact '%s'", who_str(w, who, sizeof who),
				    callee->name ? callee->name : "?", a->name);
	}
	(void)d;
}

static void ref_arguments(lint_ctx *c)
{
	const wf_set *s = lint_set(c);
	for (size_t i = 0; i < wf_set_count(s); i++) {
		const wf_doc *d = wf_set_doc(s, i);
		/* The entrypoint and the exit handler get the workflow's arguments;
		 * a WorkflowTemplate's come from whoever submits it. */
		if (d->kind != WF_WORKFLOW_TEMPLATE && d->kind != WF_CLUSTER_WORKFLOW_TEMPLATE &&
		    !d->spec.workflow_template_ref) {
			const wf_template *e = d->spec.entrypoint ? wf_find_template(d, d->spec.entrypoint) : NULL;
			if (e)
				check_supplied(c, d, e, &d->spec.arguments, d->spec.entrypoint_node,
					       (caller){"the workflow", NULL});
		}
		for (size_t t = 0; t < d->spec.ntemplates; t++) {
			const wf_template *tp = &d->spec.templates[t];
			for (size_t k = 0; k < tp->ntasks; k++) {
				const wf_task *tk = &tp->tasks[k];
				const wf_template *callee = tk->tmpl_ref ? ref_template(s, tk->tmpl_ref)
								       : task_template(d, tk);
				if (callee)
					check_supplied(c, d, callee, &tk->arguments, tk->node,
						       (caller){"task", tk->name ? tk->name : "?"});
			}
			for (size_t g = 0; g < tp->ngroups; g++)
				for (size_t k = 0; k < tp->groups[g].n; k++) {
					const wf_task *st = &tp->groups[g].steps[k];
					const wf_template *callee = st->tmpl_ref ? ref_template(s, st->tmpl_ref)
									       : task_template(d, st);
					if (callee)
						check_supplied(c, d, callee, &st->arguments, st->node,
							       (caller){"step", st->name ? st->name : "?"});
				}
		}
	}
}

/* ------------------------------------------------------------- variables */

typedef struct scope {
	lint_ctx *c;
	const wf_doc *d;
	const wf_template *t;      /* whose inputs are in scope */
	const wf_template *dag;    /* tasks.* resolve here (DAG), or NULL */
	const dag_graph *g;
	long task;                 /* the task being checked (ancestors), or -1: all */
	const wf_template *steps;  /* steps.* resolve here, or NULL */
	size_t group;              /* steps.* from groups before this one */
	int loop;                  /* under withItems/withParam/withSequence */
	const wf_task *self;       /* in a task's hooks: the task itself, done by then */
} scope;

static void bad_var(scope *s, const ynode *at, const char *tag, size_t n, const char *why)
{
	lint_report(s->c, "ref-variable", at, NULL, "{{%.*s}}: %s", (int)n, tag, why);
}

static const wf_task *find_task(const wf_task *v, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].name && strlen(v[i].name) == len && !memcmp(v[i].name, name, len))
			return &v[i];
	return NULL;
}

/* tasks.NAME.REST or steps.NAME.REST: NAME must exist, and REST must be
 * something that node has. */
static void check_node_ref(scope *s, const ynode *at, const char *tag, size_t n, const wf_task *k,
			   const char *rest, size_t rn, const char *kind)
{
	static const char *const always[] = {"id", "startedAt", "finishedAt", "hostNodeName", "status", "ip",
					     "exitCode", "outputs.result", "outputs.exitCode", "outputs.parameters",
					     "outputs.artifacts"};
	for (size_t i = 0; i < sizeof always / sizeof always[0]; i++)
		if (eq(rest, rn, always[i]))
			return;
	const wf_template *callee = task_template(s->d, k);
	const char *p = rest;
	size_t pn = rn;
	if (skip_prefix(&p, &pn, "outputs.parameters.")) {
		if (callee && !callee->outputs.node)
			bad_var(s, at, tag, n, "that template has no outputs");
		else if (callee && !find_param(&callee->outputs, p, pn))
			lint_report(s->c, "ref-variable", at, NULL,
				    "{{%.*s}}: %s '%s' runs template '%s', which has no output parameter '%.*s'",
				    (int)n, tag, kind, k->name, callee->name, (int)pn, p);
		return;
	}
	if (skip_prefix(&p, &pn, "outputs.artifacts.")) {
		if (callee && !find_art(&callee->outputs, p, pn))
			lint_report(s->c, "ref-variable", at, NULL,
				    "{{%.*s}}: %s '%s' runs template '%s', which has no output artifact '%.*s'",
				    (int)n, tag, kind, k->name, callee->name, (int)pn, p);
		return;
	}
	lint_report(s->c, "ref-variable", at, NULL, "{{%.*s}}: a %s has no '%.*s' (try outputs.parameters.NAME, "
		    "outputs.result, outputs.artifacts.NAME, status, id, ...)", (int)n, tag, kind, (int)rn, rest);
}

/* {{item}}, {{item.KEY}}: only a looping task or step has an item. */
static void check_item(scope *s, const ynode *at, const char *tag, size_t n)
{
	if (!s->loop)
		bad_var(s, at, tag, n, "only a task or step with withItems, withParam or withSequence has an item");
}

/* {{inputs.parameters.NAME}}, {{inputs.artifacts.NAME[.path]}}: declared
 * by the template itself. */
static void check_inputs(scope *s, const ynode *at, const char *tag, size_t n)
{
	const wf_io *in = &s->t->inputs;
	const char *p;
	size_t pn;
	if (eq(tag, n, "inputs.parameters"))
		return;
	if ((p = wf_expr_rest(tag, n, "inputs.parameters.", &pn))) {
		if (!find_param(in, p, pn))
			lint_report(s->c, "ref-variable", at, NULL,
				    "{{%.*s}}: template '%s' has no input parameter '%.*s'", (int)n, tag,
				    s->t->name ? s->t->name : "?", (int)pn, p);
		return;
	}
	if ((p = wf_expr_rest(tag, n, "inputs.artifacts.", &pn))) {
		if (pn > 5 && !memcmp(p + pn - 5, ".path", 5) && !find_art(in, p, pn))
			pn -= 5;
		if (!find_art(in, p, pn))
			lint_report(s->c, "ref-variable", at, NULL,
				    "{{%.*s}}: template '%s' has no input artifact '%.*s'", (int)n, tag,
				    s->t->name ? s->t->name : "?", (int)pn, p);
		return;
	}
	bad_var(s, at, tag, n, "inputs has parameters and artifacts only");
}

/* Is template `target` run, directly or not, by template `from`? */
static int runs(const wf_doc *d, const wf_template *from, const wf_template *target)
{
	if (!from || !d->spec.ntemplates)
		return 0;
	const wf_template *q[256];
	size_t nq = 0;
	q[nq++] = from;
	for (size_t i = 0; i < nq; i++) {
		if (q[i] == target)
			return 1;
		const wf_template *t = q[i];
		for (size_t j = 0; j < t->ntasks + t->ngroups; j++) {
			size_t ns = j < t->ntasks ? 1 : t->groups[j - t->ntasks].n;
			for (size_t k = 0; k < ns; k++) {
				const wf_task *tk = j < t->ntasks ? &t->tasks[j] : &t->groups[j - t->ntasks].steps[k];
				const wf_template *u = task_template(d, tk);
				int seen = !u;
				for (size_t x = 0; x < nq && !seen; x++)
					seen = q[x] == u;
				if (!seen && nq < 256)
					q[nq++] = u;
			}
		}
	}
	return 0;
}

/* {{workflow.failures}} exists only for the exit handler: Argo's validator
 * adds it once it has checked everything the entrypoint runs, and only
 * when there is an onExit. */
static void check_failures(scope *s, const ynode *at, const char *tag, size_t n)
{
	const wf_doc *d = s->d;
	if (d->spec.workflow_template_ref)
		return;
	if (!d->spec.on_exit)
		bad_var(s, at, tag, n, "the workflow has no onExit handler, and only an exit handler has "
				       "workflow.failures");
	else if (d->spec.entrypoint && runs(d, wf_find_template(d, d->spec.entrypoint), s->t))
		lint_report(s->c, "ref-variable", at, NULL,
			    "{{%.*s}}: template '%s' runs as part of the entrypoint, before the workflow has "
			    "failures to list; only the exit handler ('%s') has workflow.failures", (int)n, tag,
			    s->t->name ? s->t->name : "?", d->spec.on_exit);
}

/* {{workflow.outputs.parameters.X}} / artifacts.X: X must be a globalName
 * some template exports (any, when one of them is itself a {{...}}). */
static void check_global_output(scope *s, const ynode *at, const char *tag, size_t n, const char *w, size_t wn)
{
	const wf_doc *d = s->d;
	int params = starts(w, wn, "parameters.");
	if (!params && !starts(w, wn, "artifacts.")) {
		bad_var(s, at, tag, n, "workflow.outputs has parameters and artifacts only");
		return;
	}
	if (d->spec.workflow_template_ref)
		return;
	const char *name = w + (params ? 11 : 10);
	size_t len = wn - (params ? 11 : 10);
	for (size_t t = 0; t < d->spec.ntemplates; t++) {
		const wf_io *o = &d->spec.templates[t].outputs;
		size_t m = params ? o->nparams : o->narts;
		for (size_t i = 0; i < m; i++) {
			const ynode *g = params ? o->params[i].global_name : yn_get(o->arts[i].node, "globalName");
			const char *gs = yn_str(g);
			if (gs && (strstr(gs, "{{") || (strlen(gs) == len && !memcmp(gs, name, len))))
				return;
		}
	}
	lint_report(s->c, "ref-variable", at, "export it with globalName: on a template's output",
		    "{{%.*s}}: no template exports an output %s with globalName '%.*s'", (int)n, tag,
		    params ? "parameter" : "artifact", (int)len, name);
}

/* {{workflow.*}}: Argo's global variables; parameters.NAME must be one
 * the workflow declares (unless a Workflow that uses it may pass it). */
static void check_workflow_var(scope *s, const ynode *at, const char *tag, size_t n)
{
	static const char *const exact[] = {"name", "namespace", "uid", "serviceAccountName",
					    "mainEntrypoint", "status", "priority", "duration",
					    "scheduledTime", "parameters", "parameters.json", "annotations",
					    "annotations.json", "labels", "labels.json", "creationTimestamp"};
	size_t wn, pn;
	const char *w = wf_expr_rest(tag, n, "workflow.", &wn), *p;
	for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (eq(w, wn, exact[i]))
			return;
	if (starts(w, wn, "creationTimestamp.") || starts(w, wn, "annotations.") || starts(w, wn, "labels."))
		return;
	if (eq(w, wn, "failures")) {
		check_failures(s, at, tag, n);
		return;
	}
	if (starts(w, wn, "outputs.")) {
		check_global_output(s, at, tag, n, w + 8, wn - 8);
		return;
	}
	if ((p = wf_expr_rest(w, wn, "parameters.", &pn))) {
		/* A WorkflowTemplate's parameters may come from the Workflow
		 * that uses it; so may those of a workflowTemplateRef. */
		if (is_wftmpl(s->d) || s->d->spec.workflow_template_ref)
			return;
		if (!find_param(&s->d->spec.arguments, p, pn))
			lint_report(s->c, "ref-variable", at, "declare it under spec.arguments.parameters",
				    "{{%.*s}}: the workflow declares no parameter '%.*s'", (int)n, tag, (int)pn, p);
		return;
	}
	bad_var(s, at, tag, n, "no such workflow variable (name, namespace, uid, parameters.NAME, "
			       "creationTimestamp, status, ...)");
}

/* The step NAME of {{steps.NAME...}} as this scope sees it: the step
 * itself (in its hooks) or a step of an earlier group. *later is set when
 * NAME is instead a step of this or a later group. */
static const wf_task *visible_step(const scope *s, const char *name, size_t nn, int *later)
{
	*later = 0;
	if (s->self && s->self->name && eq(name, nn, s->self->name))
		return s->self;
	const wf_task *k = NULL;
	size_t last = s->group < s->steps->ngroups ? s->group : s->steps->ngroups;
	for (size_t g = 0; g < last && !k; g++)
		k = find_task(s->steps->groups[g].steps, s->steps->groups[g].n, name, nn);
	for (size_t g = s->group; !k && g < s->steps->ngroups && !*later; g++)
		*later = find_task(s->steps->groups[g].steps, s->steps->groups[g].n, name, nn) != NULL;
	return k;
}

/* {{tasks.NAME.REST}}, {{steps.NAME.REST}}: a task of this DAG that the
 * current task depends on, or a step of an earlier group; REST something
 * that node has. */
static void check_node_var(scope *s, const ynode *at, const char *tag, size_t n)
{
	int is_task = tag[0] == 't';
	size_t left;
	const char *name = wf_expr_rest(tag, n, is_task ? "tasks." : "steps.", &left);
	const char *dot = memchr(name, '.', left);
	size_t nn = dot ? (size_t)(dot - name) : left;
	const char *rest = dot ? dot + 1 : tag + n;
	size_t rn = dot ? (size_t)(tag + n - rest) : 0;
	if (is_task ? !s->dag : !s->steps) {
		bad_var(s, at, tag, n, is_task ? "tasks.* can be used only inside a DAG template"
					       : "steps.* can be used only inside a steps template");
		return;
	}
	const wf_task *k;
	if (is_task) {
		k = find_task(s->dag->tasks, s->dag->ntasks, name, nn);
	} else {
		int later;
		k = visible_step(s, name, nn, &later);
		if (later) {
			bad_var(s, at, tag, n, "that step runs in the same or a later step group, so its outputs do "
					       "not exist yet");
			return;
		}
	}
	if (!k) {
		lint_report(s->c, "ref-variable", at, NULL, "{{%.*s}}: there is no %s '%.*s' in template '%s'",
			    (int)n, tag, is_task ? "task" : "step", (int)nn, name,
			    is_task ? s->dag->name : s->steps->name);
		return;
	}
	if (is_task && s->task >= 0 && s->g && (starts(rest, rn, "outputs") || eq(rest, rn, "status"))) {
		long j = k - s->dag->tasks;
		if (k != s->self && (j == s->task || !dag_is_ancestor(s->g, (size_t)j, (size_t)s->task))) {
			lint_report(s->c, "dag-not-ancestor", at, NULL,
				    "{{%.*s}}: task '%s' reads the %s of task '%.*s', which it does not "
				    "depend on, so %s may not exist yet%s", (int)n, tag,
				    s->dag->tasks[s->task].name, rest[0] == 's' ? "status" : "outputs", (int)nn,
				    name, rest[0] == 's' ? "it" : "they",
				    rest[0] == 's' ? " (Argo refuses the workflow)" : "");
			return;
		}
	}
	if (!rn) {
		bad_var(s, at, tag, n, "name what you want of it (outputs.parameters.NAME, status, ...)");
		return;
	}
	check_node_ref(s, at, tag, n, k, rest, rn, is_task ? "task" : "step");
}

/* One {{tag}}: which family of variable it is, and the check for it. */
static void check_tag(scope *s, const ynode *at, const char *tag, size_t n)
{
	while (n && (*tag == ' ' || *tag == '\t'))
		tag++, n--;
	while (n && (tag[n - 1] == ' ' || tag[n - 1] == '\t'))
		n--;
	if (!n || tag[0] == '=')
		return; /* an expression: evaluated by expr at run time */
	if (eq(tag, n, "item") || starts(tag, n, "item."))
		check_item(s, at, tag, n);
	else if (starts(tag, n, "inputs."))
		check_inputs(s, at, tag, n);
	else if (starts(tag, n, "outputs.") || starts(tag, n, "pod.name") || starts(tag, n, "node.name") ||
		 starts(tag, n, "tasks.name") || starts(tag, n, "steps.name"))
		return;
	else if (starts(tag, n, "pod."))
		bad_var(s, at, tag, n, "the only pod variable is pod.name");
	else if (starts(tag, n, "workflow."))
		check_workflow_var(s, at, tag, n);
	else if (starts(tag, n, "tasks.") || starts(tag, n, "steps."))
		check_node_var(s, at, tag, n);
}

/* The first "{{" or "}}" (pair p0 p1) in [p, end), or NULL. */
static const char *find2(const char *p, const char *end, char c)
{
	for (; p + 1 < end; p++) {
		p = memchr(p, c, (size_t)(end - p - 1));
		if (!p)
			return NULL;
		if (p[1] == c)
			return p;
	}
	return NULL;
}

static void scan_scalar(scope *s, const ynode *n)
{
	const char *p = n->str, *end = n->str + n->len;
	while (p < end) {
		const char *o = find2(p, end, '{');
		if (!o)
			return;
		const char *cl = find2(o + 2, end, '}');
		if (!cl)
			return;
		const char *in = find2(o + 2, cl, '{');
		if (in) {
			/* {{steps.run-{{inputs.parameters.d}}.status}}: Argo
			 * substitutes the inner tag first, so the outer one
			 * names a node only a run knows; check the inner */
			p = in;
			continue;
		}
		check_tag(s, n, o + 2, (size_t)(cl - o - 2));
		p = cl + 2;
	}
}

/* Every scalar under n, keys too, except the subtrees of `skip` keys. */
static void scan(scope *s, const ynode *n, const char *const *skip)
{
	if (!n)
		return;
	if (n->kind == YN_SCALAR) {
		if (n->str && n->len >= 4)
			scan_scalar(s, n);
		return;
	}
	if (n->kind == YN_SEQ) {
		for (size_t i = 0; i < n->n; i++)
			scan(s, n->item[i], NULL);
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		const char *k = yn_str(n->key[i]);
		int skipped = 0;
		for (size_t j = 0; skip && skip[j]; j++)
			if (k && !strcmp(k, skip[j]))
				skipped = 1;
		if (!skipped)
			scan(s, n->val[i], NULL);
	}
}

static void scan_task(scope *s, const wf_task *k)
{
	static const char *const skip[] = {"inline", "hooks", NULL};
	s->loop = k->with_items || k->with_param || k->with_sequence;
	scan(s, k->node, skip);
	s->loop = 0;
	/* An exit hook runs after its task or step and may read its outputs. */
	s->self = k;
	scan(s, k->hooks, NULL);
	s->self = NULL;
}

static void ref_variables(lint_ctx *c)
{
	const wf_set *set = lint_set(c);
	for (size_t i = 0; i < wf_set_count(set); i++) {
		const wf_doc *d = wf_set_doc(set, i);
		for (size_t t = 0; t < d->spec.ntemplates; t++) {
			const wf_template *tp = &d->spec.templates[t];
			scope s = {c, d, tp, NULL, NULL, -1, NULL, 0, 0, NULL};
			if (tp->kind == TK_DAG) {
				static const char *const skip[] = {"dag", NULL};
				dag_graph *g = dag_graph_new(tp);
				s.dag = tp;
				s.g = g;
				scan(&s, tp->node, skip);   /* outputs may read any task */
				scan(&s, yn_get(tp->body, "target"), NULL);
				for (size_t k = 0; k < tp->ntasks; k++) {
					s.task = (long)k;
					scan_task(&s, &tp->tasks[k]);
				}
				dag_graph_free(g);
			} else if (tp->kind == TK_STEPS) {
				static const char *const skip[] = {"steps", NULL};
				s.steps = tp;
				s.group = tp->ngroups;
				scan(&s, tp->node, skip);
				for (size_t g = 0; g < tp->ngroups; g++) {
					s.group = g;
					for (size_t k = 0; k < tp->groups[g].n; k++)
						scan_task(&s, &tp->groups[g].steps[k]);
				}
			} else {
				scan(&s, tp->node, NULL);
			}
		}
	}
}

const rule rules_ref[] = {
	{"ref-entrypoint", DIAG_ERROR, "the entrypoint or onExit names no template (or templates beside a workflowTemplateRef)",
	 "Argo starts a workflow at its entrypoint template and runs the onExit template at the end; "
	 "a name that matches no template fails the submission. A Workflow that names a "
	 "workflowTemplateRef runs that WorkflowTemplate's templates: Argo refuses it with templates of its own.",
	 "name one of the workflow's templates",
	 "spec:\n  entrypoint: mian\n  templates:\n  - name: main\n",
	 "spec:\n  entrypoint: main\n  templates:\n  - name: main\n", ref_templates},
	{"ref-template", DIAG_ERROR, "a task or step runs a template that does not exist",
	 "Argo resolves every task's and step's template before it runs anything; an unknown name "
	 "(or a templateRef to a WorkflowTemplate of this file set that lacks it) fails the workflow.",
	 "name a template of this workflow, or check the templateRef",
	 "- name: train\n  template: trian\n", "- name: train\n  template: train\n", NULL},
	{"ref-not-checked", DIAG_NOTE, "a templateRef to a WorkflowTemplate that is not among the files given",
	 "rehearse resolves a templateRef when the WorkflowTemplate or ClusterWorkflowTemplate it names "
	 "is in any file of the same lint run, and checks the template exists and gets its inputs. "
	 "When it is not, nothing is checked, and this note says so rather than pass in silence.",
	 "lint the WorkflowTemplate's file together with this one (rehearse lint wf.yaml templates/)",
	 "# rehearse lint wf.yaml\ntemplateRef: {name: shared-steps, template: train}\n",
	 "# rehearse lint wf.yaml shared-steps.yaml\ntemplateRef: {name: shared-steps, template: train}\n", NULL},
	{"ref-name-invalid", DIAG_ERROR, "a template, task, step, parameter or artifact name Argo refuses",
	 "Argo names pods and nodes after templates, tasks and steps; it accepts letters, digits and "
	 "'-' there (and '_' in parameter and artifact names), and refuses the workflow otherwise.",
	 "rename it with letters, digits and '-'",
	 "- name: fine_tune\n", "- name: fine-tune\n", ref_names},
	{"ref-name-duplicate", DIAG_ERROR, "two templates, tasks, steps or parameters share a name",
	 "References are by name; Argo refuses a workflow in which a name means two things.",
	 "rename one of them", "- name: train\n- name: train\n", "- name: train\n- name: eval\n", NULL},
	{"ref-missing-argument", DIAG_ERROR, "a caller does not supply an input that has no default",
	 "When a task or step runs a template, Argo fills its inputs from the caller's arguments; an "
	 "input parameter with no value and no default that the caller leaves out stops the node with "
	 "'inputs.parameters.X was not supplied'.",
	 "pass it under arguments.parameters, or give the input a default",
	 "- name: train\n  template: fine-tune   # its input node-rank has no default\n",
	 "- name: train\n  template: fine-tune\n  arguments:\n    parameters:\n    - {name: node-rank, value: \"0\"}\n",
	 ref_arguments},
	{"ref-variable", DIAG_ERROR, "a {{variable}} that Argo cannot resolve",
	 "Argo substitutes {{inputs...}}, {{tasks...}}, {{steps...}}, {{workflow...}} and {{item}} "
	 "before a pod starts; a name that does not resolve fails the workflow ('failed to resolve').",
	 "refer to a declared input, an earlier task or step, or a workflow parameter",
	 "args: [\"{{inputs.parameters.node-rnak}}\"]\n", "args: [\"{{inputs.parameters.node-rank}}\"]\n",
	 ref_variables},
	{"dag-not-ancestor", DIAG_ERROR, "a task reads outputs of a task it does not depend on",
	 "Argo runs tasks as soon as their dependencies are done; the outputs of a task that is not a "
	 "dependency (directly or not) may not exist yet, and Argo refuses the reference.",
	 "add the task to depends, or read the output from a task it depends on",
	 "- name: b\n  arguments: {parameters: [{name: x, value: \"{{tasks.a.outputs.result}}\"}]}\n",
	 "- name: b\n  depends: a\n  arguments: {parameters: [{name: x, value: \"{{tasks.a.outputs.result}}\"}]}\n",
	 NULL},
};

const size_t rules_ref_count = sizeof rules_ref / sizeof rules_ref[0];
