/* test_one_source.c: each Kubernetes/Argo idea that lint, fix and
 * simulate all need is read by one function (issue 10). These cases pin
 * where the copies that used to exist disagreed, so the shared reading
 * is the one every caller now gets:
 * - depends: simulate's parser had no nesting cap (lint's did);
 * - StatefulSet: only fix knew "statefulset.apps"; lint took any word
 *   starting "statefulset"; simulate knew neither;
 * - GPUs: simulate read requests before limits and NVIDIA only;
 * - etcd image: simulate took any image with "etcd" in it (etcd-operator);
 * - shells: fix did not know ksh;
 * - etcd rendezvous: fix and simulate took any backend starting "etcd";
 * - etcd command: fix read argv[0] only (etcd, or a shell's -c script,
 *   flags anywhere in it); lint read the etcd command wherever it runs. */
#include "tests/unit/testutil.h"

#include "document/depends.h"
#include "document/torchrun.h"
#include "document/yaml.h"
#include "validate/objects.h"

/* ------------------------------------------------------------ depends */

/* Tasks a..z: a reference is true when its letter is in `truth`. */
typedef struct refs {
	const char *truth;
	char seen[64];
	size_t nseen;
	dep_result last;
} refs;

static int ref(void *u, const char *name, size_t len, dep_result r, size_t off)
{
	refs *x = u;
	(void)off;
	assert_int_equal(len, 1);
	if (x->nseen + 1 < sizeof x->seen)
		x->seen[x->nseen++] = name[0];
	x->last = r;
	return strchr(x->truth, name[0]) != NULL;
}

static int eval(const char *expr, const char *truth, refs *x)
{
	*x = (refs){.truth = truth};
	int v = -1;
	size_t off;
	const char *msg;
	if (dep_eval(expr, ref, x, &v, &off, &msg))
		return -1;
	return v;
}

static void test_depends_values(void **st)
{
	(void)st;
	refs x;
	assert_int_equal(eval("a && (b || !c)", "ab", &x), 1);
	assert_int_equal(eval("a && (b || !c)", "ac", &x), 0);
	assert_int_equal(eval("!!a", "a", &x), 1);
	assert_int_equal(eval("! a", "", &x), 1);
	assert_int_equal(eval("a || b && c", "a", &x), 1); /* && binds tighter */
	/* no short circuit: the simulator learns of every task named */
	assert_int_equal(eval("a || b", "a", &x), 1);
	assert_int_equal(x.nseen, 2);
	assert_int_equal(eval("a.AnySucceeded", "a", &x), 1);
	assert_int_equal(x.last, DEP_ANY_SUCCEEDED);
	assert_int_equal(eval("a.Errored", "", &x), 0);
	assert_int_equal(x.last, DEP_ERRORED);
	assert_int_equal(eval("a", "", &x), 0);
	assert_int_equal(x.last, DEP_DEFAULT);
	/* no callback: every reference is false, the syntax still checked */
	int v = -1;
	assert_int_equal(dep_eval("!a", NULL, NULL, &v, NULL, NULL), 0);
	assert_int_equal(v, 1);
}

static void expect_error(const char *expr, size_t want_off, const char *want_msg)
{
	size_t off = 999;
	const char *msg = NULL;
	assert_int_equal(dep_eval(expr, NULL, NULL, NULL, &off, &msg), -1);
	assert_int_equal(off, want_off);
	assert_non_null(strstr(msg, want_msg));
}

static void test_depends_errors(void **st)
{
	(void)st;
	expect_error("a.Foo", 2, "unknown task result");
	expect_error("a & b", 2, "doubled");
	expect_error("a b", 2, "expected && or ||");
	expect_error("(a", 2, "expected ')'");
	expect_error("", 0, "ends where a task name");
	expect_error("a && ", 5, "ends where a task name");
	expect_error("a && %", 5, "expected a task name");
}

/* Simulate used to recurse without a bound: 100 levels parse, 101 do not,
 * in lint and simulate alike. `!` does not recurse at all. */
static void test_depends_depth(void **st)
{
	(void)st;
	size_t n = 100;
	char *s = malloc(2 * n + 2);
	assert_non_null(s);
	memset(s, '(', n);
	s[n] = 'a';
	memset(s + n + 1, ')', n);
	s[2 * n + 1] = 0;
	refs x;
	assert_int_equal(eval(s, "a", &x), 1);
	free(s);
	n = 101;
	s = malloc(2 * n + 2);
	assert_non_null(s);
	memset(s, '(', n);
	s[n] = 'a';
	memset(s + n + 1, ')', n);
	s[2 * n + 1] = 0;
	expect_error(s, DEP_MAX_DEPTH, "nested too deep");
	free(s);
	n = 1000001; /* odd: the answer is negated */
	s = malloc(n + 2);
	assert_non_null(s);
	memset(s, '!', n);
	s[n] = 'a';
	s[n + 1] = 0;
	assert_int_equal(eval(s, "a", &x), 0);
	free(s);
}

