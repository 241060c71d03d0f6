/* sampler: Vose's alias method (Vose 1991) and the subsampling formula. */
#include "train/sampler.h"

#include <math.h>
#include <stdlib.h>

#include "base/util.h"

/* 2^32, to turn a probability into a threshold on 32 random bits. */
#define SAMPLER_TWO32 4294967296.0

/* What the table's allocations are called in an out-of-memory message. */
#define SAMPLER_WHAT "negative-sampling table"

static void *table_alloc(int64_t n, size_t size, struct w2v_err *err)
{
    size_t bytes;
    if (n < 0 || !mul_size((size_t)n, size, &bytes)) {
        err_set(err, "%s: %lld entries is too large", SAMPLER_WHAT, (long long)n);
        return NULL;
    }
    return alloc_big(bytes, SAMPLER_WHAT, err);
}

/* Pairs each light entry of 'p' (scaled so that the average is 1) with a heavy one. */
static void pair_entries(double *p, int64_t n, int64_t *small, int64_t *large,
                         struct alias_entry *table)
{
    int64_t ns = 0;
    int64_t nl = 0;
    for (int64_t i = 0; i < n; i++) {
        if (p[i] < 1.0) {
            small[ns++] = i;
        } else {
            large[nl++] = i;
        }
    }
    while (ns > 0 && nl > 0) {
        int64_t s = small[--ns];
        int64_t l = large[nl - 1];
        table[s].threshold = (uint32_t)(p[s] * SAMPLER_TWO32);
        table[s].alias = (int32_t)l;
        p[l] = (p[l] + p[s]) - 1.0;
        if (p[l] < 1.0) {
            nl--;
            small[ns++] = l;
        }
    }
    /* What remains has weight 1 up to rounding: always keep it. */
    while (nl > 0) {
        int64_t l = large[--nl];
        table[l].threshold = UINT32_MAX;
        table[l].alias = (int32_t)l;
    }
    while (ns > 0) {
        int64_t s = small[--ns];
        table[s].threshold = UINT32_MAX;
        table[s].alias = (int32_t)s;
    }
}

int unigram_build(const int64_t *counts, int64_t n, int64_t from, double power,
                  struct unigram *u, struct w2v_err *err)
{
    u->n = n;
    u->table = NULL;
    double *p = table_alloc(n, sizeof *p, err);
    if (p == NULL) {
        return -1;
    }
    double sum = 0.0;
    for (int64_t i = 0; i < n; i++) {
        p[i] = i >= from && counts[i] > 0 ? pow((double)counts[i], power) : 0.0;
        sum += p[i];
    }
    if (!(sum > 0.0) || !isfinite(sum)) {
        free(p);
        err_set(err, "negative sampling: no word has a positive sampling weight");
        return -1;
    }
    for (int64_t i = 0; i < n; i++) {
        p[i] = p[i] * (double)n / sum;
    }
    int64_t *small = table_alloc(n, sizeof *small, err);
    int64_t *large = small ? table_alloc(n, sizeof *large, err) : NULL;
    u->table = large ? table_alloc(n, sizeof *u->table, err) : NULL;
    if (u->table != NULL) {
        pair_entries(p, n, small, large, u->table);
    }
    free(p);
    free(small);
    free(large);
    return u->table != NULL ? 0 : -1;
}

void unigram_free(struct unigram *u)
{
    free(u->table);
    u->table = NULL;
    u->n = 0;
}

double subsample_keep(int64_t count, int64_t total, double t)
{
    if (t <= 0.0 || count <= 0) {
        return 1.0;
    }
    double tn = t * (double)total;
    double f = (double)count;
    double keep = (sqrt(f / tn) + 1.0) * tn / f;
    return keep < 1.0 ? keep : 1.0;
}
