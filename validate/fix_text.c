/* fix_text.c: compare the input's trees with the fixed trees and say the
 * difference as edits of the input's bytes (see fix_text.h).
 *
 * The walk goes down both trees at once. Equal subtrees cost nothing. A
 * changed scalar is rewritten where it stands, in its own quoting (only
 * the differing middle of a one-line scalar is replaced, so a changed
 * image tag is a change of the tag). A new mapping key, or new items of a
 * block sequence, are emitted with libyaml and inserted as whole lines,
 * indented like their siblings; removed items lose their lines. A flow
 * collection (`[a, b]`) that changed is written again in flow style. A
 * literal-block manifest is walked inside: its nodes carry positions in
 * the outer file, so a change deep in an embedded StatefulSet is an edit
 * of that line. Anything else (a scalar turned into a mapping, a change
 * inside a double-quoted multi-line string) is written again as a whole
 * node, and where even that has no faithful form the diff fails and the
 * caller falls back. */
#include "validate/fix_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "document/arena.h"
#include "document/diag.h"
#include "document/grow.h"

typedef struct ft {
	const char *src;
	size_t len;
	size_t *ls;          /* start of each line */
	size_t nl;
	ft_edits *out;
	char *err;
	size_t errlen;
	int fail;
	arena *a;            /* for manifests parsed during the walk */
} ft;

static void fail(ft *t, const ynode *at, const char *why)
{
	if (!t->fail && t->err)
		snprintf(t->err, t->errlen, "line %u: %s", at ? at->line : 0, why);
	t->fail = 1;
}

static size_t line_start(const ft *t, unsigned line)
{
	return line >= 1 && line <= t->nl ? t->ls[line - 1] : t->len;
}

/* Offset just past the newline ending `line` (or the end of the text). */
static size_t line_next(const ft *t, unsigned line)
{
	return line < t->nl ? t->ls[line] : t->len;
}

/* Byte offset of (line, col): columns count characters. */
static size_t off_of(const ft *t, unsigned line, unsigned col)
{
	size_t o = line_start(t, line);
	for (unsigned c = 1; c < col && o < t->len && t->src[o] != '\n'; c++) {
		o++;
		while (o < t->len && ((unsigned char)t->src[o] & 0xC0) == 0x80)
			o++;
	}
	return o;
}

static int add(ft *t, size_t off, size_t len, const char *text, size_t tl)
{
	ft_edits *e = t->out;
	if (GROW(e->v, e->n, e->cap, 16))
		return t->fail = 1, -1;
	char *s = malloc(tl + 1);
	if (!s)
		return t->fail = 1, -1;
	memcpy(s, text, tl);
	s[tl] = 0;
	e->v[e->n++] = (ft_edit){off, len, s};
	return 0;
}

static int line_blank(const ft *t, unsigned line)
{
	for (size_t o = line_start(t, line); o < t->len && t->src[o] != '\n'; o++)
		if (t->src[o] != ' ' && t->src[o] != '\t' && t->src[o] != '\r')
			return 0;
	return 1;
}

static unsigned indent_of(const ft *t, unsigned line)
{
	unsigned n = 0;
	for (size_t o = line_start(t, line); o < t->len && t->src[o] == ' '; o++)
		n++;
	return n;
}

/* The last line holding the node's own text (block collections and block
 * scalars end, for libyaml, where the next token starts). */
static unsigned last_line(const ft *t, const ynode *n)
{
	if (!n)
		return 0;
	if (n->kind == YN_SCALAR) {
		if (n->style != YN_LITERAL && n->style != YN_FOLDED)
			return n->end_line;
		unsigned in = n->line + 1 <= n->end_line ? indent_of(t, n->line + 1) : 0;
		for (unsigned l = n->end_line; l > n->line; l--)
			if (!line_blank(t, l) && indent_of(t, l) >= in)
				return l;
		return n->line;
	}
	if (!n->n)
		return n->end_line;
	return last_line(t, n->kind == YN_MAP ? n->val[n->n - 1] : n->item[n->n - 1]);
}

static int same(const ynode *a, const ynode *b);

static int same_scalar(const ynode *a, const ynode *b)
{
	return a->len == b->len && !memcmp(a->str, b->str, a->len);
}

int ft_same(const ynode *a, const ynode *b)
{
	return same(a, b);
}

