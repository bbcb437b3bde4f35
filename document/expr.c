/* expr.c: `when` conditions (see expr.h), a recursive-descent reader that
 * evaluates as it parses, in two dialects sharing one grammar:
 *
 *   cond  := or ['?' cond ':' cond]                     (expr-lang only)
 *   or    := and (('||' | 'or') and)*
 *   and   := cmp (('&&' | 'and') cmp)*
 *   cmp   := add (('=='|'!='|'<'|'<='|'>'|'>='|'=~'|'!~') add)*
 *   add   := mul (('+'|'-') mul)*
 *   mul   := unary (('*'|'/'|'%') unary)*
 *   unary := ('!'|'not'|'-') unary | post
 *   post  := prim ('.' name ['(' args ')'] | '[' cond ']')*
 *   prim  := number | string | word | {{...}} | '(' cond ')' | name '(' args ')'
 *
 * govaluate (the outer text): a word is a string ("heads"), except true
 * and false; {{...}} is a reference for the caller, and {{=...}} an
 * expr-lang expression read here. expr-lang: a word is a variable path for
 * the caller; its values are strings, as Argo passes parameters. */
#include "document/expr.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { V_UNKNOWN, V_NIL, V_BOOL, V_NUM, V_STR } vkind;

typedef struct val {
	vkind k;
	int b;
	double n;
	const char *s;     /* V_STR: the bytes; V_NUM, V_BOOL: the source text */
	size_t len;
	const char *ref;   /* V_UNKNOWN: the reference it stands for, if one */
	size_t reflen;
} val;

typedef struct parser {
	const char *s;
	size_t i, end;     /* the text read is s[i..end) */
	int lang;          /* 1: expr-lang, 0: govaluate */
	const expr_env *env;
	const char *err;
	size_t err_off;
	unsigned depth;
} parser;

static int fail(parser *p, const char *msg)
{
	if (!p->err) {
		p->err = msg;
		p->err_off = p->i;
	}
	return -1;
}

static void skip_ws(parser *p)
{
	while (p->i < p->end && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' ||
				 p->s[p->i] == '\r'))
		p->i++;
}

