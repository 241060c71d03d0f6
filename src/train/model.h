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
#include "base/strindex.h"
#include "base/progress.h"
#include "train/sampler.h"
#include "train/sigmoid.h"

/* The most predictions one draw of negatives may serve (train_config.batch). */
#define MODEL_MAX_BATCH 64

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
    int batch;           /* 0..MODEL_MAX_BATCH; with negatives and no hs: N >= 1 scores
                          * a prediction's output rows together (skip-gram also shares the
                          * negatives per centre word) and draws the negatives once for N
                          * centre words in a row; 0 row by row as word2vec (update.h) */
    bool ordered;        /* each epoch's pieces in the text's order, not shuffled
                          * (schedule.h) */
    const char *simd;    /* kernel variant (simd.h names), NULL for the best this CPU runs */
    int32_t copies;      /* rows of the most frequent words each thread copies (replica.h):
                          * 0 lets replica_rows choose, REPLICA_NONE copies none */
    int minn;            /* subwords (fastText's): character n-grams of minn to maxn */
    int maxn;            /* characters; maxn 0: no subwords */
    int64_t bucket;      /* rows the n-grams are hashed into */
};

/* Whether 'cfg' trains subword vectors. */
static inline bool model_subwords(const struct train_config *cfg)
{
    return cfg->maxn > 0;
}

/* The input rows of each word with subwords: word w's are rows[start[w] .. start[w + 1]),
 * its own row w first, then for each of its character n-grams the row n + (fastText's
 * hash of the n-gram) % bucket (io/fasttext.h); "</s>" has its own row alone. */
struct subwords {
    int64_t *start;      /* n + 1 offsets, or NULL without subwords */
    int32_t *rows;
};

struct model {
    struct train_config cfg;
    int64_t n;           /* vocabulary size (rows) */
    int64_t rows_in;     /* rows of 'in': n, and cfg.bucket more with subwords */
    float *in;           /* rows_in x dim input vectors: the words', then the buckets' */
    struct subwords sub; /* each word's input rows, with subwords */
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

/* With subwords, the input rows of word 'w' (struct subwords), their number in '*nr'. */
static inline const int32_t *model_word_rows(const struct model *m, int64_t w, int *nr)
{
    *nr = (int)(m->sub.start[w + 1] - m->sub.start[w]);
    return m->sub.rows + m->sub.start[w];
}

/* Rows of the input matrix of a model of 'n' words: n, and cfg->bucket more with subwords. */
int64_t model_in_rows(const struct train_config *cfg, int64_t n);

/* Bytes the model of the 'n' words 'words' holds during training (weights, subsampling
 * and alias tables, Huffman paths, the subwords' rows), or SIZE_MAX if that overflows.
 * The Huffman paths are estimated from 'counts' (id order; a word of probability p gets a
 * path of about -log2 p nodes), or from n alone when 'counts' is NULL; the subwords' rows
 * are counted from 'words', or estimated from n when 'words' is NULL. */
size_t model_bytes(const struct train_config *cfg, const int64_t *counts,
                   const struct strindex *words, int64_t n);

/* Extra bytes model_new uses for a moment while it builds the alias table and the
 * Huffman tree for 'n' words, beyond what model_bytes counts. */
size_t model_setup_bytes(const struct train_config *cfg, int64_t n);

/* Allocates and initialises the model for the 'n' >= 2 words 'words' with 'counts' (id
 * order; 'words' is needed only with subwords, and may be NULL otherwise): input vectors
 * (the words' and the buckets') uniform in +-0.5/dim from 'cfg->seed', output vectors
 * zero. With 'show' (or NULL), the display started by the caller follows the weights'
 * set-up in bytes, out of model_weight_bytes. Returns 0, or -1 with 'err' set (allocation
 * failure naming the size, a too-deep Huffman tree). */
int model_new(struct model *m, const struct train_config *cfg, const int64_t *counts,
              const struct strindex *words, int64_t n, struct progress *show,
              struct w2v_err *err);

/* Writes the vector of word 'id' to 'out' ('dim' floats): its input row, or with subwords
 * the mean of its rows (as fastText's .vec holds it). */
void model_word_vector(const struct model *m, int64_t id, float *out);

/* Bytes of the weight matrices of the model of 'n' words (what model_new reports its
 * progress against), or SIZE_MAX if that overflows. */
size_t model_weight_bytes(const struct train_config *cfg, int64_t n);

void model_free(struct model *m);

#endif
