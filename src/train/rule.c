/* rule: the learning rule, one position of a sentence at a time.
 *
 * Notation: in[w] is word w's input row (the word vector written out), out[w] its output
 * row for negative sampling, node[k] the row of inner node k of the Huffman tree of
 * hierarchical softmax, s the logistic function (sigmoid.h's table), lr the learning rate.
 *
 * A prediction of word w from an input vector h is a set of logistic decisions, each on an
 * output row v with a label y:
 *   negative sampling: (out[w], 1), then (out[n], 0) for each of the cfg.negative words n
 *     drawn from the unigram distribution raised to cfg.ns_exponent (a draw equal to w is
 *     skipped, as word2vec does);
 *   hierarchical softmax (first, when both are on): (node[p_k], 1 - c_k) along the path
 *     p_1..p_L from the root to w's leaf, c_k the branch taken.
 * One decision:  g = (y - s(h . v)) * lr;   grad_h += g * v;   v += g * h.
 * When the prediction's decisions are made, the rows that h came from take grad_h.
 * (Mikolov et al. 2013, "Distributed Representations of Words and Phrases and their
 * Compositionality": eq. 4 for negative sampling, section 2.1 for hierarchical softmax;
 * the gradient ascends the log-likelihood, as word2vec's code does.)
 *
 * The window of position i: a half-width r drawn from 1..cfg.window (all of it with
 * cfg.fixed_window); the contexts are the other positions within r of i in the sentence.
 * Skip-gram: every context c predicts the centre word w from h = in[c]; in[c] += grad_h
 *   (word2vec's arrangement: the context's row is the input).
 * CBOW: h = the mean of in[c] over the contexts predicts w; every in[c] += grad_h, not
 *   divided by their number (as word2vec).
 * Shared form (cfg.batch, negative sampling without hierarchical softmax): a prediction's
 *   decisions are all scored from the weights as they were before any of them is applied;
 *   skip-gram also draws the negatives once per centre word, for all its contexts, and
 *   scores its contexts in groups of UPDATE_BATCH_MAX against the same rows (Ji et al.
 *   2016, "Parallelizing Word2Vec in Shared and Distributed Memory"). The output rows are
 *   then applied in blocks of UPDATE_BLOCK, in turn: a block's rows give the inputs their
 *   gradient as the rows stand before the block is applied, then take their own. Only a
 *   negative drawn twice, once in each of two blocks, sees the other's change: with
 *   -negative 7 or fewer there is one block. With cfg.batch N > 1, one draw of negatives
 *   serves N centre words in a row (with subword skip-gram, N contexts), each scored and
 *   applied in turn as above; a sentence's first centre word draws afresh.
 * Subwords (cfg.maxn > 0; Bojanowski et al. 2017, "Enriching Word Vectors with Subword
 *   Information"): a word's input vector is the mean of its rows, its own and its
 *   character n-grams' (model.h, struct subwords), and each of those rows takes the whole
 *   gradient (as fastText does for word vectors). The arrangement is fastText's:
 *   skip-gram: the centre word's vector h predicts each context word c (out[c] is the
 *     positive output row); per-row form (batch 0, fastText's order): h is composed and
 *     its rows take the gradient for each context in turn; shared form (batch 1): h is
 *     composed once per centre word, each context's prediction is scored as in CBOW's
 *     shared form, and the rows take the sum of the contexts' gradients at the end;
 *   CBOW: h is the mean of all the rows of all the contexts (a word's rows weigh as many
 *     as it has), predicts the centre word, and every one of those rows takes the
 *     gradient.
 * Random draws come from the thread's stream in the kernels' order: the window, then the
 * negatives of each prediction, drawn one prediction ahead (update_negatives). */
#include "train/rule.h"

#include <string.h>

/* h . v in double, the most exact statement of the score. */
static double dot(const float *h, const float *v, int dim)
{
    double s = 0.0;
    for (int i = 0; i < dim; i++) {
        s += (double)h[i] * (double)v[i];
    }
    return s;
}

/* One logistic decision of input vector 'h' on output row 'v' toward 'y'. */
static void decide(const struct model *m, struct update_state *st, const float *h, float *v,
                   float y, float lr, float *grad_h)
{
    int dim = m->cfg.dim;
    float g = update_gradient(m, st, (float)dot(h, v, dim), y, lr);
    for (int i = 0; i < dim; i++) {
        grad_h[i] += g * v[i];
    }
    for (int i = 0; i < dim; i++) {
        v[i] += g * h[i];
    }
}

/* Predicts 'w' from 'h', one decision after the other; the gradient for h goes to grad_h. */
static void predict(const struct model *m, struct update_state *st, const float *h, int32_t w,
                    float lr, float *grad_h)
{
    if (m->cfg.hs) {
        const struct huffman *t = &m->huff;
        for (int k = 0; k < t->len[w]; k++) {
            int64_t at = t->start[w] + k;
            decide(m, st, h, update_node(m, st, t->point[at]), (float)(1 - t->code[at]), lr,
                   grad_h);
        }
    }
    if (m->cfg.negative > 0) {
        const int32_t *neg = update_negatives(m, st);
        decide(m, st, h, update_out(m, st, w), 1.0f, lr, grad_h);
        for (int d = 0; d < m->cfg.negative; d++) {
            if (neg[d] != w) {
                decide(m, st, h, update_out(m, st, neg[d]), 0.0f, lr, grad_h);
            }
        }
    }
    st->pairs++;
}

