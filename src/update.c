/* update: the training kernels. Skip-gram predicts the centre word from each context word
 * in turn; CBOW predicts it from the average of the context vectors and adds the same
 * gradient to each context vector (as word2vec does). Both objectives share the two
 * output steps below. Hogwild: the unsynchronised writes to the weights are intentional
 * (see update.h). */
#include "update.h"

#include <stddef.h>

#include "vec.h"

/* Negative sampling for input vector 'l1' predicting 'word': one positive and
 * cfg.negative sampled negatives (a draw equal to 'word' is skipped, as in word2vec). */
static void step_negative(struct model *m, struct update_state *st, const float *l1,
                          int32_t word, float lr)
{
    const int dim = m->cfg.dim;
    const struct sigmoid *sig = &m->sig;
    for (int d = 0; d <= m->cfg.negative; d++) {
        int32_t target = word;
        float label = 1.0f;
        if (d > 0) {
            target = unigram_draw(&m->uni, &st->rng);
            if (target == word) {
                continue;
            }
            label = 0.0f;
        }
        float *l2 = m->out_ns + (size_t)target * (size_t)dim;
        float f = vec_dot(l1, l2, dim);
        if (f != f) {
            st->diverged = true;
        }
        int idx = sigmoid_index(sig, f);
        /* Loss of the positive is -log s(f); of a negative, -log s(-f), the mirrored entry. */
        st->loss += (double)(d == 0 ? sig->logv[idx] : sig->logv[SIGMOID_SIZE - idx]);
        float g = (label - sig->value[idx]) * lr;
        vec_step(st->neu1e, l2, l1, g, dim);
    }
}

/* Hierarchical softmax: one binary decision per inner node on the path to 'word'. */
static void step_hsoftmax(struct model *m, struct update_state *st, const float *l1,
                          int32_t word, float lr)
{
    const int dim = m->cfg.dim;
    const struct sigmoid *sig = &m->sig;
    const struct huffman *h = &m->huff;
    int64_t start = h->start[word];
    int len = h->len[word];
    for (int k = 0; k < len; k++) {
        float *l2 = m->out_hs + (size_t)h->point[start + k] * (size_t)dim;
        float f = vec_dot(l1, l2, dim);
        if (f != f) {
            st->diverged = true;
        }
        int idx = sigmoid_index(sig, f);
        /* Code 0 means the branch whose probability is s(f) (word2vec's convention). */
        int code = h->code[start + k];
        st->loss += (double)(code == 0 ? sig->logv[idx] : sig->logv[SIGMOID_SIZE - idx]);
        float g = ((float)(1 - code) - sig->value[idx]) * lr;
        vec_step(st->neu1e, l2, l1, g, dim);
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
