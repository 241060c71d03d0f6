/* embed: word vectors loaded from a vector file (any format vecfile.h reads) with a word
 * index. Rows keep the file's order (most frequent first), except that a word's later
 * duplicates are dropped: the first row of each word is kept, so a query word never meets
 * itself among its neighbours. Each row is stored normalised to unit length for cosine
 * searches; an uncompressed binary file may instead be mapped and read in place. */
#ifndef W2V_EMBED_H
#define W2V_EMBED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "base/strindex.h"
#include "io/fasttext.h"
#include "io/vecfile.h"

struct embed {
    int64_t rows;        /* rows kept */
    int dim;
    float *unit;         /* rows x dim unit rows, or NULL when the file is mapped */
    const unsigned char *map; /* a mapped binary file, read in place, or NULL */
    size_t map_size;
    size_t *vec_off;     /* mapped: offset of row i's floats in 'map' */
    double *inv_norm;    /* mapped: 1 / length of row i (0 for a zero row), or -(k + 1)
                            when unit row k of 'extreme' stands in for it */
    float *extreme;      /* mapped: unit rows of the rows too large or too small for a
                            float dot product in place */
    int64_t nextreme;
    struct strindex words; /* word of row i is string i */
    int64_t dups;        /* rows dropped because their word came earlier */
    int64_t cut;         /* the row limit that stopped the read before the file's end (the
                            file may have more rows), or 0 when every row was read */
    bool raw;            /* loaded with EMBED_RAW: rows as in the file, not unit rows */
    struct ft_model *ft; /* a fastText model's subwords, for words outside the vocabulary,
                            or NULL */
    float *oov;          /* unit rows of such words (embed_lookup), rows + k for row k (raw
                            rows when 'raw') */
    int64_t noov;
    int64_t oov_cap;
};

/* How embed_load keeps the rows. */
enum embed_mode {
    EMBED_COPY,  /* copied and normalised */
    EMBED_MAP,   /* an uncompressed binary file mapped and read in place; others copied */
    EMBED_RAW,   /* copied as the file has them, not normalised: the rows a user prints
                    (embed_row, embed_lookup); searches need unit rows and do not take them */
};

/* Loads 'path' ("-" is stdin) in 'format' (VEC_AUTO detects it), reading at most 'limit'
 * rows of the file when 'limit' > 0; a limited read stops there without checking the
 * rest of the file against its header. With EMBED_MAP an uncompressed binary file is
 * mapped and read in place (one pass to find the rows and their lengths, no copy), and a
 * bus error from the mapping, should the file be truncated under it, ends the process
 * with "w2v: PATH: file changed or truncated while reading" and status 1 (see
 * mapguard.h). Errors name the file and line or row (see vecfile.h). Returns 0 or -1. */
int embed_load(struct embed *e, const char *path, enum vec_format format, int64_t limit,
               enum embed_mode mode, struct w2v_err *err);

/* Row of 'word', or -1. */
int64_t embed_find(const struct embed *e, const char *word);

/* Row of 'word' as embed_find, or, for a word outside the vocabulary of a file with
 * subwords (a fastText model), a row after the vocabulary's (embed_is_oov) with the unit
 * vector of its character n-grams, made at the first lookup; -1 when the word has no
 * vector (no subwords, or no n-gram). Rows after the vocabulary are never searched. A raw
 * embed keeps the mean of the n-grams' rows as it is, zero when the word has none, as
 * fastText prints it. */
int64_t embed_lookup(struct embed *e, const char *word);

/* True for a row embed_lookup made from n-grams. */
static inline bool embed_is_oov(const struct embed *e, int64_t row)
{
    return row >= e->rows;
}

static inline const char *embed_word(const struct embed *e, int64_t row)
{
    return strindex_str(&e->words, row);
}

/* Unit row 'row': a pointer into the matrix, or, for a mapped file, 'scratch' (room for
 * dim floats) filled with it. */
const float *embed_unit(const struct embed *e, int64_t row, float *scratch);

/* Dot product of unit row 'row' with 'q'; a mapped row is read in place. */
float embed_dot(const struct embed *e, int64_t row, const float *q);

/* Unit row 'row' of a loaded (not mapped) file: what the batched evaluations read; the
 * row as the file has it when the embed is raw. */
static inline const float *embed_row(const struct embed *e, int64_t row)
{
    if (row >= e->rows) {
        return e->oov + (size_t)(row - e->rows) * (size_t)e->dim;
    }
    return e->unit + (size_t)row * (size_t)e->dim;
}

void embed_free(struct embed *e);

/* A case-insensitive index of the first rows of an embed: each row's word upper-cased as
 * Python's str.upper does (utf8.h), and the first (most frequent) row with each
 * upper-cased word, as gensim's ok_vocab with case_insensitive=True. */
struct embed_upper {
    struct strindex words;  /* upper-cased word of row i has id i */
    int64_t *canon;         /* row i -> the first row with the same upper-cased word */
    char *buf;              /* room for one upper-cased word */
    size_t buf_cap;
};

/* Builds the index of the first 'n' rows of 'e' (n <= e->rows); free with
 * embed_upper_free. */
void embed_upper_build(struct embed_upper *u, const struct embed *e, int64_t n);

/* The first row whose upper-cased word is the upper-cased 'word', or -1. */
int64_t embed_upper_find(struct embed_upper *u, const char *word);

void embed_upper_free(struct embed_upper *u);

#endif
