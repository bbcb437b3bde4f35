/* test_workflow.c: loading files into the IR -- the seed, the corpus, and
 * positions that point into the outer file, inside manifests too. */
#include "tests/unit/testutil.h"

#include <stddef.h>
#include <stdio.h>

#include "document/workflow.h"

static char path_buf[4096];

static const char *shared(const char *rel)
{
	snprintf(path_buf, sizeof path_buf, "%s/%s", test_shared_dir(), rel);
	return path_buf;
}

/* Where `needle` first occurs in `file`, at or after line `from`: computed
 * from the text, independently of the loader. */
static void find_in_file(const char *file, const char *needle, unsigned from, unsigned *line, unsigned *col)
{
	FILE *f = fopen(file, "r");
	assert_non_null(f);
	char buf[8192];
	*line = 0;
	for (unsigned l = 1; fgets(buf, sizeof buf, f); l++) {
		char *p = l >= from ? strstr(buf, needle) : NULL;
		if (p) {
			*line = l;
			*col = (unsigned)(p - buf) + 1;
			break;
		}
	}
	fclose(f);
	assert_int_not_equal(*line, 0);
}

static const ynode *find_scalar(const ynode *n, const char *s)
{
	if (!n)
		return NULL;
	if (n->kind == YN_SCALAR)
		return !strcmp(n->str, s) ? n : NULL;
	for (size_t i = 0; i < n->n; i++) {
		const ynode *r = find_scalar(n->kind == YN_MAP ? n->val[i] : n->item[i], s);
		if (r)
			return r;
	}
	return NULL;
}

static void check_seed(const char *rel)
{
	char file[4096];
	snprintf(file, sizeof file, "%s", shared(rel));
	wf_set *s = wf_set_new();
	diag_list *d = diag_list_new();
	char err[256];
	assert_int_equal(wf_set_load_file(s, file, d, err, sizeof err), 0);
	assert_int_equal(diag_count(d), 0);
	assert_int_equal(wf_set_count(s), 1);
	const wf_doc *w = wf_set_doc(s, 0);
	assert_int_equal(w->kind, WF_WORKFLOW);
	assert_string_equal(w->generate_name, "fine-tune-llm-");
	assert_string_equal(w->spec.entrypoint, "fine-tune");
	assert_string_equal(w->spec.on_exit, "exit");
	assert_int_equal(w->spec.ntemplates, 8);
	assert_int_equal(yn_get(w->spec.volume_claim_templates, "x") == NULL, 1);
	assert_int_equal(w->spec.volume_claim_templates->n, 4);

	const wf_template *dag = wf_find_template(w, "fine-tune");
	assert_non_null(dag);
	assert_int_equal(dag->kind, TK_DAG);
	assert_int_equal(dag->ntasks, 8);
	const wf_task *r2 = &dag->tasks[6];
	assert_string_equal(r2->name, "finetune-rank-2");
	assert_string_equal(r2->tmpl, "fine-tune-rank-n");
	assert_string_equal(r2->depends, "wait-for-etcd-load-balancer-ip");
	assert_int_equal(r2->arguments.nparams, 4);
	assert_string_equal(r2->arguments.params[1].name, "node-rank");
	assert_string_equal(yn_str(r2->arguments.params[1].value), "2");

	/* Positions of IR nodes match the text. */
	unsigned line, col;
	find_in_file(file, "name: finetune-rank-2", 1, &line, &col);
	const ynode *name = yn_get(r2->node, "name");
	assert_int_equal(name->line, line);
	assert_int_equal(name->col, col + 6);

	const wf_template *rank = wf_find_template(w, "fine-tune-rank-n");
	assert_int_equal(rank->kind, TK_CONTAINER);
	assert_string_equal(rank->main->image, "flaviuvadan/kubecon-na-23-finetune-llama2:latest");
	find_in_file(file, "flaviuvadan/kubecon", 1, &line, &col);
	assert_int_equal(rank->main->image_node->line, line);
	assert_int_equal(rank->main->image_node->col, col);
	assert_int_equal(rank->inputs.nparams, 4);

	/* Inside the etcd StatefulSet manifest: nodes point into this file. */
	const wf_template *sts = wf_find_template(w, "create-etcd-stateful-set");
	assert_int_equal(sts->kind, TK_RESOURCE);
	assert_string_equal(sts->resource->action, "create");
	assert_true(sts->resource->manifest_parsed);
	assert_int_equal(sts->resource->ndocs, 1);
	const ynode *m = sts->resource->docs[0].root;
	assert_string_equal(yn_get_str(m, "kind"), "StatefulSet");
	assert_string_equal(yn_get_str(yn_get(m, "spec"), "serviceName"), "etcd");
	const ynode *img = find_scalar(m, "quay.io/coreos/etcd:latest");
	assert_non_null(img);
	find_in_file(file, "quay.io/coreos/etcd:latest", 1, &line, &col);
	assert_int_equal(img->line, line);
	assert_int_equal(img->col, col);
	assert_string_equal(img->file, file);
	const ynode *rep = yn_get(yn_get(m, "spec"), "replicas");
	find_in_file(file, "replicas: 3", 1, &line, &col);
	assert_int_equal(rep->line, line);
	assert_int_equal(rep->col, col + 10);

	const wf_template *sc = wf_find_template(w, "create-ssd-storage-class");
	const ynode *mode = yn_get(sc->resource->docs[0].root, "volumeBindingMode");
	find_in_file(file, "WaitForFirstConsumer", 1, &line, &col);
	assert_int_equal(mode->line, line);
	assert_int_equal(mode->col, col);

	wf_set_free(s);
	diag_list_free(d);
}

