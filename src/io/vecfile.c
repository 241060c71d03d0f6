/* vecfile: headers, the text and binary row parsers and the streaming reader over input.h
 * (format detection is in vecfile_detect.c; the rows' normalisation and the writer are in
 * vecfile_write.c). Binary values are little-endian IEEE floats on any host. */
#include "io/vecfile.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/endian.h"
#include "base/strindex.h"
#include "base/utf8.h"
#include "base/util.h"

/* Bytes of a bad field or word shown in a message; longer ones are cut, with "...". */
#define VEC_SHOWN 32

static bool is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

int vec_format_parse(const char *s, enum vec_format *f, struct w2v_err *err)
{
    static const char *const names[] = {"auto", "text", "binary", "glove", "fasttext"};
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++) {
        if (strcmp(s, names[i]) == 0) {
            *f = (enum vec_format)i;
            return 0;
        }
    }
    err_set(err, "expected text, binary, glove or fasttext, got '%s'", s);
    return -1;
}

int vec_header(const char *line, size_t len, int64_t *rows, int *dim, const char *path,
               struct w2v_err *err)
{
    char buf[VEC_MAX_HEADER + 1];
    if (len > VEC_MAX_HEADER) {
        return 0;
    }
    memcpy(buf, line, len);
    buf[len] = '\0';
    char *end = NULL;
    errno = 0;
    long long count = strtoll(buf, &end, 10);
    if (end == buf || errno != 0 || (*end != ' ' && *end != '\t')) {
        return 0;
    }
    const char *p = end;
    long long d = strtoll(p, &end, 10);
    if (end == p || errno != 0 || end[strspn(end, " \t\r")] != '\0') {
        return 0;
    }
    if (count < 1 || d < 1 || d > VEC_MAX_DIM) {
        err_set(err, "%s:1: bad header '%lld %lld' (COUNT >= 1, 1 <= DIM <= %d)", path, count,
                d, VEC_MAX_DIM);
        return -1;
    }
    *rows = count;
    *dim = (int)d;
    return 1;
}

/* Significands below this and powers of ten up to 10^10 are exact floats. */
#define VEC_EXACT_SIGNIFICAND (1u << 24)
#define VEC_EXACT_DECIMALS 10

/* The number at 's' when it is written the plain way, [sign] digits [. digits], with a
 * significand (its digits without the point) of at most 2^24 and at most 10 decimals,
 * ending at a blank or the end: then m / 10^decimals divides two exact floats, and the
 * one rounding of that division is strtof's rounding of the decimal. Returns the end of the
 * number and sets '*x', or returns NULL (any other form: exponents, hexadecimal, "inf",
 * "nan", longer significands), leaving the number to strtof. */
static const char *parse_plain(const char *s, float *x)
{
#if !defined(FLT_EVAL_METHOD) || FLT_EVAL_METHOD != 0
    /* float arithmetic carried out in a wider type would round twice */
    (void)s;
    (void)x;
    return NULL;
#endif
    static const float tens[VEC_EXACT_DECIMALS + 1] = {1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f,
                                                       1e6f, 1e7f, 1e8f, 1e9f, 1e10f};
    const char *p = s;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+') {
        p++;
    }
    uint32_t m = 0;
    int digits = 0;
    int decimals = 0;
    bool point = false;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            m = m * 10 + (uint32_t)(*p - '0');
            if (m > VEC_EXACT_SIGNIFICAND) {
                return NULL;
            }
            digits++;
            decimals += point;
        } else if (*p == '.' && !point) {
            point = true;
        } else {
            break;
        }
    }
    if (digits == 0 || decimals > VEC_EXACT_DECIMALS ||
        (*p != '\0' && !is_blank((unsigned char)*p))) {
        return NULL;
    }
    float v = (float)m / tens[decimals];
    *x = neg ? -v : v;
    return p;
}

/* Parses the blank-separated numbers of the NUL-terminated 's' into 'out' (room for
 * 'max'); returns how many, or -1 at the first field that is not a finite number ('*bad'
 * its 1-based position, '*field' where it starts). */
static int parse_numbers(char *s, float *out, int max, int *bad, const char **field)
{
    int n = 0;
    for (;;) {
        while (is_blank((unsigned char)*s)) {
            s++;
        }
        if (*s == '\0') {
            return n;
        }
        float x;
        char *end = (char *)parse_plain(s, &x);
        if (end == NULL) {
            x = strtof(s, &end);
        }
        if (end == s || (*end != '\0' && !is_blank((unsigned char)*end)) || !isfinite(x)) {
            *bad = n + 1;
            *field = s;
            return -1;
        }
        if (n < max) {
            out[n] = x;
        }
        n++;
        s = end;
    }
}

