/* fasttext_write: the .bin writer. */
#include "io/fasttext.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/endian.h"
#include "base/util.h"
#include "io/outfile.h"

/* Floats byte-swapped per write on a big-endian host. */
#define FT_SWAP_CHUNK 4096

/* ------------------------------------------------------------------------------------ */
/* Writer                                                                               */

static int write_matrix(struct outfile *of, const float *data, int64_t rows, int dim,
                        struct w2v_err *err)
{
    unsigned char head[FT_MATRIX_HEAD];
    le_put_i64(head, rows);
    le_put_i64(head + 8, dim);
    if (outfile_write(of, head, sizeof head, err) != 0) {
        return -1;
    }
    size_t n = (size_t)rows * (size_t)dim;
    if (host_little_endian()) {
        return outfile_write(of, data, n * sizeof *data, err);
    }
    float chunk[FT_SWAP_CHUNK];
    for (size_t at = 0; at < n; at += FT_SWAP_CHUNK) {
        size_t k = n - at < FT_SWAP_CHUNK ? n - at : FT_SWAP_CHUNK;
        memcpy(chunk, data + at, k * sizeof *chunk);
        swap4(chunk, k);
        if (outfile_write(of, chunk, k * sizeof *chunk, err) != 0) {
            return -1;
        }
    }
    return 0;
}

static int check_model(const char *path, const struct ft_args *a, const struct strindex *words,
                       const int64_t *counts, int64_t ntokens, struct w2v_err *err)
{
    if (a->model != FT_SKIPGRAM && a->model != FT_CBOW) {
        err_set(err, "%s: model kind %" PRId32 " is not a word vectors model (1 cbow, "
                "2 skipgram)", path, a->model);
        return -1;
    }
    if (a->loss != FT_LOSS_HS && a->loss != FT_LOSS_NS && a->loss != FT_LOSS_SOFTMAX) {
        err_set(err, "%s: loss %" PRId32 " is not one of 1 hs, 2 ns, 3 softmax", path, a->loss);
        return -1;
    }
    if (ft_check_args(a, words->n, path, err) != 0) {
        return -1;
    }
    if (ntokens < 0) {
        err_set(err, "%s: negative token count %" PRId64, path, ntokens);
        return -1;
    }
    for (int64_t i = 0; i < words->n; i++) {
        if (strindex_str(words, i)[0] == '\0' || counts[i] < 0) {
            err_set(err, "%s: word %" PRId64 " is empty or has a negative count", path, i + 1);
            return -1;
        }
    }
    return 0;
}

static int write_body(struct outfile *of, const struct ft_args *a,
                      const struct strindex *words, const int64_t *counts, int64_t ntokens,
                      const float *input, const float *output, struct w2v_err *err)
{
    unsigned char head[FT_HEAD_BYTES + FT_ARGS_BYTES + FT_DICT_BYTES];
    unsigned char *p = head;
    le_put_i32(p, FT_MAGIC);
    le_put_i32(p + 4, FT_VERSION);
    p += FT_HEAD_BYTES;
    /* file order, as read_args reads them */
    const int32_t fields[] = {a->dim,    a->ws,   a->epoch, a->min_count,
                              a->neg,    a->word_ngrams, a->loss, a->model,
                              a->bucket, a->minn, a->maxn,  a->lr_update_rate};
    size_t nfields = sizeof fields / sizeof fields[0];
    for (size_t i = 0; i < nfields; i++) {
        le_put_i32(p + 4 * i, fields[i]);
    }
    le_put_f64(p + 4 * nfields, a->t);
    p += FT_ARGS_BYTES;
    int32_t nwords = (int32_t)words->n;
    le_put_i32(p, nwords);     /* entries */
    le_put_i32(p + 4, nwords); /* words */
    le_put_i32(p + 8, 0);      /* labels */
    le_put_i64(p + 12, ntokens);
    le_put_i64(p + 20, FT_NOT_PRUNED);
    if (outfile_write(of, head, sizeof head, err) != 0) {
        return -1;
    }
    for (int32_t i = 0; i < nwords; i++) {
        const char *w = strindex_str(words, i);
        unsigned char tail[FT_ENTRY_TAIL];
        le_put_i64(tail, counts[i]);
        tail[8] = FT_ENTRY_WORD;
        /* the word with its NUL, then count and type */
        if (outfile_write(of, w, strlen(w) + 1, err) != 0 ||
            outfile_write(of, tail, sizeof tail, err) != 0) {
            return -1;
        }
    }
    const unsigned char not_quantized = 0;
    if (outfile_write(of, &not_quantized, 1, err) != 0 ||
        write_matrix(of, input, (int64_t)nwords + a->bucket, a->dim, err) != 0 ||
        outfile_write(of, &not_quantized, 1, err) != 0 ||
        write_matrix(of, output, nwords, a->dim, err) != 0) {
        return -1;
    }
    return 0;
}

int ft_write(const char *path, const struct ft_args *a, const struct strindex *words,
             const int64_t *counts, int64_t ntokens, const float *input, const float *output,
             struct w2v_err *err)
{
    if (check_model(path, a, words, counts, ntokens, err) != 0) {
        return -1;
    }
    struct outfile of;
    if (outfile_open(&of, path, false, err) != 0) {
        return -1;
    }
    if (write_body(&of, a, words, counts, ntokens, input, output, err) != 0) {
        outfile_abort(&of);
        return -1;
    }
    return outfile_commit(&of, err);
}
