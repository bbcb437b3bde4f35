/* hold.c: the classic hold model, on the engine and on a bare binary heap.
 *
 * The hold model (Jones 1986, "An empirical comparison of priority-queue
 * and event-set implementations") keeps the queue at a fixed size: each
 * step removes the earliest event and inserts one at its time plus an
 * exponential draw. We run it with 10,000 pending events for 10 million
 * steps twice: through the engine (sim_run calling a handler that
 * schedules the next event) and through a heap of bare doubles written
 * here, the least a priority queue can do. Both draw the same numbers, so
 * both end on the same clock; the ratio says what the engine's tie-break,
 * handler call and event record cost. Target: ratio >= 0.5. Prints, never
 * asserts (make bench). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "sim/engine.h"
#include "sim/rng.h"

enum { PENDING = 10000, EVENTS = 10000000, RUNS = 3 };

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static inline double hold_time(sim_rng *r)
{
	return -log(sim_rng_open01(r)); /* exponential, mean 1 */
}

/* --- the engine --- */
static sim_rng eng_rng;

static void hold(sim_engine *e, void *arg, long what)
{
	sim_after(e, hold_time(&eng_rng), hold, arg, what);
}

static double run_engine(double *clock)
{
	sim_engine *e = sim_new();
	if (!e)
		return -1;
	sim_rng_seed(&eng_rng, 1);
	for (int i = 0; i < PENDING; i++)
		sim_at(e, hold_time(&eng_rng), hold, NULL, 0);
	double t0 = seconds();
	sim_status st = sim_run(e, EVENTS, INFINITY);
	double dt = seconds() - t0;
	*clock = sim_now(e);
	if (st != SIM_EVENT_CAP || sim_handled(e) != EVENTS || sim_pending(e) != PENDING)
		dt = -1;
	sim_free(e);
	return dt;
}

/* --- the bare heap: doubles only, no tie-break, no payload --- */
static double heap[PENDING + 1];
static size_t hn;

static void bare_push(double t)
{
	size_t i = hn++;
	while (i > 0 && t < heap[(i - 1) / 2]) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = t;
}

static double bare_pop(void)
{
	double top = heap[0], last = heap[--hn];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= hn)
			break;
		if (c + 1 < hn && heap[c + 1] < heap[c])
			c++;
		if (!(heap[c] < last))
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (hn > 0)
		heap[i] = last;
	return top;
}

static double run_bare(double *clock)
{
	sim_rng r;
	sim_rng_seed(&r, 1);
	hn = 0;
	for (int i = 0; i < PENDING; i++)
		bare_push(hold_time(&r));
	double t0 = seconds(), now = 0;
	for (long i = 0; i < EVENTS; i++) {
		now = bare_pop();
		bare_push(now + hold_time(&r));
	}
	double dt = seconds() - t0;
	*clock = now;
	return dt;
}

int main(void)
{
	double best_e = INFINITY, best_b = INFINITY, ce = 0, cb = 0;
	for (int i = 0; i < RUNS; i++) {
		double e = run_engine(&ce), b = run_bare(&cb);
		if (e < 0) {
			fprintf(stderr, "hold: the engine did not run the model as expected\n");
			return 1;
		}
		if (e < best_e)
			best_e = e;
		if (b < best_b)
			best_b = b;
	}
	double re = EVENTS / best_e, rb = EVENTS / best_b, ratio = re / rb;
	printf("hold model: %d pending events, %d events, best of %d runs\n", PENDING, EVENTS, RUNS);
	printf("  engine (sim/engine.c)  %12.0f events/s\n", re);
	printf("  bare binary heap       %12.0f events/s\n", rb);
	printf("  ratio engine/bare      %12.2f  (target >= 0.50: %s)\n", ratio,
	       ratio >= 0.5 ? "met" : "NOT MET");
	printf("  same final clock       %12s  (%.6f)\n", ce == cb ? "yes" : "NO", ce);
	return 0;
}
