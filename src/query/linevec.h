/* linevec: one vector per line of text, from loaded word vectors. Lines are split into
 * words as training splits its corpus (corpus.h: ASCII whitespace and NUL), case kept.
 * The plain vector of a line is the mean of the unit vectors of its words that have a
 * vector, as fastText's print-sentence-vectors computes it for word vector models: a word
 * whose vector is zero (or that has none) is not counted, no end-of-line token is added,
 * and a line without any counted word gets the zero vector. With smooth inverse frequency
 * (SIF, Arora et al. 2017, "A Simple but Tough-to-Beat Baseline for Sentence
 * Embeddings", Algorithm 1) each word's raw vector is weighted by a / (a + p(w)) before
 * the mean, and the first singular vector u of all the lines' vectors is removed from
 * each (v - u u^T v); that needs every line before the first is written, so the lines'
 * vectors wait in an unlinked temporary file. Lines are handled in batches, each cut into
 * one share per thread, and the rows come out in input order. */
#ifndef W2V_LINEVEC_H
#define W2V_LINEVEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "query/embed.h"
#include "text/vocab.h"

/* SIF's parameter a by default: the value Arora et al. recommend (their section 4.1). */
#define LINEVEC_SIF_A 1e-3

/* How lines become vectors. */
struct linevec {
    const struct embed *e;    /* unit rows (EMBED_COPY) for the plain mean, the file's
                                 rows (EMBED_RAW) for SIF; never changed here: words
                                 outside its rows get their fastText n-gram vector afresh
                                 each time (nothing is cached, so memory stays bounded) */
    float *weight;            /* SIF: the weight of each row of 'e'; NULL for the plain mean */
    const struct vocab *counts; /* SIF: the counts, for words outside the rows of 'e' */
    double a;                 /* SIF's a */
    double total;             /* SIF: the sum of the counts */
    int threads;              /* at least 1 */
    const char *tmpdir;       /* where SIF's temporary file goes; NULL: $TMPDIR or /tmp */
    size_t batch_bytes;       /* text read per batch; 0: LINEVEC_BATCH_BYTES */
    int64_t batch_lines;      /* most lines per batch; 0: from LINEVEC_BATCH_VALUES */
};

/* Text bytes read per batch (a longer line goes on in the next batch). */
#define LINEVEC_BATCH_BYTES ((size_t)4 << 20)
/* Vector values per batch: the lines of a batch are this divided by the dimension (at
 * least 1, at most LINEVEC_BATCH_MAX_LINES), which bounds its formatted text. */
#define LINEVEC_BATCH_VALUES ((int64_t)1 << 20)
#define LINEVEC_BATCH_MAX_LINES ((int64_t)1 << 16)

/* Sets up the plain mean over 'e' (loaded with EMBED_COPY) on 'threads' threads. */
void linevec_init(struct linevec *lv, const struct embed *e, int threads);

/* SIF's weight a / (a + p) of a word counted 'count' times among 'total' (p = count /
 * total; 1 for a word not counted). */
double linevec_sif_weight(int64_t count, double total, double a);

/* Turns 'lv' (after linevec_init, over rows loaded with EMBED_RAW) to SIF with the counts
 * of 'v' (vocab_read of 'path', for messages; it must outlive 'lv') and parameter 'a' > 0:
 * p(w) is a word's count over the sum of all the counts of 'v', and a word missing from
 * 'v' counts 0 times (weight 1, as Arora et al.'s code gives it). Returns 0, or -1 with
 * 'err' set ("PATH: the counts add up to 0", memory). */
int linevec_sif(struct linevec *lv, const struct vocab *v, const char *path, double a,
                struct w2v_err *err);

/* Frees what linevec_sif allocated. */
void linevec_free(struct linevec *lv);

/* The vector of the one line 'text' ('len' bytes, no line end needed) without SIF's
 * removal: writes e->dim floats to 'out' and returns how many words were counted. */
int64_t linevec_line(const struct linevec *lv, const char *text, size_t len, float *out);

/* The unit eigenvector of the largest eigenvalue of the symmetric positive semidefinite
 * 'dim' x 'dim' matrix 'c' (row-major, both triangles), by power iteration from its
 * largest column, to 'u': SIF's first singular vector when 'c' is X^T X. Writes zeros when
 * 'c' is zero. Returns the number of iterations. */
int linevec_top_direction(const double *c, int dim, double *u);

/* v - u (u . v) of the 'dim' floats 'v', written to 'out' (which may be 'v'). */
void linevec_remove(const float *v, const double *u, int dim, float *out);

/* Counts of a run. */
struct linevec_stats {
    int64_t lines;            /* rows written */
    int64_t empty;            /* of which zero rows: lines without a counted word */
    int64_t words;            /* words read */
    int64_t counted;          /* of which counted (a vector, not zero) */
    bool binary;              /* the run stopped at a NUL byte */
};

/* Where the rows go: 'len' bytes of text, whole rows "v1 v2 ... vD\n" (6 decimals, as
 * vectors files have them) in input order. Returns 0, or -1 with 'err' set, which stops
 * the run. */
typedef int (*linevec_emit_fn)(void *ctx, const char *text, size_t len, struct w2v_err *err);

/* Writes the row of every line of the 'n' inputs 'paths' ("-" is standard input; gzip is
 * read by content), one after the other (an input's last line needs no line end) through
 * 'emit'. The plain mean writes each batch as it is done; SIF writes nothing before every
 * input has been read. A NUL byte in an input is an error: the input is binary, not text
 * ("PATH:LINE: a NUL byte: binary data, not text"). Returns 0, or -1 with 'err' set: an
 * input that cannot be read, the temporary file, 'emit'. Counts go to 'st'. */
int linevec_run(const struct linevec *lv, const char *const *paths, int n,
                linevec_emit_fn emit, void *ctx, struct linevec_stats *st,
                struct w2v_err *err);

#endif
