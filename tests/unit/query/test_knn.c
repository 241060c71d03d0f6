/* Unit tests of knn: the bounded heap against a full sort (ties, NaN, any offer order, k
 * up to every row), neighbours and analogies with hand-computed rankings on loaded and
 * mapped files, and batches that give each query exactly its answer alone. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/embed.h"
#include "harness.h"
#include "query/knn.h"
#include "base/rng.h"
#include "toyvec.h"

static int by_rank(const void *a, const void *b)
{
    const struct hit *x = a;
    const struct hit *y = b;
    bool xn = isnan(x->score), yn = isnan(y->score);
    if (xn != yn) {
        return xn ? 1 : -1;
    }
    if (!xn && x->score != y->score) {
        return x->score > y->score ? -1 : 1;
    }
    return x->row < y->row ? -1 : (x->row > y->row);
}

/* Offers n pairs (scores from a few values, so with many ties, and some NaN) in a shuffled
 * order and checks the kept k against the first k of a full sort. */
static void heap_case(int n, int k, uint64_t seed)
{
    struct rng r;
    rng_seed(&r, seed, 0);
    struct hit *all = malloc((size_t)n * sizeof *all);
    struct hit *kept = malloc((size_t)(k ? k : 1) * sizeof *kept);
    for (int i = 0; i < n; i++) {
        uint64_t x = rng_next(&r) % 9;
        all[i] = (struct hit){i, x == 8 ? NAN : (float)x * 0.25f - 1.0f};
    }
    for (int i = n - 1; i > 0; i--) { /* the offers come in any order */
        int j = (int)(rng_next(&r) % (uint64_t)(i + 1));
        struct hit t = all[i];
        all[i] = all[j];
        all[j] = t;
    }
    struct topk t;
    topk_init(&t, k, kept);
    for (int i = 0; i < n; i++) {
        topk_offer(&t, all[i].row, all[i].score);
    }
    topk_sort(&t);
    qsort(all, (size_t)n, sizeof *all, by_rank);
    CHECK_EQ(t.n, k < n ? k : n);
    int bad = 0;
    for (int i = 0; i < t.n; i++) {
        bad += kept[i].row != all[i].row;
    }
    CHECK_EQ(bad, 0);
    free(all);
    free(kept);
}

static void test_heap(void)
{
    static const int ks[] = {0, 1, 2, 3, 10, 99, 100, 101, 1000};
    for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
        heap_case(100, ks[i], 1 + i);
        heap_case(1000, ks[i], 100 + i);
    }
    /* ties: equal scores keep the lower rows, whatever the order they came in */
    struct hit h[3];
    struct topk t;
    topk_init(&t, 3, h);
    static const int64_t rows[] = {9, 4, 7, 1, 8};
    for (int i = 0; i < 5; i++) {
        topk_offer(&t, rows[i], 0.5f);
    }
    topk_sort(&t);
    CHECK(t.n == 3 && h[0].row == 1 && h[1].row == 4 && h[2].row == 7);
}

static void neighbours(bool mapped)
{
    struct embed e;
    CHECK_EQ(toy_load(&e, mapped, true), 0);
    CHECK((e.map != NULL) == mapped);
    struct hit h[10];
    int64_t king = 0;
    /* cosines with king: prince 3/sqrt(2*5.04), Paris 1/sqrt(2), man 0.5,
     * apple 0.1/sqrt(2*1.01), queen 0, woman -0.5 */
    float kq[3];
    memmove(kq, embed_unit(&e, king, kq), sizeof kq);
    int n = knn_search(&e, 0, kq, 10, &king, 1, h);
    CHECK_EQ(n, 6);
    static const char *const want[] = {"prince", "Paris", "man", "apple", "queen", "woman"};
    for (int i = 0; i < n && i < 6; i++) {
        CHECK(strcmp(embed_word(&e, h[i].row), want[i]) == 0);
    }
    CHECK_NEAR(h[0].score, 3 / sqrt(2 * 5.04), 1e-6);
    CHECK_NEAR(h[2].score, 0.5, 1e-6);
    CHECK_NEAR(h[5].score, -0.5, 1e-6);
    /* k smaller than the candidates, and a limit on the rows searched */
    CHECK_EQ(knn_search(&e, 0, kq, 2, &king, 1, h), 2);
    CHECK_EQ(knn_search(&e, 4, kq, 10, &king, 1, h), 3);
    CHECK(strcmp(embed_word(&e, h[0].row), "man") == 0);
    embed_free(&e);
}

static void test_neighbours(void)
{
    neighbours(false);
    neighbours(true);
}

