/* test_rules.c: the rule table is well formed: unique ids with a family
 * prefix, every row documented, and every id the loader reports listed. */
#include "tests/unit/testutil.h"

#include "document/workflow.h"
#include "validate/rules.h"

static void test_table(void **state)
{
	(void)state;
	assert_true(rule_count() > 0);
	for (size_t i = 0; i < rule_count(); i++) {
		const rule *r = rule_at(i);
		assert_non_null(strchr(r->id, '-'));
		assert_true(strlen(r->summary) > 10);
		assert_true(strlen(r->rationale) > 30);
		assert_true(strlen(r->hint) > 3);
		assert_non_null(r->bad);
		assert_non_null(r->good);
		for (size_t j = i + 1; j < rule_count(); j++)
			assert_string_not_equal(r->id, rule_at(j)->id);
		assert_ptr_equal(rule_find(r->id), r);
	}
	assert_null(rule_find("no-such-rule"));
}

/* A check that reports several rules sits on the first of their rows and
 * the others have none: lint_run calls every row's check, so a check on
 * two rows would run twice (twice the time, every finding twice). */
static void test_check_once(void **state)
{
	(void)state;
	for (size_t i = 0; i < rule_count(); i++)
		for (size_t j = i + 1; rule_at(i)->check && j < rule_count(); j++)
			if (rule_at(j)->check == rule_at(i)->check)
				fail_msg("%s and %s have the same check function", rule_at(i)->id, rule_at(j)->id);
}

static void test_loader_rules_listed(void **state)
{
	(void)state;
	const char *inputs[] = {"a: [", "a: b\xff", "kind: ConfigMap\n", "- x\n", "kind: Workflow\napiVersion: argoproj.io/v1alpha1\nspec: [1]\n"};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		wf_set *s = wf_set_new();
		diag_list *d = diag_list_new();
		char err[128];
		assert_int_equal(wf_set_load_mem(s, "x.yaml", inputs[i], strlen(inputs[i]), d, err, sizeof err), 0);
		assert_true(diag_count(d) > 0);
		for (size_t k = 0; k < diag_count(d); k++) {
			const diag *g = diag_get(d, k);
			const rule *r = rule_find(g->rule);
			assert_non_null(r);
			assert_int_equal(r->sev, g->sev);
		}
		wf_set_free(s);
		diag_list_free(d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_check_once),
		cmocka_unit_test(test_loader_rules_listed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
