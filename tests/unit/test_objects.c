/* test_objects.c: what the pod-/etcd-/k8s- rules read from a workflow --
 * manifest objects, pods of templates and manifests, etcd's flags from a
 * start script with its variables, and exact positions inside block
 * scripts (kpos), including when they cannot be known. */
#include "tests/unit/testutil.h"

#include <stdio.h>

#include "document/workflow.h"
#include "validate/objects.h"

static const char wf[] =
	"apiVersion: argoproj.io/v1alpha1\n"            /* 1 */
	"kind: Workflow\n"                              /* 2 */
	"metadata: {generateName: t-}\n"                /* 3 */
	"spec:\n"                                       /* 4 */
	"  entrypoint: sts\n"                           /* 5 */
	"  templates:\n"                                /* 6 */
	"  - name: sts\n"                               /* 7 */
	"    resource:\n"                               /* 8 */
	"      action: apply\n"                         /* 9 */
	"      manifest: |\n"                           /* 10 */
	"        apiVersion: apps/v1\n"                 /* 11 */
	"        kind: StatefulSet\n"                   /* 12 */
	"        metadata: {name: etcd}\n"              /* 13 */
	"        spec:\n"                               /* 14 */
	"          replicas: 2\n"                       /* 15 */
	"          template:\n"                         /* 16 */
	"            metadata:\n"                       /* 17 */
	"              labels: {app: etcd}\n"           /* 18 */
	"            spec:\n"                           /* 19 */
	"              containers:\n"                   /* 20 */
	"              - name: etcd\n"                  /* 21 */
	"                image: quay.io/coreos/etcd:v3.5.21\n" /* 22 */
	"                env:\n"                        /* 23 */
	"                - name: ME\n"                  /* 24 */
	"                  valueFrom:\n"                /* 25 */
	"                    fieldRef: {fieldPath: metadata.name}\n" /* 26 */
	"                command: [sh, -c]\n"           /* 27 */
	"                args:\n"                       /* 28 */
	"                - |\n"                         /* 29 */
	"                  P=\"a=http://$ME.x:2380\"\n"  /* 30 */
	"                  exec etcd --name $ME \\\n"   /* 31 */
	"                      --initial-cluster=${P} --enable-v2\n" /* 32 */
	"  - name: q\n"
	"    container:\n"
	"      image: x\n"
	"      command: [sh, -c, \"exec etcd --name n1\"]\n"
	"      resources: {limits: {nvidia.com/gpu: '2'}}\n";

static wf_set *load(const char *text)
{
	wf_set *s = wf_set_new();
	diag_list *d = diag_list_new();
	char err[256];
	assert_int_equal(wf_set_load_mem(s, "o.yaml", text, strlen(text), d, err, sizeof err), 0);
	assert_int_equal(diag_count_at_least(d, DIAG_ERROR), 0);
	diag_list_free(d);
	return s;
}

struct seen {
	int pods, manifest_pods;
	const ynode *etcd;
	long long replicas;
	double gpus;
};

static int on_pod(void *u, const kpod *p)
{
	struct seen *x = u;
	x->pods++;
	if (p->obj) {
		x->manifest_pods++;
		x->etcd = p->ctr[0];
		x->replicas = p->replicas;
		assert_string_equal(yn_get_str(p->labels, "app"), "etcd");
	} else if (p->tmpl->name && !strcmp(p->tmpl->name, "q")) {
		x->gpus = kctr_gpus(p->ctr[0]);
	}
	return 0;
}

static void test_pods_and_etcd(void **st)
{
	(void)st;
	wf_set *s = load(wf);
	const wf_doc *d = wf_set_doc(s, 0);
	kobj objs[KOBJ_MAX];
	size_t n = kobj_list(d, objs, KOBJ_MAX);
	assert_int_equal(n, 1);
	assert_non_null(kobj_created(objs, n, "StatefulSet", "etcd"));
	assert_null(kobj_created(objs, n, "Service", "etcd"));
	struct seen x = {0};
	assert_int_equal(kpod_each(s, objs, n, NULL, on_pod, &x), 0);
	assert_int_equal(x.pods, 2);
	assert_int_equal(x.manifest_pods, 1);
	assert_int_equal(x.replicas, 2);
	assert_true(x.gpus == 2.0);

	arena *a = arena_new();
	ketcd e;
	assert_int_equal(ketcd_read(a, x.etcd, &e), 1);
	const ynode *at;
	size_t off, len;
	const char *cl = ketcd_flag_at(&e, "--initial-cluster", &at, &off, &len);
	assert_string_equal(cl, "${P}");
	assert_null(ketcd_flag(&e, "--enable-v2", NULL)); /* a flag without a value */
	assert_string_equal(ketcd_flag(&e, "--name", NULL), "$ME");
	/* ME comes from metadata.name: the pod's name, i.e. HOSTNAME */
	assert_string_equal(ketcd_expand(a, &e, cl, "etcd-1"), "a=http://etcd-1.x:2380");
	assert_string_equal(ketcd_expand(a, &e, "$UNKNOWN/$ME", "h"), "$UNKNOWN/h");
	/* the flag's exact place in the script: line 32, after 22 spaces */
	ynode pos;
	const ynode *p = kpos(s, at, off, len, &pos);
	assert_ptr_equal(p, &pos);
	assert_int_equal(p->line, 32);
	assert_int_equal(p->col, 23);
	assert_int_equal(p->end_col, 22 + strlen("--initial-cluster=${P}"));
	/* the etcd word itself */
	p = kpos(s, e.at, e.at_off, e.at_len, &pos);
	assert_int_equal(p->line, 31);
	assert_int_equal(p->col, 24);
	/* a quoted scalar: no exact place, the scalar's own position */
	const wf_template *q = wf_find_template(d, "q");
	assert_int_equal(ketcd_read(a, q->main->node, &e), 1);
	const ynode *qat;
	ketcd_flag_at(&e, "--name", &qat, &off, &len);
	assert_ptr_equal(kpos(s, qat, off, len, &pos), qat);
	arena_free(a);
	wf_set_free(s);
}

static void test_images(void **st)
{
	(void)st;
	char b[64];
	assert_true(kimage_is("quay.io/coreos/etcd:v3.5.0", "etcd"));
	assert_true(kimage_is("etcd", "etcd"));
	assert_false(kimage_is("quay.io/coreos/etcd-operator:v1", "etcd"));
	assert_string_equal(kimage_tag("quay.io/coreos/etcd", b, sizeof b), "latest");
	assert_string_equal(kimage_tag("registry:5000/etcd:v3.4", b, sizeof b), "v3.4");
	assert_string_equal(kimage_tag("registry:5000/etcd", b, sizeof b), "latest");
	assert_null(kimage_tag("etcd@sha256:abc", b, sizeof b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pods_and_etcd),
		cmocka_unit_test(test_images),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
