/* rng.h: the seeded pseudo-random generator every stochastic model draws from.
 *
 * xoshiro256** (Blackman and Vigna, 2018), seeded through splitmix64 so any
 * 64-bit seed gives a well-mixed state. Our own few lines, so a given --seed
 * gives the same draws on every platform and libc. The state is a plain
 * struct: callers embed it, copy it, or keep one per stream. */
#ifndef REHEARSE_SIM_RNG_H
#define REHEARSE_SIM_RNG_H

#include <stdint.h>

typedef struct sim_rng {
	uint64_t s[4];
} sim_rng;

void sim_rng_seed(sim_rng *r, uint64_t seed);
uint64_t sim_rng_u64(sim_rng *r);
/* Uniform in [0, 1), 53 bits. */
double sim_rng_uniform(sim_rng *r);
/* Uniform in (0, 1]: safe to take the log of. */
double sim_rng_open01(sim_rng *r);
/* Standard normal (Box-Muller; one draw per call, no hidden spare). */
double sim_rng_normal(sim_rng *r);
/* Uniform integer in [0, n), n > 0, without modulo bias. */
uint64_t sim_rng_below(sim_rng *r, uint64_t n);

#endif
