/* rng: the project's only random number generator, SplitMix64 (Steele, Lea, Flood 2014):
 * one 64-bit add and a mixing function per draw, good enough for sampling and cheap enough
 * for the training loop. Each thread owns its own state. */
#ifndef W2V_RNG_H
#define W2V_RNG_H

#include <stdint.h>

/* SplitMix64's increment (the golden ratio in 64-bit fixed point) and mixing constants. */
#define RNG_GAMMA 0x9E3779B97F4A7C15ULL
#define RNG_MIX1 0xBF58476D1CE4E5B9ULL
#define RNG_MIX2 0x94D049BB133111EBULL

struct rng {
    uint64_t state;
};

/* SplitMix64's output function: a bijection of 64-bit words that spreads every input bit
 * over the whole output. */
static inline uint64_t rng_mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * RNG_MIX1;
    z = (z ^ (z >> 27)) * RNG_MIX2;
    return z ^ (z >> 31);
}

/* Seeds 'r' from a seed and a stream number (for example a thread index). Each stream
 * starts at a scrambled point of the generator's cycle. Starting points that differ by a
 * multiple of RNG_GAMMA would make one stream replay another a few draws later (every
 * thread would repeat its neighbour's windows and negatives), so the stream number goes
 * through the mixer rather than being added to the state. */
static inline void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
    r->state = rng_mix(seed + RNG_GAMMA * rng_mix(stream + RNG_GAMMA));
}

static inline uint64_t rng_next(struct rng *r)
{
    return rng_mix(r->state += RNG_GAMMA);
}

/* Moves 'r' on by 'n' draws at once: the state after n calls of rng_next. */
static inline void rng_skip(struct rng *r, uint64_t n)
{
    r->state += RNG_GAMMA * n;
}

/* A uniform integer in [0, n) for n <= 2^32, by multiply-and-shift (Lemire 2019). */
static inline uint32_t rng_below(struct rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* A uniform float in [0, 1) with 24 random bits. */
static inline float rng_uniform(struct rng *r)
{
    return (float)(rng_next(r) >> 40) * (1.0f / 16777216.0f);
}

#endif
