/* Unit tests of the fast kernels against the rule (rule.c, the specification of the step):
 * for every form of the step (skip-gram and CBOW; negative sampling, hierarchical softmax
 * and both; per-row and shared) and row lengths that leave every tail of 4-, 8- and
 * 16-float registers, every variant this CPU runs leaves the model as the rule does, up to
 * rounding, with the same loss, the same predictions and the same random stream after it;
 * a variant gives the same bytes twice; unknown or unsupported variants are refused. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "base/strindex.h"
#include "base/simd.h"
#include "fixture.h"
#include "harness.h"
#include "train/model.h"
#include "train/rule.h"
#include "train/update.h"

/* Words of the random model, sentence length, sentences trained, and the negatives: more
 * than one block of UPDATE_BLOCK output rows, and few enough for one. */
#define T_WORDS 600
#define T_LEN 40
#define T_SENTENCES 3
#define T_NEG 10
#define T_NEG_ONE 5
/* Largest difference allowed between a kernel's weights and the rule's. Both add the same
 * terms in other orders, and over 120 positions at a rate of 0.1 the rounding grows to a
 * few 1e-4 on long Huffman paths; an update out of order (a row read after its change
 * instead of before) shows as 1e-2 at this rate, a wrong update as more. */
#define T_TOL 1e-3

static const char *const variants[] = {"base", "avx2", "avx512"};
static const int dims[] = {1, 3, 7, 16, 37, 70};

/* Subwords of the forms that have them: n-grams of 2 to 4 characters in this many rows. */
#define T_BUCKET 500

/* The forms of the step: kind, negatives, hierarchical softmax, shared form, subwords. */
struct form {
    enum model_kind kind;
    int negative;
    bool hs;
    int batch;
    bool subwords;
};

static const struct form forms[] = {
    {MODEL_SKIPGRAM, T_NEG, false, 0, false}, {MODEL_SKIPGRAM, T_NEG, false, 1, false},
    {MODEL_CBOW, T_NEG, false, 0, false},     {MODEL_CBOW, T_NEG, false, 1, false},
    {MODEL_SKIPGRAM, 0, true, 0, false},      {MODEL_CBOW, 0, true, 0, false},
    {MODEL_SKIPGRAM, 3, true, 1, false},      {MODEL_CBOW, 3, true, 1, false},
    {MODEL_SKIPGRAM, T_NEG, false, 0, true},  {MODEL_SKIPGRAM, T_NEG, false, 1, true},
    {MODEL_CBOW, T_NEG, false, 0, true},      {MODEL_CBOW, T_NEG, false, 1, true},
    {MODEL_SKIPGRAM, 0, true, 1, true},       {MODEL_CBOW, 3, true, 1, true},
    {MODEL_SKIPGRAM, T_NEG, false, 3, false}, {MODEL_CBOW, T_NEG, false, 3, false},
    {MODEL_SKIPGRAM, T_NEG, false, 2, true},  {MODEL_CBOW, T_NEG, false, 2, true},
    {MODEL_SKIPGRAM, T_NEG_ONE, false, 1, false}, {MODEL_CBOW, T_NEG_ONE, false, 1, false},
    {MODEL_SKIPGRAM, T_NEG_ONE, false, 1, true},
};

/* The words of the random model: "</s>", then words of 1 to 9 letters. */
static const struct strindex *model_words(void)
{
    static struct strindex words;
    static bool made;
    if (!made) {
        strindex_init(&words, T_WORDS, 0);
        for (int i = 0; i < T_WORDS; i++) {
            char w[16];
            if (i == 0) {
                snprintf(w, sizeof w, "</s>");
            } else {
                int n = 1 + i % 9;
                for (int k = 0; k < n; k++) {
                    w[k] = (char)('a' + (i * 7 + k * 3) % 26);
                }
                snprintf(w + n, sizeof w - (size_t)n, "%d", i);
            }
            strindex_append_h(&words, w, strlen(w), strindex_hash(w, strlen(w)));
        }
        made = true;
    }
    return &words;
}

static struct train_config form_config(const struct form *f, int dim)
{
    struct train_config c = fx_config(f->kind, dim, f->negative, f->hs);
    c.window = 5;
    c.batch = f->batch;
    if (f->subwords) {
        c.minn = 2;
        c.maxn = 4;
        c.bucket = T_BUCKET;
    }
    return c;
}

/* A model of 'c' with every weight random in [-0.5, 0.5), the same for the same 'c'. */
static void random_model(struct model *m, const struct train_config *c)
{
    static int64_t counts[T_WORDS];
    for (int i = 0; i < T_WORDS; i++) {
        counts[i] = 1000 / (i + 1) + 1; /* Zipf-like, so that the Huffman paths vary */
    }
    struct w2v_err err;
    CHECK_EQ(model_new(m, c, counts, model_words(), T_WORDS, NULL, &err), 0);
    struct rng r;
    rng_seed(&r, 11, (uint64_t)c->dim);
    size_t cells = (size_t)T_WORDS * (size_t)c->dim;
    for (size_t i = 0; i < (size_t)m->rows_in * (size_t)c->dim; i++) {
        m->in[i] = rng_uniform(&r) - 0.5f;
    }
    for (size_t i = 0; i < cells; i++) {
        if (m->out_ns != NULL) {
            m->out_ns[i] = rng_uniform(&r) - 0.5f;
        }
        if (m->out_hs != NULL && i < cells - (size_t)c->dim) {
            m->out_hs[i] = rng_uniform(&r) - 0.5f;
        }
    }
}

