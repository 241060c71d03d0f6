/* Unit tests of linevec: the mean of unit vectors and SIF's weighted mean on a model of
 * hand-picked vectors, against values worked out here from the formulas; SIF's weight;
 * the top eigenvector against matrices built from known eigenvectors; the removal; and
 * whole runs (several files, lines longer than a batch, threads, SIF's two passes, a NUL
 * byte) against the same hand values. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fixture.h"
#include "harness.h"
#include "query/embed.h"
#include "query/linevec.h"
#include "text/vocab.h"

/* Rows: A (3,4) has unit vector (0.6, 0.8); B (1,0) and C (0,2) lie on the axes; Z is
 * zero; big is 10 A; words are matched case included. */
static const char model_text[] = "6 2\n"
                                 "A 3 4\n"
                                 "B 1 0\n"
                                 "C 0 2\n"
                                 "Z 0 0\n"
                                 "big 30 40\n"
                                 "</s> 1 1\n";

static void load(struct embed *e, enum embed_mode mode)
{
    struct w2v_err err;
    int rc = embed_load(e, fx_write_text("m.vec", model_text), VEC_AUTO, 0, mode, &err);
    if (rc != 0) {
        fprintf(stderr, "%s\n", err.msg);
        exit(1);
    }
}

/* linevec_line of 'text' is (x, y), with 'n' words counted. */
static void check_line(const struct linevec *lv, const char *text, double x, double y,
                       int64_t n)
{
    float out[2] = {-1.0f, -1.0f};
    int64_t got = linevec_line(lv, text, strlen(text), out);
    if (got != n || fabs((double)out[0] - x) > 1e-6 || fabs((double)out[1] - y) > 1e-6) {
        fprintf(stderr, "line '%s': %lld words, (%g, %g); expected %lld, (%g, %g)\n", text,
                (long long)got, (double)out[0], (double)out[1], (long long)n, x, y);
    }
    CHECK_EQ(got, n);
    CHECK_NEAR(out[0], x, 1e-6);
    CHECK_NEAR(out[1], y, 1e-6);
}

static void test_plain_mean(void)
{
    struct embed e;
    load(&e, EMBED_COPY);
    struct linevec lv;
    linevec_init(&lv, &e, 1);
    const double ax = 3.0 / 5.0;
    const double ay = 4.0 / 5.0;
    check_line(&lv, "A B", (ax + 1.0) / 2.0, ay / 2.0, 2);
    check_line(&lv, "A Z", ax, ay, 1);             /* a zero vector is not counted */
    check_line(&lv, "A qq zz", ax, ay, 1);         /* nor an unknown word */
    check_line(&lv, "qq", 0.0, 0.0, 0);            /* no word: zeros */
    check_line(&lv, "", 0.0, 0.0, 0);
    check_line(&lv, "a b", 0.0, 0.0, 0);           /* case is kept */
    check_line(&lv, "\tC  C\r A\v\f", ax / 3.0, (1.0 + 1.0 + ay) / 3.0, 3);
    check_line(&lv, "big A", ax, ay, 2);           /* unit vectors: the length drops out */
    check_line(&lv, "</s>", sqrt(0.5), sqrt(0.5), 1); /* a word like any other */
    embed_free(&e);
}

static void test_sif_weight(void)
{
    CHECK_NEAR(linevec_sif_weight(10, 1000.0, 1e-3), 1e-3 / (1e-3 + 0.01), 1e-15);
    CHECK_NEAR(linevec_sif_weight(0, 1000.0, 1e-3), 1.0, 0.0);
    CHECK_NEAR(linevec_sif_weight(1000, 1000.0, 0.5), 0.5 / 1.5, 1e-15);
}

