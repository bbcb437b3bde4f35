/* test_fix_text.c: `rehearse fix` writes its fixes as edits of the input.
 *
 * On every corpus workflow a fix changes (and on the seed), every line of
 * the input that no edit touches is in the output unchanged: a line diff
 * of input and output removes no more input lines than the edits touch,
 * so comments, quoting, blank lines and key order survive. And the engine
 * itself, on small cases: a changed scalar keeps its quotes and its line,
 * a new key and a new list item are indented like their siblings, a
 * renamed item is matched by name, a removed item loses its lines. */
#include "tests/unit/testutil.h"

#include "document/workflow.h"
#include "validate/fix.h"
#include "validate/fix_text.h"
#include "validate/rules.h"

/* Input lines a line-level diff (longest common subsequence) removes. */
static size_t removed_lines(const char *a, size_t al, const char *b, size_t bl)
{
	const char *la[4096], *lb[4096];
	size_t na = 0, nb = 0, lena[4096], lenb[4096];
	for (size_t i = 0, s = 0; i <= al && na < 4096; i++)
		if (i == al || a[i] == '\n') {
			if (i > s || i < al)
				la[na] = a + s, lena[na++] = i - s;
			s = i + 1;
		}
	for (size_t i = 0, s = 0; i <= bl && nb < 4096; i++)
		if (i == bl || b[i] == '\n') {
			if (i > s || i < bl)
				lb[nb] = b + s, lenb[nb++] = i - s;
			s = i + 1;
		}
	unsigned short *L = calloc((na + 1) * (nb + 1), sizeof *L);
	assert_non_null(L);
	for (size_t i = na; i-- > 0;)
		for (size_t j = nb; j-- > 0;)
			L[i * (nb + 1) + j] = lena[i] == lenb[j] && !memcmp(la[i], lb[j], lena[i])
						      ? L[(i + 1) * (nb + 1) + j + 1] + 1
						      : L[(i + 1) * (nb + 1) + j] > L[i * (nb + 1) + j + 1]
							    ? L[(i + 1) * (nb + 1) + j]
							    : L[i * (nb + 1) + j + 1];
	size_t common = L[0];
	free(L);
	return na - common;
}

static size_t nfixed, nfiles;

/* Fix a file and check its output is the input plus edits only. */
static void check_fix(const char *path, const char *buf, size_t len)
{
	fix_result *r = NULL;
	char err[512];
	fix_opts o = {0};
	o.out_name = path;
	int rc = fix_run(path, buf, len, &o, &r, err, sizeof err);
	if (rc != FIX_OK)
		return; /* a file fix refuses (it does not load) is t0500's business */
	if (fix_changed(r)) {
		size_t olen;
		const char *out = fix_output(r, &olen);
		if (fix_text_note(r))
			fail_msg("%s: the output was written whole: %s", path, fix_text_note(r));
		size_t gone = removed_lines(buf, len, out, olen);
		if (gone > fix_lines_touched(r))
			fail_msg("%s: %zu input lines changed, but the edits touch only %zu", path, gone,
				 fix_lines_touched(r));
		nfixed++;
	}
	fix_result_free(r);
}

static int fixable(const diag_list *d)
{
	for (size_t i = 0; i < diag_count(d); i++)
		for (size_t p = 0; p < fix_pass_count(); p++) {
			const char *name, *rules, *summary;
			fix_pass_info(p, &name, &rules, &summary);
			const char *hit = rules ? strstr(rules, diag_get(d, i)->rule) : NULL;
			size_t n = strlen(diag_get(d, i)->rule);
			if (hit && (hit[n] == 0 || hit[n] == ' '))
				return 1;
		}
	return 0;
}

static void one(const char *path, void *ctx)
{
	(void)ctx;
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[1 << 20];
	size_t len = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[len] = 0;
	nfiles++;
	/* only files with a finding some fix answers: fixing the rest is a no-op */
	wf_set *s = wf_set_new();
	diag_list *d = diag_list_new();
	char err[256];
	int go = !wf_set_load_mem(s, path, buf, len, d, err, sizeof err) && !lint_run(s, NULL, d) && fixable(d);
	wf_set_free(s);
	diag_list_free(d);
	if (go)
		check_fix(path, buf, len);
}

static void test_corpus_edits_only(void **state)
{
	(void)state;
	char corpus[4096];
	snprintf(corpus, sizeof corpus, "%s/corpus", test_shared_dir());
	test_walk_files(corpus, one, NULL);
	size_t len;
	char *seed = test_read_shared("seed/fine-tune-llama.yaml", &len);
	check_fix("seed/fine-tune-llama.yaml", seed, len);
	free(seed);
	printf("fix as edits: %zu files, %zu changed by fix (the seed among them), each only where it fixes\n", nfiles,
	       nfixed);
	assert_true(nfixed >= 10);
}

/* The engine on a pair of texts: edits of a, applied, must give a text
 * that reads as b. Returns the edited text (caller frees). */
static char *edit(const char *a, const char *b)
{
	arena *ar = arena_new();
	diag_list *d = diag_list_new();
	yn_doc *da, *db;
	size_t na, nb;
	assert_int_equal(yn_parse(ar, "a", a, strlen(a), NULL, NULL, d, &da, &na), 0);
	assert_int_equal(yn_parse(ar, "b", b, strlen(b), NULL, NULL, d, &db, &nb), 0);
	ft_edits e = {0};
	char err[256] = "";
	if (ft_diff(a, strlen(a), da, na, db, nb, &e, err, sizeof err))
		fail_msg("ft_diff: %s", err);
	size_t ol;
	char *out = ft_apply(a, strlen(a), &e, &ol);
	assert_non_null(out);
	yn_doc *dc;
	size_t nc;
	assert_int_equal(yn_parse(ar, "c", out, ol, NULL, NULL, d, &dc, &nc), 0);
	assert_int_equal(nc, nb);
	for (size_t i = 0; i < nc; i++)
		assert_true(ft_same(dc[i].root, db[i].root));
	ft_edits_free(&e);
	diag_list_free(d);
	arena_free(ar);
	return out;
}

static void test_engine(void **state)
{
	(void)state;
	/* a scalar changes where it stands, quotes and comments kept */
	char *o = edit("# header\nimage: 'quay.io/coreos/etcd:latest'   # pinned below\nx: 1\n",
		       "image: quay.io/coreos/etcd:v3.5.21\nx: 1\n");
	assert_string_equal(o, "# header\nimage: 'quay.io/coreos/etcd:v3.5.21'   # pinned below\nx: 1\n");
	free(o);
	/* a new key goes after its siblings, at their indentation */
	o = edit("spec:\n    a: 1   # keep\n\nother: 2\n", "spec:\n  a: 1\n  medium: Memory\nother: 2\n");
	assert_string_equal(o, "spec:\n    a: 1   # keep\n    medium: Memory\n\nother: 2\n");
	free(o);
	/* a new item is matched by name, not by place; a removed item goes */
	o = edit("tasks:\n  # first\n  - name: a\n    x: 1\n  - name: b\n    x: 2\n  - name: c\n",
		 "tasks:\n- name: a\n  x: 1\n- name: new\n- name: b\n  x: 3\n");
	assert_string_equal(o, "tasks:\n  # first\n  - name: a\n    x: 1\n  - name: new\n  - name: b\n    x: 3\n");
	free(o);
	/* a flow sequence that changed is written again in its place */
	o = edit("flags: [a, b]  # c\n", "flags: [a, b, c]\n");
	assert_non_null(strstr(o, "# c"));
	free(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine),
		cmocka_unit_test(test_corpus_edits_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
