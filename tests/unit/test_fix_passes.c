/* test_fix_passes.c: each fix on small workflows -- it fires where it must,
 * stays away from what is not its business (a shell script after -c, two
 * different mounts at one path, etcd 3.6), and declines with a reason. */
#include "tests/unit/testutil.h"

#include <stdio.h>

#include "document/workflow.h"
#include "validate/fix.h"

static fix_result *fix_str(const char *text)
{
	fix_result *r = NULL;
	char err[512];
	fix_opts o = {.out_name = "out.yaml"};
	if (fix_run("in.yaml", text, strlen(text), &o, &r, err, sizeof err))
		fail_msg("fix_run: %s", err);
	return r;
}

static const char *out_of(const fix_result *r)
{
	return fix_output(r, NULL);
}

static int logged(const fix_result *r, int applied, const char *fix, const char *needle)
{
	for (size_t i = 0; i < fix_change_count(r); i++) {
		const fix_change *c = fix_change_at(r, i);
		if (c->applied == applied && !strcmp(c->fix, fix) && (!needle || strstr(c->what, needle)))
			return 1;
	}
	return 0;
}

#define WF "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  generateName: t-\nspec:\n  entrypoint: main\n"

static void test_unchanged_input_is_returned_as_is(void **state)
{
	(void)state;
	const char *in = WF "  templates:  # comment kept\n  - name: main\n    container: {image: 'busybox:1.36', command: [sh, -c, sleep 10]}\n";
	fix_result *r = fix_str(in);
	assert_false(fix_changed(r));
	assert_string_equal(out_of(r), in);
	assert_int_equal(fix_change_count(r), 0);
	fix_result_free(r);
}

static void test_split_argv(void **state)
{
	(void)state;
	fix_result *r = fix_str(WF "  templates:\n  - name: main\n    container:\n      image: alpine:3\n"
				   "      command: [\"bash -c\"]\n      args: [\"echo a b; sleep 10\"]\n");
	assert_true(fix_changed(r));
	assert_non_null(strstr(out_of(r), "command: [bash, -c]\n"));
	assert_non_null(strstr(out_of(r), "echo a b; sleep 10"));
	assert_true(logged(r, 1, "split-argv", "bash -c"));
	fix_result_free(r);
	/* a word YAML would read as a number stays a string */
	r = fix_str(WF "  templates:\n  - name: main\n    container:\n      image: alpine:3\n      command: [\"sleep 10\"]\n");
	assert_non_null(strstr(out_of(r), "command: [sleep, '10']\n"));
	fix_result_free(r);
	/* shell syntax is not split */
	r = fix_str(WF "  templates:\n  - name: main\n    container:\n      image: alpine:3\n      command: [\"echo $X > f\"]\n");
	assert_false(fix_changed(r));
	fix_result_free(r);
}

static void test_dedupe_only_identical(void **state)
{
	(void)state;
	const char *two = WF "  templates:\n  - name: main\n    container:\n      image: alpine:3\n"
			     "      volumeMounts:\n      - {name: a, mountPath: /x}\n      - {name: b, mountPath: /x}\n"
			     "    volumes:\n    - {name: a, emptyDir: {}}\n    - {name: b, emptyDir: {}}\n";
	fix_result *r = fix_str(two);
	assert_false(fix_changed(r));
	fix_result_free(r);
	/* key order does not make mounts different */
	r = fix_str(WF "  templates:\n  - name: main\n    container:\n      image: alpine:3\n"
		       "      volumeMounts:\n      - {name: a, mountPath: /x}\n      - {mountPath: /x, name: a}\n"
		       "    volumes:\n    - {name: a, emptyDir: {}}\n");
	assert_true(logged(r, 1, "dedupe-mounts", NULL));
	wf_set *s = wf_set_new();
	diag_list *d = diag_list_new();
	char err[128];
	assert_int_equal(wf_set_load_mem(s, "o", out_of(r), strlen(out_of(r)), d, err, sizeof err), 0);
	assert_int_equal(wf_set_doc(s, 0)->spec.templates[0].main->volume_mounts->n, 1);
	wf_set_free(s);
	diag_list_free(d);
	fix_result_free(r);
}

