/* export: the .npy and .tsv writers, their names and the names refused. The format of a
 * .npy file is NumPy's "format.py" description of version 1.0: the magic "\x93NUMPY", the
 * version bytes 1 and 0, a little-endian 16-bit header length, then a Python dictionary
 * literal padded with spaces and ended by '\n', so that the data starts at a multiple of
 * 64 bytes. */
#include "io/export.h"

#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/endian.h"
#include "base/util.h"
#include "io/vecfile.h"

/* NumPy's magic string, without its terminating NUL: the byte 0x93, then "NUMPY". */
#define NPY_MAGIC "\x93" "NUMPY"
#define NPY_MAGIC_BYTES 6
/* Format version 1.0: a 2-byte header length (version 2.0 has 4 bytes, for headers beyond
 * 65535 bytes, which a 2-D float array never needs). */
#define NPY_MAJOR 1
#define NPY_MINOR 0
/* Bytes before the dictionary: the magic, two version bytes and the header length. */
#define NPY_PREAMBLE (NPY_MAGIC_BYTES + 2 + 2)

/* Endings of the files of other tools that w2v does not write, refused as output names so
 * that they do not silently receive a word2vec binary file. */
static const char *const foreign_endings[] = {
    ".npz", ".csv", ".parquet", ".h5", ".hdf5", ".json", ".jsonl", ".pkl", ".pickle",
    ".pt", ".pth", ".safetensors", ".arrow", ".feather", ".mat", ".ftz",
};

/* Export endings with .gz after them: the tools that load exports do not decompress. */
static const char *const compressed_exports[] = {".npy.gz", ".tsv.gz"};

/* The ending, and the words file's, of each export kind (indexed by enum export_kind). */
static const char *const kind_ending[] = {"", ".npy", ".tsv"};
static const char *const words_ending[] = {"", ".vocab", ".metadata.tsv"};

enum export_kind export_kind_of(const char *path)
{
    for (int k = EXPORT_NPY; k <= EXPORT_TSV; k++) {
        if (ends_with(path, kind_ending[k])) {
            return (enum export_kind)k;
        }
    }
    return EXPORT_NONE;
}

char *export_words_path(const char *path, enum export_kind kind)
{
    size_t stem = strlen(path) - strlen(kind_ending[kind]);
    size_t n = stem + strlen(words_ending[kind]) + 1;
    char *words = xmalloc(n);
    snprintf(words, n, "%.*s%s", (int)stem, path, words_ending[kind]);
    return words;
}

const char *export_label(enum export_kind kind)
{
    return kind == EXPORT_NPY ? "a .npy export" : "a .tsv export";
}

/* Where 'path' ends with one of the 'n' 'endings' (with ".gz" after it when 'gz'), or
 * NULL. */
static const char *ending_in(const char *path, const char *const *endings, size_t n, bool gz)
{
    size_t len = strlen(path);
    if (gz) {
        if (!ends_with(path, ".gz")) {
            return NULL;
        }
        len -= strlen(".gz");
    }
    for (size_t i = 0; i < n; i++) {
        size_t m = strlen(endings[i]);
        if (len >= m && strncasecmp(path + len - m, endings[i], m) == 0) {
            return path + len - m;
        }
    }
    return NULL;
}

const char *export_refused_suffix(const char *path)
{
    size_t nf = sizeof foreign_endings / sizeof foreign_endings[0];
    size_t nc = sizeof compressed_exports / sizeof compressed_exports[0];
    const char *e = ending_in(path, foreign_endings, nf, false);
    if (e == NULL) {
        e = ending_in(path, foreign_endings, nf, true);
    }
    return e != NULL ? e : ending_in(path, compressed_exports, nc, false);
}