static double max_diff(const float *a, const float *b, size_t n)
{
    double d = 0.0;
    for (size_t i = 0; i < n; i++) {
        double e = fabs((double)a[i] - (double)b[i]);
        d = e > d || e != e ? e : d;
    }
    return d;
}

/* Trains T_SENTENCES sentences with 'k' on a fresh random model of 'c'; the state is
 * returned in 'st' (freed by the caller). */
static void train_with(const struct update_kernels *k, const struct train_config *c,
                       struct model *m, struct update_state *st)
{
    random_model(m, c);
    struct w2v_err err;
    CHECK_EQ(update_state_init(st, c, 2, 0, &err), 0);
    struct rng r;
    rng_seed(&r, 3, 0);
    int32_t sent[T_LEN];
    for (int s = 0; s < T_SENTENCES; s++) {
        for (int i = 0; i < T_LEN; i++) {
            sent[i] = 1 + (int32_t)rng_below(&r, T_WORDS - 1);
        }
        k->sentence(m, st, sent, T_LEN, 0, T_LEN, 0.1f);
    }
}

/* Compares variant 'k' with the rule on form 'f' at dimension 'dim'; returns the number
 * of differences found. */
static int compare(const struct update_kernels *k, const struct form *f, int dim)
{
    struct train_config c = form_config(f, dim);
    struct model want, got, start;
    struct update_state sw, sg;
    train_with(&rule_kernels, &c, &want, &sw);
    train_with(k, &c, &got, &sg);
    random_model(&start, &c);
    size_t cells = (size_t)T_WORDS * (size_t)dim;
    size_t in_cells = (size_t)want.rows_in * (size_t)dim;
    int bad = 0;
    bad += max_diff(want.in, got.in, in_cells) > T_TOL;
    bad += max_diff(want.in, start.in, in_cells) < 1e-3; /* the comparison is not vacuous */
    if (f->subwords) {
        /* the buckets trained too */
        bad += max_diff(want.in + cells, start.in + cells, in_cells - cells) < 1e-3;
    }
    if (f->negative > 0) {
        bad += max_diff(want.out_ns, got.out_ns, cells) > T_TOL;
    }
    if (f->hs) {
        bad += max_diff(want.out_hs, got.out_hs, cells - (size_t)dim) > T_TOL;
    }
    bad += sw.pairs != sg.pairs || sw.pairs == 0;
    bad += fabs(sw.loss - sg.loss) > 1e-3 * sw.loss;
    bad += sw.rng.state != sg.rng.state; /* the same draws, in the same order */
    bad += sw.diverged || sg.diverged;
    if (bad > 0) {
        fprintf(stderr, "  %s: kind %d neg %d hs %d batch %d subwords %d dim %d: %d "
                "differences\n", k->name, f->kind, f->negative, f->hs, f->batch, f->subwords,
                dim, bad);
    }
    update_state_free(&sw);
    update_state_free(&sg);
    model_free(&want);
    model_free(&got);
    model_free(&start);
    return bad;
}

static void test_kernels_follow_rule(void)
{
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        struct w2v_err err;
        const struct update_kernels *k = update_kernels_named(variants[v], &err);
        if (k == NULL) {
            SKIP("a kernel variant this CPU lacks");
            continue;
        }
        int bad = 0;
        for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
            for (size_t d = 0; d < sizeof dims / sizeof dims[0]; d++) {
                bad += compare(k, &forms[f], dims[d]);
            }
        }
        CHECK_EQ(bad, 0);
    }
}

/* The same variant from the same state gives the same bytes. */
static void test_repeatable(void)
{
    const struct update_kernels *k = update_kernels_named(NULL, NULL);
    CHECK(k != NULL);
    for (size_t f = 0; f < sizeof forms / sizeof forms[0] && k != NULL; f++) {
        struct train_config c = form_config(&forms[f], 37);
        struct model m[2];
        struct update_state st[2];
        for (int run = 0; run < 2; run++) {
            train_with(k, &c, &m[run], &st[run]);
            update_state_free(&st[run]);
        }
        size_t row = 37 * sizeof(float);
        CHECK(memcmp(m[0].in, m[1].in, (size_t)m[0].rows_in * row) == 0);
        if (m[0].out_ns != NULL) {
            CHECK(memcmp(m[0].out_ns, m[1].out_ns, (size_t)T_WORDS * row) == 0);
        }
        model_free(&m[0]);
        model_free(&m[1]);
    }
}

static void test_named(void)
{
    struct w2v_err err;
    CHECK(update_kernels_named("rule", &err) == &rule_kernels);
    CHECK(update_kernels_named("base", &err) != NULL);
    CHECK(update_kernels_named("sse9", &err) == NULL);
    CHECK(strstr(err.msg, "kernels 'sse9': unknown") != NULL);
    const struct update_kernels *best = update_kernels_named(NULL, &err);
    CHECK(best != NULL && strcmp(best->name, simd_name(simd_best())) == 0);
    for (int l = SIMD_BASE; l <= SIMD_AVX512; l++) {
        bool have = simd_supported((enum simd_level)l);
        const struct update_kernels *k = update_kernels_named(simd_name((enum simd_level)l), &err);
        CHECK(have == (k != NULL));
        if (!have) {
            CHECK(strstr(err.msg, "not supported by this CPU") != NULL);
        }
    }
}

int main(void)
{
    log_set_level(LOG_QUIET);
    RUN(test_kernels_follow_rule);
    RUN(test_repeatable);
    RUN(test_named);
    TEST_MAIN("kernels");
}
