/* kmeans: spherical k-means over unit rows. Work is cut into fixed blocks of rows (and, for
 * the centroid sums, fixed ranges of dimensions) whose results are combined in a fixed
 * order, so that every thread count gives the same classes and the same statistics. */
#include "query/kmeans.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "base/sig.h"
#include "base/util.h"
#include "base/vec.h"

/* Rows per unit of work in the assignment and scoring passes. */
#define KM_BLOCK 256
/* The dot-product tile: rows by centroids, each pair summed over KM_LANES partial sums
 * (8 floats fill one AVX2 register; 4 x 2 tiles keep 8 accumulators in registers). */
#define KM_TR 4
#define KM_TC 2
#define KM_LANES 8
/* k-means++ seeds from a uniform sample of this many rows per class (Arthur and
 * Vassilvitskii 2007 seed from all rows; a sample keeps the k sequential passes cheap). */
#define KM_SAMPLE_PER_CLASS 16
/* Most threads the module starts. */
#define KM_MAX_THREADS 1024

enum km_phase { KM_ASSIGN, KM_UPDATE, KM_SCORE };

struct km {
    const float *rows;
    int64_t n;
    int dim;
    int k;
    int threads;
    float *cent;           /* kpad x dim unit centroids (rows past k stay zero) */
    double *sums;          /* k x dim sums of the rows of each class */
    int32_t *cls;
    int64_t nblocks;
    int64_t *blk_changed;  /* per block: assignments changed */
    double *blk_cos;       /* per block: sum of the rows' dot products with their centroid */
};

struct km_job {
    struct km *m;
    int t;
    enum km_phase phase;
    pthread_t tid;
};

/* Dot products of KM_TR consecutive rows 'r' with KM_TC consecutive centroids 'c'. Written
 * out pair by pair so that the eight accumulators stay in vector registers. */
static void tile_dots(const float *restrict r, const float *restrict c, int dim,
                      float out[KM_TR][KM_TC])
{
    float s00[KM_LANES] = {0}, s01[KM_LANES] = {0}, s10[KM_LANES] = {0}, s11[KM_LANES] = {0};
    float s20[KM_LANES] = {0}, s21[KM_LANES] = {0}, s30[KM_LANES] = {0}, s31[KM_LANES] = {0};
    size_t n = (size_t)dim;
    const float *r0 = r, *r1 = r + n, *r2 = r + 2 * n, *r3 = r + 3 * n;
    const float *c0 = c, *c1 = c + n;
    size_t i = 0;
    for (; i + KM_LANES <= n; i += KM_LANES) {
        for (size_t j = 0; j < KM_LANES; j++) {
            float x0 = c0[i + j];
            float x1 = c1[i + j];
            s00[j] += r0[i + j] * x0;
            s01[j] += r0[i + j] * x1;
            s10[j] += r1[i + j] * x0;
            s11[j] += r1[i + j] * x1;
            s20[j] += r2[i + j] * x0;
            s21[j] += r2[i + j] * x1;
            s30[j] += r3[i + j] * x0;
            s31[j] += r3[i + j] * x1;
        }
    }
    float *acc[KM_TR][KM_TC] = {{s00, s01}, {s10, s11}, {s20, s21}, {s30, s31}};
    for (int a = 0; a < KM_TR; a++) {
        for (int b = 0; b < KM_TC; b++) {
            float tail = 0.0f;
            for (size_t d = i; d < n; d++) {
                tail += r[(size_t)a * n + d] * c[(size_t)b * n + d];
            }
            float p[KM_LANES];
            memcpy(p, acc[a][b], sizeof p);
            for (int w = KM_LANES / 2; w > 0; w /= 2) {
                for (int j = 0; j < w; j++) {
                    p[j] += p[j + w];
                }
            }
            out[a][b] = p[0] + tail;
        }
    }
}

