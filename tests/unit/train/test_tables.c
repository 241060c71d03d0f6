/* Unit tests of the training tables: Huffman codes, the alias sampler, subsampling and
 * the sigmoid table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "train/model.h"
#include "train/huffman.h"
#include "train/sampler.h"
#include "train/sigmoid.h"
#include "base/vec.h"

/* Checks prefix-freeness, the Kraft equality sum 2^-len = 1, and that each word's path
 * starts at the root and visits distinct inner nodes. */
static void check_tree(const int64_t *counts, int64_t n)
{
    struct huffman h;
    struct w2v_err err;
    CHECK_EQ(huffman_build(counts, n, &h, &err), 0);
    long double kraft = 0.0L;
    int bad_root = 0;
    for (int64_t w = 0; w < n; w++) {
        kraft += ldexpl(1.0L, -(int)h.len[w]);
        if (n > 1 && h.point[h.start[w]] != n - 2) {
            bad_root++;
        }
    }
    CHECK_NEAR((double)kraft, 1.0, 1e-12);
    CHECK_EQ(bad_root, 0);
    int prefix = 0;
    for (int64_t a = 0; a < n && n <= 300; a++) {
        for (int64_t b = 0; b < n; b++) {
            if (a == b || h.len[a] > h.len[b]) {
                continue;
            }
            if (memcmp(h.code + h.start[a], h.code + h.start[b], h.len[a]) == 0) {
                prefix++;
            }
        }
    }
    CHECK_EQ(prefix, 0);
    huffman_free(&h);
}

static void test_huffman_shapes(void)
{
    int64_t two[] = {5, 3};
    check_tree(two, 2);
    int64_t flat[64];
    for (int i = 0; i < 64; i++) {
        flat[i] = 10;
    }
    check_tree(flat, 64);
    int64_t zipf[300];
    for (int i = 0; i < 300; i++) {
        zipf[i] = 100000 / (i + 1);
    }
    check_tree(zipf, 300);
    int64_t zeros[5] = {0, 0, 0, 0, 0};
    check_tree(zeros, 5);
}

static void test_huffman_lengths(void)
{
    /* Frequent words get codes no longer than rare ones; powers of two give exact lengths. */
    int64_t counts[] = {8, 4, 2, 1, 1};
    struct huffman h;
    struct w2v_err err;
    CHECK_EQ(huffman_build(counts, 5, &h, &err), 0);
    CHECK_EQ(h.len[0], 1);
    CHECK_EQ(h.len[1], 2);
    CHECK_EQ(h.len[2], 3);
    CHECK_EQ(h.len[3], 4);
    CHECK_EQ(h.len[4], 4);
    huffman_free(&h);
}

static void test_huffman_deep(void)
{
    /* Fibonacci counts give the deepest possible tree: depth n-1. */
    enum { N = 80 };
    int64_t fib[N];
    fib[0] = 1;
    fib[1] = 1;
    for (int i = 2; i < N; i++) {
        fib[i] = fib[i - 1] + fib[i - 2];
    }
    check_tree(fib, N);
    struct huffman h;
    struct w2v_err err;
    CHECK_EQ(huffman_build(fib, N, &h, &err), 0);
    int maxlen = 0;
    for (int i = 0; i < N; i++) {
        maxlen = h.len[i] > maxlen ? h.len[i] : maxlen;
    }
    CHECK_EQ(maxlen, N - 1);
    huffman_free(&h);
}

static void test_alias_frequencies(void)
{
    int64_t counts[] = {0, 1000, 300, 50, 7, 1};
    int n = 6;
    struct unigram u;
    struct w2v_err err;
    CHECK_EQ(unigram_build(counts, n, 0, 0.75, &u, &err), 0);
    double z = 0.0;
    for (int i = 0; i < n; i++) {
        z += counts[i] ? pow((double)counts[i], 0.75) : 0.0;
    }
    enum { DRAWS = 2000000 };
    long hits[6] = {0};
    struct rng r;
    rng_seed(&r, 7, 0);
    for (int k = 0; k < DRAWS; k++) {
        hits[unigram_draw(&u, &r)]++;
    }
    CHECK_EQ(hits[0], 0);
    for (int i = 1; i < n; i++) {
        double p = pow((double)counts[i], 0.75) / z;
        double sd = sqrt(p * (1 - p) / DRAWS);
        CHECK_NEAR((double)hits[i] / DRAWS, p, 5 * sd + 1e-6);
    }
    unigram_free(&u);
    int64_t none[] = {0, 0};
    CHECK_EQ(unigram_build(none, 2, 0, 0.75, &u, &err), -1);
}

