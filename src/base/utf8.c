/* utf8: a strict UTF-8 decoder and encoder around the upper-case tables. The tables list
 * the lower-case letters of the covered blocks as runs: every code point of a run, or every
 * other one (the blocks that alternate capital, small, capital, small), moves by the same
 * distance to its capital. Letters whose capital is several characters are listed apart. */
#include "base/utf8.h"

#include <stdbool.h>

struct run {
    uint32_t lo, hi;   /* the small letters lo, lo + step, ..., hi */
    int32_t delta;     /* capital = small + delta */
    uint8_t step;      /* 1: every code point; 2: every other one */
};

/* Sorted by 'lo'; runs do not overlap. From the Unicode Character Database (UnicodeData's
 * simple upper-case mappings). */
static const struct run runs[] = {
    {0x0061, 0x007A, -32, 1},    {0x00B5, 0x00B5, 0x2E7, 1},  {0x00E0, 0x00F6, -32, 1},
    {0x00F8, 0x00FE, -32, 1},    {0x00FF, 0x00FF, 0x79, 1},   {0x0101, 0x012F, -1, 2},
    {0x0131, 0x0131, -232, 1},   {0x0133, 0x0137, -1, 2},     {0x013A, 0x0148, -1, 2},
    {0x014B, 0x0177, -1, 2},     {0x017A, 0x017E, -1, 2},     {0x017F, 0x017F, -300, 1},
    {0x0180, 0x0180, 0xC3, 1},   {0x0183, 0x0185, -1, 2},     {0x0188, 0x0188, -1, 1},
    {0x018C, 0x018C, -1, 1},     {0x0192, 0x0192, -1, 1},     {0x0195, 0x0195, 0x61, 1},
    {0x0199, 0x0199, -1, 1},     {0x019A, 0x019A, 0xA3, 1},   {0x019E, 0x019E, 0x82, 1},
    {0x01A1, 0x01A5, -1, 2},     {0x01A8, 0x01A8, -1, 1},     {0x01AD, 0x01AD, -1, 1},
    {0x01B0, 0x01B0, -1, 1},     {0x01B4, 0x01B6, -1, 2},     {0x01B9, 0x01B9, -1, 1},
    {0x01BD, 0x01BD, -1, 1},     {0x01BF, 0x01BF, 0x38, 1},   {0x01C5, 0x01C5, -1, 1},
    {0x01C6, 0x01C6, -2, 1},     {0x01C8, 0x01C8, -1, 1},     {0x01C9, 0x01C9, -2, 1},
    {0x01CB, 0x01CB, -1, 1},     {0x01CC, 0x01CC, -2, 1},     {0x01CE, 0x01DC, -1, 2},
    {0x01DD, 0x01DD, -0x4F, 1},  {0x01DF, 0x01EF, -1, 2},     {0x01F2, 0x01F2, -1, 1},
    {0x01F3, 0x01F3, -2, 1},     {0x01F5, 0x01F5, -1, 1},     {0x01F9, 0x021F, -1, 2},
    {0x0223, 0x0233, -1, 2},     {0x023C, 0x023C, -1, 1},     {0x023F, 0x0240, 0x2A3F, 1},
    {0x0242, 0x0242, -1, 1},     {0x0247, 0x024F, -1, 2},     {0x0345, 0x0345, 0x54, 1},
    {0x0371, 0x0373, -1, 2},     {0x0377, 0x0377, -1, 1},     {0x037B, 0x037D, 0x82, 1},
    {0x03AC, 0x03AC, -0x26, 1},  {0x03AD, 0x03AF, -0x25, 1},  {0x03B1, 0x03C1, -32, 1},
    {0x03C2, 0x03C2, -31, 1},    {0x03C3, 0x03CB, -32, 1},    {0x03CC, 0x03CC, -64, 1},
    {0x03CD, 0x03CE, -63, 1},    {0x03D0, 0x03D0, -0x3E, 1},  {0x03D1, 0x03D1, -0x39, 1},
    {0x03D5, 0x03D5, -0x2F, 1},  {0x03D6, 0x03D6, -0x36, 1},  {0x03D7, 0x03D7, -8, 1},
    {0x03D9, 0x03EF, -1, 2},     {0x03F0, 0x03F0, -0x56, 1},  {0x03F1, 0x03F1, -0x50, 1},
    {0x03F2, 0x03F2, 7, 1},      {0x03F3, 0x03F3, -0x74, 1},  {0x03F5, 0x03F5, -0x60, 1},
    {0x03F8, 0x03F8, -1, 1},     {0x03FB, 0x03FB, -1, 1},     {0x0430, 0x044F, -32, 1},
    {0x0450, 0x045F, -80, 1},    {0x0461, 0x0481, -1, 2},     {0x048B, 0x04BF, -1, 2},
    {0x04C2, 0x04CE, -1, 2},     {0x04CF, 0x04CF, -15, 1},    {0x04D1, 0x04FF, -1, 2},
    {0x0501, 0x052F, -1, 2},     {0x1E01, 0x1E95, -1, 2},     {0x1E9B, 0x1E9B, -0x3B, 1},
    {0x1EA1, 0x1EFF, -1, 2},
};

/* Letters whose capital is more than one character (Unicode's SpecialCasing.txt). */
struct special {
    uint32_t c;
    uint32_t upper[3];   /* 0 ends a capital of fewer than three characters */
};

static const struct special specials[] = {
    {0x00DF, {0x0053, 0x0053, 0}},      /* sharp s -> SS */
    {0x0149, {0x02BC, 0x004E, 0}},      /* n preceded by apostrophe */
    {0x01F0, {0x004A, 0x030C, 0}},      /* j with caron */
    {0x0390, {0x0399, 0x0308, 0x0301}}, /* iota with dialytika and tonos */
    {0x03B0, {0x03A5, 0x0308, 0x0301}}, /* upsilon with dialytika and tonos */
    {0x1E96, {0x0048, 0x0331, 0}},      /* h with line below */
    {0x1E97, {0x0054, 0x0308, 0}},      /* t with diaeresis */
    {0x1E98, {0x0057, 0x030A, 0}},      /* w with ring above */
    {0x1E99, {0x0059, 0x030A, 0}},      /* y with ring above */
    {0x1E9A, {0x0041, 0x02BE, 0}},      /* a with right half ring */
};

int utf8_upper_cp(uint32_t c, uint32_t out[3])
{
    for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) {
        if (specials[i].c == c) {
            int n = 0;
            while (n < 3 && specials[i].upper[n] != 0) {
                out[n] = specials[i].upper[n];
                n++;
            }
            return n;
        }
    }
    size_t lo = 0;
    size_t hi = sizeof runs / sizeof runs[0];
    while (lo < hi) { /* the first run whose 'hi' is at least c */
        size_t mid = (lo + hi) / 2;
        if (runs[mid].hi < c) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    out[0] = c;
    if (lo < sizeof runs / sizeof runs[0]) {
        const struct run *r = &runs[lo];
        if (c >= r->lo && (c - r->lo) % r->step == 0) {
            out[0] = (uint32_t)((int32_t)c + r->delta);
        }
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