/* Structural equality (mappings as ordered lists of keys: fix keeps order). */
static int same(const ynode *a, const ynode *b)
{
	if (!a || !b)
		return a == b;
	if (a->kind != b->kind || a->n != b->n)
		return 0;
	if (a->kind == YN_SCALAR)
		return same_scalar(a, b);
	for (size_t i = 0; i < a->n; i++) {
		if (a->kind == YN_MAP && !same(a->key[i], b->key[i]))
			return 0;
		if (!same(a->kind == YN_MAP ? a->val[i] : a->item[i], b->kind == YN_MAP ? b->val[i] : b->item[i]))
			return 0;
	}
	return 1;
}

/* libyaml's block text of n, every line indented by `ind` spaces, the
 * first one by `first` instead (the caller may have written a prefix). */
static char *emit_indented(const ynode *n, unsigned ind, unsigned first, size_t *len)
{
	size_t el;
	char *e = yn_emit_string(n, &el);
	if (!e)
		return NULL;
	/* a document marker or end may frame a scalar */
	char *b = e;
	if (!strncmp(b, "--- ", 4))
		b += 4;
	size_t bl = strlen(b);
	if (bl >= 4 && !strcmp(b + bl - 4, "...\n"))
		b[bl -= 4] = 0;
	size_t lines = 1;
	for (size_t i = 0; i < bl; i++)
		lines += b[i] == '\n';
	char *o = malloc(bl + lines * (ind + first + 1) + 2);
	if (!o) {
		free(e);
		return NULL;
	}
	size_t w = 0;
	int bol = 1, firstline = 1;
	for (size_t i = 0; i < bl; i++) {
		if (bol && b[i] != '\n') {
			unsigned k = firstline ? first : ind;
			memset(o + w, ' ', k);
			w += k;
		}
		bol = b[i] == '\n';
		if (bol)
			firstline = 0;
		o[w++] = b[i];
	}
	if (w && o[w - 1] != '\n')
		o[w++] = '\n';
	o[w] = 0;
	free(e);
	*len = w;
	return o;
}

/* Would `s` read back as this same string, written plain? */
static int plain_ok(const char *s, size_t n)
{
	if (!n || strlen(s) != n)
		return 0;
	ynode t = {.kind = YN_SCALAR, .style = YN_PLAIN, .str = s, .len = n};
	long long i;
	double d;
	int b;
	if (yn_is_null(&t) || !yn_int(&t, &i) || !yn_number(&t, &d) || !yn_bool(&t, &b))
		return 0;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) || s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	for (size_t k = 0; k < n; k++)
		if (s[k] == '\n' || s[k] == '\t' || (s[k] == ':' && (k + 1 == n || s[k + 1] == ' ')) ||
		    (s[k] == '#' && k && s[k - 1] == ' ') || (unsigned char)s[k] < 0x20)
			return 0;
	return 1;
}

/* Old and new both plain, the new one on one line without a comment
 * marker or a ": ": written as the fixed tree has it. */
static int plain_same(const ynode *o, const ynode *n)
{
	return o->style == YN_PLAIN && n->style == YN_PLAIN && n->len && strlen(n->str) == n->len &&
	       !memchr(n->str, '\n', n->len) && !strstr(n->str, " #") && !strstr(n->str, ": ") &&
	       n->str[n->len - 1] != ':' && n->str[0] != '#';
}

/* `s` written in `style` (plain, single, double), or NULL when it cannot
 * be written that way. */
static char *quote_as(yn_style style, const char *s, size_t n, size_t *ol)
{
	char *o = malloc(2 * n + 3);
	if (!o)
		return NULL;
	size_t w = 0;
	if (style == YN_PLAIN) {
		if (!plain_ok(s, n)) {
			free(o);
			return NULL;
		}
		memcpy(o, s, n);
		w = n;
	} else if (style == YN_SINGLE) {
		o[w++] = '\'';
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '\n' || (unsigned char)s[i] < 0x20) {
				free(o);
				return NULL;
			}
			if (s[i] == '\'')
				o[w++] = '\'';
			o[w++] = s[i];
		}
		o[w++] = '\'';
	} else if (style == YN_DOUBLE) {
		o[w++] = '"';
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '\n' || (unsigned char)s[i] < 0x20) {
				free(o);
				return NULL;
			}
			if (s[i] == '"' || s[i] == '\\')
				o[w++] = '\\';
			o[w++] = s[i];
		}
		o[w++] = '"';
	} else {
		free(o);
		return NULL;
	}
	o[w] = 0;
	*ol = w;
	return o;
}

