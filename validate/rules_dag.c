/* rules_dag.c: DAG templates -- what Argo checks before it starts one:
 * dependency names, the depends grammar, cycles, and mixing the two ways
 * of declaring dependencies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/depends.h"
#include "validate/dag.h"
#include "validate/families.h"

/* Call fn for every DAG template of every document. */
static void each_dag(lint_ctx *c, void (*fn)(lint_ctx *, const wf_doc *, const wf_template *))
{
	const wf_set *s = lint_set(c);
	for (size_t i = 0; i < wf_set_count(s); i++) {
		const wf_doc *d = wf_set_doc(s, i);
		for (size_t t = 0; t < d->spec.ntemplates; t++)
			if (d->spec.templates[t].kind == TK_DAG)
				fn(c, d, &d->spec.templates[t]);
	}
}

typedef struct name_check {
	lint_ctx *c;
	const wf_template *t;
	const wf_task *k;
	const dag_graph *g; /* for lookups by name; NULL: search the tasks */
} name_check;

/* The first task of t named name[0..len), or -1. */
static long task_named(const name_check *n, const char *name, size_t len)
{
	if (n->g)
		return dag_task_index(n->g, name, len);
	for (size_t i = 0; i < n->t->ntasks; i++) {
		const char *tn = n->t->tasks[i].name;
		if (tn && strlen(tn) == len && !memcmp(tn, name, len))
			return (long)i;
	}
	return -1;
}

static int unknown_in_depends(void *u, const char *name, size_t len, dep_result r, size_t off)
{
	(void)off;
	name_check *n = u;
	long at = task_named(n, name, len);
	if (at >= 0) {
		const wf_task *o = &n->t->tasks[at];
		/* AnySucceeded/AllFailed are results of a fan-out's children */
		if ((r == DEP_ANY_SUCCEEDED || r == DEP_ALL_FAILED) && !o->with_items && !o->with_param &&
		    !o->with_sequence)
			lint_report(n->c, "dag-items-condition", n->k->depends_node, NULL,
				    "task '%s' depends on '%.*s.%s', but task '%.*s' has no withItems, withParam or "
				    "withSequence: it has no children for that to count, and Argo refuses the DAG",
				    n->k->name ? n->k->name : "?", (int)len, name,
				    r == DEP_ANY_SUCCEEDED ? "AnySucceeded" : "AllFailed", (int)len, name);
		return 0;
	}
	lint_report(n->c, "dag-unknown-task", n->k->depends_node, NULL,
		    "task '%s' depends on '%.*s', which is not a task of DAG template '%s'",
		    n->k->name ? n->k->name : "?", (int)len, name, n->t->name ? n->t->name : "?");
	return 0;
}

static void check_names(lint_ctx *c, const wf_doc *d, const wf_template *t)
{
	(void)d;
	dag_graph *g = dag_graph_new(t); /* NULL when out of memory: searches */
	for (size_t i = 0; i < t->ntasks; i++) {
		const wf_task *k = &t->tasks[i];
		name_check n = {c, t, k, g};
		if (k->depends) {
			size_t off;
			const char *msg;
			if (dep_eval(k->depends, unknown_in_depends, &n, NULL, &off, &msg))
				continue; /* dag-depends-syntax reports it */
		}
		const ynode *deps = k->dependencies;
		for (size_t j = 0; deps && deps->kind == YN_SEQ && j < deps->n; j++) {
			const char *s = yn_str(deps->item[j]);
			if (!s)
				continue;
			if (task_named(&n, s, strlen(s)) < 0)
				lint_report(c, "dag-unknown-task", deps->item[j], NULL,
					    "task '%s' depends on '%s', which is not a task of DAG template '%s'",
					    k->name ? k->name : "?", s, t->name ? t->name : "?");
		}
	}
	/* target: space-separated task names ({{...}} ones are resolved later) */
	const ynode *tn = yn_get(t->body, "target");
	const char *tg = yn_str(tn);
	for (const char *p = tg; p && *p;) {
		while (*p == ' ')
			p++;
		size_t len = strcspn(p, " ");
		if (!len)
			break;
		name_check n = {c, t, NULL, g};
		int known = task_named(&n, p, len) >= 0;
		int var = 0;
		for (size_t q = 0; q + 1 < len && !var; q++)
			var = p[q] == '{' && p[q + 1] == '{';
		if (!known && !var)
			lint_report(c, "dag-target", tn, NULL,
				    "target '%.*s' of DAG template '%s' is not one of its tasks: Argo refuses the "
				    "workflow", (int)len, p, t->name ? t->name : "?");
		p += len;
	}
	dag_graph_free(g);
}

