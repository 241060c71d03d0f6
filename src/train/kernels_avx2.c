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

KERN_ATTR static inline void kv_store(float *p, int left, kvec v)
{
    if (left >= K_W) {
        _mm256_storeu_ps(p, v);
    } else {
        _mm256_maskstore_ps(p, kv_mask(left), v);
    }
}

#include "train/kernels_body.h"
#endif
