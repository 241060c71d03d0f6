/* update: the training kernels. Skip-gram predicts the centre word from each context word
 * in turn; CBOW predicts it from the average of the context vectors and adds the same
 * gradient to each context vector (as word2vec does). Both objectives share the two
 * output steps below. Hogwild: the unsynchronised writes to the weights are intentional
 * (see update.h). */
#include "update.h"

#include <stddef.h>

#include "vec.h"

/* Floats in one 64-byte cache line. */
#define UPDATE_FLOATS_PER_LINE 16

/* Asks the cache for the 'dim' floats at 'row'; training reads rows at random, and
 * fetching the sampled rows ahead of use hides most of the memory latency. */
static inline void prefetch_row(const float *row, int dim)
{
#if defined(__GNUC__)
    for (int i = 0; i < dim; i += UPDATE_FLOATS_PER_LINE) {
        __builtin_prefetch(row + i, 1, 3);
    }
#else
    (void)row;
    (void)dim;
#endif
}

/* One logistic regression step of 'l1' against output row 'l2' toward 'label'. */
static inline void step_row(struct model *m, struct update_state *st, const float *l1,
                            float *l2, float label, float lr)
{
    const struct sigmoid *sig = &m->sigmoid;
    float f = vec_dot(l1, l2, m->cfg.dim);
    if (f != f) {
        st->diverged = true;
    }
    int idx = sigmoid_index(sig, f);
    /* The loss is -log s(f) toward 1 and -log s(-f), the mirrored entry, toward 0. */
    st->loss += (double)(label > 0.5f ? sig->logv[idx] : sig->logv[SIGMOID_SIZE - idx]);
    float g = (label - sig->value[idx]) * lr;
    vec_step(st->neu1e, l2, l1, g, m->cfg.dim);
}

/* Draws cfg.negative word ids into 'out' and starts fetching their rows. */
static void draw_negatives(struct model *m, struct update_state *st, int32_t *out)
{
    const int dim = m->cfg.dim;
    for (int d = 0; d < m->cfg.negative; d++) {
        out[d] = unigram_draw(&m->uni, &st->rng);
        prefetch_row(m->out_ns + (size_t)out[d] * (size_t)dim, dim);
    }
}

/* Negative sampling for input vector 'l1' predicting 'word': one positive and
 * cfg.negative sampled negatives (a draw equal to 'word' is skipped, as in word2vec).
 * Negatives are drawn one prediction ahead: while this prediction is computed, the rows
 * of the next one's negatives are on their way from memory. */
static void step_negative(struct model *m, struct update_state *st, const float *l1,
                          int32_t word, float lr)
{
    const int dim = m->cfg.dim;
    const int neg = m->cfg.negative;
    if (!st->primed) {
        draw_negatives(m, st, st->targets);
        st->primed = true;
    }
    int32_t *now = st->targets + (size_t)st->half * (size_t)neg;
    st->half ^= 1;
    draw_negatives(m, st, st->targets + (size_t)st->half * (size_t)neg);
    step_row(m, st, l1, m->out_ns + (size_t)word * (size_t)dim, 1.0f, lr);
    for (int i = 0; i < neg; i++) {
        if (now[i] != word) {
            step_row(m, st, l1, m->out_ns + (size_t)now[i] * (size_t)dim, 0.0f, lr);
        }
    }
}

/* Hierarchical softmax: one binary decision per inner node on the path to 'word'. */
static void step_hsoftmax(struct model *m, struct update_state *st, const float *l1,
                          int32_t word, float lr)
{
    const int dim = m->cfg.dim;
    const struct huffman *h = &m->huff;
    const int32_t *point = h->point + h->start[word];
    const uint8_t *code = h->code + h->start[word];
    int len = h->len[word];
    for (int k = 0; k < len; k++) {
        prefetch_row(m->out_hs + (size_t)point[k] * (size_t)dim, dim);
    }
    /* Code 0 is the branch with probability s(f), so its label is 1 (word2vec's way). */
    for (int k = 0; k < len; k++) {
        step_row(m, st, l1, m->out_hs + (size_t)point[k] * (size_t)dim, (float)(1 - code[k]),
                 lr);
    }
}

/* Half-width of the window around a position: random in 1..window unless fixed. */
static int reach_of(const struct model *m, struct update_state *st)
{
    int w = m->cfg.window;
    return m->cfg.fixed_window ? w : w - (int)rng_below(&st->rng, (uint32_t)w);
}

static void predict(struct model *m, struct update_state *st, const float *l1, int32_t word,
                    float lr)
{
    if (m->cfg.hs) {
        step_hsoftmax(m, st, l1, word, lr);
    }
    if (m->cfg.negative > 0) {
        step_negative(m, st, l1, word, lr);
    }
    st->pairs++;
}

void update_skipgram(struct model *m, struct update_state *st, const int32_t *sentence,
                     int len, int pos, float lr)
{
    const int dim = m->cfg.dim;
    int reach = reach_of(m, st);
    int lo = pos - reach < 0 ? 0 : pos - reach;
    int hi = pos + reach >= len ? len - 1 : pos + reach;
    int32_t word = sentence[pos];
    for (int j = lo; j <= hi; j++) {
        if (j == pos) {
            continue;
        }
        float *l1 = m->in + (size_t)sentence[j] * (size_t)dim;
        if (j < hi) {
            prefetch_row(m->in + (size_t)sentence[j + 1] * (size_t)dim, dim);
        }
        vec_zero(st->neu1e, dim);
        predict(m, st, l1, word, lr);
        vec_axpy(l1, 1.0f, st->neu1e, dim);
    }
}

void update_cbow(struct model *m, struct update_state *st, const int32_t *sentence, int len,
                 int pos, float lr)
{
    const int dim = m->cfg.dim;
    int reach = reach_of(m, st);
    int lo = pos - reach < 0 ? 0 : pos - reach;
    int hi = pos + reach >= len ? len - 1 : pos + reach;
    if (hi - lo < 1) {
        return; /* no context */
    }
    /* The row that enters the window at the next position is fetched now. */
    if (pos + m->cfg.window + 1 < len) {
        prefetch_row(m->in + (size_t)sentence[pos + m->cfg.window + 1] * (size_t)dim, dim);
    }
    vec_zero(st->neu1, dim);
    for (int j = lo; j <= hi; j++) {
        if (j != pos) {
            vec_axpy(st->neu1, 1.0f, m->in + (size_t)sentence[j] * (size_t)dim, dim);
        }
    }
    vec_scale(st->neu1, 1.0f / (float)(hi - lo), dim);
    vec_zero(st->neu1e, dim);
    predict(m, st, st->neu1, sentence[pos], lr);
    for (int j = lo; j <= hi; j++) {
        if (j != pos) {
            vec_axpy(m->in + (size_t)sentence[j] * (size_t)dim, 1.0f, st->neu1e, dim);
        }
    }
}
