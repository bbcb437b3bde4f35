/* engine.h: the discrete-event engine that every simulated process runs on.
 *
 * An engine is a clock and a queue of timestamped events. A caller schedules
 * a handler to run at a time; sim_run() pops events in time order and calls
 * them, and handlers schedule more. Events at equal times run in the order
 * they were scheduled, so a run is a pure function of its inputs.
 *
 * Processes (scheduler, pods, controller, ...) are small state machines that
 * keep their own state and are clients of this API; the engine knows nothing
 * about them. A handler gets the `arg` and `what` it was scheduled with;
 * `what` lets one process tell its own events apart (e.g. a step and a
 * timeout). There is no cancel: a process that no longer wants an event
 * ignores it when it fires (keep a generation counter in `what`). */
#ifndef REHEARSE_SIM_ENGINE_H
#define REHEARSE_SIM_ENGINE_H

#include <stdint.h>

#define SIM_OK 0
#define SIM_ERR -1

typedef struct sim_engine sim_engine;
typedef void sim_handler(sim_engine *e, void *arg, long what);

/* Why sim_run() returned. */
typedef enum {
	SIM_DONE,        /* the queue is empty */
	SIM_STOPPED,     /* a handler called sim_stop() */
	SIM_EVENT_CAP,   /* max_events handled and more were queued */
	SIM_TIME_CAP,    /* the next event lies beyond max_time */
	SIM_FAILED       /* a schedule failed: out of memory, or a NaN time */
} sim_status;

sim_engine *sim_new(void);
void sim_free(sim_engine *e);

/* Schedule fn(e, arg, what) at absolute time t (not before now), or after
 * delay dt from now. SIM_ERR when out of memory or t is not a number. */
int sim_at(sim_engine *e, double t, sim_handler *fn, void *arg, long what);
int sim_after(sim_engine *e, double dt, sim_handler *fn, void *arg, long what);

/* Handle events in order until the queue is empty, a handler stops the run,
 * max_events have been handled, or the next event is later than max_time.
 * Caps keep a runaway model from hanging: pass 0 for no event cap and
 * INFINITY for no time cap. A run may be continued by calling again. */
sim_status sim_run(sim_engine *e, uint64_t max_events, double max_time);

void sim_stop(sim_engine *e);            /* from a handler: end sim_run() */
double sim_now(const sim_engine *e);     /* time of the event being handled */
uint64_t sim_handled(const sim_engine *e); /* events handled so far */
uint64_t sim_pending(const sim_engine *e); /* events in the queue */
/* The time of the next pending event, INFINITY if none: after a time cap,
 * when the run would have gone on. */
double sim_next(const sim_engine *e);
/* Between handlers, move the clock forward to t: nothing happens between
 * the last event and the next, so the world at t is the world now (a run
 * cut off at its horizon is measured there). SIM_ERR if t is before now,
 * after the next pending event, or not a number. */
int sim_advance(sim_engine *e, double t);
const char *sim_status_name(sim_status s);

#endif
