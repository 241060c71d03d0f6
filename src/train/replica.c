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

int replica_alloc(struct update_state *st, const struct model *m, int32_t hot,
                  struct w2v_err *err)
{
    if (hot > m->n) {
        hot = (int32_t)m->n;
    }
    if (hot <= 0) {
        return 0;
    }
    size_t cells = (size_t)hot * (size_t)m->cfg.dim;
    float *mem = alloc_big(replica_bytes(&m->cfg, hot), "thread replicas", err);
    if (mem == NULL) {
        return -1;
    }
    /* The copies one after the other, then the same again as the base of the merges. */
    float *at = mem;
    st->hot = hot;
    st->hot_in = at;
    at += cells;
    if (m->cfg.negative > 0) {
        st->hot_out = at;
        at += cells;
    }
    if (m->cfg.hs && m->n > 1) {
        int32_t nodes = (int32_t)(m->n - 1);
        st->hot_hs = hot < nodes ? hot : nodes;
        st->hot_node = at;
        at += (size_t)st->hot_hs * (size_t)m->cfg.dim;
    }
    st->hot_base = at;
    return 0;
}

void replica_touch(struct update_state *st, const struct model *m)
{
    if (st->hot > 0) {
        memset(st->hot_in, 0, replica_bytes(&m->cfg, st->hot));
    }
}

/* What a pass over some rows does to the model's rows, the thread's copies of them and
 * their base (the copies as of the last merge), 'cells' floats of each. */
typedef void rows_op(float *model, float *mine, float *base, size_t cells);

/* mine = base = model. */
static void fill_rows(float *model, float *mine, float *base, size_t cells)
{
    memcpy(mine, model, cells * sizeof(float));
    memcpy(base, model, cells * sizeof(float));
}

/* model += mine - base; then mine = base = model. */
static void merge_rows(float *model, float *mine, float *base, size_t cells)
{
    for (size_t i = 0; i < cells; i++) {
        float v = model[i] + (mine[i] - base[i]);
        model[i] = v;
        mine[i] = v;
        base[i] = v;
    }
}

/* Applies 'op' to the copied rows of the words [from, to) in each matrix, and to the
 * inner nodes that many places from the root ([from, to) counted down from the root). */
static void each_matrix(struct update_state *st, struct model *m, int32_t from, int32_t to,
                        rows_op *op)
{
    if (to > st->hot) {
        to = st->hot;
    }
    if (from >= to) {
        return;
    }
    size_t dim = (size_t)m->cfg.dim;
    size_t skip = (size_t)from * dim;
    size_t cells = (size_t)(to - from) * dim;
    size_t all = (size_t)st->hot * dim;
    float *base = st->hot_base;
    op(m->in + skip, st->hot_in + skip, base + skip, cells);
    base += all;
    if (st->hot_out != NULL) {
        op(m->out_ns + skip, st->hot_out + skip, base + skip, cells);
        base += all;
    }
    if (st->hot_node != NULL && from < st->hot_hs) {
        /* The nodes nearest the root are the last ones: the copy of the node r places
         * from the root is hot_node[hot_hs - 1 - r], the model's out_hs[n - 2 - r]. */
        int32_t near = to < st->hot_hs ? to : st->hot_hs;
        size_t at = (size_t)(st->hot_hs - near) * dim;
        op(m->out_hs + (size_t)(m->n - 1 - near) * dim, st->hot_node + at, base + at,
           (size_t)(near - from) * dim);
    }
}

void replica_fill(struct update_state *st, struct model *m, int32_t from, int32_t to)
{
    each_matrix(st, m, from, to, fill_rows);
}

void replica_merge(struct update_state *st, struct model *m, int32_t from, int32_t to)
{
    each_matrix(st, m, from, to, merge_rows);
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
