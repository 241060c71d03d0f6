/* knn: a bounded heap of the best hits, and batched exhaustive scans: the rows are cut into
 * one contiguous share per thread, each share is read in blocks of KNN_ROWS rows, and every
 * block is scored against all the query vectors of the batch while it is in cache. */
#include "query/knn.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/vec.h"

/* Rows scored together: a block of KNN_ROWS rows is transposed (dimension-major), so that
 * one vector load holds one coordinate of every row of the block and the dot products
 * of the block need no horizontal sums. 16 floats fill one AVX-512 register. */
#define KNN_ROWS 16
/* Query vectors scored together against a block, so that each load of the block serves
 * them all (8 sums of KNN_ROWS floats fit in registers beside it; dot_block is written
 * for exactly 8). */
#define KNN_GROUP 8
/* Fewest rows worth a thread of their own. */
#define KNN_MIN_ROWS_PER_THREAD 4096

/* ------------------------------------------------------------------------------------ */
/* The bounded heap: hits[0] is the worst hit held. */

/* True if 'a' ranks before 'b': a higher score, or the same score and a lower row; NaN
 * ranks last. */
static bool better(struct hit a, struct hit b)
{
    bool an = isnan(a.score);
    bool bn = isnan(b.score);
    if (an != bn) {
        return bn;
    }
    if (!an && a.score != b.score) {
        return a.score > b.score;
    }
    return a.row < b.row;
}

