/* kernels_body: the fast training step, written once and compiled once per instruction
 * set. It computes the updates of the rule (rule.c states them in plain C; the tests hold
 * every variant to it) and differs from it only in how:
 *   rule.c                    here
 *   dot                       k_dot: K_W-float lanes, two accumulators, masked tail
 *   decide                    kb_step_row: k_dot, update_gradient, k_step (grad and row in
 *                             one pass over the row)
 *   predict                   kb_predict: kb_hsoftmax (prefetches the path's nodes first),
 *                             kb_negative
 *   decide_shared             kb_batch_scores: kb_dots (up to KB_BLOCK output rows held in
 *                             registers while the input is read once), kb_decide (the
 *                             group's decisions a register at a time), then kb_grads (each
 *                             output row read and written once for all inputs); up to
 *                             KB_BLOCK rows (skip-gram's usual case) go as one block,
 *                             kb_batch_block, compiled once per row count
 *   skipgram                  kb_skipgram_pairs
 *   skipgram_shared           kb_skipgram_batch (+ kb_batch_group per group of contexts)
 *   cbow                      kb_cbow
 * Beyond the rule: the rows of the next prediction are requested from memory ahead of use
 * (kb_prefetch: the next negatives as they are drawn, the next centre's output row, the
 * input row that enters the window next, a path's nodes), and kb_sentence chooses the
 * form once per call rather than once per position. Sums are taken in another order than
 * the rule's, so results differ from it (and between variants) in the last bits.
 *
 * A kernels_*.c file defines, then includes this file:
 *   KERN_ATTR   the function attribute that selects its instruction set (may be empty)
 *   KERN_TABLE  the name of the struct update_kernels it exports, KERN_NAME its name
 *   K_W         floats in one vector register, and the type kvec of such a register
 *   kv_zero, kv_set1, kv_add, kv_fma (a*b+c), kv_sum (the lanes added in a fixed order),
 *   kv_loadu/kv_storeu (K_W floats), kv_load/kv_store (min(left, K_W) floats, the other
 *   lanes zero on load and untouched on store)
 *   KV_DECIDE   optional: kv_decide(sig, g, left, pos, lr, loss, diverged), kb_decide's
 *               step: update_gradient on the min(left, K_W) scores at g, in place, the
 *               lanes set in 'pos' toward 1 and the others toward 0, the index computed
 *               in sigmoid_index's float operations and the lanes outside [-SIGMOID_MAX,
 *               SIGMOID_MAX) set to the ends; lanes past 'left' are neither stored nor
 *               counted. Their losses are added to the double lanes of type kvd
 *               (kvd_zero, kvd_sum) 'loss', which it returns; a NaN score sets *diverged.
 * Every function here and in kernels_rows.h (the arithmetic on rows these steps are made
 * of, included below) carries KERN_ATTR, so that the helpers inlined into it are compiled
 * for the same instruction set. */
#include <stddef.h>

#include "train/kernels_rows.h"
#include "train/update.h"

/* One logistic regression step of 'l1' against output row 'l2' toward 'label'. */
KERN_ATTR static inline void kb_step_row(const struct model *m, struct update_state *st,
                                         const float *l1, float *l2, float label, float lr)
{
    float g = update_gradient(m, st, k_dot(l1, l2, m->cfg.dim), label, lr);
    k_step(st->neu1e, l2, l1, g, m->cfg.dim);
}

/* The negatives of the prediction about to be made (update_negatives), and a request to
 * the cache for the rows of the batch the next prediction takes, when it is not this one
 * again (cfg.batch > 1): they arrive while this prediction is computed. */
KERN_ATTR static const int32_t *kb_negatives(const struct model *m, struct update_state *st)
{
    const int dim = m->cfg.dim;
    bool first = !st->primed;
    const int32_t *now = update_negatives(m, st);
    if (first) {
        for (int d = 0; d < m->cfg.negative; d++) {
            kb_prefetch(update_out(m, st, now[d]), dim);
        }
    }
    if (update_draws(st)) {
        const int32_t *next = update_next_negatives(m, st);
        for (int d = 0; d < m->cfg.negative; d++) {
            kb_prefetch(update_out(m, st, next[d]), dim);
        }
    }
    return now;
}

/* Negative sampling for input vector 'l1' predicting 'word': one positive and
 * cfg.negative sampled negatives (a draw equal to 'word' is skipped, as in word2vec). */
