/* test_fix.c: `rehearse fix` on the seed -- the structure kubectl and Argo
 * need is there, the output lints without errors, fixing it again changes
 * nothing, and everything no fix touched is unchanged (a tree comparison
 * of input and output, manifests included, outside the changed paths). */
#include "tests/unit/testutil.h"

#include <stdio.h>

#include "document/workflow.h"
#include "validate/fix.h"

static fix_result *fix_text(const char *text, size_t len, unsigned nodes)
{
	fix_opts o = {.nodes = nodes, .out_name = "out.yaml"};
	fix_result *r = NULL;
	char err[512];
	int rc = fix_run("in.yaml", text, len, &o, &r, err, sizeof err);
	if (rc)
		fail_msg("fix_run: %s", err);
	return r;
}

static wf_set *load_text(const char *text, size_t len)
{
	wf_set *s = wf_set_new();
	diag_list *d = diag_list_new();
	char err[256];
	assert_int_equal(wf_set_load_mem(s, "x.yaml", text, len, d, err, sizeof err), 0);
	assert_int_equal(diag_count_at_least(d, DIAG_ERROR), 0);
	diag_list_free(d);
	return s;
}

static const ynode *manifest_root(const wf_doc *d, const char *tmpl)
{
	const wf_template *t = wf_find_template(d, tmpl);
	assert_non_null(t);
	assert_non_null(t->resource);
	assert_true(t->resource->manifest_parsed);
	assert_true(t->resource->ndocs >= 1);
	return t->resource->docs[0].root;
}

static const wf_task *task_named(const wf_template *t, const char *name)
{
	for (size_t i = 0; i < t->ntasks; i++)
		if (t->tasks[i].name && !strcmp(t->tasks[i].name, name))
			return &t->tasks[i];
	return NULL;
}

static int seq_has(const ynode *seq, const char *s)
{
	for (size_t i = 0; seq && i < seq->n; i++)
		if (yn_str(seq->item[i]) && !strcmp(seq->item[i]->str, s))
			return 1;
	return 0;
}

/* The seed's fixes, checked on the reloaded output as kubectl and Argo
 * would read it. */