/* Assigns the rows of block 'b' to their nearest centroids. 'pad' holds KM_TR rows. */
static void assign_block(struct km *m, int64_t b, float *pad)
{
    int64_t r0 = b * KM_BLOCK;
    int64_t r1 = r0 + KM_BLOCK < m->n ? r0 + KM_BLOCK : m->n;
    size_t dim = (size_t)m->dim;
    int64_t changed = 0;
    double cos = 0.0;
    for (int64_t r = r0; r < r1; r += KM_TR) {
        int nr = r1 - r < KM_TR ? (int)(r1 - r) : KM_TR;
        const float *tile = m->rows + (size_t)r * dim;
        if (nr < KM_TR) {
            /* the last rows run through the same kernel, padded with zero rows */
            memset(pad, 0, KM_TR * dim * sizeof *pad);
            memcpy(pad, tile, (size_t)nr * dim * sizeof *pad);
            tile = pad;
        }
        float best[KM_TR];
        int32_t arg[KM_TR] = {0};
        for (int a = 0; a < KM_TR; a++) {
            best[a] = -INFINITY;
        }
        for (int c = 0; c < m->k; c += KM_TC) {
            float d[KM_TR][KM_TC];
            tile_dots(tile, m->cent + (size_t)c * dim, m->dim, d);
            for (int a = 0; a < KM_TR; a++) {
                for (int j = 0; j < KM_TC && c + j < m->k; j++) {
                    if (d[a][j] > best[a]) {
                        best[a] = d[a][j];
                        arg[a] = c + j;
                    }
                }
            }
        }
        for (int a = 0; a < nr; a++) {
            changed += m->cls[r + a] != arg[a];
            m->cls[r + a] = arg[a];
            cos += isfinite(best[a]) ? (double)best[a] : 0.0;
        }
    }
    m->blk_changed[b] = changed;
    m->blk_cos[b] = cos;
}

/* Adds every row into its class's sum, over the dimensions of share 't'. */
static void update_dims(struct km *m, int t)
{
    size_t dim = (size_t)m->dim;
    size_t d0 = dim * (size_t)t / (size_t)m->threads;
    size_t d1 = dim * (size_t)(t + 1) / (size_t)m->threads;
    for (int64_t r = 0; r < m->n; r++) {
        const float *x = m->rows + (size_t)r * dim;
        double *s = m->sums + (size_t)m->cls[r] * dim;
        for (size_t d = d0; d < d1; d++) {
            s[d] += (double)x[d];
        }
    }
}

/* Sums the rows' dot products with their own centroids over block 'b'. */
static void score_block(struct km *m, int64_t b)
{
    int64_t r0 = b * KM_BLOCK;
    int64_t r1 = r0 + KM_BLOCK < m->n ? r0 + KM_BLOCK : m->n;
    size_t dim = (size_t)m->dim;
    double cos = 0.0;
    for (int64_t r = r0; r < r1; r++) {
        cos += (double)vec_dot(m->rows + (size_t)r * dim, m->cent + (size_t)m->cls[r] * dim,
                               m->dim);
    }
    m->blk_cos[b] = cos;
}

static void *km_worker(void *arg)
{
    struct km_job *job = arg;
    struct km *m = job->m;
    if (job->phase == KM_UPDATE) {
        update_dims(m, job->t);
        return NULL;
    }
    float *pad = xmalloc((size_t)KM_TR * (size_t)m->dim * sizeof *pad);
    for (int64_t b = job->t; b < m->nblocks && sig_caught() == 0; b += m->threads) {
        if (job->phase == KM_ASSIGN) {
            assign_block(m, b, pad);
        } else {
            score_block(m, b);
        }
    }
    free(pad);
    return NULL;
}

/* Runs 'phase' on m->threads threads (the caller being one of them). */
static int km_parallel(struct km *m, enum km_phase phase, struct w2v_err *err)
{
    struct km_job jobs[KM_MAX_THREADS];
    int started = 1;
    int rc = 0;
    for (int t = 0; t < m->threads; t++) {
        jobs[t] = (struct km_job){.m = m, .t = t, .phase = phase};
    }
    for (int t = 1; t < m->threads; t++, started++) {
        if (pthread_create(&jobs[t].tid, NULL, km_worker, &jobs[t]) != 0) {
            err_set(err, "k-means: cannot start thread %d", t + 1);
            rc = -1;
            break;
        }
    }
    if (rc == 0) {
        km_worker(&jobs[0]);
    }
    for (int t = 1; t < started; t++) {
        pthread_join(jobs[t].tid, NULL);
    }
    return rc;
}

/* Sets each centroid to the normalised sum of its rows; a class without rows keeps its
 * centroid. Returns the number of empty classes, or -1 with 'err' set. */
static int update_centroids(struct km *m, int64_t *count, struct w2v_err *err)
{
    size_t dim = (size_t)m->dim;
    memset(m->sums, 0, (size_t)m->k * dim * sizeof *m->sums);
    memset(count, 0, (size_t)m->k * sizeof *count);
    for (int64_t r = 0; r < m->n; r++) {
        count[m->cls[r]]++;
    }
    if (km_parallel(m, KM_UPDATE, err) != 0) {
        return -1;
    }
    int empty = 0;
    for (int c = 0; c < m->k; c++) {
        if (count[c] == 0) {
            empty++;
            continue;
        }
        const double *s = m->sums + (size_t)c * dim;
        double ss = 0.0;
        for (size_t d = 0; d < dim; d++) {
            ss += s[d] * s[d];
        }
        double inv = ss > 0.0 ? 1.0 / sqrt(ss) : 0.0;
        for (size_t d = 0; d < dim; d++) {
            m->cent[(size_t)c * dim + d] = (float)(s[d] * inv);
        }
    }
    return empty;
}