KERN_ATTR static void kb_negative(const struct model *m, struct update_state *st,
                                  const float *l1, int32_t word, float lr)
{
    const int32_t *now = kb_negatives(m, st);
    kb_step_row(m, st, l1, update_out(m, st, word), 1.0f, lr);
    for (int i = 0; i < m->cfg.negative; i++) {
        if (now[i] != word) {
            kb_step_row(m, st, l1, update_out(m, st, now[i]), 0.0f, lr);
        }
    }
}

/* Hierarchical softmax: one binary decision per inner node on the path to 'word'. */
KERN_ATTR static void kb_hsoftmax(const struct model *m, struct update_state *st,
                                  const float *l1, int32_t word, float lr)
{
    const int dim = m->cfg.dim;
    const struct huffman *h = &m->huff;
    const int32_t *point = h->point + h->start[word];
    const uint8_t *code = h->code + h->start[word];
    int len = h->len[word];
    for (int k = 0; k < len; k++) {
        kb_prefetch(update_node(m, st, point[k]), dim);
    }
    /* Code 0 is the branch with probability s(f), so its label is 1 (word2vec's way). */
    for (int k = 0; k < len; k++) {
        kb_step_row(m, st, l1, update_node(m, st, point[k]), (float)(1 - code[k]), lr);
    }
}

KERN_ATTR static void kb_predict(const struct model *m, struct update_state *st,
                                 const float *l1, int32_t word, float lr)
{
    if (m->cfg.hs) {
        kb_hsoftmax(m, st, l1, word, lr);
    }
    if (m->cfg.negative > 0) {
        kb_negative(m, st, l1, word, lr);
    }
    st->pairs++;
}

/* Skip-gram, one prediction per (context, centre) pair, as word2vec. */
KERN_ATTR static void kb_skipgram_pairs(struct model *m, struct update_state *st,
                                        const int32_t *sentence, int len, int pos, float lr)
{
    const int dim = m->cfg.dim;
    int lo;
    int hi;
    update_window(m, st, pos, len, &lo, &hi);
    int32_t word = sentence[pos];
    for (int j = lo; j <= hi; j++) {
        if (j == pos) {
            continue;
        }
        float *l1 = update_in(m, st, sentence[j]);
        if (j < hi) {
            kb_prefetch(update_in(m, st, sentence[j + 1]), dim);
        }
        for (int i = 0; i < dim; i++) {
            st->neu1e[i] = 0.0f;
        }
        kb_predict(m, st, l1, word, lr);
        k_axpy(l1, 1.0f, st->neu1e, dim);
    }
}

/* The scaled gradients of the 'n' scores in g (in place), nt for each input, as
 * update_gradient gives them: the first of each input's scores toward 1, the others
 * toward 0. With kv_decide (KV_DECIDE), K_W scores at a time when there is more than one
 * input (skip-gram's groups of contexts) or a register's worth of scores (CBOW with many
 * negatives): the table lookups are gathers and the loss is summed in double lanes, in
 * another order. A few scores of one input stay one at a time: kb_dots has just stored
 * them one by one, and a vector load of them would wait for those stores (DESIGN.md, the
 * kernels). */
KB_INLINE void kb_decide(const struct model *m, struct update_state *st, float *g, int n,
                         int nt, float lr)
{
#ifdef KV_DECIDE
    if (n > nt || n >= K_W) {
        kvd loss = kvd_zero();
        int next = 0; /* the next input's first score */
        for (int t = 0; t < n; t += K_W) {
            unsigned pos = 0;
            for (; next < t + K_W; next += nt) {
                pos |= 1u << (next - t);
            }
            loss = kv_decide(&m->sigmoid, g + t, n - t, pos, lr, loss, &st->diverged);
        }
        st->loss += kvd_sum(loss);
        return;
    }
#endif
    for (int i = 0; i < n; i += nt) {
        for (int t = 0; t < nt; t++) {
            g[i + t] = update_gradient(m, st, g[i + t], t == 0 ? 1.0f : 0.0f, lr);
        }
    }
}

/* kb_batch_scores for 'nt' <= KB_BLOCK output rows, a constant where inlined: one block,
 * so that kb_dots and kb_grads keep the rows in registers with no dispatch per input. */
