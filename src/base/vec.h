/* vec: the dense float kernels of the training loop. Written so that gcc and clang
 * vectorise them without -ffast-math: reductions keep VEC_LANES independent partial sums
 * (a fixed summation order, so results are reproducible for a given build). */
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
 * Fixed-size memcpy compiles to unaligned vector loads. It is not a substitute for vec_dot
 * in training: inlined there, it made one epoch 40-70 % slower (measured with gcc 12). */
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

/* y += a * x */
static inline void vec_axpy(float *restrict y, float a, const float *restrict x, int n)
{
    for (int i = 0; i < n; i++) {
        y[i] += a * x[i];
    }
}

/* The fused step of one output row: acc += g * out, then out += g * in. Reads 'out' once. */
static inline void vec_step(float *restrict acc, float *restrict out, const float *restrict in,
                            float g, int n)
{
    for (int i = 0; i < n; i++) {
        acc[i] += g * out[i];
        out[i] += g * in[i];
    }
}

static inline void vec_zero(float *restrict y, int n)
{
    for (int i = 0; i < n; i++) {
        y[i] = 0.0f;
    }
}

static inline void vec_scale(float *restrict y, float a, int n)
{
    for (int i = 0; i < n; i++) {
        y[i] *= a;
    }
}

#endif
