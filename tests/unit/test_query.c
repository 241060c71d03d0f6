/* Unit tests of the query side: loading vector files (text, binary, gzip, every error),
 * nearest neighbours and analogies with hand-computed rankings, and the evaluations
 * against hand-computed accuracies and correlations. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "embed.h"
#include "eval.h"
#include "harness.h"
#include "knn.h"

static char dir[] = "/tmp/w2v-query-XXXXXX";

/* Seven rows over (royal, gender, common): king - man + woman is exactly queen. */
static const char toy_text[] = "7 3\n"
                               "king 1 1 0\n"
                               "queen 1 -1 0\n"
                               "man 0 1 1\n"
                               "woman 0 -1 1\n"
                               "prince 2 1 0.2\n"
                               "apple 0.1 0 -1\n"
                               "Paris 1 0 0\n";

static const char *path_of(const char *name)
{
    static char buf[4][512];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

static const char *put(const char *name, const void *data, size_t n)
{
    const char *p = path_of(name);
    FILE *f = fopen(p, "wb");
    fwrite(data, 1, n, f);
    fclose(f);
    return p;
}

static const char *put_str(const char *name, const char *text)
{
    return put(name, text, strlen(text));
}

/* The toy rows in word2vec's binary layout, with or without the newline after rows. */
static size_t toy_binary(unsigned char *out, bool newlines)
{
    static const char *const words[] = {"king", "queen", "man", "woman", "prince", "apple",
                                        "Paris"};
    static const float v[7][3] = {{1, 1, 0}, {1, -1, 0}, {0, 1, 1}, {0, -1, 1},
                                  {2, 1, 0.2f}, {0.1f, 0, -1}, {1, 0, 0}};
    size_t at = (size_t)sprintf((char *)out, "7 3\n");
    for (int r = 0; r < 7; r++) {
        at += (size_t)sprintf((char *)out + at, "%s ", words[r]);
        for (int d = 0; d < 3; d++) {
            uint32_t u;
            memcpy(&u, &v[r][d], 4);
            for (int b = 0; b < 4; b++) {
                out[at++] = (unsigned char)(u >> (8 * b)); /* little-endian */
            }
        }
        if (newlines) {
            out[at++] = '\n';
        }
    }
    return at;
}

static void check_toy(struct embed *e)
{
    CHECK_EQ(e->rows, 7);
    CHECK_EQ(e->dim, 3);
    CHECK_EQ(embed_find(e, "king"), 0);
    CHECK_EQ(embed_find(e, "Paris"), 6);
    CHECK_EQ(embed_find(e, "paris"), -1);
    float scratch[3];
    CHECK_NEAR(embed_unit(e, 0, scratch)[0], 1 / sqrt(2.0), 1e-6);
    CHECK_NEAR(embed_unit(e, 4, scratch)[2], 0.2 / sqrt(5.04), 1e-6);
}

static void test_load_formats(void)
{
    struct embed e;
    struct w2v_err err;
    CHECK_EQ(embed_load(&e, put_str("toy.vec", toy_text), VEC_AUTO, 0, false, &err), 0);
    check_toy(&e);
    embed_free(&e);
    unsigned char bin[512];
    size_t n = toy_binary(bin, true);
    CHECK_EQ(embed_load(&e, put("toy.bin", bin, n), VEC_AUTO, 0, false, &err), 0);
    check_toy(&e);
    embed_free(&e);
    CHECK_EQ(embed_load(&e, path_of("toy.bin"), VEC_AUTO, 0, true, &err), 0);
    CHECK(e.map != NULL); /* read in place */
    check_toy(&e);
    embed_free(&e);
    n = toy_binary(bin, false);
    for (int map = 0; map <= 1; map++) {
        CHECK_EQ(embed_load(&e, put("toy-nonl.bin", bin, n), VEC_AUTO, 0, map, &err), 0);
        check_toy(&e);
        embed_free(&e);
        CHECK_EQ(embed_load(&e, path_of("toy-nonl.bin"), VEC_AUTO, 3, map, &err), 0);
        CHECK_EQ(e.rows, 3);
        embed_free(&e);
    }
    gzFile g = gzopen(path_of("toy.vec.gz"), "wb");
    gzwrite(g, toy_text, sizeof toy_text - 1);
    gzclose(g);
    CHECK_EQ(embed_load(&e, path_of("toy.vec.gz"), VEC_AUTO, 0, false, &err), 0);
    check_toy(&e);
    embed_free(&e);
    /* CRLF line ends, a non-ASCII word, no final newline */
    CHECK_EQ(embed_load(&e, put_str("crlf.vec", "2 2\r\nna\xc3\xafve 1 0\r\ncaf\xc3\xa9 0 1"),
                        VEC_AUTO, 0,
                        false, &err),
             0);
    CHECK_EQ(e.rows, 2);
    CHECK_EQ(embed_find(&e, "caf\xc3\xa9"), 1);
    embed_free(&e);
    /* -limit keeps the first rows and ignores the rest, even a broken rest */
    CHECK_EQ(embed_load(&e, put_str("lim.vec", "3 1\na 1\nb 2\nc x y\n"), VEC_AUTO, 2, false, &err), 0);
    CHECK_EQ(e.rows, 2);
    CHECK_EQ(embed_find(&e, "c"), -1);
    embed_free(&e);
}

static void expect_load_error(const char *name, const void *data, size_t n, const char *needle)
{
    struct embed e;
    struct w2v_err err = {{0}};
    const char *p = put(name, data, n);
    for (int map = 0; map <= 1; map++) {
        CHECK_EQ(embed_load(&e, p, VEC_AUTO, 0, map, &err), -1);
        if (strstr(err.msg, needle) == NULL || strstr(err.msg, name) == NULL) {
            fprintf(stderr, "  %s (map %d): got '%s', want '%s'\n", name, map, err.msg, needle);
            CHECK(0);
        }
    }
}

#define EXPECT_TEXT_ERROR(name, text, needle) expect_load_error(name, text, strlen(text), needle)

/* A gzipped file of unknown size is read into a block that doubles as rows arrive: every
 * row must survive the moves (80,000 rows of 8 values outgrow the first block twice). */
static void test_load_grows(void)
{
    enum { ROWS = 80000, DIM = 8 };
    const char *p = path_of("grow.vec.gz");
    gzFile f = gzopen(p, "wb1");
    gzprintf(f, "%d %d\n", ROWS, DIM);
    for (int r = 0; r < ROWS; r++) {
        gzprintf(f, "w%d", r);
        for (int d = 0; d < DIM; d++) {
            gzprintf(f, " %d", d == r % DIM ? 1 + r % 7 : 0);
        }
        gzprintf(f, "\n");
    }
    gzclose(f);
    struct embed e;
    struct w2v_err err = {{0}};
    CHECK_EQ(embed_load(&e, p, VEC_AUTO, 0, false, &err), 0);
    CHECK_EQ(e.rows, ROWS);
    int bad = 0;
    for (int r = 0; r < e.rows; r++) {
        char want[16];
        snprintf(want, sizeof want, "w%d", r);
        const float *v = embed_row(&e, r);
        for (int d = 0; d < DIM; d++) {
            bad += v[d] != (d == r % DIM ? 1.0f : 0.0f);
        }
        bad += strcmp(embed_word(&e, r), want) != 0;
    }
    CHECK_EQ(bad, 0);
    embed_free(&e);
}

static void test_load_errors(void)
{
    EXPECT_TEXT_ERROR("empty.vec", "", "empty file");
    EXPECT_TEXT_ERROR("hdr1.vec", "3\na 1 2 3\n", ":1: expected a 'COUNT DIM' header");
    EXPECT_TEXT_ERROR("hdr2.vec", "x 3\n", ":1: expected a 'COUNT DIM' header");
    EXPECT_TEXT_ERROR("hdr3.vec", "0 3\n", ":1: bad header");
    EXPECT_TEXT_ERROR("hdr4.vec", "2 -3\n", ":1: bad header");
    EXPECT_TEXT_ERROR("hdr5.vec", "2 99999999\n", ":1: bad header");
    EXPECT_TEXT_ERROR("hdr6.vec", "99999999999999999999 3\n", ":1: expected a 'COUNT DIM'");
    EXPECT_TEXT_ERROR("few.vec", "3 2\na 1 2\nb 3 4\n", "2 rows, but the header says 3");
    EXPECT_TEXT_ERROR("ragged.vec", "2 3\na 1 2 3\nb 1 2\n", ":3: expected 3 values, got 2");
    EXPECT_TEXT_ERROR("long.vec", "1 2\na 1 2 3\n", ":2: expected 2 values, got 3");
    EXPECT_TEXT_ERROR("nan.vec", "1 3\na 1 nan 3\n", ":2: value 2 is not finite");
    EXPECT_TEXT_ERROR("inf.vec", "1 3\na 1 2 -inf\n", ":2: value 3 is not finite");
    EXPECT_TEXT_ERROR("junk.vec", "1 3\na 1 x 3\n", ":2: value 2 is not a number");
    unsigned char bin[512];
    size_t n = toy_binary(bin, true);
    expect_load_error("trunc.bin", bin, n - 7, ": row 7: truncated row");
    expect_load_error("short.bin", bin, 37, ": row 2: truncated row");
    expect_load_error("rows.bin", bin, 40, "2 rows, but the header says 7");
    unsigned char nanrow[64];
    size_t at = (size_t)sprintf((char *)nanrow, "1 2\nw ");
    const float bad[2] = {1.0f, NAN};
    memcpy(nanrow + at, bad, 8);
    expect_load_error("nan.bin", nanrow, at + 8, ": row 1: value 2 is not finite");
    /* A header promising far more rows than the file holds (found by the fuzzer: it
     * used to reserve the promised matrix before reading a row). */
    EXPECT_TEXT_ERROR("lie.vec", "25155 227777\nw0 1\n", ":2: expected 227777 values, got 1");
    unsigned char lie[600];
    memcpy(lie, "900000000 3\n", 12);
    memcpy(lie + 12, bin + 4, n - 4);
    expect_load_error("lie.bin", lie, n + 8, "7 rows, but the header says 900000000");
    struct embed e;
    struct w2v_err err = {{0}};
    CHECK_EQ(embed_load(&e, path_of("absent.vec"), VEC_AUTO, 0, false, &err), -1);
    CHECK(strstr(err.msg, "No such file or directory") != NULL);
    CHECK_EQ(embed_load(&e, dir, VEC_AUTO, 0, false, &err), -1);
    CHECK(strstr(err.msg, "Is a directory") != NULL);
}

static void neighbours(bool mapped)
{
    struct embed e;
    struct w2v_err err;
    unsigned char bin[512];
    size_t nb = toy_binary(bin, true);
    CHECK_EQ(embed_load(&e, mapped ? put("n.bin", bin, nb) : put_str("n.vec", toy_text),
                        VEC_AUTO, 0,
                        mapped, &err),
             0);
    CHECK((e.map != NULL) == mapped);
    struct hit h[10];
    int64_t king = 0;
    /* cosines with king: prince 3/sqrt(2*5.04), Paris 1/sqrt(2), man 0.5,
     * apple 0.1/sqrt(2*1.01), queen 0, woman -0.5 */
    float kq[3];
    memmove(kq, embed_unit(&e, king, kq), sizeof kq);
    int n = knn_search(&e, 0, kq, 10, &king, 1, h);
    CHECK_EQ(n, 6);
    static const char *const want[] = {"prince", "Paris", "man", "apple", "queen", "woman"};
    for (int i = 0; i < n && i < 6; i++) {
        CHECK(strcmp(embed_word(&e, h[i].row), want[i]) == 0);
    }
    CHECK_NEAR(h[0].score, 3 / sqrt(2 * 5.04), 1e-6);
    CHECK_NEAR(h[2].score, 0.5, 1e-6);
    CHECK_NEAR(h[5].score, -0.5, 1e-6);
    /* k smaller than the candidates, and a limit on the rows searched */
    CHECK_EQ(knn_search(&e, 0, kq, 2, &king, 1, h), 2);
    CHECK_EQ(knn_search(&e, 4, kq, 10, &king, 1, h), 3);
    CHECK(strcmp(embed_word(&e, h[0].row), "man") == 0);
    embed_free(&e);
}

static void test_neighbours(void)
{
    neighbours(false);
    neighbours(true);
}

static void analogies(bool mapped)
{
    struct embed e;
    struct w2v_err err;
    unsigned char bin[512];
    size_t nb = toy_binary(bin, false);
    CHECK_EQ(embed_load(&e, mapped ? put("a.bin", bin, nb) : put_str("a.vec", toy_text),
                        VEC_AUTO, 0,
                        mapped, &err),
             0);
    struct hit h[10];
    float s0[3];
    float s2[3];
    float s3[3];
    const float *u0 = embed_unit(&e, 0, s0);
    const float *u2 = embed_unit(&e, 2, s2);
    const float *u3 = embed_unit(&e, 3, s3);
    /* 3CosAdd: king - man + woman = (1,-1,0)/sqrt(2): queen 1, Paris 1/sqrt(2),
     * prince 1/sqrt(2*5.04), apple 0.1/sqrt(2*1.01) */
    float q[3];
    for (int d = 0; d < 3; d++) {
        q[d] = u0[d] - u2[d] + u3[d];
    }
    float len = sqrtf(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]);
    for (int d = 0; d < 3; d++) {
        q[d] /= len;
    }
    int64_t excl[3] = {0, 2, 3};
    int n = knn_search(&e, 0, q, 10, excl, 3, h);
    CHECK_EQ(n, 4);
    static const char *const add[] = {"queen", "Paris", "prince", "apple"};
    for (int i = 0; i < n && i < 4; i++) {
        CHECK(strcmp(embed_word(&e, h[i].row), add[i]) == 0);
    }
    CHECK_NEAR(h[0].score, 1.0, 1e-6);
    CHECK_NEAR(h[2].score, 1 / sqrt(2 * 5.04), 1e-6);
    /* 3CosMul with c' = (cos + 1) / 2: queen .5 * .75 / .25 = 1.5, Paris .8536 * .5 / .5,
     * apple .5352 (its cosines with man and woman are equal and cancel), prince .5279 */
    n = knn_cosmul(&e, 0, 0, 2, 3, 10, h);
    CHECK_EQ(n, 4);
    static const char *const mul[] = {"queen", "Paris", "apple", "prince"};
    for (int i = 0; i < n && i < 4; i++) {
        CHECK(strcmp(embed_word(&e, h[i].row), mul[i]) == 0);
    }
    CHECK_NEAR(h[0].score, 1.5, 1e-4);
    CHECK_NEAR(h[1].score, (1 + 1 / sqrt(2.0)) / 2, 1e-4);
    CHECK_NEAR(h[2].score, (1 + 0.1 / sqrt(2 * 1.01)) / 2, 1e-4);
    embed_free(&e);
}