/* wf_name_sort: named elements by name, equal names in index order (the
 * lookups of templates and DAG tasks rest on it), unnamed ones left out. */
static void test_name_sort(void **state)
{
	(void)state;
	struct item {
		int pad;
		const char *name;
	} v[] = {{0, "b"}, {0, NULL}, {0, "a"}, {0, "b"}, {0, "c"}, {0, "a"}, {0, ""}};
	size_t ix[7];
	size_t n = wf_name_sort(ix, v, 7, sizeof v[0], offsetof(struct item, name));
	assert_int_equal(n, 6);
	const size_t want[] = {6, 2, 5, 0, 3, 4};
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ix[i], want[i]);
	/* wf_name_find: the first or the last of equal names, by a name's bytes */
	size_t off = offsetof(struct item, name);
	assert_int_equal(wf_name_find(ix, n, v, sizeof v[0], off, "b", 1, 0), 0);
	assert_int_equal(wf_name_find(ix, n, v, sizeof v[0], off, "b", 1, 1), 3);
	assert_int_equal(wf_name_find(ix, n, v, sizeof v[0], off, "a", 1, 0), 2);
	assert_int_equal(wf_name_find(ix, n, v, sizeof v[0], off, "a", 1, 1), 5);
	assert_int_equal(wf_name_find(ix, n, v, sizeof v[0], off, "c", 1, 1), 4);
	assert_int_equal(wf_name_find(ix, n, v, sizeof v[0], off, "", 0, 0), 6);
	assert_int_equal(wf_name_find(ix, n, v, sizeof v[0], off, "bc", 1, 0), 0); /* len counts */
	assert_int_equal(wf_name_find(ix, n, v, sizeof v[0], off, "bb", 2, 0), -1);
	assert_int_equal(wf_name_find(ix, n, v, sizeof v[0], off, "0", 1, 1), -1);
	assert_int_equal(wf_name_find(ix, n, v, sizeof v[0], off, "d", 1, 0), -1);
	assert_int_equal(wf_name_find(ix, 0, v, sizeof v[0], off, "a", 1, 1), -1);
	assert_int_equal(wf_name_sort(ix, v, 0, sizeof v[0], offsetof(struct item, name)), 0);
}

static void test_seed_positions(void **state)
{
	(void)state;
	check_seed("seed/fine-tune-llama.yaml");           /* manifests as "..." strings */
	check_seed("seed/fine-tune-llama.hera-latest.yaml"); /* manifests as | blocks */
}

static size_t nfiles, nerrors, nskipped, ndocs;

static void load_one(const char *p, void *ctx)
{
	(void)ctx;
	wf_set *s = wf_set_new();
	diag_list *dl = diag_list_new();
	char err[512];
	int rc = wf_set_load_file(s, p, dl, err, sizeof err);
	if (rc)
		fprintf(stderr, "load error: %s\n", err);
	assert_int_equal(rc, 0);
	for (size_t i = 0; i < diag_count(dl); i++) {
		const diag *g = diag_get(dl, i);
		if (g->sev == DIAG_ERROR) {
			fprintf(stderr, "%s:%u:%u: %s [%s]\n", g->file, g->line, g->col, g->msg, g->rule);
			nerrors++;
		} else if (!strcmp(g->rule, "load-skipped")) {
			nskipped++;
		}
	}
	nfiles++;
	ndocs += wf_set_count(s);
	wf_set_free(s);
	diag_list_free(dl);
}