/* --------------------------------------------------------- StatefulSet */

static int sts_word(const char *w)
{
	return ktype_is(w, strlen(w), "StatefulSet");
}

static void test_statefulset_type_words(void **st)
{
	(void)st;
	/* kubectl's names: any case, short, singular, plural, Kind */
	assert_true(sts_word("sts"));
	assert_true(sts_word("STS"));
	assert_true(sts_word("statefulset"));
	assert_true(sts_word("statefulsets"));
	assert_true(sts_word("StatefulSet"));
	/* qualified by group, or version and group (only fix knew .apps) */
	assert_true(sts_word("statefulset.apps"));
	assert_true(sts_word("statefulsets.apps"));
	assert_true(sts_word("statefulsets.v1.apps"));
	assert_true(sts_word("sts.apps"));
	/* lint took any word starting "statefulset" */
	assert_false(sts_word("statefulsetz"));
	assert_false(sts_word("statefulsets.batch"));
	assert_false(sts_word("statefulsets."));
	assert_false(sts_word("svc"));
	assert_false(sts_word(""));
	/* a word of a longer string: only len bytes count */
	assert_true(ktype_is("sts/etcd", 3, "StatefulSet"));
	/* the other kinds the simulator deletes */
	assert_string_equal(ktype_kind("svc", 3), "Service");
	assert_string_equal(ktype_kind("Services", 8), "Service");
	assert_string_equal(ktype_kind("pvc", 3), "PersistentVolumeClaim");
	assert_string_equal(ktype_kind("storageclass.storage.k8s.io", 27), "StorageClass");
	assert_null(ktype_kind("services.v1.apps", 16));
	assert_null(ktype_kind("widgets", 7));
}

static const ynode *parse(arena *a, const char *text)
{
	diag_list *dl = diag_list_new();
	yn_doc *docs = NULL;
	size_t nd = 0;
	assert_non_null(dl);
	assert_int_equal(yn_parse(a, "t.yaml", text, strlen(text), &yn_default_limits, NULL, dl, &docs, &nd), 0);
	diag_list_free(dl);
	assert_int_equal(nd, 1);
	return docs[0].root;
}

static void test_statefulset_manifests(void **st)
{
	(void)st;
	arena *a = arena_new();
	assert_true(kmanifest_is(parse(a, "{apiVersion: apps/v1, kind: StatefulSet}"), "StatefulSet"));
	assert_true(kmanifest_is(parse(a, "{apiVersion: apps/v1beta2, kind: StatefulSet}"), "StatefulSet"));
	assert_true(kmanifest_is(parse(a, "{kind: StatefulSet}"), "StatefulSet"));
	/* OpenKruise's Advanced StatefulSet is another controller's object */
	assert_false(kmanifest_is(parse(a, "{apiVersion: apps.kruise.io/v1beta1, kind: StatefulSet}"), "StatefulSet"));
	/* manifest kinds are case-sensitive, unlike kubectl's type words */
	assert_false(kmanifest_is(parse(a, "{apiVersion: apps/v1, kind: statefulset}"), "StatefulSet"));
	assert_true(kmanifest_is(parse(a, "{apiVersion: v1, kind: Service}"), "Service"));
	assert_false(kmanifest_is(parse(a, "{apiVersion: apps/v1, kind: Service}"), "Service"));
	arena_free(a);
}

/* ---------------------------------------------------------------- GPUs */

static double gpus(arena *a, const char *resources)
{
	char buf[512];
	snprintf(buf, sizeof buf, "{name: c, resources: %s}", resources);
	return kctr_gpus(parse(a, buf));
}

static void test_gpus(void **st)
{
	(void)st;
	arena *a = arena_new();
	/* limits first: simulate read requests first (2 here) */
	assert_true(gpus(a, "{limits: {nvidia.com/gpu: 4}, requests: {nvidia.com/gpu: 2}}") == 4.0);
	assert_true(gpus(a, "{limits: {nvidia.com/gpu: '8'}}") == 8.0);
	/* requests alone (the API server refuses it, lint says so): still read */
	assert_true(gpus(a, "{requests: {nvidia.com/gpu: 2}}") == 2.0);
	/* other vendors: simulate counted NVIDIA only */
	assert_true(gpus(a, "{limits: {amd.com/gpu: 2}}") == 2.0);
	assert_true(gpus(a, "{limits: {gpu.intel.com/i915: 1}}") == 1.0);
	assert_true(gpus(a, "{limits: {cpu: 4, memory: 16Gi}}") == 0.0);
	assert_true(gpus(a, "{}") == 0.0);
	/* not a number the linter can know */
	assert_true(gpus(a, "{limits: {nvidia.com/gpu: '{{inputs.parameters.g}}'}}") == -1.0);
	assert_true(gpus(a, "{limits: {nvidia.com/gpu: lots}}") == -1.0);
	arena_free(a);
}

