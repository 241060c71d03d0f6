/* huffman: two-queue construction over the leaves sorted by count (linear after the
 * sort), then each leaf's path read off the parent links. */
#include "huffman.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct leaf {
    int64_t count;
    int64_t id;
};

static int by_count_up(const void *a, const void *b)
{
    const struct leaf *x = a;
    const struct leaf *y = b;
    if (x->count != y->count) {
        return x->count < y->count ? -1 : 1;
    }
    return x->id > y->id ? -1 : (x->id < y->id);
}

int huffman_build(const int64_t *counts, int64_t n, struct huffman *h, struct w2v_err *err)
{
    memset(h, 0, sizeof *h);
    int64_t nodes = 2 * n - 1;
    struct leaf *leaves = xmalloc((size_t)n * sizeof *leaves);
    for (int64_t i = 0; i < n; i++) {
        leaves[i].count = counts[i];
        leaves[i].id = i;
    }
    qsort(leaves, (size_t)n, sizeof *leaves, by_count_up);
    /* Node k < n is the k-th smallest leaf; node n + j is the j-th inner node made. */
    int64_t *weight = xmalloc((size_t)nodes * sizeof *weight);
    int64_t *parent = xmalloc((size_t)nodes * sizeof *parent);
    uint8_t *bit = xcalloc((size_t)nodes, 1);
    for (int64_t i = 0; i < n; i++) {
        weight[i] = leaves[i].count;
    }
    int64_t next_leaf = 0;
    int64_t next_inner = n;
    for (int64_t j = n; j < nodes; j++) {
        int64_t pick[2];
        for (int k = 0; k < 2; k++) {
            bool take_leaf = next_leaf < n &&
                             (next_inner >= j || weight[next_leaf] <= weight[next_inner]);
            pick[k] = take_leaf ? next_leaf++ : next_inner++;
        }
        weight[j] = weight[pick[0]] + weight[pick[1]];
        parent[pick[0]] = j;
        parent[pick[1]] = j;
        bit[pick[1]] = 1;
    }

    h->n = n;
    h->start = xmalloc((size_t)n * sizeof *h->start);
    h->len = xmalloc((size_t)n);
    int64_t total = 0;
    int rc = 0;
    for (int64_t k = 0; k < n && rc == 0; k++) {
        int64_t depth = 0;
        for (int64_t x = k; x != nodes - 1; x = parent[x]) {
            depth++;
        }
        if (depth > HUFFMAN_MAX_CODE) {
            err_set(err, "hierarchical softmax: code of %lld bits exceeds the limit of %d",
                    (long long)depth, HUFFMAN_MAX_CODE);
            rc = -1;
        }
        h->len[leaves[k].id] = (uint8_t)depth;
        total += depth;
    }
    if (rc == 0) {
        h->code = xmalloc((size_t)(total ? total : 1));
        h->point = xmalloc((size_t)(total ? total : 1) * sizeof *h->point);
        int64_t at = 0;
        for (int64_t w = 0; w < n; w++) {
            h->start[w] = at;
            at += h->len[w];
        }
        for (int64_t k = 0; k < n; k++) {
            int64_t w = leaves[k].id;
            /* Walk up from the leaf, filling the path from its end towards the root. */
            int64_t pos = h->start[w] + h->len[w];
            for (int64_t x = k; x != nodes - 1; x = parent[x]) {
                pos--;
                h->code[pos] = bit[x];
                h->point[pos] = (int32_t)(parent[x] - n);
            }
        }
    }
    free(leaves);
    free(weight);
    free(parent);
    free(bit);
    if (rc != 0) {
        huffman_free(h);
    }
    return rc;
}

void huffman_free(struct huffman *h)
{
    free(h->start);
    free(h->len);
    free(h->code);
    free(h->point);
    memset(h, 0, sizeof *h);
}
