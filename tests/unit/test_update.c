/* Unit tests of the kernel variants: every variant this CPU runs computes dot, axpy and
 * step like a double-precision reference (tails included, nothing written past the end),
 * and its batched skip-gram step (shared negatives) matches a reference computation of
 * the same update; batched CBOW updates as CBOW one row at a time does; repeated runs are
 * byte-identical; a thread's copies of the frequent
 * rows train like the model's rows and merge into it; an unknown or unsupported variant
 * is refused. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "train/model.h"
#include "base/rng.h"
#include "base/simd.h"
#include "train/update.h"

/* Row lengths up to this many floats cover every tail of 4-, 8- and 16-float steps. */
#define MAX_N 70
/* Words, dimensions, negatives and fixed window of the batched test: 10 negatives fill
 * more than one block of output rows, and a window of 9 gives 18 contexts, more than one
 * group (UPDATE_BATCH_MAX). */
#define T_WORDS 2000
#define T_DIM 37
#define T_NEG 10
#define T_WINDOW 9
#define T_LEN 24

static void fill(float *x, int n, struct rng *r)
{
    for (int i = 0; i < n; i++) {
        x[i] = rng_uniform(r) - 0.5f;
    }
}

static void check_small_kernels(const struct update_kernels *k)
{
    struct rng r;
    rng_seed(&r, 7, (uint64_t)k->level);
    float a[MAX_N + 1];
    float b[MAX_N + 1];
    float y[MAX_N + 1];
    float y0[MAX_N + 1];
    float o[MAX_N + 1];
    float o0[MAX_N + 1];
    int bad_dot = 0, bad_axpy = 0, bad_step = 0, overrun = 0;
    for (int n = 1; n <= MAX_N; n++) {
        fill(a, n, &r);
        fill(b, n, &r);
        fill(y0, n, &r);
        fill(o0, n, &r);
        double ref = 0.0;
        for (int i = 0; i < n; i++) {
            ref += (double)a[i] * (double)b[i];
        }
        bad_dot += fabs((double)k->dot(a, b, n) - ref) > 1e-5;
        memcpy(y, y0, sizeof y);
        y[n] = 42.0f;
        k->axpy(y, 0.75f, a, n);
        for (int i = 0; i < n; i++) {
            bad_axpy += fabs((double)y[i] - ((double)y0[i] + 0.75 * (double)a[i])) > 1e-6;
        }
        overrun += y[n] != 42.0f;
        memcpy(y, y0, sizeof y);
        memcpy(o, o0, sizeof o);
        y[n] = 42.0f;
        o[n] = 42.0f;
        k->step(y, o, a, -0.5f, n);
        for (int i = 0; i < n; i++) {
            bad_step += fabs((double)y[i] - ((double)y0[i] - 0.5 * (double)o0[i])) > 1e-6;
            bad_step += fabs((double)o[i] - ((double)o0[i] - 0.5 * (double)a[i])) > 1e-6;
        }
        overrun += y[n] != 42.0f || o[n] != 42.0f;
    }
    CHECK_EQ(bad_dot, 0);
    CHECK_EQ(bad_axpy, 0);
    CHECK_EQ(bad_step, 0);
    CHECK_EQ(overrun, 0);
}

static void test_small_kernels(void)
{
    int ran = 0;
    for (int l = SIMD_BASE; l <= SIMD_AVX512; l++) {
        const struct update_kernels *k = update_kernels_for((enum simd_level)l);
        if (k != NULL) {
            CHECK_EQ(k->level, l);
            check_small_kernels(k);
            ran++;
        }
    }
    CHECK(ran >= 1);
}

static struct train_config batch_config(void)
{
    struct train_config c;
    memset(&c, 0, sizeof c);
    c.kind = MODEL_SKIPGRAM;
    c.dim = T_DIM;
    c.window = T_WINDOW;
    c.fixed_window = true;
    c.negative = T_NEG;
    c.iter = 1;
    c.alpha = 0.025;
    c.threads = 1;
    c.seed = 5;
    c.ns_exponent = 0.75;
    c.batch = 1;
    return c;
}