void npy_header(unsigned char *buf, int64_t rows, int dim)
{
    const size_t dict_room = NPY_HEADER_BYTES - NPY_PREAMBLE;
    char dict[NPY_HEADER_BYTES];
    int n = snprintf(dict, sizeof dict,
                     "{'descr': '<f4', 'fortran_order': False, 'shape': (%" PRId64 ", %d), }",
                     rows, dim);
    /* At most 83 characters for 19 digits of rows and 7 of the dimension. */
    assert(n > 0 && (size_t)n < dict_room);
    memcpy(buf, NPY_MAGIC, NPY_MAGIC_BYTES);
    buf[NPY_MAGIC_BYTES] = NPY_MAJOR;
    buf[NPY_MAGIC_BYTES + 1] = NPY_MINOR;
    buf[NPY_MAGIC_BYTES + 2] = (unsigned char)(dict_room & 0xff);
    buf[NPY_MAGIC_BYTES + 3] = (unsigned char)(dict_room >> 8);
    memset(buf + NPY_PREAMBLE, ' ', dict_room - 1);
    memcpy(buf + NPY_PREAMBLE, dict, (size_t)n);
    buf[NPY_HEADER_BYTES - 1] = '\n';
}

int export_open(struct export_writer *w, enum export_kind kind, const char *path,
                const char *words_path, int dim, struct w2v_err *err)
{
    w->kind = kind;
    w->dim = dim;
    w->rows = 0;
    w->buf = NULL;
    if (outfile_open(&w->of[0], path, false, err) != 0) {
        return -1;
    }
    if (outfile_open(&w->of[1], words_path, false, err) != 0) {
        outfile_abort(&w->of[0]);
        return -1;
    }
    w->buf = xmalloc(vec_row_room(0, dim));
    if (kind == EXPORT_NPY) {
        unsigned char head[NPY_HEADER_BYTES];
        npy_header(head, 0, dim);
        if (outfile_write(&w->of[0], head, sizeof head, err) != 0) {
            export_abort(w);
            return -1;
        }
    }
    return 0;
}

int export_row(struct export_writer *w, const char *word, size_t len, const float *values,
               struct w2v_err *err)
{
    unsigned char bad;
    if (vec_has_control(word, len, &bad)) {
        err_set(err, "%s: row %" PRId64 ": word contains control byte 0x%02x, which a file of "
                "one word a line cannot hold", w->of[1].path, w->rows + 1, bad);
        return -1;
    }
    int rc;
    if (w->kind == EXPORT_NPY) {
        size_t n = 4 * (size_t)w->dim;
        memcpy(w->buf, values, n);
        if (!host_little_endian()) {
            swap4(w->buf, (size_t)w->dim);
        }
        rc = outfile_write(&w->of[0], w->buf, n, err);
    } else {
        /* The values each after a tab: the first tab is left out. */
        size_t n = vec_format_values(w->buf, values, w->dim, '\t');
        w->buf[n] = '\n';
        rc = outfile_write(&w->of[0], w->buf + 1, n, err);
    }
    if (rc == 0 && (outfile_write(&w->of[1], word, len, err) != 0 ||
                    outfile_write(&w->of[1], "\n", 1, err) != 0)) {
        rc = -1;
    }
    w->rows += rc == 0;
    return rc;
}

int export_commit(struct export_writer *w, struct w2v_err *err)
{
    free(w->buf);
    w->buf = NULL;
    /* The row count of a .npy file is only known at the end when the input has no header
     * (GloVe) or -vocab filters the rows. Its header has a fixed size whatever the count,
     * so the count is written into the file last, in place: one pass, with no copy of the
     * rows in a temporary directory that might not hold them (as the text and binary
     * formats need, whose header's length depends on the count). */
    if (w->kind == EXPORT_NPY) {
        unsigned char head[NPY_HEADER_BYTES];
        npy_header(head, w->rows, w->dim);
        if (outfile_rewrite(&w->of[0], 0, head, sizeof head, err) != 0) {
            outfile_abort(&w->of[0]);
            outfile_abort(&w->of[1]);
            return -1;
        }
    }
    return outfile_commit_all(w->of, 2, err);
}

void export_abort(struct export_writer *w)
{
    outfile_abort(&w->of[0]);
    outfile_abort(&w->of[1]);
    free(w->buf);
    w->buf = NULL;
}