/* The shared form's output rows of a prediction of 'w' into st->rows: out[w], then the
 * negatives that differ from w. Returns their number. */
static int shared_targets(const struct model *m, struct update_state *st, int32_t w)
{
    const int32_t *neg = update_negatives(m, st);
    int nt = 0;
    st->rows[nt++] = w;
    for (int d = 0; d < m->cfg.negative; d++) {
        if (neg[d] != w) {
            st->rows[nt++] = neg[d];
        }
    }
    return nt;
}

/* The shared form: the 'nb' input vectors h[b] against the 'nt' output rows of st->rows
 * (the first one the positive), every score from the weights as they are now; then, block
 * by block, h[b]'s gradient gains the block's rows' terms (left in st->gin + b * dim) and
 * each row of the block takes its gradient (a row listed twice takes both). */
static void decide_shared(const struct model *m, struct update_state *st, float *const *h,
                          int nb, int nt, float lr)
{
    int dim = m->cfg.dim;
    float *g = st->grad;
    for (int b = 0; b < nb; b++) {
        for (int t = 0; t < nt; t++) {
            double f = dot(h[b], update_out(m, st, st->rows[t]), dim);
            g[b * nt + t] = update_gradient(m, st, (float)f, t == 0 ? 1.0f : 0.0f, lr);
        }
    }
    memset(st->gin, 0, (size_t)nb * (size_t)dim * sizeof *st->gin);
    for (int t0 = 0; t0 < nt; t0 += UPDATE_BLOCK) {
        int t1 = nt - t0 < UPDATE_BLOCK ? nt : t0 + UPDATE_BLOCK;
        for (int b = 0; b < nb; b++) {
            float *gin = st->gin + (size_t)b * (size_t)dim;
            for (int t = t0; t < t1; t++) {
                const float *v = update_out(m, st, st->rows[t]);
                for (int i = 0; i < dim; i++) {
                    gin[i] += g[b * nt + t] * v[i];
                }
            }
        }
        for (int t = t0; t < t1; t++) {
            float *v = update_out(m, st, st->rows[t]);
            for (int b = 0; b < nb; b++) {
                for (int i = 0; i < dim; i++) {
                    v[i] += g[b * nt + t] * h[b][i];
                }
            }
        }
    }
    st->pairs += nb;
}

static void add_row(float *row, const float *grad, int dim)
{
    for (int i = 0; i < dim; i++) {
        row[i] += grad[i];
    }
}

/* Adds the 'nr' rows 'rows' to 'h'. */
static void add_rows(const struct model *m, const struct update_state *st, float *h,
                     const int32_t *rows, int nr)
{
    for (int k = 0; k < nr; k++) {
        add_row(h, update_in(m, st, rows[k]), m->cfg.dim);
    }
}

/* Adds 'grad' to each of the 'nr' rows 'rows'. */
static void spread(const struct model *m, const struct update_state *st, const int32_t *rows,
                   int nr, const float *grad)
{
    for (int k = 0; k < nr; k++) {
        add_row(update_in(m, st, rows[k]), grad, m->cfg.dim);
    }
}

static void scale(float *h, int count, int dim)
{
    float inv = 1.0f / (float)count;
    for (int i = 0; i < dim; i++) {
        h[i] *= inv;
    }
}

/* Predicts 'w' from 'h' in the shared form when it applies (negatives without
 * hierarchical softmax), one decision after the other otherwise; the gradient for h is
 * added to 'grad'. */
static void predict_any(const struct model *m, struct update_state *st, float *h, int32_t w,
                        float lr, float *grad)
{
    if (update_shared(m)) {
        int nt = shared_targets(m, st, w);
        decide_shared(m, st, &h, 1, nt, lr);
        add_row(grad, st->gin, m->cfg.dim);
    } else {
        predict(m, st, h, w, lr, grad);
    }
}

static void skipgram_subwords(struct model *m, struct update_state *st, const int32_t *sent,
                              int len, int pos, float lr)
{
    int dim = m->cfg.dim;
    int lo;
    int hi;
    update_window(m, st, pos, len, &lo, &hi);
    int nr;
    const int32_t *rows = model_word_rows(m, sent[pos], &nr);
    float *h = st->neu1;
    float *grad = st->neu1e;
    bool once = update_shared(m);
    bool composed = false;
    for (int j = lo; j <= hi; j++) {
        if (j == pos) {
            continue;
        }
        if (!once || !composed) {
            memset(h, 0, (size_t)dim * sizeof *h);
            add_rows(m, st, h, rows, nr);
            scale(h, nr, dim);
            memset(grad, 0, (size_t)dim * sizeof *grad);
            composed = true;
        }
        predict_any(m, st, h, sent[j], lr, grad);
        if (!once) {
            spread(m, st, rows, nr, grad);
        }
    }
    if (once && composed) {
        spread(m, st, rows, nr, grad);
    }
}

