/* update: a training thread's scratch state, and the choice among the implementations of
 * the step. */
#include "train/update.h"

#include <stdlib.h>
#include <string.h>

#include "base/simd.h"
#include "base/util.h"
#include "train/kernels.h"
#include "train/rule.h"

const struct update_kernels *update_kernels_named(const char *name, struct w2v_err *err)
{
    if (name != NULL && strcmp(name, rule_kernels.name) == 0) {
        return &rule_kernels;
    }
    enum simd_level level = simd_best();
    if (name != NULL && simd_parse(name, &level) != 0) {
        err_set(err, "kernels '%s': unknown (rule, base, avx2 or avx512)", name);
        return NULL;
    }
    if (!simd_supported(level)) {
        err_set(err, "kernels '%s': not supported by this CPU (best: %s)", name,
                simd_name(simd_best()));
        return NULL;
    }
    switch (level) {
#ifdef SIMD_X86
    case SIMD_AVX512:
        return &kernels_avx512;
    case SIMD_AVX2:
        return &kernels_avx2;
#endif
    default:
        return &kernels_base;
    }
}

int update_state_init(struct update_state *st, const struct train_config *cfg, uint64_t seed,
                      uint64_t stream, struct w2v_err *err)
{
    memset(st, 0, sizeof *st);
    rng_seed(&st->rng, seed, stream);
    size_t dim = (size_t)cfg->dim;
    size_t outs = (size_t)cfg->negative + 1;
    /* neu1, neu1e, then the shared forms' gradients of UPDATE_BATCH_MAX contexts. */
    size_t floats = 2 * dim + UPDATE_BATCH_MAX * dim + UPDATE_BATCH_MAX * outs;
    st->neu1 = alloc_big(floats * sizeof(float), "thread buffers", err);
    if (st->neu1 == NULL) {
        return -1;
    }
    st->neu1e = st->neu1 + dim;
    st->gin = st->neu1e + dim;
    st->grad = st->gin + UPDATE_BATCH_MAX * dim;
    /* Two batches of negatives, then the shared forms' row ids: outputs and contexts. */
    st->targets = xmalloc((2 * (size_t)cfg->negative + outs + UPDATE_BATCH_MAX) *
                          sizeof *st->targets);
    st->rows = st->targets + 2 * (size_t)cfg->negative;
    st->ptr = xmalloc((outs + UPDATE_BATCH_MAX) * sizeof *st->ptr);
    return 0;
}

void update_state_free(struct update_state *st)
{
    free(st->hot_in);
    st->hot_in = NULL;
    st->hot_out = NULL;
    st->hot_node = NULL;
    st->hot_base = NULL;
    st->hot = 0;
    st->hot_hs = 0;
    free(st->neu1);
    free(st->targets);
    free(st->ptr);
    st->neu1 = NULL;
    st->targets = NULL;
    st->ptr = NULL;
}
