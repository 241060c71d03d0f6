/* embed: the vector file reader. A buffered reader over zlib (which passes plain files
 * through) parses rows in place; binary rows are copied straight into the matrix. */
#include "embed.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

#include "util.h"
#include "vec.h"

/* Read buffer, grown when one text row is longer; rows longer than the cap are refused. */
#define EMBED_BUF (4u << 20)
#define EMBED_MAX_LINE (256u << 20)
/* Longest word accepted in a vectors file, in bytes. */
#define EMBED_MAX_WORD 4096
/* Squared lengths below this are recomputed in double (float would lose them). */
#define EMBED_TINY 1e-30f
/* Largest dimension accepted in a header. */
#define EMBED_MAX_DIM 1000000
/* Bytes of values allocated at first when the input's size is unknown (see first_capacity). */
#define EMBED_FIRST_BLOCK ((int64_t)1 << 20)
/* FNV-1a 64-bit constants. */
#define EMBED_FNV_OFFSET 1469598103934665603ULL
#define EMBED_FNV_PRIME 1099511628211ULL

struct reader {
    gzFile f;
    int fd;      /* the descriptor under 'f', for mapping */
    const char *path;
    unsigned char *buf;
    size_t cap;
    size_t len;  /* bytes held */
    size_t pos;  /* next byte to parse */
    bool eof;
    int zerr;    /* a zlib or system error seen while reading */
};

/* Makes at least 'n' bytes available at r->pos if the input has them; returns how many
 * are available (fewer only at the end of input or on a read error). */
static size_t reader_fill(struct reader *r, size_t n)
{
    if (r->len - r->pos >= n || r->eof) {
        return r->len - r->pos;
    }
    if (r->pos > 0) {
        memmove(r->buf, r->buf + r->pos, r->len - r->pos);
        r->len -= r->pos;
        r->pos = 0;
    }
    if (n + 1 > r->cap) {
        size_t cap = r->cap;
        while (cap < n + 1) {
            cap *= 2;
        }
        r->buf = xrealloc(r->buf, cap);
        r->cap = cap;
    }
    while (r->len < n && !r->eof) {
        /* Leave one byte so that a text row can always be NUL-terminated in place. */
        size_t want = r->cap - 1 - r->len;
        unsigned chunk = want > (1u << 30) ? (1u << 30) : (unsigned)want;
        int got = gzread(r->f, r->buf + r->len, chunk);
        if (got <= 0) {
            r->eof = true;
            int code = Z_OK;
            gzerror(r->f, &code);
            r->zerr = got < 0 ? (code != Z_OK ? code : Z_ERRNO) : code;
            break;
        }
        r->len += (size_t)got;
    }
    return r->len - r->pos;
}

/* Describes a read error, or returns false if there was none. */
static bool read_failed(const struct reader *r, struct w2v_err *err)
{
    if (r->zerr == Z_OK || r->zerr == Z_STREAM_END) {
        return false;
    }
    if (r->zerr == Z_ERRNO) {
        err_set(err, "%s: %s", r->path, strerror(errno ? errno : EIO));
    } else if (r->zerr == Z_BUF_ERROR) {
        err_set(err, "%s: truncated gzip data (unexpected end of file)", r->path);
    } else {
        err_set(err, "%s: corrupt gzip data", r->path);
    }
    return true;
}

/* Finds the next '\n' from r->pos, refilling as needed; returns the line's length (without
 * the newline), or -1 at the end of input with nothing left. A last line without '\n' is
 * returned too. The line is NUL-terminated in place. */
static int64_t reader_line(struct reader *r, struct w2v_err *err, bool *too_long)
{
    size_t scanned = 0;
    *too_long = false;
    for (;;) {
        size_t have = r->len - r->pos;
        unsigned char *start = r->buf + r->pos;
        unsigned char *nl = have > scanned ? memchr(start + scanned, '\n', have - scanned) : NULL;
        if (nl != NULL) {
            *nl = '\0';
            return nl - start;
        }
        scanned = have;
        if (r->eof) {
            if (have == 0) {
                return -1;
            }
            start[have] = '\0'; /* reader_fill keeps one spare byte */
            return (int64_t)have;
        }
        if (have >= EMBED_MAX_LINE) {
            *too_long = true;
            return -1;
        }
        size_t next = have < r->cap / 2 ? r->cap - 1 : have * 2;
        reader_fill(r, next);
        if (read_failed(r, err)) {
            return -1;
        }
    }
}