int vec_glove_dim(const char *line, size_t len)
{
    char *copy = xmalloc(len + 1);
    memcpy(copy, line, len);
    copy[len] = '\0';
    char *p = copy + strspn(copy, " \t");
    p += strcspn(p, " \t\r");
    int bad;
    const char *field;
    int n = p == copy ? -1 : parse_numbers(p, NULL, 0, &bad, &field);
    free(copy);
    return n;
}

bool vec_has_control(const char *word, size_t len, unsigned char *bad)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)word[i];
        if (c < 0x20 || c == 0x7f) {
            *bad = c;
            return true;
        }
    }
    return false;
}

/* Sets 'err' for the field at 'field' that is not a finite number, value 'bad' of the row
 * whose word ('row') ends at 'after': not a number, not finite (nan, inf) or beyond the
 * float range (1e39), shown as written; and, for the first value after a tab, that the tab
 * ended the word. */
static void value_error(const char *field, int bad, const struct vec_row *row, char after,
                        const char *path, int64_t lineno, struct w2v_err *err)
{
    size_t len = strcspn(field, " \t\r");
    size_t shown_len = len < VEC_SHOWN ? len : VEC_SHOWN;
    char shown[UTF8_ESCAPE_GROWTH * VEC_SHOWN + 1];
    utf8_escape(field, shown_len, shown);
    const char *more = len > shown_len ? "..." : "";
    char *end;
    double x = strtod(field, &end);
    bool number = end == field + len;
    if (!number && bad == 1 && after == '\t') {
        char word[UTF8_ESCAPE_GROWTH * VEC_SHOWN + 1];
        size_t wlen = row->len < VEC_SHOWN ? row->len : VEC_SHOWN;
        utf8_escape(row->word, wlen, word);
        err_set(err, "%s:%lld: a tab ends the word '%s%s', and '%s%s' after it is not a number",
                path, (long long)lineno, word, row->len > wlen ? "..." : "", shown, more);
    } else if (!number) {
        err_set(err, "%s:%lld: value %d is not a number: '%s%s'", path, (long long)lineno, bad,
                shown, more);
    } else {
        err_set(err, "%s:%lld: value %d is %s: '%s%s'", path, (long long)lineno, bad,
                isfinite(x) ? "beyond the float range" : "not finite", shown, more);
    }
}

int vec_text_row(char *line, size_t len, int dim, float *out, struct vec_row *row,
                 const char *path, int64_t lineno, struct w2v_err *err)
{
    char *p = line + strspn(line, " \t");
    char *w = p;
    p += strcspn(p, " \t\r");
    row->word = w;
    row->len = (size_t)(p - w);
    row->values = NULL;
    (void)len;
    if (row->len > VEC_MAX_WORD) {
        err_set(err, "%s:%lld: word longer than %d bytes", path, (long long)lineno,
                VEC_MAX_WORD);
        return -1;
    }
    if (vec_has_control(w, row->len, &row->bad)) {
        err_set(err, "%s:%lld: word contains control byte 0x%02x", path, (long long)lineno,
                row->bad);
        return -1;
    }
    row->hash = strindex_hash(w, row->len);
    int bad = 0;
    const char *field = NULL;
    int got = parse_numbers(p, out, dim, &bad, &field);
    if (got < 0) {
        if (err != NULL) {
            value_error(field, bad, row, *p, path, lineno, err);
        }
        return -1;
    }
    if (got != dim) {
        err_set(err, "%s:%lld: expected %d %s, got %d", path, (long long)lineno, dim,
                plural(dim, "value", "values"), got);
        return -1;
    }
    return 0;
}

int64_t vec_binary_row(const unsigned char *p, size_t have, bool at_end, int dim,
                       struct vec_row *row)
{
    size_t i = 0;
    while (i < have && p[i] == '\n') {
        i++;
    }
    if (i == have) {
        return at_end ? VEC_ROW_END : VEC_ROW_MORE;
    }
    size_t start = i;
    size_t stop = have - start > VEC_MAX_WORD ? start + VEC_MAX_WORD : have;
    const unsigned char *sp = memchr(p + start, ' ', stop - start);
    if (sp == NULL) {
        if (stop < have) {
            return VEC_ROW_LONG;
        }
        return at_end ? VEC_ROW_TRUNCATED : VEC_ROW_MORE;
    }
    row->word = (const char *)p + start;
    row->len = (size_t)(sp - (p + start));
    if (row->len == 0) {
        return VEC_ROW_EMPTY;
    }
    if (vec_has_control(row->word, row->len, &row->bad)) {
        return VEC_ROW_CONTROL;
    }
    size_t end = (size_t)(sp - p) + 1 + 4 * (size_t)dim;
    if (end > have) {
        return at_end ? VEC_ROW_TRUNCATED : VEC_ROW_MORE;
    }
    row->hash = strindex_hash(row->word, row->len);
    row->values = sp + 1;
    return (int64_t)end;
}

