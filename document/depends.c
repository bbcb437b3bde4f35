/* depends.c: Argo's `depends` grammar (see depends.h), a recursive-descent
 * reader that evaluates as it parses:
 *
 *   or    := and ('||' and)*
 *   and   := unary ('&&' unary)*
 *   unary := '!'* (name ['.' result] | '(' or ')')
 */
#include "document/depends.h"

#include <string.h>

typedef struct parser {
	const char *s;
	size_t i;
	dep_ref_fn ref;
	void *u;
	const char *err;
	size_t err_off;
	unsigned depth;
} parser;

static const struct {
	const char *name;
	dep_result r;
} results[] = {
	{"Succeeded", DEP_SUCCEEDED}, {"Failed", DEP_FAILED},       {"Errored", DEP_ERRORED},
	{"Skipped", DEP_SKIPPED},     {"Omitted", DEP_OMITTED},     {"Daemoned", DEP_DAEMONED},
	{"AnySucceeded", DEP_ANY_SUCCEEDED}, {"AllFailed", DEP_ALL_FAILED},
};

static void skip_ws(parser *p)
{
	while (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r')
		p->i++;
}

/* Record the first error only: it is the one a user fixes first. */
static int fail(parser *p, const char *msg)
{
	if (!p->err) {
		p->err = msg;
		p->err_off = p->i;
	}
	return -1;
}

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int parse_or(parser *p, int *v);

/* `name` or `name.Result`: the caller's verdict on it. */
static int parse_ref(parser *p, int *v)
{
	size_t start = p->i;
	while (name_char(p->s[p->i]))
		p->i++;
	if (p->i == start)
		return fail(p, p->s[p->i] ? "expected a task name" : "expression ends where a task name should be");
	size_t len = p->i - start;
	dep_result r = DEP_DEFAULT;
	if (p->s[p->i] == '.') {
		size_t rs = ++p->i;
		while (name_char(p->s[p->i]))
			p->i++;
		size_t n = p->i - rs, k;
		for (k = 0; k < sizeof results / sizeof results[0]; k++)
			if (strlen(results[k].name) == n && !memcmp(p->s + rs, results[k].name, n))
				break;
		if (k == sizeof results / sizeof results[0]) {
			p->i = rs;
			return fail(p, "unknown task result (Succeeded, Failed, Errored, Skipped, Omitted, "
				       "Daemoned, AnySucceeded, AllFailed)");
		}
		r = results[k].r;
	}
	*v = p->ref ? !!p->ref(p->u, p->s + start, len, r, start) : 0;
	return 0;
}

/* Negations are counted, not recursed into: `!!!!...` of any length is
 * one loop. Parentheses recurse, up to DEP_MAX_DEPTH. */
static int parse_unary(parser *p, int *v)
{
	int neg = 0;
	for (skip_ws(p); p->s[p->i] == '!'; skip_ws(p)) {
		p->i++;
		neg = !neg;
	}
	if (p->s[p->i] == '(') {
		if (p->depth >= DEP_MAX_DEPTH)
			return fail(p, "parentheses nested too deep");
		p->depth++;
		p->i++;
		if (parse_or(p, v))
			return -1;
		skip_ws(p);
		if (p->s[p->i] != ')')
			return fail(p, "expected ')'");
		p->i++;
		p->depth--;
	} else if (parse_ref(p, v)) {
		return -1;
	}
	*v ^= neg;
	return 0;
}

static int parse_and(parser *p, int *v)
{
	if (parse_unary(p, v))
		return -1;
	for (;;) {
		skip_ws(p);
		if (p->s[p->i] != '&' || p->s[p->i + 1] != '&')
			return 0;
		p->i += 2;
		int w;
		if (parse_unary(p, &w))
			return -1;
		*v = *v && w;
	}
}

static int parse_or(parser *p, int *v)
{
	if (parse_and(p, v))
		return -1;
	for (;;) {
		skip_ws(p);
		if (p->s[p->i] != '|' || p->s[p->i + 1] != '|')
			return 0;
		p->i += 2;
		int w;
		if (parse_and(p, &w))
			return -1;
		*v = *v || w;
	}
}

int dep_eval(const char *expr, dep_ref_fn ref, void *u, int *value, size_t *err_off, const char **err_msg)
{
	parser p = {expr ? expr : "", 0, ref, u, NULL, 0, 0};
	int v = 0;
	if (!parse_or(&p, &v)) {
		skip_ws(&p);
		if (!p.s[p.i]) {
			if (value)
				*value = v;
			return 0;
		}
		fail(&p, p.s[p.i] == '&' || p.s[p.i] == '|' ? "use && and || (doubled)" : "expected && or ||");
	}
	if (err_off)
		*err_off = p.err_off;
	if (err_msg)
		*err_msg = p.err;
	return -1;
}