static uint64_t hash_word(const char *w)
{
    uint64_t h = EMBED_FNV_OFFSET;
    for (const unsigned char *p = (const unsigned char *)w; *p != '\0'; p++) {
        h = (h ^ *p) * EMBED_FNV_PRIME;
    }
    return h;
}

int64_t embed_find(const struct embed *e, const char *word)
{
    if (e->slots == NULL) {
        for (int64_t row = 0; row < e->rows; row++) {
            if (strcmp(embed_word(e, row), word) == 0) {
                return row;
            }
        }
        return -1;
    }
    for (uint64_t i = hash_word(word) & e->mask;; i = (i + 1) & e->mask) {
        int64_t row = e->slots[i];
        if (row < 0) {
            return -1;
        }
        if (strcmp(embed_word(e, row), word) == 0) {
            return row;
        }
    }
}

void embed_index(struct embed *e)
{
    if (e->slots != NULL) {
        return;
    }
    uint64_t slots = 16;
    while (slots < (uint64_t)e->rows * 2) {
        slots *= 2;
    }
    e->slots = xmalloc(slots * sizeof *e->slots);
    memset(e->slots, 0xff, slots * sizeof *e->slots);
    e->mask = slots - 1;
    for (int64_t row = 0; row < e->rows; row++) {
        const char *w = embed_word(e, row);
        uint64_t i = hash_word(w) & e->mask;
        bool dup = false;
        while (e->slots[i] >= 0) {
            if (strcmp(embed_word(e, e->slots[i]), w) == 0) {
                dup = true;
                break;
            }
            i = (i + 1) & e->mask;
        }
        if (!dup) {
            e->slots[i] = row;
        }
    }
}

/* Scales 'row' to unit length. The length is found in double and the division done in
 * double, so that rows of huge or tiny (denormal) values still come out finite. */
static void normalise(float *row, int dim)
{
    double ss = 0.0;
    for (int d = 0; d < dim; d++) {
        ss += (double)row[d] * (double)row[d];
    }
    if (ss > 0.0) {
        double len = sqrt(ss);
        for (int d = 0; d < dim; d++) {
            row[d] = (float)((double)row[d] / len);
        }
    }
}

struct words {
    char *arena;
    size_t len;
    size_t cap;
};

static size_t add_word(struct words *w, const char *s, size_t n)
{
    if (w->arena == NULL) {
        w->cap = 1 << 16;
        w->arena = xmalloc(w->cap);
    }
    while (w->len + n + 1 > w->cap) {
        w->cap *= 2;
        w->arena = xrealloc(w->arena, w->cap);
    }
    size_t at = w->len;
    memcpy(w->arena + at, s, n);
    w->arena[at + n] = '\0';
    w->len += n + 1;
    return at;
}

