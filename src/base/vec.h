/* vec: the dense float arithmetic of the queries (dot products and scaling; training has
 * its own kernels, src/train/kernels_body.h). Written so that gcc and clang vectorise it
 * without -ffast-math: reductions keep VEC_LANES independent partial sums (a fixed
 * summation order, so results are reproducible for a given build). */
#ifndef W2V_VEC_H
#define W2V_VEC_H

#include <string.h>

/* Independent accumulators in a dot product: 16 floats fill one AVX-512 register or two
 * AVX2 registers. */
#define VEC_LANES 16

/* Adds up a dot product's VEC_LANES partial sums and its tail, in a fixed order. */
static inline float vec_sum_lanes(float *acc, float tail)
{
    for (int j = 0; j < VEC_LANES / 2; j++) {
        acc[j] += acc[j + VEC_LANES / 2];
    }
    for (int j = 0; j < VEC_LANES / 4; j++) {
        acc[j] += acc[j + VEC_LANES / 4];
    }
    return ((acc[0] + acc[2]) + (acc[1] + acc[3])) + tail;
}

static inline float vec_dot(const float *restrict a, const float *restrict b, int n)
{
    float acc[VEC_LANES] = {0};
    int i = 0;
    for (; i + VEC_LANES <= n; i += VEC_LANES) {
        for (int j = 0; j < VEC_LANES; j++) {
            acc[j] += a[i + j] * b[i + j];
        }
    }
    float tail = 0.0f;
    for (; i < n; i++) {
        tail += a[i] * b[i];
    }
    return vec_sum_lanes(acc, tail);
}

/* vec_dot of two arrays of n floats that may sit at any byte address (the rows of a mapped
 * binary file follow their words, so they are rarely aligned), summed in vec_dot's order.
 * Fixed-size memcpy compiles to unaligned vector loads. Slower than vec_dot on aligned
 * rows: the queries use it only on mapped files. */
static inline float vec_dot_bytes(const void *a, const void *b, int n)
{
    const unsigned char *pa = a;
    const unsigned char *pb = b;
    float acc[VEC_LANES] = {0};
    int i = 0;
    for (; i + VEC_LANES <= n; i += VEC_LANES) {
        float x[VEC_LANES];
        float y[VEC_LANES];
        memcpy(x, pa + (size_t)i * sizeof(float), sizeof x);
        memcpy(y, pb + (size_t)i * sizeof(float), sizeof y);
        for (int j = 0; j < VEC_LANES; j++) {
            acc[j] += x[j] * y[j];
        }
    }
    float tail = 0.0f;
    for (; i < n; i++) {
        float x;
        float y;
        memcpy(&x, pa + (size_t)i * sizeof(float), sizeof x);
        memcpy(&y, pb + (size_t)i * sizeof(float), sizeof y);
        tail += x * y;
    }
    return vec_sum_lanes(acc, tail);
}

/* y *= a */
static inline void vec_scale(float *restrict y, float a, int n)
{
    for (int i = 0; i < n; i++) {
        y[i] *= a;
    }
}

#endif
