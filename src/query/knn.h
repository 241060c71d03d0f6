/* knn: nearest-neighbour searches over unit-length rows: the k best rows by a score,
 * skipping excluded rows, best first. Scores are cosines (rows and queries are unit
 * vectors, or sums of them for 3CosAdd) or Levy and Goldberg's 3CosMul. Queries are
 * answered in batches: each block of rows is read once for all the queries of a batch, on
 * several threads, and a batch of one query gives exactly the answer it gets in any batch. */
#ifndef W2V_KNN_H
#define W2V_KNN_H

#include <stdbool.h>
#include <stdint.h>

#include "query/embed.h"

struct hit {
    int64_t row;
    float score;
};

/* The best 'k' (row, score) pairs offered, kept in a bounded heap (the worst kept pair at
 * hits[0]): an offer costs O(1) when it is rejected and O(log k) when it is kept. "Best"
 * is the higher score, and between equal scores the lower row, whatever the order of the
 * offers; a NaN score is worse than any number. */
struct topk {
    int k;
    int n;
    struct hit *hits;
};

/* Starts an empty topk over 'storage' (room for 'k' hits, k >= 0). */
void topk_init(struct topk *t, int k, struct hit *storage);

/* Offers a pair; it is kept when fewer than k are held or it beats the worst held. */
void topk_offer(struct topk *t, int64_t row, float score);

/* Sorts the held hits best first (t->hits[0 .. t->n)); offer nothing afterwards. */
void topk_sort(struct topk *t);

/* One query of a batch. For cosine, v[0] is the query (its length does not change the
 * order); for 3CosMul ('mul'), v[0], v[1], v[2] are the unit vectors of "a - b + c" and
 * the score is knn_cosmul_score of the row's cosines with them. */
struct knn_query {
    const float *v[3];
    const int64_t *excl;        /* 'nexcl' rows never answered (the query's words) */
    struct hit *out;            /* room for k hits: the answers, best first */
    int nexcl;
    int k;                      /* answers wanted, >= 1 */
    int n;                      /* set by knn_batch: answers written to 'out' */
    bool mul;
};

/* Answers the 'nq' queries over the first 'limit' rows of 'e' (all when 'limit' is 0) on
 * up to 'threads' threads (at least 1), reading each row once for the whole batch. Works on
 * mapped and loaded files alike (rows are taken through embed_unit). Working memory is
 * about threads times the sum of the queries' k hits, allocated with xmalloc. */
void knn_batch(const struct embed *e, int64_t limit, struct knn_query *q, int nq, int threads);

/* One cosine query on the calling thread: the 'k' rows among the first 'limit' with the
 * largest dot product with 'q', skipping the 'nexcl' rows of 'excl'.
 * Writes up to 'k' hits to 'out' and returns how many. */
int knn_search(const struct embed *e, int64_t limit, const float *q, int k, const int64_t *excl,
               int nexcl, struct hit *out);

/* 3CosMul for "a - b + c": the rows maximising cos'(d,a) cos'(d,c) / (cos'(d,b) + 1e-6)
 * with cos' = (cos + 1) / 2, skipping the three query rows. Same output as knn_search. */
int knn_cosmul(const struct embed *e, int64_t limit, int64_t a, int64_t b, int64_t c, int k,
               struct hit *out);

/* 3CosMul's score from the three cosines. */
static inline float knn_cosmul_score(float ca, float cb, float cc)
{
    /* Shifted to [0, 1] so that the product is meaningful; epsilon as Levy and Goldberg. */
    return ((ca + 1.0f) * 0.5f) * ((cc + 1.0f) * 0.5f) / ((cb + 1.0f) * 0.5f + 1e-6f);
}

#endif