KB_INLINE void kb_batch_block(struct model *m, struct update_state *st, float **out, int nt,
                              float **ctx, int nb, float lr)
{
    const int dim = m->cfg.dim;
    float *grad = st->grad;
    for (int b = 0; b < nb; b++) {
        kb_dots(ctx[b], out, nt, dim, grad + (size_t)b * (size_t)nt);
    }
    kb_decide(m, st, grad, nb * nt, nt, lr);
    st->pairs += nb;
    kb_grads(out, nt, ctx, nb, grad, nt, st->gin, true, dim);
}

/* The batched step of the 'nb' input vectors ctx[0..nb) (st->ptr + nt) against the 'nt'
 * output rows of ids st->rows[0..nt), the first one the positive. Every score is taken
 * from the weights as they were on entry; each output row's gradient is then added to it
 * (a row listed twice receives both), and input vector b's gradient is left in
 * st->gin + b * dim for the caller to apply. */
KERN_ATTR static void kb_batch_scores(struct model *m, struct update_state *st, int nt, int nb,
                                      float lr)
{
    const int dim = m->cfg.dim;
    float **out = st->ptr;
    float **ctx = st->ptr + nt;
    for (int t = 0; t < nt; t++) {
        out[t] = update_out(m, st, st->rows[t]);
    }
    switch (nt) {
#define KB_BATCH_CASE(N) \
    case N: \
        kb_batch_block(m, st, out, N, ctx, nb, lr); \
        return;
        KB_CASES(KB_BATCH_CASE)
#undef KB_BATCH_CASE
    default:
        break;
    }
    float *grad = st->grad;
    for (int b = 0; b < nb; b++) {
        float *gb = grad + (size_t)b * (size_t)nt;
        for (int t = 0; t < nt; t += KB_BLOCK) {
            int n = nt - t < KB_BLOCK ? nt - t : KB_BLOCK;
            kb_dots_any(ctx[b], out + t, n, dim, gb + t);
        }
    }
    kb_decide(m, st, grad, nb * nt, nt, lr);
    st->pairs += nb;
    for (int t = 0; t < nt; t += KB_BLOCK) {
        int n = nt - t < KB_BLOCK ? nt - t : KB_BLOCK;
        kb_grads_any(out + t, n, ctx, nb, grad + t, nt, st->gin, t == 0, dim);
    }
}

/* The output rows of a prediction of 'word' into st->rows: its own, then the negatives to
 * use now that differ from it (as in word2vec). Returns their count. */
KERN_ATTR static int kb_targets(const struct model *m, struct update_state *st, int32_t word)
{
    const int32_t *neg = kb_negatives(m, st);
    int nt = 0;
    st->rows[nt++] = word;
    for (int i = 0; i < m->cfg.negative; i++) {
        if (neg[i] != word) {
            st->rows[nt++] = neg[i];
        }
    }
    return nt;
}

/* Skip-gram's batched step for 'nb' context rows (ids st->rows[nt..nt+nb)) against the
 * 'nt' output rows before them: each context row gets its gradient. */
KERN_ATTR static void kb_batch_group(struct model *m, struct update_state *st, int nt, int nb,
                                     float lr)
{
    const int dim = m->cfg.dim;
    float **ctx = st->ptr + nt;
    for (int b = 0; b < nb; b++) {
        ctx[b] = update_in(m, st, st->rows[nt + b]);
    }
    kb_batch_scores(m, st, nt, nb, lr);
    for (int b = 0; b < nb; b++) {
        k_axpy(ctx[b], 1.0f, st->gin + (size_t)b * (size_t)dim, dim);
    }
}

/* Skip-gram with negatives shared by all the context words of one centre word. */
KERN_ATTR static void kb_skipgram_batch(struct model *m, struct update_state *st,
                                        const int32_t *sentence, int len, int pos, float lr)
{
    const int dim = m->cfg.dim;
    int lo;
    int hi;
    update_window(m, st, pos, len, &lo, &hi);
    int32_t word = sentence[pos];
    /* The rows the next centre word will need first: its output row, and the input row
     * that enters the window. */
    if (pos + 1 < len) {
        kb_prefetch(update_out(m, st, sentence[pos + 1]), dim);
    }
    if (pos + m->cfg.window + 1 < len) {
        kb_prefetch(update_in(m, st, sentence[pos + m->cfg.window + 1]), dim);
    }
    int nt = kb_targets(m, st, word);
    int nb = 0;
    for (int j = lo; j <= hi; j++) {
        if (j == pos) {
            continue;
        }
        st->rows[nt + nb++] = sentence[j];
        if (nb == UPDATE_BATCH_MAX) {
            kb_batch_group(m, st, nt, nb, lr);
            nb = 0;
        }
    }
    if (nb > 0) {
        kb_batch_group(m, st, nt, nb, lr);
    }
}

