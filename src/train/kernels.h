/* kernels: the fast training step, one variant per instruction set (simd.h), each built
 * from kernels_body.h by its own kernels_*.c. update_kernels_named chooses among them. */
#ifndef W2V_KERNELS_H
#define W2V_KERNELS_H

#include "base/simd.h"
#include "train/update.h"

/* Plain C, vectorised by the compiler for the build's target: runs everywhere. */
extern const struct update_kernels kernels_base;
#ifdef SIMD_X86
/* AVX2 and FMA intrinsics, 8 floats a step. */
extern const struct update_kernels kernels_avx2;
/* AVX-512F intrinsics, 16 floats a step, masked loads and stores for the tail. */
extern const struct update_kernels kernels_avx512;
#endif

#endif