void vec_row_error(int64_t code, const struct vec_row *row, const char *path, int64_t rowno,
                   struct w2v_err *err)
{
    long long n = (long long)rowno;
    switch (code) {
    case VEC_ROW_CONTROL:
        err_set(err, "%s: row %lld: word contains control byte 0x%02x", path, n, row->bad);
        break;
    case VEC_ROW_LONG:
        err_set(err, "%s: row %lld: no space within %d bytes (word too long, or not a "
                "binary row)", path, n, VEC_MAX_WORD);
        break;
    case VEC_ROW_EMPTY:
        err_set(err, "%s: row %lld: empty word", path, n);
        break;
    default:
        err_set(err, "%s: row %lld: truncated row", path, n);
        break;
    }
}

/* Looks at the first line without consuming it: a header sets the rows and the dimension
 * and is skipped. Returns 1 for a header, 0 for none, -1 with 'err' set. */
static int read_header(struct vec_reader *r, struct w2v_err *err)
{
    const unsigned char *p;
    int64_t have = input_peek(&r->in, VEC_MAX_HEADER + 1, &p, err);
    if (have < 0) {
        return -1;
    }
    if (have == 0) {
        err_set(err, "%s: empty file (expected a 'COUNT DIM' header)", r->path);
        return -1;
    }
    const unsigned char *nl = memchr(p, '\n', (size_t)have);
    size_t len = nl != NULL ? (size_t)(nl - p) : (size_t)have;
    int rc = vec_header((const char *)p, len, &r->rows, &r->dim, r->path, err);
    if (rc == 1) {
        input_skip(&r->in, nl != NULL ? len + 1 : len);
    }
    return rc;
}

/* Reads the first line of a headerless (GloVe) file, kept as the first row. */
static int read_glove_start(struct vec_reader *r, bool detected, struct w2v_err *err)
{
    const unsigned char *p;
    int64_t have = input_peek(&r->in, 1, &p, err); /* also sets up input_line's buffer */
    if (have <= 0) {
        if (have == 0) {
            err_set(err, "%s: empty file", r->path);
        }
        return -1;
    }
    char *line;
    size_t len;
    int rc = input_line(&r->in, &line, &len, VEC_MAX_LINE, err);
    if (rc < 0) {
        return -1;
    }
    int dim = rc == 0 ? -1 : vec_glove_dim(line, len);
    if (dim < (detected ? 2 : 1) || dim > VEC_MAX_DIM) {
        err_set(err, detected ? "%s:1: expected a 'COUNT DIM' header (or, for a headerless "
                "GloVe file, a word and its values; see -format)"
                : "%s:1: expected a word and its values (GloVe format)", r->path);
        return -1;
    }
    r->format = VEC_GLOVE;
    r->rows = -1;
    r->dim = dim;
    r->pending = line;
    r->pending_len = len;
    return 0;
}

/* Reads a fastText model when the data starts with its magic number: returns 1 (the
 * reader is set up), 0 when it does not ('must': an error saying so), or -1 with 'err'
 * set. */
static int open_fasttext(struct vec_reader *r, bool must, struct w2v_err *err)
{
    const unsigned char *p;
    int64_t have = input_peek(&r->in, 4, &p, err);
    if (have < 0) {
        return -1;
    }
    if (have < 4 || !ft_is_magic(p)) {
        if (must) {
            err_set(err, "%s: not a fastText model (wrong magic number)", r->path);
            return -1;
        }
        return 0;
    }
    r->ft = xmalloc(sizeof *r->ft);
    if (ft_read_input(&r->in, r->ft, err) != 0) {
        free(r->ft);
        r->ft = NULL;
        return -1;
    }
    r->format = VEC_FASTTEXT;
    r->rows = r->ft->words.n;
    r->dim = r->ft->args.dim;
    return 1;
}

int vec_open(struct vec_reader *r, const char *path, enum vec_format format,
             struct w2v_err *err)
{
    memset(r, 0, sizeof *r);
    r->path = path_label(path, false);
    r->in.fd = -1;
    if (input_open(&r->in, path, err) != 0) {
        return -1;
    }
    if (format == VEC_AUTO || format == VEC_FASTTEXT) {
        int is_ft = open_fasttext(r, format == VEC_FASTTEXT, err);
        if (is_ft != 0) {
            return is_ft < 0 ? -1 : 0;
        }
    }
    int rc = format == VEC_GLOVE ? 0 : read_header(r, err);
    if (rc < 0) {
        return -1;
    }
    if (rc == 0) {
        if (format != VEC_AUTO && format != VEC_GLOVE) {
            err_set(err, "%s:1: expected a 'COUNT DIM' header", path);
            return -1;
        }
        return read_glove_start(r, format == VEC_AUTO, err);
    }
    r->format = format;
    if (format == VEC_AUTO) {
        const unsigned char *p;
        size_t want = vec_detect_bytes(r->dim);
        int64_t have = input_peek(&r->in, want, &p, err);
        if (have < 0) {
            return -1;
        }
        r->format = vec_detect(p, (size_t)have, (size_t)have < want, r->dim, r->rows);
    }
    return 0;
}