/* Input rows whose addresses kb_mean_ids and kb_spread_ids take at a time. */
#define KB_GATHER 32

/* The input rows of ids[from..n) into p, at most KB_GATHER of them; returns how many. */
KB_INLINE int kb_gather(const struct model *m, const struct update_state *st,
                        const int32_t *ids, int n, int from, float **p)
{
    int nk = n - from < KB_GATHER ? n - from : KB_GATHER;
    for (int k = 0; k < nk; k++) {
        p[k] = update_in(m, st, ids[from + k]);
    }
    return nk;
}

/* h = scale * (the sum of the input rows of the 'n' ids), or h += that with 'add'; with
 * no ids and no 'add', h = 0. */
KERN_ATTR static void kb_mean_ids(const struct model *m, const struct update_state *st,
                                  float *h, const int32_t *ids, int n, float scale, bool add)
{
    float *p[KB_GATHER];
    int k0 = 0;
    do {
        int nk = kb_gather(m, st, ids, n, k0, p);
        kb_sum_rows(h, p, nk, m->cfg.dim, scale, add || k0 > 0);
        k0 += nk;
    } while (k0 < n);
}

/* Adds 'grad' to the input row of each of the 'n' ids. */
KERN_ATTR static void kb_spread_ids(const struct model *m, const struct update_state *st,
                                    const int32_t *ids, int n, const float *grad)
{
    float *p[KB_GATHER];
    for (int k0 = 0; k0 < n; k0 += KB_GATHER) {
        kb_add_rows(p, kb_gather(m, st, ids, n, k0, p), grad, m->cfg.dim);
    }
}

KERN_ATTR static void kb_cbow(struct model *m, struct update_state *st, const int32_t *sentence,
                              int len, int pos, float lr)
{
    const int dim = m->cfg.dim;
    int lo;
    int hi;
    update_window(m, st, pos, len, &lo, &hi);
    if (hi - lo < 1) {
        return; /* no context */
    }
    /* The row that enters the window at the next position is fetched now. */
    if (pos + m->cfg.window + 1 < len) {
        kb_prefetch(update_in(m, st, sentence[pos + m->cfg.window + 1]), dim);
    }
    /* The context is the words before pos and those after it. */
    float inv = 1.0f / (float)(hi - lo);
    kb_mean_ids(m, st, st->neu1, sentence + lo, pos - lo, inv, false);
    kb_mean_ids(m, st, st->neu1, sentence + pos + 1, hi - pos, inv, true);
    const float *grad = st->neu1e;
    if (update_shared(m)) {
        /* all the output rows scored from the same weights, then updated together */
        int nt = kb_targets(m, st, sentence[pos]);
        st->ptr[nt] = st->neu1;
        kb_batch_scores(m, st, nt, 1, lr);
        grad = st->gin;
    } else {
        for (int i = 0; i < dim; i++) {
            st->neu1e[i] = 0.0f;
        }
        kb_predict(m, st, st->neu1, sentence[pos], lr);
    }
    kb_spread_ids(m, st, sentence + lo, pos - lo, grad);
    kb_spread_ids(m, st, sentence + pos + 1, hi - pos, grad);
}

/* Subwords: asks the cache for the input rows of word 'w'. */
KERN_ATTR static void kb_prefetch_word(const struct model *m, const struct update_state *st,
                                       int32_t w)
{
    int nr;
    const int32_t *rows = model_word_rows(m, w, &nr);
    for (int k = 0; k < nr; k++) {
        kb_prefetch(update_in(m, st, rows[k]), m->cfg.dim);
    }
}

/* Predicts 'word' from 'h': in the shared form when it applies, one decision after the
 * other otherwise; the gradient for h is added to st->neu1e. */
KERN_ATTR static void kb_predict_any(struct model *m, struct update_state *st, float *h,
                                     int32_t word, float lr)
{
    if (update_shared(m)) {
        int nt = kb_targets(m, st, word);
        st->ptr[nt] = h;
        kb_batch_scores(m, st, nt, 1, lr);
        k_axpy(st->neu1e, 1.0f, st->gin, m->cfg.dim);
    } else {
        kb_predict(m, st, h, word, lr);
    }
}

