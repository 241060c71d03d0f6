/* knn: exhaustive scans with a small sorted list of the best hits (k is small; a sorted
 * insertion touches at most k entries and only when a row beats the current k-th). */
#include "knn.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#include "vec.h"

void topk_init(struct topk *t, int k, struct hit *storage)
{
    t->k = k;
    t->n = 0;
    t->hits = storage;
}

void topk_offer(struct topk *t, int64_t row, float score)
{
    if (t->k <= 0 || (t->n == t->k && !(score > t->hits[t->n - 1].score))) {
        return;
    }
    int i = t->n < t->k ? t->n++ : t->k - 1;
    while (i > 0 && score > t->hits[i - 1].score) {
        t->hits[i] = t->hits[i - 1];
        i--;
    }
    t->hits[i].row = row;
    t->hits[i].score = score;
}

static bool excluded(int64_t row, const int64_t *excl, int nexcl)
{
    for (int i = 0; i < nexcl; i++) {
        if (excl[i] == row) {
            return true;
        }
    }
    return false;
}

int knn_search(const struct embed *e, int64_t limit, const float *q, int k, const int64_t *excl,
               int nexcl, struct hit *out)
{
    struct topk t;
    topk_init(&t, k, out);
    int64_t n = first_n(limit, e->rows);
    for (int64_t r = 0; r < n; r++) {
        float s = embed_dot(e, r, q);
        if (t.n < t.k || s > t.hits[t.n - 1].score) {
            if (!excluded(r, excl, nexcl)) {
                topk_offer(&t, r, s);
            }
        }
    }
    return t.n;
}

int knn_cosmul(const struct embed *e, int64_t limit, int64_t a, int64_t b, int64_t c, int k,
               struct hit *out)
{
    struct topk t;
    topk_init(&t, k, out);
    int64_t n = first_n(limit, e->rows);
    int dim = e->dim;
    float *buf = xmalloc((size_t)dim * 3 * sizeof *buf);
    float *qa = buf;
    float *qb = buf + (size_t)dim;
    float *qc = buf + 2 * (size_t)dim;
    /* A mapped row is unit-scaled straight into its slot (memmove onto itself does
     * nothing); a row in memory is copied there. */
    memmove(qa, embed_unit(e, a, qa), (size_t)dim * sizeof *qa);
    memmove(qb, embed_unit(e, b, qb), (size_t)dim * sizeof *qb);
    memmove(qc, embed_unit(e, c, qc), (size_t)dim * sizeof *qc);
    for (int64_t r = 0; r < n; r++) {
        if (r == a || r == b || r == c) {
            continue;
        }
        float s = knn_cosmul_score(embed_dot(e, r, qa), embed_dot(e, r, qb), embed_dot(e, r, qc));
        topk_offer(&t, r, s);
    }
    free(buf);
    return t.n;
}
