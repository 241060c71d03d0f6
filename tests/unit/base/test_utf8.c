/* Unit tests of utf8_upper: Python's str.upper on words and on chosen code points of
 * every kind (one capital, several, titlecase digraphs, letters beyond U+FFFF), invalid
 * UTF-8 kept byte for byte, the growth bound over every code point, and, when python3 is
 * on the PATH and has the tables' Unicode version, every code point against its str.upper. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "base/utf8.h"

/* The code points: U+0000 to U+10FFFF, less the surrogates, which UTF-8 cannot carry. */
#define MAX_CODE_POINT 0x10FFFF
#define SURROGATE_LO 0xD800
#define SURROGATE_HI 0xDFFF
/* Mismatches printed before the count alone goes on. */
#define MAX_REPORTED 10
/* Fewer code points than this with a capital of their own means python3 printed too
 * little (Unicode 14 has 1,525). */
#define MIN_LISTED 1000

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

/* UTF-8 of code point 'c' at 'out' (4 bytes of room); returns its length. Written apart
 * from utf8.c so that the two can disagree. */
static size_t enc(uint32_t c, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (c < 0x80) {
        o[0] = (unsigned char)c;
        return 1;
    }
    size_t n = c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    static const unsigned char lead[5] = {0, 0, 0xC0, 0xE0, 0xF0};
    for (size_t i = n - 1; i > 0; i--) {
        o[i] = (unsigned char)(0x80 | (c & 0x3F));
        c >>= 6;
    }
    o[0] = (unsigned char)(lead[n] | c);
    return n;
}

/* Prints "U+XXXX U+XXXX..." for the 'n' code points at 'u'. */
static void print_cps(const uint32_t *u, int n)
{
    for (int i = 0; i < n; i++) {
        fprintf(stderr, "%sU+%04X", i > 0 ? " " : "", (unsigned)u[i]);
    }
}

/* Whether code point 'c' upper-cases to the 'n' code points 'want', both through
 * utf8_upper_cp and through utf8_upper on its UTF-8. Prints the difference unless
 * 'quiet'. */
static bool upper_cp_is(uint32_t c, const uint32_t *want, int n, bool quiet)
{
    uint32_t got[3] = {0, 0, 0};
    int m = utf8_upper_cp(c, got);
    bool same = m == n;
    for (int i = 0; same && i < n; i++) {
        same = got[i] == want[i];
    }
    char in[4], out[3 * 4 + 1], expect[3 * 4 + 1];
    size_t len = enc(c, in);
    size_t olen = utf8_upper(in, len, out);
    size_t elen = 0;
    for (int i = 0; i < n; i++) {
        elen += enc(want[i], expect + elen);
    }
    bool same_bytes = olen == elen && memcmp(out, expect, elen) == 0 && out[olen] == '\0';
    if ((!same || !same_bytes) && !quiet) {
        fprintf(stderr, "  upper(U+%04X): utf8_upper_cp gives ", (unsigned)c);
        print_cps(got, m);
        fprintf(stderr, ", want ");
        print_cps(want, n);
        fprintf(stderr, "; utf8_upper on its UTF-8 is %s\n", same_bytes ? "right" : "wrong");
    }
    return same && same_bytes;
}

