/* kernels_rows: the arithmetic on rows that kernels_body.h's training steps are made of,
 * in the registers of the kernels_*.c file that includes kernels_body.h (which says what
 * that file defines): dot products, updates, sums of rows, the blocks of output rows of the
 * shared step, and the requests to the cache. Included by kernels_body.h alone. */
#include <stdbool.h>
#include <stddef.h>

#include "train/update.h"

/* Floats in one 64-byte cache line. */
#define KERN_FLOATS_PER_LINE 16
/* Output rows a shared step holds in registers at once. */
#define KB_BLOCK UPDATE_BLOCK

#define KB_INLINE KERN_ATTR static inline __attribute__((always_inline))

/* Sum of a[i] * b[i]: two accumulators hide the latency of the multiply-add. */
KB_INLINE float k_dot(const float *a, const float *b, int n)
{
    kvec s0 = kv_zero();
    kvec s1 = kv_zero();
    int i = 0;
    for (; i + 2 * K_W <= n; i += 2 * K_W) {
        s0 = kv_fma(kv_loadu(a + i), kv_loadu(b + i), s0);
        s1 = kv_fma(kv_loadu(a + i + K_W), kv_loadu(b + i + K_W), s1);
    }
    for (; i < n; i += K_W) {
        s0 = kv_fma(kv_load(a + i, n - i), kv_load(b + i, n - i), s0);
    }
    return kv_sum(kv_add(s0, s1));
}

/* y += a * x */
KB_INLINE void k_axpy(float *y, float a, const float *x, int n)
{
    kvec va = kv_set1(a);
    int i = 0;
    for (; i + K_W <= n; i += K_W) {
        kv_storeu(y + i, kv_fma(va, kv_loadu(x + i), kv_loadu(y + i)));
    }
    if (i < n) {
        kv_store(y + i, n - i, kv_fma(va, kv_load(x + i, n - i), kv_load(y + i, n - i)));
    }
}

/* acc += g * out, then out += g * in, reading 'out' once. */
KB_INLINE void k_step(float *acc, float *out, const float *in, float g, int n)
{
    kvec vg = kv_set1(g);
    for (int i = 0; i < n; i += K_W) {
        int left = n - i;
        kvec o = kv_load(out + i, left);
        kv_store(acc + i, left, kv_fma(vg, o, kv_load(acc + i, left)));
        kv_store(out + i, left, kv_fma(vg, kv_load(in + i, left), o));
    }
}

/* The sum of the 'n' rows p[0..n) over the 'left' (at most K_W) floats from 'i', in two
 * accumulators. */
KB_INLINE kvec kb_sum_step(float *const *p, int n, int i, int left)
{
    kvec a0 = kv_zero();
    kvec a1 = kv_zero();
    int k = 0;
    for (; k + 1 < n; k += 2) {
        a0 = kv_add(a0, kv_load(p[k] + i, left));
        a1 = kv_add(a1, kv_load(p[k + 1] + i, left));
    }
    if (k < n) {
        a0 = kv_add(a0, kv_load(p[k] + i, left));
    }
    return kv_add(a0, a1);
}

/* h = scale * (the sum of the 'n' rows p[0..n)), or h += that with 'add'. The rows are
 * read a register's width at a time across all of them, so that the loads of one stretch
 * of every row are in flight together. Added into h row after row, the sum ran only as far
 * ahead as the core's reorder window reached, each row's adds waiting for the last row's
 * stores to h: subwords' rows (a word's n-gram buckets) are seldom in the cache. */
KB_INLINE void kb_sum_rows(float *h, float *const *p, int n, int dim, float scale,
                           bool add)
{
    kvec vs = kv_set1(scale);
    int i = 0;
    for (; i + K_W <= dim; i += K_W) {
        kvec s = kb_sum_step(p, n, i, K_W);
        kv_storeu(h + i, kv_fma(s, vs, add ? kv_loadu(h + i) : kv_zero()));
    }
    if (i < dim) {
        int left = dim - i;
        kvec s = kb_sum_step(p, n, i, left);
        kv_store(h + i, left, kv_fma(s, vs, add ? kv_load(h + i, left) : kv_zero()));
    }
}

/* p[k] += g over the 'left' (at most K_W) floats from 'i', for each of the 'n' rows; a row
 * listed twice gets g twice, as each store is reloaded. */
KB_INLINE void kb_add_step(float *const *p, int n, kvec g, int i, int left)
{
    for (int k = 0; k < n; k++) {
        kv_store(p[k] + i, left, kv_add(kv_load(p[k] + i, left), g));
    }
}

/* p[k] += g for each of the 'n' rows p[0..n), across the rows a register's width at a
 * time, as kb_sum_rows reads them. */
KB_INLINE void kb_add_rows(float *const *p, int n, const float *g, int dim)
{
    int i = 0;
    for (; i + K_W <= dim; i += K_W) {
        kb_add_step(p, n, kv_loadu(g + i), i, K_W);
    }
    if (i < dim) {
        kb_add_step(p, n, kv_load(g + i, dim - i), i, dim - i);
    }
}

