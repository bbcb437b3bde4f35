/* test_torchrun.c: the torchrun parser (argv, python -m, shell scripts,
 * option spellings, positions) and the rank-task finder (DAG tasks, steps,
 * withItems / withSequence fan-out, per-call resolution), on the seed and
 * on small variants. */
#include "tests/unit/testutil.h"

#include <stdio.h>

#include "document/torchrun.h"
#include "document/workflow.h"

static yn_doc *parse(arena *a, const char *text)
{
	yn_doc *docs = NULL;
	size_t n = 0;
	diag_list *d = diag_list_new();
	assert_int_equal(yn_parse(a, "t.yaml", text, strlen(text), NULL, NULL, d, &docs, &n), 0);
	diag_list_free(d);
	assert_int_equal(n, 1);
	return docs;
}

/* Parse a YAML list as argv. */
static int argv_of(arena *a, const char *yaml, tr_cmd **cmds, size_t *n)
{
	const ynode *seq = parse(a, yaml)->root;
	assert_int_equal(seq->kind, YN_SEQ);
	*cmds = NULL;
	*n = 0;
	return tr_parse_argv(a, (const ynode *const *)seq->item, seq->n, cmds, n);
}

static void opt_is(const tr_cmd *c, const char *name, const char *value)
{
	const tr_opt *o = tr_get(c, name);
	if (!o)
		fail_msg("option %s missing", name);
	if (!value) {
		assert_null(o->value);
		return;
	}
	assert_non_null(o->value);
	assert_string_equal(o->value, value);
	/* the recorded bytes hold the value as written */
	assert_true(o->off + o->len <= o->value_node->len);
}

static void test_argv_forms(void **st)
{
	(void)st;
	arena *a = arena_new();
	tr_cmd *c;
	size_t n;
	assert_int_equal(argv_of(a, "[torchrun, --nnodes, '4', --nproc_per_node=8, --rdzv-backend, c10d, "
				    "--standalone, --max_restarts, '3', train.py, --lr, '1e-4']", &c, &n), 1);
	assert_int_equal(n, 1);
	opt_is(c, "nnodes", "4");
	opt_is(c, "--nproc-per-node", "8");
	opt_is(c, "nproc_per_node", "8");
	opt_is(c, "rdzv_backend", "c10d");
	opt_is(c, "standalone", NULL);
	opt_is(c, "max-restarts", "3");
	assert_string_equal(c->program, "train.py");
	assert_int_equal(c->nargs, 2);
	assert_string_equal(c->args[0], "--lr");
	assert_string_equal(c->args[1], "1e-4");
	/* --lr belongs to the script, not torchrun */
	assert_null(tr_get(c, "lr"));
	/* --opt=value: the value's bytes are after '=' in the element */
	const tr_opt *o = tr_get(c, "nproc-per-node");
	assert_true(o->eq_form);
	assert_int_equal(o->off, strlen("--nproc_per_node="));
	assert_int_equal(o->len, 1);
	assert_string_equal(o->given, "--nproc_per_node");
	/* positions: element 4 of the flow list */
	assert_int_equal(o->node->line, 1);
	assert_true(o->node->col > 20);
	arena_free(a);
}

static void test_python_module_and_prefix(void **st)
{
	(void)st;
	arena *a = arena_new();
	tr_cmd *c;
	size_t n;
	assert_int_equal(argv_of(a, "[/usr/bin/python3, -u, -m, torch.distributed.run, --nproc, '2', -m, pkg.train]",
				 &c, &n), 1);
	assert_true(c->python_module);
	opt_is(c, "nproc-per-node", "2"); /* unique prefix, as argparse allows */
	opt_is(c, "module", NULL);
	assert_string_equal(c->program, "pkg.train");
	/* python running something else is not a launcher */
	assert_int_equal(argv_of(a, "[python, -m, torch.distributed.launch_not, x]", &c, &n), 0);
	assert_int_equal(argv_of(a, "[python, train.py, --nnodes, '2']", &c, &n), 0);
	/* last occurrence wins */
	assert_int_equal(argv_of(a, "[torchrun, --nnodes=2, --nnodes, '3', t.py]", &c, &n), 1);
	opt_is(c, "nnodes", "3");
	arena_free(a);
}

