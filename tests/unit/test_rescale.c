/* test_rescale.c: `fix --nodes N` -- the seed's torchrun fan-out re-scaled
 * down and up, checked on the reloaded output the way torchrun would see
 * it: one pod per rank, ranks 0..N-1 once each, --nnodes N, one claim per
 * rank and each claim used; and the output lints clean and is a fixed
 * point. Irregular fan-outs are refused and left as they were. */
#include "tests/unit/testutil.h"

#include <stdio.h>

#include "document/torchrun.h"
#include "document/workflow.h"
#include "validate/fix.h"
#include "validate/rules.h"

static fix_result *fix_nodes(const char *text, size_t len, unsigned nodes)
{
	fix_opts o = {.nodes = nodes, .out_name = "out.yaml"};
	fix_result *r = NULL;
	char err[512];
	if (fix_run("in.yaml", text, len, &o, &r, err, sizeof err))
		fail_msg("fix_run: %s", err);
	return r;
}

/* The output as torchrun would run it, for n nodes. */
static void check_scaled(const char *out, size_t len, unsigned n)
{
	wf_set *s = wf_set_new();
	diag_list *d = diag_list_new();
	char err[256];
	assert_int_equal(wf_set_load_mem(s, "out.yaml", out, len, d, err, sizeof err), 0);
	assert_int_equal(lint_run(s, NULL, d), 0);
	for (size_t i = 0; i < diag_count(d); i++)
		if (diag_get(d, i)->sev == DIAG_ERROR)
			fail_msg("%u nodes: %u: %s [%s]", n, diag_get(d, i)->line, diag_get(d, i)->msg, diag_get(d, i)->rule);
	const wf_doc *doc = wf_set_doc(s, 0);
	tr_job *jobs;
	size_t nj;
	arena *a = wf_set_arena(s);
	assert_int_equal(tr_find(a, doc, &jobs, &nj), 0);
	assert_int_equal(nj, 1);
	assert_int_equal(jobs[0].ncalls, n);
	int seen[64] = {0};
	const ynode *claims = doc->spec.volume_claim_templates;
	assert_int_equal(claims->n, n);
	for (size_t i = 0; i < n; i++) {
		const tr_call *c = &jobs[0].calls[i];
		const char *rank = tr_call_opt(a, &jobs[0], c, "node-rank", NULL);
		const char *nn = tr_call_opt(a, &jobs[0], c, "nnodes", NULL);
		char want[16];
		snprintf(want, sizeof want, "%u", n);
		assert_string_equal(nn, want);
		assert_int_equal(tr_call_opt(a, &jobs[0], c, "nproc-per-node", NULL)[0], '4');
		int r = atoi(rank);
		assert_true(r >= 0 && r < (int)n);
		assert_false(seen[r]);
		seen[r] = 1;
		/* rank r's claim is rank-r, and it exists */
		const char *vol = yn_str(tr_call_arg(c, "node-vol"));
		char cl[32];
		snprintf(cl, sizeof cl, "rank-%d", r);
		assert_string_equal(vol, cl);
		int found = 0;
		for (size_t k = 0; k < claims->n; k++)
			found |= !strcmp(yn_get_str(yn_get(claims->item[k], "metadata"), "name"), cl);
		assert_true(found);
		char tn[64];
		snprintf(tn, sizeof tn, "finetune-rank-%d", r);
		assert_string_equal(c->task->name, tn);
	}
	wf_set_free(s);
	diag_list_free(d);
}

static void test_seed_down_and_up(void **state)
{
	(void)state;
	size_t len;
	char *seed = test_read_shared("seed/fine-tune-llama.yaml", &len);
	static const unsigned sizes[] = {1, 2, 4, 6, 16};
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		fix_result *r = fix_nodes(seed, len, sizes[i]);
		size_t olen;
		const char *out = fix_output(r, &olen);
		check_scaled(out, olen, sizes[i]);
		/* a fixed point: the same N again changes nothing */
		fix_result *again = fix_nodes(out, olen, sizes[i]);
		assert_false(fix_changed(again));
		fix_result_free(again);
		/* and from one rank back up to three (one rank to learn from) */
		if (sizes[i] == 1) {
			fix_result *up = fix_nodes(out, olen, 3);
			size_t ulen;
			const char *uout = fix_output(up, &ulen);
			check_scaled(uout, ulen, 3);
			fix_result_free(up);
		}
		fix_result_free(r);
	}
	free(seed);
}