/* upper_cp_is with the capital written out: 'u1' and 'u2' are 0 when it is shorter. */
static bool maps_to(uint32_t c, uint32_t u0, uint32_t u1, uint32_t u2)
{
    const uint32_t want[3] = {u0, u1, u2};
    return upper_cp_is(c, want, u2 != 0 ? 3 : u1 != 0 ? 2 : 1, false);
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

/* The letters the first tables (Latin, Greek and Cyrillic only) got wrong, and the other
 * kinds of mapping. */
static void test_every_script(void)
{
    CHECK(maps_to(0xFB01, 'F', 'I', 0));              /* ligature fi -> FI */
    CHECK(maps_to(0xFB03, 'F', 'F', 'I'));            /* ligature ffi -> FFI */
    CHECK(maps_to(0xFB06, 'S', 'T', 0));              /* ligature st -> ST */
    CHECK(upper_is("\xef\xac\x81sh", "FISH"));        /* the word "ﬁsh" */
    CHECK(maps_to(0x1FB3, 0x0391, 0x0399, 0));        /* alpha with ypogegrammeni -> ΑΙ */
    CHECK(maps_to(0x1FBC, 0x0391, 0x0399, 0));        /* its titlecase form -> ΑΙ too */
    CHECK(maps_to(0x1FB7, 0x0391, 0x0342, 0x0399));   /* with perispomeni: 3 code points */
    CHECK(maps_to(0x1F80, 0x1F08, 0x0399, 0));        /* with psili and ypogegrammeni */
    CHECK(maps_to(0x0345, 0x0399, 0, 0));             /* combining ypogegrammeni -> Ι */
    CHECK(maps_to(0x0390, 0x0399, 0x0308, 0x0301));   /* ΐ -> Ϊ́ */
    CHECK(maps_to(0x03C2, 0x03A3, 0, 0));             /* final sigma: no context */
    CHECK(maps_to(0x00DF, 'S', 'S', 0));              /* ß -> SS */
    CHECK(maps_to(0x0149, 0x02BC, 'N', 0));           /* ŉ -> ʼN */
    CHECK(maps_to(0x01F0, 'J', 0x030C, 0));           /* ǰ -> J̌ */
    CHECK(maps_to(0x0587, 0x0535, 0x0552, 0));        /* Armenian ech-yiwn ligature */
    CHECK(maps_to(0x01C5, 0x01C4, 0, 0));             /* titlecase Dž -> DŽ */
    CHECK(maps_to(0x01C6, 0x01C4, 0, 0));             /* dž -> DŽ */
    CHECK(maps_to(0x01F2, 0x01F1, 0, 0));             /* titlecase Dz -> DZ */
    CHECK(maps_to(0x2C65, 0x023A, 0, 0));             /* ⱥ -> Ⱥ: 3 bytes become 2 */
    CHECK(maps_to(0x0250, 0x2C6F, 0, 0));             /* ɐ -> Ɐ: 2 bytes become 3 */
    CHECK(maps_to(0x0131, 'I', 0, 0));                /* dotless ı -> I */
    CHECK(maps_to(0x2170, 0x2160, 0, 0));             /* small Roman numeral one */
    CHECK(maps_to(0x217F, 0x216F, 0, 0));             /* ... to one thousand */
    CHECK(maps_to(0x24D0, 0x24B6, 0, 0));             /* circled a */
    CHECK(maps_to(0x24E9, 0x24CF, 0, 0));             /* ... to circled z */
    CHECK(maps_to(0xFF41, 0xFF21, 0, 0));             /* full-width a */
    CHECK(maps_to(0xAB70, 0x13A0, 0, 0));             /* Cherokee small a */
    CHECK(maps_to(0xABBF, 0x13EF, 0, 0));             /* ... to small ya */
    CHECK(maps_to(0x13F8, 0x13F0, 0, 0));             /* Cherokee small ye */
    CHECK(maps_to(0x10D0, 0x1C90, 0, 0));             /* Georgian Mkhedruli an -> Mtavruli */
    CHECK(maps_to(0x2D00, 0x10A0, 0, 0));             /* Georgian Nuskhuri -> Asomtavruli */
    CHECK(maps_to(0x0561, 0x0531, 0, 0));             /* Armenian ayb */
    CHECK(maps_to(0x2C30, 0x2C00, 0, 0));             /* Glagolitic az */
    CHECK(maps_to(0x2C81, 0x2C80, 0, 0));             /* Coptic alfa */
    CHECK(maps_to(0x10428, 0x10400, 0, 0));           /* Deseret long i */
    CHECK(maps_to(0x1E922, 0x1E900, 0, 0));           /* Adlam alif */
    CHECK(maps_to(0x1E943, 0x1E921, 0, 0));           /* ... to Adlam sha */
    CHECK(maps_to(0x104D8, 0x104B0, 0, 0));           /* Osage a */
    /* capitals, caseless characters and code points beyond Unicode are kept */
    CHECK(maps_to(0x2160, 0x2160, 0, 0));
    CHECK(maps_to(0x10400, 0x10400, 0, 0));
    CHECK(maps_to(0x4E2D, 0x4E2D, 0, 0));
    CHECK(maps_to(0x10FFFF, 0x10FFFF, 0, 0));
    uint32_t up[3];
    CHECK(utf8_upper_cp(0x110000, up) == 1 && up[0] == 0x110000);
    CHECK(utf8_upper_cp(0xFFFFFFFF, up) == 1 && up[0] == 0xFFFFFFFF);
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

/* The bound holds for each code point on its own, so for any text: no capital takes more
 * than UTF8_UPPER_GROWTH times the bytes of its character. */
static void test_growth_every_code_point(void)
{
    long over = 0;
    size_t most = 0; /* the largest output over input, in twelfths (1, 2, 3, 4 divide 12) */
    for (uint32_t c = 0; c <= MAX_CODE_POINT; c++) {
        if (c >= SURROGATE_LO && c <= SURROGATE_HI) {
            continue;
        }
        char in[4], out[UTF8_UPPER_GROWTH * 4 + 1];
        size_t len = enc(c, in);
        size_t olen = utf8_upper(in, len, out);
        if (olen > UTF8_UPPER_GROWTH * len) {
            over++;
        }
        most = olen * 12 / len > most ? olen * 12 / len : most;
    }
    CHECK_EQ(over, 0);
    CHECK_EQ(most, UTF8_UPPER_GROWTH * 12); /* and the bound is reached: it is the least */
}

/* Python's str.upper of every code point that it changes, as hexadecimal lines
 * "code point: capital...", after a first line naming its Unicode version. */
#define PYTHON_UPPER                                                                   \
    "python3 -c '\n"                                                                   \
    "import unicodedata\n"                                                             \
    "print(unicodedata.unidata_version)\n"                                             \
    "for c in range(0x110000):\n"                                                      \
    "    if 0xD800 <= c <= 0xDFFF or chr(c).upper() == chr(c):\n"                      \
    "        continue\n"                                                               \
    "    print(\"%X:\" % c, \" \".join(\"%X\" % ord(u) for u in chr(c).upper()))\n"  \
    "'"

/* Every code point against python3's str.upper: those it lists, and all the others as
 * kept. 'py' is positioned after the version line. */
static void compare_with_python(FILE *py)
{
    char line[128];
    bool more = fgets(line, sizeof line, py) != NULL;
    long listed = 0, wrong = 0;
    for (uint32_t c = 0; c <= MAX_CODE_POINT; c++) {
        if (c >= SURROGATE_LO && c <= SURROGATE_HI) {
            continue;
        }
        uint32_t want[3] = {c, 0, 0};
        int n = 1;
        char *end;
        if (more && strtoul(line, &end, 16) == c && *end == ':') {
            n = 0;
            for (char *p = end + 1; n < 3; n++) {
                unsigned long u = strtoul(p, &end, 16);
                if (end == p) {
                    break;
                }
                want[n] = (uint32_t)u;
                p = end;
            }
            listed++;
            more = fgets(line, sizeof line, py) != NULL;
        }
        if (!upper_cp_is(c, want, n, wrong >= MAX_REPORTED)) {
            wrong++;
        }
    }
    CHECK(!more);               /* python3 listed nothing out of order or malformed */
    CHECK(listed > MIN_LISTED); /* and it did list the case pairs */
    CHECK_EQ(wrong, 0);
}

static void test_every_code_point_as_python(void)
{
    FILE *py = popen(PYTHON_UPPER, "r");
    CHECK(py != NULL);
    if (py == NULL) {
        return;
    }
    char version[64] = "";
    if (fgets(version, sizeof version, py) != NULL) {
        version[strcspn(version, "\n")] = '\0';
    }
    if (strcmp(version, utf8_upper_unicode()) != 0) {
        fprintf(stderr, "utf8: skip: every code point against str.upper: python3 has Unicode "
                "'%s', the tables %s (data/gen_upper.py regenerates them)\n", version,
                utf8_upper_unicode());
    } else {
        compare_with_python(py);
    }
    while (fgets(version, sizeof version, py) != NULL) {
        /* read to the end, so that python3 is not stopped by a closed pipe */
    }
    CHECK_EQ(pclose(py), 0);
}

int main(void)
{
    RUN(test_ascii_and_latin);
    RUN(test_greek_and_cyrillic);
    RUN(test_every_script);
    RUN(test_invalid_kept);
    RUN(test_growth_bound);
    RUN(test_growth_every_code_point);
    if (system("command -v python3 > /dev/null 2>&1") == 0) {
        RUN(test_every_code_point_as_python);
    } else {
        fprintf(stderr, "utf8: skip: every code point against str.upper (no python3)\n");
    }
    TEST_MAIN("utf8");
}
