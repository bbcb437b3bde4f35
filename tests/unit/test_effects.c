/* test_effects.c: lint findings become runtime effects placed on the
 * template they land in (validate/effects.h), as sim/ consumes them. */
#include "tests/unit/testutil.h"

#include "document/workflow.h"
#include "validate/effects.h"

static void test_table(void **state)
{
	(void)state;
	size_t with = 0;
	for (size_t i = 0; i < rule_count(); i++) {
		const rule *r = rule_at(i);
		rule_effect e = rule_effect_of(r);
		assert_true(e < FX_COUNT);
		if (e == FX_NONE)
			continue;
		with++;
		assert_int_equal(r->sev, DIAG_ERROR); /* only errors stop a run */
		assert_string_not_equal(rule_effect_name(e), "?");
	}
	assert_true(with >= 20);
	assert_int_equal(rule_effect_of(rule_find("pod-argv-space")), FX_START_ERROR);
	assert_int_equal(rule_effect_of(rule_find("pod-latest-always")), FX_NONE);
}

static const fx *find_rule(const fx_list *l, const char *rule)
{
	for (size_t i = 0; i < fx_count(l); i++)
		if (!strcmp(fx_at(l, i)->rule, rule))
			return fx_at(l, i);
	return NULL;
}

static void test_seed(void **state)
{
	(void)state;
	size_t len = 0;
	char *text = test_read_shared("seed/fine-tune-llama.yaml", &len);
	assert_non_null(text);
	wf_set *s = wf_set_new();
	diag_list *d = diag_list_new();
	char err[128];
	assert_int_equal(wf_set_load_mem(s, "seed.yaml", text, len, d, err, sizeof err), 0);
	const wf_doc *doc = wf_set_doc(s, 0);
	fx_list *l = fx_collect(s, doc, NULL, err, sizeof err);
	assert_non_null(l);
	const fx *e = find_rule(l, "pod-argv-space");
	assert_non_null(e);
	assert_int_equal(e->kind, FX_START_ERROR);
	assert_string_equal(e->tmpl, "wait-for-etcd-load-balancer-ip");
	assert_int_equal(e->line, 127);
	assert_ptr_equal(fx_find(l, "wait-for-etcd-load-balancer-ip", FX_START_ERROR), e);
	e = find_rule(l, "pod-duplicate-mount");
	assert_non_null(e);
	assert_int_equal(e->kind, FX_OBJECT_REFUSED);
	assert_string_equal(e->tmpl, "fine-tune-rank-n");
	assert_false(e->in_manifest);
	e = find_rule(l, "etcd-peer-url-mismatch");
	assert_non_null(e);
	assert_int_equal(e->kind, FX_CRASH_LOOP);
	assert_string_equal(e->tmpl, "create-etcd-stateful-set");
	assert_true(e->in_manifest);
	e = find_rule(l, "etcd-v2-disabled");
	assert_non_null(e);
	assert_int_equal(e->kind, FX_RDZV_404);
	e = find_rule(l, "torchrun-rdzv-id-constant");
	assert_non_null(e);
	assert_string_equal(e->tmpl, "fine-tune"); /* the DAG's task arguments */
	assert_null(find_rule(l, "pod-latest-always")); /* a warning does nothing at run time */
	assert_null(fx_find(l, "fine-tune-rank-n", FX_START_ERROR));
	fx_free(l);
	diag_list_free(d);
	wf_set_free(s);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_seed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
