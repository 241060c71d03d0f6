/* input: the one way w2v reads a file: corpora, vector files, vocabularies, evaluation
 * files. "-" is standard input everywhere. The content decides the format: gzip (any number
 * of concatenated members, then nothing but zero bytes) is decompressed, anything else
 * passes through as plain bytes, except xz, bzip2, zstd, lz4 and zip data, which are
 * refused with the command that unpacks them. A UTF-8 byte order mark at the start of the
 * data (after decompression) is skipped. Bytes are taken in chunks (input_read), as lines
 * (input_line) or by looking ahead (input_peek / input_skip). Every error names the file,
 * with one wording for each kind. */
#ifndef W2V_INPUT_H
#define W2V_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

#include "base/log.h"

/* Bytes of the UTF-8 byte order mark (EF BB BF) that input_open skips. */
#define INPUT_BOM_LEN 3

struct input {
    const char *path;       /* the name given, for messages ("standard input" for "-") */
    int fd;
    bool gzip;              /* the data is gzip-compressed */
    bool regular;           /* a regular file (not a pipe or device) */
    z_stream z;
    bool z_live;            /* 'z' is initialised */
    bool z_end;             /* the current gzip member has ended */
    unsigned char *raw;     /* bytes as read from 'fd' */
    size_t raw_len;
    size_t raw_pos;
    bool raw_eof;           /* read() returned 0 */
    unsigned char *buf;     /* decoded bytes for lines and look-ahead */
    size_t buf_cap;
    size_t buf_len;
    size_t buf_pos;
    bool eof;               /* no decoded byte is left to produce */
    int64_t lineno;         /* lines returned by input_line so far */
    bool cut;               /* the last line input_line returned had no '\n' */
    bool bom;               /* a byte order mark was skipped at the start */
    uint64_t raw_bytes;     /* bytes read from the file, for progress */
};

/* Opens 'path' ("-" is standard input) and recognises its format. Returns 0, or -1 with
 * 'err' set: "PATH: No such file or directory", "PATH: Is a directory", "PATH: xz-compressed
 * data; w2v reads plain text and gzip: unpack it with 'xz -dc PATH'", ... On success the
 * caller ends with input_close. */
int input_open(struct input *in, const char *path, struct w2v_err *err);

/* Copies up to 'n' decoded bytes to 'dst'. Returns how many (fewer than 'n' only at the
 * end of the data), 0 at the end, or -1 with 'err' set on a read error, corrupt or
 * truncated gzip data, or bytes after the gzip data that are neither a gzip member nor
 * zeros ("PATH: trailing garbage after gzip data at byte offset N", N counted in the
 * compressed file). */
int64_t input_read(struct input *in, void *dst, size_t n, struct w2v_err *err);

/* The next line, without its '\n' (and without a '\r' before it), NUL-terminated in a
 * buffer that stays valid until the next call: returns 1 with '*line' and '*len' set, 0 at
 * the end, or -1 with 'err' set (a read error, or "PATH:LINE: line longer than MAX bytes"
 * when a line exceeds 'max' bytes). A last line without '\n' is returned too, with
 * in->cut set. */
int input_line(struct input *in, char **line, size_t *len, size_t max, struct w2v_err *err);

/* Makes at least 'n' decoded bytes available from the current position if the data has
 * them, and points '*p' at them. Returns how many are available (fewer than 'n' only at
 * the end), or -1 with 'err' set. The bytes stay valid until the next call. */
int64_t input_peek(struct input *in, size_t n, const unsigned char **p, struct w2v_err *err);

/* Moves past 'n' bytes that input_peek made available. */
void input_skip(struct input *in, size_t n);

/* True for an uncompressed regular file read from its start: its descriptor can be
 * mapped instead of read. */
bool input_mappable(const struct input *in);

/* Moves a mappable input (see input_mappable) to byte 'offset' of the file, dropping
 * whatever was buffered; at offset 0 a byte order mark is skipped again. Returns 0, or -1
 * with 'err' set (not mappable, seek error). */
int input_seek(struct input *in, int64_t offset, struct w2v_err *err);

/* Closes the file and frees the buffers. Safe after a failed input_open. */
void input_close(struct input *in);

#endif
