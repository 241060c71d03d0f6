/* pca: the projection of a few rows onto their first two principal components, in double
 * precision, with a cyclic Jacobi eigensolver on the smaller of the Gram and covariance
 * matrices of the centred rows (the scores equal U * S of the centred rows' SVD). */
#ifndef W2V_PCA_H
#define W2V_PCA_H

#include <stdint.h>

#include "base/log.h"

/* Most rows or dimensions for which the eigensolver's O(m^3) sweeps stay quick. */
#define PCA_MAX_ROWS 4096

/* Centres the 'n' rows of 'rows' (n x dim floats) on their mean and writes each row's
 * coordinates on the first two principal components to 'xy' (n x 2 doubles: x of row i at
 * 2i, y at 2i+1). Each axis's sign is chosen so that its largest coordinate in absolute
 * value is positive. 'frac' (2 doubles, or NULL) receives each component's share of the
 * total variance (0 when there is none). Missing components (one row, all rows equal)
 * are 0. Returns 0, or -1 with 'err' set when 'n' is not in 1..PCA_MAX_ROWS. */
int pca_project(const float *rows, int64_t n, int dim, double *xy, double *frac,
                struct w2v_err *err);

/* Eigen-decomposition of the symmetric 'm' x 'm' matrix 'a' (row-major, destroyed) by
 * cyclic Jacobi rotations: 'val' (m) receives the eigenvalues, and column j of 'vec'
 * (m x m, row-major) the unit eigenvector of val[j], unsorted. */
void pca_jacobi(double *a, int m, double *val, double *vec);

#endif
