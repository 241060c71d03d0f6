/* kernels_avx2: the training kernels on AVX2 registers (8 floats) with FMA; the tail of a
 * row is one masked step. Compiled on x86 only. */
#include "train/kernels.h"

#ifdef SIMD_X86
#include <immintrin.h>

#define KERN_ATTR __attribute__((target("avx2,fma")))
#define KERN_TABLE kernels_avx2
#define KERN_NAME "avx2"
/* Floats in one register. */
#define K_W 8

typedef __m256 kvec;

/* All bits set in the first 'left' lanes. */
KERN_ATTR static inline __m256i kv_mask(int left)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(left), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

KERN_ATTR static inline kvec kv_zero(void) { return _mm256_setzero_ps(); }
KERN_ATTR static inline kvec kv_set1(float x) { return _mm256_set1_ps(x); }
KERN_ATTR static inline kvec kv_add(kvec a, kvec b) { return _mm256_add_ps(a, b); }
KERN_ATTR static inline kvec kv_fma(kvec a, kvec b, kvec c) { return _mm256_fmadd_ps(a, b, c); }
KERN_ATTR static inline kvec kv_loadu(const float *p) { return _mm256_loadu_ps(p); }
KERN_ATTR static inline void kv_storeu(float *p, kvec v) { _mm256_storeu_ps(p, v); }

/* Lanes added in halves: (0+4, 1+5, 2+6, 3+7), then pairs, then the last two. */
KERN_ATTR static inline float kv_sum(kvec v)
{
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    h = _mm_add_ss(h, _mm_shuffle_ps(h, h, 1));
    return _mm_cvtss_f32(h);
}

/* min(left, K_W) floats at p; the other lanes are zero. */
KERN_ATTR static inline kvec kv_load(const float *p, int left)
{
    return left >= K_W ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, kv_mask(left));
}

/* A tail is stored in pieces of 4, 2 and 1 floats rather than with a masked store, which
 * AMD's cores before Zen 4 run as many slow micro-operations. */
KERN_ATTR static inline void kv_store(float *p, int left, kvec v)
{
    if (left >= K_W) {
        _mm256_storeu_ps(p, v);
        return;
    }
    __m128 part = _mm256_castps256_ps128(v);
    if (left & 4) {
        _mm_storeu_ps(p, part);
        p += 4;
        part = _mm256_extractf128_ps(v, 1);
    }
    if (left & 2) {
        _mm_storel_pi((__m64 *)(void *)p, part);
        p += 2;
        part = _mm_movehl_ps(part, part);
    }
    if (left & 1) {
        _mm_store_ss(p, part);
    }
}

/* kv_decide (kernels_body.h says what it computes). Lanes past 'left' load as 0, a valid
 * index, and are masked out of the loss. */
#define KV_DECIDE 1
typedef __m256d kvd;
KERN_ATTR static inline kvd kvd_zero(void) { return _mm256_setzero_pd(); }
KERN_ATTR static inline double kvd_sum(kvd v)
{
    __m128d h = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
    return _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)));
}

KERN_ATTR static inline kvd kv_decide(const struct sigmoid *sig, float *g, int left,
                                      unsigned pos, float lr, kvd loss, bool *diverged)
{
    const __m256 hi = _mm256_set1_ps(SIGMOID_MAX);
    const __m256i top = _mm256_set1_epi32(SIGMOID_SIZE);
    const __m256i bit = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
    __m256 f = kv_load(g, left);
    if (_mm256_movemask_ps(_mm256_cmp_ps(f, f, _CMP_UNORD_Q)) != 0) {
        *diverged = true;
    }
    __m256 at = _mm256_fmadd_ps(_mm256_add_ps(f, hi), _mm256_set1_ps(sig->scale),
                                _mm256_set1_ps(0.5f));
    __m256i idx = _mm256_and_si256(
        _mm256_cvttps_epi32(at),
        _mm256_castps_si256(_mm256_cmp_ps(f, _mm256_set1_ps(-SIGMOID_MAX), _CMP_GT_OQ)));
    idx = _mm256_blendv_epi8(idx, top, _mm256_castps_si256(_mm256_cmp_ps(f, hi, _CMP_GE_OQ)));
    /* A positive's loss is at idx, the others' mirrored. */
    __m256i is_pos = _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32((int)pos), bit), bit);
    __m256 label = _mm256_and_ps(_mm256_castsi256_ps(is_pos), _mm256_set1_ps(1.0f));
    __m256i at_loss = _mm256_blendv_epi8(_mm256_sub_epi32(top, idx), idx, is_pos);
    __m256 v = _mm256_i32gather_ps(sig->value, idx, 4);
    __m256 l = _mm256_and_ps(_mm256_i32gather_ps(sig->logv, at_loss, 4),
                             _mm256_castsi256_ps(kv_mask(left)));
    loss = _mm256_add_pd(loss, _mm256_cvtps_pd(_mm256_castps256_ps128(l)));
    loss = _mm256_add_pd(loss, _mm256_cvtps_pd(_mm256_extractf128_ps(l, 1)));
    kv_store(g, left, _mm256_mul_ps(_mm256_sub_ps(label, v), _mm256_set1_ps(lr)));
    return loss;
}

#include "train/kernels_body.h"
#endif