static void test_corpus_loads(void **state)
{
	(void)state;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/corpus", test_shared_dir());
	test_walk_files(dir, load_one, NULL);
	printf("corpus: %zu files, %zu workflow documents, %zu other documents skipped, %zu loader errors\n",
	       nfiles, ndocs, nskipped, nerrors);
	assert_true(nfiles >= 700);
	assert_true(ndocs >= 690);
	assert_int_equal(nerrors, 0);
}

static void load_str(const char *text, wf_set **s, diag_list **d)
{
	*s = wf_set_new();
	*d = diag_list_new();
	char err[256];
	assert_int_equal(wf_set_load_mem(*s, "mem.yaml", text, strlen(text), *d, err, sizeof err), 0);
}

static void test_kinds_and_skips(void **state)
{
	(void)state;
	wf_set *s;
	diag_list *d;
	load_str("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n"
		 "apiVersion: argoproj.io/v1alpha1\nkind: CronWorkflow\nmetadata: {name: cw}\n"
		 "spec:\n  schedule: '* * * * *'\n  workflowSpec:\n    entrypoint: main\n"
		 "    templates:\n    - name: main\n      steps:\n      - - name: a\n          template: t\n"
		 "        - name: b\n          template: t\n      - - name: c\n          template: t\n"
		 "    - name: t\n      script:\n        image: python\n        source: print(1)\n",
		 &s, &d);
	assert_int_equal(diag_count(d), 1);
	assert_string_equal(diag_get(d, 0)->rule, "load-skipped");
	assert_int_equal(diag_get(d, 0)->sev, DIAG_NOTE);
	assert_int_equal(wf_set_count(s), 1);
	assert_int_equal(wf_set_raw_count(s), 2);
	const wf_doc *w = wf_set_doc(s, 0);
	assert_int_equal(w->kind, WF_CRON_WORKFLOW);
	assert_non_null(w->cron_spec);
	assert_string_equal(w->spec.entrypoint, "main");
	const wf_template *m = wf_find_template(w, "main");
	assert_int_equal(m->kind, TK_STEPS);
	assert_int_equal(m->ngroups, 2);
	assert_int_equal(m->groups[0].n, 2);
	assert_string_equal(m->groups[1].steps[0].name, "c");
	const wf_template *t = wf_find_template(w, "t");
	assert_int_equal(t->kind, TK_SCRIPT);
	assert_string_equal(t->main->source, "print(1)");
	size_t len;
	const char *line = wf_set_line(s, "mem.yaml", 2, &len);
	assert_int_equal(len, strlen("kind: ConfigMap"));
	assert_memory_equal(line, "kind: ConfigMap", len);
	assert_null(wf_set_line(s, "mem.yaml", 999, &len));
	wf_set_free(s);
	diag_list_free(d);
}

static void test_structure_errors(void **state)
{
	(void)state;
	wf_set *s;
	diag_list *d;
	load_str("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  templates:\n    name: main\n", &s, &d);
	assert_int_equal(diag_count(d), 1);
	assert_string_equal(diag_get(d, 0)->rule, "yaml-structure");
	assert_int_equal(diag_get(d, 0)->line, 5);
	wf_set_free(s);
	diag_list_free(d);

	load_str("- just\n- a list\n", &s, &d);
	assert_string_equal(diag_get(d, 0)->rule, "yaml-structure");
	wf_set_free(s);
	diag_list_free(d);
}

static void test_templated_manifest(void **state)
{
	(void)state;
	wf_set *s;
	diag_list *d;
	load_str("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  templates:\n  - name: r\n"
		 "    resource:\n      action: create\n      manifest: |\n        kind: Pod\n"
		 "        metadata:\n          name: {{inputs.parameters.n}}\n", &s, &d);
	assert_int_equal(diag_count(d), 0);
	const wf_resource *r = wf_set_doc(s, 0)->spec.templates[0].resource;
	assert_true(r->manifest_parsed);
	assert_true(r->templated);
	const ynode *name = yn_get(yn_get(r->docs[0].root, "metadata"), "name");
	assert_string_equal(name->str, "__inputs.parameters.n__");
	assert_int_equal(name->line, 11);
	assert_int_equal(name->col, 17);
	wf_set_free(s);
	diag_list_free(d);
}

static void test_io_errors(void **state)
{
	(void)state;
	wf_set *s = wf_set_new();
	diag_list *d = diag_list_new();
	char err[256];
	assert_int_equal(wf_set_load_file(s, "/nonexistent/x.yaml", d, err, sizeof err), -1);
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(wf_set_load_file(s, "/", d, err, sizeof err), -1);
	assert_non_null(strstr(err, "directory"));
	wf_set_free(s);
	diag_list_free(d);
}