static void walk(ft *t, const ynode *o, const ynode *n, unsigned ind);

/* A scalar whose value changed. */
static void scalar(ft *t, const ynode *o, const ynode *n, unsigned ind)
{
	size_t a = off_of(t, o->line, o->col);
	int one_line = o->line == o->end_line && o->style != YN_LITERAL && o->style != YN_FOLDED;
	if (one_line && n->kind == YN_SCALAR) {
		size_t b = off_of(t, o->end_line, o->end_col) + 1;
		/* plain text with no escapes: change only the differing middle */
		if (o->style != YN_DOUBLE && b - a >= o->len && b <= t->len) {
			size_t q = o->style == YN_SINGLE ? 1 : 0;
			if (b - a == o->len + 2 * q && !memcmp(t->src + a + q, o->str, o->len) && !memchr(o->str, '\'', o->len) &&
			    !memchr(n->str, '\'', n->len) && (q || plain_ok(n->str, n->len) || plain_same(o, n))) {
				size_t p = 0, s = 0;
				while (p < o->len && p < n->len && o->str[p] == n->str[p])
					p++;
				while (s < o->len - p && s < n->len - p && o->str[o->len - 1 - s] == n->str[n->len - 1 - s])
					s++;
				if (!memchr(n->str + p, '\n', n->len - p - s))
					add(t, a + q + p, o->len - p - s, n->str + p, n->len - p - s);
				else
					fail(t, o, "a one-line value became several lines");
				return;
			}
		}
		size_t ql;
		/* plain for plain: the fixed tree reads it that way already */
		char *q = plain_same(o, n) ? quote_as(YN_SINGLE, "", 0, &ql) : quote_as(o->style, n->str, n->len, &ql);
		if (q && plain_same(o, n)) {
			free(q);
			q = strndup(n->str, n->len);
			ql = n->len;
		}
		if (!q && o->style == YN_PLAIN)
			q = quote_as(YN_SINGLE, n->str, n->len, &ql);
		if (q) {
			add(t, a, b - a, q, ql);
			free(q);
			return;
		}
	}
	/* A flow collection: written again in flow style, in its place (a
	 * comment after it on the line stays). */
	if (o->kind != YN_SCALAR && o->style == YN_FLOW && n->kind == o->kind && o->line == o->end_line) {
		ynode f = *n;
		f.style = YN_FLOW;
		size_t el;
		char *e = emit_indented(&f, 0, 0, &el);
		if (!e) {
			t->fail = 1;
			return;
		}
		while (el && e[el - 1] == '\n')
			el--;
		if (!memchr(e, '\n', el)) {
			add(t, a, off_of(t, o->end_line, o->end_col) + 1 - a, e, el);
			free(e);
			return;
		}
		free(e);
	}
	/* Anything else: the node again, as libyaml writes it, after its key
	 * (or dash), with its lines indented under it. */
	size_t el;
	int block = n->kind == YN_SCALAR && (n->style == YN_LITERAL || n->style == YN_FOLDED);
	/* libyaml indents a block scalar's text by 2 itself */
	char *e = emit_indented(n, block ? ind : ind + 2, 0, &el);
	if (!e) {
		t->fail = 1;
		return;
	}
	unsigned last = last_line(t, o);
	size_t end = line_next(t, last);
	int multi = memchr(e, '\n', el) != e + el - 1;
	if (multi && n->kind == YN_SCALAR && (n->style == YN_LITERAL || n->style == YN_FOLDED)) {
		/* "key: |" then the text: keep it after the key, as a block */
		add(t, a, end - a, e, el);
	} else if (multi) {
		/* a collection goes on the lines below its key */
		char *nl = malloc(el + 2);
		if (!nl) {
			free(e);
			t->fail = 1;
			return;
		}
		nl[0] = '\n';
		memcpy(nl + 1, e, el);
		/* drop the spaces before the node: the key ends the line */
		size_t a2 = a;
		while (a2 > line_start(t, o->line) && t->src[a2 - 1] == ' ')
			a2--;
		add(t, a2, end - a2, nl, el + 1);
		free(nl);
	} else {
		add(t, a, end - a, e, el);
	}
	free(e);
}

