/* utf8: upper-casing of UTF-8 text as Python's str.upper does it (Unicode's full case
 * mapping, without context), for the scripts word vectors are most often trained on:
 * Latin (U+0000-024F and the Latin Extended Additional block U+1E00-1EFF, Vietnamese
 * included), Greek (U+0370-03FF, and the combining ypogegrammeni U+0345) and Cyrillic
 * (U+0400-052F). Other characters are kept as they are. Upper-casing needs no context:
 * both sigmas become capital sigma. Some letters become two or three characters, as in
 * Python: "ß" becomes "SS", "ŉ" becomes "ʼN", "ΐ" becomes "Ϊ́". Bytes that are not valid
 * UTF-8 (a stray continuation byte, an overlong form, a surrogate, a cut sequence) are
 * copied unchanged, one at a time. */
#ifndef W2V_UTF8_H
#define W2V_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Most output bytes per input byte: "ΐ" (2 bytes) becomes three 2-byte characters. */
#define UTF8_UPPER_GROWTH 3

/* Writes the upper-case form of the 'len' bytes at 's' to 'out', which has room for
 * UTF8_UPPER_GROWTH * len + 1 bytes, NUL-terminates it and returns its length. */
size_t utf8_upper(const char *s, size_t len, char *out);

/* The upper-case form of code point 'c' as 1 to 3 code points in 'out'; returns how
 * many. Code points outside the covered blocks map to themselves. */
int utf8_upper_cp(uint32_t c, uint32_t out[3]);

#include <stdbool.h>

/* Length in bytes of the well-formed UTF-8 character at 's' ('len' bytes available), or 0
 * when the bytes there are not one (a stray continuation byte, an overlong form, a
 * surrogate, a code point beyond U+10FFFF, a sequence cut by the end, or 'len' 0). */
size_t utf8_char_len(const char *s, size_t len);

/* True when the 'len' bytes at 's' are all well-formed UTF-8 characters. */
bool utf8_valid(const char *s, size_t len);

/* Most output bytes per input byte of utf8_escape: "\xNN" for one byte. */
#define UTF8_ESCAPE_GROWTH 4

/* Writes the 'len' bytes at 's' to 'out' (room for UTF8_ESCAPE_GROWTH * len + 1 bytes)
 * for a message: well-formed characters as they are, control bytes and bytes of no
 * well-formed character as "\xNN". NUL-terminates it and returns its length. */
size_t utf8_escape(const char *s, size_t len, char *out);

#endif
