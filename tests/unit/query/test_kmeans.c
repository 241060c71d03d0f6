/* Unit tests of kmeans: planted clusters are recovered exactly, results do not depend on
 * the thread count, bad settings are refused, and the writer sorts by class then row. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "query/kmeans.h"
#include "base/rng.h"

/* A uniform double in [0, 1). */
static double u01(struct rng *g)
{
    return (double)rng_uniform(g);
}

#define DIM 24
#define CLUSTERS 6
#define PER 150
#define ROWS (CLUSTERS * PER)
/* Noise per dimension around each planted centre (centres are unit vectors). */
#define NOISE 0.08f

static float rows_raw[ROWS * DIM];
static float *rows;       /* unit copy */
static int planted[ROWS];

/* Random unit centres; each row is a centre plus noise, the clusters interleaved so that
 * file order says nothing about the clusters. */
static void make_rows(void)
{
    struct rng g;
    rng_seed(&g, 7, 0);
    float centre[CLUSTERS][DIM];
    for (int c = 0; c < CLUSTERS; c++) {
        double ss = 0.0;
        for (int d = 0; d < DIM; d++) {
            centre[c][d] = (float)(u01(&g) - 0.5);
            ss += (double)centre[c][d] * (double)centre[c][d];
        }
        for (int d = 0; d < DIM; d++) {
            centre[c][d] /= (float)sqrt(ss);
        }
    }
    for (int r = 0; r < ROWS; r++) {
        planted[r] = (int)rng_below(&g, CLUSTERS);
        for (int d = 0; d < DIM; d++) {
            rows_raw[r * DIM + d] = centre[planted[r]][d] + NOISE * (float)(u01(&g) - 0.5);
        }
    }
    struct w2v_err err;
    rows = kmeans_unit_copy(rows_raw, ROWS, DIM, &err);
}

static void test_unit_copy(void)
{
    float in[3 * 2] = {3, 4, 0, 0, -1, 0};
    struct w2v_err err;
    float *u = kmeans_unit_copy(in, 3, 2, &err);
    CHECK(u != NULL);
    CHECK_NEAR(u[0], 0.6, 1e-7);
    CHECK_NEAR(u[1], 0.8, 1e-7);
    CHECK(u[2] == 0.0f && u[3] == 0.0f);
    CHECK_NEAR(u[4], -1.0, 1e-7);
    free(u);
}

static void test_planted(void)
{
    int32_t cls[ROWS];
    struct kmeans_opts o = {.k = CLUSTERS, .iter = 20, .seed = 1, .threads = 2};
    struct kmeans_stats st;
    struct w2v_err err;
    CHECK_EQ(kmeans_run(rows, ROWS, DIM, &o, cls, &st, &err), 0);
    CHECK(st.converged);
    CHECK_EQ(st.empty, 0);
    CHECK(st.mean_cos > 0.95);
    /* the classes are the planted clusters, up to renumbering: a bijection */
    int map[CLUSTERS];
    int used[CLUSTERS] = {0};
    for (int c = 0; c < CLUSTERS; c++) {
        map[c] = -1;
    }
    int wrong = 0;
    for (int r = 0; r < ROWS; r++) {
        if (map[planted[r]] < 0) {
            map[planted[r]] = cls[r];
            used[cls[r]]++;
        }
        wrong += map[planted[r]] != cls[r];
    }
    CHECK_EQ(wrong, 0);
    for (int c = 0; c < CLUSTERS; c++) {
        CHECK_EQ(used[c], 1);
    }
}

static void test_threads_and_seed(void)
{
    int32_t a[ROWS];
    int32_t b[ROWS];
    int32_t c[ROWS];
    struct kmeans_stats sa;
    struct kmeans_stats sb;
    struct kmeans_stats sc;
    struct w2v_err err;
    /* more classes than clusters, so that the result is not forced by the data */
    struct kmeans_opts o = {.k = 17, .iter = 5, .seed = 3, .threads = 1};
    CHECK_EQ(kmeans_run(rows, ROWS, DIM, &o, a, &sa, &err), 0);
    o.threads = 3;
    CHECK_EQ(kmeans_run(rows, ROWS, DIM, &o, b, &sb, &err), 0);
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK(sa.mean_cos == sb.mean_cos);
    CHECK_EQ(sa.rounds, sb.rounds);
    o.seed = 4;
    CHECK_EQ(kmeans_run(rows, ROWS, DIM, &o, c, &sc, &err), 0);
    CHECK(memcmp(a, c, sizeof a) != 0);
    CHECK(sa.rounds <= 5);
}

static void test_bad_settings(void)
{
    int32_t cls[ROWS];
    struct kmeans_stats st;
    struct w2v_err err = {{0}, 0};
    struct kmeans_opts o = {.k = ROWS + 1, .iter = 5, .seed = 1, .threads = 1};
    CHECK_EQ(kmeans_run(rows, ROWS, DIM, &o, cls, &st, &err), -1);
    CHECK(strstr(err.msg, "classes") != NULL);
    o.k = 0;
    CHECK_EQ(kmeans_run(rows, ROWS, DIM, &o, cls, &st, &err), -1);
    o.k = ROWS; /* every row its own class is allowed */
    CHECK_EQ(kmeans_run(rows, ROWS, DIM, &o, cls, &st, &err), 0);
}

static const char *const names[] = {"r0", "r1", "r2", "r3", "r4", "r5"};

static const char *name_of(const void *ctx, int64_t row)
{
    (void)ctx;
    return names[row];
}

static void test_write_order(void)
{
    char path[] = "/tmp/w2v-kmeans-XXXXXX";
    harness_scratch(path);
    char file[600];
    snprintf(file, sizeof file, "%s/c.txt", path);
    int32_t cls[6] = {2, 0, 2, 1, 0, 2};
    struct outfile of;
    struct w2v_err err;
    CHECK_EQ(outfile_open(&of, file, false, &err), 0);
    CHECK_EQ(kmeans_write(&of, cls, 6, 3, name_of, NULL, &err), 0);
    CHECK_EQ(outfile_commit(&of, &err), 0);
    char buf[256] = {0};
    FILE *f = fopen(file, "r");
    CHECK(f != NULL);
    if (f != NULL) {
        size_t got = fread(buf, 1, sizeof buf - 1, f);
        CHECK(got > 0);
        fclose(f);
    }
    CHECK(strcmp(buf, "r1 0\nr4 0\nr3 1\nr0 2\nr2 2\nr5 2\n") == 0);
    harness_scratch_remove(path);
}

int main(void)
{
    make_rows();
    RUN(test_unit_copy);
    RUN(test_planted);
    RUN(test_threads_and_seed);
    RUN(test_bad_settings);
    RUN(test_write_order);
    free(rows);
    TEST_MAIN("kmeans");
}