#define WF \
	"apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: x-}\nspec:\n" \
	"  entrypoint: main\n  templates:\n"
#define TRAIN \
	"  - name: train\n    inputs: {parameters: [{name: rank}]}\n    container:\n      image: t:1\n" \
	"      command: [torchrun, --nnodes, \"2\", --node-rank, \"{{inputs.parameters.rank}}\", t.py]\n"

static void test_refuses_irregular(void **state)
{
	(void)state;
	/* ranks 0 and 5: not 0..N-1, so nothing to extend safely */
	const char *in = WF "  - name: main\n    dag:\n      tasks:\n"
			    "      - {name: a, template: train, arguments: {parameters: [{name: rank, value: \"0\"}]}}\n"
			    "      - {name: b, template: train, arguments: {parameters: [{name: rank, value: \"5\"}]}}\n" TRAIN;
	fix_result *r = fix_nodes(in, strlen(in), 3);
	size_t olen;
	const char *out = fix_output(r, &olen);
	assert_non_null(strstr(out, "value: \"5\"") ? strstr(out, "value: \"5\"") : strstr(out, "value: '5'"));
	assert_null(strstr(out, "name: c"));
	int declined = 0;
	for (size_t i = 0; i < fix_change_count(r); i++) {
		const fix_change *c = fix_change_at(r, i);
		if (!c->applied && !strcmp(c->fix, "rescale"))
			declined = strstr(c->what, "node ranks") != NULL;
		assert_false(c->applied && !strcmp(c->fix, "rescale"));
	}
	assert_true(declined);
	fix_result_free(r);
}

static void test_with_sequence_and_depends(void **state)
{
	(void)state;
	/* a fan-out by withSequence: only the count changes */
	const char *seq = WF "  - name: main\n    dag:\n      tasks:\n"
			     "      - name: ranks\n        template: train\n        withSequence: {count: \"2\"}\n"
			     "        arguments: {parameters: [{name: rank, value: \"{{item}}\"}]}\n" TRAIN;
	fix_result *r = fix_nodes(seq, strlen(seq), 8);
	const char *out = fix_output(r, NULL);
	assert_non_null(strstr(out, "count: \"8\""));
	assert_non_null(strstr(out, "--nnodes, \"8\""));
	assert_null(strstr(out, "\"2\""));
	fix_result_free(r);

	/* explicit ranks with a task that waits for all of them */
	const char *dag = WF "  - name: main\n    dag:\n      tasks:\n"
			     "      - {name: r-0, template: train, arguments: {parameters: [{name: rank, value: \"0\"}]}}\n"
			     "      - {name: r-1, template: train, arguments: {parameters: [{name: rank, value: \"1\"}]}}\n"
			     "      - {name: report, template: echo, depends: r-0 && r-1}\n" TRAIN
			     "  - name: echo\n    container: {image: alpine:3.19}\n";
	r = fix_nodes(dag, strlen(dag), 3);
	out = fix_output(r, NULL);
	assert_non_null(strstr(out, "depends: r-0 && r-1 && r-2"));
	assert_non_null(strstr(out, "name: r-2"));
	fix_result_free(r);
	r = fix_nodes(dag, strlen(dag), 1);
	out = fix_output(r, NULL);
	assert_non_null(strstr(out, "depends: r-0"));
	assert_null(strstr(out, "r-1"));
	fix_result_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_down_and_up),
		cmocka_unit_test(test_refuses_irregular),
		cmocka_unit_test(test_with_sequence_and_depends),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
