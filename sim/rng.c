/* rng.c: xoshiro256** and the few derived draws the models need (rng.h). */
#include "sim/rng.h"

#include <assert.h>
#include <math.h>

static inline uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* splitmix64 spreads a small seed (0, 1, 2...) over the whole state; a
 * zero state would make xoshiro emit zeros forever, and splitmix never
 * produces four zero words. */
void sim_rng_seed(sim_rng *r, uint64_t seed)
{
	for (int i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		r->s[i] = z ^ (z >> 31);
	}
}

uint64_t sim_rng_u64(sim_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double sim_rng_uniform(sim_rng *r)
{
	return (double)(sim_rng_u64(r) >> 11) * 0x1.0p-53;
}

double sim_rng_open01(sim_rng *r)
{
	return ((double)(sim_rng_u64(r) >> 11) + 1.0) * 0x1.0p-53;
}

double sim_rng_normal(sim_rng *r)
{
	double u = sim_rng_open01(r), v = sim_rng_uniform(r);
	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* Lemire's rejection on the top bits would be faster; plain rejection of
 * the biased tail is simpler and the models draw rarely. */
uint64_t sim_rng_below(sim_rng *r, uint64_t n)
{
	assert(n > 0);
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t x;
	do
		x = sim_rng_u64(r);
	while (x >= limit);
	return x % n;
}
