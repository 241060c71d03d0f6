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

/* kv_decide (kernels_body.h says what it computes). Lanes past 'left' are masked off the
 * load, the gathers and the store. */
#define KV_DECIDE 1
typedef __m512d kvd;
KERN_ATTR static inline kvd kvd_zero(void) { return _mm512_setzero_pd(); }
KERN_ATTR static inline double kvd_sum(kvd v) { return _mm512_reduce_add_pd(v); }

KERN_ATTR static inline kvd kv_decide(const struct sigmoid *sig, float *g, int left,
                                      unsigned pos, float lr, kvd loss, bool *diverged)
{
    const __m512 hi = _mm512_set1_ps(SIGMOID_MAX);
    const __m512i top = _mm512_set1_epi32(SIGMOID_SIZE);
    __mmask16 live = kv_mask(left);
    __m512 f = _mm512_maskz_loadu_ps(live, g);
    if (_mm512_mask_cmp_ps_mask(live, f, f, _CMP_UNORD_Q) != 0) {
        *diverged = true;
    }
    __m512 at = _mm512_fmadd_ps(_mm512_add_ps(f, hi), _mm512_set1_ps(sig->scale),
                                _mm512_set1_ps(0.5f));
    __m512i idx = _mm512_maskz_mov_epi32(
        _mm512_cmp_ps_mask(f, _mm512_set1_ps(-SIGMOID_MAX), _CMP_GT_OQ),
        _mm512_cvttps_epi32(at));
    idx = _mm512_mask_mov_epi32(idx, _mm512_cmp_ps_mask(f, hi, _CMP_GE_OQ), top);
    /* A positive's loss is at idx, the others' mirrored. */
    __m512 label = _mm512_maskz_mov_ps((__mmask16)pos, _mm512_set1_ps(1.0f));
    __m512i at_loss = _mm512_mask_mov_epi32(_mm512_sub_epi32(top, idx), (__mmask16)pos, idx);
    __m512 v = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), live, idx, sig->value, 4);
    __m512 l = _mm512_mask_i32gather_ps(_mm512_setzero_ps(), live, at_loss, sig->logv, 4);
    loss = _mm512_add_pd(loss, _mm512_cvtps_pd(_mm512_castps512_ps256(l)));
    loss = _mm512_add_pd(loss, _mm512_cvtps_pd(_mm256_castpd_ps(
                                   _mm512_extractf64x4_pd(_mm512_castps_pd(l), 1))));
    _mm512_mask_storeu_ps(g, live, _mm512_mul_ps(_mm512_sub_ps(label, v), _mm512_set1_ps(lr)));
    return loss;
}

#include "train/kernels_body.h"
#endif