/* The model's negative-sampling table never draws the sentence end "</s>" (id 0), however
 * many line ends the corpus has, and still draws the words by their weights. */
static void test_model_skips_eos(void)
{
    int64_t counts[] = {5000, 400, 300, 200, 100};
    struct train_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.kind = MODEL_SKIPGRAM;
    cfg.dim = 4;
    cfg.negative = 5;
    cfg.ns_exponent = 0.75;
    cfg.sample = 0.0;
    cfg.threads = 1;
    struct model m;
    struct w2v_err err;
    CHECK_EQ(model_new(&m, &cfg, counts, NULL, 5, NULL, &err), 0);
    struct rng r;
    rng_seed(&r, 3, 0);
    long hits[5] = {0};
    for (int k = 0; k < 100000; k++) {
        hits[unigram_draw(&m.uni, &r)]++;
    }
    CHECK_EQ(hits[0], 0);
    CHECK(hits[1] > hits[4]);
    /* Untrained: six decisions (one positive, five negatives) at ln 2 each. */
    CHECK_NEAR(m.untrained_loss, 6.0 * log(2.0), 1e-9);
    CHECK_NEAR(m.kept_fraction, 1.0, 1e-12);
    model_free(&m);
}

/* Weights set up by several threads are those one thread sets up: every cell of the input
 * matrix, over more than two pieces of the set-up, is the draw of its index from the
 * initialisation stream, and the output matrix is zero. */
static void test_setup_threads(void)
{
    enum { N = 1100000, DIM = 8 };
    int64_t *counts = malloc(N * sizeof *counts);
    for (int64_t i = 0; i < N; i++) {
        counts[i] = N + 10 - i;
    }
    struct train_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.kind = MODEL_SKIPGRAM;
    cfg.dim = DIM;
    cfg.negative = 5;
    cfg.ns_exponent = 0.75;
    cfg.seed = 7;
    struct model one;
    struct model four;
    struct w2v_err err;
    cfg.threads = 1;
    CHECK_EQ(model_new(&one, &cfg, counts, NULL, N, NULL, &err), 0);
    cfg.threads = 4;
    CHECK_EQ(model_new(&four, &cfg, counts, NULL, N, NULL, &err), 0);
    size_t cells = (size_t)N * DIM;
    CHECK_EQ(memcmp(one.in, four.in, cells * sizeof(float)), 0);
    struct rng r;
    rng_seed(&r, 7, 0x5eed);
    int off = 0;
    int nonzero = 0;
    for (size_t i = 0; i < cells; i++) {
        float want = (rng_uniform(&r) - 0.5f) / (float)DIM;
        off += four.in[i] != want;
        nonzero += four.out_ns[i] != 0.0f;
    }
    CHECK_EQ(off, 0);
    CHECK_EQ(nonzero, 0);
    /* Skipping n draws lands where n draws do. */
    struct rng a;
    struct rng b;
    rng_seed(&a, 3, 1);
    b = a;
    for (int k = 0; k < 1000; k++) {
        (void)rng_next(&a);
    }
    rng_skip(&b, 1000);
    CHECK(rng_next(&a) == rng_next(&b));
    model_free(&one);
    model_free(&four);
    free(counts);
}

/* Streams of one seed (the threads) and the same stream of neighbouring seeds must not
 * replay one another: none of one stream's first draws may turn up among another's. */
