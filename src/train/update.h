/* update: the stochastic gradient steps of skip-gram and CBOW around the positions of a
 * sentence, with negative sampling and/or hierarchical softmax.
 *
 * Skip-gram with negative sampling has two forms (cfg.batch). Per pair (batch 0, as
 * word2vec): each (context, centre) pair draws its own negatives and updates the rows one
 * prediction at a time. Batched (batch 1, "HogBatch", Ji et al. 2016): a centre word
 * draws its negatives once and shares them with all its context words; the scores of every
 * context row against the centre's and the negatives' output rows are computed from the
 * same weights, then both gradients are applied. Same arithmetic, but each sampled output
 * row is fetched from memory once per centre word instead of once per context word.
 * CBOW's batched form (batch 1) scores the context mean against all of a prediction's
 * output rows before updating any, so that the dot products run side by side; it differs
 * from updating them in turn (batch 0, as word2vec) only when a negative is drawn twice.
 *
 * The kernels are compiled once per instruction set (kernels_*.c, see simd.h) and chosen
 * once per run. For a given variant and build, results are reproducible; variants add
 * in a different order, so their outputs differ in the last bits.
 *
 * Hogwild (Recht et al. 2011): several threads call these at once on the same model and
 * write m->in, m->out_ns and m->out_hs without any synchronisation. The races are
 * deliberate: updates are sparse, rarely collide, and a lost update only adds noise. The
 * rows of the most frequent words, which do collide, can be a thread's own copies
 * instead (update_state_replicate). */
#ifndef W2V_UPDATE_H
#define W2V_UPDATE_H

#include <stdbool.h>
#include <stdint.h>

#include "train/model.h"
#include "base/rng.h"
#include "base/simd.h"

/* Contexts scored together against one centre's negatives; a wider window is cut into
 * groups of this many (each group shares the centre's negatives). Bounds the scratch. */
#define UPDATE_BATCH_MAX 16

/* A thread's scratch state: its random stream, buffers and the loss accumulated since the
 * owner last reset it. update_state_init sizes every buffer from the configuration. */
struct update_state {
    struct rng rng;
    float *neu1;      /* CBOW's averaged context */
    float *neu1e;     /* gradient for the input side */
    int32_t *targets; /* two batches of cfg.negative sampled ids: in use, and next */
    int half;         /* which batch is next */
    bool primed;      /* the next batch has been drawn */
    int32_t *rows;    /* batched: the output rows (centre, negatives), then the contexts */
    float *grad;      /* batched: UPDATE_BATCH_MAX x (negative + 1) scaled gradients */
    float *gin;       /* batched: UPDATE_BATCH_MAX x dim input-side gradients */
    float **ptr;      /* batched: the rows of 'rows' */
    /* Replicas (update_state_replicate): with several threads, each keeps its own copy of
     * the input and output rows of the 'hot' most frequent words, and of the rows of the
     * hierarchical softmax's inner nodes nearest the root, and merges them into the model
     * now and then. Zero 'hot': every row is the model's. */
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

/* One variant of the kernels. 'at' trains on sentence[pos] (context in 'sentence' of
 * length 'len') at rate 'lr'; 'sentence' does so at every position in turn. dot, axpy
 * and step have the contracts of vec_dot, vec_axpy and vec_step (vec.h). */
struct update_kernels {
    enum simd_level level;
    void (*at)(struct model *m, struct update_state *st, const int32_t *sentence, int len,
               int pos, float lr);
    /* the positions [from, to) of a sentence of 'len' words, in order, as 'at' does */
    void (*sentence)(struct model *m, struct update_state *st, const int32_t *sentence,
                     int len, int from, int to, float lr);
    float (*dot)(const float *a, const float *b, int n);
    void (*axpy)(float *y, float a, const float *x, int n);
    void (*step)(float *acc, float *out, const float *in, float g, int n);
};

/* The kernels of 'level', or NULL if this CPU cannot run them. */
const struct update_kernels *update_kernels_for(enum simd_level level);

/* The kernels named by 'name' ("base", "avx2", "avx512"), or those of the best level this
 * CPU runs when 'name' is NULL. Returns NULL with 'err' set for an unknown name or a level
 * the CPU lacks. */
const struct update_kernels *update_kernels_pick(const char *name, struct w2v_err *err);

/* Allocates st's buffers for 'cfg' and seeds its stream from (seed, stream); the counters
 * start at zero. Returns 0, or -1 with 'err' set. update_state_free releases them. */
int update_state_init(struct update_state *st, const struct train_config *cfg, uint64_t seed,
                      uint64_t stream, struct w2v_err *err);
void update_state_free(struct update_state *st);

/* Gives 'st' its own copies of the rows of words [0, hot) of m->in and m->out_ns (hot is
 * cut to the vocabulary), and of the last 'hot' inner nodes of m->out_hs (cut to the
 * n - 1 nodes): the nodes are numbered from the leaves up, so these are the ones nearest
 * the root, on the paths of most words (the root is on every path). Why: the rows of the
 * most frequent words and of those nodes are written by every thread many times a second,
 * and each write takes the cache line away from the other cores, so that sharing them
 * costs more than the arithmetic (measured: 2 threads spent 1.5x the CPU time of 1 thread
 * on the same epoch, while two 1-thread processes with a model each ran side by side
 * within 7 % of one alone). The copies are merged by update_state_merge; between merges,
 * one thread does not see the others' changes to its hot rows, as Hogwild's other races
 * lose some. Returns 0 or -1 with 'err' set. */
int update_state_replicate(struct update_state *st, const struct model *m, int32_t hot,
                           struct w2v_err *err);

/* For the words [0, rows) and the last 'rows' inner nodes (cut to what is copied): adds
 * what this thread changed in its copies of their rows since their last merge to the
 * model, then takes the model's rows (with the other threads' merged changes) as its
 * copies. Call it at regular intervals, and with
 * every row before the model is read (checkpoint, end of training). Two threads must not
 * merge at once (the caller serialises merges). */
void update_state_merge(struct update_state *st, struct model *m, int32_t rows);

/* The bytes update_state_replicate allocates for 'hot' rows. */
size_t update_replica_bytes(const struct train_config *cfg, int32_t hot);

/* One position with the portable kernels (SIMD_BASE). */
void update_skipgram(struct model *m, struct update_state *st, const int32_t *sentence,
                     int len, int pos, float lr);
void update_cbow(struct model *m, struct update_state *st, const int32_t *sentence, int len,
                 int pos, float lr);

#endif
