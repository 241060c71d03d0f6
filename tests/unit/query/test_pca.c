/* Unit tests of pca and plot: a hand-checked projection, the eigensolver against its
 * definition, both solver paths (fewer rows than dimensions and more) against the
 * distances of planar data, and label placement without overlaps inside the canvas. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "query/pca.h"
#include "query/plot.h"
#include "base/rng.h"

/* A uniform double in [0, 1). */
static double u01(struct rng *g)
{
    return (double)rng_uniform(g);
}

/* Four points of 3-D space centred on (1, 1, 1): PC1 is the first axis (coordinates
 * +-2), PC2 the second (+-1); variances 8 and 2 of 10. */
static void test_hand(void)
{
    const float rows[4 * 3] = {3, 1, 1, -1, 1, 1, 1, 2, 1, 1, 0, 1};
    double xy[8];
    double frac[2];
    struct w2v_err err;
    CHECK_EQ(pca_project(rows, 4, 3, xy, frac, &err), 0);
    const double want_x[4] = {2, -2, 0, 0};
    const double want_y[4] = {0, 0, 1, -1};
    double sx = xy[0] < 0 ? -1.0 : 1.0;
    double sy = xy[5] < 0 ? -1.0 : 1.0;
    for (int i = 0; i < 4; i++) {
        CHECK_NEAR(sx * xy[2 * i], want_x[i], 1e-12);
        CHECK_NEAR(sy * xy[2 * i + 1], want_y[i], 1e-12);
    }
    CHECK_NEAR(frac[0], 0.8, 1e-12);
    CHECK_NEAR(frac[1], 0.2, 1e-12);
}

/* A V = V diag(val) and V^T V = I for a random symmetric matrix. */
static void test_jacobi(void)
{
    enum { M = 7 };
    double a[M * M];
    double keep[M * M];
    double val[M];
    double vec[M * M];
    struct rng g;
    rng_seed(&g, 11, 0);
    for (int i = 0; i < M; i++) {
        for (int j = i; j < M; j++) {
            a[i * M + j] = a[j * M + i] = u01(&g) - 0.5;
        }
    }
    memcpy(keep, a, sizeof a);
    pca_jacobi(a, M, val, vec);
    for (int j = 0; j < M; j++) {
        for (int i = 0; i < M; i++) {
            double av = 0.0;
            for (int k = 0; k < M; k++) {
                av += keep[i * M + k] * vec[k * M + j];
            }
            CHECK_NEAR(av, val[j] * vec[i * M + j], 1e-12);
        }
        for (int l = 0; l < M; l++) {
            double dot = 0.0;
            for (int k = 0; k < M; k++) {
                dot += vec[k * M + j] * vec[k * M + l];
            }
            CHECK_NEAR(dot, j == l ? 1.0 : 0.0, 1e-12);
        }
    }
}

/* Rows on a plane through a random point of 'dim'-space: their two principal coordinates
 * must keep every pairwise distance, be centred and uncorrelated, PC1 the wider. */