static void test_shell_scripts(void **st)
{
	(void)st;
	arena *a = arena_new();
	tr_cmd *c;
	size_t n;
	const char *y =
		"- bash\n"
		"- -ec\n"
		"- |\n"
		"  set -x; echo start && export X=1\n"
		"  exec env NCCL_DEBUG=INFO torchrun --nnodes \"$N\" \\\n"
		"     --node_rank=3 --rdzv-endpoint 'host:29400' \\\n"
		"     train.py --epochs 2 ; echo done\n"
		"  python3 -m torch.distributed.run --nnodes=1 other.py\n";
	assert_int_equal(argv_of(a, y, &c, &n), 2);
	assert_int_equal(n, 2);
	assert_non_null(c[0].script);
	opt_is(&c[0], "nnodes", "$N");
	opt_is(&c[0], "node-rank", "3");
	opt_is(&c[0], "rdzv-endpoint", "host:29400");
	assert_string_equal(c[0].program, "train.py");
	assert_int_equal(c[0].nargs, 2); /* "; echo done" is another command */
	/* the value's bytes in the script, quotes included */
	const tr_opt *o = tr_get(&c[0], "rdzv-endpoint");
	assert_int_equal(o->len, strlen("'host:29400'"));
	assert_memory_equal(o->value_node->str + o->off, "'host:29400'", o->len);
	o = tr_get(&c[0], "node-rank");
	assert_memory_equal(o->value_node->str + o->off, "3", 1);
	assert_true(c[1].python_module);
	opt_is(&c[1], "nnodes", "1");
	assert_string_equal(c[1].program, "other.py");
	/* "bash -c" as one element cannot exec: not read as a shell */
	assert_int_equal(argv_of(a, "['bash -c', 'torchrun --nnodes 2 t.py']", &c, &n), 0);
	/* quoted words stay one word; a word holding ';' in quotes is not split */
	assert_int_equal(argv_of(a, "[sh, -c, \"echo 'a;b' ; torchrun --role 'x y' t.py\"]", &c, &n), 1);
	opt_is(c, "role", "x y");
	arena_free(a);
}

static void test_canon(void **st)
{
	(void)st;
	char b[64];
	tr_canon("--nproc_per_node", b, sizeof b);
	assert_string_equal(b, "nproc-per-node");
	tr_canon("--rdzv_id=5", b, sizeof b);
	assert_string_equal(b, "rdzv-id");
	tr_canon("-m", b, sizeof b);
	assert_string_equal(b, "module");
	tr_canon("--rdzv", b, sizeof b); /* ambiguous prefix: kept */
	assert_string_equal(b, "rdzv");
	tr_canon("--max_res", b, sizeof b);
	assert_string_equal(b, "max-restarts");
}

static wf_set *load(const char *text)
{
	wf_set *s = wf_set_new();
	diag_list *d = diag_list_new();
	char err[256];
	assert_int_equal(wf_set_load_mem(s, "w.yaml", text, strlen(text), d, err, sizeof err), 0);
	assert_int_equal(diag_count_at_least(d, DIAG_ERROR), 0);
	diag_list_free(d);
	assert_int_equal(wf_set_count(s), 1);
	return s;
}

static wf_set *load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = 0;
	fclose(f);
	return load(buf);
}

static void test_seed_finder(void **st)
{
	(void)st;
	char path[4096];
	snprintf(path, sizeof path, "%s/seed/fine-tune-llama.yaml", test_shared_dir());
	wf_set *s = load_file(path);
	arena *a = wf_set_arena(s);
	const wf_doc *d = wf_set_doc(s, 0);
	tr_job *jobs;
	size_t nj;
	assert_int_equal(tr_find(a, d, &jobs, &nj), 0);
	assert_int_equal(nj, 1);
	const tr_job *j = &jobs[0];
	assert_string_equal(j->tmpl->name, "fine-tune-rank-n");
	assert_null(j->unknown_fanout);
	assert_int_equal(j->ncalls, 4);
	const tr_opt *o;
	assert_string_equal(tr_call_opt(a, j, &j->calls[0], "nnodes", &o), "4");
	assert_string_equal(tr_call_opt(a, j, &j->calls[0], "rdzv-backend", NULL), "etcd-v2");
	for (size_t i = 0; i < 4; i++) {
		char want[8];
		snprintf(want, sizeof want, "%zu", i);
		assert_string_equal(tr_call_opt(a, j, &j->calls[i], "node-rank", NULL), want);
		assert_string_equal(tr_call_opt(a, j, &j->calls[i], "rdzv-id", NULL), "42");
		/* the endpoint comes from another task's output: unresolved */
		assert_true(tr_unresolved(tr_call_opt(a, j, &j->calls[i], "rdzv-endpoint", NULL)));
		/* the per-rank volume name, as a re-scaler sees it */
		const char *vol = tr_resolve(a, j, &j->calls[i], "{{inputs.parameters.node-vol}}");
		snprintf(want, sizeof want, "rank-%zu", i);
		assert_string_equal(vol, want);
		assert_non_null(tr_call_arg(&j->calls[i], "node-rank"));
	}
	assert_string_equal(j->calls[2].task->name, "finetune-rank-2");
	wf_set_free(s);
}