static bool host_little_endian(void)
{
    const uint32_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

/* Parses the NUL-terminated header line "ROWS DIM" of 'path'. */
static int parse_header_line(const char *line, const char *path, int64_t *rows, int *dim,
                             struct w2v_err *err)
{
    char *end = NULL;
    errno = 0;
    long long count = strtoll(line, &end, 10);
    bool ok = end != line && errno == 0 && (*end == ' ' || *end == '\t');
    long long d = 0;
    if (ok) {
        const char *p = end;
        d = strtoll(p, &end, 10);
        ok = end != p && errno == 0;
        while (ok && (*end == ' ' || *end == '\t' || *end == '\r')) {
            end++;
        }
        ok = ok && *end == '\0';
    }
    if (!ok) {
        err_set(err, "%s:1: expected a 'COUNT DIM' header", path);
        return -1;
    }
    if (count < 1 || d < 1 || d > EMBED_MAX_DIM) {
        err_set(err, "%s:1: bad header '%lld %lld' (COUNT >= 1, 1 <= DIM <= %d)", path, count,
                d, EMBED_MAX_DIM);
        return -1;
    }
    *rows = count;
    *dim = (int)d;
    return 0;
}

/* Reads and parses the header line through the reader. */
static int parse_header(struct reader *r, int64_t *rows, int *dim, struct w2v_err *err)
{
    bool too_long;
    int64_t n = reader_line(r, err, &too_long);
    if (n < 0) {
        if (!read_failed(r, err)) {
            err_set(err, "%s: %s", r->path,
                    too_long ? "header line too long" : "empty file (expected a 'COUNT DIM' header)");
        }
        return -1;
    }
    char *line = (char *)r->buf + r->pos;
    r->pos += (size_t)n + (r->pos + (size_t)n < r->len ? 1 : 0);
    return parse_header_line(line, r->path, rows, dim, err);
}

/* Decides the format from the first row. It is text if its first line holds a word and
 * exactly 'dim' numbers; otherwise binary if the 4*dim bytes after the word hold a control
 * byte (raw floats almost always do; text never does); otherwise text, so that a malformed
 * text row is reported as such. */
static bool looks_like_text(const unsigned char *p, size_t have, int dim)
{
    size_t i = 0;
    while (i < have && (p[i] == '\n' || p[i] == '\r' || p[i] == ' ' || p[i] == '\t')) {
        i++;
    }
    while (i < have && p[i] != ' ' && p[i] != '\t' && p[i] != '\n') {
        i++;
    }
    if (i >= have || p[i] == '\n') {
        return true; /* a word alone on its line can only be (malformed) text */
    }
    size_t start = i + 1;
    const unsigned char *nl = memchr(p + start, '\n', have - start);
    size_t line_end = nl != NULL ? (size_t)(nl - p) : have;
    if (line_end - start < 64 * (size_t)dim + 64) {
        char *copy = xmalloc(line_end - start + 1);
        memcpy(copy, p + start, line_end - start);
        copy[line_end - start] = '\0';
        int values = 0;
        char *s = copy;
        char *end = NULL;
        for (;;) {
            (void)strtof(s, &end);
            if (end == s) {
                break;
            }
            values++;
            s = end;
        }
        bool numbers_only = strspn(s, " \t\r") == strlen(s);
        free(copy);
        if (numbers_only && values == dim) {
            return true;
        }
    }
    size_t end = start + (size_t)dim * 4 < have ? start + (size_t)dim * 4 : have;
    for (i = start; i < end; i++) {
        if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') || p[i] == 0x7f) {
            return false;
        }
    }
    return true;
}

static int read_text_row(struct reader *r, struct embed *e, struct words *w, int64_t row,
                         struct w2v_err *err)
{
    int64_t lineno = row + 2;
    bool too_long;
    int64_t n;
    char *line;
    do { /* blank lines between rows are tolerated */
        n = reader_line(r, err, &too_long);
        if (n < 0) {
            if (too_long) {
                err_set(err, "%s:%lld: row too long", r->path, (long long)lineno);
            } else if (!read_failed(r, err)) {
                err_set(err, "%s: %lld rows, but the header says %lld", r->path,
                        (long long)row, (long long)e->rows);
            }
            return -1;
        }
        line = (char *)r->buf + r->pos;
        r->pos += (size_t)n + (r->pos + (size_t)n < r->len ? 1 : 0);
    } while (strspn(line, " \t\r") == (size_t)n);
    char *p = line;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    char *word = p;
    while (*p != '\0' && *p != ' ' && *p != '\t') {
        p++;
    }
    size_t wlen = (size_t)(p - word);
    if (wlen > EMBED_MAX_WORD) {
        err_set(err, "%s:%lld: word longer than %d bytes", r->path, (long long)lineno,
                EMBED_MAX_WORD);
        return -1;
    }
    e->offset[row] = add_word(w, word, wlen);
    float *out = e->unit + (size_t)row * (size_t)e->dim;
    int got = 0;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r') {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        char *end;
        float x = strtof(p, &end);
        if (end == p || (*end != '\0' && *end != ' ' && *end != '\t' && *end != '\r')) {
            err_set(err, "%s:%lld: value %d is not a number", r->path, (long long)lineno,
                    got + 1);
            return -1;
        }
        if (got < e->dim) {
            if (!isfinite(x)) {
                err_set(err, "%s:%lld: value %d is not finite", r->path, (long long)lineno,
                        got + 1);
                return -1;
            }
            out[got] = x;
        }
        got++;
        p = end;
    }
    if (got != e->dim) {
        err_set(err, "%s:%lld: expected %d values, got %d", r->path, (long long)lineno, e->dim,
                got);
        return -1;
    }
    return 0;
}