static void sift_down(struct hit *h, int n, int i)
{
    struct hit x = h[i];
    for (;;) {
        int c = 2 * i + 1;
        if (c >= n) {
            break;
        }
        if (c + 1 < n && better(h[c], h[c + 1])) {
            c++; /* the worse child */
        }
        if (!better(x, h[c])) {
            break;
        }
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

void topk_init(struct topk *t, int k, struct hit *storage)
{
    t->k = k;
    t->n = 0;
    t->hits = storage;
}

void topk_offer(struct topk *t, int64_t row, float score)
{
    struct hit x = {row, score};
    if (t->n < t->k) {
        int i = t->n++;
        while (i > 0 && better(t->hits[(i - 1) / 2], x)) {
            t->hits[i] = t->hits[(i - 1) / 2];
            i = (i - 1) / 2;
        }
        t->hits[i] = x;
    } else if (t->k > 0 && better(x, t->hits[0])) {
        t->hits[0] = x;
        sift_down(t->hits, t->n, 0);
    }
}

void topk_sort(struct topk *t)
{
    /* heap sort: the worst goes to the end each time, leaving the best first */
    for (int end = t->n - 1; end > 0; end--) {
        struct hit x = t->hits[0];
        t->hits[0] = t->hits[end];
        t->hits[end] = x;
        sift_down(t->hits, end, 0);
    }
}

/* ------------------------------------------------------------------------------------ */
/* Batched scans. */

/* Dot products of the KNN_ROWS rows of the transposed block 't' (t[d * KNN_ROWS + r] is
 * coordinate d of row r) with KNN_GROUP vectors, into out[g * KNN_ROWS + r]. Every product
 * is the same sequence of operations (coordinates summed in order), whatever the row's
 * place in the block and the vector's place in the group, so a query's scores do not
 * depend on the batch it came in. */
static void dot_block(const float *restrict t, const float *const *v, int dim,
                      float *restrict out)
{
    const float *restrict v0 = v[0], *restrict v1 = v[1], *restrict v2 = v[2];
    const float *restrict v3 = v[3], *restrict v4 = v[4], *restrict v5 = v[5];
    const float *restrict v6 = v[6], *restrict v7 = v[7];
    float a0[KNN_ROWS] = {0}, a1[KNN_ROWS] = {0}, a2[KNN_ROWS] = {0}, a3[KNN_ROWS] = {0};
    float a4[KNN_ROWS] = {0}, a5[KNN_ROWS] = {0}, a6[KNN_ROWS] = {0}, a7[KNN_ROWS] = {0};
    for (int d = 0; d < dim; d++) {
        const float *restrict td = t + (size_t)d * KNN_ROWS;
        float x0 = v0[d], x1 = v1[d], x2 = v2[d], x3 = v3[d];
        float x4 = v4[d], x5 = v5[d], x6 = v6[d], x7 = v7[d];
        for (int r = 0; r < KNN_ROWS; r++) {
            a0[r] += td[r] * x0;
            a1[r] += td[r] * x1;
            a2[r] += td[r] * x2;
            a3[r] += td[r] * x3;
            a4[r] += td[r] * x4;
            a5[r] += td[r] * x5;
            a6[r] += td[r] * x6;
            a7[r] += td[r] * x7;
        }
    }
    float *const acc[KNN_GROUP] = {a0, a1, a2, a3, a4, a5, a6, a7};
    for (int g = 0; g < KNN_GROUP; g++) {
        memcpy(out + (size_t)g * KNN_ROWS, acc[g], sizeof a0);
    }
}

struct batch {
    const struct embed *e;
    struct knn_query *q;
    int nq;
    const float **vec;   /* every query vector, padded to a multiple of KNN_GROUP */
    int *first;          /* query i's vectors start at vec[first[i]] */
    int nvec;
};

struct share {
    const struct batch *b;
    int64_t begin, end;  /* rows */
    struct topk *tk;     /* one per query */
};

static bool excluded(const struct knn_query *q, int64_t row)
{
    for (int i = 0; i < q->nexcl; i++) {
        if (q->excl[i] == row) {
            return true;
        }
    }
    return false;
}

/* Offers the 'nr' rows from 'r0' of one block to every query; 'sc' holds the block's
 * scores, KNN_ROWS per vector. */
static void offer_block(const struct batch *b, struct topk *tk, const float *sc, int64_t r0,
                        int nr)
{
    for (int i = 0; i < b->nq; i++) {
        const struct knn_query *q = &b->q[i];
        const float *s0 = sc + (size_t)b->first[i] * KNN_ROWS;
        struct topk *t = &tk[i];
        for (int r = 0; r < nr; r++) {
            float s = q->mul ? knn_cosmul_score(s0[r], s0[KNN_ROWS + r], s0[2 * KNN_ROWS + r])
                             : s0[r];
            if (t->n == t->k && s < t->hits[0].score) {
                continue; /* the common case, decided without the heap */
            }
            if (!excluded(q, r0 + r)) {
                topk_offer(t, r0 + r, s);
            }
        }
    }
}

/* Writes rows r0 .. r0 + nr of 'e' as unit rows into the transposed block 't', zeros past
 * the last; 'rows' has room for KNN_ROWS rows (the copies of a mapped file's rows), then
 * one row of zeros. */
static void transpose_block(const struct embed *e, int64_t r0, int nr, float *t, float *rows)
{
    int dim = e->dim;
    const float *u[KNN_ROWS];
    for (int r = 0; r < KNN_ROWS; r++) {
        float *room = rows + (size_t)r * (size_t)dim;
        u[r] = r < nr ? embed_unit(e, r0 + r, room) : rows + (size_t)KNN_ROWS * (size_t)dim;
    }
    for (int d = 0; d < dim; d++) {
        float *td = t + (size_t)d * KNN_ROWS;
        for (int r = 0; r < KNN_ROWS; r++) {
            td[r] = u[r][d];
        }
    }
}

static void *scan_share(void *arg)
{
    const struct share *sh = arg;
    const struct batch *b = sh->b;
    int dim = b->e->dim;
    float *t = xmalloc((size_t)KNN_ROWS * (size_t)dim * sizeof *t);
    float *rows = xcalloc((size_t)(KNN_ROWS + 1) * (size_t)dim, sizeof *rows);
    float *sc = xmalloc((size_t)b->nvec * KNN_ROWS * sizeof *sc);
    for (int64_t r0 = sh->begin; r0 < sh->end; r0 += KNN_ROWS) {
        int nr = (int)(sh->end - r0 < KNN_ROWS ? sh->end - r0 : KNN_ROWS);
        transpose_block(b->e, r0, nr, t, rows);
        for (int g = 0; g < b->nvec; g += KNN_GROUP) {
            dot_block(t, b->vec + g, dim, sc + (size_t)g * KNN_ROWS);
        }
        offer_block(b, sh->tk, sc, r0, nr);
    }
    free(t);
    free(rows);
    free(sc);
    return NULL;
}

/* Lists the vectors of the queries, padded with copies of the last one to whole groups:
 * every vector goes through dot_block, the one kernel, so that its scores are the same
 * bits in every batch (a kernel for fewer vectors may be compiled to other operations). */
static void list_vectors(struct batch *b)
{
    int n = 0;
    for (int i = 0; i < b->nq; i++) {
        n += b->q[i].mul ? 3 : 1;
    }
    int padded = (n + KNN_GROUP - 1) / KNN_GROUP * KNN_GROUP;
    b->vec = xmalloc((size_t)(padded ? padded : 1) * sizeof *b->vec);
    b->first = xmalloc((size_t)(b->nq ? b->nq : 1) * sizeof *b->first);
    n = 0;
    for (int i = 0; i < b->nq; i++) {
        b->first[i] = n;
        for (int v = 0; v < (b->q[i].mul ? 3 : 1); v++) {
            b->vec[n++] = b->q[i].v[v];
        }
    }
    for (; n < padded; n++) {
        b->vec[n] = b->vec[n - 1];
    }
    b->nvec = padded;
}

/* Runs the shares, share 0 on the calling thread (and any share whose thread fails to
 * start), then merges every share's hits into share 0's, which are the queries' outputs. */
static void run_shares(struct share *sh, int nsh, const struct batch *b)
{
    pthread_t *tid = xcalloc((size_t)nsh, sizeof *tid);
    bool *running = xcalloc((size_t)nsh, sizeof *running);
    for (int t = 1; t < nsh; t++) {
        running[t] = pthread_create(&tid[t], NULL, scan_share, &sh[t]) == 0;
    }
    for (int t = 0; t < nsh; t++) {
        if (!running[t]) {
            scan_share(&sh[t]);
        }
    }
    for (int t = 1; t < nsh; t++) {
        if (running[t]) {
            pthread_join(tid[t], NULL);
        }
    }
    for (int i = 0; i < b->nq; i++) {
        for (int t = 1; t < nsh; t++) {
            for (int h = 0; h < sh[t].tk[i].n; h++) {
                topk_offer(&sh[0].tk[i], sh[t].tk[i].hits[h].row, sh[t].tk[i].hits[h].score);
            }
        }
        topk_sort(&sh[0].tk[i]);
        b->q[i].n = sh[0].tk[i].n;
    }
    free(tid);
    free(running);
}

void knn_batch(const struct embed *e, int64_t limit, struct knn_query *q, int nq, int threads)
{
    struct batch b = {.e = e, .q = q, .nq = nq};
    int64_t n = first_n(limit, e->rows);
    int64_t useful = n / KNN_MIN_ROWS_PER_THREAD;
    int nsh = (int)(threads < useful ? threads : useful);
    nsh = nsh < 1 ? 1 : nsh;
    list_vectors(&b);
    size_t ksum = 0;
    for (int i = 0; i < nq; i++) {
        ksum += (size_t)q[i].k;
    }
    struct share *sh = xcalloc((size_t)nsh, sizeof *sh);
    struct topk *tk = xcalloc((size_t)nsh * (size_t)(nq ? nq : 1), sizeof *tk);
    struct hit *room = xmalloc((nsh > 1 ? (size_t)(nsh - 1) * ksum : 0) * sizeof *room + 1);
    struct hit *at = room;
    for (int t = 0; t < nsh; t++) {
        sh[t] = (struct share){&b, n * t / nsh, n * (t + 1) / nsh, tk + (size_t)t * nq};
        for (int i = 0; i < nq; i++) {
            /* share 0 keeps its hits in the outputs; the others in 'room' */
            topk_init(&sh[t].tk[i], q[i].k, t == 0 ? q[i].out : at);
            at += t == 0 ? 0 : q[i].k;
        }
    }
    run_shares(sh, nsh, &b);
    free(room);
    free(tk);
    free(sh);
    free(b.vec);
    free(b.first);
}

int knn_search(const struct embed *e, int64_t limit, const float *q, int k, const int64_t *excl,
               int nexcl, struct hit *out)
{
    struct knn_query kq = {.v = {q}, .excl = excl, .nexcl = nexcl, .k = k, .out = out};
    knn_batch(e, limit, &kq, 1, 1);
    return kq.n;
}

int knn_cosmul(const struct embed *e, int64_t limit, int64_t a, int64_t b, int64_t c, int k,
               struct hit *out)
{
    int dim = e->dim;
    float *buf = xmalloc((size_t)dim * 3 * sizeof *buf);
    const int64_t rows[3] = {a, b, c};
    struct knn_query kq = {.mul = true, .excl = rows, .nexcl = 3, .k = k, .out = out};
    for (int i = 0; i < 3; i++) {
        kq.v[i] = embed_unit(e, rows[i], buf + (size_t)i * (size_t)dim);
    }
    knn_batch(e, limit, &kq, 1, 1);
    free(buf);
    return kq.n;
}
