/* knn: nearest-neighbour searches over unit-length rows: the k best rows by a score,
 * skipping excluded rows, best first. Scores are cosines (rows and queries are unit
 * vectors, or sums of them for 3CosAdd) or Levy and Goldberg's 3CosMul. */
#ifndef W2V_KNN_H
#define W2V_KNN_H

#include <stdint.h>

#include "embed.h"

struct hit {
    int64_t row;
    float score;
};

/* Keeps the best 'k' (row, score) pairs seen, best first; ties keep the lower row first. */
struct topk {
    int k;
    int n;
    struct hit *hits;
};

void topk_init(struct topk *t, int k, struct hit *storage);
void topk_offer(struct topk *t, int64_t row, float score);

/* The 'k' rows among the first 'limit' with the largest dot product with 'q' (not
 * normalised by its length: the order is the cosine order), skipping the 'nexcl' rows of
 * 'excl'. Writes up to 'k' hits to 'out' and returns how many. */
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