/* acc[t] += c . rows[t] over the 'left' (at most K_W) floats from 'i'. */
KB_INLINE void kb_dots_step(const float *c, float *const *rows, int n, int i, int left,
                            kvec *acc)
{
    kvec x = kv_load(c + i, left);
    for (int t = 0; t < n; t++) {
        acc[t] = kv_fma(x, kv_load(rows[t] + i, left), acc[t]);
    }
}

/* res[t] = c . rows[t] for the 'n' <= KB_BLOCK rows; 'n' is a constant where this is
 * inlined, so the accumulators stay in registers and 'c' is loaded once per step. The
 * whole registers and the tail are separate steps: with the tail's test inside the loop,
 * the compiler stored the accumulators to the stack at every step. */
KB_INLINE void kb_dots(const float *c, float *const *rows, int n, int dim, float *res)
{
    kvec acc[KB_BLOCK];
    for (int t = 0; t < n; t++) {
        acc[t] = kv_zero();
    }
    int i = 0;
    for (; i + K_W <= dim; i += K_W) {
        kb_dots_step(c, rows, n, i, K_W, acc);
    }
    if (i < dim) {
        kb_dots_step(c, rows, n, i, dim - i, acc);
    }
    for (int t = 0; t < n; t++) {
        res[t] = kv_sum(acc[t]);
    }
}

/* One step of kb_grads over the 'left' (at most K_W) floats from 'i'. */
KB_INLINE void kb_grads_step(float *const *out, int n, float *const *ctx, int nb,
                             const float *grad, int stride, float *gin, bool first, int dim,
                             int i, int left)
{
    kvec o[KB_BLOCK];
    kvec go[KB_BLOCK];
    for (int t = 0; t < n; t++) {
        o[t] = kv_load(out[t] + i, left);
        go[t] = kv_zero();
    }
    for (int b = 0; b < nb; b++) {
        float *gb = gin + (size_t)b * (size_t)dim + i;
        kvec x = kv_load(ctx[b] + i, left);
        kvec gi = first ? kv_zero() : kv_load(gb, left);
        for (int t = 0; t < n; t++) {
            kvec g = kv_set1(grad[b * stride + t]);
            gi = kv_fma(g, o[t], gi);
            go[t] = kv_fma(g, x, go[t]);
        }
        kv_store(gb, left, gi);
    }
    for (int t = 0; t < n; t++) {
        kv_store(out[t] + i, left, kv_add(kv_load(out[t] + i, left), go[t]));
    }
}

/* For output rows out[0..n) (n <= KB_BLOCK, a constant where inlined) and the nb context
 * rows ctx[b] with gradients grad[b * stride + t]: gin[b] += sum_t grad * out[t] (from
 * the rows as they are on entry), then out[t] += sum_b grad * ctx[b]. Each output row is
 * loaded once per step; a row listed twice gets both sums, as its store reloads it. The
 * tail is a separate step, as in kb_dots. */
KB_INLINE void kb_grads(float *const *out, int n, float *const *ctx, int nb, const float *grad,
                        int stride, float *gin, bool first, int dim)
{
    int i = 0;
    for (; i + K_W <= dim; i += K_W) {
        kb_grads_step(out, n, ctx, nb, grad, stride, gin, first, dim, i, K_W);
    }
    if (i < dim) {
        kb_grads_step(out, n, ctx, nb, grad, stride, gin, first, dim, i, dim - i);
    }
}

/* kb_dots and kb_grads with their row count made a constant, one case per count. */
#define KB_CASES(CALL) \
    CALL(1) CALL(2) CALL(3) CALL(4) CALL(5) CALL(6) CALL(7) CALL(8)

KERN_ATTR static void kb_dots_any(const float *c, float *const *rows, int n, int dim,
                                  float *res)
{
    switch (n) {
#define KB_DOTS_CASE(N) \
    case N: \
        kb_dots(c, rows, N, dim, res); \
        break;
        KB_CASES(KB_DOTS_CASE)
#undef KB_DOTS_CASE
    default:
        break;
    }
}

KERN_ATTR static void kb_grads_any(float *const *out, int n, float *const *ctx, int nb,
                                   const float *grad, int stride, float *gin, bool first,
                                   int dim)
{
    switch (n) {
#define KB_GRADS_CASE(N) \
    case N: \
        kb_grads(out, N, ctx, nb, grad, stride, gin, first, dim); \
        break;
        KB_CASES(KB_GRADS_CASE)
#undef KB_GRADS_CASE
    default:
        break;
    }
}

/* Asks the cache for the 'dim' floats at 'row'; training reads rows at random, and
 * fetching the sampled rows ahead of use hides most of the memory latency. */
KERN_ATTR static inline void kb_prefetch(const float *row, int dim)
{
    for (int i = 0; i < dim; i += KERN_FLOATS_PER_LINE) {
        __builtin_prefetch(row + i, 1, 3);
    }
}
