/* Unit tests of loading vector files (text, binary, gzip, every error); the searches and
 * the evaluations have their own (test_knn.c, test_eval.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "query/embed.h"
#include "harness.h"
#include "toyvec.h"

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
    CHECK_EQ(embed_load(&e, put_str("toy.vec", toy_text), VEC_AUTO, 0, EMBED_COPY, &err), 0);
    check_toy(&e);
    embed_free(&e);
    unsigned char bin[512];
    size_t n = toy_binary(bin, true);
    CHECK_EQ(embed_load(&e, put("toy.bin", bin, n), VEC_AUTO, 0, EMBED_COPY, &err), 0);
    check_toy(&e);
    embed_free(&e);
    CHECK_EQ(embed_load(&e, path_of("toy.bin"), VEC_AUTO, 0, EMBED_MAP, &err), 0);
    CHECK(e.map != NULL); /* read in place */
    check_toy(&e);
    embed_free(&e);
    n = toy_binary(bin, false);
    for (int map = 0; map <= 1; map++) {
        CHECK_EQ(embed_load(&e, put("toy-nonl.bin", bin, n), VEC_AUTO, 0, map ? EMBED_MAP : EMBED_COPY, &err), 0);
        check_toy(&e);
        embed_free(&e);
        CHECK_EQ(embed_load(&e, path_of("toy-nonl.bin"), VEC_AUTO, 3, map ? EMBED_MAP : EMBED_COPY, &err), 0);
        CHECK_EQ(e.rows, 3);
        embed_free(&e);
    }
    gzFile g = gzopen(path_of("toy.vec.gz"), "wb");
    gzwrite(g, toy_text, sizeof toy_text - 1);
    gzclose(g);
    CHECK_EQ(embed_load(&e, path_of("toy.vec.gz"), VEC_AUTO, 0, EMBED_COPY, &err), 0);
    check_toy(&e);
    embed_free(&e);
    /* CRLF line ends, a non-ASCII word, no final newline */
    CHECK_EQ(embed_load(&e, put_str("crlf.vec", "2 2\r\nna\xc3\xafve 1 0\r\ncaf\xc3\xa9 0 1"), VEC_AUTO, 0,
                        false, &err),
             0);
    CHECK_EQ(e.rows, 2);
    CHECK_EQ(embed_find(&e, "caf\xc3\xa9"), 1);
    embed_free(&e);
    /* -limit keeps the first rows and ignores the rest, even a broken rest */
    CHECK_EQ(embed_load(&e, put_str("lim.vec", "3 1\na 1\nb 2\nc x y\n"), VEC_AUTO, 2, EMBED_COPY, &err), 0);
    CHECK_EQ(e.rows, 2);
    CHECK_EQ(embed_find(&e, "c"), -1);
    embed_free(&e);
}

static void expect_load_error(const char *name, const void *data, size_t n, const char *needle)
{
    struct embed e;
    struct w2v_err err = {{0}, 0};
    const char *p = put(name, data, n);
    for (int map = 0; map <= 1; map++) {
        CHECK_EQ(embed_load(&e, p, VEC_AUTO, 0, map ? EMBED_MAP : EMBED_COPY, &err), -1);
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
    struct w2v_err err = {{0}, 0};
    CHECK_EQ(embed_load(&e, p, VEC_AUTO, 0, EMBED_COPY, &err), 0);
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
    struct w2v_err err = {{0}, 0};
    CHECK_EQ(embed_load(&e, path_of("absent.vec"), VEC_AUTO, 0, EMBED_COPY, &err), -1);
    CHECK(strstr(err.msg, "No such file or directory") != NULL);
    CHECK_EQ(embed_load(&e, toy_dir, VEC_AUTO, 0, EMBED_COPY, &err), -1);
    CHECK(strstr(err.msg, "Is a directory") != NULL);
}

int main(void)
{
    harness_scratch(toy_dir);
    RUN(test_load_formats);
    RUN(test_load_grows);
    RUN(test_load_errors);
    harness_scratch_remove(toy_dir);
    TEST_MAIN("embed");
}