static void analogies(bool mapped)
{
    struct embed e;
    CHECK_EQ(toy_load(&e, mapped, false), 0);
    struct hit h[10];
    float s0[3];
    float s2[3];
    float s3[3];
    const float *u0 = embed_unit(&e, 0, s0);
    const float *u2 = embed_unit(&e, 2, s2);
    const float *u3 = embed_unit(&e, 3, s3);
    /* 3CosAdd: king - man + woman = (1,-1,0)/sqrt(2): queen 1, Paris 1/sqrt(2),
     * prince 1/sqrt(2*5.04), apple 0.1/sqrt(2*1.01) */
    float q[3];
    for (int d = 0; d < 3; d++) {
        q[d] = u0[d] - u2[d] + u3[d];
    }
    float len = sqrtf(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
    for (int d = 0; d < 3; d++) {
        q[d] /= len;
    }
    int64_t excl[3] = {0, 2, 3};
    int n = knn_search(&e, 0, q, 10, excl, 3, h);
    CHECK_EQ(n, 4);
    static const char *const add[] = {"queen", "Paris", "prince", "apple"};
    for (int i = 0; i < n && i < 4; i++) {
        CHECK(strcmp(embed_word(&e, h[i].row), add[i]) == 0);
    }
    CHECK_NEAR(h[0].score, 1.0, 1e-6);
    CHECK_NEAR(h[2].score, 1 / sqrt(2 * 5.04), 1e-6);
    /* 3CosMul with c' = (cos + 1) / 2: queen .5 * .75 / .25 = 1.5, Paris .8536 * .5 / .5,
     * apple .5352 (its cosines with man and woman are equal and cancel), prince .5279 */
    n = knn_cosmul(&e, 0, 0, 2, 3, 10, h);
    CHECK_EQ(n, 4);
    static const char *const mul[] = {"queen", "Paris", "apple", "prince"};
    for (int i = 0; i < n && i < 4; i++) {
        CHECK(strcmp(embed_word(&e, h[i].row), mul[i]) == 0);
    }
    CHECK_NEAR(h[0].score, 1.5, 1e-4);
    CHECK_NEAR(h[1].score, (1 + 1 / sqrt(2.0)) / 2, 1e-4);
    CHECK_NEAR(h[2].score, (1 + 0.1 / sqrt(2 * 1.01)) / 2, 1e-4);
    embed_free(&e);
}

static void test_analogies(void)
{
    analogies(false);
    analogies(true);
}

/* ROWS random rows of DIM values (an odd DIM: blocks end mid-way), as a text file. */
enum { ROWS = 9001, DIM = 21, NQ = 41, K = 7 };

static const char *random_vectors(void)
{
    const char *p = path_of("rand.vec");
    FILE *f = fopen(p, "w");
    struct rng r;
    rng_seed(&r, 5, 0);
    fprintf(f, "%d %d\n", ROWS, DIM);
    for (int i = 0; i < ROWS; i++) {
        fprintf(f, "w%d", i);
        for (int d = 0; d < DIM; d++) {
            /* few distinct values, so that equal scores (ties) happen */
            fprintf(f, " %d", (int)(rng_next(&r) % 5) - 2);
        }
        fprintf(f, "\n");
    }
    fclose(f);
    return p;
}

/* A batch on several threads answers every query exactly as the query alone on one
 * thread: the same rows, the same scores to the bit. */
static void test_batch_matches_single(void)
{
    struct embed e;
    struct w2v_err err;
    CHECK_EQ(embed_load(&e, random_vectors(), VEC_AUTO, 0, EMBED_COPY, &err), 0);
    static struct hit batch_out[NQ][K];
    static struct hit single[K];
    static int64_t excl[NQ][3];
    struct knn_query q[NQ];
    for (int i = 0; i < NQ; i++) {
        int64_t a = (i * 97) % ROWS, b = (i * 131 + 7) % ROWS, c = (i * 61 + 3) % ROWS;
        excl[i][0] = a, excl[i][1] = b, excl[i][2] = c;
        q[i] = (struct knn_query){.v = {embed_row(&e, a), embed_row(&e, b), embed_row(&e, c)},
                                  .mul = i % 3 == 0, .excl = excl[i], .nexcl = 3, .k = K,
                                  .out = batch_out[i]};
    }
    knn_batch(&e, 0, q, NQ, 3);
    int bad = 0;
    for (int i = 0; i < NQ; i++) {
        struct knn_query one = q[i];
        one.out = single;
        knn_batch(&e, 0, &one, 1, 1);
        bad += one.n != K || q[i].n != K;
        for (int h = 0; h < K; h++) {
            bad += single[h].row != batch_out[i][h].row;
            bad += memcmp(&single[h].score, &batch_out[i][h].score, sizeof(float)) != 0;
        }
    }
    CHECK_EQ(bad, 0);
    embed_free(&e);
}

/* k as large as the file: every row but the excluded one, best first. */
static void test_k_all_rows(void)
{
    struct embed e;
    struct w2v_err err;
    CHECK_EQ(embed_load(&e, random_vectors(), VEC_AUTO, 0, EMBED_COPY, &err), 0);
    struct hit *h = malloc(ROWS * sizeof *h);
    int64_t self = 17;
    int n = knn_search(&e, 0, embed_row(&e, self), ROWS, &self, 1, h);
    CHECK_EQ(n, ROWS - 1);
    int bad = 0;
    for (int i = 0; i < n; i++) {
        bad += h[i].row == self;
        bad += i > 0 && by_rank(&h[i - 1], &h[i]) >= 0; /* strictly in rank order */
    }
    CHECK_EQ(bad, 0);
    free(h);
    embed_free(&e);
}

int main(void)
{
    harness_scratch(toy_dir);
    RUN(test_heap);
    RUN(test_neighbours);
    RUN(test_analogies);
    RUN(test_batch_matches_single);
    RUN(test_k_all_rows);
    harness_scratch_remove(toy_dir);
    TEST_MAIN("knn");
}