/* The next text line that is not blank, or 0 at the end. */
static int next_text_line(struct vec_reader *r, char **line, size_t *len, struct w2v_err *err)
{
    if (r->pending != NULL) {
        *line = r->pending;
        *len = r->pending_len;
        r->pending = NULL;
        return 1;
    }
    int rc;
    do {
        rc = input_line(&r->in, line, len, VEC_MAX_LINE, err);
    } while (rc == 1 && strspn(*line, " \t\r") == *len);
    return rc;
}

/* After the rows the header promised: only blanks may follow. */
static int check_rest(struct vec_reader *r, struct w2v_err *err)
{
    for (;;) {
        const unsigned char *p;
        int64_t have = input_peek(&r->in, 1, &p, err);
        if (have <= 0) {
            return (int)have;
        }
        if (!is_blank(p[0]) && p[0] != '\n') {
            err_set(err, "%s:1: the header promises %lld %s, but the file has more",
                    r->path, (long long)r->rows, plural(r->rows, "row", "rows"));
            return -1;
        }
        input_skip(&r->in, 1);
    }
}

static int next_binary(struct vec_reader *r, struct vec_row *row, float *values,
                       struct w2v_err *err)
{
    size_t want = VEC_MAX_WORD + 2 + 4 * (size_t)r->dim;
    const unsigned char *p;
    int64_t have = input_peek(&r->in, want, &p, err);
    if (have < 0) {
        return -1;
    }
    int64_t used = vec_binary_row(p, (size_t)have, (size_t)have < want, r->dim, row);
    if (used == VEC_ROW_END) {
        err_set(err, "%s: %lld %s, but the header says %lld", r->path, (long long)r->done,
                plural(r->done, "row", "rows"), (long long)r->rows);
        return -1;
    }
    if (used <= 0) {
        vec_row_error(used, row, r->path, r->done + 1, err);
        return -1;
    }
    memcpy(values, row->values, 4 * (size_t)r->dim);
    if (!host_little_endian()) {
        swap4(values, (size_t)r->dim);
    }
    for (int d = 0; d < r->dim; d++) {
        if (!isfinite(values[d])) {
            err_set(err, "%s: row %lld: value %d is not finite", r->path,
                    (long long)r->done + 1, d + 1);
            return -1;
        }
    }
    input_skip(&r->in, (size_t)used);
    return 1;
}

/* The next vocabulary word of a fastText model and its vector. */
static int next_fasttext(struct vec_reader *r, struct vec_row *row, float *values)
{
    if (r->ft == NULL || r->done == r->ft->words.n) {
        return 0;
    }
    row->word = strindex_str(&r->ft->words, r->done);
    row->len = strlen(row->word);
    row->hash = strindex_hash(row->word, row->len);
    row->values = NULL;
    ft_id_vector(r->ft, r->done, values);
    r->done++;
    return 1;
}

int vec_next(struct vec_reader *r, struct vec_row *row, float *values, struct w2v_err *err)
{
    if (r->format == VEC_FASTTEXT) {
        return next_fasttext(r, row, values);
    }
    if (r->rows >= 0 && r->done == r->rows) {
        return check_rest(r, err);
    }
    int rc;
    if (r->format == VEC_BINARY) {
        rc = next_binary(r, row, values, err);
    } else {
        char *line;
        size_t len;
        rc = next_text_line(r, &line, &len, err);
        if (rc == 0 && r->rows >= 0) {
            err_set(err, "%s: %lld %s, but the header says %lld", r->path,
                    (long long)r->done, plural(r->done, "row", "rows"), (long long)r->rows);
            rc = -1;
        }
        /* input_line did not see the header line */
        int64_t lineno = r->in.lineno + (r->rows >= 0);
        if (rc == 1 && vec_text_row(line, len, r->dim, values, row, r->path, lineno, err) != 0) {
            rc = -1;
            if (r->in.cut) {
                /* a bad last line without its newline: most likely a cut file */
                struct w2v_err why = *err;
                err_set(err, "%s (the file ends inside this line: truncated?)", why.msg);
            }
        }
    }
    r->done += rc == 1;
    return rc;
}

void vec_close(struct vec_reader *r)
{
    input_close(&r->in);
    if (r->ft != NULL) {
        ft_free(r->ft);
        free(r->ft);
        r->ft = NULL;
    }
}

struct ft_model *vec_take_fasttext(struct vec_reader *r)
{
    struct ft_model *ft = r->ft;
    r->ft = NULL;
    return ft;
}