static void test_shm_medium(void **state)
{
	(void)state;
	/* the volume is the workflow's; emptyDir written as null */
	fix_result *r = fix_str(WF "  volumes:\n  - name: shm\n    emptyDir:\n  templates:\n  - name: main\n"
				   "    container:\n      image: alpine:3\n      volumeMounts:\n      - {name: shm, mountPath: /dev/shm}\n");
	assert_true(logged(r, 1, "shm-memory", "shm"));
	assert_non_null(strstr(out_of(r), "emptyDir:\n      medium: Memory\n"));
	fix_result_free(r);
	/* a hostPath at /dev/shm is someone's choice */
	r = fix_str(WF "  templates:\n  - name: main\n    volumes:\n    - {name: shm, hostPath: {path: /dev/shm}}\n"
		       "    container:\n      image: alpine:3\n      volumeMounts:\n      - {name: shm, mountPath: /dev/shm}\n");
	assert_false(fix_changed(r));
	fix_result_free(r);
}

/* An etcd StatefulSet started straight from argv (no shell), a torchrun
 * with an etcd-v2 rendezvous, a DAG that uses `dependencies`. */
static const char etcd_argv[] = WF
	"  templates:\n"
	"  - name: main\n"
	"    dag:\n"
	"      tasks:\n"
	"      - {name: etcd, template: etcd}\n"
	"      - {name: train, template: train, dependencies: [etcd]}\n"
	"  - name: etcd\n"
	"    resource:\n"
	"      action: apply\n"
	"      manifest: |\n"
	"        apiVersion: apps/v1\n"
	"        kind: StatefulSet\n"
	"        metadata: {name: kv, namespace: ml}\n"
	"        spec:\n"
	"          serviceName: kv-peers\n"
	"          replicas: 1\n"
	"          selector: {matchLabels: {app: kv} }\n"
	"          template:\n"
	"            metadata: {labels: {app: kv, tier: x} }\n"
	"            spec:\n"
	"              containers:\n"
	"              - name: etcd\n"
	"                image: gcr.io/etcd-development/etcd\n"
	"                command: [/usr/local/bin/etcd]\n"
	"                args: [--name, $(POD_NAME), --initial-cluster, \"kv-0=http://kv-0.kv-peers:2380\",\n"
	"                       \"--initial-advertise-peer-urls=http://$(POD_NAME).kv-peers:2380\"]\n"
	"                ports: [{containerPort: 2379}]\n"
	"  - name: train\n"
	"    container:\n"
	"      image: pytorch/pytorch:2.1.0-cuda12.1-cudnn8-runtime\n"
	"      command: [torchrun]\n"
	"      args: [--nnodes, '1', --rdzv-backend=etcd-v2, --rdzv-endpoint, 'kv:2379', train.py]\n";

static void test_etcd_argv_form(void **state)
{
	(void)state;
	fix_result *r = fix_str(etcd_argv);
	const char *o = out_of(r);
	assert_true(logged(r, 1, "etcd-v2", "pinned"));
	assert_non_null(strstr(o, "image: gcr.io/etcd-development/etcd:v3.5."));
	assert_non_null(strstr(o, "- --enable-v2\n"));
	/* the peer URL was already right: not touched */
	assert_false(logged(r, 1, "etcd-peer-url", NULL));
	/* headless Service in the StatefulSet's namespace, a generated port
	 * name, and `dependencies` (Argo refuses a DAG mixing the two) */
	assert_non_null(strstr(o, "name: kv-peers\n          namespace: ml\n"));
	assert_non_null(strstr(o, "- name: port-2379\n"));
	assert_non_null(strstr(o, "dependencies: [create-kv-peers-headless-service]}\n"));
	assert_non_null(strstr(o, "      - name: create-kv-peers-headless-service\n        template: create-kv-peers-headless-service\n      - {name: etcd"));
	assert_non_null(strstr(o, "selector:\n            app: kv\n"));
	assert_null(strstr(o, "depends:"));
	fix_result *r2 = fix_str(o);
	assert_false(fix_changed(r2));
	fix_result_free(r2);
	fix_result_free(r);
}