/* A uniform double in [0, 1) with 53 random bits. */
static double uniform53(struct rng *g)
{
    return (double)(rng_next(g) >> 11) * (1.0 / 9007199254740992.0);
}

/* Picks an index of 'w' (s weights) with probability proportional to its weight, or a
 * uniform one when every weight is zero. */
static int64_t draw_weighted(struct rng *g, const double *w, int64_t s)
{
    double total = 0.0;
    for (int64_t i = 0; i < s; i++) {
        total += w[i];
    }
    if (!(total > 0.0)) {
        return (int64_t)(uniform53(g) * (double)s);
    }
    double u = uniform53(g) * total;
    double acc = 0.0;
    int64_t last = 0;
    for (int64_t i = 0; i < s; i++) {
        if (w[i] > 0.0) {
            acc += w[i];
            last = i;
            if (acc > u) {
                return i;
            }
        }
    }
    return last; /* rounding left u at the very end */
}

/* k-means++ seeding (D^2 weighting, with D = 1 - cosine) over a uniform sample of rows
 * chosen by selection sampling (Knuth, TAOCP vol. 2, algorithm S). */
static int seed_centroids(struct km *m, uint64_t seed, struct w2v_err *err)
{
    int64_t s = (int64_t)m->k * KM_SAMPLE_PER_CLASS;
    s = s < m->n ? s : m->n;
    int64_t *pick = alloc_big((size_t)s * sizeof *pick, "k-means sample", err);
    double *w = alloc_big((size_t)s * sizeof *w, "k-means sample weights", err);
    if (pick == NULL || w == NULL) {
        free(pick);
        free(w);
        return -1;
    }
    struct rng g;
    rng_seed(&g, seed, 0);
    int64_t got = 0;
    for (int64_t i = 0; i < m->n && got < s; i++) {
        if (uniform53(&g) * (double)(m->n - i) < (double)(s - got)) {
            pick[got++] = i;
        }
    }
    size_t dim = (size_t)m->dim;
    for (int64_t i = 0; i < s; i++) {
        w[i] = (double)INFINITY;
    }
    int64_t chosen = (int64_t)(uniform53(&g) * (double)s);
    for (int c = 0; c < m->k && sig_caught() == 0; c++) {
        float *cent = m->cent + (size_t)c * dim;
        memcpy(cent, m->rows + (size_t)pick[chosen] * dim, dim * sizeof *cent);
        for (int64_t i = 0; i < s; i++) {
            double d = 1.0 - (double)vec_dot(m->rows + (size_t)pick[i] * dim, cent, m->dim);
            d = d > 0.0 ? d : 0.0;
            w[i] = d * d < w[i] ? d * d : w[i];
        }
        chosen = draw_weighted(&g, w, s);
    }
    free(pick);
    free(w);
    return 0;
}

static void km_free(struct km *m)
{
    free(m->cent);
    free(m->sums);
    free(m->blk_changed);
    free(m->blk_cos);
}

static int km_init(struct km *m, const float *rows, int64_t n, int dim,
                   const struct kmeans_opts *o, int32_t *cls, struct w2v_err *err)
{
    *m = (struct km){.rows = rows, .n = n, .dim = dim, .k = o->k, .cls = cls};
    m->threads = o->threads < KM_MAX_THREADS ? o->threads : KM_MAX_THREADS;
    m->nblocks = (n + KM_BLOCK - 1) / KM_BLOCK;
    size_t kpad = ((size_t)o->k + KM_TC - 1) / KM_TC * KM_TC;
    m->cent = alloc_big(kpad * (size_t)dim * sizeof *m->cent, "k-means centroids", err);
    m->sums = alloc_big((size_t)o->k * (size_t)dim * sizeof *m->sums, "k-means sums", err);
    m->blk_changed = alloc_big((size_t)m->nblocks * sizeof *m->blk_changed, "k-means", err);
    m->blk_cos = alloc_big((size_t)m->nblocks * sizeof *m->blk_cos, "k-means", err);
    if (m->cent == NULL || m->sums == NULL || m->blk_changed == NULL || m->blk_cos == NULL) {
        km_free(m);
        return -1;
    }
    memset(m->cent, 0, kpad * (size_t)dim * sizeof *m->cent);
    for (int64_t i = 0; i < n; i++) {
        cls[i] = -1;
    }
    return 0;
}

