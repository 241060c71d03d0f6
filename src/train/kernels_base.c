/* kernels_base: the training kernels on the compiler's generic 4-float vectors (SSE2 on
 * x86-64, NEON on arm64, scalar code where there is no vector unit): runs on any CPU. */
#include <string.h>

#include "train/kernels.h"

#define KERN_ATTR
#define KERN_TABLE kernels_base
#define KERN_NAME "base"
/* Floats in one vector. */
#define K_W 4

typedef float kvec __attribute__((vector_size(K_W * sizeof(float))));

static inline kvec kv_zero(void) { return (kvec){0.0f, 0.0f, 0.0f, 0.0f}; }
static inline kvec kv_set1(float x) { return (kvec){x, x, x, x}; }
static inline kvec kv_add(kvec a, kvec b) { return a + b; }
/* Without an FMA instruction in the target, a separate multiply and add. */
static inline kvec kv_fma(kvec a, kvec b, kvec c) { return a * b + c; }
static inline float kv_sum(kvec v) { return (v[0] + v[2]) + (v[1] + v[3]); }

static inline kvec kv_loadu(const float *p)
{
    kvec v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void kv_storeu(float *p, kvec v)
{
    memcpy(p, &v, sizeof v);
}

/* min(left, K_W) floats at p; the other lanes are zero. */
static inline kvec kv_load(const float *p, int left)
{
    if (left >= K_W) {
        return kv_loadu(p);
    }
    kvec v = kv_zero();
    for (int i = 0; i < left; i++) {
        v[i] = p[i];
    }
    return v;
}

static inline void kv_store(float *p, int left, kvec v)
{
    if (left >= K_W) {
        kv_storeu(p, v);
        return;
    }
    for (int i = 0; i < left; i++) {
        p[i] = v[i];
    }
}

#include "train/kernels_body.h"
