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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
