/* kernels_avx512: the training kernels on AVX-512F registers (16 floats); the tail of a
 * row is one masked step. Compiled on x86 only. */
#include "train/kernels.h"

#ifdef SIMD_X86
#include <immintrin.h>

/* prfchw: every CPU with AVX-512F has PREFETCHW, which fetches a row about to be written
 * in the state that lets this core write it; without it the compiler turns the kernels'
 * write prefetches into read prefetches whenever the build is not -march=native, and the
 * write then waits for the other cores' copies to be given up. */
#define KERN_ATTR __attribute__((target("avx512f,avx2,fma,prfchw")))
#define KERN_TABLE kernels_avx512
#define KERN_NAME "avx512"
/* Floats in one register. */
#define K_W 16

typedef __m512 kvec;

/* The first 'left' lanes (all if left >= K_W). */
KERN_ATTR static inline __mmask16 kv_mask(int left)
{
    return left >= K_W ? (__mmask16)0xFFFF : (__mmask16)((1u << left) - 1u);
}

KERN_ATTR static inline kvec kv_zero(void) { return _mm512_setzero_ps(); }
KERN_ATTR static inline kvec kv_set1(float x) { return _mm512_set1_ps(x); }
KERN_ATTR static inline kvec kv_add(kvec a, kvec b) { return _mm512_add_ps(a, b); }
KERN_ATTR static inline kvec kv_fma(kvec a, kvec b, kvec c) { return _mm512_fmadd_ps(a, b, c); }
KERN_ATTR static inline kvec kv_loadu(const float *p) { return _mm512_loadu_ps(p); }
KERN_ATTR static inline void kv_storeu(float *p, kvec v) { _mm512_storeu_ps(p, v); }
KERN_ATTR static inline float kv_sum(kvec v) { return _mm512_reduce_add_ps(v); }

/* min(left, K_W) floats at p; the other lanes are zero. */
KERN_ATTR static inline kvec kv_load(const float *p, int left)
{
    return left >= K_W ? _mm512_loadu_ps(p) : _mm512_maskz_loadu_ps(kv_mask(left), p);
}

KERN_ATTR static inline void kv_store(float *p, int left, kvec v)
{
    if (left >= K_W) {
        _mm512_storeu_ps(p, v);
    } else {
        _mm512_mask_storeu_ps(p, kv_mask(left), v);
    }
}

#include "train/kernels_body.h"
#endif
