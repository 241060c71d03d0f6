/* Unit tests of the update kernels and of learning as a whole: one step lowers the loss
 * for every model and objective, and training recovers a planted structure. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text/corpus.h"
#include "harness.h"
#include "train/model.h"
#include "base/rng.h"
#include "train/train.h"
#include "train/update.h"
#include "text/vocab.h"

static struct train_config config(enum model_kind kind, int negative, bool hs)
{
    struct train_config c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.dim = 16;
    c.window = 3;
    c.negative = negative;
    c.hs = hs;
    c.sample = 0.0;
    c.iter = 5;
    c.alpha = kind == MODEL_CBOW ? 0.05 : 0.025;
    c.threads = 1;
    c.seed = 3;
    c.ns_exponent = 0.75;
    return c;
}

/* Loss of one update at 'pos' with fixed random draws, at rate 'lr'. */
static double loss_at(struct model *m, const struct rng *draws, const int32_t *sent, int len,
                      int pos, float lr)
{
    struct update_state st;
    memset(&st, 0, sizeof st);
    st.rng = *draws;
    float buf[64];
    st.neu1 = buf;
    st.neu1e = buf + 32;
    int32_t targets[32];
    st.targets = targets;
    if (m->cfg.kind == MODEL_CBOW) {
        update_cbow(m, &st, sent, len, pos, lr);
    } else {
        update_skipgram(m, &st, sent, len, pos, lr);
    }
    CHECK(!st.diverged);
    return st.loss;
}

static void one_step(enum model_kind kind, int negative, bool hs)
{
    int64_t counts[12];
    for (int i = 0; i < 12; i++) {
        counts[i] = 100 - 7 * i;
    }
    struct train_config c = config(kind, negative, hs);
    struct model m;
    struct w2v_err err;
    CHECK_EQ(model_new(&m, &c, counts, 12, NULL, &err), 0);
    /* Random output weights too, so that both sides of every product have a gradient. */
    struct rng r;
    rng_seed(&r, 11, 1);
    for (int i = 0; i < 12 * c.dim; i++) {
        if (m.out_ns != NULL) {
            m.out_ns[i] = rng_uniform(&r) - 0.5f;
        }
        if (m.out_hs != NULL && i < 11 * c.dim) {
            m.out_hs[i] = rng_uniform(&r) - 0.5f;
        }
        m.in[i] *= 20.0f;
    }
    int32_t sent[] = {3, 5, 1, 7, 2, 9, 4};
    struct rng draws;
    rng_seed(&draws, 5, 2);
    for (int pos = 0; pos < 7; pos++) {
        double before = loss_at(&m, &draws, sent, 7, pos, 0.0f);
        loss_at(&m, &draws, sent, 7, pos, 0.05f);
        double after = loss_at(&m, &draws, sent, 7, pos, 0.0f);
        if (!(after < before)) {
            fprintf(stderr, "  kind %d neg %d hs %d pos %d: loss %.6f -> %.6f\n", kind, negative,
                    hs, pos, before, after);
        }
        CHECK(after < before);
        CHECK(before > 0.0);
    }
    model_free(&m);
}

static void test_step_sg_ns(void) { one_step(MODEL_SKIPGRAM, 5, false); }
static void test_step_sg_hs(void) { one_step(MODEL_SKIPGRAM, 0, true); }
static void test_step_cbow_ns(void) { one_step(MODEL_CBOW, 5, false); }
static void test_step_cbow_hs(void) { one_step(MODEL_CBOW, 0, true); }
static void test_step_both(void) { one_step(MODEL_SKIPGRAM, 3, true); }

/* A corpus with a planted structure: PAIRS groups, each with its own GROUP_CTX context
 * words; in every sentence a group's two twin words ("aK" or "bK") stand in the middle
 * of that group's context words, so the twins share all their contexts and nothing else. */
enum { PAIRS = 12, GROUP_CTX = 6, SENTENCES = 12000 };

static void write_planted(const char *path)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    struct rng r;
    rng_seed(&r, 99, 0);
    for (int s = 0; s < SENTENCES; s++) {
        int g = (int)rng_below(&r, PAIRS);
        for (int k = 0; k < 8; k++) {
            if (k == 4) {
                fprintf(f, "%c%d ", rng_below(&r, 2) ? 'a' : 'b', g);
            }
            fprintf(f, "c%d_%u ", g, rng_below(&r, GROUP_CTX));
        }
        fputc('\n', f);
    }
    fclose(f);
}

