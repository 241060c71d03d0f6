/* update: what every form of the training step shares. A training thread's scratch state
 * (its random stream, buffers, loss), the rows a step reads and writes (the model's, or
 * the thread's own copies of the most frequent ones, see replica.h), the negatives drawn
 * one prediction ahead, the gradient of one logistic decision, and the table of the
 * step's implementations: the plain statement of the rule (rule.h) and the fast kernels
 * compiled once per instruction set (kernels_body.h), one of which is chosen per run.
 *
 * Hogwild (Recht et al. 2011): several threads run steps at once on the same model and
 * write m->in, m->out_ns and m->out_hs without any synchronisation. The races are
 * deliberate: updates are sparse, rarely collide, and a lost update only adds noise. */
#ifndef W2V_UPDATE_H
#define W2V_UPDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/log.h"
#include "base/rng.h"
#include "train/model.h"

/* Contexts scored together against one centre's negatives in skip-gram's shared form; a
 * wider window is cut into groups of this many. Bounds the scratch. */
#define UPDATE_BATCH_MAX 16
/* Output rows the shared form applies at once (the centre word's and up to 7 negatives,
 * so that -negative 5 is one block); larger sets go block after block (rule.c). */
#define UPDATE_BLOCK 8

/* A thread's scratch state. update_state_init sizes every buffer from the configuration. */
struct update_state {
    struct rng rng;
    float *neu1;      /* CBOW's averaged context */
    float *neu1e;     /* gradient for the input side */
    int32_t *targets; /* two batches of cfg.negative sampled ids: in use, and next */
    int half;         /* which batch is next */
    bool primed;      /* the next batch has been drawn */
    int reuses;       /* predictions still to take the batch in use (cfg.batch > 1) */
    int32_t *rows;    /* shared forms: the output rows (centre, negatives), then the contexts */
    float *grad;      /* shared forms: UPDATE_BATCH_MAX x (negative + 1) scaled gradients */
    float *gin;       /* shared forms: UPDATE_BATCH_MAX x dim input-side gradients */
    float **ptr;      /* shared forms: the rows of 'rows' */
    /* This thread's copies of the rows of the 'hot' most frequent words and of the 'hot_hs'
     * inner nodes nearest the root (replica.h). Zero 'hot': every row is the model's. */
    int32_t hot;
    float *hot_in;    /* hot x dim: this thread's rows of m->in */
    float *hot_out;   /* hot x dim: ... of m->out_ns (NULL without negative sampling) */
    int32_t hot_hs;   /* inner nodes copied: the last ones, [n - 1 - hot_hs, n - 1) */
    float *hot_node;  /* hot_hs x dim: ... of m->out_hs (NULL without hierarchical softmax) */
    float *hot_base;  /* all of them, as they were after the last merge */
    double loss;      /* sum of logistic losses */
    int64_t pairs;    /* predictions made (positive examples) */
    bool diverged;    /* a non-finite score was seen */
};

/* Allocates st's buffers for 'cfg' and seeds its stream from (seed, stream); the counters
 * start at zero and no row is copied. Returns 0, or -1 with 'err' set. update_state_free
 * releases everything, copies included. */
int update_state_init(struct update_state *st, const struct train_config *cfg, uint64_t seed,
                      uint64_t stream, struct w2v_err *err);
void update_state_free(struct update_state *st);

/* 'mine' when 'own', else 'model', chosen without a branch: whether a word drawn at
 * random is one of the copied ones is a guess the branch predictor often gets wrong. */
static inline float *update_pick(bool own, float *mine, float *model)
{
    uintptr_t keep = (uintptr_t)0 - (uintptr_t)own;
    return (float *)(((uintptr_t)mine & keep) | ((uintptr_t)model & ~keep));
}

/* The input row of word 'id': this thread's copy for a hot word, the model's otherwise. */
static inline float *update_in(const struct model *m, const struct update_state *st, int32_t id)
{
    float *base = update_pick(id < st->hot, st->hot_in, m->in);
    return base + (size_t)id * (size_t)m->cfg.dim;
}

/* The negative-sampling output row of word 'id', likewise. */
static inline float *update_out(const struct model *m, const struct update_state *st,
                                int32_t id)
{
    float *base = update_pick(id < st->hot, st->hot_out, m->out_ns);
    return base + (size_t)id * (size_t)m->cfg.dim;
}

/* The row of inner node 'node' of the hierarchical softmax: this thread's copy for the
 * st->hot_hs last nodes (nearest the root), the model's otherwise. */