/* SIF's mean: raw vectors times a / (a + count / total), over the words counted. */
static void test_sif_line(void)
{
    struct embed e;
    load(&e, EMBED_RAW);
    struct vocab v;
    vocab_init(&v);
    struct w2v_err err;
    CHECK_EQ(vocab_read(&v, fx_write_text("c.vocab", "A 2\nB 6\n"), &err), 0);
    struct linevec lv;
    linevec_init(&lv, &e, 1);
    CHECK_EQ(linevec_sif(&lv, &v, "c.vocab", 0.5, &err), 0);
    const double wa = 0.5 / (0.5 + 2.0 / 8.0);
    const double wb = 0.5 / (0.5 + 6.0 / 8.0);
    /* C is not in the counts: weight 1 */
    check_line(&lv, "A B C", (wa * 3.0 + wb * 1.0) / 3.0, (wa * 4.0 + 2.0) / 3.0, 3);
    check_line(&lv, "big", 30.0, 40.0, 1);            /* raw: the length stays */
    check_line(&lv, "Z qq", 0.0, 0.0, 0);
    linevec_free(&lv);

    vocab_free(&v);
    vocab_init(&v);
    CHECK_EQ(vocab_read(&v, fx_write_text("z.vocab", "A 0\nB 0\n"), &err), 0);
    linevec_init(&lv, &e, 1);
    CHECK_EQ(linevec_sif(&lv, &v, "z.vocab", 0.5, &err), -1);
    CHECK(strcmp(err.msg, "z.vocab: the counts add up to 0") == 0);
    vocab_free(&v);
    embed_free(&e);
}

/* C = sum of lambda_i q_i q_i^T over an orthonormal basis q: the top direction is q_1. */
static void test_top_direction(void)
{
    const double q[3][3] = {{1.0 / 3, 2.0 / 3, 2.0 / 3},
                            {2.0 / 3, 1.0 / 3, -2.0 / 3},
                            {2.0 / 3, -2.0 / 3, 1.0 / 3}};
    const double lambda[3] = {9.0, 4.0, 1.0};
    double c[9] = {0};
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                c[i * 3 + j] += lambda[k] * q[k][i] * q[k][j];
            }
        }
    }
    double u[3];
    int steps = linevec_top_direction(c, 3, u);
    CHECK(steps > 0);
    double dot = u[0] * q[0][0] + u[1] * q[0][1] + u[2] * q[0][2];
    CHECK_NEAR(fabs(dot), 1.0, 1e-10);

    /* [[5, 3], [3, 5]]: eigenvalues 8 along (1, 1) and 2 along (1, -1) */
    const double c2[4] = {5, 3, 3, 5};
    linevec_top_direction(c2, 2, u);
    CHECK_NEAR(fabs(u[0]), sqrt(0.5), 1e-10);
    CHECK_NEAR(u[0], u[1], 1e-10);

    const double zero[4] = {0};
    u[0] = u[1] = 7.0;
    CHECK_EQ(linevec_top_direction(zero, 2, u), 0);
    CHECK(u[0] == 0.0 && u[1] == 0.0);
}

static void test_remove(void)
{
    const float v[3] = {1, 2, 3};
    const double z[3] = {0, 0, 1};
    float out[3];
    linevec_remove(v, z, 3, out);
    CHECK(out[0] == 1.0f && out[1] == 2.0f && out[2] == 0.0f);
    const double u[3] = {2.0 / 3, -2.0 / 3, 1.0 / 3};
    linevec_remove(v, u, 3, out);
    /* u . v = (2 - 4 + 3) / 3 = 1/3 */
    CHECK_NEAR(out[0], 1.0 - 2.0 / 9, 1e-6);
    CHECK_NEAR(out[1], 2.0 + 2.0 / 9, 1e-6);
    CHECK_NEAR(out[2], 3.0 - 1.0 / 9, 1e-6);
    CHECK_NEAR((double)out[0] * u[0] + (double)out[1] * u[1] + (double)out[2] * u[2], 0.0, 1e-6);
}

/* What a run wrote. */
struct sink {
    char *buf;
    size_t len;
    int calls;
    int fail_at;          /* the call that fails (1-based), or 0 */
};

static int collect(void *ctx, const char *text, size_t len, struct w2v_err *err)
{
    struct sink *s = ctx;
    if (++s->calls == s->fail_at) {
        err_set(err, "sink full");
        return -1;
    }
    s->buf = realloc(s->buf, s->len + len + 1);
    memcpy(s->buf + s->len, text, len);
    s->len += len;
    s->buf[s->len] = '\0';
    return 0;
}

