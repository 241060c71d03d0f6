/* sampler: Vose's alias method (Vose 1991) and the subsampling formula. */
#include "sampler.h"

#include <math.h>
#include <stdlib.h>

#include "util.h"

/* 2^32, to turn a probability into a threshold on 32 random bits. */
#define SAMPLER_TWO32 4294967296.0

int unigram_build(const int64_t *counts, int64_t n, double power, struct unigram *u,
                  struct w2v_err *err)
{
    u->n = n;
    u->table = NULL;
    double *p = xmalloc((size_t)n * sizeof *p);
    double sum = 0.0;
    for (int64_t i = 0; i < n; i++) {
        p[i] = counts[i] > 0 ? pow((double)counts[i], power) : 0.0;
        sum += p[i];
    }
    if (!(sum > 0.0) || !isfinite(sum)) {
        free(p);
        err_set(err, "negative sampling: no word has a positive sampling weight");
        return -1;
    }
    /* Scale so that the average weight is 1, then pair each light entry with a heavy one. */
    int64_t *small = xmalloc((size_t)n * sizeof *small);
    int64_t *large = xmalloc((size_t)n * sizeof *large);
    int64_t ns = 0;
    int64_t nl = 0;
    for (int64_t i = 0; i < n; i++) {
        p[i] = p[i] * (double)n / sum;
        if (p[i] < 1.0) {
            small[ns++] = i;
        } else {
            large[nl++] = i;
        }
    }
    u->table = xmalloc((size_t)n * sizeof *u->table);
    while (ns > 0 && nl > 0) {
        int64_t s = small[--ns];
        int64_t l = large[nl - 1];
        u->table[s].threshold = (uint32_t)(p[s] * SAMPLER_TWO32);
        u->table[s].alias = (int32_t)l;
        p[l] = (p[l] + p[s]) - 1.0;
        if (p[l] < 1.0) {
            nl--;
            small[ns++] = l;
        }
    }
    /* What remains has weight 1 up to rounding: always keep it. */
    while (nl > 0) {
        int64_t l = large[--nl];
        u->table[l].threshold = UINT32_MAX;
        u->table[l].alias = (int32_t)l;
    }
    while (ns > 0) {
        int64_t s = small[--ns];
        u->table[s].threshold = UINT32_MAX;
        u->table[s].alias = (int32_t)s;
    }
    free(p);
    free(small);
    free(large);
    return 0;
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
