/* dag.c: see dag.h. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "validate/dag.h"

#include "document/depends.h"
#include "document/grow.h"

/* -------------------------------------------------------------- graph */

struct dag_graph {
	const wf_template *t;
	size_t n;
	size_t **dep;     /* dep[i]: tasks i waits for */
	size_t *ndep, *cap;
	size_t *by_name;  /* named tasks' indexes by name, then index; NULL: search */
	size_t nnamed;
	int oom;
};

/* The first task of that name (a linear search's answer), by binary
 * search: a DAG of n tasks names n tasks, n^2 compares otherwise. */
long dag_task_index(const dag_graph *g, const char *name, size_t len)
{
	if (!g->by_name) {
		for (size_t i = 0; i < g->n; i++) {
			const char *tn = g->t->tasks[i].name;
			if (tn && strlen(tn) == len && !memcmp(tn, name, len))
				return (long)i;
		}
		return -1;
	}
	return wf_name_find(g->by_name, g->nnamed, g->t->tasks, sizeof *g->t->tasks, offsetof(wf_task, name),
			    name, len, 0);
}

/* g->by_name: sorted by name, equal names in index order (wf_name_sort). */
static void index_names(dag_graph *g)
{
	size_t *ix = malloc((g->n + 1) * sizeof *ix);
	size_t n = ix ? wf_name_sort(ix, g->t->tasks, g->n, sizeof *g->t->tasks, offsetof(wf_task, name))
		: (size_t)-1;
	if (n == (size_t)-1) {
		free(ix);
		return; /* dag_task_index searches */
	}
	g->by_name = ix;
	g->nnamed = n;
}

typedef struct adder {
	dag_graph *g;
	size_t from;
} adder;

static void add_edge(dag_graph *g, size_t from, size_t to)
{
	for (size_t k = 0; k < g->ndep[from]; k++)
		if (g->dep[from][k] == to)
			return;
	if (GROW(g->dep[from], g->ndep[from], g->cap[from], 4)) {
		g->oom = 1;
		return;
	}
	g->dep[from][g->ndep[from]++] = to;
}

static int on_dep_name(void *u, const char *name, size_t len, dep_result r, size_t off)
{
	(void)r, (void)off;
	adder *a = u;
	long j = dag_task_index(a->g, name, len);
	if (j >= 0)
		add_edge(a->g, a->from, (size_t)j);
	return 0;
}

dag_graph *dag_graph_new(const wf_template *t)
{
	dag_graph *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->t = t;
	g->n = t->ntasks;
	g->dep = calloc(g->n ? g->n : 1, sizeof *g->dep);
	g->ndep = calloc(g->n ? g->n : 1, sizeof *g->ndep);
	g->cap = calloc(g->n ? g->n : 1, sizeof *g->cap);
	if (!g->dep || !g->ndep || !g->cap) {
		dag_graph_free(g);
		return NULL;
	}
	index_names(g);
	for (size_t i = 0; i < g->n; i++) {
		const wf_task *k = &t->tasks[i];
		adder a = {g, i};
		if (k->depends)
			(void)dep_eval(k->depends, on_dep_name, &a, NULL, NULL, NULL);
		const ynode *d = k->dependencies;
		if (d && d->kind == YN_SEQ)
			for (size_t j = 0; j < d->n; j++) {
				const char *s = yn_str(d->item[j]);
				if (s)
					on_dep_name(&a, s, strlen(s), DEP_DEFAULT, 0);
			}
	}
	if (g->oom) {
		dag_graph_free(g);
		return NULL;
	}
	return g;
}

void dag_graph_free(dag_graph *g)
{
	if (!g)
		return;
	for (size_t i = 0; g->dep && i < g->n; i++)
		free(g->dep[i]);
	free(g->dep);
	free(g->ndep);
	free(g->cap);
	free(g->by_name);
	free(g);
}