static void test_etcd_declines(void **state)
{
	(void)state;
	/* etcd 3.6 has no v2 API: not downgraded, said so */
	char *in = strdup(etcd_argv);
	char *img = strstr(in, "gcr.io/etcd-development/etcd\n");
	assert_non_null(img);
	char buf[8192];
	snprintf(buf, sizeof buf, "%.*sgcr.io/etcd-development/etcd:v3.6.1\n%s", (int)(img - in), in,
		 img + strlen("gcr.io/etcd-development/etcd\n"));
	fix_result *r = fix_str(buf);
	assert_true(logged(r, 0, "etcd-v2", "3.6"));
	assert_non_null(strstr(out_of(r), "etcd:v3.6.1"));
	fix_result_free(r);
	/* no etcd rendezvous: the etcd is someone else's, left alone */
	char *be = strstr(in, "--rdzv-backend=etcd-v2");
	memcpy(be, "--rdzv-backend=c10d   ", strlen("--rdzv-backend=etcd-v2"));
	r = fix_str(in);
	assert_false(logged(r, 1, "etcd-v2", NULL));
	assert_null(strstr(out_of(r), "--enable-v2"));
	fix_result_free(r);
	free(in);
}

static void test_templated_manifest_keeps_expressions(void **state)
{
	(void)state;
	fix_result *r = fix_str(WF "  templates:\n  - name: main\n    resource:\n      action: create\n"
				   "      manifest: |\n        apiVersion: apps/v1\n        kind: StatefulSet\n"
				   "        metadata: {name: db}\n        spec:\n          serviceName: db\n"
				   "          selector: {matchLabels: {app: db} }\n          template:\n"
				   "            metadata:\n              labels: {app: db, run: \"{{workflow.name}}\" }\n"
				   "            spec: {containers: [{name: c, image: 'postgres:16'} ]}\n");
	const char *o = out_of(r);
	/* no caller: the Service is declined, said so */
	assert_true(logged(r, 0, "headless-service", "no DAG task"));
	assert_true(logged(r, 1, "apply-not-create", NULL));
	assert_non_null(strstr(o, "{{workflow.name}}"));
	fix_result_free(r);
}

static void test_refuses_broken_input(void **state)
{
	(void)state;
	fix_result *r = NULL;
	char err[512];
	const char *bad = WF "  templates: [\n";
	assert_int_equal(fix_run("bad.yaml", bad, strlen(bad), NULL, &r, err, sizeof err), FIX_ERR_INPUT);
	assert_null(r);
	assert_non_null(strstr(err, "bad.yaml:"));
	assert_non_null(strstr(err, "[yaml-syntax]"));
}

static void test_list(void **state)
{
	(void)state;
	assert_true(fix_pass_count() >= 8);
	for (size_t i = 0; i < fix_pass_count(); i++) {
		const char *n, *rules, *s;
		fix_pass_info(i, &n, &rules, &s);
		assert_non_null(n);
		assert_true(strlen(s) > 10);
		/* every pass answers a lint rule, but rescale, which --nodes asks for */
		if (strcmp(n, "rescale"))
			assert_non_null(strchr(rules, '-'));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unchanged_input_is_returned_as_is),
		cmocka_unit_test(test_split_argv),
		cmocka_unit_test(test_dedupe_only_identical),
		cmocka_unit_test(test_shm_medium),
		cmocka_unit_test(test_etcd_argv_form),
		cmocka_unit_test(test_etcd_declines),
		cmocka_unit_test(test_templated_manifest_keeps_expressions),
		cmocka_unit_test(test_refuses_broken_input),
		cmocka_unit_test(test_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