static void check_fixed_seed(const char *text, size_t len)
{
	wf_set *s = load_text(text, len);
	assert_int_equal(wf_set_count(s), 1);
	const wf_doc *d = wf_set_doc(s, 0);

	/* The headless Service: a template creates it, with the StatefulSet's
	 * serviceName, selector and ports, and the StatefulSet's task waits
	 * for the task that runs it. */
	const ynode *sts = manifest_root(d, "create-etcd-stateful-set");
	const char *svc_name = yn_get_str(yn_get(sts, "spec"), "serviceName");
	assert_string_equal(svc_name, "etcd");
	const wf_template *svc_t = NULL;
	for (size_t i = 0; i < d->spec.ntemplates; i++) {
		const wf_template *t = &d->spec.templates[i];
		if (!t->resource || !t->resource->ndocs)
			continue;
		const ynode *r = t->resource->docs[0].root;
		if (!strcmp(yn_get_str(r, "kind"), "Service") &&
		    !strcmp(yn_get_str(yn_get(r, "metadata"), "name"), svc_name))
			svc_t = t;
	}
	assert_non_null(svc_t);
	const ynode *svc = svc_t->resource->docs[0].root;
	assert_string_equal(yn_get_str(yn_get(svc, "spec"), "clusterIP"), "None");
	const ynode *sel = yn_get(yn_get(svc, "spec"), "selector");
	const ynode *pod_labels = yn_get(yn_get(yn_get(yn_get(sts, "spec"), "template"), "metadata"), "labels");
	assert_non_null(sel);
	for (size_t i = 0; i < sel->n; i++)
		assert_string_equal(yn_get_str(pod_labels, sel->key[i]->str), sel->val[i]->str);
	const ynode *ports = yn_get(yn_get(svc, "spec"), "ports");
	assert_non_null(ports);
	assert_int_equal(ports->n, 2);
	assert_string_equal(yn_get_str(ports->item[1], "port"), "2380");
	const wf_template *dag = wf_find_template(d, "fine-tune");
	const wf_task *st = task_named(dag, "create-etcd-stateful-set");
	const wf_task *svt = NULL;
	for (size_t i = 0; i < dag->ntasks; i++)
		if (dag->tasks[i].tmpl && !strcmp(dag->tasks[i].tmpl, svc_t->name))
			svt = &dag->tasks[i];
	assert_non_null(svt);
	assert_non_null(strstr(st->depends, svt->name));
	assert_non_null(strstr(st->depends, "create-ssd-storage-class"));
	assert_string_equal(svt->depends, "create-ssd-storage-class");
	assert_string_equal(svc_t->resource->action, "apply");

	/* One /dev/shm mount, on a RAM-backed emptyDir. */
	const wf_template *rank = wf_find_template(d, "fine-tune-rank-n");
	const ynode *vm = rank->main->volume_mounts;
	size_t shm = 0;
	for (size_t i = 0; i < vm->n; i++)
		shm += !strcmp(yn_get_str(vm->item[i], "mountPath"), "/dev/shm");
	assert_int_equal(shm, 1);
	assert_int_equal(vm->n, 2);
	assert_string_equal(yn_get_str(yn_get(rank->volumes->item[0], "emptyDir"), "medium"), "Memory");
	assert_string_equal(yn_get_str(yn_get(rank->volumes->item[0], "emptyDir"), "sizeLimit"), "50Gi");

	/* argv split: bash, -c, then the script as the single argument. */
	const wf_template *wait = wf_find_template(d, "wait-for-etcd-load-balancer-ip");
	assert_int_equal(wait->main->command->n, 2);
	assert_string_equal(wait->main->command->item[0]->str, "bash");
	assert_string_equal(wait->main->command->item[1]->str, "-c");
	assert_int_equal(wait->main->args->n, 1);

	/* etcd: v2 API on, a 3.5 image, the peer URL the peer list uses. */
	const ynode *ctr = yn_get(yn_get(yn_get(yn_get(sts, "spec"), "template"), "spec"), "containers")->item[0];
	assert_non_null(strstr(yn_get_str(ctr, "image"), ":v3.5."));
	const char *script = yn_str(yn_get(ctr, "command")->item[2]);
	assert_non_null(strstr(script, "exec etcd --enable-v2 "));
	assert_non_null(strstr(script, "--initial-advertise-peer-urls http://${HOSTNAME}.etcd:2380 "));
	assert_null(strstr(script, "http://${HOSTNAME}:2380"));

	/* apply, never create, for the fixed-name objects. */
	for (size_t i = 0; i < d->spec.ntemplates; i++) {
		const wf_resource *r = d->spec.templates[i].resource;
		if (r)
			assert_string_not_equal(r->action, "create");
	}

	/* The exit handler takes the PVCs and the headless Service along;
	 * what it deleted before it still deletes. No --ignore-not-found:
	 * Argo's executor adds it to every delete. */
	const wf_template *del = wf_find_template(d, "delete-etcd-pod");
	const ynode *flags = del->resource->flags;
	assert_false(seq_has(flags, "--ignore-not-found"));
	assert_true(seq_has(flags, "svc/etcd-client"));
	assert_true(seq_has(flags, "sts/etcd"));
	assert_true(seq_has(flags, "svc/etcd"));
	assert_true(seq_has(flags, "pvc/data-etcd-0"));
	assert_true(seq_has(flags, "pvc/data-etcd-1"));
	assert_true(seq_has(flags, "pvc/data-etcd-2"));
	assert_false(seq_has(flags, "pvc/data-etcd-3"));

	/* A per-run rendezvous id for every rank (torchrun-rdzv-id-constant). */
	size_t ranks = 0;
	for (size_t i = 0; i < dag->ntasks; i++)
		for (size_t k = 0; k < dag->tasks[i].arguments.nparams; k++)
			if (!strcmp(dag->tasks[i].arguments.params[k].name, "rdvz-id")) {
				assert_string_equal(yn_str(dag->tasks[i].arguments.params[k].value), "{{workflow.uid}}");
				ranks++;
			}
	assert_int_equal(ranks, 4);
	wf_set_free(s);
}