static void test_analogies(void)
{
    analogies(false);
    analogies(true);
}

static void test_eval_analogy(void)
{
    struct embed e;
    struct w2v_err err;
    CHECK_EQ(embed_load(&e, put_str("ev.vec", toy_text), VEC_AUTO, 0, false, &err), 0);
    const char *q = put_str("q.txt", ": royal\n"
                                     "MAN KING WOMAN QUEEN\n"
                                     "man king woman prince\n"
                                     "man king woman unknownword\n"
                                     "\n"
                                     ": gram-test\n"
                                     "king queen man woman\n");
    for (int mul = 0; mul <= 1; mul++) {
        struct eval_analogies r;
        CHECK_EQ(eval_analogy(&e, q, 30000, mul, 2, &r, &err), 0);
        CHECK_EQ(r.nsections, 2);
        CHECK_EQ(r.total, 4);
        CHECK_EQ(r.used, 3);
        CHECK_EQ(r.correct, 2);
        CHECK_EQ(r.sem_used, 2);
        CHECK_EQ(r.sem_correct, 1);
        CHECK_EQ(r.syn_used, 1);
        CHECK_EQ(r.syn_correct, 1);
        CHECK(r.nsections == 2 && strcmp(r.sections[1].name, "gram-test") == 0);
        eval_analogies_free(&r);
    }
    /* restricted to the first 4 rows, the question naming prince is skipped */
    struct eval_analogies r;
    CHECK_EQ(eval_analogy(&e, q, 4, false, 1, &r, &err), 0);
    CHECK_EQ(r.used, 2);
    CHECK_EQ(r.correct, 2);
    eval_analogies_free(&r);
    CHECK_EQ(eval_analogy(&e, put_str("bad1.txt", ": s\na b c\n"), 0, false, 1, &r, &err), -1);
    CHECK(strstr(err.msg, "bad1.txt:2: expected 4 words") != NULL);
    CHECK_EQ(eval_analogy(&e, put_str("bad2.txt", "a b c d\n"), 0, false, 1, &r, &err), -1);
    CHECK(strstr(err.msg, "bad2.txt:1: question before the first ': section' line") != NULL);
    embed_free(&e);
}

