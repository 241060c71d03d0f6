/* vecfile_detect: text or binary, told from the first rows of a file with a header (the
 * rule is vec_detect's contract in vecfile.h). */
#include "io/vecfile.h"

#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "base/util.h"

static bool is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* Counts the first rows at 'p' (up to 'want') that parse as text rows: lines holding a
 * word and 'dim' numbers (blank lines are skipped). '*all' tells whether at least one
 * did and every complete line looked at did (a line cut by the end of 'have' is not
 * looked at unless the data ends there). */
static int text_rows(const unsigned char *p, size_t have, bool at_end, int dim, int want,
                     bool *all)
{
    float *vals = xmalloc((size_t)dim * sizeof *vals);
    int ok = 0;
    size_t at = 0;
    bool failed = false;
    while (ok < want && at < have) {
        const unsigned char *nl = memchr(p + at, '\n', have - at);
        if (nl == NULL && !at_end) {
            break;
        }
        size_t len = (nl != NULL ? (size_t)(nl - p) : have) - at;
        char *line = xmalloc(len + 1);
        memcpy(line, p + at, len);
        line[len] = '\0';
        at += len + 1;
        struct vec_row row;
        bool blank = strspn(line, " \t\r") == len;
        failed = !blank && vec_text_row(line, len, dim, vals, &row, "", 0, NULL) != 0;
        free(line);
        if (failed) {
            break;
        }
        ok += blank ? 0 : 1;
    }
    free(vals);
    *all = ok > 0 && !failed;
    return ok;
}

/* True when the 'rows' rows of a binary file are all of 'p' ('have' bytes, 'at_end' when
 * the data ends there), with nothing but blanks after them. */
static bool binary_whole(const unsigned char *p, size_t have, bool at_end, int dim,
                         int64_t rows)
{
    size_t at = 0;
    for (int64_t i = 0; i < rows; i++) {
        struct vec_row row;
        int64_t used = vec_binary_row(p + at, have - at, at_end, dim, &row);
        if (used <= 0) {
            return false;
        }
        at += (size_t)used;
    }
    while (at < have && (is_blank(p[at]) || p[at] == '\n')) {
        at++;
    }
    return at_end && at == have;
}

/* True when one of the 'n' bytes at 'p' is no byte of text: a control byte other than tab
 * and CR, DEL, or a byte of no well-formed UTF-8 character. */
static bool has_raw_byte(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (p[i] >= 0x80) {
            size_t len = utf8_char_len((const char *)p + i, n - i);
            if (len == 0) {
                return true;
            }
            i += len;
            continue;
        }
        if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\r') || p[i] == 0x7f) {
            return true;
        }
        i++;
    }
    return false;
}

/* True when one of the first VEC_DETECT_ROWS lines at 'p' that are not blank holds a byte
 * of no text (has_raw_byte) after its first field. There a text row has its numbers, and a
 * binary row its raw float bytes; the first field, a text row's word, may hold any byte. A
 * line cut by the end of 'have' is looked at only when the data ends there. */
static bool raw_values(const unsigned char *p, size_t have, bool at_end)
{
    size_t at = 0;
    for (int lines = 0; lines < VEC_DETECT_ROWS && at < have;) {
        const unsigned char *nl = memchr(p + at, '\n', have - at);
        if (nl == NULL && !at_end) {
            break;
        }
        size_t end = nl != NULL ? (size_t)(nl - p) : have;
        size_t i = at;
        while (i < end && is_blank(p[i])) {
            i++;
        }
        at = end + 1;
        if (i == end) {
            continue;
        }
        while (i < end && p[i] != ' ' && p[i] != '\t') {
            i++;
        }
        if (has_raw_byte(p + i, end - i)) {
            return true;
        }
        lines++;
    }
    return false;
}

enum vec_format vec_detect(const unsigned char *p, size_t have, bool at_end, int dim,
                           int64_t rows)
{
    int want = rows < VEC_DETECT_ROWS ? (int)rows : VEC_DETECT_ROWS;
    bool text_all;
    int text = text_rows(p, have, at_end, dim, want, &text_all);
    if (text_all) {
        return VEC_TEXT;
    }
    /* Binary values leave raw bytes after the first word; text rows, even bad ones (a
     * header with the wrong dimension, "nan", a word with a tab), hold none, and are read
     * as text, whose errors name the line. */
    if (raw_values(p, have, at_end)) {
        return VEC_BINARY;
    }
    /* A binary file whose values happen to be text bytes: rare, and then it is small, and
     * whole in 'p': all of it must read as binary rows, and its first line as no text row. */
    if (text == 0 && binary_whole(p, have, at_end, dim, rows)) {
        return VEC_BINARY;
    }
    return VEC_TEXT;
}

size_t vec_detect_bytes(int dim)
{
    return VEC_DETECT_ROWS * (VEC_MAX_WORD + 2 + 8 * (size_t)dim);
}
