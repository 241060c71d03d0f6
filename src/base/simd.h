/* simd: which vector instruction set the kernels may use on this CPU. The training
 * kernels are compiled once per level (src/train/kernels_*.c) and one set is chosen at
 * start-up, so a portable build runs the same code as a -march=native one. */
#ifndef W2V_SIMD_H
#define W2V_SIMD_H

/* x86 with a compiler that has per-function target attributes and CPU feature tests
 * (gcc >= 4.9, clang): the only case where levels above SIMD_BASE are compiled. */
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define SIMD_X86 1
#endif

/* Levels in increasing order: plain C (vectorised by the compiler for the build's target),
 * AVX2 with FMA (256-bit), AVX-512F (512-bit, masked tails). */
enum simd_level { SIMD_BASE = 0, SIMD_AVX2 = 1, SIMD_AVX512 = 2 };

/* True if this CPU and operating system run 'level' (the kernels for it are compiled). */
int simd_supported(enum simd_level level);

/* The highest supported level. */
enum simd_level simd_best(void);

/* "base", "avx2" or "avx512". */
const char *simd_name(enum simd_level level);

/* Sets '*level' from its name; returns 0, or -1 for an unknown name. */
int simd_parse(const char *name, enum simd_level *level);

#endif
