/* sampler: the draws of training. Negative words come from the unigram distribution
 * raised to a power (0.75 by default), drawn in O(1) from an alias table of one entry per
 * word instead of word2vec's 400 MB lookup table. Subsampling keeps a frequent word with
 * word2vec's probability. */
#ifndef W2V_SAMPLER_H
#define W2V_SAMPLER_H

#include <stdint.h>

#include "base/log.h"
#include "base/rng.h"

struct alias_entry {
    uint32_t threshold; /* keep this entry if the low 32 random bits are below it */
    int32_t alias;      /* otherwise take this one */
};

struct unigram {
    int64_t n;
    struct alias_entry *table;
};

/* Builds the table for word i weighted by counts[i]^power; ids below 'from' and zero
 * counts have weight 0 and are never drawn (the model passes 1: the sentence end "</s>"
 * is not a word to contrast with). Returns 0, or -1 with 'err' set when no word has a
 * positive weight or memory runs out ("negative-sampling table: cannot allocate ..."). */
int unigram_build(const int64_t *counts, int64_t n, int64_t from, double power,
                  struct unigram *u, struct w2v_err *err);

void unigram_free(struct unigram *u);

/* Draws a word id. The choice between an entry and its alias is a coin flip that no
 * branch predictor can learn, so it is made with a mask instead of a branch. */
static inline int32_t unigram_draw(const struct unigram *u, struct rng *r)
{
    uint64_t x = rng_next(r);
    uint32_t i = (uint32_t)(((x >> 32) * (uint64_t)u->n) >> 32);
    const struct alias_entry *e = &u->table[i];
    uint32_t keep = 0u - (uint32_t)((uint32_t)x < e->threshold);
    return (int32_t)((i & keep) | ((uint32_t)e->alias & ~keep));
}

/* word2vec's subsampling keep probability for a word seen 'count' times among 'total'
 * tokens with threshold 't': min(1, (sqrt(count / (t*total)) + 1) * t*total / count).
 * 1 when 't' <= 0 or 'count' is 0. */
double subsample_keep(int64_t count, int64_t total, double t);

#endif