static int read_binary_row(struct reader *r, struct embed *e, struct words *w, int64_t row,
                           bool swap, struct w2v_err *err)
{
    int64_t lineno = row + 2;
    size_t vbytes = (size_t)e->dim * sizeof(float);
    /* Skip the optional newline after the previous row (and stray blanks). */
    for (;;) {
        if (reader_fill(r, 1) == 0) {
            if (!read_failed(r, err)) {
                err_set(err, "%s: %lld rows, but the header says %lld", r->path,
                        (long long)row, (long long)e->rows);
            }
            return -1;
        }
        unsigned char c = r->buf[r->pos];
        if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
            break;
        }
        r->pos++;
    }
    size_t have = reader_fill(r, EMBED_MAX_WORD + 1 + vbytes);
    const unsigned char *p = r->buf + r->pos;
    const unsigned char *sp = memchr(p, ' ', have < EMBED_MAX_WORD + 1 ? have : EMBED_MAX_WORD + 1);
    if (sp == NULL) {
        if (!read_failed(r, err)) {
            err_set(err, "%s:%lld: %s", r->path, (long long)lineno,
                    have <= EMBED_MAX_WORD ? "truncated row" : "word too long");
        }
        return -1;
    }
    size_t wlen = (size_t)(sp - p);
    if ((size_t)(have - wlen - 1) < vbytes) {
        if (!read_failed(r, err)) {
            err_set(err, "%s:%lld: truncated row (expected %d floats)", r->path,
                    (long long)lineno, e->dim);
        }
        return -1;
    }
    e->offset[row] = add_word(w, (const char *)p, wlen);
    float *out = e->unit + (size_t)row * (size_t)e->dim;
    memcpy(out, sp + 1, vbytes);
    r->pos += wlen + 1 + vbytes;
    for (int d = 0; d < e->dim; d++) {
        if (swap) {
            uint32_t u;
            memcpy(&u, &out[d], 4);
            u = (u >> 24) | ((u >> 8) & 0xff00u) | ((u << 8) & 0xff0000u) | (u << 24);
            memcpy(&out[d], &u, 4);
        }
        if (!isfinite(out[d])) {
            err_set(err, "%s:%lld: value %d is not finite", r->path, (long long)lineno, d + 1);
            return -1;
        }
    }
    return 0;
}

static int open_reader(struct reader *r, const char *path, struct w2v_err *err)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    int fd = open_input(path, err);
    if (fd < 0) {
        return -1;
    }
    r->fd = fd;
    r->f = gzdopen(fd, "rb");
    if (r->f == NULL) {
        close(fd);
        err_set(err, "%s: cannot read", path);
        return -1;
    }
    gzbuffer(r->f, 1u << 20);
    r->cap = EMBED_BUF;
    r->buf = xmalloc(r->cap);
    return 0;
}

/* Sets 'e' up for 'keep' rows of 'dim' values, refusing sizes that do not fit in memory,
 * and allocates room for the first 'cap' (<= 'keep') of them: the matrix, or for a mapped
 * file the per-row tables, and the word offsets. */
static int alloc_rows(struct embed *e, int64_t keep, int64_t cap, int dim, bool mapped,
                      const char *path, struct w2v_err *err)
{
    e->rows = keep;
    e->dim = dim;
    size_t cells;
    size_t bytes;
    if (!mul_size((size_t)keep, (size_t)dim, &cells) || !mul_size(cells, sizeof(float), &bytes) ||
        bytes > (size_t)INT64_MAX) {
        err_set(err, "%s:1: %lld x %d values do not fit in memory", path, (long long)keep, dim);
        return -1;
    }
    if (mapped) {
        e->vec_off = alloc_big((size_t)cap * sizeof *e->vec_off, path, err);
        e->inv_norm = e->vec_off ? alloc_big((size_t)cap * sizeof *e->inv_norm, path, err) : NULL;
        if (e->inv_norm == NULL) {
            return -1;
        }
    } else {
        e->unit = alloc_big((size_t)cap * (size_t)dim * sizeof(float), path, err);
        if (e->unit == NULL) {
            return -1;
        }
    }
    e->offset = alloc_big((size_t)cap * sizeof *e->offset, path, err);
    return e->offset != NULL ? 0 : -1;
}

/* Rows to allocate before reading any: all 'keep' when the input is a plain file that
 * could hold them (a row takes at least 2 * dim + 1 bytes), otherwise a first block that
 * grow_rows doubles as rows arrive. A header promising more rows than a gzip stream, a
 * pipe or a short file holds then costs no more memory than the rows actually read. */
static int64_t first_capacity(const struct reader *r, int64_t keep, int dim)
{
    struct stat st;
    if (gzdirect(r->f) && fstat(r->fd, &st) == 0 && S_ISREG(st.st_mode) &&
        st.st_size / (2 * (int64_t)dim + 1) >= keep) {
        return keep;
    }
    int64_t block = EMBED_FIRST_BLOCK / ((int64_t)dim * (int64_t)sizeof(float)) + 1;
    return block < keep ? block : keep;
}