static void test_rng_streams(void)
{
    enum { LOOK = 4096, PROBE = 64 };
    static uint64_t seen[LOOK];
    struct rng base;
    rng_seed(&base, 1, 0);
    for (int k = 0; k < LOOK; k++) {
        seen[k] = rng_next(&base);
    }
    const uint64_t other[][2] = {{1, 1}, {1, 2}, {1, 0x5eed}, {2, 0}, {0, 0}};
    for (size_t o = 0; o < sizeof other / sizeof other[0]; o++) {
        struct rng r;
        rng_seed(&r, other[o][0], other[o][1]);
        int repeats = 0;
        for (int k = 0; k < PROBE; k++) {
            uint64_t x = rng_next(&r);
            for (int j = 0; j < LOOK; j++) {
                repeats += seen[j] == x;
            }
        }
        CHECK_EQ(repeats, 0);
    }
    /* The same seed and stream give the same draws. */
    struct rng a;
    struct rng b;
    rng_seed(&a, 9, 3);
    rng_seed(&b, 9, 3);
    int differ = 0;
    for (int k = 0; k < PROBE; k++) {
        differ += rng_next(&a) != rng_next(&b);
    }
    CHECK_EQ(differ, 0);
}

static void test_subsample(void)
{
    /* keep = (sqrt(f/(tN)) + 1) tN/f: f = 4 tN gives (2 + 1) / 4 */
    CHECK_NEAR(subsample_keep(4000, 1000000, 1e-3), 0.75, 1e-12);
    CHECK_NEAR(subsample_keep(10, 1000000, 1e-3), 1.0, 0.0);
    CHECK_NEAR(subsample_keep(999999, 1000000, 0.0), 1.0, 0.0);
}

static void test_sigmoid(void)
{
    struct sigmoid t;
    sigmoid_init(&t);
    double step = 2.0 * (double)SIGMOID_MAX / SIGMOID_SIZE;
    double worst = 0.0;
    double worst_log = 0.0;
    for (double x = -(double)SIGMOID_MAX; x <= (double)SIGMOID_MAX; x += 0.001) {
        double s = 1.0 / (1.0 + exp(-x));
        worst = fmax(worst, fabs((double)t.value[sigmoid_index(&t, (float)x)] - s));
        worst_log = fmax(worst_log,
                         fabs((double)t.logv[sigmoid_index(&t, (float)x)] - log1p(exp(-x))));
    }
    /* nearest entry: at most half a step times the largest slope (1/4) */
    CHECK(worst <= 0.125 * step + 1e-6);
    CHECK(worst_log <= 0.5 * step + 1e-6);
    CHECK_NEAR(t.value[sigmoid_index(&t, 0.0f)], 0.5, 1e-6);
    CHECK_NEAR(t.value[sigmoid_index(&t, 2.0f)], 1.0 / (1.0 + exp(-2.0)), 0.125 * step);
    CHECK_NEAR(t.value[sigmoid_index(&t, 100.0f)], 1.0 / (1.0 + exp(-(double)SIGMOID_MAX)), 1e-7);
    CHECK_NEAR(t.value[sigmoid_index(&t, -100.0f)], 1.0 / (1.0 + exp((double)SIGMOID_MAX)), 1e-7);
    CHECK_EQ(sigmoid_index(&t, NAN), 0);
}

/* The dot product over rows at odd byte addresses (mapped binary files) gives what the
 * aligned one gives, for lengths with and without a partial last block (to rounding: the
 * compiler may fuse multiply-adds differently in the two). */
static void test_dot_bytes(void)
{
    float a[53];
    float b[53];
    for (int i = 0; i < 53; i++) {
        a[i] = (float)((i * 37) % 11) - 4.5f;
        b[i] = 0.25f * (float)((i * 13) % 7) - 0.6f;
    }
    unsigned char raw[53 * sizeof(float) + 3];
    for (int shift = 0; shift < 4; shift++) {
        memcpy(raw + shift, a, sizeof a);
        for (int n = 0; n <= 53; n += 13) {
            CHECK_NEAR(vec_dot_bytes(raw + shift, b, n), vec_dot(a, b, n), 1e-4);
            CHECK_NEAR(vec_dot_bytes(raw + shift, raw + shift, n), vec_dot(a, a, n), 1e-4);
        }
    }
    CHECK(vec_dot(a, b, 53) != 0.0f);
}

int main(void)
{
    RUN(test_huffman_shapes);
    RUN(test_huffman_lengths);
    RUN(test_huffman_deep);
    RUN(test_alias_frequencies);
    RUN(test_model_skips_eos);
    RUN(test_setup_threads);
    RUN(test_rng_streams);
    RUN(test_subsample);
    RUN(test_sigmoid);
    RUN(test_dot_bytes);
    TEST_MAIN("tables");
}
