/* update: chooses a variant of the training kernels (kernels_*.c) and owns the scratch
 * state of a training thread. The steps themselves are in kernels_body.h. */
#include "train/update.h"

#include <stdlib.h>
#include <string.h>

#include "train/kernels.h"
#include "base/util.h"

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

/* The matrices whose hot rows a thread copies: m->in, then m->out_ns and m->out_hs when
 * the objective has them. */
static size_t replica_matrices(const struct train_config *cfg)
{
    return 1 + (cfg->negative > 0 ? 1 : 0) + (cfg->hs ? 1 : 0);
}

size_t update_replica_bytes(const struct train_config *cfg, int32_t hot)
{
    return 2 * replica_matrices(cfg) * (size_t)hot * (size_t)cfg->dim * sizeof(float);
}

int update_state_replicate(struct update_state *st, const struct model *m, int32_t hot,
                           struct w2v_err *err)
{
    if (hot > m->n) {
        hot = m->n;
    }
    if (hot <= 0) {
        return 0;
    }
    size_t dim = (size_t)m->cfg.dim;
    size_t cells = (size_t)hot * dim;
    float *mem = alloc_big(update_replica_bytes(&m->cfg, hot), "thread replicas", err);
    if (mem == NULL) {
        return -1;
    }
    /* The copies one after the other, then the same again as the base of the merges. */
    float *at = mem;
    st->hot = hot;
    st->hot_in = at;
    memcpy(at, m->in, cells * sizeof(float));
    at += cells;
    if (m->cfg.negative > 0) {
        st->hot_out = at;
        memcpy(at, m->out_ns, cells * sizeof(float));
        at += cells;
    }
    if (m->cfg.hs && m->n > 1) {
        int32_t nodes = (int32_t)(m->n - 1);
        st->hot_hs = hot < nodes ? hot : nodes;
        st->hot_node = at;
        size_t node_cells = (size_t)st->hot_hs * dim;
        memcpy(at, m->out_hs + (size_t)(nodes - st->hot_hs) * dim, node_cells * sizeof(float));
        at += node_cells;
    }
    st->hot_base = at;
    memcpy(st->hot_base, mem, (size_t)(at - mem) * sizeof(float));
    return 0;
}

/* shared += mine - base; then mine = base = shared. */
static void merge_rows(float *shared, float *mine, float *base, size_t cells)
{
    for (size_t i = 0; i < cells; i++) {
        float v = shared[i] + (mine[i] - base[i]);
        shared[i] = v;
        mine[i] = v;
        base[i] = v;
    }
}

void update_state_merge(struct update_state *st, struct model *m, int32_t rows)
{
    if (rows > st->hot) {
        rows = st->hot;
    }
    if (rows <= 0) {
        return;
    }
    size_t dim = (size_t)m->cfg.dim;
    size_t cells = (size_t)rows * dim;
    size_t all = (size_t)st->hot * dim;
    float *base = st->hot_base;
    merge_rows(m->in, st->hot_in, base, cells);
    base += all;
    if (st->hot_out != NULL) {
        merge_rows(m->out_ns, st->hot_out, base, cells);
        base += all;
    }
    if (st->hot_node != NULL) {
        /* The nodes nearest the root are the last ones. */
        int32_t nodes = rows < st->hot_hs ? rows : st->hot_hs;
        size_t skip = (size_t)(st->hot_hs - nodes) * dim;
        merge_rows(m->out_hs + (size_t)(m->n - 1 - nodes) * dim,
                   st->hot_node + skip, base + skip, (size_t)nodes * dim);
    }
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