/* The dash column of a block sequence's items (0-based), from the source. */
static int dash_col(const ft *t, const ynode *item, unsigned *col)
{
	size_t a = off_of(t, item->line, item->col), ls = line_start(t, item->line);
	while (a > ls && t->src[a - 1] == ' ')
		a--;
	if (a == ls || t->src[a - 1] != '-')
		return -1;
	a--;
	/* only spaces before the dash: the item's lines are its own */
	for (size_t k = ls; k < a; k++)
		if (t->src[k] != ' ')
			return -1;
	*col = (unsigned)(a - ls);
	return 0;
}

static void insert_items(ft *t, size_t at, const ynode *const *items, size_t n, unsigned dash)
{
	for (size_t i = 0; i < n && !t->fail; i++) {
		size_t el;
		char *e = emit_indented(items[i], dash + 2, 0, &el);
		if (!e) {
			t->fail = 1;
			return;
		}
		char *s = malloc(el + dash + 3);
		if (!s) {
			free(e);
			t->fail = 1;
			return;
		}
		memset(s, ' ', dash);
		memcpy(s + dash, "- ", 2);
		memcpy(s + dash + 2, e, el);
		add(t, at, 0, s, el + dash + 2);
		free(s);
		free(e);
	}
}

/* The `name:` of a mapping item, which says which old item a new one is
 * (a changed task is still that task), or NULL. */
static const ynode *item_name(const ynode *it)
{
	return it && it->kind == YN_MAP ? yn_get(it, "name") : NULL;
}

/* Old items [i, i2) became new items [j, j2): pair them (by name, else by
 * place), walk the pairs, insert the new items where they stand among the
 * pairs, and remove the old items left over. */
static void hunk(ft *t, const ynode *o, const ynode *n, size_t i, size_t i2, size_t j, size_t j2, unsigned dash)
{
	size_t no = i2 - i, nn = j2 - j;
	long *pair = malloc((nn + 1) * sizeof *pair); /* new k -> old index, or -1 */
	char *used = calloc(no + 1, 1);
	if (!pair || !used) {
		free(pair);
		free(used);
		t->fail = 1;
		return;
	}
	int named = 0;
	for (size_t k = 0; k < nn; k++) {
		pair[k] = -1;
		const ynode *nm = item_name(n->item[j + k]);
		for (size_t m = 0; nm && m < no; m++) {
			const ynode *om = item_name(o->item[i + m]);
			if (!used[m] && om && same(om, nm)) {
				pair[k] = (long)m;
				used[m] = 1;
				named = 1;
				break;
			}
		}
	}
	if (!named) /* nothing to tell them apart by: by place */
		for (size_t k = 0; k < nn && k < no; k++) {
			pair[k] = (long)k;
			used[k] = 1;
		}
	size_t at = i > 0 ? line_next(t, last_line(t, o->item[i - 1])) : line_start(t, o->item[0]->line);
	long last = -1;
	for (size_t k = 0; k < nn && !t->fail; k++) {
		if (pair[k] < 0) {
			insert_items(t, at, (const ynode *const *)&n->item[j + k], 1, dash);
			continue;
		}
		if (pair[k] < last) {
			fail(t, n->item[j + k], "items changed their order");
			break;
		}
		last = pair[k];
		const ynode *it = o->item[i + (size_t)pair[k]];
		walk(t, it, n->item[j + k], dash + 2);
		at = line_next(t, last_line(t, it));
	}
	for (size_t m = 0; m < no && !t->fail; m++)
		if (!used[m]) {
			const ynode *it = o->item[i + m];
			size_t a = line_start(t, it->line), b = line_next(t, last_line(t, it));
			add(t, a, b - a, "", 0);
		}
	free(pair);
	free(used);
}

