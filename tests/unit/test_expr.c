/* test_expr.c: `when` conditions as Argo evaluates them (govaluate after
 * substitution, {{=...}} expr-lang inside), what stays unknown offline, and
 * the comparisons reported for a value that must be drawn. */
#include "tests/unit/testutil.h"

#include "document/expr.h"

/* 1 true, 0 false, 2 unknown, -1 error */
static int ev(const char *s)
{
	int v = -7;
	size_t off = 0;
	const char *msg = NULL;
	int rc = expr_when(s, NULL, &v, &off, &msg);
	if (rc < 0) {
		assert_non_null(msg);
		assert_true(off <= strlen(s));
		return -1;
	}
	return rc == 1 ? 2 : v;
}

static void test_govaluate(void **state)
{
	(void)state;
	assert_int_equal(ev("heads == heads"), 1);
	assert_int_equal(ev("tails == heads"), 0);
	assert_int_equal(ev("tails != heads"), 1);
	assert_int_equal(ev("3 < 10"), 1);
	assert_int_equal(ev("10 < 3"), 0);
	assert_int_equal(ev("10 <= 10 && 11 >= 10"), 1);
	assert_int_equal(ev("9 < 10"), 1);      /* numbers, not text: "9" > "10" as strings */
	assert_int_equal(ev("5 != 1 && 5 != 2"), 1);
	assert_int_equal(ev("2 != 1 && 2 != 2"), 0);
	assert_int_equal(ev("( heads == heads && tails == tails ) || ( a == b )"), 1);
	assert_int_equal(ev("(heads == tails && x == x) || (tails == heads)"), 0);
	assert_int_equal(ev("!(a == b)"), 1);
	assert_int_equal(ev("true"), 1);
	assert_int_equal(ev("false"), 0);
	assert_int_equal(ev("true == true"), 1);
	assert_int_equal(ev("Succeeded == Succeeded"), 1);
	assert_int_equal(ev("tails =~ tai"), 1);
	assert_int_equal(ev("heads =~ tai"), 0);
	assert_int_equal(ev("heads !~ '^t'"), 1);
	assert_int_equal(ev("'a b' == 'a b'"), 1);
	assert_int_equal(ev("\"x\" == x"), 1);
	assert_int_equal(ev("5 == '5'"), 0);    /* a number is not a string */
	assert_int_equal(ev("1 + 2 * 3 == 7"), 1);
	assert_int_equal(ev("abc < abd"), 1);   /* strings order as text */
	assert_int_equal(ev("v1.2 == v1.2"), 1);
}

static void test_errors(void **state)
{
	(void)state;
	assert_int_equal(ev(""), -1);
	assert_int_equal(ev("heads =="), -1);
	assert_int_equal(ev("a == b & c == d"), -1);
	assert_int_equal(ev("(a == b"), -1);
	assert_int_equal(ev("heads"), -1);      /* a string, not a truth */
	assert_int_equal(ev("3 < abc"), -1);    /* ordering across types */
	assert_int_equal(ev("a && b"), -1);
	assert_int_equal(ev("it was heads == it was heads"), -1);
	assert_int_equal(ev("1 / 0 == 1"), -1);
	assert_int_equal(ev("'open == open"), -1);
	assert_int_equal(ev("{{steps.a.outputs.result == x"), -1);
	char deep[400];
	memset(deep, '(', 300);
	strcpy(deep + 300, "a == a");
	assert_int_equal(ev(deep), -1);         /* refused, not a stack overflow */
}

static void test_unknown(void **state)
{
	(void)state;
	assert_int_equal(ev("{{steps.flip.outputs.result}} == heads"), 2);
	assert_int_equal(ev("{{steps.flip.outputs.result}} == heads && a == b"), 0);
	assert_int_equal(ev("{{steps.flip.outputs.result}} == heads || a == a"), 1);
	assert_int_equal(ev("{{steps.flip.outputs.result}} == heads || a == b"), 2);
	assert_int_equal(ev("!({{x}} == y)"), 2);
}

static const char *vals(void *u, const char *name, size_t len)
{
	(void)u;
	if (len == 30 && !memcmp(name, "inputs.parameters.should-print", len))
		return "true";
	if (len == 21 && !memcmp(name, "workflow.parameters.n", len))
		return "5";
	if (len == 6 && !memcmp(name, "answer", len))
		return "42";
	return NULL;
}

static int ev_env(const char *s)
{
	expr_env env = {vals, NULL, NULL};
	int v = -7;
	int rc = expr_when(s, &env, &v, NULL, NULL);
	return rc < 0 ? -1 : rc == 1 ? 2 : v;
}

static void test_expr_lang(void **state)
{
	(void)state;
	assert_int_equal(ev_env("{{= inputs.parameters[\"should-print\"] == 'true'}}"), 1);
	assert_int_equal(ev_env("{{=inputs.parameters['should-print'] == 'false'}}"), 0);
	assert_int_equal(ev_env("{{=asInt(workflow.parameters.n) > 3}}"), 1);
	assert_int_equal(ev_env("{{=asInt(workflow.parameters.n) > 3 and not (1 == 2)}}"), 1);
	assert_int_equal(ev_env("{{=workflow.parameters.n == 5}}"), 0); /* a parameter is a string */
	assert_int_equal(ev_env("{{=asInt(workflow.parameters.n) == 5 ? true : false}}"), 1);
	assert_int_equal(ev_env("{{=jsonpath(workflow.parameters.json, '$[0].value') == 'true'}}"), 2);
	assert_int_equal(ev_env("{{= cronworkflow.lastScheduledTime == nil || "
				"(now() - cronworkflow.lastScheduledTime).Seconds() > 360 }}"), 2);
	assert_int_equal(ev_env("{{answer}} == 42"), 1);       /* a reference the caller resolves */
	assert_int_equal(ev_env("{{inputs.parameters.should-print}} == true"), 1);
	assert_int_equal(ev_env("{{=asInt('x') == 1}}"), -1);
	assert_int_equal(ev_env("{{= 1 == }}"), -1);
}

typedef struct seen {
	char buf[512];
} seen;

static void note_cmp(void *u, const char *ref, size_t reflen, const char *op, const char *lit, size_t litlen)
{
	seen *s = u;
	size_t n = strlen(s->buf);
	snprintf(s->buf + n, sizeof s->buf - n, "[%.*s %s %.*s]", (int)reflen, ref, op, (int)litlen, lit);
}

static void test_compared_values(void **state)
{
	(void)state;
	seen s = {""};
	expr_env env = {NULL, note_cmp, &s};
	int v;
	assert_int_equal(expr_when("{{steps.flip.outputs.result}} == heads", &env, &v, NULL, NULL), 1);
	assert_string_equal(s.buf, "[steps.flip.outputs.result == heads]");
	s.buf[0] = 0;
	/* every operand is read: no short-circuit hides a comparison */
	assert_int_equal(expr_when("a == b && {{r}} != 6 || 10 > {{r}}", &env, &v, NULL, NULL), 1);
	assert_string_equal(s.buf, "[r != 6][r < 10]");
	s.buf[0] = 0;
	assert_int_equal(expr_when("{{a}} == {{b}}", &env, &v, NULL, NULL), 1);
	assert_string_equal(s.buf, "");                        /* two unknowns: no known value */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_govaluate),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_expr_lang),
		cmocka_unit_test(test_compared_values),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
