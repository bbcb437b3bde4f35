/* test_fix_text.c: `rehearse fix` writes its fixes as edits of the input.
 *
 * On every corpus workflow a fix changes (and on the seed), every line of
 * the input that no edit touches is in the output unchanged and in order
 * (a subsequence of the output's lines), and a line diff of input and
 * output removes no more input lines than the edits touch, so comments,
 * quoting, blank lines and key order survive. And the engine itself, on small cases: a changed scalar keeps its quotes and its line,
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

/* Input line (1-based) of byte off. */
static size_t line_of(const char *s, size_t off)
{
	size_t l = 1;
	for (size_t k = 0; k < off; k++)
		l += s[k] == '\n';
	return l;
}

/* Is every input line that no edit touches in the output, unchanged and
 * in order? Edits are byte ranges of the input [rg[i][0], +rg[i][1]); an
 * insertion at a line's start changes no line. Returns 0, or the first
 * input line missing from the output. */
static size_t untouched_kept(const char *in, size_t inlen, const char *out, size_t outlen, const size_t (*rg)[2],
			     size_t n)
{
	size_t nl = line_of(in, inlen) + 1;
	unsigned char *touched = calloc(nl + 1, 1);
	assert_non_null(touched);
	for (size_t i = 0; i < n; i++) {
		size_t off = rg[i][0], len = rg[i][1];
		if (!len && (off == 0 || in[off - 1] == '\n'))
			continue;
		for (size_t l = line_of(in, off), to = len ? line_of(in, off + len - 1) : l; l <= to && l <= nl; l++)
			touched[l] = 1;
	}
	const char *o = out, *oend = out + outlen;
	size_t missing = 0, line = 1;
	for (const char *p = in, *end = in + inlen; p < end && !missing; line++) {
		const char *e = memchr(p, '\n', (size_t)(end - p));
		size_t ll = (size_t)((e ? e : end) - p);
		if (!touched[line]) {
			/* the next output line equal to it, from where the last one matched */
			for (;;) {
				if (o >= oend) {
					missing = line;
					break;
				}
				const char *oe = memchr(o, '\n', (size_t)(oend - o));
				size_t ol = (size_t)((oe ? oe : oend) - o);
				int same = ol == ll && !memcmp(o, p, ll);
				o = oe ? oe + 1 : oend;
				if (same)
					break;
			}
		}
		p = e ? e + 1 : end;
	}
	free(touched);
	return missing;
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
		size_t ne = fix_edit_count(r), (*rg)[2] = calloc(ne + 1, sizeof *rg);
		assert_non_null(rg);
		for (size_t i = 0; i < ne; i++)
			fix_edit_range(r, i, &rg[i][0], &rg[i][1]);
		size_t miss = untouched_kept(buf, len, out, olen, (const size_t(*)[2])rg, ne);
		if (miss)
			fail_msg("%s:%zu: no edit touches this line, but the output does not have it unchanged", path,
				 miss);
		free(rg);
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

/* The corpus check itself catches a changed line no edit covers, and lets
 * edited, inserted and removed lines through. */
static void test_untouched_check(void **state)
{
	(void)state;
	const char *in = "a: 1\nb: 2\nc: 3\n";
	const size_t b_value[1][2] = {{9, 1}};   /* the "2" of line 2 */
	const size_t insert[1][2] = {{5, 0}};    /* before line 2 */
	const size_t drop_b[1][2] = {{5, 5}};    /* line 2, newline included */
	assert_int_equal(untouched_kept(in, strlen(in), "a: 1\nb: 7\nc: 3\n", 15, b_value, 1), 0);
	assert_int_equal(untouched_kept(in, strlen(in), "a: 1\nb: 7\nc: 4\n", 15, b_value, 1), 3);
	assert_int_equal(untouched_kept(in, strlen(in), "a: 1\nb: 7\n# c: 3\n", 17, b_value, 1), 3);
	assert_int_equal(untouched_kept(in, strlen(in), "a: 1\nx: 0\nb: 2\nc: 3\n", 20, insert, 1), 0);
	assert_int_equal(untouched_kept(in, strlen(in), "x: 0\na: 1\nb: 2\nc: 3\n", 20, insert, 1), 0);
	assert_int_equal(untouched_kept(in, strlen(in), "a: 1\nc: 3\n", 10, drop_b, 1), 0);
	/* order counts: a line moved past another is not kept */
	assert_int_equal(untouched_kept(in, strlen(in), "c: 3\na: 1\nb: 7\n", 15, b_value, 1), 3);
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
		cmocka_unit_test(test_untouched_check),
		cmocka_unit_test(test_corpus_edits_only),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
