/* test_yaml.c: the YAML tree builder -- positions, limits, merges, emitter. */
#include "tests/unit/testutil.h"

#include <stdio.h>
#include <time.h>

#include "document/yaml.h"

struct parsed {
	arena *a;
	diag_list *d;
	yn_doc *docs;
	size_t n;
	int rc;
};

static struct parsed parse(const char *text)
{
	struct parsed p = {arena_new(), diag_list_new(), NULL, 0, 0};
	p.rc = yn_parse(p.a, "t.yaml", text, strlen(text), NULL, NULL, p.d, &p.docs, &p.n);
	return p;
}

static void done(struct parsed *p)
{
	arena_free(p->a);
	diag_list_free(p->d);
}

static void test_positions(void **state)
{
	(void)state;
	struct parsed p = parse("a: 1\nlist:\n  - x\n  - {k: v}\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.n, 1);
	const ynode *r = p.docs[0].root;
	const ynode *x = yn_get(r, "list")->item[0];
	assert_string_equal(x->str, "x");
	assert_int_equal(x->line, 3);
	assert_int_equal(x->col, 5);
	const ynode *v = yn_get(yn_get(r, "list")->item[1], "k");
	assert_int_equal(v->line, 4);
	assert_int_equal(v->col, 9);
	assert_int_equal(v->end_col, 9);
	done(&p);
}

static void test_syntax_error_position(void **state)
{
	(void)state;
	struct parsed p = parse("a: 1\nb: [1, 2\nc: 3\n");
	assert_int_equal(p.rc, -1);
	assert_int_equal(diag_count(p.d), 1);
	const diag *d = diag_get(p.d, 0);
	assert_string_equal(d->rule, "yaml-syntax");
	assert_int_equal(d->sev, DIAG_ERROR);
	assert_true(d->line >= 2 && d->line <= 3);
	assert_true(d->col >= 1);
	done(&p);

	p = parse("key: value\n  bad indent: here\n");
	assert_int_equal(p.rc, -1);
	assert_int_equal(diag_get(p.d, 0)->line, 2);
	done(&p);

	p = parse("a: \"unterminated\n");
	assert_int_equal(p.rc, -1);
	done(&p);
}

static void test_multi_document(void **state)
{
	(void)state;
	struct parsed p = parse("kind: A\n---\nkind: B\n---\n# empty\n---\nkind: C\n");
	assert_int_equal(p.rc, 0);
	assert_int_equal(p.n, 4);
	assert_string_equal(yn_get_str(p.docs[0].root, "kind"), "A");
	assert_string_equal(yn_get_str(p.docs[1].root, "kind"), "B");
	assert_null(p.docs[2].root);
	assert_string_equal(yn_get_str(p.docs[3].root, "kind"), "C");
	assert_int_equal(p.docs[3].index, 3);
	assert_int_equal(yn_get(p.docs[3].root, "kind")->line, 7);
	done(&p);
}

static void test_json_input(void **state)
{
	(void)state;
	struct parsed p = parse("{\n\t\"kind\": \"Workflow\",\n\t\"spec\": {\"templates\": [{\"name\":\"a\"}], \"n\": 3}\n}\n");
	assert_int_equal(p.rc, 0);
	const ynode *r = p.docs[0].root;
	assert_string_equal(yn_get_str(r, "kind"), "Workflow");
	long long n;
	assert_int_equal(yn_int(yn_get(yn_get(r, "spec"), "n"), &n), 0);
	assert_int_equal(n, 3);
	const ynode *t = yn_get(yn_get(r, "spec"), "templates")->item[0];
	assert_string_equal(yn_get_str(t, "name"), "a");
	assert_int_equal(yn_get(t, "name")->line, 3);
	done(&p);
}

static void test_billion_laughs(void **state)
{
	(void)state;
	char buf[4096];
	int n = snprintf(buf, sizeof buf, "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
	for (int i = 1; i < 10; i++)
		n += snprintf(buf + n, sizeof buf - (size_t)n,
			      "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n",
			      i, i, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
	clock_t t0 = clock();
	struct parsed p = parse(buf);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	assert_int_equal(p.rc, -1);
	assert_string_equal(diag_get(p.d, 0)->rule, "yaml-alias-bomb");
	/* Refused before expansion: the arena holds only the source's nodes. */
	assert_true(arena_used(p.a) < 256 * 1024);
	assert_true(secs < 5.0); /* generous: a hang would not finish at all */
	done(&p);
}

static void test_deep_nesting(void **state)
{
	(void)state;
	size_t depth = 10000;
	char *buf = malloc(2 * depth + 2);
	assert_non_null(buf);
	memset(buf, '[', depth);
	memset(buf + depth, ']', depth);
	buf[2 * depth] = '\n';
	buf[2 * depth + 1] = 0;
	struct parsed p = parse(buf);
	assert_int_equal(p.rc, -1);
	const diag *d = diag_get(p.d, 0);
	assert_string_equal(d->rule, "yaml-depth");
	assert_int_equal(d->line, 1);
	assert_int_equal(d->col, 257);
	done(&p);
	/* Block style nesting too. */
	size_t lines = 10000, cap = lines * (lines / 10 + 8);
	char *blk = malloc(cap), *w = blk;
	for (size_t i = 0; i < 400; i++)
		w += sprintf(w, "%*sk:\n", (int)i, "");
	*w = 0;
	p = parse(blk);
	assert_int_equal(p.rc, -1);
	assert_string_equal(diag_get(p.d, 0)->rule, "yaml-depth");
	done(&p);
	free(blk);
	free(buf);
}

static void test_aliases_merge_duplicates(void **state)
{
	(void)state;
	struct parsed p = parse("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\ndup: 1\ndup: 2\n");
	assert_int_equal(p.rc, 0);
	const ynode *r = p.docs[0].root;
	const ynode *use = yn_get(r, "use");
	assert_string_equal(yn_get_str(use, "x"), "1");
	assert_string_equal(yn_get_str(use, "y"), "3"); /* explicit key wins */
	assert_null(yn_get(use, "<<"));
	assert_string_equal(yn_get_str(r, "dup"), "2"); /* last wins */
	assert_int_equal(r->n, 4);                      /* both dup keys kept */
	done(&p);

	p = parse("a: *nowhere\n");
	assert_int_equal(p.rc, -1);
	assert_string_equal(diag_get(p.d, 0)->rule, "yaml-syntax");
	done(&p);
}

static void test_typed_scalars(void **state)
{
	(void)state;
	struct parsed p = parse("t: yes\nf: Off\nq: 'true'\ni: -42\nh: 0x10\nfl: 1.5e3\ns: 12abc\nn: ~\ne:\n");
	const ynode *r = p.docs[0].root;
	int b;
	long long i;
	double d;
	assert_int_equal(yn_bool(yn_get(r, "t"), &b), 0);
	assert_true(b);
	assert_int_equal(yn_bool(yn_get(r, "f"), &b), 0);
	assert_false(b);
	assert_int_equal(yn_bool(yn_get(r, "q"), &b), -1); /* quoted: a string */
	assert_int_equal(yn_int(yn_get(r, "i"), &i), 0);
	assert_int_equal(i, -42);
	assert_int_equal(yn_int(yn_get(r, "h"), &i), 0);
	assert_int_equal(i, 16);
	assert_int_equal(yn_int(yn_get(r, "fl"), &i), -1);
	assert_int_equal(yn_number(yn_get(r, "fl"), &d), 0);
	assert_true(d == 1500.0);
	assert_int_equal(yn_number(yn_get(r, "s"), &d), -1);
	assert_true(yn_is_null(yn_get(r, "n")));
	assert_true(yn_is_null(yn_get(r, "e")));
	assert_false(yn_is_null(yn_get(r, "q")));
	done(&p);
}

static void test_posmap_literal_and_quoted(void **state)
{
	(void)state;
	const char *src = "m: |\n  kind: A\n  spec:\n    x: 1\nq: \"kind: B\\nspec:\\n  y: 2\\n\"\n";
	struct parsed p = parse(src);
	assert_int_equal(p.rc, 0);
	const ynode *m = yn_get(p.docs[0].root, "m");
	yn_posmap map;
	assert_int_equal(yn_scalar_posmap(p.a, m, src, strlen(src), &map), 0);
	yn_doc *docs;
	size_t n;
	assert_int_equal(yn_parse(p.a, "t.yaml", m->str, m->len, NULL, &map, p.d, &docs, &n), 0);
	const ynode *x = yn_get(yn_get(docs[0].root, "spec"), "x");
	assert_int_equal(x->line, 4);
	assert_int_equal(x->col, 8);

	const ynode *q = yn_get(p.docs[0].root, "q");
	assert_int_equal(yn_scalar_posmap(p.a, q, src, strlen(src), &map), 0);
	assert_int_equal(yn_parse(p.a, "t.yaml", q->str, q->len, NULL, &map, p.d, &docs, &n), 0);
	const ynode *y = yn_get(yn_get(docs[0].root, "spec"), "y");
	assert_int_equal(y->line, 5);
	assert_int_equal(y->col, 26); /* the '2' in the outer line */
	assert_int_equal(src[strlen("m: |\n  kind: A\n  spec:\n    x: 1\n") + 25], '2');
	done(&p);
}

static void test_emit_roundtrip(void **state)
{
	(void)state;
	const char *src = "a: 1\nb: 'x y'\nc:\n- d: \"q\"\n  e: [1, 2]\nlit: |\n  line1\n  line2\n";
	struct parsed p = parse(src);
	size_t len;
	char *out = yn_emit_string(p.docs[0].root, &len);
	assert_non_null(out);
	struct parsed q = parse(out);
	assert_int_equal(q.rc, 0);
	const ynode *r = q.docs[0].root;
	assert_string_equal(yn_get_str(r, "b"), "x y");
	assert_int_equal(yn_get(r, "b")->style, YN_SINGLE);
	assert_string_equal(yn_get_str(r, "lit"), "line1\nline2\n");
	assert_string_equal(yn_get_str(yn_get(r, "c")->item[0], "d"), "q");
	/* Emitting the re-parsed tree gives the same bytes: a fixed point. */
	char *again = yn_emit_string(r, NULL);
	assert_string_equal(out, again);
	free(out);
	free(again);
	done(&q);
	done(&p);
}

static void test_build_and_change(void **state)
{
	(void)state;
	arena *a = arena_new();
	ynode *m = yn_new_map(a);
	assert_int_equal(yn_map_set(a, m, "k", yn_new_scalar(a, "v", YN_PLAIN)), 0);
	assert_int_equal(yn_map_set(a, m, "k", yn_new_scalar(a, "w", YN_PLAIN)), 0);
	assert_int_equal(m->n, 1);
	assert_string_equal(yn_get_str(m, "k"), "w");
	ynode *s = yn_new_seq(a);
	for (int i = 0; i < 40; i++)
		assert_int_equal(yn_seq_append(a, s, yn_new_scalar(a, "x", YN_PLAIN)), 0);
	assert_int_equal(yn_seq_remove(s, 3), 0);
	assert_int_equal(s->n, 39);
	assert_int_equal(yn_map_remove(m, "k"), 0);
	assert_int_equal(yn_map_remove(m, "k"), -1);
	ynode *c = yn_copy(a, s);
	assert_int_equal(c->n, 39);
	assert_ptr_not_equal(c->item[0], s->item[0]);
	arena_free(a);
}

static void test_bad_bytes_no_crash(void **state)
{
	(void)state;
	/* Invalid UTF-8, a NUL, control characters, lone tabs: findings, never crashes. */
	const char *inputs[] = {"a: caf\xe9\n", "a: \x01\n", "\t- x\n", "{[}]", ": : :", "&a [*a]", "- !<> x", "%YAML 9.9\n---\nx\n"};
	for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
		struct parsed p = parse(inputs[i]);
		assert_true(p.rc == 0 || diag_count(p.d) > 0);
		done(&p);
	}
	struct parsed p = {arena_new(), diag_list_new(), NULL, 0, 0};
	p.rc = yn_parse(p.a, "nul.yaml", "a: b\0c\n", 7, NULL, NULL, p.d, &p.docs, &p.n);
	assert_int_equal(p.rc, -1);
	assert_string_equal(diag_get(p.d, 0)->rule, "yaml-encoding");
	done(&p);
}

static void test_too_large(void **state)
{
	(void)state;
	yn_limits lim = yn_default_limits;
	lim.max_bytes = 16;
	arena *a = arena_new();
	diag_list *d = diag_list_new();
	yn_doc *docs;
	size_t n;
	const char *text = "a: 0123456789abcdef\n";
	assert_int_equal(yn_parse(a, "big.yaml", text, strlen(text), &lim, NULL, d, &docs, &n), -1);
	assert_string_equal(diag_get(d, 0)->rule, "yaml-too-large");
	assert_int_equal(n, 0);
	arena_free(a);
	diag_list_free(d);
}

/* Past max_nodes without an alias, the file is too large, not a bomb; the
 * count runs over all the stream's documents. */
static void test_too_many_nodes(void **state)
{
	(void)state;
	yn_limits lim = yn_default_limits;
	lim.max_nodes = 40;
	arena *a = arena_new();
	diag_list *d = diag_list_new();
	yn_doc *docs;
	size_t n;
	const char *text = "a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n---\nb: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n"
			   "---\nc: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n---\nd: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n";
	assert_int_equal(yn_parse(a, "many.yaml", text, strlen(text), &lim, NULL, d, &docs, &n), -1);
	assert_string_equal(diag_get(d, 0)->rule, "yaml-too-large");
	assert_non_null(strstr(diag_get(d, 0)->msg, "more than 40 YAML nodes"));
	assert_int_equal(diag_get(d, 0)->line, 7); /* the 4th document passes 40 */
	arena_free(a);
	diag_list_free(d);
	/* the same count reached through aliases is the bomb */
	a = arena_new();
	d = diag_list_new();
	text = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a, *a]\n";
	assert_int_equal(yn_parse(a, "bomb.yaml", text, strlen(text), &lim, NULL, d, &docs, &n), -1);
	assert_string_equal(diag_get(d, 0)->rule, "yaml-alias-bomb");
	arena_free(a);
	diag_list_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_syntax_error_position),
		cmocka_unit_test(test_multi_document),
		cmocka_unit_test(test_json_input),
		cmocka_unit_test(test_billion_laughs),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_aliases_merge_duplicates),
		cmocka_unit_test(test_typed_scalars),
		cmocka_unit_test(test_posmap_literal_and_quoted),
		cmocka_unit_test(test_emit_roundtrip),
		cmocka_unit_test(test_build_and_change),
		cmocka_unit_test(test_bad_bytes_no_crash),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_too_many_nodes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