/* A model with random input and output weights. */
static void random_model(struct model *m, const struct train_config *c)
{
    static int64_t counts[T_WORDS];
    for (int i = 0; i < T_WORDS; i++) {
        counts[i] = 10;
    }
    struct w2v_err err;
    CHECK_EQ(model_new(m, c, counts, T_WORDS, NULL, &err), 0);
    struct rng r;
    rng_seed(&r, 11, 0);
    fill(m->in, T_WORDS * T_DIM, &r);
    if (m->out_ns != NULL) {
        fill(m->out_ns, T_WORDS * T_DIM, &r);
    }
    if (m->out_hs != NULL) {
        fill(m->out_hs, (T_WORDS - 1) * T_DIM, &r);
    }
}

/* The batched update at 'pos' computed directly in double: the negatives drawn as the
 * kernels draw them, every score from the weights before the group, then both
 * gradients. Contexts go in groups of UPDATE_BATCH_MAX, each against the same rows. */
static void reference_step(struct model *m, struct rng draws, const int32_t *sent, int pos,
                           float lr, int *dups)
{
    int32_t neg[T_NEG];
    for (int i = 0; i < T_NEG; i++) {
        neg[i] = unigram_draw(&m->uni, &draws);
    }
    int32_t outs[T_NEG + 1];
    int nt = 0;
    outs[nt++] = sent[pos];
    for (int i = 0; i < T_NEG; i++) {
        if (neg[i] != sent[pos]) {
            outs[nt++] = neg[i];
        }
    }
    for (int a = 0; a < nt; a++) {
        for (int b = a + 1; b < nt; b++) {
            *dups += outs[a] == outs[b];
        }
    }
    int32_t ctx[2 * T_WINDOW];
    int nc = 0;
    for (int j = pos - T_WINDOW; j <= pos + T_WINDOW; j++) {
        if (j >= 0 && j < T_LEN && j != pos) {
            ctx[nc++] = sent[j];
        }
    }
    for (int g0 = 0; g0 < nc; g0 += UPDATE_BATCH_MAX) {
        int nb = nc - g0 < UPDATE_BATCH_MAX ? nc - g0 : UPDATE_BATCH_MAX;
        static double grad[UPDATE_BATCH_MAX][T_NEG + 1];
        static double gin[UPDATE_BATCH_MAX][T_DIM];
        for (int b = 0; b < nb; b++) {
            const float *c = m->in + (size_t)ctx[g0 + b] * T_DIM;
            for (int t = 0; t < nt; t++) {
                const float *o = m->out_ns + (size_t)outs[t] * T_DIM;
                double f = 0.0;
                for (int i = 0; i < T_DIM; i++) {
                    f += (double)c[i] * (double)o[i];
                }
                float s = m->sigmoid.value[sigmoid_index(&m->sigmoid, (float)f)];
                grad[b][t] = ((t == 0 ? 1.0 : 0.0) - (double)s) * (double)lr;
            }
            for (int i = 0; i < T_DIM; i++) {
                gin[b][i] = 0.0;
                for (int t = 0; t < nt; t++) {
                    gin[b][i] += grad[b][t] * (double)m->out_ns[(size_t)outs[t] * T_DIM + i];
                }
            }
        }
        for (int t = 0; t < nt; t++) {
            for (int i = 0; i < T_DIM; i++) {
                double d = 0.0;
                for (int b = 0; b < nb; b++) {
                    d += grad[b][t] * (double)m->in[(size_t)ctx[g0 + b] * T_DIM + i];
                }
                m->out_ns[(size_t)outs[t] * T_DIM + i] += (float)d;
            }
        }
        for (int b = 0; b < nb; b++) {
            for (int i = 0; i < T_DIM; i++) {
                m->in[(size_t)ctx[g0 + b] * T_DIM + i] += (float)gin[b][i];
            }
        }
    }
}

