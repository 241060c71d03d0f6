/* utf8: upper-casing of UTF-8 text exactly as Python's str.upper does it, for every code
 * point: Unicode's full case mapping (UnicodeData's simple mappings and the unconditional
 * ones of SpecialCasing.txt, without the language or context rules), in every script that
 * has case: Latin, Greek, Cyrillic, Armenian, Georgian, Cherokee, Glagolitic, Coptic, the
 * letter-like symbols (Roman numerals, circled letters), full-width Latin, and Deseret, Osage,
 * Old Hungarian, Adlam and the others beyond U+FFFF. The tables are generated from Python
 * (data/gen_upper.py; utf8_upper_unicode() names the Unicode version). Characters without
 * case are kept as they are. Upper-casing needs no context: both sigmas become capital
 * sigma. Some characters become two or three, as in Python: "ß" becomes "SS", "ﬁ" becomes
 * "FI", "ᾳ" becomes "ΑΙ", "ΐ" becomes "Ϊ́". Bytes that are not valid UTF-8 (a stray
 * continuation byte, an overlong form, a surrogate, a cut sequence) are copied unchanged,
 * one at a time. */
#ifndef W2V_UTF8_H
#define W2V_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most output bytes per input byte, over every code point (data/gen_upper.py computes it):
 * "ΐ" (2 bytes) becomes three 2-byte characters. */
#define UTF8_UPPER_GROWTH 3

/* Writes the upper-case form of the 'len' bytes at 's' to 'out', which has room for
 * UTF8_UPPER_GROWTH * len + 1 bytes, NUL-terminates it and returns its length. */
size_t utf8_upper(const char *s, size_t len, char *out);

/* The upper-case form of code point 'c' as 1 to 3 code points in 'out'; returns how
 * many. Code points without an upper-case form (and those beyond U+10FFFF) map to
 * themselves. */
int utf8_upper_cp(uint32_t c, uint32_t out[3]);

/* The Unicode version the tables were generated from, as Python names it ("14.0.0"). */
const char *utf8_upper_unicode(void);

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