/* workflowTemplateRef and templateRef across files: resolved in the set,
 * joined as Argo joins a Workflow onto its WorkflowTemplate. */
static void test_join_and_template_ref(void **state)
{
	(void)state;
	static const char wf[] =
		"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: w-}\n"
		"spec:\n  workflowTemplateRef: {name: shared}\n"
		"  arguments: {parameters: [{name: epochs, value: '3'}, {name: extra, value: x}]}\n"
		"  templates:\n  - name: echo\n    container: {image: mine, command: [echo]}\n";
	static const char tm[] =
		"apiVersion: argoproj.io/v1alpha1\nkind: WorkflowTemplate\nmetadata: {name: shared}\n"
		"spec:\n  entrypoint: main\n  serviceAccountName: trainer\n"
		"  arguments: {parameters: [{name: epochs, value: '1'}, {name: lr, value: '0.1'}]}\n"
		"  templates:\n  - name: main\n    steps: [[{name: a, template: echo}]]\n"
		"  - name: echo\n    container: {image: theirs, command: [echo]}\n"
		"---\napiVersion: argoproj.io/v1alpha1\nkind: ClusterWorkflowTemplate\nmetadata: {name: shared}\n"
		"spec:\n  templates:\n  - name: lib\n    container: {image: lib, command: [echo]}\n";
	char err[256] = "";
	diag_list *d = diag_list_new();
	wf_set *s = wf_set_new();
	assert_int_equal(wf_set_load_mem(s, "wf.yaml", wf, strlen(wf), d, err, sizeof err), 0);
	const wf_doc *w = wf_set_doc(s, 0);
	/* alone: the template is missing, said with the ref's position */
	assert_null(wf_set_join(s, w, err, sizeof err));
	assert_non_null(strstr(err, "wf.yaml:5:"));
	assert_non_null(strstr(err, "WorkflowTemplate 'shared'"));
	assert_int_equal(wf_set_load_mem(s, "tm.yaml", tm, strlen(tm), d, err, sizeof err), 0);
	w = wf_set_doc(s, 0);
	const wf_doc *j = wf_set_join(s, w, err, sizeof err);
	assert_non_null(j);
	assert_ptr_not_equal(j, w);
	assert_null(j->spec.workflow_template_ref);
	assert_ptr_equal(j->joined_from, wf_set_doc(s, 1));
	assert_string_equal(j->spec.entrypoint, "main");
	assert_non_null(j->spec.service_account);
	assert_non_null(wf_find_template(j, "main"));
	/* the workflow's own template wins its name */
	assert_string_equal(wf_find_template(j, "echo")->main->image, "mine");
	/* arguments: the workflow's replace the template's by name, the others stay */
	assert_int_equal(j->spec.arguments.nparams, 3);
	for (size_t i = 0; i < 3; i++) {
		const wf_param *p = &j->spec.arguments.params[i];
		const char *v = yn_str(p->value);
		if (!strcmp(p->name, "epochs"))
			assert_string_equal(v, "3");
		else if (!strcmp(p->name, "lr"))
			assert_string_equal(v, "0.1");
		else
			assert_string_equal(p->name, "extra");
	}
	/* a document without a reference is itself */
	assert_ptr_equal(wf_set_join(s, wf_set_doc(s, 1), err, sizeof err), wf_set_doc(s, 1));
	/* templateRef: clusterScope picks the kind */
	wf_set *r = wf_set_new();
	static const char ref[] = "{name: shared, template: lib, clusterScope: true}\n";
	assert_int_equal(wf_set_load_mem(r, "ref.yaml", ref, strlen(ref), d, err, sizeof err), 0);
	const ynode *rn = wf_set_raw(r, 0)->root;
	const wf_doc *owner = NULL;
	const wf_template *t = wf_set_template_ref(s, rn, &owner);
	assert_non_null(t);
	assert_string_equal(t->name, "lib");
	assert_int_equal(owner->kind, WF_CLUSTER_WORKFLOW_TEMPLATE);
	assert_null(wf_set_template_ref(s, yn_get(wf_set_doc(s, 1)->root, "nope"), &owner));
	assert_null(owner);
	wf_set_free(r);
	wf_set_free(s);
	diag_list_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_sort),
		cmocka_unit_test(test_seed_positions),
		cmocka_unit_test(test_corpus_loads),
		cmocka_unit_test(test_kinds_and_skips),
		cmocka_unit_test(test_structure_errors),
		cmocka_unit_test(test_templated_manifest),
		cmocka_unit_test(test_io_errors),
		cmocka_unit_test(test_join_and_template_ref),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