static void cbow_subwords(struct model *m, struct update_state *st, const int32_t *sent,
                          int len, int pos, float lr)
{
    int dim = m->cfg.dim;
    int lo;
    int hi;
    update_window(m, st, pos, len, &lo, &hi);
    if (hi - lo < 1) {
        return; /* no context */
    }
    float *h = st->neu1;
    memset(h, 0, (size_t)dim * sizeof *h);
    int count = 0;
    for (int j = lo; j <= hi; j++) {
        if (j != pos) {
            int nr;
            const int32_t *rows = model_word_rows(m, sent[j], &nr);
            add_rows(m, st, h, rows, nr);
            count += nr;
        }
    }
    scale(h, count, dim);
    float *grad = st->neu1e;
    memset(grad, 0, (size_t)dim * sizeof *grad);
    predict_any(m, st, h, sent[pos], lr, grad);
    for (int j = lo; j <= hi; j++) {
        if (j != pos) {
            int nr;
            const int32_t *rows = model_word_rows(m, sent[j], &nr);
            spread(m, st, rows, nr, grad);
        }
    }
}

static void skipgram(struct model *m, struct update_state *st, const int32_t *sent, int len,
                     int pos, float lr)
{
    int dim = m->cfg.dim;
    int lo;
    int hi;
    update_window(m, st, pos, len, &lo, &hi);
    for (int j = lo; j <= hi; j++) {
        if (j != pos) {
            float *h = update_in(m, st, sent[j]);
            memset(st->neu1e, 0, (size_t)dim * sizeof *st->neu1e);
            predict(m, st, h, sent[pos], lr, st->neu1e);
            add_row(h, st->neu1e, dim);
        }
    }
}

static void skipgram_shared(struct model *m, struct update_state *st, const int32_t *sent,
                            int len, int pos, float lr)
{
    int dim = m->cfg.dim;
    int lo;
    int hi;
    update_window(m, st, pos, len, &lo, &hi);
    int nt = shared_targets(m, st, sent[pos]);
    float **h = st->ptr;
    int nb = 0;
    for (int j = lo; j <= hi; j++) {
        if (j != pos) {
            h[nb++] = update_in(m, st, sent[j]);
        }
        if (nb == UPDATE_BATCH_MAX || (nb > 0 && j == hi)) {
            decide_shared(m, st, h, nb, nt, lr);
            for (int b = 0; b < nb; b++) {
                add_row(h[b], st->gin + (size_t)b * (size_t)dim, dim);
            }
            nb = 0;
        }
    }
}

static void cbow(struct model *m, struct update_state *st, const int32_t *sent, int len,
                 int pos, float lr)
{
    int dim = m->cfg.dim;
    int lo;
    int hi;
    update_window(m, st, pos, len, &lo, &hi);
    if (hi - lo < 1) {
        return; /* no context */
    }
    float *h = st->neu1;
    memset(h, 0, (size_t)dim * sizeof *h);
    for (int j = lo; j <= hi; j++) {
        if (j != pos) {
            add_row(h, update_in(m, st, sent[j]), dim);
        }
    }
    float inv = 1.0f / (float)(hi - lo);
    for (int i = 0; i < dim; i++) {
        h[i] *= inv;
    }
    const float *grad = st->neu1e;
    if (update_shared(m)) {
        int nt = shared_targets(m, st, sent[pos]);
        decide_shared(m, st, &h, 1, nt, lr);
        grad = st->gin;
    } else {
        memset(st->neu1e, 0, (size_t)dim * sizeof *st->neu1e);
        predict(m, st, h, sent[pos], lr, st->neu1e);
    }
    for (int j = lo; j <= hi; j++) {
        if (j != pos) {
            add_row(update_in(m, st, sent[j]), grad, dim);
        }
    }
}

static void rule_sentence(struct model *m, struct update_state *st, const int32_t *sent,
                          int len, int from, int to, float lr)
{
    if (from == 0) {
        update_sentence(st);
    }
    for (int pos = from; pos < to; pos++) {
        if (m->sub.start != NULL) {
            if (m->cfg.kind == MODEL_CBOW) {
                cbow_subwords(m, st, sent, len, pos, lr);
            } else {
                skipgram_subwords(m, st, sent, len, pos, lr);
            }
        } else if (m->cfg.kind == MODEL_CBOW) {
            cbow(m, st, sent, len, pos, lr);
        } else if (update_shared(m)) {
            skipgram_shared(m, st, sent, len, pos, lr);
        } else {
            skipgram(m, st, sent, len, pos, lr);
        }
    }
}

const struct update_kernels rule_kernels = {"rule", rule_sentence};
