/* export: word vectors in formats that other tools load directly. Each export is a pair of
 * files, the values and the words (one a line, in the same order):
 * - NumPy (.npy): a float32 array of shape (rows, dims) in NumPy's format version 1.0,
 *   little-endian, row by row; the words in the same name with .vocab for .npy;
 * - TensorBoard's projector (.tsv): one row a line, its values tab-separated with 6
 *   decimals (the digits of the text format); the words in the same name with
 *   .metadata.tsv for .tsv (a single column, which the projector reads without a header).
 * Rows are written as they come, so memory does not grow with them, and the pair is
 * committed as a group (outfile_commit_all): both files appear complete, or neither. */
#ifndef W2V_EXPORT_H
#define W2V_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "io/outfile.h"

enum export_kind { EXPORT_NONE, EXPORT_NPY, EXPORT_TSV };

/* Size of every .npy header w2v writes, in bytes: the 10-byte preamble and the dictionary
 * padded with spaces to a multiple of NumPy's 64-byte alignment, with room for any row
 * count (19 digits) and dimension. It is what NumPy itself writes for such arrays. */
#define NPY_HEADER_BYTES 128

/* The export that 'path' names by its ending, .npy or .tsv in any case, or EXPORT_NONE. */
enum export_kind export_kind_of(const char *path);

/* The name of the words file that goes with the export 'path' of kind 'kind' (its ending
 * replaced by .vocab or .metadata.tsv). Malloc'ed; the caller frees it. */
char *export_words_path(const char *path, enum export_kind kind);

/* What messages call the export: "a .npy export", "a .tsv export". */
const char *export_label(enum export_kind kind);

/* The ending of 'path' (a pointer into it, ".CSV.gz" as written) when it names a file w2v
 * does not write: a format of another tool (.npz, .csv, .parquet, .h5, .json, .pkl, .pt,
 * .safetensors, .ftz and the like, in any case, .gz after it or not), or a compressed
 * export (.npy.gz, .tsv.gz). NULL otherwise: every other name is a vectors file, text or
 * binary as vec_binary_name decides. */
const char *export_refused_suffix(const char *path);

/* Writes the NPY_HEADER_BYTES bytes of the header of a little-endian float32 C-order
 * array of 'rows' x 'dim' (rows >= 0, 1 <= dim <= VEC_MAX_DIM) to 'buf'. */
void npy_header(unsigned char *buf, int64_t rows, int dim);

/* An export being written. */
struct export_writer {
    enum export_kind kind;
    struct outfile of[2]; /* the values, the words */
    int dim;
    int64_t rows;         /* written so far */
    char *buf;            /* one row of values, formatted */
};

/* Opens the files of an export of kind 'kind' (not EXPORT_NONE) of rows of 'dim' values:
 * the values at 'path' and the words at 'words_path' (both regular files: see
 * outfile_in_place). Returns 0, or -1 with 'err' set; on success the caller ends with
 * export_commit or export_abort. */
int export_open(struct export_writer *w, enum export_kind kind, const char *path,
                const char *words_path, int dim, struct w2v_err *err);

/* Appends a row: the word 'word' ('len' bytes) and its 'dim' values. A word with a control
 * byte (a tab or a newline would break its line) is refused: "WORDS: row N: word contains
 * control byte 0x09, which a file of one word a line cannot hold". Returns 0, or -1 with
 * 'err' set. */
int export_row(struct export_writer *w, const char *word, size_t len, const float *values,
               struct w2v_err *err);

/* Completes the export (a .npy header gets the row count) and gives both files their
 * names together. Returns 0, or -1 with 'err' set and neither file left. */
int export_commit(struct export_writer *w, struct w2v_err *err);

/* Removes what was written of both files. */
void export_abort(struct export_writer *w);

#endif
