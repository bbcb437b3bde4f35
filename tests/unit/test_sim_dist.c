/* test_sim_dist.c: the seeded generator and duration distributions
 * (sim/rng.h, sim/dist.h). */
#include "tests/unit/testutil.h"

#include <math.h>
#include <stdio.h>

#include "sim/dist.h"
#include "sim/rng.h"

static void test_rng_is_seeded_and_reproducible(void **state)
{
	(void)state;
	sim_rng a, b, c;
	sim_rng_seed(&a, 42);
	sim_rng_seed(&b, 42);
	sim_rng_seed(&c, 43);
	int differ = 0;
	for (int i = 0; i < 1000; i++) {
		uint64_t x = sim_rng_u64(&a);
		assert_true(x == sim_rng_u64(&b));
		differ |= x != sim_rng_u64(&c);
	}
	assert_true(differ);
	/* seed 0 must not give the all-zero state */
	sim_rng z;
	sim_rng_seed(&z, 0);
	assert_true(sim_rng_u64(&z) | sim_rng_u64(&z));
}

/* Reference output of xoshiro256** for a fixed state, from the authors'
 * C code (state 1,2,3,4): 11520, 0, 1509978240, 1215971899390074240. */
static void test_rng_matches_reference(void **state)
{
	(void)state;
	sim_rng r = {{1, 2, 3, 4}};
	assert_true(sim_rng_u64(&r) == 11520ULL);
	assert_true(sim_rng_u64(&r) == 0ULL);
	assert_true(sim_rng_u64(&r) == 1509978240ULL);
	assert_true(sim_rng_u64(&r) == 1215971899390074240ULL);
}

static void test_rng_ranges(void **state)
{
	(void)state;
	sim_rng r;
	sim_rng_seed(&r, 1);
	int hits[7] = {0};
	for (int i = 0; i < 70000; i++) {
		double u = sim_rng_uniform(&r), o = sim_rng_open01(&r);
		assert_true(u >= 0 && u < 1);
		assert_true(o > 0 && o <= 1);
		hits[sim_rng_below(&r, 7)]++;
	}
	for (int i = 0; i < 7; i++)
		assert_true(hits[i] > 9000 && hits[i] < 11000);
}

static double sample_mean(const sim_dist *d, double *sd, double *min)
{
	sim_rng r;
	sim_rng_seed(&r, 99);
	double s = 0, s2 = 0, lo = INFINITY;
	int n = 200000;
	for (int i = 0; i < n; i++) {
		double x = sim_dist_sample(d, &r);
		s += x, s2 += x * x;
		if (x < lo)
			lo = x;
	}
	double m = s / n;
	*sd = sqrt(s2 / n - m * m);
	*min = lo;
	return m;
}

static void parse_ok(sim_dist *d, const char *spec)
{
	char err[200] = "";
	int rc = sim_dist_parse(d, spec, err, sizeof err);
	if (rc)
		fprintf(stderr, "%s: %s\n", spec, err);
	assert_int_equal(rc, 0);
}

static void test_dist_moments(void **state)
{
	(void)state;
	static const struct { const char *spec; double mean, sd, min; } cases[] = {
		{"45", 45, 0, 45},
		{"constant(value=7)", 7, 0, 7},
		{"uniform(min=30,max=90)", 60, 60 / sqrt(12), 30},
		{"uniform(30, 90)", 60, 60 / sqrt(12), 30},
		{"normal(mean=60,sd=10)", 60, 10, -INFINITY},
		{"lognormal(mean=60,sd=20)", 60, 20, 0},
		{"lognormal( sd = 20 , mean = 60 )", 60, 20, 0},
		{"exponential(mean=120)", 120, 120, 0},
		{"empirical(10, 20, 60)", 30, sqrt((400 + 100 + 900) / 3.0), 10},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		sim_dist d;
		parse_ok(&d, cases[i].spec);
		double sd, min, m = sample_mean(&d, &sd, &min);
		assert_true(fabs(m - cases[i].mean) <= 0.01 * cases[i].mean + 1e-9);
		assert_true(fabs(sd - cases[i].sd) <= 0.02 * cases[i].sd + 1e-9);
		assert_true(fabs(d.mean - cases[i].mean) < 1e-9);
		assert_true(min >= cases[i].min);
		/* the canonical form parses back to the same distribution */
		char buf[128];
		sim_dist_format(&d, buf, sizeof buf);
		if (d.kind != SIM_DIST_EMPIRICAL) {
			sim_dist e;
			parse_ok(&e, buf);
			assert_int_equal(e.kind, d.kind);
			assert_true(fabs(e.a - d.a) < 1e-6 && fabs(e.b - d.b) < 1e-6);
			sim_dist_clear(&e);
		}
		sim_dist_clear(&d);
	}
}

static void test_duration_never_negative(void **state)
{
	(void)state;
	sim_dist d;
	parse_ok(&d, "normal(mean=1,sd=10)");
	sim_rng r;
	sim_rng_seed(&r, 3);
	int neg = 0;
	for (int i = 0; i < 1000; i++) {
		neg += sim_dist_sample(&d, &r) < 0;
		assert_true(sim_dist_duration(&d, &r) >= 0);
	}
	assert_true(neg > 100); /* the raw draw does go negative */
	sim_dist_clear(&d);
}

static void test_dist_errors(void **state)
{
	(void)state;
	static const struct { const char *spec, *msg; } bad[] = {
		{"", "empty"},
		{"gamma(1,2)", "unknown distribution 'gamma'"},
		{"uniform(min=9,max=1)", "less than min"},
		{"uniform(min=1)", "missing 'max'"},
		{"uniform(1,2,3)", "takes 2 arguments"},
		{"normal(mean=1,mu=2)", "no argument 'mu'"},
		{"normal(mean=1,mean=2)", "given twice"},
		{"normal(mean=1,sd=-1)", "sd must not be negative"},
		{"lognormal(mean=0,sd=1)", "mean must be positive"},
		{"exponential(mean=x)", "expected a number"},
		{"uniform(1,2", "expected ',' or ')'"},
		{"uniform(1,2) extra", "unexpected text"},
		{"empirical()", "at least one value"},
		{"empirical(a=1)", "not named"},
		{"12abc", "not a number"},
		{"uniform", "expected '('"},
		{"constant(nan)", "expected a number"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		sim_dist d;
		char err[200] = "";
		assert_int_equal(sim_dist_parse(&d, bad[i].spec, err, sizeof err), -1);
		if (!strstr(err, bad[i].msg))
			fprintf(stderr, "spec '%s': got '%s', want '%s'\n", bad[i].spec, err, bad[i].msg);
		assert_non_null(strstr(err, bad[i].msg));
		assert_null(d.v); /* nothing leaks on error */
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rng_is_seeded_and_reproducible),
		cmocka_unit_test(test_rng_matches_reference),
		cmocka_unit_test(test_rng_ranges),
		cmocka_unit_test(test_dist_moments),
		cmocka_unit_test(test_duration_never_negative),
		cmocka_unit_test(test_dist_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
