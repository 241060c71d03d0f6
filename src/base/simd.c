/* simd: CPU feature tests through the compiler's cpuid wrappers, which also check that the
 * operating system saves the wider registers. */
#include "base/simd.h"

#include <string.h>

static const char *const simd_names[] = {"base", "avx2", "avx512"};

int simd_supported(enum simd_level level)
{
    switch (level) {
    case SIMD_BASE:
        return 1;
#ifdef SIMD_X86
    case SIMD_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case SIMD_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f");
#endif
    default:
        return 0;
    }
}

enum simd_level simd_best(void)
{
    if (simd_supported(SIMD_AVX512)) {
        return SIMD_AVX512;
    }
    return simd_supported(SIMD_AVX2) ? SIMD_AVX2 : SIMD_BASE;
}

const char *simd_name(enum simd_level level)
{
    return simd_names[level];
}

int simd_parse(const char *name, enum simd_level *level)
{
    for (int i = 0; i < (int)(sizeof simd_names / sizeof simd_names[0]); i++) {
        if (strcmp(name, simd_names[i]) == 0) {
            *level = (enum simd_level)i;
            return 0;
        }
    }
    return -1;
}