static const char fanout_wf[] =
	"apiVersion: argoproj.io/v1alpha1\n"
	"kind: Workflow\n"
	"metadata: {generateName: t-}\n"
	"spec:\n"
	"  entrypoint: main\n"
	"  arguments:\n"
	"    parameters: [{name: run, value: r7}]\n"
	"  templates:\n"
	"  - name: main\n"
	"    dag:\n"
	"      tasks:\n"
	"      - name: ranks\n"
	"        template: rank\n"
	"        arguments: {parameters: [{name: r, value: '{{item}}'}]}\n"
	"        withSequence: {count: '3'}\n"
	"      - name: more\n"
	"        template: rank\n"
	"        arguments: {parameters: [{name: r, value: '{{item.rank}}'}]}\n"
	"        withItems: [{rank: 3}, {rank: 4}]\n"
	"      - name: dyn\n"
	"        template: rank\n"
	"        withParam: '{{tasks.ranks.outputs.result}}'\n"
	"  - name: steps\n"
	"    steps:\n"
	"    - - name: s\n"
	"        template: rank\n"
	"        withSequence: {start: '5', end: '6'}\n"
	"        arguments: {parameters: [{name: r, value: '{{item}}'}]}\n"
	"  - name: rank\n"
	"    inputs: {parameters: [{name: r, value: '9'}]}\n"
	"    script:\n"
	"      image: x\n"
	"      command: [bash]\n"
	"      source: |\n"
	"        torchrun --nnodes=7 --node-rank={{inputs.parameters.r}} \\\n"
	"          --rdzv-id {{workflow.parameters.run}} t.py\n";

static void test_fanout(void **st)
{
	(void)st;
	wf_set *s = load(fanout_wf);
	arena *a = wf_set_arena(s);
	tr_job *jobs;
	size_t nj;
	assert_int_equal(tr_find(a, wf_set_doc(s, 0), &jobs, &nj), 0);
	assert_int_equal(nj, 1);
	const tr_job *j = &jobs[0];
	assert_non_null(j->cmd->script);
	/* 3 (sequence) + 2 (items) + 0 (withParam, unknown) + 2 (steps 5..6) */
	assert_int_equal(j->ncalls, 7);
	assert_non_null(j->unknown_fanout);
	const char *want[] = {"0", "1", "2", "3", "4", "5", "6"};
	for (size_t i = 0; i < 7; i++) {
		assert_string_equal(tr_call_opt(a, j, &j->calls[i], "node-rank", NULL), want[i]);
		assert_string_equal(tr_call_opt(a, j, &j->calls[i], "rdzv-id", NULL), "r7");
	}
	assert_int_equal(j->calls[1].item, 1);
	assert_string_equal(j->calls[5].parent->name, "steps");
	/* the input's own value when a caller passes nothing */
	tr_call bare = {.parent = j->calls[0].parent, .task = j->calls[0].task, .item = -1};
	tr_call nop = bare;
	wf_task t = *bare.task;
	t.arguments.nparams = 0;
	nop.task = &t;
	assert_string_equal(tr_call_opt(a, j, &nop, "node-rank", NULL), "9");
	wf_set_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv_forms),
		cmocka_unit_test(test_python_module_and_prefix),
		cmocka_unit_test(test_shell_scripts),
		cmocka_unit_test(test_canon),
		cmocka_unit_test(test_seed_finder),
		cmocka_unit_test(test_fanout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