static void seq(ft *t, const ynode *o, const ynode *n, unsigned ind)
{
	if (o->style == YN_FLOW || n->n == 0 || o->n == 0) {
		if (!same(o, n))
			scalar(t, o, n, ind); /* written again whole */
		return;
	}
	/* Align items: longest common subsequence of equal items. */
	size_t A = o->n, B = n->n;
	unsigned short *L = calloc((A + 1) * (B + 1), sizeof *L);
	if (!L || A > 4000 || B > 4000) {
		free(L);
		fail(t, o, "sequence too long to align");
		return;
	}
#define LCS(i, j) L[(i) * (B + 1) + (j)]
	for (size_t i = A; i-- > 0;)
		for (size_t j = B; j-- > 0;)
			LCS(i, j) = same(o->item[i], n->item[j]) ? LCS(i + 1, j + 1) + 1
				   : LCS(i + 1, j) > LCS(i, j + 1) ? LCS(i + 1, j) : LCS(i, j + 1);
	unsigned dash;
	if (dash_col(t, o->item[0], &dash)) {
		free(L);
		fail(t, o, "a sequence whose items share lines");
		return;
	}
	size_t i = 0, j = 0;
	while (i < A || j < B) {
		if (i < A && j < B && same(o->item[i], n->item[j])) {
			i++, j++;
			continue;
		}
		/* a hunk: old items [i, i2), new items [j, j2) before the next match */
		size_t i2 = i, j2 = j;
		while (i2 < A || j2 < B) {
			if (i2 < A && j2 < B && same(o->item[i2], n->item[j2]) && LCS(i2, j2) == LCS(i, j))
				break;
			if (j2 < B && (i2 == A || LCS(i2, j2 + 1) >= LCS(i2 + 1, j2)))
				j2++;
			else
				i2++;
		}
		hunk(t, o, n, i, i2, j, j2, dash);
		i = i2, j = j2;
	}
#undef LCS
	free(L);
}

static void map(ft *t, const ynode *o, const ynode *n, unsigned ind)
{
	if (o->style == YN_FLOW) {
		if (!same(o, n))
			scalar(t, o, n, ind);
		return;
	}
	/* keys of o, in o's order, must come first and in order in n (fix
	 * appends new keys and never reorders); removed keys lose their lines */
	size_t j = 0;
	for (size_t i = 0; i < o->n && !t->fail; i++) {
		const ynode *k = o->key[i];
		size_t f;
		for (f = j; f < n->n; f++)
			if (same(k, n->key[f]))
				break;
		if (f == n->n) {
			size_t a = line_start(t, k->line), b = line_next(t, last_line(t, o->val[i]));
			if (off_of(t, k->line, k->col) != a + indent_of(t, k->line)) {
				fail(t, k, "a removed key shares its line");
				return;
			}
			add(t, a, b - a, "", 0);
			continue;
		}
		if (f != j) {
			fail(t, k, "keys were inserted between existing keys");
			return;
		}
		walk(t, o->val[i], n->val[j], k->col - 1);
		j++;
	}
	if (j < n->n && !t->fail) {
		if (!o->n) {
			fail(t, o, "keys added to an empty mapping");
			return;
		}
		const ynode *k0 = o->key[0];
		unsigned col = k0->col - 1;
		/* the first key of a mapping that is a sequence item sits after "- " */
		size_t at = line_next(t, last_line(t, o->val[o->n - 1]));
		ynode tmp = {.kind = YN_MAP, .style = YN_BLOCK, .n = n->n - j, .key = n->key + j, .val = n->val + j};
		size_t el;
		char *e = emit_indented(&tmp, col, col, &el);
		if (!e) {
			t->fail = 1;
			return;
		}
		add(t, at, 0, e, el);
		free(e);
	}
}

/* A literal-block manifest: walk the documents inside it, whose nodes
 * carry positions in this file. 0 when done, -1 when the caller must
 * treat it as a plain scalar. */
static int manifest(ft *t, const ynode *o, const ynode *n)
{
	if (o->style != YN_LITERAL || n->kind != YN_SCALAR || !t->a || strstr(o->str, "{{") ||
	    strstr(n->str, "{{") || !strchr(o->str, ':'))
		return -1;
	yn_posmap map;
	if (yn_scalar_posmap(t->a, o, t->src, t->len, &map))
		return -1;
	diag_list *d = diag_list_new();
	yn_doc *od = NULL, *nd = NULL;
	size_t on = 0, nn = 0;
	int ok = d && !yn_parse(t->a, o->file, o->str, o->len, NULL, &map, d, &od, &on) &&
		 !yn_parse(t->a, o->file, n->str, n->len, NULL, NULL, d, &nd, &nn) && on == nn && on;
	diag_list_free(d);
	if (!ok)
		return -1;
	for (size_t i = 0; i < on; i++)
		if (!od[i].root || !nd[i].root || od[i].root->kind != YN_MAP)
			return -1;
	size_t before = t->out->n;
	for (size_t i = 0; i < on && !t->fail; i++)
		walk(t, od[i].root, nd[i].root, 0);
	if (t->fail) {
		/* undo, and let the caller write the scalar whole */
		for (size_t i = before; i < t->out->n; i++)
			free(t->out->v[i].text);
		t->out->n = before;
		t->fail = 0;
		if (t->err)
			t->err[0] = 0;
		return -1;
	}
	return 0;
}

