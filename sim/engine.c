/* engine.c: a discrete-event engine in one small file (see engine.h).
 *
 * The queue is a binary min-heap of events stored by value in one array,
 * ordered by (time, sequence number). The sequence number is a counter
 * stamped at scheduling time: it makes equal-time events run in the order
 * they were scheduled, which is what makes runs reproducible. Sift-up and
 * sift-down move a hole instead of swapping, and the running event's slot
 * stays empty until its handler schedules the next event, which then sinks
 * from the root: most handlers schedule one successor, so most steps cost
 * one sift instead of two. That is the whole engine; models live in their
 * own files. */
#include "sim/engine.h"
#include "document/grow.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>

typedef struct sim_event {
	double t;
	uint64_t seq;
	sim_handler *fn;
	void *arg;
	long what;
} sim_event;

struct sim_engine {
	sim_event *heap;
	size_t n, cap;
	uint64_t next_seq;
	uint64_t handled;
	double now;
	int root_free;   /* heap[0] was handed to the running handler (see sim_run) */
	int stop;
	int failed;
};

/* Strict (time, seq) order; seq is unique, so no two events tie. */
static inline int before(const sim_event *a, const sim_event *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

sim_engine *sim_new(void)
{
	sim_engine *e = calloc(1, sizeof *e);
	return e;
}

void sim_free(sim_engine *e)
{
	if (!e)
		return;
	free(e->heap);
	free(e);
}

/* Fill the empty root with ev: the hole sinks until ev fits. */
static void sink(sim_engine *e, sim_event ev)
{
	size_t n = e->n, i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && before(&e->heap[c + 1], &e->heap[c]))
			c++;
		if (!before(&e->heap[c], &ev))
			break;
		e->heap[i] = e->heap[c];
		i = c;
	}
	e->heap[i] = ev;
}

/* Insert at the bottom and let the hole rise to where the event belongs. */
int sim_at(sim_engine *e, double t, sim_handler *fn, void *arg, long what)
{
	assert(fn);
	if (isnan(t)) {
		e->failed = 1; /* a NaN time is a model bug: end the run, never misorder */
		return SIM_ERR;
	}
	if (t < e->now)
		t = e->now; /* the past is now: time never runs backwards */
	if (e->root_free) {
		/* The running event's slot is still empty: one sink instead of
		 * a pop and a push, the usual case of a process that schedules
		 * its next step. */
		e->root_free = 0;
		sink(e, (sim_event){t, e->next_seq++, fn, arg, what});
		return SIM_OK;
	}
	if (GROW(e->heap, e->n, e->cap, 256)) {
		e->failed = 1;
		return SIM_ERR;
	}
	sim_event ev = {t, e->next_seq++, fn, arg, what};
	size_t i = e->n++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		if (!before(&ev, &e->heap[p]))
			break;
		e->heap[i] = e->heap[p];
		i = p;
	}
	e->heap[i] = ev;
	return SIM_OK;
}

int sim_after(sim_engine *e, double dt, sim_handler *fn, void *arg, long what)
{
	return sim_at(e, e->now + (dt > 0 ? dt : 0), fn, arg, what);
}

sim_status sim_run(sim_engine *e, uint64_t max_events, double max_time)
{
	uint64_t start = e->handled;
	e->stop = 0;
	while (e->n > 0) {
		if (e->failed)
			return SIM_FAILED;
		if (e->stop)
			return SIM_STOPPED;
		if (max_events && e->handled - start >= max_events)
			return SIM_EVENT_CAP;
		if (e->heap[0].t > max_time)
			return SIM_TIME_CAP;
		/* Leave the root empty while the handler runs (see sim_at). */
		sim_event ev = e->heap[0];
		e->root_free = 1;
		assert(ev.t >= e->now);
		e->now = ev.t;
		e->handled++;
		ev.fn(e, ev.arg, ev.what);
		if (e->root_free) {
			e->root_free = 0;
			if (--e->n > 0)
				sink(e, e->heap[e->n]);
		}
	}
	if (e->failed)
		return SIM_FAILED;
	return e->stop ? SIM_STOPPED : SIM_DONE;
}

void sim_stop(sim_engine *e) { e->stop = 1; }
double sim_now(const sim_engine *e) { return e->now; }
uint64_t sim_handled(const sim_engine *e) { return e->handled; }
uint64_t sim_pending(const sim_engine *e) { return e->n - e->root_free; }

double sim_next(const sim_engine *e)
{
	return e->n > (size_t)e->root_free ? e->heap[0].t : INFINITY;
}

int sim_advance(sim_engine *e, double t)
{
	if (e->root_free || isnan(t) || t < e->now || t > sim_next(e))
		return SIM_ERR;
	e->now = t;
	return SIM_OK;
}

const char *sim_status_name(sim_status s)
{
	switch (s) {
	case SIM_DONE: return "done";
	case SIM_STOPPED: return "stopped";
	case SIM_EVENT_CAP: return "event cap reached";
	case SIM_TIME_CAP: return "time cap reached";
	case SIM_FAILED: return "an event could not be scheduled (out of memory or NaN time)";
	}
	return "?";
}