static int at(parser *p, const char *tok)
{
	size_t n = strlen(tok);
	return p->i + n <= p->end && !memcmp(p->s + p->i, tok, n);
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A word operator (`and`, `not`) of expr-lang: the word, not a prefix of a name. */
static int at_word(parser *p, const char *w)
{
	size_t n = strlen(w);
	return p->lang && at(p, w) && (p->i + n == p->end || !(is_alpha(p->s[p->i + n]) || is_digit(p->s[p->i + n])));
}

/* Text as govaluate types it after substitution: a number, true/false,
 * else a string. */
static val typed(const char *s, size_t len)
{
	val v = {V_STR, 0, 0, s, len, NULL, 0};
	if (len == 4 && !memcmp(s, "true", 4))
		v.k = V_BOOL, v.b = 1;
	else if (len == 5 && !memcmp(s, "false", 5))
		v.k = V_BOOL, v.b = 0;
	else if (len && len < 64) {
		char buf[64], *e;
		memcpy(buf, s, len);
		buf[len] = 0;
		double d = strtod(buf, &e);
		if (e != buf && !*e && (is_digit(buf[0]) || ((buf[0] == '-' || buf[0] == '.') && len > 1)))
			v.k = V_NUM, v.n = d;
	}
	return v;
}

static val unknown(const char *ref, size_t len)
{
	val v = {V_UNKNOWN, 0, 0, NULL, 0, ref, len};
	return v;
}

static int parse_cond(parser *p, val *v);

/* {{name}} or {{=expr}}: the caller's value, or an expression read here. */
static int parse_ref(parser *p, val *v)
{
	size_t open = p->i;
	const char *c = NULL;
	for (size_t k = p->i + 2; k + 1 < p->end; k++)
		if (p->s[k] == '}' && p->s[k + 1] == '}') {
			c = p->s + k;
			break;
		}
	if (!c)
		return fail(p, "'{{' without '}}'");
	size_t b = open + 2, e = (size_t)(c - p->s);
	p->i = e + 2;
	while (b < e && (p->s[b] == ' ' || p->s[b] == '\t'))
		b++;
	while (e > b && (p->s[e - 1] == ' ' || p->s[e - 1] == '\t'))
		e--;
	if (b < e && p->s[b] == '=') {
		parser q = {p->s, b + 1, e, 1, p->env, NULL, 0, p->depth};
		skip_ws(&q);
		if (parse_cond(&q, v))
			goto inner_error;
		skip_ws(&q);
		if (q.i != q.end) {
			fail(&q, "unexpected text in {{=...}}");
			goto inner_error;
		}
		if (v->k == V_STR) /* its text takes the place of {{=...}}, typed as govaluate would */
			*v = typed(v->s, v->len);
		return 0;
	inner_error:
		p->err = q.err;
		p->err_off = q.err_off;
		return -1;
	}
	const char *r = p->env && p->env->ref ? p->env->ref(p->env->u, p->s + b, e - b) : NULL;
	*v = r ? typed(r, strlen(r)) : unknown(p->s + b, e - b);
	return 0;
}

static int parse_string(parser *p, val *v)
{
	char q = p->s[p->i++];
	size_t b = p->i;
	while (p->i < p->end && p->s[p->i] != q)
		p->i += p->s[p->i] == '\\' && p->i + 1 < p->end ? 2 : 1;
	if (p->i >= p->end)
		return fail(p, "string without its closing quote");
	v->k = V_STR;
	v->s = p->s + b;
	v->len = p->i - b;
	p->i++;
	return 0;
}

/* Arguments of a call, each read (so its comparisons are reported) and the
 * first two kept. */
static int parse_args(parser *p, val *a, int *n)
{
	*n = 0;
	p->i++; /* ( */
	skip_ws(p);
	if (at(p, ")")) {
		p->i++;
		return 0;
	}
	for (;;) {
		val x;
		if (parse_cond(p, &x))
			return -1;
		if (*n < 2)
			a[*n] = x;
		++*n;
		skip_ws(p);
		if (at(p, ",")) {
			p->i++;
			continue;
		}
		if (at(p, ")")) {
			p->i++;
			return 0;
		}
		return fail(p, "expected ',' or ')'");
	}
}

/* An expr-lang name: a variable path (a.b["c-d"] reads as a.b.c-d), or a
 * function call. */
static int parse_name(parser *p, val *v)
{
	char path[512];
	size_t n = 0, start = p->i;
	for (;;) {
		size_t b = p->i;
		while (p->i < p->end && (is_alpha(p->s[p->i]) || is_digit(p->s[p->i])))
			p->i++;
		size_t len = p->i - b;
		if (n + len + 2 > sizeof path)
			return fail(p, "name too long");
		memcpy(path + n, p->s + b, len);
		n += len;
		if (at(p, ".") && p->i + 1 < p->end && is_alpha(p->s[p->i + 1])) {
			p->i++;
			path[n++] = '.';
			continue;
		}
		if (at(p, "[\"") || at(p, "['")) {
			size_t save = p->i;
			p->i++;
			val k;
			if (parse_string(p, &k))
				return -1;
			skip_ws(p);
			if (!at(p, "]") || n + k.len + 2 > sizeof path) {
				p->i = save;
				break;
			}
			p->i++;
			path[n++] = '.';
			memcpy(path + n, k.s, k.len);
			n += k.len;
			if (at(p, ".") && p->i + 1 < p->end && is_alpha(p->s[p->i + 1])) {
				p->i++;
				path[n++] = '.';
				continue;
			}
			if (at(p, "[\"") || at(p, "['"))
				continue;
		}
		break;
	}
	skip_ws(p);
	if (at(p, "(")) {
		val a[2];
		int na;
		if (parse_args(p, a, &na))
			return -1;
		if ((n == 5 && !memcmp(path, "asInt", 5)) || (n == 7 && !memcmp(path, "asFloat", 7))) {
			if (na != 1)
				return fail(p, "asInt and asFloat take one argument");
			if (a[0].k == V_STR || a[0].k == V_NUM) {
				val t = a[0].k == V_STR ? typed(a[0].s, a[0].len) : a[0];
				if (t.k != V_NUM)
					return fail(p, "asInt/asFloat of a value that is not a number");
				*v = t;
				if (path[2] == 'I') {
					v->n = (double)(long long)v->n;
					v->s = NULL, v->len = 0;
				}
			} else {
				*v = a[0].k == V_UNKNOWN ? a[0] : unknown(NULL, 0);
			}
			return 0;
		}
		*v = unknown(NULL, 0); /* now(), jsonpath(), sprig.*: only a real run knows */
		return 0;
	}
	if (n == 4 && !memcmp(path, "true", 4))
		*v = typed("true", 4);
	else if (n == 5 && !memcmp(path, "false", 5))
		*v = typed("false", 5);
	else if (n == 3 && !memcmp(path, "nil", 3))
		v->k = V_NIL;
	else {
		const char *r = p->env && p->env->ref ? p->env->ref(p->env->u, path, n) : NULL;
		if (r) {
			v->k = V_STR, v->s = r, v->len = strlen(r);
		} else {
			*v = unknown(NULL, 0); /* its name is in path, gone at return: keep the source */
			v->ref = p->s + start;
			v->reflen = p->i - start;
		}
	}
	return 0;
}

static int parse_prim(parser *p, val *v)
{
	skip_ws(p);
	memset(v, 0, sizeof *v);
	if (p->i >= p->end)
		return fail(p, "the condition ends where a value should be");
	char c = p->s[p->i];
	if (c == '(') {
		if (p->depth >= EXPR_MAX_DEPTH)
			return fail(p, "parentheses nested too deep");
		p->depth++;
		p->i++;
		if (parse_cond(p, v))
			return -1;
		skip_ws(p);
		if (!at(p, ")"))
			return fail(p, "expected ')'");
		p->i++;
		p->depth--;
		return 0;
	}
	if (c == '\'' || c == '"' || (c == '`' && p->lang))
		return parse_string(p, v);
	if (at(p, "{{") && !p->lang)
		return parse_ref(p, v);
	if (is_digit(c) || (c == '.' && p->i + 1 < p->end && is_digit(p->s[p->i + 1]))) {
		size_t b = p->i;
		while (p->i < p->end && (is_digit(p->s[p->i]) || p->s[p->i] == '.'))
			p->i++;
		/* govaluate: "3abc" after substitution is a word, read as a string */
		while (!p->lang && p->i < p->end && (is_alpha(p->s[p->i]) || is_digit(p->s[p->i]) || p->s[p->i] == '.'))
			p->i++;
		*v = typed(p->s + b, p->i - b);
		return 0;
	}
	if (is_alpha(c)) {
		if (p->lang)
			return parse_name(p, v);
		size_t b = p->i;
		while (p->i < p->end && (is_alpha(p->s[p->i]) || is_digit(p->s[p->i]) || p->s[p->i] == '.'))
			p->i++;
		*v = typed(p->s + b, p->i - b);
		if (v->k == V_NUM) /* a word, even "e5"-like */
			v->k = V_STR;
		return 0;
	}
	return fail(p, "expected a value");
}

/* expr-lang's postfix: a member or index of a value, a method call. What
 * they give is unknown offline (a duration's .Seconds()). */
static int parse_post(parser *p, val *v)
{
	if (parse_prim(p, v))
		return -1;
	for (;;) {
		skip_ws(p);
		if (!p->lang)
			return 0;
		if (at(p, ".") && p->i + 1 < p->end && is_alpha(p->s[p->i + 1])) {
			p->i++;
			while (p->i < p->end && (is_alpha(p->s[p->i]) || is_digit(p->s[p->i])))
				p->i++;
			skip_ws(p);
			if (at(p, "(")) {
				val a[2];
				int na;
				if (parse_args(p, a, &na))
					return -1;
			}
			*v = unknown(NULL, 0);
		} else if (at(p, "[")) {
			p->i++;
			val k;
			if (parse_cond(p, &k))
				return -1;
			skip_ws(p);
			if (!at(p, "]"))
				return fail(p, "expected ']'");
			p->i++;
			*v = unknown(NULL, 0);
		} else {
			return 0;
		}
	}
}

static int parse_unary(parser *p, val *v)
{
	skip_ws(p);
	int neg = 0, minus = 0;
	for (;; skip_ws(p)) {
		if (at(p, "!") && !at(p, "!=") && !at(p, "!~")) {
			p->i++;
			neg++;
		} else if (at_word(p, "not")) {
			p->i += 3;
			neg++;
		} else if (at(p, "-") && !neg) {
			p->i++;
			minus = !minus;
		} else {
			break;
		}
	}
	size_t here = p->i;
	if (parse_post(p, v))
		return -1;
	if (minus) {
		if (v->k == V_NUM)
			v->n = -v->n;
		else if (v->k != V_UNKNOWN) {
			p->i = here;
			return fail(p, "'-' of a value that is not a number");
		}
	}
	if (neg) {
		if (v->k == V_BOOL)
			v->b ^= neg & 1;
		else if (v->k != V_UNKNOWN) {
			p->i = here;
			return fail(p, "'!' of a value that is not true or false");
		} else
			*v = unknown(NULL, 0);
	}
	return 0;
}

static int parse_mul(parser *p, val *v)
{
	if (parse_unary(p, v))
		return -1;
	for (;;) {
		skip_ws(p);
		char op = p->i < p->end ? p->s[p->i] : 0;
		if (op != '*' && op != '/' && op != '%' && op != '+' && op != '-')
			return 0;
		/* one loop for both levels would get 1 + 2 * 3 wrong: + and - are
		 * left to parse_add */
		if (op == '+' || op == '-')
			return 0;
		size_t here = p->i++;
		val w;
		if (parse_unary(p, &w))
			return -1;
		if (v->k == V_UNKNOWN || w.k == V_UNKNOWN) {
			*v = unknown(NULL, 0);
			continue;
		}
		if (v->k != V_NUM || w.k != V_NUM) {
			p->i = here;
			return fail(p, "arithmetic on a value that is not a number");
		}
		if (op == '*')
			v->n *= w.n;
		else if (w.n == 0) {
			p->i = here;
			return fail(p, "division by zero");
		} else if (op == '/')
			v->n /= w.n;
		else
			v->n = (double)((long long)v->n % (long long)w.n);
		v->s = NULL, v->len = 0;
	}
}

static int parse_add(parser *p, val *v)
{
	if (parse_mul(p, v))
		return -1;
	for (;;) {
		skip_ws(p);
		if (!at(p, "+") && !at(p, "-"))
			return 0;
		char op = p->s[p->i];
		size_t here = p->i++;
		val w;
		if (parse_mul(p, &w))
			return -1;
		if (v->k == V_NUM && w.k == V_NUM) {
			v->n = op == '+' ? v->n + w.n : v->n - w.n;
			v->s = NULL, v->len = 0;
		} else if (v->k == V_UNKNOWN || w.k == V_UNKNOWN || (op == '+' && v->k == V_STR && w.k == V_STR)) {
			*v = unknown(NULL, 0); /* joined strings are not kept: nothing here compares them */
		} else {
			p->i = here;
			return fail(p, "arithmetic on a value that is not a number");
		}
	}
}

/* The text of a known value, for the caller's list of compared values. */
static const char *val_text(const val *v, char *buf, size_t n, size_t *len)
{
	if (v->k == V_STR || (v->s && v->k != V_NIL)) {
		*len = v->len;
		return v->s;
	}
	if (v->k == V_BOOL) {
		*len = v->b ? 4 : 5;
		return v->b ? "true" : "false";
	}
	if (v->k == V_NIL) {
		*len = 3;
		return "nil";
	}
	int k = snprintf(buf, n, "%.17g", v->n);
	*len = k > 0 ? (size_t)k : 0;
	return buf;
}

static int regex_match(const val *s, const val *re, int *m)
{
	char *t = malloc(s->len + 1), *r = malloc(re->len + 1);
	int rc = -1;
	regex_t x;
	if (t && r) {
		memcpy(t, s->s, s->len);
		t[s->len] = 0;
		memcpy(r, re->s, re->len);
		r[re->len] = 0;
		if (!regcomp(&x, r, REG_EXTENDED | REG_NOSUB)) {
			*m = !regexec(&x, t, 0, NULL, 0);
			regfree(&x);
			rc = 0;
		}
	}
	free(t);
	free(r);
	return rc;
}

static const char *const cmp_ops[] = {"==", "!=", "<=", ">=", "=~", "!~", "<", ">"};
static const char *const flipped[] = {"==", "!=", ">=", "<=", "=~", "!~", ">", "<"};

static int compare(parser *p, int op, val *v, const val *w, size_t here)
{
	if (v->k == V_UNKNOWN || w->k == V_UNKNOWN) {
		const val *u = v->k == V_UNKNOWN ? v : w, *k = v->k == V_UNKNOWN ? w : v;
		if (p->env && p->env->cmp && u->ref && k->k != V_UNKNOWN) {
			char buf[40];
			size_t len;
			const char *t = val_text(k, buf, sizeof buf, &len);
			p->env->cmp(p->env->u, u->ref, u->reflen, u == v ? cmp_ops[op] : flipped[op], t, len);
		}
		*v = unknown(NULL, 0);
		return 0;
	}
	int r;
	if (op <= 1) { /* equality: values of different types are not equal */
		int eq = v->k == w->k &&
			 (v->k == V_NIL || (v->k == V_BOOL && v->b == w->b) || (v->k == V_NUM && v->n == w->n) ||
			  (v->k == V_STR && v->len == w->len && !memcmp(v->s, w->s, v->len)));
		r = op == 0 ? eq : !eq;
	} else if (op == 4 || op == 5) {
		int m;
		if (v->k != V_STR && !(v->k == V_NUM && v->s)) {
			p->i = here;
			return fail(p, "=~ and !~ match a string");
		}
		if (w->k != V_STR && !(w->k == V_NUM && w->s)) {
			p->i = here;
			return fail(p, "the pattern of =~ and !~ is a string");
		}
		if (regex_match(v, w, &m)) {
			p->i = here;
			return fail(p, "not a regular expression rehearse can read");
		}
		r = op == 4 ? m : !m;
	} else {
		int c;
		if (v->k == V_NUM && w->k == V_NUM) {
			c = (v->n > w->n) - (v->n < w->n);
		} else if (v->k == V_STR && w->k == V_STR) {
			size_t n = v->len < w->len ? v->len : w->len;
			c = memcmp(v->s, w->s, n);
			if (!c)
				c = (v->len > w->len) - (v->len < w->len);
		} else {
			p->i = here;
			return fail(p, "ordering compares two numbers or two strings");
		}
		r = op == 2 ? c <= 0 : op == 3 ? c >= 0 : op == 6 ? c < 0 : c > 0;
	}
	memset(v, 0, sizeof *v);
	v->k = V_BOOL;
	v->b = r;
	return 0;
}

static int parse_cmp(parser *p, val *v)
{
	if (parse_add(p, v))
		return -1;
	for (;;) {
		skip_ws(p);
		int op = -1;
		for (int k = 0; k < (int)(sizeof cmp_ops / sizeof cmp_ops[0]); k++)
			if (at(p, cmp_ops[k])) {
				op = k;
				break;
			}
		if (op < 0)
			return 0;
		size_t here = p->i;
		p->i += strlen(cmp_ops[op]);
		val w;
		if (parse_add(p, &w) || compare(p, op, v, &w, here))
			return -1;
	}
}

/* Three-valued && and ||: every operand is read (no short-circuit), so
 * every comparison is reported. */
static int logic(parser *p, int is_and, val *v, const val *w, size_t here)
{
	if ((v->k != V_BOOL && v->k != V_UNKNOWN) || (w->k != V_BOOL && w->k != V_UNKNOWN)) {
		p->i = here;
		return fail(p, is_and ? "&& joins true or false values" : "|| joins true or false values");
	}
	int dominant = is_and ? 0 : 1; /* false decides &&, true decides || */
	if ((v->k == V_BOOL && v->b == dominant) || (w->k == V_BOOL && w->b == dominant)) {
		memset(v, 0, sizeof *v);
		v->k = V_BOOL;
		v->b = dominant;
	} else if (v->k == V_UNKNOWN || w->k == V_UNKNOWN) {
		*v = unknown(NULL, 0);
	} else {
		v->b = !dominant;
		v->s = NULL;
	}
	return 0;
}

/* One level of the logic operators: `&&`/`and` (is_and) over comparisons,
 * or `||`/`or` over that level, left to right. */
static int parse_logic(parser *p, int is_and, val *v)
{
	static const struct {
		const char *sym, *word;
	} op[2] = {{"||", "or"}, {"&&", "and"}};
	if (is_and ? parse_cmp(p, v) : parse_logic(p, 1, v))
		return -1;
	for (;;) {
		skip_ws(p);
		size_t here = p->i;
		if (at(p, op[is_and].sym))
			p->i += strlen(op[is_and].sym);
		else if (at_word(p, op[is_and].word))
			p->i += strlen(op[is_and].word);
		else
			return 0;
		val w;
		if ((is_and ? parse_cmp(p, &w) : parse_logic(p, 1, &w)) || logic(p, is_and, v, &w, here))
			return -1;
	}
}

static int parse_cond(parser *p, val *v)
{
	if (p->depth >= EXPR_MAX_DEPTH)
		return fail(p, "nested too deep");
	p->depth++;
	if (parse_logic(p, 0, v))
		return -1;
	skip_ws(p);
	if (p->lang && at(p, "?") && !at(p, "??")) {
		size_t here = p->i++;
		val a, b;
		if (parse_cond(p, &a))
			return -1;
		skip_ws(p);
		if (!at(p, ":"))
			return fail(p, "expected ':'");
		p->i++;
		if (parse_cond(p, &b))
			return -1;
		if (v->k == V_BOOL)
			*v = v->b ? a : b;
		else if (v->k == V_UNKNOWN)
			*v = unknown(NULL, 0);
		else {
			p->i = here;
			return fail(p, "'?' after a value that is not true or false");
		}
	}
	p->depth--;
	return 0;
}

int expr_when(const char *s, const expr_env *env, int *value, size_t *err_off, const char **err_msg)
{
	s = s ? s : "";
	parser p = {s, 0, strlen(s), 0, env, NULL, 0, 0};
	val v;
	if (!parse_cond(&p, &v)) {
		skip_ws(&p);
		if (p.i != p.end) {
			fail(&p, at(&p, "&") || at(&p, "|") ? "use && and || (doubled)"
							    : "expected an operator (==, !=, <, >, =~, &&, ||)");
		} else if (v.k == V_UNKNOWN) {
			return 1;
		} else if (v.k != V_BOOL) {
			p.i = 0;
			fail(&p, "the condition is not true or false");
		} else {
			if (value)
				*value = v.b;
			return 0;
		}
	}
	if (err_off)
		*err_off = p.err_off;
	if (err_msg)
		*err_msg = p.err;
	return -1;
}