static inline float *update_node(const struct model *m, const struct update_state *st,
                                 int32_t node)
{
    int32_t from = (int32_t)(m->n - 1) - st->hot_hs;
    if (node >= from) {
        return st->hot_node + (size_t)(node - from) * (size_t)m->cfg.dim;
    }
    return m->out_hs + (size_t)node * (size_t)m->cfg.dim;
}

/* Whether predictions take the shared form (cfg.batch): negative sampling without
 * hierarchical softmax. */
static inline bool update_shared(const struct model *m)
{
    return m->cfg.batch && m->cfg.negative > 0 && !m->cfg.hs;
}

/* The cfg.negative negatives of the prediction about to be made. They are drawn one
 * prediction ahead, so that a fast step can fetch the next prediction's rows from memory
 * while it computes this one: the first call draws two batches, each later call one; the
 * batch drawn last is at update_next_negatives. In the shared form with cfg.batch N > 1
 * a batch serves N predictions in a row (fewer at the end of a sentence, update_sentence):
 * the N - 1 calls after a draw return the batch in use and draw nothing. */
static inline const int32_t *update_negatives(const struct model *m, struct update_state *st)
{
    const int neg = m->cfg.negative;
    if (st->reuses > 0) {
        st->reuses--;
        return st->targets + (size_t)(st->half ^ 1) * (size_t)neg;
    }
    st->reuses = update_shared(m) && m->cfg.batch > 1 ? m->cfg.batch - 1 : 0;
    if (!st->primed) {
        for (int d = 0; d < neg; d++) {
            st->targets[d] = unigram_draw(&m->uni, &st->rng);
        }
        st->primed = true;
    }
    int32_t *now = st->targets + (size_t)st->half * (size_t)neg;
    st->half ^= 1;
    int32_t *next = st->targets + (size_t)st->half * (size_t)neg;
    for (int d = 0; d < neg; d++) {
        next[d] = unigram_draw(&m->uni, &st->rng);
    }
    return now;
}

/* Whether update_negatives' next call draws (false: it returns the batch in use). */
static inline bool update_draws(const struct update_state *st)
{
    return st->reuses == 0;
}

/* A sentence starts: its first prediction draws negatives of its own. A checkpoint is
 * taken between sentences, so the batch in use never has to be saved. */
static inline void update_sentence(struct update_state *st)
{
    st->reuses = 0;
}

/* The batch of negatives drawn for the next prediction. */
static inline const int32_t *update_next_negatives(const struct model *m,
                                                   const struct update_state *st)
{
    return st->targets + (size_t)st->half * (size_t)m->cfg.negative;
}

/* The window around 'pos' in a sentence of 'len' words, [*lo, *hi]: its half-width is
 * drawn from 1..window (word2vec's "reduced window") unless the window is fixed. */
static inline void update_window(const struct model *m, struct update_state *st, int pos,
                                 int len, int *lo, int *hi)
{
    int w = m->cfg.window;
    int reach = m->cfg.fixed_window ? w : w - (int)rng_below(&st->rng, (uint32_t)w);
    *lo = pos - reach < 0 ? 0 : pos - reach;
    *hi = pos + reach >= len ? len - 1 : pos + reach;
}

/* The scaled gradient (label - s(f)) * lr of one logistic decision whose score is 'f',
 * with s the table's sigmoid; adds the decision's loss to st (-log s(f) toward 1,
 * -log s(-f), the mirrored entry, toward 0) and notes a score that is not a number. */
static inline float update_gradient(const struct model *m, struct update_state *st, float f,
                                    float label, float lr)
{
    const struct sigmoid *sig = &m->sigmoid;
    if (f != f) {
        st->diverged = true;
    }
    int idx = sigmoid_index(sig, f);
    st->loss += (double)(label > 0.5f ? sig->logv[idx] : sig->logv[SIGMOID_SIZE - idx]);
    return (label - sig->value[idx]) * lr;
}

/* One implementation of the training step: 'sentence' trains on the positions [from, to)
 * of a sentence of 'len' word ids, in order, at rate 'lr'. */
struct update_kernels {
    const char *name;
    void (*sentence)(struct model *m, struct update_state *st, const int32_t *sentence,
                     int len, int from, int to, float lr);
};

/* The implementations: "rule" (rule.h, plain C, the slowest), then the fast kernels
 * "base", "avx2" and "avx512" (simd.h); update_kernels_named(NULL) is the fastest this
 * CPU runs. Returns NULL with 'err' set for an unknown name ("kernels 'x': unknown (rule,
 * base, avx2 or avx512)") or kernels this CPU cannot run ("... not supported by this CPU"). */
const struct update_kernels *update_kernels_named(const char *name, struct w2v_err *err);

#endif
