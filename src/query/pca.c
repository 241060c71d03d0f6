/* pca: two principal components of a few centred rows, all in double precision. The
 * eigenproblem is solved on X X^T (n x n) when there are fewer rows than dimensions and on
 * X^T X (dim x dim) otherwise; both give the same scores. */
#include "query/pca.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Cyclic Jacobi converges quadratically; 64 sweeps is far more than any matrix here needs. */
#define PCA_MAX_SWEEPS 64
/* Rotations stop once the off-diagonal mass is this small relative to the whole matrix
 * (near double precision's epsilon squared). */
#define PCA_REL_TOL 1e-30

/* One rotation zeroing a[p][q] (p < q): A = J^T A J, V = V J with J the identity except
 * J[p][p] = J[q][q] = c, J[p][q] = s, J[q][p] = -s. */
static void jacobi_rotate(double *a, int m, double *vec, int p, int q)
{
    size_t n = (size_t)m;
    double apq = a[p * n + q];
    double theta = (a[q * n + q] - a[p * n + p]) / (2.0 * apq);
    /* the smaller root of t^2 + 2 t theta - 1 = 0, t = tan(angle) (Golub and Van Loan 8.5) */
    double t = (theta >= 0.0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
    double c = 1.0 / sqrt(t * t + 1.0);
    double s = t * c;
    for (size_t k = 0; k < n; k++) {
        double akp = a[k * n + p];
        double akq = a[k * n + q];
        a[k * n + p] = c * akp - s * akq;
        a[k * n + q] = s * akp + c * akq;
    }
    for (size_t k = 0; k < n; k++) {
        double apk = a[p * n + k];
        double aqk = a[q * n + k];
        a[p * n + k] = c * apk - s * aqk;
        a[q * n + k] = s * apk + c * aqk;
    }
    for (size_t k = 0; k < n; k++) {
        double vkp = vec[k * n + p];
        double vkq = vec[k * n + q];
        vec[k * n + p] = c * vkp - s * vkq;
        vec[k * n + q] = s * vkp + c * vkq;
    }
}

void pca_jacobi(double *a, int m, double *val, double *vec)
{
    size_t n = (size_t)m;
    memset(vec, 0, n * n * sizeof *vec);
    double total = 0.0;
    for (size_t i = 0; i < n; i++) {
        vec[i * n + i] = 1.0;
        for (size_t j = 0; j < n; j++) {
            total += a[i * n + j] * a[i * n + j];
        }
    }
    for (int sweep = 0; sweep < PCA_MAX_SWEEPS; sweep++) {
        double off = 0.0;
        for (size_t p = 0; p < n; p++) {
            for (size_t q = p + 1; q < n; q++) {
                off += a[p * n + q] * a[p * n + q];
            }
        }
        if (off <= PCA_REL_TOL * total) {
            break;
        }
        for (int p = 0; p < m; p++) {
            for (int q = p + 1; q < m; q++) {
                if (a[(size_t)p * n + (size_t)q] != 0.0) {
                    jacobi_rotate(a, m, vec, p, q);
                }
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        val[i] = a[i * n + i];
    }
}

/* Indices of the two largest of the 'm' values (the second is -1 when m == 1). */
static void top_two(const double *val, int m, int *j1, int *j2)
{
    *j1 = 0;
    *j2 = -1;
    for (int j = 1; j < m; j++) {
        if (val[j] > val[*j1]) {
            *j2 = *j1;
            *j1 = j;
        } else if (*j2 < 0 || val[j] > val[*j2]) {
            *j2 = j;
        }
    }
}

/* Fills coordinate 'axis' of every row from eigenvector 'j' of the decomposed matrix. */
static void scores(const double *x, int64_t n, int dim, bool gram, const double *val,
                   const double *vec, int m, int j, int axis, double *xy)
{
    for (int64_t i = 0; i < n; i++) {
        double v = 0.0;
        if (j >= 0 && gram) {
            v = vec[(size_t)i * (size_t)m + (size_t)j] * sqrt(val[j] > 0.0 ? val[j] : 0.0);
        } else if (j >= 0) {
            for (int d = 0; d < dim; d++) {
                v += x[(size_t)i * (size_t)dim + (size_t)d] *
                     vec[(size_t)d * (size_t)m + (size_t)j];
            }
        }
        xy[2 * i + axis] = v;
    }
    /* a fixed sign: the coordinate largest in absolute value is positive */
    double big = 0.0;
    for (int64_t i = 0; i < n; i++) {
        big = fabs(xy[2 * i + axis]) > fabs(big) ? xy[2 * i + axis] : big;
    }
    for (int64_t i = 0; big < 0.0 && i < n; i++) {
        xy[2 * i + axis] = -xy[2 * i + axis];
    }
}

/* The centred rows in double, n x dim, or NULL with 'err' set. */
static double *centred(const float *rows, int64_t n, int dim, struct w2v_err *err)
{
    size_t nd = (size_t)n * (size_t)dim;
    double *x = alloc_big(nd * sizeof *x, "PCA rows", err);
    if (x == NULL) {
        return NULL;
    }
    for (int d = 0; d < dim; d++) {
        double mean = 0.0;
        for (int64_t i = 0; i < n; i++) {
            mean += (double)rows[(size_t)i * (size_t)dim + (size_t)d];
        }
        mean /= (double)n;
        for (int64_t i = 0; i < n; i++) {
            size_t at = (size_t)i * (size_t)dim + (size_t)d;
            x[at] = (double)rows[at] - mean;
        }
    }
    return x;
}

int pca_project(const float *rows, int64_t n, int dim, double *xy, double *frac,
                struct w2v_err *err)
{
    if (n < 1 || n > PCA_MAX_ROWS || dim < 1) {
        err_set(err, "PCA: %lld rows, expected 1 to %d", (long long)n, PCA_MAX_ROWS);
        return -1;
    }
    bool gram = n <= dim;
    int m = gram ? (int)n : dim;
    double *x = centred(rows, n, dim, err);
    double *a = x == NULL ? NULL : alloc_big((size_t)m * (size_t)m * sizeof *a, "PCA", err);
    double *vec = a == NULL ? NULL : alloc_big((size_t)m * (size_t)m * sizeof *vec, "PCA", err);
    double *val = vec == NULL ? NULL : alloc_big((size_t)m * sizeof *val, "PCA", err);
    if (val == NULL) {
        free(x);
        free(a);
        free(vec);
        return -1;
    }
    /* gram: a = X X^T; otherwise a = X^T X */
    size_t outer = gram ? (size_t)n : (size_t)dim;
    size_t inner = gram ? (size_t)dim : (size_t)n;
    for (size_t i = 0; i < outer; i++) {
        for (size_t j = i; j < outer; j++) {
            double s = 0.0;
            for (size_t k = 0; k < inner; k++) {
                s += gram ? x[i * inner + k] * x[j * inner + k]
                          : x[k * outer + i] * x[k * outer + j];
            }
            a[i * outer + j] = s;
            a[j * outer + i] = s;
        }
    }
    pca_jacobi(a, m, val, vec);
    int j1;
    int j2;
    top_two(val, m, &j1, &j2);
    scores(x, n, dim, gram, val, vec, m, j1, 0, xy);
    scores(x, n, dim, gram, val, vec, m, j2, 1, xy);
    if (frac != NULL) {
        double trace = 0.0;
        for (int j = 0; j < m; j++) {
            trace += val[j] > 0.0 ? val[j] : 0.0;
        }
        frac[0] = trace > 0.0 && val[j1] > 0.0 ? val[j1] / trace : 0.0;
        frac[1] = trace > 0.0 && j2 >= 0 && val[j2] > 0.0 ? val[j2] / trace : 0.0;
    }
    free(x);
    free(a);
    free(vec);
    free(val);
    return 0;
}
