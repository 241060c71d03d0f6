/* update: one stochastic gradient step of skip-gram or CBOW around one position of a
 * sentence, with negative sampling and/or hierarchical softmax.
 *
 * Hogwild (Recht et al. 2011): several threads call these at once on the same model and
 * write m->in, m->out_ns and m->out_hs without any synchronisation. The races are
 * deliberate: updates are sparse, rarely collide, and a lost update only adds noise. */
#ifndef W2V_UPDATE_H
#define W2V_UPDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "model.h"
#include "rng.h"

/* A thread's scratch state: its random stream, two vectors of 'dim' floats and the loss
 * accumulated since the owner last reset it. */
struct update_state {
    struct rng rng;
    float *neu1;      /* CBOW's averaged context */
    float *neu1e;     /* gradient for the input side */
    int32_t *targets; /* two batches of cfg.negative sampled ids: in use, and next */
    int half;         /* which batch is next */
    bool primed;      /* the next batch has been drawn */
    double loss;      /* sum of logistic losses */
    int64_t pairs;    /* predictions made (positive examples) */
    bool diverged;    /* a non-finite score was seen */
};

/* Trains on sentence[pos] with its context in 'sentence' (length 'len') at rate 'lr'. */
void update_skipgram(struct model *m, struct update_state *st, const int32_t *sentence,
                     int len, int pos, float lr);
void update_cbow(struct model *m, struct update_state *st, const int32_t *sentence, int len,
                 int pos, float lr);

#endif
