/* test_dag.c: the DAG graph lint's order rules use. dag_on_cycle (one
 * pass of Tarjan's components) must say "on a cycle" for exactly the
 * tasks dag_cycle_from finds a cycle through, on random graphs with
 * chains, self-loops, overlapping cycles and tasks named twice. */
#include "tests/unit/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/diag.h"
#include "validate/dag.h"

static const wf_template *load_dag(wf_set *s, diag_list *d, const char *text)
{
	char err[256];
	assert_int_equal(wf_set_load_mem(s, "dag.yaml", text, strlen(text), d, err, sizeof err), 0);
	assert_int_equal(wf_set_count(s), 1);
	const wf_doc *doc = wf_set_doc(s, 0);
	for (size_t i = 0; i < doc->spec.ntemplates; i++)
		if (doc->spec.templates[i].kind == TK_DAG)
			return &doc->spec.templates[i];
	fail_msg("no DAG template");
	return NULL;
}

/* n tasks t0..t(n-1), each depending on the tasks deps[i] lists */
static char *dag_text(size_t n, size_t deps[][4], const size_t *ndeps)
{
	size_t cap = 256 + n * 128, len = 0;
	char *b = malloc(cap);
	assert_non_null(b);
	len += snprintf(b + len, cap - len,
			"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: d}\nspec:\n"
			"  entrypoint: main\n  templates:\n  - name: w\n    container: {image: busybox}\n"
			"  - name: main\n    dag:\n      tasks:\n");
	for (size_t i = 0; i < n; i++) {
		len += snprintf(b + len, cap - len, "      - name: t%zu\n        template: w\n", i);
		if (ndeps[i]) {
			len += snprintf(b + len, cap - len, "        dependencies: [");
			for (size_t k = 0; k < ndeps[i]; k++)
				len += snprintf(b + len, cap - len, "%st%zu", k ? ", " : "", deps[i][k]);
			len += snprintf(b + len, cap - len, "]\n");
		}
	}
	assert_true(len < cap);
	return b;
}

static void check_agrees(size_t n, size_t deps[][4], const size_t *ndeps, size_t *cycles)
{
	char *text = dag_text(n, deps, ndeps);
	wf_set *s = wf_set_new();
	diag_list *d = diag_list_new();
	const wf_template *t = load_dag(s, d, text);
	dag_graph *g = dag_graph_new(t);
	assert_non_null(g);
	unsigned char *on = dag_on_cycle(g);
	assert_non_null(on);
	for (size_t i = 0; i < n; i++) {
		size_t path[16];
		int through = dag_cycle_from(g, i, path, 16) > 0;
		if (through != on[i])
			fail_msg("task t%zu: dag_cycle_from says %d, dag_on_cycle %d\n%s", i, through, on[i], text);
		*cycles += through;
	}
	free(on);
	dag_graph_free(g);
	diag_list_free(d);
	wf_set_free(s);
	free(text);
}

static void test_known_shapes(void **state)
{
	(void)state;
	size_t c = 0;
	/* t0 <- t1 <- t2 (a chain), t3 <-> t4 (a pair), t5 waits for itself, t6 waits for the pair */
	size_t deps[7][4] = {{0}, {0}, {1}, {4}, {3}, {5}, {3}};
	size_t nd[7] = {0, 1, 1, 1, 1, 1, 1};
	check_agrees(7, deps, nd, &c);
	assert_int_equal(c, 3); /* t3, t4, t5 */
}

static void test_random_graphs(void **state)
{
	(void)state;
	unsigned long long x = 88172645463325252ULL; /* xorshift: the same graphs every run */
	size_t total = 0;
	for (int round = 0; round < 300; round++) {
		size_t n = 2 + round % 40;
		size_t deps[41][4], nd[41];
		for (size_t i = 0; i < n; i++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			nd[i] = x % 3; /* sparse: most graphs have no cycle, some several */
			for (size_t k = 0; k < nd[i]; k++) {
				x ^= x << 13, x ^= x >> 7, x ^= x << 17;
				deps[i][k] = x % n;
			}
		}
		check_agrees(n, deps, nd, &total);
	}
	assert_true(total > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_shapes),
		cmocka_unit_test(test_random_graphs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
