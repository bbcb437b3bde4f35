/* dag.c: see dag.h. */
#include <stdlib.h>
#include <string.h>

#include "validate/dag.h"

/* ------------------------------------------------------------ grammar */

typedef struct parser {
	const char *s;
	size_t i;
	void (*on_name)(void *, const char *, size_t, size_t);
	void *u;
	const char *err;
	size_t err_off;
	unsigned depth;
} parser;

static void skip_ws(parser *p)
{
	while (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r')
		p->i++;
}

static int fail(parser *p, const char *msg)
{
	if (!p->err) {
		p->err = msg;
		p->err_off = p->i;
	}
	return -1;
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static const char *const results[] = {
	"Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Daemoned", "AnySucceeded", "AllFailed",
};

static int parse_or(parser *p);

static int parse_unary(parser *p)
{
	skip_ws(p);
	if (p->s[p->i] == '!') {
		p->i++;
		return parse_unary(p);
	}
	if (p->s[p->i] == '(') {
		if (++p->depth > 100)
			return fail(p, "parentheses nested too deep");
		p->i++;
		if (parse_or(p))
			return -1;
		skip_ws(p);
		if (p->s[p->i] != ')')
			return fail(p, "expected ')'");
		p->i++;
		p->depth--;
		return 0;
	}
	size_t start = p->i;
	while (name_char(p->s[p->i]))
		p->i++;
	if (p->i == start)
		return fail(p, p->s[p->i] ? "expected a task name" : "expression ends where a task name should be");
	p->on_name(p->u, p->s + start, p->i - start, start);
	if (p->s[p->i] == '.') {
		size_t rs = ++p->i;
		while (name_char(p->s[p->i]))
			p->i++;
		size_t n = p->i - rs;
		for (size_t k = 0; k < sizeof results / sizeof results[0]; k++)
			if (strlen(results[k]) == n && !memcmp(p->s + rs, results[k], n))
				return 0;
		p->i = rs;
		return fail(p, "unknown task result (Succeeded, Failed, Errored, Skipped, Omitted, Daemoned, "
			       "AnySucceeded, AllFailed)");
	}
	return 0;
}

static int parse_and(parser *p)
{
	if (parse_unary(p))
		return -1;
	for (;;) {
		skip_ws(p);
		if (p->s[p->i] != '&' || p->s[p->i + 1] != '&')
			return 0;
		p->i += 2;
		if (parse_unary(p))
			return -1;
	}
}

static int parse_or(parser *p)
{
	if (parse_and(p))
		return -1;
	for (;;) {
		skip_ws(p);
		if (p->s[p->i] != '|' || p->s[p->i + 1] != '|')
			return 0;
		p->i += 2;
		if (parse_and(p))
			return -1;
	}
}

int dag_depends_parse(const char *expr, void (*on_name)(void *, const char *, size_t, size_t), void *u,
		      size_t *err_off, const char **err_msg)
{
	parser p = {expr, 0, on_name, u, NULL, 0, 0};
	if (!parse_or(&p)) {
		skip_ws(&p);
		if (!p.s[p.i])
			return 0;
		fail(&p, p.s[p.i] == '&' || p.s[p.i] == '|' ? "use && and || (doubled)" : "expected && or ||");
	}
	*err_off = p.err_off;
	*err_msg = p.err;
	return -1;
}

/* -------------------------------------------------------------- graph */

struct dag_graph {
	const wf_template *t;
	size_t n;
	size_t **dep;     /* dep[i]: tasks i waits for */
	size_t *ndep, *cap;
	int oom;
};

long dag_task_index(const dag_graph *g, const char *name, size_t len)
{
	for (size_t i = 0; i < g->n; i++) {
		const char *tn = g->t->tasks[i].name;
		if (tn && strlen(tn) == len && !memcmp(tn, name, len))
			return (long)i;
	}
	return -1;
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
	if (g->ndep[from] == g->cap[from]) {
		size_t nc = g->cap[from] ? g->cap[from] * 2 : 4;
		size_t *nv = realloc(g->dep[from], nc * sizeof *nv);
		if (!nv) {
			g->oom = 1;
			return;
		}
		g->dep[from] = nv;
		g->cap[from] = nc;
	}
	g->dep[from][g->ndep[from]++] = to;
}

static void on_dep_name(void *u, const char *name, size_t len, size_t off)
{
	(void)off;
	adder *a = u;
	long j = dag_task_index(a->g, name, len);
	if (j >= 0)
		add_edge(a->g, a->from, (size_t)j);
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
	for (size_t i = 0; i < g->n; i++) {
		const wf_task *k = &t->tasks[i];
		adder a = {g, i};
		if (k->depends) {
			size_t off;
			const char *msg;
			(void)dag_depends_parse(k->depends, on_dep_name, &a, &off, &msg);
		}
		const ynode *d = k->dependencies;
		if (d && d->kind == YN_SEQ)
			for (size_t j = 0; j < d->n; j++) {
				const char *s = yn_str(d->item[j]);
				if (s)
					on_dep_name(&a, s, strlen(s), 0);
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
