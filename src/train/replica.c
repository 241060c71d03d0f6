/* replica: the copies, their merges and the tiers. */
#include "train/replica.h"

#include <string.h>

#include "base/util.h"

/* Bytes of copies a thread keeps: the frequent rows that collide most (see DESIGN.md,
 * "per-thread copies"). */
#define REPLICA_BYTES (16u << 20)

/* The matrices whose hot rows a thread copies: m->in, then m->out_ns and m->out_hs when
 * the objective has them. */
static size_t copied_matrices(const struct train_config *cfg)
{
    return 1 + (cfg->negative > 0 ? 1 : 0) + (cfg->hs ? 1 : 0);
}

size_t replica_bytes(const struct train_config *cfg, int32_t hot)
{
    return 2 * copied_matrices(cfg) * (size_t)hot * (size_t)cfg->dim * sizeof(float);
}

int32_t replica_rows(const struct train_config *cfg, int64_t n)
{
    if (cfg->copies != 0) {
        return cfg->copies < 0 ? 0 : (int32_t)(cfg->copies < n ? cfg->copies : n);
    }
    if (cfg->threads < 2) {
        return 0;
    }
    int64_t hot = (int64_t)(REPLICA_BYTES / replica_bytes(cfg, 1));
    int64_t share = n / cfg->threads;
    return (int32_t)(hot < share ? hot : share);
}

int replica_copy(struct update_state *st, const struct model *m, int32_t hot,
                 struct w2v_err *err)
{
    if (hot > m->n) {
        hot = (int32_t)m->n;
    }
    if (hot <= 0) {
        return 0;
    }
    size_t dim = (size_t)m->cfg.dim;
    size_t cells = (size_t)hot * dim;
    float *mem = alloc_big(replica_bytes(&m->cfg, hot), "thread replicas", err);
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

void replica_merge(struct update_state *st, struct model *m, int32_t rows)
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

int64_t replica_every(int threads, int tier)
{
    int64_t job = tier < REPLICA_TIERS ? (int64_t)REPLICA_TIER_WORDS << (2 * tier)
                                       : (int64_t)REPLICA_ALL_WORDS;
    int64_t every = job / (threads > 1 ? threads : 1);
    return every > 0 ? every : 1;
}

int32_t replica_tier_rows(int tier)
{
    return tier < REPLICA_TIERS ? REPLICA_TIER_ROWS << (2 * tier) : INT32_MAX;
}

int32_t replica_due(int threads, int64_t before, int64_t after)
{
    for (int tier = REPLICA_TIERS; tier >= 0; tier--) {
        int64_t every = replica_every(threads, tier);
        if (before / every != after / every) {
            return replica_tier_rows(tier);
        }
    }
    return 0;
}
