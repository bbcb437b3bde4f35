/* test_engine.c: the event engine's ordering, caps and stop (sim/engine.h). */
#include "tests/unit/testutil.h"

#include <math.h>

#include "sim/engine.h"
#include "sim/rng.h"

typedef struct trace {
	double t[64];
	long what[64];
	int n;
} trace;

static void record(sim_engine *e, void *arg, long what)
{
	trace *l = arg;
	assert_true(l->n < 64);
	l->t[l->n] = sim_now(e);
	l->what[l->n++] = what;
}

static void test_time_order_and_fifo_ties(void **state)
{
	(void)state;
	sim_engine *e = sim_new();
	trace l = {0};
	assert_int_equal(sim_at(e, 5, record, &l, 1), SIM_OK);
	assert_int_equal(sim_at(e, 1, record, &l, 2), SIM_OK);
	/* three events at t=3: they must run in the order scheduled */
	assert_int_equal(sim_at(e, 3, record, &l, 3), SIM_OK);
	assert_int_equal(sim_at(e, 3, record, &l, 4), SIM_OK);
	assert_int_equal(sim_at(e, 3, record, &l, 5), SIM_OK);
	assert_int_equal(sim_pending(e), 5);
	assert_int_equal(sim_run(e, 0, INFINITY), SIM_DONE);
	long want[] = {2, 3, 4, 5, 1};
	assert_int_equal(l.n, 5);
	for (int i = 0; i < 5; i++)
		assert_int_equal(l.what[i], want[i]);
	assert_true(l.t[0] == 1 && l.t[1] == 3 && l.t[4] == 5);
	assert_int_equal(sim_handled(e), 5);
	assert_int_equal(sim_pending(e), 0);
	sim_free(e);
}

/* Thousands of events on ten distinct times, scheduled in random order:
 * they must come out sorted by time and, within a time, in scheduling
 * order, whatever shape the heap takes. */
enum { MANY = 5000 };
static struct { double t; long what; } got[MANY];
static int ngot;

static void collect(sim_engine *e, void *arg, long what)
{
	(void)arg;
	got[ngot].t = sim_now(e);
	got[ngot++].what = what;
}

static void test_many_ties_stay_fifo(void **state)
{
	(void)state;
	sim_engine *e = sim_new();
	sim_rng r;
	sim_rng_seed(&r, 7);
	ngot = 0;
	for (long i = 0; i < MANY; i++)
		assert_int_equal(sim_at(e, (double)sim_rng_below(&r, 10), collect, NULL, i), SIM_OK);
	assert_int_equal(sim_run(e, 0, INFINITY), SIM_DONE);
	assert_int_equal(ngot, MANY);
	for (int i = 1; i < MANY; i++) {
		assert_true(got[i - 1].t <= got[i].t);
		if (got[i - 1].t == got[i].t)
			assert_true(got[i - 1].what < got[i].what);
	}
	sim_free(e);
}

/* Handlers that schedule 0-3 successors at random delays, many of them 0
 * (the same time): every event must run in (time, scheduling order), and
 * sim_pending() must count what is queued even while a handler runs. */
static sim_rng fan_rng;
static long fan_scheduled, fan_ran;
static double fan_last_t;
static long fan_last_what;

static void fan(sim_engine *e, void *arg, long what)
{
	(void)arg;
	assert_true(sim_now(e) > fan_last_t || (sim_now(e) == fan_last_t && what > fan_last_what));
	fan_last_t = sim_now(e), fan_last_what = what;
	fan_ran++;
	uint64_t before = sim_pending(e);
	int k = fan_scheduled < 20000 ? (int)sim_rng_below(&fan_rng, 4) : 0;
	for (int i = 0; i < k; i++) {
		double dt = sim_rng_below(&fan_rng, 2) ? 0.0 : (double)sim_rng_below(&fan_rng, 5);
		assert_int_equal(sim_after(e, dt, fan, NULL, fan_scheduled++), SIM_OK);
	}
	assert_int_equal(sim_pending(e), before + k);
}

static void test_handlers_scheduling_in_order(void **state)
{
	(void)state;
	sim_engine *e = sim_new();
	sim_rng_seed(&fan_rng, 11);
	fan_scheduled = fan_ran = 0;
	fan_last_t = -1, fan_last_what = -1;
	for (int i = 0; i < 50; i++)
		sim_at(e, (double)sim_rng_below(&fan_rng, 3), fan, NULL, fan_scheduled++);
	assert_int_equal(sim_run(e, 0, INFINITY), SIM_DONE);
	assert_int_equal(fan_ran, fan_scheduled);
	assert_true(fan_ran >= 20000);
	sim_free(e);
}