/* Doubles the rows held by an unmapped 'e' from '*cap' (at most to 'keep'), keeping
 * the rows read so far. Returns 0 or -1 with 'err' set. */
static int grow_rows(struct embed *e, int64_t *cap, int64_t keep, const char *path,
                     struct w2v_err *err)
{
    int64_t n = *cap < keep / 2 ? *cap * 2 : keep;
    size_t row_bytes = (size_t)e->dim * sizeof(float);
    float *unit = alloc_big((size_t)n * row_bytes, path, err);
    size_t *offset = unit != NULL ? alloc_big((size_t)n * sizeof *offset, path, err) : NULL;
    if (offset == NULL) {
        free(unit);
        return -1;
    }
    memcpy(unit, e->unit, (size_t)*cap * row_bytes);
    memcpy(offset, e->offset, (size_t)*cap * sizeof *offset);
    free(e->unit);
    free(e->offset);
    e->unit = unit;
    e->offset = offset;
    *cap = n;
    return 0;
}

/* Finds a non-finite value of a row whose squared length is not finite; returns its
 * 1-based position. */
static int first_non_finite(const float *row, int dim)
{
    for (int d = 0; d < dim; d++) {
        if (!isfinite(row[d])) {
            return d + 1;
        }
    }
    return 0;
}

/* Reads the rows of a mapped binary file in place from 'at': records where each row's
 * values start and its inverse length, and copies the words. */
static int scan_mapped(struct embed *e, struct words *w, size_t at, const char *path,
                       struct w2v_err *err)
{
    const unsigned char *p = e->map;
    size_t size = e->map_size;
    size_t vbytes = (size_t)e->dim * sizeof(float);
    float *row = alloc_big(vbytes, path, err);
    if (row == NULL) {
        return -1;
    }
    int rc = 0;
    for (int64_t r = 0; r < e->rows && rc == 0; r++) {
        long long lineno = (long long)r + 2;
        while (at < size && (p[at] == '\n' || p[at] == '\r' || p[at] == ' ' || p[at] == '\t')) {
            at++;
        }
        if (at == size) {
            err_set(err, "%s: %lld rows, but the header says %lld", path, (long long)r,
                    (long long)e->rows);
            rc = -1;
            break;
        }
        size_t span = size - at < EMBED_MAX_WORD + 1 ? size - at : EMBED_MAX_WORD + 1;
        const unsigned char *sp = memchr(p + at, ' ', span);
        if (sp == NULL || size - (size_t)(sp + 1 - p) < vbytes) {
            err_set(err, "%s:%lld: %s", path, lineno,
                    sp == NULL && span > EMBED_MAX_WORD ? "word too long" : "truncated row");
            rc = -1;
            break;
        }
        e->offset[r] = add_word(w, (const char *)p + at, (size_t)(sp - (p + at)));
        at = (size_t)(sp + 1 - p);
        e->vec_off[r] = at;
        /* Fast path in float, read in place; rows whose squared length overflows or
         * nears the denormal range are copied and measured again in double. */
        const unsigned char *values = p + at;
        at += vbytes;
        float ss = vec_dot_bytes(values, values, e->dim);
        if (!isfinite(ss) || ss < EMBED_TINY) {
            memcpy(row, values, vbytes);
            int bad = first_non_finite(row, e->dim);
            if (bad > 0) {
                err_set(err, "%s:%lld: value %d is not finite", path, lineno, bad);
                rc = -1;
                break;
            }
            double dss = 0.0;
            for (int d = 0; d < e->dim; d++) {
                dss += (double)row[d] * (double)row[d];
            }
            e->inv_norm[r] = dss > 0.0 ? 1.0 / sqrt(dss) : 0.0;
        } else {
            e->inv_norm[r] = 1.0 / sqrt((double)ss);
        }
    }
    free(row);
    return rc;
}

/* Maps 'fd' if it is an uncompressed binary vectors file. Returns 1 when mapped and
 * loaded, 0 when the file should be read the ordinary way, -1 on an error. */