static double max_diff(const float *a, const float *b, size_t n)
{
    double d = 0.0;
    for (size_t i = 0; i < n; i++) {
        double e = fabs((double)a[i] - (double)b[i]);
        d = e > d ? e : d;
    }
    return d;
}

static void check_batch(const struct update_kernels *k)
{
    struct train_config c = batch_config();
    struct model m;
    struct model ref;
    random_model(&m, &c);
    random_model(&ref, &c);
    struct update_state st;
    struct w2v_err err;
    /* A state whose draws give no repeated output row with "</s>" out of the table. */
    CHECK_EQ(update_state_init(&st, &c, 2, 0, &err), 0);
    int32_t sent[T_LEN];
    struct rng r;
    rng_seed(&r, 3, 0);
    for (int i = 0; i < T_LEN; i++) {
        sent[i] = 1 + (int32_t)rng_below(&r, T_WORDS - 1);
    }
    int dups = 0;
    for (int pos = 0; pos < T_LEN; pos += 5) {
        st.primed = false; /* draw this step's negatives now, from the state below */
        st.half = 0;
        struct rng draws = st.rng;
        k->at(&m, &st, sent, T_LEN, pos, 0.5f);
        reference_step(&ref, draws, sent, pos, 0.5f, &dups);
    }
    CHECK(!st.diverged);
    CHECK(st.pairs > 0);
    CHECK_EQ(dups, 0); /* a repeated output row would make the comparison ambiguous */
    size_t floats = (size_t)T_WORDS * T_DIM;
    CHECK(max_diff(m.in, ref.in, floats) < 1e-5);
    CHECK(max_diff(m.out_ns, ref.out_ns, floats) < 1e-5);
    /* The update changed the weights, so the comparison is not vacuous. */
    struct model start;
    random_model(&start, &c);
    CHECK(max_diff(m.out_ns, start.out_ns, floats) > 1e-3);
    update_state_free(&st);
    model_free(&start);
    model_free(&ref);
    model_free(&m);
}

static void test_batch_matches_reference(void)
{
    for (int l = SIMD_BASE; l <= SIMD_AVX512; l++) {
        const struct update_kernels *k = update_kernels_for((enum simd_level)l);
        if (k != NULL) {
            check_batch(k);
        }
    }
}

/* CBOW: the batched form, which scores every output row of a prediction from the same
 * weights, updates the model as the per-row form does when no negative repeats, up to
 * rounding. */
static void check_cbow(const struct update_kernels *k)
{
    struct model m[2];
    int dups = 0;
    int32_t sent[T_LEN];
    struct rng r;
    rng_seed(&r, 3, 0);
    for (int i = 0; i < T_LEN; i++) {
        sent[i] = 1 + (int32_t)rng_below(&r, T_WORDS - 1);
    }
    for (int batch = 0; batch <= 1; batch++) {
        struct train_config c = batch_config();
        c.kind = MODEL_CBOW;
        c.batch = batch;
        random_model(&m[batch], &c);
        struct update_state st;
        struct w2v_err err;
        CHECK_EQ(update_state_init(&st, &c, 2, 0, &err), 0);
        for (int pos = 0; pos < T_LEN; pos += 5) {
            st.primed = false; /* this prediction's negatives are drawn from the state below */
            st.half = 0;
            struct rng draws = st.rng;
            int32_t outs[T_NEG + 1] = {sent[pos]};
            int nt = 1;
            for (int i = 0; i < T_NEG; i++) {
                int32_t id = unigram_draw(&m[batch].uni, &draws);
                if (id != sent[pos]) {
                    outs[nt++] = id;
                }
            }
            for (int a = 0; a < nt; a++) {
                for (int b = a + 1; b < nt; b++) {
                    dups += outs[a] == outs[b];
                }
            }
            k->at(&m[batch], &st, sent, T_LEN, pos, 0.5f);
        }
        CHECK(!st.diverged);
        CHECK(st.pairs > 0);
        update_state_free(&st);
    }
    CHECK_EQ(dups, 0); /* a repeated output row is where the two forms differ */
    size_t floats = (size_t)T_WORDS * T_DIM;
    CHECK(max_diff(m[0].in, m[1].in, floats) < 1e-5);
    CHECK(max_diff(m[0].out_ns, m[1].out_ns, floats) < 1e-5);
    struct model start;
    struct train_config c = batch_config();
    random_model(&start, &c);
    CHECK(max_diff(m[1].out_ns, start.out_ns, floats) > 1e-3);
    CHECK(max_diff(m[1].in, start.in, floats) > 1e-3);
    model_free(&start);
    model_free(&m[0]);
    model_free(&m[1]);
}