static void test_seed(void **state)
{
	(void)state;
	const char *seeds[] = {"seed/fine-tune-llama.yaml", "seed/fine-tune-llama.hera-latest.yaml"};
	for (size_t k = 0; k < 2; k++) {
		size_t len;
		char *in = test_read_shared(seeds[k], &len);
		fix_result *r = fix_text(in, len, 0);
		assert_true(fix_changed(r));
		size_t olen;
		const char *out = fix_output(r, &olen);
		check_fixed_seed(out, olen);
		/* the output lints with no error finding */
		for (size_t i = 0; i < diag_count(fix_after(r)); i++)
			if (diag_get(fix_after(r), i)->sev == DIAG_ERROR)
				fail_msg("%s: error remains: %s:%u: %s [%s]", seeds[k], diag_get(fix_after(r), i)->file,
					 diag_get(fix_after(r), i)->line, diag_get(fix_after(r), i)->msg,
					 diag_get(fix_after(r), i)->rule);
		/* every change is logged with its input position */
		size_t applied = 0;
		for (size_t i = 0; i < fix_change_count(r); i++) {
			const fix_change *c = fix_change_at(r, i);
			applied += c->applied;
			if (c->applied) {
				assert_non_null(c->file);
				assert_string_equal(c->file, "in.yaml");
				assert_true(c->line > 0);
			}
		}
		assert_true(applied >= 8);
		/* fixing the output again changes nothing, byte for byte */
		fix_result *r2 = fix_text(out, olen, 0);
		size_t o2len;
		const char *o2 = fix_output(r2, &o2len);
		assert_false(fix_changed(r2));
		assert_int_equal(o2len, olen);
		assert_memory_equal(o2, out, olen);
		fix_result_free(r2);
		fix_result_free(r);
		free(in);
	}
}

/* ---- preservation: compare input and output trees outside changed paths */

struct cmp {
	const char *const *allowed;   /* path prefixes where differences are expected */
	size_t nallowed;
	char diffs[4096];
	size_t ndiffs;
};

static int allowed(const struct cmp *c, const char *path)
{
	for (size_t i = 0; i < c->nallowed; i++)
		if (!strncmp(path, c->allowed[i], strlen(c->allowed[i])))
			return 1;
	return 0;
}

static void differ(struct cmp *c, const char *path)
{
	if (allowed(c, path))
		return;
	c->ndiffs++;
	size_t l = strlen(c->diffs);
	snprintf(c->diffs + l, sizeof c->diffs - l, "%s\n", path);
}

static int named_items(const ynode *seq)
{
	for (size_t i = 0; i < seq->n; i++)
		if (!yn_get_str(seq->item[i], "name"))
			return 0;
	return seq->n > 0;
}

static const ynode *by_name(const ynode *seq, const char *name)
{
	for (size_t i = 0; i < seq->n; i++)
		if (!strcmp(yn_get_str(seq->item[i], "name"), name))
			return seq->item[i];
	return NULL;
}

/* Walk a and b together; list paths where they differ. Sequences of named
 * maps are matched by name (a fix may insert a template or a task). */
static void compare(struct cmp *c, const ynode *a, const ynode *b, const char *path)
{
	char sub[1024];
	if (!a || !b) {
		if (a != b)
			differ(c, path);
		return;
	}
	if (a->kind != b->kind) {
		differ(c, path);
		return;
	}
	switch (a->kind) {
	case YN_SCALAR:
		if (strcmp(a->str, b->str) || (a->style == YN_PLAIN) != (b->style == YN_PLAIN))
			differ(c, path);
		return;
	case YN_MAP:
		for (size_t i = 0; i < a->n; i++) {
			snprintf(sub, sizeof sub, "%s.%s", path, a->key[i]->str);
			compare(c, a->val[i], yn_get(b, a->key[i]->str), sub);
		}
		for (size_t i = 0; i < b->n; i++) {
			snprintf(sub, sizeof sub, "%s.%s", path, b->key[i]->str);
			if (!yn_get_key(a, b->key[i]->str))
				differ(c, sub);
		}
		return;
	case YN_SEQ:
		if (named_items(a) && named_items(b)) {
			for (size_t i = 0; i < a->n; i++) {
				const char *n = yn_get_str(a->item[i], "name");
				snprintf(sub, sizeof sub, "%s[%s]", path, n);
				compare(c, a->item[i], by_name(b, n), sub);
			}
			for (size_t i = 0; i < b->n; i++) {
				const char *n = yn_get_str(b->item[i], "name");
				snprintf(sub, sizeof sub, "%s[%s]", path, n);
				if (!by_name(a, n))
					differ(c, sub);
			}
			return;
		}
		if (a->n != b->n) {
			differ(c, path);
			return;
		}
		for (size_t i = 0; i < a->n; i++) {
			snprintf(sub, sizeof sub, "%s[%zu]", path, i);
			compare(c, a->item[i], b->item[i], sub);
		}
		return;
	}
}

