/* huffman: two-queue construction over the leaves sorted by count (linear after the
 * sort), then each leaf's path read off the parent links. */
#include "train/huffman.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

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

/* What the tree's allocations are called in an out-of-memory message. */
#define HUFFMAN_WHAT "hierarchical softmax tree"

/* 'count' items of 'size' bytes for the tree, or NULL with 'err' naming the table and the
 * size that could not be allocated. */
static void *tree_alloc(int64_t count, size_t size, struct w2v_err *err)
{
    size_t bytes;
    if (count < 0 || !mul_size((size_t)count, size, &bytes)) {
        err_set(err, "%s: %lld entries of %zu bytes is too large", HUFFMAN_WHAT,
                (long long)count, size);
        return NULL;
    }
    return alloc_big(bytes, HUFFMAN_WHAT, err);
}

/* The tree under construction: node k < n is the k-th smallest leaf, node n + j the j-th
 * inner node made; the root is node 2n - 2. */
struct tree {
    struct leaf *leaves;
    int64_t *weight;
    int64_t *parent;
    uint8_t *bit;
};

static void tree_free(struct tree *t)
{
    free(t->leaves);
    free(t->weight);
    free(t->parent);
    free(t->bit);
}

/* Sorts the leaves and joins the two lightest nodes until one is left. */
static int tree_build(const int64_t *counts, int64_t n, struct tree *t, struct w2v_err *err)
{
    int64_t nodes = 2 * n - 1;
    t->leaves = tree_alloc(n, sizeof *t->leaves, err);
    t->weight = t->leaves ? tree_alloc(nodes, sizeof *t->weight, err) : NULL;
    t->parent = t->weight ? tree_alloc(nodes, sizeof *t->parent, err) : NULL;
    t->bit = t->parent ? tree_alloc(nodes, 1, err) : NULL;
    if (t->bit == NULL) {
        return -1;
    }
    memset(t->bit, 0, (size_t)nodes);
    for (int64_t i = 0; i < n; i++) {
        t->leaves[i].count = counts[i];
        t->leaves[i].id = i;
    }
    qsort(t->leaves, (size_t)n, sizeof *t->leaves, by_count_up);
    for (int64_t i = 0; i < n; i++) {
        t->weight[i] = t->leaves[i].count;
    }
    int64_t next_leaf = 0;
    int64_t next_inner = n;
    for (int64_t j = n; j < nodes; j++) {
        int64_t pick[2];
        for (int k = 0; k < 2; k++) {
            bool take_leaf = next_leaf < n &&
                             (next_inner >= j || t->weight[next_leaf] <= t->weight[next_inner]);
            pick[k] = take_leaf ? next_leaf++ : next_inner++;
        }
        t->weight[j] = t->weight[pick[0]] + t->weight[pick[1]];
        t->parent[pick[0]] = j;
        t->parent[pick[1]] = j;
        t->bit[pick[1]] = 1;
    }
    return 0;
}

/* Reads each leaf's path off the parent links into 'h'. */
static int tree_codes(const struct tree *t, int64_t n, struct huffman *h, struct w2v_err *err)
{
    int64_t root = 2 * n - 2;
    h->start = tree_alloc(n, sizeof *h->start, err);
    h->len = h->start ? tree_alloc(n, 1, err) : NULL;
    if (h->len == NULL) {
        return -1;
    }
    int64_t total = 0;
    for (int64_t k = 0; k < n; k++) {
        int64_t depth = 0;
        for (int64_t x = k; x != root; x = t->parent[x]) {
            depth++;
        }
        if (depth > HUFFMAN_MAX_CODE) {
            err_set(err, "hierarchical softmax: code of %lld bits exceeds the limit of %d",
                    (long long)depth, HUFFMAN_MAX_CODE);
            return -1;
        }
        h->len[t->leaves[k].id] = (uint8_t)depth;
        total += depth;
    }
    h->code = tree_alloc(total ? total : 1, 1, err);
    h->point = h->code ? tree_alloc(total ? total : 1, sizeof *h->point, err) : NULL;
    if (h->point == NULL) {
        return -1;
    }
    int64_t at = 0;
    for (int64_t w = 0; w < n; w++) {
        h->start[w] = at;
        at += h->len[w];
    }
    for (int64_t k = 0; k < n; k++) {
        int64_t w = t->leaves[k].id;
        /* Walk up from the leaf, filling the path from its end towards the root. */
        int64_t pos = h->start[w] + h->len[w];
        for (int64_t x = k; x != root; x = t->parent[x]) {
            pos--;
            h->code[pos] = t->bit[x];
            h->point[pos] = (int32_t)(t->parent[x] - n);
        }
    }
    return 0;
}

int huffman_build(const int64_t *counts, int64_t n, struct huffman *h, struct w2v_err *err)
{
    memset(h, 0, sizeof *h);
    struct tree t;
    memset(&t, 0, sizeof t);
    int rc = tree_build(counts, n, &t, err);
    if (rc == 0) {
        rc = tree_codes(&t, n, h, err);
    }
    tree_free(&t);
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
