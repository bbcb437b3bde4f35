/* dist.h: the probability distributions scenarios give for durations.
 *
 * A scenario writes a latency as a spec string, e.g. "45" (constant),
 * "uniform(min=30,max=90)", "normal(mean=60,sd=10)",
 * "lognormal(mean=60,sd=20)" (mean and sd of the value, not of its log),
 * "exponential(mean=120)" or "empirical(31,44,58)" (each observed value
 * equally likely). Arguments may be named or positional. Draws come from a
 * sim_rng, so a seed fixes them. */
#ifndef REHEARSE_SIM_DIST_H
#define REHEARSE_SIM_DIST_H

#include <stddef.h>

#include "model/limits.h"
#include "sim/rng.h"

typedef enum {
	SIM_DIST_CONSTANT, SIM_DIST_UNIFORM, SIM_DIST_NORMAL, SIM_DIST_LOGNORMAL,
	SIM_DIST_EXPONENTIAL, SIM_DIST_EMPIRICAL
} sim_dist_kind;

typedef struct sim_dist {
	sim_dist_kind kind;
	double a, b;          /* constant: a; uniform: [a, b); normal: mean a, sd b;
			       * lognormal: mu a, sigma b of the log; exponential: mean a */
	double mean;          /* the distribution's mean, for reports */
	double *v;            /* empirical values (owned: sim_dist_clear) */
	size_t n;
} sim_dist;

/* Parse a spec into d. Returns 0, or -1 with a message in err naming what
 * is wrong (d then owns nothing). */
int sim_dist_parse(sim_dist *d, const char *spec, char *err, size_t errlen);
/* Free what d owns (empirical values); d becomes constant 0. */
void sim_dist_clear(sim_dist *d);
sim_dist sim_dist_constant(double v);

double sim_dist_sample(const sim_dist *d, sim_rng *r);
/* A draw used as a duration: never negative. */
double sim_dist_duration(const sim_dist *d, sim_rng *r);
/* Check what d can draw against a range (model/limits.h): 0 when every
 * draw lies inside; -1 with why in err when it cannot be used (a negative
 * mean for a duration, a uniform reaching below 0, a bandwidth that can be
 * 0); 1 when a normal's tail goes below the least value in a fraction of
 * draws worth saying (err says how often: sim_dist_duration truncates
 * those draws to 0). */
int sim_dist_check(const sim_dist *d, const lim_range *r, char *err, size_t errlen);
/* Write the spec back in canonical form ("lognormal(mean=60,sd=20)"). */
void sim_dist_format(const sim_dist *d, char *buf, size_t len);

#endif
