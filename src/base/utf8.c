/* utf8: a strict UTF-8 decoder and encoder around the upper-case tables of
 * utf8_upper_table.h, which data/gen_upper.py generates from Python's str.upper. The tables
 * list the code points that change case as runs sorted by their first code point: every
 * code point of a run, or every other one (the blocks that alternate capital, small,
 * capital, small), moves by the same distance to its capital; a code point whose capital
 * is several characters is a run of its own that points into a second table. */
#include "base/utf8.h"

#include <stdbool.h>

struct upper_run {
    uint32_t lo, hi;   /* the code points lo, lo + step, ..., hi */
    int32_t delta;     /* step 1 or 2: capital = c + delta; step 0: row of upper_longs */
    uint8_t step;      /* 1: every code point; 2: every other one; 0: lo alone, see delta */
};

/* upper_runs (sorted by 'lo', not overlapping), upper_longs (capitals of 2 or 3 code
 * points, 0 after a shorter one) and UTF8_UPPER_UNICODE. */
#include "base/utf8_upper_table.h"

#define N_UPPER_RUNS (sizeof upper_runs / sizeof upper_runs[0])

const char *utf8_upper_unicode(void)
{
    return UTF8_UPPER_UNICODE;
}

int utf8_upper_cp(uint32_t c, uint32_t out[3])
{
    out[0] = c;
    if (c < 0x80) { /* ASCII without the tables */
        if (c >= 'a' && c <= 'z') {
            out[0] = c - 'a' + 'A';
        }
        return 1;
    }
    size_t lo = 0;
    size_t hi = N_UPPER_RUNS;
    while (lo < hi) { /* the first run whose 'hi' is at least c */
        size_t mid = (lo + hi) / 2;
        if (upper_runs[mid].hi < c) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == N_UPPER_RUNS || c < upper_runs[lo].lo) {
        return 1;
    }
    const struct upper_run *r = &upper_runs[lo];
    if (r->step == 0) {
        const uint32_t *up = upper_longs[r->delta];
        int n = 0;
        while (n < 3 && up[n] != 0) {
            out[n] = up[n];
            n++;
        }
        return n;
    }
    if ((c - r->lo) % r->step == 0) {
        out[0] = (uint32_t)((int32_t)c + r->delta);
    }
    return 1;
}

/* Decodes one well-formed UTF-8 character at 's' (n bytes left): returns its length and
 * sets '*c', or 0 if the bytes are not a well-formed character. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *c)
{
    unsigned char b = s[0];
    size_t len;
    uint32_t min;
    if (b < 0x80) {
        *c = b;
        return 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
        len = 2, min = 0x80, *c = b & 0x1Fu;
    } else if (b >= 0xE0 && b <= 0xEF) {
        len = 3, min = 0x800, *c = b & 0x0Fu;
    } else if (b >= 0xF0 && b <= 0xF4) {
        len = 4, min = 0x10000, *c = b & 0x07u;
    } else {
        return 0;
    }
    if (n < len) {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            return 0;
        }
        *c = (*c << 6) | (s[i] & 0x3Fu);
    }
    bool surrogate = *c >= 0xD800 && *c <= 0xDFFF;
    return *c < min || *c > 0x10FFFF || surrogate ? 0 : len;
}

static size_t encode(uint32_t c, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    if (c < 0x800) {
        o[0] = (unsigned char)(0xC0 | (c >> 6));
        o[1] = (unsigned char)(0x80 | (c & 0x3F));
        return 2;
    }
    if (c < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (c >> 12));
        o[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (c & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (c >> 18));
    o[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (c & 0x3F));
    return 4;
}

size_t utf8_upper(const char *s, size_t len, char *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t at = 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        size_t n = decode(p + i, len - i, &c);
        if (n == 0) {
            out[at++] = (char)p[i++]; /* not UTF-8: kept as it is */
            continue;
        }
        if (c >= 'a' && c <= 'z') {
            out[at++] = (char)(c - 'a' + 'A'); /* the common case, without the tables */
        } else if (c < 0x80) {
            out[at++] = (char)c;
        } else {
            uint32_t up[3];
            int m = utf8_upper_cp(c, up);
            for (int k = 0; k < m; k++) {
                at += encode(up[k], out + at);
            }
        }
        i += n;
    }
    out[at] = '\0';
    return at;
}

size_t utf8_char_len(const char *s, size_t len)
{
    uint32_t c;
    return len == 0 ? 0 : decode((const unsigned char *)s, len, &c);
}

bool utf8_valid(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        size_t n = utf8_char_len(s + i, len - i);
        if (n == 0) {
            return false;
        }
        i += n;
    }
    return true;
}

size_t utf8_escape(const char *s, size_t len, char *out)
{
    static const char hex[] = "0123456789abcdef";
    size_t at = 0;
    for (size_t i = 0; i < len;) {
        unsigned char b = (unsigned char)s[i];
        size_t n = utf8_char_len(s + i, len - i);
        if (n == 0 || b < 0x20 || b == 0x7f) {
            out[at++] = '\\';
            out[at++] = 'x';
            out[at++] = hex[b >> 4];
            out[at++] = hex[b & 0xF];
            i++;
            continue;
        }
        for (size_t k = 0; k < n; k++) {
            out[at++] = s[i + k];
        }
        i += n;
    }
    out[at] = '\0';
    return at;
}
