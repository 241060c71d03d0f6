/* vecfile_write: rows on their way out: their normalisation (shared with the readers), the
 * text and binary row formats and whole files written from a matrix or a row function.
 * Binary values are little-endian IEEE floats on any host; text values are printed with 6
 * decimals. */
#include "io/vecfile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/endian.h"
#include "base/strindex.h"
#include "base/util.h"
#include "base/vec.h"
#include "base/w2v.h"

/* Longest printed value: "-" and 39 digits of FLT_MAX, ".", 6 decimals, a separator. */
#define VEC_TEXT_VALUE 48

double vec_inv_length(const void *bytes, int dim)
{
    float fss = vec_dot_bytes(bytes, bytes, dim);
    if (fss >= (float)VEC_TINY && fss <= (float)VEC_HUGE) {
        return 1.0 / sqrt((double)fss);
    }
    const unsigned char *p = bytes;
    double ss = 0.0;
    for (int d = 0; d < dim; d++) {
        float x;
        memcpy(&x, p + (size_t)d * sizeof(float), sizeof x);
        ss += (double)x * (double)x;
    }
    if (!isfinite(ss)) {
        return (double)NAN;
    }
    return ss > 0.0 ? 1.0 / sqrt(ss) : 0.0;
}

void vec_unit_row(const void *bytes, double inv, int dim, float *out)
{
    const unsigned char *p = bytes;
    for (int d = 0; d < dim; d++) {
        float x;
        memcpy(&x, p + (size_t)d * sizeof(float), sizeof x);
        out[d] = (float)((double)x * inv);
    }
}

int vec_write_header(struct outfile *of, int64_t rows, int dim, struct w2v_err *err)
{
    return outfile_printf(of, err, "%lld %d\n", (long long)rows, dim);
}

size_t vec_row_room(size_t len, int dim)
{
    return len + 2 + (size_t)dim * VEC_TEXT_VALUE;
}

/* Below this magnitude a value times 10^6 is an integer-valued double after rounding, held
 * in 53 bits, so format_value can print it from integers. */
#define VEC_FAST_LIMIT 1e9

/* Writes 'sep' and "%.6f" of 'x' to 'p' and returns its length, giving the same characters
 * as printf. x * 10^6 is exact in double (24 significant bits times 15625 * 2^6: 38 bits),
 * so nearbyint rounds the exact value once, in the current rounding mode, as printf does;
 * the sign is the float's own, so that "-0.000000" is printed for negative values that
 * round to zero. Values at or beyond VEC_FAST_LIMIT, infinities and NaN go to snprintf. */
static size_t format_value(char *p, char sep, float x)
{
    if (!(fabsf(x) < (float)VEC_FAST_LIMIT)) {
        return (size_t)snprintf(p, VEC_TEXT_VALUE + 1, "%c%.6f", sep, (double)x);
    }
    uint64_t q = (uint64_t)nearbyint(fabs((double)x * 1e6));
    uint64_t whole = q / 1000000;
    uint32_t frac = (uint32_t)(q % 1000000);
    char digits[24];
    int n = 0;
    do {
        digits[n++] = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole > 0);
    char *start = p;
    *p++ = sep;
    if (signbit(x)) {
        *p++ = '-';
    }
    while (n > 0) {
        *p++ = digits[--n];
    }
    *p++ = '.';
    for (int i = 5; i >= 0; i--) {
        p[i] = (char)('0' + frac % 10);
        frac /= 10;
    }
    return (size_t)(p + 6 - start);
}

size_t vec_format_row(char *buf, const char *word, size_t len, const float *values, int dim,
                      bool binary)
{
    memcpy(buf, word, len);
    size_t at = len;
    if (binary) {
        buf[at++] = ' ';
        memcpy(buf + at, values, 4 * (size_t)dim);
        if (!host_little_endian()) {
            swap4(buf + at, (size_t)dim);
        }
        at += 4 * (size_t)dim;
    } else {
        at += vec_format_values(buf + at, values, dim, ' ');
    }
    buf[at++] = '\n';
    return at;
}

size_t vec_format_values(char *buf, const float *values, int dim, char sep)
{
    size_t at = 0;
    for (int d = 0; d < dim; d++) {
        at += format_value(buf + at, sep, values[d]);
    }
    return at;
}

int vec_write_rows(struct outfile *of, const struct strindex *words, vec_row_fn row, void *ctx,
                   int dim, bool binary, struct w2v_err *err)
{
    size_t room = vec_row_room(W2V_MAX_WORD, dim);
    char *buf = xmalloc(room);
    float *scratch = xmalloc((size_t)dim * sizeof *scratch);
    int rc = vec_write_header(of, words->n, dim, err);
    for (int64_t i = 0; i < words->n && rc == 0; i++) {
        const char *w = strindex_str(words, i);
        size_t len = strlen(w);
        if (vec_row_room(len, dim) > room) {
            room = vec_row_room(len, dim);
            buf = xrealloc(buf, room);
        }
        size_t n = vec_format_row(buf, w, len, row(ctx, i, scratch), dim, binary);
        rc = outfile_write(of, buf, n, err);
    }
    free(scratch);
    free(buf);
    return rc;
}

/* A row-major matrix as vec_write_rows reads it. */
struct matrix_rows {
    const float *vecs;
    int dim;
};

static const float *matrix_row(void *ctx, int64_t i, float *scratch)
{
    const struct matrix_rows *mr = ctx;
    (void)scratch;
    return mr->vecs + (size_t)i * (size_t)mr->dim;
}

int vec_write(struct outfile *of, const struct strindex *words, const float *vecs, int dim,
              bool binary, struct w2v_err *err)
{
    struct matrix_rows mr = {vecs, dim};
    return vec_write_rows(of, words, matrix_row, &mr, dim, binary, err);
}

bool vec_binary_name(const char *path, int binary)
{
    if (binary >= 0) {
        return binary == 1;
    }
    if (strcmp(path, "-") == 0) {
        return false;
    }
    static const char *const text_names[] = {".txt", ".vec", ".txt.gz", ".vec.gz"};
    for (size_t i = 0; i < sizeof text_names / sizeof text_names[0]; i++) {
        if (ends_with(path, text_names[i])) {
            return false;
        }
    }
    return true;
}