static void check_planar(int n, int dim)
{
    float *rows = calloc((size_t)n * dim, sizeof *rows);
    double *xy = calloc((size_t)n * 2, sizeof *xy);
    double u[64];
    double v[64];
    double o[64];
    struct rng g;
    rng_seed(&g, (uint64_t)(n * 100 + dim), 1);
    /* u, v orthonormal by Gram-Schmidt */
    double uu = 0.0;
    double uv = 0.0;
    double vv = 0.0;
    for (int d = 0; d < dim; d++) {
        u[d] = u01(&g) - 0.5;
        v[d] = u01(&g) - 0.5;
        o[d] = u01(&g) - 0.5;
        uu += u[d] * u[d];
    }
    for (int d = 0; d < dim; d++) {
        u[d] /= sqrt(uu);
        uv += u[d] * v[d];
    }
    for (int d = 0; d < dim; d++) {
        v[d] -= uv * u[d];
        vv += v[d] * v[d];
    }
    for (int i = 0; i < n; i++) {
        double a = 3.0 * (u01(&g) - 0.5);
        double b = u01(&g) - 0.5;
        for (int d = 0; d < dim; d++) {
            rows[i * dim + d] = (float)(o[d] + a * u[d] + b * v[d] / sqrt(vv));
        }
    }
    struct w2v_err err;
    double frac[2];
    CHECK_EQ(pca_project(rows, n, dim, xy, frac, &err), 0);
    double sx = 0.0, sy = 0.0, sxy = 0.0, vx = 0.0, vy = 0.0;
    for (int i = 0; i < n; i++) {
        sx += xy[2 * i];
        sy += xy[2 * i + 1];
        sxy += xy[2 * i] * xy[2 * i + 1];
        vx += xy[2 * i] * xy[2 * i];
        vy += xy[2 * i + 1] * xy[2 * i + 1];
        for (int j = 0; j < i; j++) {
            double d0 = 0.0;
            for (int d = 0; d < dim; d++) {
                double t = (double)rows[i * dim + d] - (double)rows[j * dim + d];
                d0 += t * t;
            }
            double dx = xy[2 * i] - xy[2 * j];
            double dy = xy[2 * i + 1] - xy[2 * j + 1];
            CHECK_NEAR(sqrt(dx * dx + dy * dy), sqrt(d0), 1e-5);
        }
    }
    CHECK_NEAR(sx, 0.0, 1e-9);
    CHECK_NEAR(sy, 0.0, 1e-9);
    CHECK_NEAR(sxy, 0.0, 1e-9);
    CHECK(vx >= vy);
    CHECK_NEAR(frac[0] + frac[1], 1.0, 1e-6);
    free(rows);
    free(xy);
}

static void test_gram_path(void)
{
    check_planar(9, 40); /* fewer rows than dimensions: X X^T */
}

static void test_covariance_path(void)
{
    check_planar(50, 6); /* more rows than dimensions: X^T X */
}

static void test_degenerate(void)
{
    const float one[3] = {1, 2, 3};
    double xy[4] = {9, 9, 9, 9};
    double frac[2];
    struct w2v_err err;
    CHECK_EQ(pca_project(one, 1, 3, xy, frac, &err), 0);
    CHECK(xy[0] == 0.0 && xy[1] == 0.0 && frac[0] == 0.0);
    CHECK_EQ(pca_project(one, 0, 3, xy, frac, &err), -1);
}

/* Forty labels crowded near one spot: each is inside the canvas and, where the layout
 * reports no overlap, clear of every other label and every dot. */
static void test_layout(void)
{
    enum { N = 40 };
    struct plot_point pts[N];
    struct plot_place pl[N];
    static const char *const words[] = {"paris", "france", "berlin", "germany", "x"};
    struct rng g;
    rng_seed(&g, 5, 0);
    for (int i = 0; i < N; i++) {
        pts[i] = (struct plot_point){.label = words[i % 5], .x = u01(&g),
                                     .y = i < N / 2 ? u01(&g) : 0.01 * u01(&g),
                                     .kind = i % 3 ? PLOT_NEIGHBOUR : PLOT_WORD};
    }
    struct plot_spec spec = {.pts = pts, .n = N, .caption = "caption", .width = 800,
                             .height = 600};
    int bad = plot_layout(&spec, pl);
    CHECK_EQ(bad, 0);
    for (int i = 0; i < N; i++) {
        CHECK(pl[i].px > 0 && pl[i].px < 800 && pl[i].py > 0 && pl[i].py < 600);
        CHECK(pl[i].bx0 >= 0 && pl[i].bx1 <= 800 && pl[i].by0 >= 0 && pl[i].by1 <= 600);
        for (int j = 0; j < N; j++) {
            bool apart = pl[i].bx1 <= pl[j].bx0 || pl[j].bx1 <= pl[i].bx0 ||
                         pl[i].by1 <= pl[j].by0 || pl[j].by1 <= pl[i].by0;
            CHECK(i == j || apart);
            bool clear = pl[j].px + 4 <= pl[i].bx0 || pl[j].px - 4 >= pl[i].bx1 ||
                         pl[j].py + 4 <= pl[i].by0 || pl[j].py - 4 >= pl[i].by1;
            CHECK(clear);
        }
    }
}

int main(void)
{
    RUN(test_hand);
    RUN(test_jacobi);
    RUN(test_gram_path);
    RUN(test_covariance_path);
    RUN(test_degenerate);
    RUN(test_layout);
    TEST_MAIN("pca");
}