static void test_preserves_untouched(void **state)
{
	(void)state;
	size_t len, olen;
	char *in = test_read_shared("seed/fine-tune-llama.yaml", &len);
	fix_result *r = fix_text(in, len, 0);
	const char *out = fix_output(r, &olen);
	wf_set *a = load_text(in, len), *b = load_text(out, olen);
	static const char *const changed[] = {
		".spec.templates[fine-tune].dag.tasks[create-etcd-headless-service]",
		".spec.templates[fine-tune].dag.tasks[create-etcd-stateful-set].depends",
		".spec.templates[create-etcd-headless-service]",
		".spec.templates[create-ssd-storage-class].resource.action",
		".spec.templates[create-etcd-stateful-set].resource.action",
		".spec.templates[create-etcd-stateful-set].resource.manifest",
		".spec.templates[create-etcd-load-balancer].resource.action",
		".spec.templates[wait-for-etcd-load-balancer-ip].container.command",
		".spec.templates[fine-tune-rank-n].container.volumeMounts",
		".spec.templates[fine-tune-rank-n].volumes[gpu-comm].emptyDir.medium",
		".spec.templates[delete-etcd-pod].resource.flags",
		".spec.templates[fine-tune].dag.tasks[finetune-rank-0].arguments.parameters[rdvz-id].value",
		".spec.templates[fine-tune].dag.tasks[finetune-rank-1].arguments.parameters[rdvz-id].value",
		".spec.templates[fine-tune].dag.tasks[finetune-rank-2].arguments.parameters[rdvz-id].value",
		".spec.templates[fine-tune].dag.tasks[finetune-rank-3].arguments.parameters[rdvz-id].value",
	};
	struct cmp c = {.allowed = changed, .nallowed = sizeof changed / sizeof changed[0]};
	compare(&c, wf_set_raw(a, 0)->root, wf_set_raw(b, 0)->root, "");
	if (c.ndiffs)
		fail_msg("changed outside the fixes' paths:\n%s", c.diffs);
	/* The paths that may change did, and only as the fixes say. */
	const wf_doc *da = wf_set_doc(a, 0), *db = wf_set_doc(b, 0);
	const ynode *fa = wf_find_template(da, "delete-etcd-pod")->resource->flags;
	const ynode *fb = wf_find_template(db, "delete-etcd-pod")->resource->flags;
	for (size_t i = 0; i < fa->n; i++)
		assert_string_equal(fa->item[i]->str, fb->item[i]->str);
	const ynode *va = wf_find_template(da, "fine-tune-rank-n")->main->volume_mounts;
	const ynode *vb = wf_find_template(db, "fine-tune-rank-n")->main->volume_mounts;
	assert_int_equal(va->n, 3);
	assert_int_equal(vb->n, 2);
	struct cmp none = {0};
	compare(&none, va->item[0], vb->item[0], "vm0");
	compare(&none, va->item[1], vb->item[1], "vm1");
	assert_int_equal(none.ndiffs, 0);

	/* Manifests: the StatefulSet differs only in the etcd image and the
	 * script; the others are the same trees. */
	static const char *const sts_changed[] = {
		".spec.template.spec.containers[etcd].image",
		".spec.template.spec.containers[etcd].command[2]",
	};
	struct cmp m = {.allowed = sts_changed, .nallowed = 2};
	compare(&m, manifest_root(da, "create-etcd-stateful-set"), manifest_root(db, "create-etcd-stateful-set"), "");
	compare(&m, manifest_root(da, "create-ssd-storage-class"), manifest_root(db, "create-ssd-storage-class"), "");
	compare(&m, manifest_root(da, "create-etcd-load-balancer"), manifest_root(db, "create-etcd-load-balancer"), "");
	if (m.ndiffs)
		fail_msg("manifests changed outside the fixes' paths:\n%s", m.diffs);
	wf_set_free(a);
	wf_set_free(b);
	fix_result_free(r);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_preserves_untouched),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