static int try_map(struct embed *e, int fd, const char *path, int64_t limit, struct words *w,
                   struct w2v_err *err)
{
    struct stat st;
    if (!host_little_endian() || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 4) {
        return 0;
    }
    size_t size = (size_t)st.st_size;
    void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (m == MAP_FAILED) {
        return 0;
    }
    const unsigned char *p = m;
    const unsigned char *nl = memchr(p, '\n', size < 256 ? size : 256);
    if ((p[0] == 0x1f && p[1] == 0x8b) || nl == NULL) {
        munmap(m, size); /* gzip, or a header to be diagnosed by the reader */
        return 0;
    }
    char header[256];
    memcpy(header, p, (size_t)(nl - p));
    header[nl - p] = '\0';
    int64_t rows = 0;
    int dim = 0;
    size_t at = (size_t)(nl - p) + 1;
    if (parse_header_line(header, path, &rows, &dim, err) != 0) {
        munmap(m, size);
        return -1;
    }
    size_t probe = (size_t)dim * 4 + EMBED_MAX_WORD + 2;
    if (looks_like_text(p + at, size - at < probe ? size - at : probe, dim)) {
        munmap(m, size);
        return 0;
    }
    posix_madvise(m, size, POSIX_MADV_SEQUENTIAL);
    e->map = p;
    e->map_size = size;
    int64_t keep = first_n(limit, rows);
    /* A row takes at least 4 * dim + 2 bytes, so a header promising more rows than the
     * file can hold reserves only what could be there; the scan reports the first
     * missing row. */
    int64_t fit = (int64_t)(size / ((size_t)dim * 4 + 2)) + 1;
    if (alloc_rows(e, keep, keep < fit ? keep : fit, dim, true, path, err) != 0 ||
        scan_mapped(e, w, at, path, err) != 0) {
        return -1;
    }
    return 1;
}

int embed_load(struct embed *e, const char *path, int64_t limit, bool may_map,
               struct w2v_err *err)
{
    memset(e, 0, sizeof *e);
    struct reader r;
    if (open_reader(&r, path, err) != 0) {
        return -1;
    }
    struct words w = {0};
    int mapped = 0;
    if (may_map && strcmp(path, "-") != 0) {
        mapped = try_map(e, r.fd, path, limit, &w, err);
    }
    int rc = mapped < 0 ? -1 : 0;
    if (mapped == 0) {
        int64_t rows = 0;
        int dim = 0;
        rc = parse_header(&r, &rows, &dim, err);
        int64_t keep = first_n(limit, rows);
        int64_t cap = 0;
        if (rc == 0) {
            cap = first_capacity(&r, keep, dim);
            rc = alloc_rows(e, keep, cap, dim, false, path, err);
            e->rows = rows; /* for the "rows, but the header says" message */
        }
        if (rc == 0) {
            size_t have = reader_fill(&r, (size_t)dim * 4 + EMBED_MAX_WORD + 2);
            bool text = looks_like_text(r.buf + r.pos, have, dim);
            bool swap = !host_little_endian();
            for (int64_t row = 0; row < keep && rc == 0; row++) {
                if (row == cap && grow_rows(e, &cap, keep, path, err) != 0) {
                    rc = -1;
                    break;
                }
                rc = text ? read_text_row(&r, e, &w, row, err)
                          : read_binary_row(&r, e, &w, row, swap, err);
                if (rc == 0) {
                    normalise(e->unit + (size_t)row * (size_t)dim, dim);
                }
            }
            e->rows = keep;
        }
    }
    free(r.buf);
    gzclose(r.f);
    e->arena = w.arena;
    if (rc != 0) {
        embed_free(e);
        return -1;
    }
    return 0;
}

const float *embed_unit(const struct embed *e, int64_t row, float *scratch)
{
    if (e->map == NULL) {
        return embed_row(e, row);
    }
    memcpy(scratch, e->map + e->vec_off[row], (size_t)e->dim * sizeof(float));
    double inv = e->inv_norm[row];
    for (int d = 0; d < e->dim; d++) {
        scratch[d] = (float)((double)scratch[d] * inv);
    }
    return scratch;
}

float embed_dot(const struct embed *e, int64_t row, const float *q)
{
    if (e->map == NULL) {
        return vec_dot(embed_row(e, row), q, e->dim);
    }
    return (float)((double)vec_dot_bytes(e->map + e->vec_off[row], q, e->dim) *
                   e->inv_norm[row]);
}

void embed_free(struct embed *e)
{
    if (e->map != NULL) {
        munmap((void *)(uintptr_t)e->map, e->map_size);
    }
    free(e->unit);
    free(e->vec_off);
    free(e->inv_norm);
    free(e->arena);
    free(e->offset);
    free(e->slots);
    memset(e, 0, sizeof *e);
}
