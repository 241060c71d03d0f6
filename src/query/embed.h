/* embed: word vectors loaded from a word2vec text or binary file (format detected from the
 * content, gzip or not), with a word index. Rows keep the file's order (most frequent
 * first); each row is also stored normalised to unit length for cosine searches. */
#ifndef W2V_EMBED_H
#define W2V_EMBED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"

struct embed {
    int64_t rows;
    int dim;
    float *unit;         /* rows x dim unit rows, or NULL when the file is mapped */
    const unsigned char *map; /* a mapped binary file, read in place, or NULL */
    size_t map_size;
    size_t *vec_off;     /* mapped: offset of row i's floats in 'map' */
    double *inv_norm;    /* mapped: 1 / length of row i (0 for a zero row) */
    char *arena;         /* the words, NUL-terminated */
    size_t *offset;      /* word i is arena + offset[i] */
    int64_t *slots;      /* index of rows by word (see embed_index), or NULL */
    uint64_t mask;
};

/* Loads 'path' ("-" is stdin), keeping at most 'limit' rows when 'limit' > 0. If 'may_map'
 * and the file is an uncompressed binary file, it is mapped and read in place (one pass
 * to find the rows and their lengths, no copy); otherwise every row is copied and
 * normalised. Errors name the file and line: "FILE:LINE: expected DIM values, got N"
 * (the header is line 1). Returns 0 or -1. */
int embed_load(struct embed *e, const char *path, int64_t limit, bool may_map,
               struct w2v_err *err);

/* Builds the word index, making embed_find constant-time; a repeated word keeps its first
 * row. Without it, embed_find scans the words. */
void embed_index(struct embed *e);

/* Row of 'word', or -1. */
int64_t embed_find(const struct embed *e, const char *word);

static inline const char *embed_word(const struct embed *e, int64_t row)
{
    return e->arena + e->offset[row];
}

/* Unit row 'row': a pointer into the matrix, or, for a mapped file, 'scratch' (room for
 * dim floats) filled with it. */
const float *embed_unit(const struct embed *e, int64_t row, float *scratch);

/* Dot product of unit row 'row' with 'q'; a mapped row is read in place. */
float embed_dot(const struct embed *e, int64_t row, const float *q);

/* Unit row 'row' of a loaded (not mapped) file: what the batched evaluations read. */
static inline const float *embed_row(const struct embed *e, int64_t row)
{
    return e->unit + (size_t)row * (size_t)e->dim;
}

void embed_free(struct embed *e);

#endif