/* Rounds of assignment and update; fills 'st' and leaves the centroids of the final
 * assignment in m->cent. */
static int km_rounds(struct km *m, int iter, struct kmeans_stats *st, struct w2v_err *err)
{
    int64_t *count = xmalloc((size_t)m->k * sizeof *count);
    int rc = 0;
    while (st->rounds < iter) {
        if (km_parallel(m, KM_ASSIGN, err) != 0) {
            rc = -1;
            break;
        }
        if (sig_caught() != 0) {
            err_set(err, "k-means: interrupted");
            rc = -1;
            break;
        }
        st->rounds++;
        st->changed = 0;
        for (int64_t b = 0; b < m->nblocks; b++) {
            st->changed += m->blk_changed[b];
        }
        if (st->changed == 0) {
            st->converged = true;
            break;
        }
        st->empty = update_centroids(m, count, err);
        if (st->empty < 0) {
            rc = -1;
            break;
        }
    }
    free(count);
    return rc;
}

int kmeans_run(const float *rows, int64_t n, int dim, const struct kmeans_opts *o, int32_t *cls,
               struct kmeans_stats *st, struct w2v_err *err)
{
    *st = (struct kmeans_stats){0};
    if (o->k < 1 || (int64_t)o->k > n) {
        err_set(err, "cannot make %d %s of %lld %s", o->k, plural(o->k, "class", "classes"),
                (long long)n, plural(n, "word", "words"));
        return -1;
    }
    if (o->iter < 1 || o->threads < 1 || dim < 1) {
        err_set(err, "k-means: bad settings (iter %d, threads %d, dim %d)", o->iter,
                o->threads, dim);
        return -1;
    }
    struct km m;
    if (km_init(&m, rows, n, dim, o, cls, err) != 0) {
        return -1;
    }
    int rc = seed_centroids(&m, o->seed, err);
    if (rc == 0) {
        rc = km_rounds(&m, o->iter, st, err);
    }
    if (rc == 0) {
        rc = km_parallel(&m, KM_SCORE, err);
    }
    if (rc == 0) {
        double cos = 0.0;
        for (int64_t b = 0; b < m.nblocks; b++) {
            cos += m.blk_cos[b];
        }
        st->mean_cos = cos / (double)n;
    }
    km_free(&m);
    return rc;
}

float *kmeans_unit_copy(const float *in, int64_t n, int dim, struct w2v_err *err)
{
    size_t bytes;
    if (!mul_size((size_t)n, (size_t)dim * sizeof(float), &bytes)) {
        err_set(err, "unit rows: %lld x %d floats: too large", (long long)n, dim);
        return NULL;
    }
    float *out = alloc_big(bytes, "unit rows", err);
    if (out == NULL) {
        return NULL;
    }
    for (int64_t r = 0; r < n; r++) {
        const float *x = in + (size_t)r * (size_t)dim;
        float *y = out + (size_t)r * (size_t)dim;
        double ss = 0.0;
        for (int d = 0; d < dim; d++) {
            ss += (double)x[d] * (double)x[d];
        }
        float inv = ss > 0.0 ? (float)(1.0 / sqrt(ss)) : 0.0f;
        for (int d = 0; d < dim; d++) {
            y[d] = x[d] * inv;
        }
    }
    return out;
}

int kmeans_write(struct outfile *of, const int32_t *cls, int64_t n, int k,
                 const char *(*word)(const void *ctx, int64_t row), const void *ctx,
                 struct w2v_err *err)
{
    /* a counting sort by class keeps file order within each class */
    int64_t *start = xcalloc((size_t)k + 1, sizeof *start);
    int64_t *order = alloc_big((size_t)(n > 0 ? n : 1) * sizeof *order, "class order", err);
    if (order == NULL) {
        free(start);
        return -1;
    }
    for (int64_t r = 0; r < n; r++) {
        start[cls[r] + 1]++;
    }
    for (int c = 0; c < k; c++) {
        start[c + 1] += start[c];
    }
    for (int64_t r = 0; r < n; r++) {
        order[start[cls[r]]++] = r;
    }
    int rc = 0;
    for (int64_t i = 0; i < n && rc == 0; i++) {
        rc = outfile_printf(of, err, "%s %d\n", word(ctx, order[i]), cls[order[i]]);
    }
    free(order);
    free(start);
    return rc;
}