/* Skip-gram with subwords: the centre word's vector predicts each context word. */
KERN_ATTR static void kb_skipgram_subwords(struct model *m, struct update_state *st,
                                           const int32_t *sentence, int len, int pos,
                                           float lr)
{
    const int dim = m->cfg.dim;
    int lo;
    int hi;
    update_window(m, st, pos, len, &lo, &hi);
    int nr;
    const int32_t *rows = model_word_rows(m, sentence[pos], &nr);
    /* The next centre word's rows, and the output row of the word entering the window. */
    if (pos + 1 < len) {
        kb_prefetch_word(m, st, sentence[pos + 1]);
    }
    if (pos + m->cfg.window + 1 < len) {
        kb_prefetch(update_out(m, st, sentence[pos + m->cfg.window + 1]), dim);
    }
    bool once = update_shared(m);
    bool composed = false;
    for (int j = lo; j <= hi; j++) {
        if (j == pos) {
            continue;
        }
        if (!once || !composed) {
            kb_mean_ids(m, st, st->neu1, rows, nr, 1.0f / (float)nr, false);
            for (int i = 0; i < dim; i++) {
                st->neu1e[i] = 0.0f;
            }
            composed = true;
        }
        kb_predict_any(m, st, st->neu1, sentence[j], lr);
        if (!once) {
            kb_spread_ids(m, st, rows, nr, st->neu1e);
        }
    }
    if (once && composed) {
        kb_spread_ids(m, st, rows, nr, st->neu1e);
    }
}

/* CBOW with subwords: the mean of all the context words' rows predicts the centre word. */
KERN_ATTR static void kb_cbow_subwords(struct model *m, struct update_state *st,
                                       const int32_t *sentence, int len, int pos, float lr)
{
    const int dim = m->cfg.dim;
    int lo;
    int hi;
    update_window(m, st, pos, len, &lo, &hi);
    if (hi - lo < 1) {
        return; /* no context */
    }
    if (pos + m->cfg.window + 1 < len) {
        kb_prefetch_word(m, st, sentence[pos + m->cfg.window + 1]);
    }
    float *h = st->neu1;
    int64_t count = 0;
    for (int j = lo; j <= hi; j++) {
        if (j != pos) {
            int nr;
            (void)model_word_rows(m, sentence[j], &nr);
            count += nr;
        }
    }
    float inv = 1.0f / (float)count;
    bool add = false;
    for (int j = lo; j <= hi; j++) {
        if (j != pos) {
            int nr;
            const int32_t *rows = model_word_rows(m, sentence[j], &nr);
            kb_mean_ids(m, st, h, rows, nr, inv, add);
            add = true;
        }
    }
    for (int i = 0; i < dim; i++) {
        st->neu1e[i] = 0.0f;
    }
    kb_predict_any(m, st, h, sentence[pos], lr);
    for (int j = lo; j <= hi; j++) {
        if (j != pos) {
            int nr;
            const int32_t *rows = model_word_rows(m, sentence[j], &nr);
            kb_spread_ids(m, st, rows, nr, st->neu1e);
        }
    }
}

/* One loop per objective, so that the choice is made once per stretch of a sentence. */
KERN_ATTR static void kb_sentence(struct model *m, struct update_state *st,
                                  const int32_t *sentence, int len, int from, int to,
                                  float lr)
{
    if (from == 0) {
        update_sentence(st);
    }
    if (m->sub.start != NULL && m->cfg.kind == MODEL_CBOW) {
        for (int i = from; i < to; i++) {
            kb_cbow_subwords(m, st, sentence, len, i, lr);
        }
    } else if (m->sub.start != NULL) {
        for (int i = from; i < to; i++) {
            kb_skipgram_subwords(m, st, sentence, len, i, lr);
        }
    } else if (m->cfg.kind == MODEL_CBOW) {
        for (int i = from; i < to; i++) {
            kb_cbow(m, st, sentence, len, i, lr);
        }
    } else if (update_shared(m)) {
        for (int i = from; i < to; i++) {
            kb_skipgram_batch(m, st, sentence, len, i, lr);
        }
    } else {
        for (int i = from; i < to; i++) {
            kb_skipgram_pairs(m, st, sentence, len, i, lr);
        }
    }
}

const struct update_kernels KERN_TABLE = {KERN_NAME, kb_sentence};
