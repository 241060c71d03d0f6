/* vecfile: word vector files, read and written. Three formats:
 * - text: a "ROWS DIM" header line, then one "word v1 ... vDIM" line per row;
 * - binary (word2vec's): the same header, then per row the word, one space, DIM
 *   little-endian float32 values and an optional '\n';
 * - GloVe: text rows without a header (DIM is the number of values on the first line);
 * - a fastText model (.bin, told by its magic number, see fasttext.h): read whole, its rows
 *   are the vocabulary words' vectors as fastText computes them (its .vec), and the model
 *   stays with the reader for the vectors of words outside the vocabulary.
 * Any of them may be gzip-compressed (see input.h). The format is told by what the first
 * rows show: text rows hold text after their word (printable bytes, tabs, UTF-8), binary
 * rows raw float bytes; a text file with a bad row is still text, so that its error names
 * the line. One binary-row parser serves the streaming reader here and the mapped reader
 * of embed.c. Writing is all-or-nothing through outfile.h. */
#ifndef W2V_VECFILE_H
#define W2V_VECFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "io/fasttext.h"
#include "io/input.h"
#include "base/log.h"
#include "io/outfile.h"
#include "base/strindex.h"

enum vec_format { VEC_AUTO, VEC_TEXT, VEC_BINARY, VEC_GLOVE, VEC_FASTTEXT };

/* Longest word accepted in a vector file, in bytes (documented in the man page's FILES). */
#define VEC_MAX_WORD 4096
/* Largest dimension accepted. */
#define VEC_MAX_DIM 1000000
/* Longest header line looked at, in bytes. */
#define VEC_MAX_HEADER 256
/* Consecutive rows that must parse for the format to be decided (fewer if the file has
 * fewer). */
#define VEC_DETECT_ROWS 4
/* Longest text row, in bytes. */
#define VEC_MAX_LINE ((size_t)256 << 20)

/* One row as parsed: the word (not NUL-terminated for a binary row), its hash
 * (strindex_hash) and, for a binary row, where its 4*DIM value bytes start. */
struct vec_row {
    const char *word;
    size_t len;
    uint64_t hash;
    const unsigned char *values;
    unsigned char bad;   /* the offending byte of a VEC_ROW_CONTROL word */
};

/* vec_binary_row results other than a byte count. */
enum {
    VEC_ROW_MORE = 0,       /* the bytes end inside the row; more may come */
    VEC_ROW_END = -1,       /* nothing but newlines up to the end of the data */
    VEC_ROW_TRUNCATED = -2, /* the data ends inside the row */
    VEC_ROW_LONG = -3,      /* no space within VEC_MAX_WORD bytes */
    VEC_ROW_CONTROL = -4,   /* the word holds a control byte (< 0x20 or 0x7f) */
    VEC_ROW_EMPTY = -5,     /* the row starts with a space */
};

/* Parses "-format" values: "text", "binary", "glove", "fasttext" (and "auto"). Returns 0,
 * or -1 with 'err' set to "expected text, binary, glove or fasttext, got 'S'". */
int vec_format_parse(const char *s, enum vec_format *f, struct w2v_err *err);

/* Parses the header line 'line' ('len' bytes, no newline): "ROWS DIM" with
 * 1 <= ROWS and 1 <= DIM <= VEC_MAX_DIM. Returns 1 for a header, 0 when the line is not
 * shaped like one, -1 (with 'err' set, naming 'path') for a header with bad values. */
int vec_header(const char *line, size_t len, int64_t *rows, int *dim, const char *path,
               struct w2v_err *err);

/* Number of values on a GloVe line (a word and then numbers only), or -1. */
int vec_glove_dim(const char *line, size_t len);

/* Parses one binary row at 'p' ('have' bytes; 'at_end' when the data ends there): any
 * newlines, the word (1 to VEC_MAX_WORD bytes, no control byte), a space and 4*'dim' value
 * bytes. Returns the bytes consumed (> 0) with 'row' filled, or a VEC_ROW_* code. */
int64_t vec_binary_row(const unsigned char *p, size_t have, bool at_end, int dim,
                       struct vec_row *row);

/* Sets 'err' for a vec_binary_row failure 'code' at data row 'rowno' (1-based):
 * "PATH: row N: word contains control byte 0x0a", ... */
void vec_row_error(int64_t code, const struct vec_row *row, const char *path, int64_t rowno,
                   struct w2v_err *err);

/* Parses the text row 'line' ('len' bytes, NUL-terminated, line number 'lineno'): blanks,
 * a word, then exactly 'dim' finite numbers separated by blanks, stored in 'out'. Returns
 * 0, or -1 with 'err' set ("PATH:LINE: expected DIM values, got N", "PATH:LINE: value 2 is
 * not finite: 'nan'", "... is beyond the float range: '1e39'", "... is not a number:
 * '0.1abc'", "PATH:LINE: a tab ends the word 'W', and 'X' after it is not a number",
 * "PATH:LINE: word longer than VEC_MAX_WORD bytes", ...). */
int vec_text_row(char *line, size_t len, int dim, float *out, struct vec_row *row,
                 const char *path, int64_t lineno, struct w2v_err *err);

/* Decides text or binary for the rows at 'p' ('have' bytes, 'at_end' as above) of a file
 * with a header promising 'rows' rows of 'dim' values: text if its first complete lines (up
 * to VEC_DETECT_ROWS) are text rows; else binary if one of those lines holds a byte of no
 * text after its first field (a control byte but tab and CR, DEL, a byte of no well-formed
 * UTF-8 character), where binary rows have their raw values; else binary if the whole file
 * is in 'p', reads as 'rows' binary rows and its first line is no text row (values whose
 * bytes happen to be printable); else text, whose reader names the bad line. */