/* A handler that schedules itself forever: only a cap ends it. */
static void forever(sim_engine *e, void *arg, long what)
{
	(void)arg;
	assert_int_equal(sim_after(e, 1.0, forever, NULL, what + 1), SIM_OK);
}

static void test_event_cap_ends_runaway(void **state)
{
	(void)state;
	sim_engine *e = sim_new();
	sim_at(e, 0, forever, NULL, 0);
	assert_int_equal(sim_run(e, 1000, INFINITY), SIM_EVENT_CAP);
	assert_int_equal(sim_handled(e), 1000);
	assert_true(sim_now(e) == 999.0);
	/* a run can continue where it stopped */
	assert_int_equal(sim_run(e, 10, INFINITY), SIM_EVENT_CAP);
	assert_int_equal(sim_handled(e), 1010);
	sim_free(e);
}

static void test_time_cap_ends_runaway(void **state)
{
	(void)state;
	sim_engine *e = sim_new();
	sim_at(e, 0, forever, NULL, 0);
	assert_int_equal(sim_run(e, 0, 50.5), SIM_TIME_CAP);
	assert_true(sim_now(e) == 50.0);
	assert_int_equal(sim_pending(e), 1);
	/* the next event is due at 51; the clock may stand anywhere up to it */
	assert_true(sim_next(e) == 51.0);
	assert_int_equal(sim_advance(e, 51.5), SIM_ERR);
	assert_int_equal(sim_advance(e, 49.0), SIM_ERR);
	assert_int_equal(sim_advance(e, NAN), SIM_ERR);
	assert_true(sim_now(e) == 50.0);
	assert_int_equal(sim_advance(e, 50.5), SIM_OK);
	assert_true(sim_now(e) == 50.5);
	/* and the run goes on from there in order */
	assert_int_equal(sim_run(e, 0, 52), SIM_TIME_CAP);
	assert_true(sim_now(e) == 52.0);
	sim_free(e);
}

static void test_next_of_empty_queue(void **state)
{
	(void)state;
	sim_engine *e = sim_new();
	assert_true(isinf(sim_next(e)));
	assert_int_equal(sim_advance(e, 1e9), SIM_OK);
	assert_true(sim_now(e) == 1e9);
	sim_free(e);
}

static void stopper(sim_engine *e, void *arg, long what)
{
	trace *l = arg;
	record(e, l, what);
	if (what == 2)
		sim_stop(e);
}

static void test_stop_from_handler(void **state)
{
	(void)state;
	sim_engine *e = sim_new();
	trace l = {0};
	for (long i = 1; i <= 4; i++)
		sim_at(e, (double)i, stopper, &l, i);
	assert_int_equal(sim_run(e, 0, INFINITY), SIM_STOPPED);
	assert_int_equal(l.n, 2);
	assert_int_equal(sim_pending(e), 2);
	assert_int_equal(sim_run(e, 0, INFINITY), SIM_DONE);
	assert_int_equal(l.n, 4);
	sim_free(e);
}

/* The past is clamped to now, and a NaN time fails the run instead of
 * corrupting the order. */
static void late(sim_engine *e, void *arg, long what)
{
	trace *l = arg;
	record(e, l, what);
	if (what == 1)
		sim_at(e, 2.0, record, l, 2); /* earlier than now (10) */
	if (what == 3)
		assert_int_equal(sim_at(e, NAN, record, l, 4), SIM_ERR);
}

static void test_past_and_nan(void **state)
{
	(void)state;
	sim_engine *e = sim_new();
	trace l = {0};
	sim_at(e, 10, late, &l, 1);
	assert_int_equal(sim_run(e, 0, INFINITY), SIM_DONE);
	assert_int_equal(l.n, 2);
	assert_true(l.t[1] == 10.0);
	sim_at(e, 11, late, &l, 3);
	assert_int_equal(sim_run(e, 0, INFINITY), SIM_FAILED);
	assert_string_equal(sim_status_name(SIM_DONE), "done");
	sim_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_order_and_fifo_ties),
		cmocka_unit_test(test_many_ties_stay_fifo),
		cmocka_unit_test(test_handlers_scheduling_in_order),
		cmocka_unit_test(test_event_cap_ends_runaway),
		cmocka_unit_test(test_time_cap_ends_runaway),
		cmocka_unit_test(test_next_of_empty_queue),
		cmocka_unit_test(test_stop_from_handler),
		cmocka_unit_test(test_past_and_nan),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