static void test_cbow_batch_matches_rows(void)
{
    for (int l = SIMD_BASE; l <= SIMD_AVX512; l++) {
        const struct update_kernels *k = update_kernels_for((enum simd_level)l);
        if (k != NULL) {
            check_cbow(k);
        }
    }
}

/* Whole sentences from the same state give the same bytes, for both forms of skip-gram
 * and of CBOW. */
static void test_repeatable(void)
{
    const struct update_kernels *k = update_kernels_pick(NULL, NULL);
    CHECK(k != NULL);
    for (int form = 0; form < 4 && k != NULL; form++) {
        struct train_config c = batch_config();
        c.batch = form % 2;
        c.kind = form < 2 ? MODEL_SKIPGRAM : MODEL_CBOW;
        c.fixed_window = false;
        struct model m[2];
        for (int run = 0; run < 2; run++) {
            random_model(&m[run], &c);
            struct update_state st;
            struct w2v_err err;
            /* A state whose draws give no repeated output row with "</s>" out of the table. */
    CHECK_EQ(update_state_init(&st, &c, 2, 0, &err), 0);
            int32_t sent[T_LEN];
            for (int i = 0; i < T_LEN; i++) {
                sent[i] = 1 + (int32_t)((i * 37) % (T_WORDS - 1));
            }
            k->sentence(&m[run], &st, sent, T_LEN, 0, T_LEN, 0.1f);
            update_state_free(&st);
        }
        size_t bytes = (size_t)T_WORDS * T_DIM * sizeof(float);
        CHECK(memcmp(m[0].in, m[1].in, bytes) == 0);
        CHECK(memcmp(m[0].out_ns, m[1].out_ns, bytes) == 0);
        model_free(&m[0]);
        model_free(&m[1]);
    }
}

/* Replicas: with a thread's own copies of the rows of the T_HOT most frequent words and
 * of the T_HOT inner nodes nearest the root, a sentence trains those copies (the model's
 * hot rows stay as they were until the merge) and, once merged, leaves the model as
 * training it directly does, up to rounding. For every objective the kernels have:
 * per-pair and batched skip-gram, CBOW, and hierarchical softmax with either. */
