/* Unit tests of a thread's copies of the frequent rows: with copies of the rows of the
 * T_HOT most frequent words and of the T_HOT inner nodes nearest the root, training moves
 * the copies, not the model, and once merged leaves the model as training it directly
 * does; a merge adds this thread's change to whatever the model holds by then; the tiers
 * merge the more frequent rows the more often. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "harness.h"
#include "train/model.h"
#include "train/replica.h"
#include "train/update.h"

/* Words, dimensions, negatives and fixed window of the random model, and sentence length. */
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
    CHECK_EQ(model_new(m, c, counts, NULL, T_WORDS, NULL, &err), 0);
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

/* Gives st copies of the model's rows of the 'hot' most frequent words (and nodes), as a
 * worker has them before its first step: replica_alloc, then replica_fill of every row. */
static int copy_rows(struct update_state *st, struct model *m, int32_t hot, struct w2v_err *err)
{
    if (replica_alloc(st, m, hot, err) != 0) {
        return -1;
    }
    replica_fill(st, m, 0, INT32_MAX);
    return 0;
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

/* Replicas: with a thread's own copies of the rows of the T_HOT most frequent words and
 * of the T_HOT inner nodes nearest the root, a sentence trains those copies (the model's
 * hot rows stay as they were until the merge) and, once merged, leaves the model as
 * training it directly does, up to rounding. For every objective the kernels have:
 * per-pair and batched skip-gram, CBOW, and hierarchical softmax with either. */
#define T_HOT 700
static void test_replicas_train_like_model(void)
{
    const struct update_kernels *k = update_kernels_named(NULL, NULL);
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
            CHECK_EQ(copy_rows(&st, &m[run], run == 1 ? T_HOT : 0, &err), 0);
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
            replica_merge(&st, &m[run], 0, T_HOT);
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
    CHECK_EQ(copy_rows(&st, &m, T_WORDS + 50, &err), 0);
    CHECK_EQ(st.hot, T_WORDS); /* cut to the vocabulary */
    size_t i = 5 * T_DIM + 3;
    float before = m.in[i];
    st.hot_in[i] += 0.25f;     /* this thread's change */
    m.in[i] += 1.0f;           /* another thread's, merged meanwhile */
    st.hot_out[i] -= 0.5f;
    replica_merge(&st, &m, 0, INT32_MAX);
    CHECK(fabs((double)m.in[i] - ((double)before + 1.25)) < 1e-6);
    CHECK(st.hot_in[i] == m.in[i]);
    CHECK(st.hot_out[i] == m.out_ns[i]);
    /* A merge of the first rows leaves the others' changes in the copies. */
    size_t far = 1500 * T_DIM;
    float far_before = m.in[far];
    st.hot_in[far] += 2.0f;
    st.hot_in[i] += 0.125f;
    replica_merge(&st, &m, 0, 1000);
    CHECK(m.in[far] == far_before);
    CHECK(fabs((double)m.in[i] - ((double)before + 1.375)) < 1e-6);
    replica_merge(&st, &m, 0, INT32_MAX);
    CHECK(fabs((double)m.in[far] - ((double)far_before + 2.0)) < 1e-6);
    /* A second merge with no change in between changes nothing. */
    float after = m.out_ns[i];
    replica_merge(&st, &m, 0, INT32_MAX);
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
    CHECK_EQ(copy_rows(&st, &m, T_HOT, &err), 0);
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
    replica_merge(&st, &m, 0, 10);
    CHECK(fabs((double)m.out_hs[root] - ((double)root_before + 1.5)) < 1e-6);
    CHECK(st.hot_node[root_copy] == m.out_hs[root]);
    CHECK(m.out_hs[low] == low_before); /* not among the last 10 */
    replica_merge(&st, &m, 0, INT32_MAX);
    CHECK(fabs((double)m.out_hs[low] - ((double)low_before + 0.25)) < 1e-6);
    update_state_free(&st);
    CHECK_EQ(st.hot_hs, 0);
    /* A vocabulary smaller than the copies: every node is copied. */
    CHECK_EQ(update_state_init(&st, &c, 1, 0, &err), 0);
    CHECK_EQ(copy_rows(&st, &m, T_WORDS + 5, &err), 0);
    CHECK_EQ(st.hot_hs, T_WORDS - 1);
    update_state_free(&st);
    model_free(&m);
}

/* A tier at a time (worker.c merges and fills each tier's own rows under its lock):
 * merging [0, a), [a, b) and [b, end) leaves the model, the copies and their base as one
 * merge of every row does, byte for byte, input and output rows and the tree nodes
 * nearest the root alike; a fill of [a, b) copies those rows and nodes and no others. */
static void test_merge_in_ranges(void)
{
    struct train_config c = batch_config();
    c.hs = true;
    struct model m[2];
    struct update_state st[2];
    struct w2v_err err;
    const int32_t cut[] = {0, 10, 150, INT32_MAX};
    size_t floats = (size_t)T_WORDS * T_DIM;
    size_t nodes = (size_t)(T_WORDS - 1) * T_DIM;
    size_t copied = (size_t)T_HOT * T_DIM;
    for (int run = 0; run < 2; run++) {
        random_model(&m[run], &c);
        CHECK_EQ(update_state_init(&st[run], &c, 1, 0, &err), 0);
        CHECK_EQ(copy_rows(&st[run], &m[run], T_HOT, &err), 0);
        /* The same changes in both runs: this thread's in its copies, another thread's
         * in the model. */
        struct rng r;
        rng_seed(&r, 23, 0);
        fill(st[run].hot_in, (int)copied, &r);
        fill(st[run].hot_out, (int)copied, &r);
        fill(st[run].hot_node, (int)copied, &r);
        fill(m[run].in, (int)floats, &r);
        fill(m[run].out_hs, (int)nodes, &r);
        if (run == 0) {
            replica_merge(&st[0], &m[0], 0, INT32_MAX);
        } else {
            for (int i = 0; i + 1 < (int)(sizeof cut / sizeof cut[0]); i++) {
                replica_merge(&st[1], &m[1], cut[i], cut[i + 1]);
            }
        }
    }
    CHECK(memcmp(m[0].in, m[1].in, floats * sizeof(float)) == 0);
    CHECK(memcmp(m[0].out_ns, m[1].out_ns, floats * sizeof(float)) == 0);
    CHECK(memcmp(m[0].out_hs, m[1].out_hs, nodes * sizeof(float)) == 0);
    CHECK(memcmp(st[0].hot_in, st[1].hot_in, copied * sizeof(float)) == 0);
    CHECK(memcmp(st[0].hot_out, st[1].hot_out, copied * sizeof(float)) == 0);
    CHECK(memcmp(st[0].hot_node, st[1].hot_node, copied * sizeof(float)) == 0);
    CHECK(memcmp(st[0].hot_base, st[1].hot_base, 3 * copied * sizeof(float)) == 0);
    /* The merge moved the model's copied rows and the node nearest the root. */
    CHECK(st[1].hot_in[copied - 1] == m[1].in[copied - 1]);
    CHECK(st[1].hot_node[copied - 1] == m[1].out_hs[nodes - 1]);
    /* A fill of the words [10, 150) and the nodes 10 to 149 places from the root. */
    struct rng r;
    rng_seed(&r, 29, 0);
    fill(m[1].in, (int)floats, &r);
    fill(m[1].out_hs, (int)nodes, &r);
    replica_fill(&st[1], &m[1], 10, 150);
    size_t d = T_DIM;
    CHECK(st[1].hot_in[9 * d] != m[1].in[9 * d]);
    CHECK(st[1].hot_in[10 * d] == m[1].in[10 * d]);
    CHECK(st[1].hot_base[149 * d + d - 1] == m[1].in[149 * d + d - 1]);
    CHECK(st[1].hot_in[150 * d] != m[1].in[150 * d]);
    /* Node r places from the root: copy hot_node[T_HOT - 1 - r], model out_hs[n - 2 - r]. */
    size_t last = (size_t)(T_WORDS - 2);
    CHECK(st[1].hot_node[(T_HOT - 1 - 9) * d] != m[1].out_hs[(last - 9) * d]);
    CHECK(st[1].hot_node[(T_HOT - 1 - 10) * d] == m[1].out_hs[(last - 10) * d]);
    CHECK(st[1].hot_node[(T_HOT - 1 - 149) * d] == m[1].out_hs[(last - 149) * d]);
    CHECK(st[1].hot_node[(T_HOT - 1 - 150) * d] != m[1].out_hs[(last - 150) * d]);
    for (int run = 0; run < 2; run++) {
        update_state_free(&st[run]);
        model_free(&m[run]);
    }
}

/* Merge tiers: with 2 threads the 64, 256, 1,024 and 4,096 most frequent rows merge every
 * 1,250, 5,000, 20,000 and 80,000 positions and every copied row every 100,000; the
 * largest tier due is the one merged; intervals shrink with the thread count. */
static void test_merge_tiers(void)
{
    CHECK_EQ(replica_every(2, 0), 1250);
    CHECK_EQ(replica_every(2, 1), 5000);
    CHECK_EQ(replica_every(2, 2), 20000);
    CHECK_EQ(replica_every(2, 3), 80000);
    CHECK_EQ(replica_every(2, REPLICA_TIERS), 100000);
    CHECK_EQ(replica_every(1, 0), 2500);
    CHECK_EQ(replica_every(8, 0), 312);
    CHECK_EQ(replica_every(100000, 0), 1); /* never 0 */
    CHECK_EQ(replica_due(2, 0, 1249), 0);
    CHECK_EQ(replica_due(2, 1249, 1250), 64);
    CHECK_EQ(replica_due(2, 1250, 2499), 0);
    CHECK_EQ(replica_due(2, 4999, 5000), 256);
    CHECK_EQ(replica_due(2, 19000, 20001), 1024);
    CHECK_EQ(replica_due(2, 79999, 80000), 4096);
    CHECK_EQ(replica_due(2, 99999, 100000), INT32_MAX);
    CHECK_EQ(replica_due(2, 0, 1000000), INT32_MAX);
    for (int threads = 2; threads <= 64; threads++) {
        for (int t = 0; t <= REPLICA_TIERS; t++) {
            CHECK(replica_every(threads, t) <= replica_every(threads - 1, t));
            if (t > 0) {
                CHECK(replica_tier_rows(t) > replica_tier_rows(t - 1));
            }
        }
    }
    /* Counting in uneven steps (sentences) of at most 1,000 positions, every tier's rows
     * are merged at least once in any stretch of its interval plus one step. */
    for (int threads = 2; threads <= 16; threads *= 2) {
        int64_t last[REPLICA_TIERS + 1] = {0};
        int64_t at = 0;
        uint64_t s = 7;
        bool kept = true;
        while (at < 3000000) {
            s = s * 6364136223846793005u + 1442695040888963407u;
            int64_t step = 1 + (int64_t)((s >> 33) % 1000);
            int32_t rows = replica_due(threads, at, at + step);
            at += step;
            for (int t = 0; t <= REPLICA_TIERS; t++) {
                if (rows >= replica_tier_rows(t)) {
                    last[t] = at;
                }
                kept = kept && at - last[t] <= replica_every(threads, t) + 1000;
            }
        }
        CHECK(kept);
    }
}

int main(void)
{
    log_set_level(LOG_QUIET);
    RUN(test_replicas_train_like_model);
    RUN(test_merge_adds_changes);
    RUN(test_merge_nodes);
    RUN(test_merge_in_ranges);
    RUN(test_merge_tiers);
    TEST_MAIN("replica");
}
