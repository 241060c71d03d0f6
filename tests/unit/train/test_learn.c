/* Unit tests of learning as a whole: training recovers a planted structure, with every
 * model and objective, on one thread and on two. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/rng.h"
#include "fixture.h"
#include "harness.h"
#include "io/fasttext.h"
#include "text/vocab.h"
#include "train/model.h"
#include "train/train.h"

static struct train_config config(enum model_kind kind, int negative, bool hs)
{
    struct train_config c = fx_config(kind, 16, negative, hs);
    c.iter = 5;
    c.seed = 3;
    return c;
}

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
    const char *path = fx_path("planted.txt");
    write_planted(path);
    struct vocab v;
    struct idstream s;
    struct w2v_err err;
    CHECK_EQ(fx_read_corpus(path, 1, &v, &s, &err), 0);
    struct train_config c = config(kind, negative, hs);
    c.threads = threads;
    struct model m;
    CHECK_EQ(model_new(&m, &c, v.count, &v.words, v.n, NULL, &err), 0);
    struct train_result res;
    CHECK_EQ(train_run(&m, &s, 0.0, NULL, NULL, &res, &err), 0);
    double found = twins_found(&m, &v);
    if (found < 0.9) {
        fprintf(stderr, "  kind %d neg %d hs %d threads %d: %.0f%% of twins found\n", kind,
                negative, hs, threads, 100 * found);
    }
    CHECK(found >= 0.9);
    model_free(&m);
    idstream_free(&s);
    vocab_free(&v);
}

static void test_learn_sg_ns(void) { learn(MODEL_SKIPGRAM, 5, false, 1); }
/* Two Hogwild threads sharing out the stream learn the same structure. */
static void test_learn_threads(void) { learn(MODEL_SKIPGRAM, 5, false, 2); }
static void test_learn_sg_hs(void) { learn(MODEL_SKIPGRAM, 0, true, 1); }
static void test_learn_cbow_ns(void) { learn(MODEL_CBOW, 5, false, 1); }
static void test_learn_cbow_hs(void) { learn(MODEL_CBOW, 0, true, 1); }
static void test_learn_cbow_threads(void) { learn(MODEL_CBOW, 5, false, 2); }

/* Subwords: STEMS groups of words sharing a stem of random letters, each seen in its
 * four forms (the stem and one of FORMS' endings) among the group's own context words.
 * A fifth form, never seen, gets the vector of its character n-grams; its nearest word
 * should be a form of its own group: only the n-grams of the stem can put it there. */
enum { STEMS = 16, STEM_LEN = 5, SUB_SENTENCES = 16000 };
static const char *const forms[] = {"a", "o", "u", "i"};
#define UNSEEN_FORM "e"

static void make_stem(int g, char *out)
{
    struct rng r;
    rng_seed(&r, 1000 + (uint64_t)g, 0);
    for (int k = 0; k < STEM_LEN; k++) {
        out[k] = (char)('b' + rng_below(&r, 24));
    }
    out[STEM_LEN] = '\0';
}

static void write_stems(const char *path)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    struct rng r;
    rng_seed(&r, 7, 0);
    for (int s = 0; s < SUB_SENTENCES; s++) {
        int g = (int)rng_below(&r, STEMS);
        char stem[STEM_LEN + 1];
        make_stem(g, stem);
        for (int k = 0; k < 6; k++) {
            if (k == 3) {
                fprintf(f, "%s%s ", stem, forms[rng_below(&r, 4)]);
            }
            fprintf(f, "c%d_%u ", g, rng_below(&r, GROUP_CTX));
        }
        fputc('\n', f);
    }
    fclose(f);
}

/* Cosine of two vectors of 'dim' floats. */
static double cosine(const float *x, const float *y, int dim)
{
    double xy = 0.0, xx = 0.0, yy = 0.0;
    for (int d = 0; d < dim; d++) {
        xy += (double)x[d] * (double)y[d];
        xx += (double)x[d] * (double)x[d];
        yy += (double)y[d] * (double)y[d];
    }
    return xy / sqrt(xx * yy);
}

static void learn_subwords(enum model_kind kind)
{
    const char *path = fx_path("stems.txt");
    write_stems(path);
    struct vocab v;
    struct idstream s;
    struct w2v_err err;
    CHECK_EQ(fx_read_corpus(path, 1, &v, &s, &err), 0);
    struct train_config c = config(kind, 5, false);
    c.minn = 3;
    c.maxn = 5;
    c.bucket = 20000;
    struct model m;
    CHECK_EQ(model_new(&m, &c, v.count, &v.words, v.n, NULL, &err), 0);
    struct train_result res;
    CHECK_EQ(train_run(&m, &s, 0.0, NULL, NULL, &res, &err), 0);
    struct ft_args a;
    ft_args_default(&a);
    a.minn = c.minn;
    a.maxn = c.maxn;
    a.bucket = (int32_t)c.bucket;
    int dim = c.dim;
    float *unseen = malloc((size_t)dim * sizeof *unseen);
    float *known = malloc((size_t)dim * sizeof *known);
    int found = 0;
    for (int g = 0; g < STEMS; g++) {
        char word[STEM_LEN + 2];
        make_stem(g, word);
        strcat(word, UNSEEN_FORM);
        CHECK_EQ(strindex_find(&v.words, word), -1);
        int32_t rows[64];
        size_t n = ft_word_rows(word, strlen(word), -1, v.n, &a, rows, 64);
        CHECK(n > 0 && n <= 64);
        ft_rows_mean(m.in, dim, rows, n, unseen);
        int64_t best = -1;
        double best_cos = -2.0;
        for (int64_t w = 1; w < v.n; w++) {
            model_word_vector(&m, w, known);
            double cs = cosine(unseen, known, dim);
            if (cs > best_cos) {
                best_cos = cs;
                best = w;
            }
        }
        found += best > 0 && strncmp(strindex_str(&v.words, best), word, STEM_LEN) == 0;
    }
    if (found < STEMS * 9 / 10) {
        fprintf(stderr, "  kind %d: %d of %d unseen forms nearest their own stem\n", kind,
                found, STEMS);
    }
    CHECK(found >= STEMS * 9 / 10);
    free(unseen);
    free(known);
    model_free(&m);
    idstream_free(&s);
    vocab_free(&v);
}

static void test_learn_subwords_sg(void) { learn_subwords(MODEL_SKIPGRAM); }
static void test_learn_subwords_cbow(void) { learn_subwords(MODEL_CBOW); }

int main(void)
{
    log_set_level(LOG_QUIET);
    RUN(test_learn_sg_ns);
    RUN(test_learn_sg_hs);
    RUN(test_learn_cbow_ns);
    RUN(test_learn_cbow_hs);
    RUN(test_learn_cbow_threads);
    RUN(test_learn_threads);
    RUN(test_learn_subwords_sg);
    RUN(test_learn_subwords_cbow);
    TEST_MAIN("learn");
}