#define T_HOT 700
static void test_replicas_train_like_model(void)
{
    const struct update_kernels *k = update_kernels_pick(NULL, NULL);
    CHECK(k != NULL);
    for (int form = 0; form < 5 && k != NULL; form++) {
        struct train_config c = batch_config();
        c.batch = form == 1;
        c.kind = form == 2 || form == 4 ? MODEL_CBOW : MODEL_SKIPGRAM;
        c.hs = form >= 3;
        c.negative = form == 3 ? 0 : T_NEG; /* skip-gram with HS alone, CBOW with both */
        c.fixed_window = false;
        struct model m[2];
        struct model start;
        random_model(&start, &c);
        int32_t sent[T_LEN];
        for (int i = 0; i < T_LEN; i++) {
            sent[i] = 1 + (int32_t)((i * 83) % (T_WORDS - 1)); /* hot and cold words */
        }
        size_t hot_floats = (size_t)T_HOT * T_DIM;
        size_t first_hot_node = (size_t)(T_WORDS - 1 - T_HOT) * T_DIM;
        for (int run = 0; run < 2; run++) {
            random_model(&m[run], &c);
            struct update_state st;
            struct w2v_err err;
            CHECK_EQ(update_state_init(&st, &c, 2, 0, &err), 0);
            CHECK_EQ(update_state_replicate(&st, &m[run], run == 1 ? T_HOT : 0, &err), 0);
            CHECK_EQ(st.hot, run == 1 ? T_HOT : 0);
            CHECK_EQ(st.hot_hs, run == 1 && c.hs ? T_HOT : 0);
            for (int pass = 0; pass < 3; pass++) {
                k->sentence(&m[run], &st, sent, T_LEN, 0, T_LEN, 0.1f);
            }
            if (run == 1) {
                /* Not merged yet: the model's hot rows are untouched, the copies moved. */
                CHECK(max_diff(m[1].in, start.in, hot_floats) == 0.0);
                CHECK(max_diff(st.hot_in, start.in, hot_floats) > 1e-3);
                if (c.negative > 0) {
                    CHECK(max_diff(m[1].out_ns, start.out_ns, hot_floats) == 0.0);
                    CHECK(max_diff(st.hot_out, start.out_ns, hot_floats) > 1e-3);
                }
                if (c.hs) {
                    CHECK(max_diff(m[1].out_hs + first_hot_node, start.out_hs + first_hot_node,
                                   hot_floats) == 0.0);
                    CHECK(max_diff(st.hot_node, start.out_hs + first_hot_node, hot_floats) >
                          1e-3);
                }
            }
            update_state_merge(&st, &m[run], T_HOT);
            update_state_free(&st);
        }
        size_t floats = (size_t)T_WORDS * T_DIM;
        CHECK(max_diff(m[0].in, m[1].in, floats) < 1e-5);
        CHECK(max_diff(m[0].in, start.in, hot_floats) > 1e-3);
        if (c.negative > 0) {
            CHECK(max_diff(m[0].out_ns, m[1].out_ns, floats) < 1e-5);
        }
        if (c.hs) {
            size_t nodes = (size_t)(T_WORDS - 1) * T_DIM;
            CHECK(max_diff(m[0].out_hs, m[1].out_hs, nodes) < 1e-5);
            /* The root, on every path, was trained. */
            CHECK(max_diff(m[0].out_hs + nodes - T_DIM, start.out_hs + nodes - T_DIM, T_DIM) >
                  1e-3);
        }
        model_free(&m[0]);
        model_free(&m[1]);
        model_free(&start);
    }
}

/* A merge adds this thread's change to whatever the model holds by then (another
 * thread's merged change included), and the copies then take the model's rows. */
static void test_merge_adds_changes(void)
{
    struct train_config c = batch_config();
    struct model m;
    random_model(&m, &c);
    struct update_state st;
    struct w2v_err err;
    CHECK_EQ(update_state_init(&st, &c, 1, 0, &err), 0);
    CHECK_EQ(update_state_replicate(&st, &m, T_WORDS + 50, &err), 0);
    CHECK_EQ(st.hot, T_WORDS); /* cut to the vocabulary */
    size_t i = 5 * T_DIM + 3;
    float before = m.in[i];
    st.hot_in[i] += 0.25f;     /* this thread's change */
    m.in[i] += 1.0f;           /* another thread's, merged meanwhile */
    st.hot_out[i] -= 0.5f;
    update_state_merge(&st, &m, INT32_MAX);
    CHECK(fabs((double)m.in[i] - ((double)before + 1.25)) < 1e-6);
    CHECK(st.hot_in[i] == m.in[i]);
    CHECK(st.hot_out[i] == m.out_ns[i]);
    /* A merge of the first rows leaves the others' changes in the copies. */
    size_t far = 1500 * T_DIM;
    float far_before = m.in[far];
    st.hot_in[far] += 2.0f;
    st.hot_in[i] += 0.125f;
    update_state_merge(&st, &m, 1000);
    CHECK(m.in[far] == far_before);
    CHECK(fabs((double)m.in[i] - ((double)before + 1.375)) < 1e-6);
    update_state_merge(&st, &m, INT32_MAX);
    CHECK(fabs((double)m.in[far] - ((double)far_before + 2.0)) < 1e-6);
    /* A second merge with no change in between changes nothing. */
    float after = m.out_ns[i];
    update_state_merge(&st, &m, INT32_MAX);
    CHECK(m.out_ns[i] == after);
    update_state_free(&st);
    model_free(&m);
}

