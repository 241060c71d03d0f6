/* Unit tests of the rule (rule.c) against the mathematics it states: its step moves the
 * rows along the gradient of the log-likelihood (checked by finite differences with the
 * exact logistic function), so that one step lowers the loss of the position it trained,
 * for every model and objective; CBOW's shared form equals its per-row form when no
 * negative repeats; with -batch N a draw of negatives serves N predictions in a row. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "fixture.h"
#include "harness.h"
#include "train/model.h"
#include "train/rule.h"
#include "train/update.h"

#define T_WORDS 12
#define T_DIM 16

static struct model make(enum model_kind kind, int negative, bool hs)
{
    int64_t counts[T_WORDS];
    for (int i = 0; i < T_WORDS; i++) {
        counts[i] = 100 - 7 * i;
    }
    struct train_config c = fx_config(kind, T_DIM, negative, hs);
    struct model m;
    struct w2v_err err;
    CHECK_EQ(model_new(&m, &c, counts, NULL, T_WORDS, NULL, &err), 0);
    /* Random output weights and larger inputs, so that every product has a gradient. */
    struct rng r;
    rng_seed(&r, 11, 1);
    for (int i = 0; i < T_WORDS * T_DIM; i++) {
        if (m.out_ns != NULL) {
            m.out_ns[i] = rng_uniform(&r) - 0.5f;
        }
        if (m.out_hs != NULL && i < (T_WORDS - 1) * T_DIM) {
            m.out_hs[i] = rng_uniform(&r) - 0.5f;
        }
        m.in[i] *= 20.0f;
    }
    return m;
}

/* Trains position 'pos' of 'sent' with the rule at rate 'lr', its random draws from
 * 'draws'; returns the loss of that position's decisions. */
static double step(struct model *m, const struct rng *draws, const int32_t *sent, int len,
                   int pos, float lr)
{
    struct update_state st;
    struct w2v_err err;
    CHECK_EQ(update_state_init(&st, &m->cfg, 0, 0, &err), 0);
    st.rng = *draws;
    rule_kernels.sentence(m, &st, sent, len, pos, pos + 1, lr);
    CHECK(!st.diverged);
    double loss = st.loss;
    update_state_free(&st);
    return loss;
}

static void lowers_loss(enum model_kind kind, int negative, bool hs)
{
    struct model m = make(kind, negative, hs);
    int32_t sent[] = {3, 5, 1, 7, 2, 9, 4};
    struct rng draws;
    rng_seed(&draws, 5, 2);
    for (int pos = 0; pos < 7; pos++) {
        double before = step(&m, &draws, sent, 7, pos, 0.0f);
        step(&m, &draws, sent, 7, pos, 0.05f);
        double after = step(&m, &draws, sent, 7, pos, 0.0f);
        if (!(after < before)) {
            fprintf(stderr, "  kind %d neg %d hs %d pos %d: loss %.6f -> %.6f\n", kind,
                    negative, hs, pos, before, after);
        }
        CHECK(after < before);
        CHECK(before > 0.0);
    }
    model_free(&m);
}

static void test_step_sg_ns(void) { lowers_loss(MODEL_SKIPGRAM, 5, false); }
static void test_step_sg_hs(void) { lowers_loss(MODEL_SKIPGRAM, 0, true); }
static void test_step_cbow_ns(void) { lowers_loss(MODEL_CBOW, 5, false); }
static void test_step_cbow_hs(void) { lowers_loss(MODEL_CBOW, 0, true); }
static void test_step_both(void) { lowers_loss(MODEL_SKIPGRAM, 3, true); }

/* The log-likelihood of one skip-gram prediction with negative sampling, with the exact
 * logistic function: log s(h . out[w]) + sum over the negatives n != w of log s(-h . out[n]). */
static double loglik(const float *h, const struct model *m, int32_t w, const int32_t *neg,
                     int nneg)
{
    double l = 0.0;
    for (int k = -1; k < nneg; k++) {
        int32_t t = k < 0 ? w : neg[k];
        if (k >= 0 && t == w) {
            continue;
        }
        double f = 0.0;
        for (int i = 0; i < T_DIM; i++) {
            f += (double)h[i] * (double)m->out_ns[(size_t)t * T_DIM + i];
        }
        l += k < 0 ? -log1p(exp(-f)) : -log1p(exp(f));
    }
    return l;
}

/* A skip-gram step with one context word moves that word's input row by lr times the
 * gradient of the log-likelihood, found here by central differences, up to the sigmoid
 * table's error (at most a quarter step, 0.003, times the slope 1/4 of the logistic
 * function, times an output row's entries below 0.5, for each of the six decisions). With
 * a fixed window nothing is drawn for it: the first draws are the prediction's negatives. */
