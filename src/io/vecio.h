/* vecio: writes word vectors in word2vec's formats. Both start with a "ROWS DIM" line;
 * then each row is either "word v1 ... vD" in decimal (text) or "word", a space, DIM
 * little-endian float32 and '\n' (binary). Output is all-or-nothing (see outfile.h). */
#ifndef W2V_VECIO_H
#define W2V_VECIO_H

#include <stdbool.h>
#include <stdint.h>

#include "log.h"
#include "outfile.h"
#include "vocab.h"

/* Writes the 'v->n' rows of 'vecs' (row-major, 'dim' floats each, row i for word i) to the
 * open file 'of', binary or text. Returns 0, or -1 with 'err' set; the caller then aborts
 * 'of' (and otherwise commits it). */
int vecio_write(struct outfile *of, const struct vocab *v, const float *vecs, int dim,
                bool binary, struct w2v_err *err);

/* Opens 'path' ("-" is stdout), writes as vecio_write does, gzip-compressed if 'gzip', and
 * commits. Returns 0, or -1 with 'err' set, leaving no partial file. */
int vecio_save(const char *path, const struct vocab *v, const float *vecs, int dim,
               bool binary, bool gzip, struct w2v_err *err);

#endif