/* The inner nodes' copies are the last ones, nearest the root; a merge of the first
 * 'rows' words merges the last 'rows' nodes. */
static void test_merge_nodes(void)
{
    struct train_config c = batch_config();
    c.hs = true;
    c.negative = 0;
    struct model m;
    random_model(&m, &c);
    struct update_state st;
    struct w2v_err err;
    CHECK_EQ(update_state_init(&st, &c, 1, 0, &err), 0);
    CHECK_EQ(update_state_replicate(&st, &m, T_HOT, &err), 0);
    CHECK(st.hot_out == NULL);
    CHECK_EQ(st.hot_hs, T_HOT);
    size_t root = (size_t)(T_WORDS - 2) * T_DIM + 1; /* in the model */
    size_t root_copy = (size_t)(T_HOT - 1) * T_DIM + 1;
    size_t low = (size_t)(T_WORDS - 1 - T_HOT) * T_DIM; /* the first node copied */
    CHECK(st.hot_node[root_copy] == m.out_hs[root]);
    CHECK(st.hot_node[0] == m.out_hs[low]);
    float root_before = m.out_hs[root];
    float low_before = m.out_hs[low];
    st.hot_node[root_copy] += 0.5f;
    st.hot_node[0] += 0.25f;
    m.out_hs[root] += 1.0f; /* another thread's */
    update_state_merge(&st, &m, 10);
    CHECK(fabs((double)m.out_hs[root] - ((double)root_before + 1.5)) < 1e-6);
    CHECK(st.hot_node[root_copy] == m.out_hs[root]);
    CHECK(m.out_hs[low] == low_before); /* not among the last 10 */
    update_state_merge(&st, &m, INT32_MAX);
    CHECK(fabs((double)m.out_hs[low] - ((double)low_before + 0.25)) < 1e-6);
    update_state_free(&st);
    CHECK_EQ(st.hot_hs, 0);
    /* A vocabulary smaller than the copies: every node is copied. */
    CHECK_EQ(update_state_init(&st, &c, 1, 0, &err), 0);
    CHECK_EQ(update_state_replicate(&st, &m, T_WORDS + 5, &err), 0);
    CHECK_EQ(st.hot_hs, T_WORDS - 1);
    update_state_free(&st);
    model_free(&m);
}

static void test_pick(void)
{
    struct w2v_err err;
    CHECK(update_kernels_pick("base", &err) != NULL);
    CHECK(update_kernels_pick("sse9", &err) == NULL);
    CHECK(strstr(err.msg, "unknown") != NULL);
    const struct update_kernels *best = update_kernels_pick(NULL, &err);
    CHECK(best != NULL && best->level == simd_best());
    for (int l = SIMD_BASE; l <= SIMD_AVX512; l++) {
        bool have = simd_supported((enum simd_level)l);
        const struct update_kernels *k = update_kernels_pick(simd_name((enum simd_level)l), &err);
        CHECK(have == (k != NULL));
        if (!have) {
            CHECK(strstr(err.msg, "not supported") != NULL);
        }
    }
}

int main(void)
{
    log_set_level(LOG_QUIET);
    RUN(test_small_kernels);
    RUN(test_batch_matches_reference);
    RUN(test_cbow_batch_matches_rows);
    RUN(test_repeatable);
    RUN(test_replicas_train_like_model);
    RUN(test_merge_adds_changes);
    RUN(test_merge_nodes);
    RUN(test_pick);
    TEST_MAIN("update");
}