/* Fraction of twins whose nearest neighbour by cosine is the other twin. */
static double twins_found(const struct model *m, const struct vocab *v)
{
    int found = 0;
    int dim = m->cfg.dim;
    for (int g = 0; g < PAIRS; g++) {
        char a[16];
        char b[16];
        snprintf(a, sizeof a, "a%d", g);
        snprintf(b, sizeof b, "b%d", g);
        int32_t ia = (int32_t)strindex_find(&v->words, a);
        int32_t ib = (int32_t)strindex_find(&v->words, b);
        CHECK(ia > 0 && ib > 0);
        if (ia <= 0 || ib <= 0) {
            continue;
        }
        const float *x = m->in + (size_t)ia * (size_t)dim;
        int32_t best = -1;
        double best_cos = -2.0;
        for (int32_t w = 1; w < v->n; w++) {
            if (w == ia) {
                continue;
            }
            const float *y = m->in + (size_t)w * (size_t)dim;
            double xy = 0.0, xx = 0.0, yy = 0.0;
            for (int d = 0; d < dim; d++) {
                xy += (double)x[d] * (double)y[d];
                xx += (double)x[d] * (double)x[d];
                yy += (double)y[d] * (double)y[d];
            }
            double cosine = xy / sqrt(xx * yy);
            if (cosine > best_cos) {
                best_cos = cosine;
                best = w;
            }
        }
        found += best == ib;
    }
    return (double)found / PAIRS;
}

static void learn(enum model_kind kind, int negative, bool hs, int threads)
{
    char path[] = "/tmp/w2v-learn-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    write_planted(path);
    struct vocab v;
    vocab_init(&v);
    struct idstream s;
    idstream_init(&s, SIZE_MAX, NULL);
    struct corpus_stats st = {0};
    struct w2v_err err;
    CHECK_EQ(corpus_read(path, &v, false, &s, NULL, &st, &err), 0);
    CHECK_EQ(idstream_finish(&s, &err), 0);
    int32_t *map = NULL;
    vocab_prune(&v, 1, 0, &map);
    CHECK_EQ(idstream_remap(&s, map, &err), 0);
    free(map);
    struct train_config c = config(kind, negative, hs);
    c.threads = threads;
    struct model m;
    CHECK_EQ(model_new(&m, &c, v.count, v.n, NULL, &err), 0);
    struct train_result res;
    CHECK_EQ(train_run(&m, &s, 0.0, &res, &err), 0);
    double found = twins_found(&m, &v);
    if (found < 0.9) {
        fprintf(stderr, "  kind %d neg %d hs %d threads %d: %.0f%% of twins found\n", kind,
                negative, hs, threads, 100 * found);
    }
    CHECK(found >= 0.9);
    model_free(&m);
    idstream_free(&s);
    vocab_free(&v);
    unlink(path);
}

static void test_learn_sg_ns(void) { learn(MODEL_SKIPGRAM, 5, false, 1); }
/* Two Hogwild threads sharing out the stream learn the same structure. */
static void test_learn_threads(void) { learn(MODEL_SKIPGRAM, 5, false, 2); }
static void test_learn_sg_hs(void) { learn(MODEL_SKIPGRAM, 0, true, 1); }
static void test_learn_cbow_ns(void) { learn(MODEL_CBOW, 5, false, 1); }
static void test_learn_cbow_hs(void) { learn(MODEL_CBOW, 0, true, 1); }
static void test_learn_cbow_threads(void) { learn(MODEL_CBOW, 5, false, 2); }

int main(void)
{
    log_set_level(LOG_QUIET);
    RUN(test_step_sg_ns);
    RUN(test_step_sg_hs);
    RUN(test_step_cbow_ns);
    RUN(test_step_cbow_hs);
    RUN(test_step_both);
    RUN(test_learn_sg_ns);
    RUN(test_learn_sg_hs);
    RUN(test_learn_cbow_ns);
    RUN(test_learn_cbow_hs);
    RUN(test_learn_cbow_threads);
    RUN(test_learn_threads);
    TEST_MAIN("learn");
}