int dag_is_ancestor(const dag_graph *g, size_t a, size_t b)
{
	/* Iterative search from b along its dependencies. */
	unsigned char *seen = calloc(g->n ? g->n : 1, 1);
	size_t *stack = malloc((g->n ? g->n : 1) * sizeof *stack);
	int found = 0;
	if (!seen || !stack) {
		free(seen);
		free(stack);
		return 1; /* out of memory: claim nothing wrong */
	}
	size_t sp = 0;
	stack[sp++] = b;
	seen[b] = 1;
	while (sp && !found) {
		size_t x = stack[--sp];
		for (size_t k = 0; k < g->ndep[x]; k++) {
			size_t y = g->dep[x][k];
			if (y == a) {
				found = 1;
				break;
			}
			if (!seen[y]) {
				seen[y] = 1;
				stack[sp++] = y;
			}
		}
	}
	free(seen);
	free(stack);
	return found;
}

/* Depth-first search, with an explicit stack (a DAG may have many
 * thousands of tasks), for a path from start back to itself. */
size_t dag_cycle_from(const dag_graph *g, size_t start, size_t *path, size_t max)
{
	size_t n = g->n ? g->n : 1;
	unsigned char *seen = calloc(n, 1);
	size_t *node = malloc(n * sizeof *node), *edge = malloc(n * sizeof *edge);
	size_t found = 0;
	if (!seen || !node || !edge)
		goto out;
	size_t sp = 0;
	node[sp] = start;
	edge[sp++] = 0;
	seen[start] = 1;
	while (sp && !found) {
		size_t x = node[sp - 1];
		if (edge[sp - 1] == g->ndep[x]) {
			sp--;
			continue;
		}
		size_t y = g->dep[x][edge[sp - 1]++];
		if (y == start) {
			found = sp < max ? sp : max;
			for (size_t k = 0; k < found; k++)
				path[k] = node[k];
		} else if (!seen[y]) {
			seen[y] = 1;
			node[sp] = y;
			edge[sp++] = 0;
		}
	}
out:
	free(seen);
	free(node);
	free(edge);
	return found;
}

/* Tarjan's strongly connected components, iteratively (a DAG may have
 * many thousands of tasks): a task lies on a cycle when its component
 * has more than one task, or it waits for itself. One pass, so a rule
 * that looks for cycles need not search from every task. */
unsigned char *dag_on_cycle(const dag_graph *g)
{
	size_t n = g->n ? g->n : 1, none = (size_t)-1;
	size_t *index = malloc(n * sizeof *index), *low = malloc(n * sizeof *low);
	size_t *stack = malloc(n * sizeof *stack), *call = malloc(n * sizeof *call);
	size_t *edge = malloc(n * sizeof *edge);
	unsigned char *on_stack = calloc(n, 1), *cyc = calloc(n, 1);
	if (!index || !low || !stack || !call || !edge || !on_stack || !cyc) {
		free(cyc);
		cyc = NULL;
		goto out;
	}
	for (size_t i = 0; i < g->n; i++)
		index[i] = none;
	size_t next = 0, sp = 0;
	for (size_t root = 0; root < g->n; root++) {
		if (index[root] != none)
			continue;
		size_t cp = 0;
		call[cp] = root, edge[cp++] = 0;
		index[root] = low[root] = next++;
		stack[sp++] = root, on_stack[root] = 1;
		while (cp) {
			size_t x = call[cp - 1];
			if (edge[cp - 1] < g->ndep[x]) {
				size_t y = g->dep[x][edge[cp - 1]++];
				if (y == x)
					cyc[x] = 1;
				if (index[y] == none) {
					index[y] = low[y] = next++;
					stack[sp++] = y, on_stack[y] = 1;
					call[cp] = y, edge[cp++] = 0;
				} else if (on_stack[y] && index[y] < low[x]) {
					low[x] = index[y];
				}
				continue;
			}
			cp--;
			if (cp && low[x] < low[call[cp - 1]])
				low[call[cp - 1]] = low[x];
			if (low[x] != index[x])
				continue;
			size_t size = 0, top = sp;
			do {
				on_stack[stack[--sp]] = 0;
				size++;
			} while (stack[sp] != x);
			for (size_t k = sp; size > 1 && k < top; k++)
				cyc[stack[k]] = 1;
		}
	}
out:
	free(index);
	free(low);
	free(stack);
	free(call);
	free(edge);
	free(on_stack);
	return cyc;
}
