/* model: the trainable state: input vectors (the word vectors written out), output
 * vectors for negative sampling and for hierarchical softmax, the sampling tables and the
 * sigmoid table. Built once from the pruned vocabulary's counts; read-only apart from the
 * weight matrices, which the training threads update in place. */
#ifndef W2V_MODEL_H
#define W2V_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "train/huffman.h"
#include "base/log.h"
#include "base/progress.h"
#include "train/sampler.h"
#include "train/sigmoid.h"

enum model_kind { MODEL_SKIPGRAM, MODEL_CBOW };

/* What training needs to know; filled from the command line. */
struct train_config {
    enum model_kind kind;
    int dim;
    int window;
    int negative;        /* negative samples per prediction; 0 disables */
    bool hs;             /* hierarchical softmax */
    double sample;       /* subsampling threshold t; 0 disables */
    int iter;            /* epochs */
    double alpha;        /* starting learning rate */
    int threads;
    uint64_t seed;
    double ns_exponent;  /* power of the counts for negative sampling */
    bool fixed_window;   /* always use the full window instead of a random one */
    int batch;           /* with negatives and no hs: 1 scores a prediction's output rows
                          * together (skip-gram also shares the negatives per centre
                          * word), 0 row by row as word2vec (update.h) */
    bool ordered;        /* each epoch's pieces in the text's order, not shuffled
                          * (schedule.h) */
    const char *simd;    /* kernel variant (simd.h names), NULL for the best this CPU runs */
    int32_t copies;      /* rows of the most frequent words each thread copies (replica.h):
                          * 0 lets replica_rows choose, REPLICA_NONE copies none */
};

struct model {
    struct train_config cfg;
    int64_t n;           /* vocabulary size (rows) */
    float *in;           /* n x dim word vectors */
    float *out_ns;       /* n x dim, or NULL without negative sampling */
    float *out_hs;       /* (n - 1) x dim, or NULL without hierarchical softmax */
    float *keep;         /* per-word subsampling keep probability */
    struct unigram uni;
    struct huffman huff;
    struct sigmoid sigmoid;
    double kept_fraction;  /* expected share of word tokens that subsampling keeps */
    double untrained_loss; /* loss per prediction of the untrained model (output vectors
                              zero: ln 2 per decision), the yardstick for divergence */
};

/* Bytes the model of 'n' words holds during training (weights, subsampling and alias
 * tables, Huffman paths), or SIZE_MAX if that overflows. The Huffman paths are estimated
 * from 'counts' (id order; a word of probability p gets a path of about -log2 p nodes),
 * or from n alone when 'counts' is NULL. */
size_t model_bytes(const struct train_config *cfg, const int64_t *counts, int64_t n);

/* Extra bytes model_new uses for a moment while it builds the alias table and the
 * Huffman tree for 'n' words, beyond what model_bytes counts. */
size_t model_setup_bytes(const struct train_config *cfg, int64_t n);

/* Allocates and initialises the model for 'n' >= 2 words with 'counts' (id order): input
 * vectors uniform in +-0.5/dim from 'cfg->seed', output vectors zero. With 'show' (or
 * NULL), the display started by the caller follows the weights' set-up in bytes, out of
 * model_weight_bytes. Returns 0, or -1 with 'err' set (allocation failure naming the
 * size, a too-deep Huffman tree). */
int model_new(struct model *m, const struct train_config *cfg, const int64_t *counts, int64_t n,
              struct progress *show, struct w2v_err *err);

/* Bytes of the weight matrices of the model of 'n' words (what model_new reports its
 * progress against), or SIZE_MAX if that overflows. */
size_t model_weight_bytes(const struct train_config *cfg, int64_t n);

void model_free(struct model *m);

#endif
