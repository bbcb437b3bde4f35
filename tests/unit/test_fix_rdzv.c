/* test_fix_rdzv.c: the rdzv-id fix on small workflows -- a constant id in
 * argv, in a `bash -c` script, or no id at all becomes {{workflow.uid}};
 * a c10d rendezvous (no state kept between runs) and a per-run id are left
 * alone; and the output no longer has torchrun-rdzv-id-constant. */
#include "tests/unit/testutil.h"

#include <stdio.h>

#include "document/workflow.h"
#include "validate/fix.h"
#include "validate/rules.h"

#define WF                                                                                              \
	"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: t-\nspec:\n"       \
	"  entrypoint: main\n  templates:\n  - name: main\n    dag:\n      tasks:\n"                       \
	"      - {name: r0, template: rank}\n      - {name: r1, template: rank}\n  - name: rank\n"       \
	"    container:\n      image: trainer:1\n"

static fix_result *fix_str(const char *text)
{
	fix_result *r = NULL;
	char err[512];
	fix_opts o = {.out_name = "out.yaml"};
	if (fix_run("in.yaml", text, strlen(text), &o, &r, err, sizeof err))
		fail_msg("fix_run: %s", err);
	return r;
}

/* How many findings of `rule` lint gives on text. */
static size_t findings(const char *text, const char *rule)
{
	wf_set *s = wf_set_new();
	diag_list *d = diag_list_new();
	char err[256];
	assert_int_equal(wf_set_load_mem(s, "x.yaml", text, strlen(text), d, err, sizeof err), 0);
	assert_int_equal(lint_run(s, NULL, d), 0);
	size_t n = 0;
	for (size_t i = 0; i < diag_count(d); i++)
		n += !strcmp(diag_get(d, i)->rule, rule);
	diag_list_free(d);
	wf_set_free(s);
	return n;
}

static void fixed(const char *in, const char *want)
{
	assert_int_equal(findings(in, "torchrun-rdzv-id-constant"), 1);
	fix_result *r = fix_str(in);
	const char *out = fix_output(r, NULL);
	assert_true(fix_changed(r));
	if (!strstr(out, want))
		fail_msg("output lacks %s:\n%s", want, out);
	assert_int_equal(findings(out, "torchrun-rdzv-id-constant"), 0);
	fix_result_free(r);
}

static void unchanged(const char *in)
{
	fix_result *r = fix_str(in);
	assert_false(fix_changed(r));
	fix_result_free(r);
}

static void test_argv_literal(void **st)
{
	(void)st;
	fixed(WF "      command: [torchrun, --nnodes, '2', --rdzv-backend, etcd, --rdzv-endpoint, 'e:2379',"
		 " --rdzv-id, job7, t.py]\n",
	      "--rdzv-id, '{{workflow.uid}}',");
	fixed(WF "      command: [torchrun, --nnodes=2, --rdzv_backend=etcd-v2, --rdzv_endpoint=e:2379,"
		 " --rdzv_id=job7, t.py]\n",
	      "'--rdzv_id={{workflow.uid}}'");
}

static void test_absent(void **st)
{
	(void)st;
	fixed(WF "      command: [torchrun, --nnodes, '2', --rdzv-backend, etcd, --rdzv-endpoint, 'e:2379', t.py, --x]\n",
	      "--rdzv-id, '{{workflow.uid}}',");
}

static void test_script(void **st)
{
	(void)st;
	fixed(WF "      command: [bash, -c]\n      args:\n      - |\n        set -e\n"
		 "        torchrun --nnodes 2 --rdzv-backend etcd --rdzv-endpoint e:2379 --rdzv-id 'abc' t.py\n",
	      "--rdzv-id \"{{workflow.uid}}\" t.py");
}

static void test_left_alone(void **st)
{
	(void)st;
	/* c10d keeps its store in rank 0's agent: nothing survives the run */
	unchanged(WF "      command: [torchrun, --nnodes, '2', --rdzv-backend, c10d, --rdzv-endpoint, 'r0:29400',"
		     " --rdzv-id, job7, t.py]\n");
	/* already per run */
	unchanged(WF "      command: [torchrun, --nnodes, '2', --rdzv-backend, etcd, --rdzv-endpoint, 'e:2379',"
		     " --rdzv-id, '{{workflow.name}}', t.py]\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv_literal),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_script),
		cmocka_unit_test(test_left_alone),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
