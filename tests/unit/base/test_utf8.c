/* Unit tests of utf8_upper: Python's str.upper on Latin, Greek and Cyrillic letters,
 * including the letters whose capital is longer, and invalid UTF-8 kept byte for byte.
 * (Every code point of the covered blocks was also checked against Python 3.11's
 * str.upper, Unicode 14, when the tables were written.) */
#include <string.h>

#include "harness.h"
#include "base/utf8.h"

static int upper_is(const char *in, const char *want)
{
    char out[256];
    size_t n = utf8_upper(in, strlen(in), out);
    if (n != strlen(want) || memcmp(out, want, n + 1) != 0) {
        fprintf(stderr, "  upper('%s') = '%s', want '%s'\n", in, out, want);
        return 0;
    }
    return 1;
}

static void test_ascii_and_latin(void)
{
    CHECK(upper_is("", ""));
    CHECK(upper_is("king's 42 Queens!", "KING'S 42 QUEENS!"));
    CHECK(upper_is("\xc3\xb6sterreich", "\xc3\x96STERREICH"));          /* österreich */
    CHECK(upper_is("\xc3\xa0\xc3\xa9\xc3\xbe", "\xc3\x80\xc3\x89\xc3\x9e")); /* àéþ */
    CHECK(upper_is("\xc3\xb7\xc3\x97", "\xc3\xb7\xc3\x97"));            /* ÷ × unchanged */
    CHECK(upper_is("\xc3\xbf", "\xc5\xb8"));                            /* ÿ -> Ÿ */
    CHECK(upper_is("\xc2\xb5", "\xce\x9c"));                            /* micro -> Greek Mu */
    CHECK(upper_is("stra\xc3\x9f" "e", "STRASSE"));                     /* ß -> SS */
    CHECK(upper_is("\xc5\x82\xc3\xb3" "d\xc5\xba", "\xc5\x81\xc3\x93" "D\xc5\xb9")); /* łódź */
    CHECK(upper_is("\xc4\xb1\xc4\xb0", "I\xc4\xb0"));                   /* dotless ı -> I */
    CHECK(upper_is("\xc5\xbf", "S"));                                   /* long s -> S */
    CHECK(upper_is("\xc5\x89", "\xca\xbcN"));                           /* ŉ -> ʼN */
    CHECK(upper_is("\xc7\x86\xc7\x85", "\xc7\x84\xc7\x84"));            /* dž, Dž -> DŽ */
    CHECK(upper_is("\xc8\xbf", "\xe2\xb1\xbe"));                        /* ȿ -> Ȿ (longer) */
    CHECK(upper_is("vi\xe1\xbb\x87t", "VI\xe1\xbb\x86T"));              /* việt -> VIỆT */
}

static void test_greek_and_cyrillic(void)
{
    /* both sigmas become capital sigma: upper-casing needs no context */
    CHECK(upper_is("\xce\xbb\xcf\x8c\xce\xb3\xce\xbf\xcf\x82",
                   "\xce\x9b\xce\x8c\xce\x93\xce\x9f\xce\xa3"));         /* λόγος -> ΛΌΓΟΣ */
    CHECK(upper_is("\xcf\x83", "\xce\xa3"));
    CHECK(upper_is("\xce\x90", "\xce\x99\xcc\x88\xcc\x81"));            /* ΐ -> Ϊ́ (3 chars) */
    CHECK(upper_is("\xcf\x90\xcf\x91", "\xce\x92\xce\x98"));            /* ϐϑ -> ΒΘ */
    CHECK(upper_is("\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0",
                   "\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90")); /* москва */
    CHECK(upper_is("\xd1\x91\xd1\x97\xd1\x9f", "\xd0\x81\xd0\x87\xd0\x8f")); /* ёїџ */
    CHECK(upper_is("\xd1\xa3\xd3\x8f", "\xd1\xa2\xd3\x80"));            /* ѣ -> Ѣ, ӏ -> Ӏ */
    CHECK(upper_is("\xe4\xb8\xad\xe6\x96\x87", "\xe4\xb8\xad\xe6\x96\x87")); /* CJK unchanged */
}

static void test_invalid_kept(void)
{
    CHECK(upper_is("a\xff" "b", "A\xff" "B"));                /* not a UTF-8 byte */
    CHECK(upper_is("\x80" "a", "\x80" "A"));                  /* stray continuation */
    CHECK(upper_is("a\xc3", "A\xc3"));                        /* cut at the end */
    CHECK(upper_is("\xc3" "a", "\xc3" "A"));                  /* lead without continuation */
    CHECK(upper_is("\xc0\xb1", "\xc0\xb1"));                  /* overlong form */
    CHECK(upper_is("\xed\xa0\x80" "e", "\xed\xa0\x80" "E"));  /* a surrogate */
    CHECK(upper_is("\xf0\x9f\x98\x80" "x", "\xf0\x9f\x98\x80" "X")); /* 4 bytes, kept */
}

static void test_growth_bound(void)
{
    /* the longest growth: ΐ is 2 bytes and becomes 6 */
    char in[64];
    char out[3 * 64 + 1];
    for (int i = 0; i < 32; i++) {
        memcpy(in + 2 * i, "\xce\x90", 2);
    }
    CHECK_EQ(utf8_upper(in, 64, out), 3 * 64);
    CHECK_EQ(UTF8_UPPER_GROWTH, 3);
}

int main(void)
{
    RUN(test_ascii_and_latin);
    RUN(test_greek_and_cyrillic);
    RUN(test_invalid_kept);
    RUN(test_growth_bound);
    TEST_MAIN("utf8");
}