static void test_eval_pairs(void)
{
    struct embed e;
    struct w2v_err err;
    CHECK_EQ(embed_load(&e, put_str("p.vec", toy_text), VEC_AUTO, 0, false, &err), 0);
    const char *p = put_str("pairs.txt", "# a comment\n"
                                         "king\tqueen\t5\n"
                                         "KING man 5\n"
                                         "king\tprince\t9\n"
                                         "king apple 1\n"
                                         "king paris 7\n"
                                         "king nothing 3\n");
    struct eval_pairs r;
    CHECK_EQ(eval_pairs(&e, p, 300000, &r, &err), 0);
    CHECK_EQ(r.used, 5);
    CHECK_EQ(r.total, 6);
    /* ranks (gold ties averaged): gold 2.5 2.5 5 1 4, model 1 3 5 2 4: r = 8 / sqrt(9.5 * 10) */
    CHECK_NEAR(r.spearman, 8 / sqrt(95.0), 1e-9);
    /* Pearson of the raw values, worked out by hand: 4.02347 / sqrt(35.2 * 0.660015) */
    CHECK_NEAR(r.pearson, 0.834742, 1e-5);
    CHECK_EQ(eval_pairs(&e, put_str("bad.txt", "king queen high\n"), 0, &r, &err), -1);
    CHECK(strstr(err.msg, "bad.txt:1: expected 'word word score'") != NULL);
    double x[] = {1, 2, 3, 4};
    double y[] = {4, 3, 2, 1};
    CHECK_NEAR(eval_spearman(x, y, 4), -1.0, 1e-12);
    CHECK(isnan(eval_spearman(x, y, 1)));
    embed_free(&e);
}

int main(void)
{
    harness_scratch(dir);
    RUN(test_load_formats);
    RUN(test_load_grows);
    RUN(test_load_errors);
    RUN(test_neighbours);
    RUN(test_analogies);
    RUN(test_eval_analogy);
    RUN(test_eval_pairs);
    harness_scratch_remove(dir);
    TEST_MAIN("query");
}