static void check_syntax(lint_ctx *c, const wf_doc *d, const wf_template *t)
{
	(void)d;
	for (size_t i = 0; i < t->ntasks; i++) {
		const wf_task *k = &t->tasks[i];
		size_t off;
		const char *msg;
		if (k->depends && dep_eval(k->depends, NULL, NULL, NULL, &off, &msg))
			lint_report(c, "dag-depends-syntax", k->depends_node, NULL,
				    "task '%s': depends \"%s\": %s at character %zu", k->name ? k->name : "?",
				    k->depends, msg, off + 1);
	}
}

static void check_mixed(lint_ctx *c, const wf_doc *d, const wf_template *t)
{
	(void)d;
	const wf_task *dep = NULL, *deps = NULL;
	for (size_t i = 0; i < t->ntasks; i++) {
		if (t->tasks[i].depends_node && !dep)
			dep = &t->tasks[i];
		if (t->tasks[i].dependencies && !deps)
			deps = &t->tasks[i];
	}
	/* Argo asks it of the DAG: once any task uses depends, no task may
	 * have continueOn (its outcome belongs in the expressions). */
	for (size_t i = 0; dep && i < t->ntasks; i++)
		if (t->tasks[i].continue_on) {
			const wf_task *k = &t->tasks[i];
			if (k->depends_node)
				lint_report(c, "dag-continue-on-depends", yn_get_key(k->node, "continueOn"), NULL,
					    "task '%s' has both continueOn and depends; Argo refuses the DAG",
					    k->name ? k->name : "?");
			else
				lint_report(c, "dag-continue-on-depends", yn_get_key(k->node, "continueOn"), NULL,
					    "task '%s' has continueOn in a DAG whose tasks use depends (task '%s'); Argo "
					    "refuses the DAG", k->name ? k->name : "?", dep->name ? dep->name : "?");
		}
	if (dep && deps) {
		const wf_task *later = dep->node->line > deps->node->line ? dep : deps;
		lint_report(c, "dag-depends-and-dependencies",
			    later == dep ? dep->depends_node : deps->dependencies, NULL,
			    "DAG template '%s' uses 'depends' (task '%s') and 'dependencies' (task '%s'); Argo "
			    "allows only one of them per DAG",
			    t->name ? t->name : "?", dep->name ? dep->name : "?", deps->name ? deps->name : "?");
	}
}

static void check_cycles(lint_ctx *c, const wf_doc *d, const wf_template *t)
{
	(void)d;
	dag_graph *g = dag_graph_new(t);
	if (!g)
		return;
	unsigned char *on_cycle = dag_on_cycle(g); /* NULL: search from every task */
	for (size_t i = 0; i < t->ntasks; i++) {
		if (on_cycle && !on_cycle[i])
			continue;
		size_t path[16];
		size_t n = dag_cycle_from(g, i, path, 16);
		if (!n)
			continue;
		/* Report each cycle once: at its task with the smallest index. */
		int smallest = 1;
		for (size_t k = 1; k < n; k++)
			if (path[k] < i)
				smallest = 0;
		if (!smallest)
			continue;
		char buf[512];
		size_t o = 0;
		/* The path follows dependencies: task -> what it waits for. */
		for (size_t k = 0; k < n && o < sizeof buf; k++)
			o += (size_t)snprintf(buf + o, sizeof buf - o, "%s -> ", t->tasks[path[k]].name);
		if (o < sizeof buf)
			snprintf(buf + o, sizeof buf - o, "%s", t->tasks[i].name);
		lint_report(c, "dag-cycle", t->tasks[i].node, NULL,
			    "DAG template '%s' has a dependency cycle: %s (each waits for the next); Argo "
			    "refuses it", t->name ? t->name : "?", buf);
	}
	free(on_cycle);
	dag_graph_free(g);
}