/* The rows of 'n' lines as text, from (x, y) pairs. */
static char *rows_text(const double *xy, int n)
{
    char *out = malloc((size_t)n * 64 + 1);
    size_t at = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++) {
        at += (size_t)sprintf(out + at, "%.6f %.6f\n", xy[2 * i], xy[2 * i + 1]);
    }
    return out;
}

static int run(struct linevec *lv, const char *const *paths, int n, struct sink *s,
               struct linevec_stats *st, struct w2v_err *err)
{
    free(s->buf);
    *s = (struct sink){.fail_at = s->fail_at};
    return linevec_run(lv, paths, n, collect, s, st, err);
}

static void test_run_plain(void)
{
    struct embed e;
    load(&e, EMBED_COPY);
    /* the first file's last line has no line end; the second file has a long line */
    char longline[400];
    size_t at = 0;
    for (int i = 0; i < 30; i++) {
        at += (size_t)sprintf(longline + at, "%s ", i % 3 == 0 ? "A" : i % 3 == 1 ? "B" : "qq");
    }
    char second[512];
    snprintf(second, sizeof second, "C\n%s\n\nZ\n", longline);
    const char *paths[2] = {fx_write_text("one.txt", "A B\nqq\nA"),
                            fx_write_text("two.txt", second)};
    const double ax = 0.6;
    const double ay = 0.8;
    const double want[] = {(ax + 1.0) / 2.0, ay / 2.0, 0, 0, ax, ay,
                           0, 1, (ax + 1.0) / 2.0, ay / 2.0, 0, 0, 0, 0};
    char *expect = rows_text(want, 7);
    struct linevec lv;
    struct linevec_stats st;
    struct w2v_err err;
    struct sink s = {0};
    /* every combination of threads and batch sizes gives the same text */
    const int threads[] = {1, 3};
    const size_t bytes[] = {0, 5};
    const int64_t lines[] = {0, 1, 2};
    for (int t = 0; t < 2; t++) {
        for (int b = 0; b < 2; b++) {
            for (int l = 0; l < 3; l++) {
                linevec_init(&lv, &e, threads[t]);
                lv.batch_bytes = bytes[b];
                lv.batch_lines = lines[l];
                CHECK_EQ(run(&lv, paths, 2, &s, &st, &err), 0);
                CHECK(s.buf != NULL && strcmp(s.buf, expect) == 0);
                CHECK_EQ(st.lines, 7);
                CHECK_EQ(st.empty, 3);
                CHECK_EQ(st.words, 2 + 1 + 1 + 1 + 30 + 1);
                CHECK_EQ(st.counted, 2 + 1 + 1 + 20);
            }
        }
    }
    /* the sink's failure stops the run with its error */
    s.fail_at = 1;
    linevec_init(&lv, &e, 1);
    CHECK_EQ(run(&lv, paths, 2, &s, &st, &err), -1);
    CHECK(strcmp(err.msg, "sink full") == 0);
    s.fail_at = 0;
    /* an empty input has no line; a missing one is an error naming it */
    const char *empty[1] = {fx_write_text("empty.txt", "")};
    CHECK_EQ(run(&lv, empty, 1, &s, &st, &err), 0);
    CHECK(s.len == 0 && st.lines == 0);
    const char *missing[1] = {fx_path("missing.txt")};
    CHECK_EQ(run(&lv, missing, 1, &s, &st, &err), -1);
    CHECK(strstr(err.msg, "missing.txt: No such file or directory") != NULL);
    free(s.buf);
    free(expect);
    embed_free(&e);
}

/* A NUL byte: binary data, refused before any row of its batch is written. */
static void test_run_binary(void)
{
    struct embed e;
    load(&e, EMBED_COPY);
    struct linevec lv;
    linevec_init(&lv, &e, 2);
    const char *paths[1] = {fx_write("bin.txt", "A\nB\n\0C\n", 7)};
    struct linevec_stats st;
    struct w2v_err err;
    struct sink s = {0};
    CHECK_EQ(run(&lv, paths, 1, &s, &st, &err), -1);
    CHECK(st.binary);
    CHECK(s.len == 0);
    char want[600];
    snprintf(want, sizeof want, "%s:3: binary data (a NUL byte), not text", paths[0]);
    CHECK(strcmp(err.msg, want) == 0);
    free(s.buf);
    embed_free(&e);
}