enum vec_format vec_detect(const unsigned char *p, size_t have, bool at_end, int dim,
                           int64_t rows);

/* Bytes vec_detect should be given for rows of 'dim' values: VEC_DETECT_ROWS binary rows
 * with long words, or text lines of up to 8 bytes per value. */
size_t vec_detect_bytes(int dim);

/* True when 'word' ('len' bytes) holds a control byte (< 0x20 or 0x7f); sets '*bad'. */
bool vec_has_control(const char *word, size_t len, unsigned char *bad);

/* A streaming reader of raw rows. */
struct vec_reader {
    struct input in;
    const char *path;
    enum vec_format format;  /* as decided: VEC_TEXT, VEC_BINARY, VEC_GLOVE or VEC_FASTTEXT */
    int64_t rows;            /* rows the header promises, or -1 (GloVe: as read) */
    int dim;
    int64_t done;            /* rows returned so far */
    char *pending;           /* GloVe: the first line, read while detecting */
    size_t pending_len;
    struct ft_model *ft;     /* a fastText model, read whole by vec_open; vec_take_fasttext
                                takes it over */
};

/* Opens 'path' ("-" is stdin, gzip or not), reads the header and decides the format
 * ('format' VEC_AUTO detects, see above). Returns 0, or -1 with 'err' set ("PATH:1:
 * expected a 'COUNT DIM' header", ...). The caller ends with vec_close. */
int vec_open(struct vec_reader *r, const char *path, enum vec_format format,
             struct w2v_err *err);

/* The next row: its word in 'row' (valid until the next call) and its 'dim' values, in
 * host order, in 'values'. Returns 1; 0 after the last row, once the rows are checked
 * against the header ("PATH:1: the header promises N rows, but the file has more" and
 * "PATH: N rows, but the header says M" are errors); or -1 with 'err' set. A caller that
 * stops early (a row limit) does not see the check. */
int vec_next(struct vec_reader *r, struct vec_row *row, float *values, struct w2v_err *err);

/* Closes the file (and frees a fastText model the reader still holds). Safe after a
 * failed vec_open. */
void vec_close(struct vec_reader *r);

/* Hands over the fastText model of a VEC_FASTTEXT reader (the caller frees it with
 * ft_free and free), or NULL for other formats. */
struct ft_model *vec_take_fasttext(struct vec_reader *r);

/* Squared lengths of a row outside [VEC_TINY, VEC_HUGE] are taken again in double. */
#define VEC_TINY 1e-30
#define VEC_HUGE 1e30

/* 1 / length of the 'dim' raw floats at 'bytes' (any alignment): the one normalisation of
 * every reader. 0 for a zero row, NAN when a value is not finite. The sum of squares is
 * taken in float and, when it leaves [VEC_TINY, VEC_HUGE], again in double, so that huge
 * and denormal rows keep their precision. */
double vec_inv_length(const void *bytes, int dim);

/* Writes the unit row of the 'dim' raw floats at 'bytes' (any alignment) to 'out', which
 * may be the same memory: each value times 'inv' (from vec_inv_length), in double. */
void vec_unit_row(const void *bytes, double inv, int dim, float *out);

/* Writes the "ROWS DIM" header. Returns 0, or -1 with 'err' set. */
int vec_write_header(struct outfile *of, int64_t rows, int dim, struct w2v_err *err);

/* Room vec_format_row needs for a word of 'len' bytes and 'dim' values, in bytes. */
size_t vec_row_room(size_t len, int dim);

/* Formats one row into 'buf' (vec_row_room bytes): binary (little-endian float32, then
 * '\n') or text/GloVe (values with 6 decimals, word2vec's "%lf"). Returns its length. */
size_t vec_format_row(char *buf, const char *word, size_t len, const float *values, int dim,
                      bool binary);

/* Formats the 'dim' values as text into 'buf' (vec_row_room(0, 'dim') bytes), each
 * preceded by 'sep', with 6 decimals as vec_format_row. Returns the length. */
size_t vec_format_values(char *buf, const float *values, int dim, char sep);

/* Whether a vectors file written to 'path' is binary: 'binary' 1 or 0 decides; -1 decides
 * from the name, text for "-" (standard output) and for names ending in .txt, .vec,
 * .txt.gz or .vec.gz in any case, binary otherwise. */
bool vec_binary_name(const char *path, int binary);

/* Writes the 'words->n' rows of 'vecs' (row-major, 'dim' floats each, row i for string i
 * of 'words') with a header to the open file 'of', binary or text. Returns 0, or -1 with
 * 'err' set; the caller then aborts 'of' (and otherwise commits it). */
int vec_write(struct outfile *of, const struct strindex *words, const float *vecs, int dim,
              bool binary, struct w2v_err *err);

/* The values of row 'i' of a file being written: a pointer to its 'dim' floats, which may
 * be 'scratch' (room for 'dim' floats) filled with them. */
typedef const float *(*vec_row_fn)(void *ctx, int64_t i, float *scratch);

/* vec_write with each row's values from 'row' (called with 'ctx') instead of a matrix. */
int vec_write_rows(struct outfile *of, const struct strindex *words, vec_row_fn row, void *ctx,
                   int dim, bool binary, struct w2v_err *err);

#endif
