/* kmeans: spherical k-means of unit rows (cosine similarity): k-means++ seeding on a
 * random sample, then rounds of assignment (multithreaded) and centroid update until no
 * assignment changes or the round limit. The result depends only on the rows, 'k' and
 * the seed, never on the number of threads. */
#ifndef W2V_KMEANS_H
#define W2V_KMEANS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/log.h"
#include "io/outfile.h"

/* Rounds when none are given: as many as word2vec's -classes runs. */
#define KMEANS_DEFAULT_ITER 10

struct kmeans_opts {
    int k;          /* classes, 1 <= k <= rows */
    int iter;       /* most rounds (assignment + update), >= 1 */
    uint64_t seed;  /* seeds the k-means++ sample and draws */
    int threads;    /* >= 1 */
};

struct kmeans_stats {
    int rounds;        /* assignment rounds run */
    bool converged;    /* the last round changed no assignment */
    int64_t changed;   /* assignments changed by the last round */
    int empty;         /* classes left without a word */
    double mean_cos;   /* mean cosine of a row to its class's final centroid */
};

/* Clusters the 'n' rows of 'rows' (n x dim floats, each of unit length or all zero) into
 * 'o->k' classes, writing row i's class to 'cls[i]' (n entries, caller-owned). A centroid
 * is the normalised mean of its rows; a row joins the centroid of largest dot product,
 * the lowest class number on ties. Classes are numbered by the order in which the
 * seeding picked them. Fills 'st'. Returns 0, or -1 with 'err' set (bad 'k', allocation
 * failure, thread creation failure, or a SIGINT or SIGTERM caught by sig.h's handlers,
 * which stops the work within one block of rows). */
int kmeans_run(const float *rows, int64_t n, int dim, const struct kmeans_opts *o, int32_t *cls,
               struct kmeans_stats *st, struct w2v_err *err);

/* Returns a copy of the 'n' x 'dim' rows 'in', each scaled to unit length (a zero row
 * stays zero), in memory from alloc_big (free with free()), or NULL with 'err' set. */
float *kmeans_unit_copy(const float *in, int64_t n, int dim, struct w2v_err *err);

/* Writes "word class\n" lines for rows 0..n-1 to 'of', sorted by class and, within a
 * class, by row (file order). 'word(ctx, i)' gives row i's word. Returns 0, or -1 with
 * 'err' set by the write. */
int kmeans_write(struct outfile *of, const int32_t *cls, int64_t n, int k,
                 const char *(*word)(const void *ctx, int64_t row), const void *ctx,
                 struct w2v_err *err);

#endif
