/* test_quantity.c: Kubernetes quantities, good and bad. */
#include "tests/unit/testutil.h"

#include <math.h>
#include <string.h>

#include "document/quantity.h"

static double q(const char *s)
{
	double v = -12345;
	assert_int_equal(quantity_parse(s, strlen(s), &v), 0);
	return v;
}

static void test_good(void **state)
{
	(void)state;
	assert_true(q("4") == 4);
	assert_true(fabs(q("500m") - 0.5) < 1e-12);
	assert_true(q("1Gi") == 1073741824.0);
	assert_true(q("112Gi") == 112.0 * 1073741824.0);
	assert_true(q("1.5Ki") == 1536);
	assert_true(q("2k") == 2000);
	assert_true(q("1e3") == 1000);
	assert_true(fabs(q("5E-1") - 0.5) < 1e-12);
	assert_true(q(".5") == 0.5);
	assert_true(q("+1M") == 1e6);
	assert_true(q("-1") == -1);
	assert_true(q("20Gi") > q("20G"));
}

static void test_bad(void **state)
{
	(void)state;
	static const char *bad[] = {"", "Gi", "1GB", "1 Gi", "1gi", "1.2.3", "m", "1e", "1e+",
				    "1Gii", "1KiB", "one", "1,5", "0x10", "1e3Gi"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		double v;
		if (quantity_parse(bad[i], strlen(bad[i]), &v) == 0)
			fail_msg("'%s' parsed as a quantity", bad[i]);
	}
}

/* duration_part: one number and unit; what follows is left for the caller */
static void test_duration(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		double want;
		const char *rest;
	} cases[] = {{"90", 90, ""}, {"90s", 90, ""}, {"30m", 1800, ""}, {"1.5h", 5400, ""}, {"2d", 172800, ""},
		     {"250ms", 0.25, ""}, {"1m30s", 60, "30s"}, {"10s; echo", 10, "; echo"}, {"5x", 5, "x"},
		     {"0", 0, ""}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *end;
		double v = duration_part(cases[i].s, &end);
		if (fabs(v - cases[i].want) > 1e-9 || strcmp(end, cases[i].rest))
			fail_msg("'%s': %g, rest '%s'", cases[i].s, v, end);
	}
	static const char *bad[] = {"", "s", "-5s", "nan", "inf", "x1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *end;
		if (duration_part(bad[i], &end) != -1 || end != bad[i])
			fail_msg("'%s' read as a duration", bad[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_duration),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
