/* vecio: the vector file writer. Text values are printed with 6 decimals (word2vec's
 * "%lf"); binary values are written as little-endian IEEE floats on any host. */
#include "vecio.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static bool host_is_little_endian(void)
{
    const uint32_t one = 1;
    unsigned char first;
    memcpy(&first, &one, 1);
    return first == 1;
}

static int write_row_binary(struct outfile *of, const float *row, int dim, bool swap,
                            unsigned char *tmp, struct w2v_err *err)
{
    size_t bytes = (size_t)dim * sizeof(float);
    if (!swap) {
        return outfile_write(of, row, bytes, err);
    }
    memcpy(tmp, row, bytes);
    for (size_t i = 0; i < bytes; i += 4) {
        unsigned char a = tmp[i];
        unsigned char b = tmp[i + 1];
        tmp[i] = tmp[i + 3];
        tmp[i + 1] = tmp[i + 2];
        tmp[i + 2] = b;
        tmp[i + 3] = a;
    }
    return outfile_write(of, tmp, bytes, err);
}

static int write_row_text(struct outfile *of, const float *row, int dim, struct w2v_err *err)
{
    for (int j = 0; j < dim; j++) {
        if (outfile_printf(of, err, " %.6f", (double)row[j]) != 0) {
            return -1;
        }
    }
    return 0;
}

int vecio_write(struct outfile *of, const struct vocab *v, const float *vecs, int dim,
                bool binary, struct w2v_err *err)
{
    bool swap = binary && !host_is_little_endian();
    unsigned char *tmp = swap ? xmalloc((size_t)dim * sizeof(float)) : NULL;
    int rc = outfile_printf(of, err, "%lld %d\n", (long long)v->n, dim);
    for (int64_t i = 0; i < v->n && rc == 0; i++) {
        const char *w = vocab_word(v, (int32_t)i);
        const float *row = vecs + (size_t)i * (size_t)dim;
        rc = outfile_write(of, w, strlen(w), err);
        if (rc == 0 && binary) {
            rc = outfile_write(of, " ", 1, err);
            if (rc == 0) {
                rc = write_row_binary(of, row, dim, swap, tmp, err);
            }
        } else if (rc == 0) {
            rc = write_row_text(of, row, dim, err);
        }
        if (rc == 0) {
            rc = outfile_write(of, "\n", 1, err);
        }
    }
    free(tmp);
    return rc;
}

int vecio_save(const char *path, const struct vocab *v, const float *vecs, int dim,
               bool binary, bool gzip, struct w2v_err *err)
{
    struct outfile of;
    if (outfile_open(&of, path, gzip, err) != 0) {
        return -1;
    }
    if (vecio_write(&of, v, vecs, dim, binary, err) != 0) {
        outfile_abort(&of);
        return -1;
    }
    return outfile_commit(&of, err);
}