static void test_gradient(void)
{
    struct model m = make(MODEL_SKIPGRAM, 5, false);
    m.cfg.window = 1;
    m.cfg.fixed_window = true;
    for (int i = 0; i < T_WORDS * T_DIM; i++) {
        m.in[i] *= 0.05f; /* scores inside the table's range */
    }
    int32_t sent[] = {4, 6};
    struct rng draws;
    rng_seed(&draws, 9, 4);
    struct rng r = draws;
    int32_t neg[5];
    for (int k = 0; k < 5; k++) {
        neg[k] = unigram_draw(&m.uni, &r);
    }
    float h[T_DIM];
    memcpy(h, m.in + 6 * T_DIM, sizeof h);
    double grad[T_DIM];
    const double eps = 1e-3;
    for (int i = 0; i < T_DIM; i++) {
        float up[T_DIM];
        float down[T_DIM];
        memcpy(up, h, sizeof up);
        memcpy(down, h, sizeof down);
        up[i] += (float)eps;
        down[i] -= (float)eps;
        grad[i] = (loglik(up, &m, 4, neg, 5) - loglik(down, &m, 4, neg, 5)) /
                  ((double)up[i] - (double)down[i]);
    }
    const float lr = 0.01f;
    step(&m, &draws, sent, 2, 0, lr); /* centre 4 at position 0, context 6 */
    double worst = 0.0;
    double size = 0.0;
    for (int i = 0; i < T_DIM; i++) {
        double moved = ((double)m.in[6 * T_DIM + i] - (double)h[i]) / (double)lr;
        worst = fmax(worst, fabs(moved - grad[i]));
        size = fmax(size, fabs(grad[i]));
    }
    CHECK(size > 0.05);          /* a gradient worth checking */
    CHECK(worst < 0.005);
    model_free(&m);
}

/* CBOW's shared form (every decision scored before any is applied) leaves the model as
 * its per-row form does when no negative repeats: with one negative, none can. */
static void test_cbow_shared_equals_rows(void)
{
    struct model m[2];
    int32_t sent[] = {3, 5, 1, 7, 2, 9, 4, 8, 6, 10};
    for (int batch = 0; batch <= 1; batch++) {
        m[batch] = make(MODEL_CBOW, 1, false);
        m[batch].cfg.batch = batch;
        struct rng draws;
        rng_seed(&draws, 1, 0);
        struct update_state st;
        struct w2v_err err;
        CHECK_EQ(update_state_init(&st, &m[batch].cfg, 0, 0, &err), 0);
        st.rng = draws;
        rule_kernels.sentence(&m[batch], &st, sent, 10, 0, 10, 0.05f);
        update_state_free(&st);
    }
    double d = 0.0;
    for (int i = 0; i < T_WORDS * T_DIM; i++) {
        d = fmax(d, fabs((double)m[0].in[i] - (double)m[1].in[i]));
        d = fmax(d, fabs((double)m[0].out_ns[i] - (double)m[1].out_ns[i]));
    }
    CHECK(d < 1e-5);
    struct model start = make(MODEL_CBOW, 1, false);
    double moved = 0.0;
    for (int i = 0; i < T_WORDS * T_DIM; i++) {
        moved = fmax(moved, fabs((double)m[1].out_ns[i] - (double)start.out_ns[i]));
    }
    CHECK(moved > 1e-3);
    model_free(&start);
    model_free(&m[0]);
    model_free(&m[1]);
}

/* The negatives of 'calls' predictions in a row with cfg.batch 'batch', a sentence
 * starting before call 'restart' (none if negative): the ids of each call into ids[call],
 * the random state after it into state[call]. */
#define T_CALLS 8
#define T_NEGS 4
static void draw_calls(int batch, int restart, int32_t ids[][T_NEGS], uint64_t *state)
{
    struct model m = make(MODEL_CBOW, T_NEGS, false);
    m.cfg.batch = batch;
    struct update_state st;
    struct w2v_err err;
    CHECK_EQ(update_state_init(&st, &m.cfg, 5, 0, &err), 0);
    int left = 0; /* calls still to take the batch in use */
    for (int c = 0; c < T_CALLS; c++) {
        if (c == restart) {
            update_sentence(&st);
            left = 0;
        }
        CHECK_EQ(update_draws(&st), left == 0);
        left = left > 0 ? left - 1 : batch > 1 ? batch - 1 : 0;
        memcpy(ids[c], update_negatives(&m, &st), sizeof ids[c]);
        state[c] = st.rng.state;
    }
    update_state_free(&st);
    model_free(&m);
}

/* -batch 3: calls 0-2 take the first draw, 3-5 the second, 6-7 the third; the draws are
 * -batch 1's first three, in order, and no random number is taken between them. A
 * sentence starting at call 4 draws there. */
static void test_batch_shares_negatives(void)
{
    int32_t one[T_CALLS][T_NEGS], three[T_CALLS][T_NEGS], restarted[T_CALLS][T_NEGS];
    uint64_t s1[T_CALLS], s3[T_CALLS], sr[T_CALLS];
    draw_calls(1, -1, one, s1);
    draw_calls(3, -1, three, s3);
    draw_calls(3, 4, restarted, sr);
    for (int c = 0; c < T_CALLS; c++) {
        CHECK(memcmp(three[c], one[c / 3], sizeof one[0]) == 0);
        CHECK_EQ(s3[c], s1[c / 3]);
    }
    CHECK(memcmp(one[0], one[1], sizeof one[0]) != 0); /* the draws do differ */
    CHECK(memcmp(restarted[3], one[1], sizeof one[0]) == 0);
    CHECK(memcmp(restarted[4], one[2], sizeof one[0]) == 0);
    CHECK(memcmp(restarted[6], one[2], sizeof one[0]) == 0);
    CHECK(memcmp(restarted[7], one[3], sizeof one[0]) == 0);
    CHECK_EQ(sr[7], s1[3]);
}

int main(void)
{
    log_set_level(LOG_QUIET);
    RUN(test_step_sg_ns);
    RUN(test_step_sg_hs);
    RUN(test_step_cbow_ns);
    RUN(test_step_cbow_hs);
    RUN(test_step_both);
    RUN(test_gradient);
    RUN(test_cbow_shared_equals_rows);
    RUN(test_batch_shares_negatives);
    TEST_MAIN("rule");
}
