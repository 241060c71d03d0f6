/* embed: word vectors loaded from a word2vec text or binary file (format detected from the
 * content, gzip or not), with a word index. Rows keep the file's order (most frequent
 * first); each row is also stored normalised to unit length for cosine searches. */
#ifndef W2V_EMBED_H
#define W2V_EMBED_H

#include <stdint.h>

#include "log.h"

struct embed {
    int64_t rows;
    int dim;
    float *unit;         /* rows x dim, each row scaled to unit length (zero rows stay 0) */
    char *arena;         /* the words, NUL-terminated */
    size_t *offset;      /* word i is arena + offset[i] */
    int64_t *slots;      /* open-addressing index of rows, -1 when empty */
    uint64_t mask;
};

/* Loads 'path' ("-" is stdin), keeping at most 'limit' rows when 'limit' > 0. Errors name
 * the file and row: "FILE:ROW: expected DIM values, got N". Returns 0 or -1. */
int embed_load(struct embed *e, const char *path, int64_t limit, struct w2v_err *err);

/* Row of 'word', or -1. */
int64_t embed_find(const struct embed *e, const char *word);

static inline const char *embed_word(const struct embed *e, int64_t row)
{
    return e->arena + e->offset[row];
}

static inline const float *embed_row(const struct embed *e, int64_t row)
{
    return e->unit + (size_t)row * (size_t)e->dim;
}

void embed_free(struct embed *e);

#endif
