/* update: chooses a variant of the training kernels (kernels_*.c) and owns the scratch
 * state of a training thread. The steps themselves are in kernels_body.h. */
#include "update.h"

#include <stdlib.h>
#include <string.h>

#include "kernels.h"
#include "util.h"

const struct update_kernels *update_kernels_for(enum simd_level level)
{
    if (!simd_supported(level)) {
        return NULL;
    }
    switch (level) {
#ifdef SIMD_X86
    case SIMD_AVX512:
        return &kernels_avx512;
    case SIMD_AVX2:
        return &kernels_avx2;
#endif
    case SIMD_BASE:
        return &kernels_base;
    default:
        return NULL;
    }
}

const struct update_kernels *update_kernels_pick(const char *name, struct w2v_err *err)
{
    enum simd_level level = simd_best();
    if (name != NULL && simd_parse(name, &level) != 0) {
        err_set(err, "kernels '%s': unknown (base, avx2 or avx512)", name);
        return NULL;
    }
    const struct update_kernels *k = update_kernels_for(level);
    if (k == NULL) {
        err_set(err, "kernels '%s': not supported by this CPU (best: %s)", name,
                simd_name(simd_best()));
    }
    return k;
}

int update_state_init(struct update_state *st, const struct train_config *cfg, uint64_t seed,
                      uint64_t stream, struct w2v_err *err)
{
    memset(st, 0, sizeof *st);
    rng_seed(&st->rng, seed, stream);
    size_t dim = (size_t)cfg->dim;
    size_t outs = (size_t)cfg->negative + 1;
    /* neu1, neu1e, then the batched step's gradients of UPDATE_BATCH_MAX contexts. */
    size_t floats = 2 * dim + UPDATE_BATCH_MAX * dim + UPDATE_BATCH_MAX * outs;
    st->neu1 = alloc_big(floats * sizeof(float), "thread buffers", err);
    if (st->neu1 == NULL) {
        return -1;
    }
    st->neu1e = st->neu1 + dim;
    st->gin = st->neu1e + dim;
    st->grad = st->gin + UPDATE_BATCH_MAX * dim;
    /* Two batches of negatives, then the batched step's row ids: outputs and contexts. */
    st->targets = xmalloc((2 * (size_t)cfg->negative + outs + UPDATE_BATCH_MAX) *
                          sizeof *st->targets);
    st->rows = st->targets + 2 * (size_t)cfg->negative;
    st->ptr = xmalloc((outs + UPDATE_BATCH_MAX) * sizeof *st->ptr);
    return 0;
}

void update_state_free(struct update_state *st)
{
    free(st->neu1);
    free(st->targets);
    free(st->ptr);
    st->neu1 = NULL;
    st->targets = NULL;
    st->ptr = NULL;
}

void update_skipgram(struct model *m, struct update_state *st, const int32_t *sentence,
                     int len, int pos, float lr)
{
    kernels_base.at(m, st, sentence, len, pos, lr);
}

void update_cbow(struct model *m, struct update_state *st, const int32_t *sentence, int len,
                 int pos, float lr)
{
    kernels_base.at(m, st, sentence, len, pos, lr);
}