static void dag_names(lint_ctx *c) { each_dag(c, check_names); }
static void dag_syntax(lint_ctx *c) { each_dag(c, check_syntax); }
static void dag_mixed(lint_ctx *c) { each_dag(c, check_mixed); }
static void dag_cycles(lint_ctx *c) { each_dag(c, check_cycles); }

const rule rules_dag[] = {
	{"dag-unknown-task", DIAG_ERROR, "a DAG task depends on a task that does not exist",
	 "Argo sorts a DAG's tasks by their dependencies before it runs anything; a dependency on a "
	 "name that is no task of the DAG fails the whole workflow at submission.",
	 "depend on an existing task of the same DAG (names are case-sensitive)",
	 "tasks:\n- name: train\n  depends: prepar   # typo\n",
	 "tasks:\n- name: prepare\n- name: train\n  depends: prepare\n", dag_names},
	{"dag-depends-syntax", DIAG_ERROR, "a depends expression does not parse",
	 "Argo evaluates `depends` as a boolean expression over task results (task.Succeeded, "
	 "task.Failed, ...) joined by &&, || and !; one it cannot parse stops the workflow.",
	 "write task names joined by && or ||, with results such as .Succeeded or .Failed",
	 "depends: prepare & fetch.Done\n", "depends: prepare && fetch.Succeeded\n", dag_syntax},
	{"dag-depends-and-dependencies", DIAG_ERROR, "a DAG uses both depends and dependencies",
	 "Argo reads a DAG's order either from `depends` or from `dependencies`, never both: a "
	 "template that mixes them is refused.",
	 "use depends everywhere in this DAG (dependencies: [a, b] is depends: a && b)",
	 "- name: b\n  depends: a\n- name: c\n  dependencies: [a]\n",
	 "- name: b\n  depends: a\n- name: c\n  depends: a\n", dag_mixed},
	{"dag-continue-on-depends", DIAG_ERROR, "continueOn in a DAG that uses depends",
	 "With `depends`, what a failed dependency means is said in the expression (a.Failed); Argo "
	 "refuses continueOn on any task of a DAG that uses depends.",
	 "drop continueOn and write the outcome in depends, e.g. a.Succeeded || a.Failed",
	 "- name: b\n  depends: a\n  continueOn: {failed: true}\n",
	 "- name: b\n  depends: a.Succeeded || a.Failed\n", NULL},
	{"dag-items-condition", DIAG_ERROR, "AnySucceeded or AllFailed on a task that does not fan out",
	 "`A.AnySucceeded` and `A.AllFailed` count the children of a task that runs withItems, "
	 "withParam or withSequence; on a task without them there is nothing to count and Argo "
	 "refuses the DAG.",
	 "use A.Succeeded / A.Failed, or fan A out",
	 "- name: a\n  template: train\n- name: b\n  depends: a.AnySucceeded\n",
	 "- name: a\n  template: train\n  withItems: [0, 1]\n- name: b\n  depends: a.AnySucceeded\n", NULL},
	{"dag-target", DIAG_ERROR, "a DAG target names no task",
	 "`target` runs only the named tasks (and what they depend on); Argo refuses a target that is "
	 "not a task of the DAG.",
	 "name tasks of this DAG, separated by spaces",
	 "dag:\n  target: evaluate\n  tasks: [{name: train, template: t}]\n",
	 "dag:\n  target: train\n  tasks: [{name: train, template: t}]\n", NULL},
	{"dag-cycle", DIAG_ERROR, "the tasks of a DAG depend on each other in a cycle",
	 "A task in a cycle waits for itself: Argo's topological sort fails and the workflow never "
	 "starts.",
	 "break the cycle: one of these tasks must not wait for the others",
	 "- name: a\n  depends: b\n- name: b\n  depends: a\n",
	 "- name: a\n- name: b\n  depends: a\n", dag_cycles},
};

const size_t rules_dag_count = sizeof rules_dag / sizeof rules_dag[0];