static void walk(ft *t, const ynode *o, const ynode *n, unsigned ind)
{
	if (t->fail || same(o, n))
		return;
	if (!o || !n) {
		fail(t, o ? o : n, "a node appeared or vanished");
		return;
	}
	if (o->kind != n->kind || o->kind == YN_SCALAR) {
		if (o->kind == YN_SCALAR && !manifest(t, o, n))
			return;
		scalar(t, o, n, ind);
		return;
	}
	if (o->kind == YN_SEQ)
		seq(t, o, n, ind);
	else
		map(t, o, n, ind);
}

static int cmp_edit(const void *pa, const void *pb)
{
	const ft_edit *a = pa, *b = pb;
	if (a->off != b->off)
		return a->off < b->off ? -1 : 1;
	/* an insertion before a replacement at the same place */
	return (a->len > 0) - (b->len > 0);
}

int ft_diff(const char *src, size_t srclen, const yn_doc *old, size_t nold, const yn_doc *new_,
	    size_t nnew, ft_edits *out, char *err, size_t errlen)
{
	if (nold != nnew) {
		snprintf(err, errlen, "the number of documents changed");
		return -1;
	}
	ft t = {.src = src, .len = srclen, .out = out, .err = err, .errlen = errlen, .a = arena_new()};
	size_t nl = 1;
	for (size_t i = 0; i < srclen; i++)
		nl += src[i] == '\n';
	t.ls = malloc(nl * sizeof *t.ls);
	if (!t.ls) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t.ls[0] = 0;
	t.nl = 1;
	for (size_t i = 0; i < srclen; i++)
		if (src[i] == '\n' && i + 1 <= srclen)
			t.ls[t.nl++] = i + 1;
	for (size_t d = 0; d < nold && !t.fail; d++)
		walk(&t, old[d].root, new_[d].root, 0);
	free(t.ls);
	arena_free(t.a);
	if (t.fail) {
		if (!err[0])
			snprintf(err, errlen, "out of memory");
		return -1;
	}
	qsort(out->v, out->n, sizeof *out->v, cmp_edit);
	for (size_t i = 1; i < out->n; i++)
		if (out->v[i].off < out->v[i - 1].off + out->v[i - 1].len) {
			snprintf(err, errlen, "two edits overlap at byte %zu", out->v[i].off);
			return -1;
		}
	return 0;
}

char *ft_apply(const char *src, size_t srclen, ft_edits *e, size_t *outlen)
{
	size_t n = srclen + 1;
	for (size_t i = 0; i < e->n; i++)
		n += strlen(e->v[i].text);
	char *o = malloc(n);
	if (!o)
		return NULL;
	size_t w = 0, at = 0;
	for (size_t i = 0; i < e->n; i++) {
		memcpy(o + w, src + at, e->v[i].off - at);
		w += e->v[i].off - at;
		size_t tl = strlen(e->v[i].text);
		memcpy(o + w, e->v[i].text, tl);
		w += tl;
		at = e->v[i].off + e->v[i].len;
	}
	memcpy(o + w, src + at, srclen - at);
	w += srclen - at;
	o[w] = 0;
	*outlen = w;
	return o;
}

size_t ft_lines_touched(const char *src, size_t srclen, const ft_edits *e)
{
	size_t n = 0, last = (size_t)-1;
	for (size_t i = 0; i < e->n; i++) {
		size_t line = 1;
		for (size_t k = 0; k < e->v[i].off && k < srclen; k++)
			line += src[k] == '\n';
		size_t end = line;
		for (size_t k = e->v[i].off; k < e->v[i].off + e->v[i].len && k < srclen; k++)
			end += src[k] == '\n' && k + 1 < e->v[i].off + e->v[i].len;
		for (size_t l = line; l <= end; l++)
			if (l != last || l == line)
				n += l != last, last = l;
	}
	return n;
}

void ft_edits_free(ft_edits *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i].text);
	free(e->v);
	e->v = NULL;
	e->n = e->cap = 0;
}