/* ------------------------------------------------------ etcd and shells */

static void test_etcd_image(void **st)
{
	(void)st;
	assert_true(kimage_is_etcd("etcd"));
	assert_true(kimage_is_etcd("quay.io/coreos/etcd:v3.5.21"));
	assert_true(kimage_is_etcd("registry.k8s.io/etcd:3.5.9-0"));
	assert_true(kimage_is_etcd("gcr.io/google_containers/etcd-amd64:3.1.10"));
	assert_true(kimage_is_etcd("bitnami/etcd@sha256:0123"));
	/* simulate's strstr(image, "etcd") took these for etcd servers */
	assert_false(kimage_is_etcd("quay.io/coreos/etcd-operator:v0.9.4"));
	assert_false(kimage_is_etcd("example.com/my-etcd-proxy:1"));
	assert_false(kimage_is_etcd("etcdctl"));
	assert_false(kimage_is_etcd(NULL));
}

static void test_shell_and_backend(void **st)
{
	(void)st;
	assert_true(tr_is_shell("ksh")); /* fix did not know ksh */
	assert_true(tr_is_shell("/bin/ksh"));
	assert_true(tr_is_shell("bash"));
	assert_true(tr_is_shell("/bin/sh"));
	assert_false(tr_is_shell("python"));
	assert_false(tr_is_shell("/usr/bin/env"));
	assert_true(tr_backend_is_etcd("etcd"));
	assert_true(tr_backend_is_etcd("etcd-v2"));
	/* fix and simulate took any prefix "etcd"; torchrun knows only these */
	assert_false(tr_backend_is_etcd("etcd3"));
	assert_false(tr_backend_is_etcd("c10d"));
	assert_false(tr_backend_is_etcd(NULL));
}

/* The one reading of an etcd command line, with the places fix edits. */
static void test_etcd_command(void **st)
{
	(void)st;
	arena *a = arena_new();
	ketcd e;
	/* argv: each value's own element */
	const ynode *c = parse(a, "{image: x, command: [/usr/local/bin/etcd, --enable-v2=false, --name, n1]}");
	assert_int_equal(ketcd_read(a, c, &e), 1);
	assert_null(e.script);
	long i = ketcd_flag_index(&e, "--enable-v2");
	assert_true(i >= 0);
	assert_string_equal(e.flag[i].value, "false");
	assert_int_equal(e.flag[i].voff, strlen("--enable-v2="));
	assert_int_equal(e.flag[i].vlen, 5);
	i = ketcd_flag_index(&e, "--name");
	assert_ptr_equal(e.flag[i].vnode, yn_get(c, "command")->item[3]);
	/* ksh, and etcd after an env prefix: fix saw neither */
	c = parse(a, "{image: x, command: [ksh, -c, 'P=a=http://h:2380; env A=1 etcd --initial-cluster \"$P\"']}");
	assert_int_equal(ketcd_read(a, c, &e), 1);
	assert_ptr_equal(e.script, yn_get(c, "command")->item[2]);
	i = ketcd_flag_index(&e, "--initial-cluster");
	assert_string_equal(e.flag[i].value, "$P");
	assert_string_equal(ketcd_var(&e, "P", 1), "a=http://h:2380");
	const char *sc = e.script->str;
	assert_int_equal(e.flag[i].vlen, 4); /* "$P" with its quotes, as written */
	assert_memory_equal(sc + e.flag[i].voff, "\"$P\"", 4);
	assert_memory_equal(sc + e.at_off, "etcd", e.at_len);
	/* the etcd image's entrypoint with no command: configured by env */
	c = parse(a, "{image: quay.io/coreos/etcd:v3.5.21, env: [{name: ETCD_NAME, value: n}]}");
	assert_int_equal(ketcd_read(a, c, &e), 1);
	assert_ptr_equal(e.at, c);
	/* etcdctl is not etcd */
	c = parse(a, "{image: x, command: [etcdctl, --endpoints, h]}");
	assert_int_equal(ketcd_read(a, c, &e), 0);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_depends_values),
		cmocka_unit_test(test_depends_errors),
		cmocka_unit_test(test_depends_depth),
		cmocka_unit_test(test_statefulset_type_words),
		cmocka_unit_test(test_statefulset_manifests),
		cmocka_unit_test(test_gpus),
		cmocka_unit_test(test_etcd_image),
		cmocka_unit_test(test_shell_and_backend),
		cmocka_unit_test(test_etcd_command),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