/* SIF end to end: a = (1, 1, 0), b = (1, -1, 0), c = (0, 0, 1), each counted 10 of 30 times,
 * with a = 1: every weight is 1 / (1 + 1/3) = 0.75. The lines a, a, a, a, b, c make
 * X^T X = 0.75^2 [[5, 3, 0], [3, 5, 0], [0, 0, 1]], whose top direction is (1, 1, 0) / sqrt 2;
 * removed, a's rows vanish and b's and c's stay. */
static void test_run_sif(void)
{
    struct embed e;
    struct w2v_err err;
    const char *m = fx_write_text("s.vec", "3 3\na 1 1 0\nb 1 -1 0\nc 0 0 1\n");
    CHECK_EQ(embed_load(&e, m, VEC_AUTO, 0, EMBED_RAW, &err), 0);
    struct vocab v;
    vocab_init(&v);
    CHECK_EQ(vocab_read(&v, fx_write_text("s.vocab", "a 10\nb 10\nc 10\n"), &err), 0);
    const char *paths[2] = {fx_write_text("s1.txt", "a\nb\na\n"),
                            fx_write_text("s2.txt", "zz\na\nc\n\na")};
    const double w = 1.0 / (1.0 + 1.0 / 3.0);
    const double want[8][3] = {{0, 0, 0}, {w, -w, 0}, {0, 0, 0}, {0, 0, 0},
                               {0, 0, 0}, {0, 0, w}, {0, 0, 0}, {0, 0, 0}};
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s/tmp", fx_dir());
    mkdir(tmp, 0700);
    struct sink s = {0};
    char *first = NULL;
    for (int threads = 1; threads <= 3; threads += 2) {
        struct linevec lv;
        linevec_init(&lv, &e, threads);
        lv.tmpdir = tmp;
        lv.batch_lines = threads == 1 ? 0 : 2;
        CHECK_EQ(linevec_sif(&lv, &v, "s.vocab", 1.0, &err), 0);
        struct linevec_stats st;
        CHECK_EQ(run(&lv, paths, 2, &s, &st, &err), 0);
        CHECK_EQ(st.lines, 8);
        CHECK_EQ(st.empty, 2);
        linevec_free(&lv);
        const char *p = s.buf != NULL ? s.buf : "";
        for (int i = 0; i < 8; i++) {
            for (int d = 0; d < 3; d++) {
                char *end;
                double x = strtod(p, &end);
                CHECK(end != p);
                CHECK_NEAR(x, want[i][d], 1e-6);
                p = end;
            }
            CHECK(*p == '\n');
            p += *p == '\n';
        }
        CHECK(*p == '\0');
        if (first == NULL) {
            first = strdup(s.buf != NULL ? s.buf : "");
        } else {
            CHECK(s.buf != NULL && strcmp(first, s.buf) == 0);
        }
    }
    /* the temporary file was removed at once */
    char cmd[700];
    snprintf(cmd, sizeof cmd, "test -z \"$(ls -A '%s')\"", tmp);
    CHECK(system(cmd) == 0);
    /* a temporary directory that does not exist is an error naming it */
    struct linevec lv;
    linevec_init(&lv, &e, 1);
    snprintf(tmp + strlen(tmp), sizeof tmp - strlen(tmp), "/nope");
    lv.tmpdir = tmp;
    CHECK_EQ(linevec_sif(&lv, &v, "s.vocab", 1.0, &err), 0);
    struct linevec_stats st;
    CHECK_EQ(run(&lv, paths, 2, &s, &st, &err), -1);
    CHECK(strstr(err.msg, "/tmp/nope: No such file or directory (embed -sif's temporary file)")
          != NULL);
    CHECK(s.len == 0);
    linevec_free(&lv);
    free(first);
    free(s.buf);
    vocab_free(&v);
    embed_free(&e);
}

int main(void)
{
    RUN(test_plain_mean);
    RUN(test_sif_weight);
    RUN(test_sif_line);
    RUN(test_top_direction);
    RUN(test_remove);
    RUN(test_run_plain);
    RUN(test_run_binary);
    RUN(test_run_sif);
    TEST_MAIN("linevec");
}
