/* Unit tests of the vector file module and the row store over it: the writer (exact
 * binary, text to 6 decimals, gzip, nothing left behind on failure), reading back every
 * file training writes at every size from 1 to 16, format detection, files that lie
 * about themselves, duplicates, GloVe, text values printed as printf's "%.6f" prints them
 * and read as strtof reads them, extreme rows read mapped and copied alike, and a
 * mapped file truncated under a reader. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>

#include "query/embed.h"
#include "harness.h"
#include "query/knn.h"
#include "train/model.h"
#include "io/outfile.h"
#include "base/rng.h"
#include "train/train.h"
#include "io/vecfile.h"
#include "text/vocab.h"

enum { DIM = 5 };

static char dir[] = "/tmp/w2v-vecfile-XXXXXX";

static const char *path_of(const char *name)
{
    static char buf[4][512];
    static int slot;
    slot = (slot + 1) % 4;
    snprintf(buf[slot], sizeof buf[slot], "%s/%s", dir, name);
    return buf[slot];
}

static const char *put(const char *name, const void *data, size_t n)
{
    const char *p = path_of(name);
    FILE *f = fopen(p, "wb");
    fwrite(data, 1, n, f);
    fclose(f);
    return p;
}

static const char *put_str(const char *name, const char *text)
{
    return put(name, text, strlen(text));
}

/* Writes 'v' and 'vecs' to 'path' (gzip by name), binary or text; returns vec_write's. */
static int save(const char *path, const struct vocab *v, const float *vecs, int dim,
                bool binary, struct w2v_err *err)
{
    struct outfile of;
    size_t n = strlen(path);
    if (outfile_open(&of, path, n > 3 && strcmp(path + n - 3, ".gz") == 0, err) != 0) {
        return -1;
    }
    if (vec_write(&of, &v->words, vecs, dim, binary, err) != 0) {
        outfile_abort(&of);
        return -1;
    }
    return outfile_commit(&of, err);
}

static void add_words(struct vocab *v, const char *const *words, int n)
{
    vocab_init(v);
    for (int i = 0; i < n; i++) {
        int32_t id = vocab_intern_h(v, words[i], strlen(words[i]),
                                    strindex_hash(words[i], strlen(words[i])));
        v->count[id] = 100 - i;
    }
}

/* Reads a whole (possibly gzipped) file into memory. */
static unsigned char *slurp(const char *path, size_t *n)
{
    gzFile f = gzopen(path, "rb");
    size_t cap = 1 << 16;
    unsigned char *buf = malloc(cap);
    int got = f ? gzread(f, buf, (unsigned)cap) : -1;
    if (f) {
        gzclose(f);
    }
    *n = got > 0 ? (size_t)got : 0;
    return buf;
}

static void test_writer(void)
{
    static const char *const words[] = {"alpha", "b\xc3\xa9ta", "gamma"};
    struct vocab v;
    add_words(&v, words, 3);
    float vecs[4 * DIM]; /* "</s>" and the three words */
    for (int i = 0; i < 4 * DIM; i++) {
        vecs[i] = (float)sin(i * 1.7) * (i % 3 == 0 ? 1e-8f : 3.5f);
    }
    vecs[7] = -0.0f;
    vecs[8] = 123456.789f;
    struct w2v_err err;
    CHECK_EQ(save(path_of("w.bin"), &v, vecs, DIM, true, &err), 0);
    size_t n;
    unsigned char *b = slurp(path_of("w.bin"), &n);
    size_t want = 4 + 4 * (4 * DIM + 2) + strlen("</s>alphab\xc3\xa9tagamma");
    CHECK(n == want && memcmp(b, "4 5\n</s> ", 9) == 0);
    uint32_t bits = (uint32_t)b[9] | (uint32_t)b[10] << 8 | (uint32_t)b[11] << 16 |
                    (uint32_t)b[12] << 24;
    uint32_t expect;
    memcpy(&expect, &vecs[0], 4);
    CHECK_EQ(bits, expect); /* little-endian float32, bit for bit */
    free(b);
    CHECK_EQ(save(path_of("w.txt"), &v, vecs, DIM, false, &err), 0);
    CHECK_EQ(save(path_of("w.txt.gz"), &v, vecs, DIM, false, &err), 0);
    size_t n1;
    size_t n2;
    unsigned char *t = slurp(path_of("w.txt"), &n1);
    unsigned char *z = slurp(path_of("w.txt.gz"), &n2);
    CHECK(n1 == n2 && memcmp(t, z, n1) == 0);
    CHECK(n1 > 20 && memcmp(t, "4 5\n</s> 0.000000 ", 18) == 0);
    free(t);
    free(z);
    /* a failure names the file and leaves nothing behind */
    CHECK_EQ(save(path_of("missing-dir/w.bin"), &v, vecs, DIM, true, &err), -1);
    CHECK(strstr(err.msg, "missing-dir/w.bin: No such file or directory") != NULL);
    vocab_free(&v);
}

/* Trains 'dim'-dimensional vectors for 12 words on a 600-token random corpus. */
static float *train_tiny(struct vocab *v, int dim, uint64_t seed)
{
    static const char *const words[] = {"</s>", "the", "of", "and", "king", "queen", "man",
                                        "woman", "paris", "france", "berlin", "germany"};
    enum { NW = 12, TOKENS = 600 };
    add_words(v, words, NW);
    struct idstream ids;
    idstream_init(&ids, SIZE_MAX, NULL);
    struct rng r;
    rng_seed(&r, seed, 7);
    struct w2v_err err;
    for (int i = 0; i < TOKENS; i++) {
        float x = rng_uniform(&r) * rng_uniform(&r);
        uint32_t id = i % 20 == 19 ? 0 : 1 + (uint32_t)(x * (NW - 1));
        CHECK_EQ(idstream_push(&ids, id, &err), 0);
    }
    CHECK_EQ(idstream_finish(&ids, &err), 0);
    struct train_config c = {.kind = MODEL_SKIPGRAM, .dim = dim, .window = 3, .negative = 3,
                             .iter = 1, .alpha = 0.025, .threads = 1, .seed = seed,
                             .ns_exponent = 0.75};
    struct model m;
    struct train_result res;
    float *out = NULL;
    if (model_new(&m, &c, v->count, &v->words, NW, NULL, &err) == 0) {
        if (train_run(&m, &ids, 0.0, NULL, NULL, &res, &err) == 0) {
            out = malloc((size_t)NW * (size_t)dim * sizeof *out);
            memcpy(out, m.in, (size_t)NW * (size_t)dim * sizeof *out);
        }
        model_free(&m);
    }
    idstream_free(&ids);
    CHECK(out != NULL);
    return out;
}

/* Compares the raw rows of 'path' with the written ones; returns the failures. */
static int compare_raw(const char *path, enum vec_format want, const struct vocab *v,
                       const float *vecs, int dim)
{
    struct vec_reader r;
    struct w2v_err err;
    if (vec_open(&r, path, VEC_AUTO, &err) != 0) {
        fprintf(stderr, "  %s\n", err.msg);
        return 1;
    }
    int bad = r.format != want || r.rows != v->n || r.dim != dim;
    float row_values[16];
    struct vec_row row;
    for (int64_t i = 0; !bad && i < v->n; i++) {
        bad |= vec_next(&r, &row, row_values, &err) != 1;
        bad |= !bad && (row.len != strlen(vocab_word(v, (int32_t)i)) ||
                        memcmp(row.word, vocab_word(v, (int32_t)i), row.len) != 0);
        for (int d = 0; !bad && d < dim; d++) {
            float x = vecs[i * dim + d];
            uint32_t got_bits;
            uint32_t want_bits;
            memcpy(&got_bits, &row_values[d], 4);
            memcpy(&want_bits, &x, 4);
            bad |= want == VEC_BINARY ? got_bits != want_bits
                                      : !(fabs((double)row_values[d] - (double)x) <=
                                          5e-7 + 1e-7 * fabs((double)x));
        }
    }
    bad |= !bad && vec_next(&r, &row, row_values, &err) != 0;
    vec_close(&r);
    if (bad) {
        fprintf(stderr, "  %s (dim %d) read back wrong: %s\n", path, dim, err.msg);
    }
    return bad;
}

/* The unit rows of a mapped and a copied load are the same, bit for bit. */
static int compare_loads(const char *mapped, const char *copied, int64_t rows)
{
    struct embed a;
    struct embed b;
    struct w2v_err err;
    if (embed_load(&a, mapped, VEC_AUTO, 0, EMBED_MAP, &err) != 0) {
        return 1;
    }
    int bad = embed_load(&b, copied, VEC_AUTO, 0, EMBED_COPY, &err) != 0;
    if (!bad) {
        bad = a.map == NULL || a.rows != rows || b.rows != rows;
        float sa[16];
        for (int64_t i = 0; !bad && i < rows; i++) {
            bad = memcmp(embed_unit(&a, i, sa), embed_row(&b, i), (size_t)a.dim * 4) != 0;
        }
        embed_free(&b);
    }
    embed_free(&a);
    return bad;
}

/* Every file training writes, at every -size from 1 to 16 and 20 seeds each, reads back
 * with the same rows: binary exactly, text to its 6 decimals, gzip as the plain file. */
/* Text rows hold each value as printf's " %.6f" prints it, character for character: ties
 * at the sixth decimal, negative values that round to zero, the largest values printed from
 * integers and the first beyond, infinities, NaN, and a million random bit patterns. */
static void test_text_values_match_printf(void)
{
    enum { N = 4096 };
    static float values[N];
    size_t count = 0;
    static const float fixed[] = {0.0f, -0.0f, 1.0f / 128, 3.0f / 128, -5.0f / 128,
                                  0.0000005f, -0.0000005f, 0.0000004999f, -1e-30f, 1e-45f,
                                  0.9999995f, 9.9999995f, 999999.94f, 999999.9999995f,
                                  123456.789f, -8388607.5f, 16777215.0f, 999999936.0f,
                                  1e9f, -1e9f, 1.0000001e9f, 3.4028235e38f, -3.4028235e38f,
                                  INFINITY, -INFINITY, NAN, -NAN};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        values[count++] = fixed[i];
    }
    for (int k = 1; count < 512; k += 2) { /* odd multiples of 2^-7: x * 10^6 ends in .5 */
        values[count++] = (float)k / 128 * (k % 4 == 1 ? 1.0f : -1.0f);
    }
    struct rng r;
    rng_seed(&r, 12345, 0);
    char *row = malloc(vec_row_room(1, N));
    char *want = malloc((size_t)N * 64);
    int mismatches = 0;
    for (int round = 0; round < 256; round++) {
        for (; count < N; count++) {
            uint32_t bits = (uint32_t)(rng_next(&r) >> 32);
            if (round % 2 == 1) { /* the range most vectors live in: |x| < 8 */
                bits = (bits & 0x80ffffffu) | (uint32_t)(100 + bits % 30) << 23;
            }
            memcpy(&values[count], &bits, 4);
        }
        size_t n = vec_format_row(row, "w", 1, values, N, false);
        size_t at = 0;
        want[at++] = 'w';
        for (int d = 0; d < N; d++) {
            at += (size_t)sprintf(want + at, " %.6f", (double)values[d]);
        }
        want[at++] = '\n';
        if (n != at || memcmp(row, want, n) != 0) {
            mismatches++;
        }
        count = 0;
    }
    CHECK_EQ(mismatches, 0);
    free(row);
    free(want);
}

/* Text values are read as strtof reads them, bit for bit: the plain forms read without it
 * (up to 2^24 in the significand and 10 decimals, signs, a point at either end) and every
 * other form it is left to (exponents, hexadecimal, more digits, more decimals). */
static void test_text_values_match_strtof(void)
{
    enum { N = 2000 };
    static const char *const fixed[] = {
        "0", "-0", "+0", "0.000000", "-0.000000", "5.", ".5", "-.5", "+.25", "007.50",
        "16777216", "16777217", "-16777216", "1677721.6", "0.0000000001", "0.00000000001",
        "1.6777216", "1.6777217", "0.1", "0.2", "0.3", "3.4028235e38", "1e-45", "1.5E2",
        "0x1p3", "-0x1.8p1", "123456789.123", "0.12345678901234567890", "9999999.999",
        "0.1000000000000000055511151231257827", "1.00000005960464477539062500001"};
    char *line = malloc((size_t)N * 48 + 8);
    float *got = malloc(N * sizeof *got);
    int mismatches = 0;
    struct rng r;
    rng_seed(&r, 77, 0);
    for (int round = 0; round < 200; round++) {
        size_t at = (size_t)sprintf(line, "w");
        size_t starts[N];
        size_t nf = sizeof fixed / sizeof fixed[0];
        for (int i = 0; i < N; i++) {
            line[at++] = ' ';
            starts[i] = at;
            uint64_t x = rng_next(&r);
            if (round == 0 && (size_t)i < nf) {
                at += (size_t)sprintf(line + at, "%s", fixed[i]);
            } else if (x % 4 == 1) { /* small values with many decimals */
                int zeros = (int)((x >> 8) % 12);
                at += (size_t)sprintf(line + at, "%s0.%0*d%d", (x >> 16) % 2 ? "-" : "",
                                      zeros, 0, 1 + (int)((x >> 20) % 9999));
            } else if (x % 4 == 2) { /* as w2v writes: 6 decimals */
                float v = (float)((double)(int64_t)x / 9223372036854775808.0 * 40.0);
                at += (size_t)sprintf(line + at, "%.6f", (double)v);
            } else { /* 1 to 9 digits, a point anywhere or none */
                int nd = 1 + (int)(x % 9);
                int pt = (int)((x >> 8) % (uint64_t)(nd + 2)) - 1;
                if ((x >> 16) % 4 == 0) {
                    line[at++] = '-';
                }
                for (int d = 0; d < nd; d++) {
                    if (d == pt) {
                        line[at++] = '.';
                    }
                    line[at++] = (char)('0' + (x >> (20 + 4 * d)) % 10);
                }
            }
        }
        line[at] = '\0';
        struct vec_row row;
        struct w2v_err err;
        CHECK_EQ(vec_text_row(line, at, N, got, &row, "t", 1, &err), 0);
        for (int i = 0; i < N; i++) {
            float want = strtof(line + starts[i], NULL);
            mismatches += memcmp(&want, &got[i], sizeof want) != 0;
        }
    }
    CHECK_EQ(mismatches, 0);
    free(line);
    free(got);
}

static void test_reads_back_what_it_writes(void)
{
    int failures = 0;
    log_set_level(LOG_QUIET);
    for (int dim = 1; dim <= 16; dim++) {
        for (uint64_t seed = 1; seed <= 20; seed++) {
            struct vocab v;
            float *vecs = train_tiny(&v, dim, seed);
            struct w2v_err err;
            if (vecs == NULL || save(path_of("p.bin"), &v, vecs, dim, true, &err) != 0 ||
                save(path_of("p.bin.gz"), &v, vecs, dim, true, &err) != 0 ||
                save(path_of("p.txt"), &v, vecs, dim, false, &err) != 0 ||
                save(path_of("p.txt.gz"), &v, vecs, dim, false, &err) != 0) {
                failures++;
            } else {
                failures += compare_raw(path_of("p.bin"), VEC_BINARY, &v, vecs, dim);
                failures += compare_raw(path_of("p.bin.gz"), VEC_BINARY, &v, vecs, dim);
                failures += compare_raw(path_of("p.txt"), VEC_TEXT, &v, vecs, dim);
                failures += compare_raw(path_of("p.txt.gz"), VEC_TEXT, &v, vecs, dim);
                failures += compare_loads(path_of("p.bin"), path_of("p.bin.gz"), v.n);
            }
            free(vecs);
            vocab_free(&v);
        }
    }
    log_set_level(LOG_NORMAL);
    CHECK_EQ(failures, 0);
}

/* A binary file of 'n' rows of 'dim' values: words[i], a space, vals[i*dim...], '\n'. */
static size_t binary_file(unsigned char *out, const char *header, const char *const *words,
                          const float *vals, int n, int dim)
{
    size_t at = (size_t)sprintf((char *)out, "%s\n", header);
    for (int i = 0; i < n; i++) {
        at += (size_t)sprintf((char *)out + at, "%s ", words[i]);
        memcpy(out + at, vals + (size_t)i * dim, 4 * (size_t)dim);
        at += 4 * (size_t)dim;
        out[at++] = '\n';
    }
    return at;
}

/* Loads 'p' copied and mapped, expecting an error containing 'needle'. */
static void expect_error(const char *p, enum vec_format f, const char *needle)
{
    for (int map = 0; map <= 1; map++) {
        struct embed e;
        struct w2v_err err = {{0}, 0};
        int rc = embed_load(&e, p, f, 0, map ? EMBED_MAP : EMBED_COPY, &err);
        CHECK_EQ(rc, -1);
        if (rc == 0) {
            embed_free(&e);
        }
        if (strstr(err.msg, needle) == NULL) {
            fprintf(stderr, "  %s (map %d): got '%s', want '%s'\n", p, map, err.msg, needle);
            CHECK(0);
        }
    }
}

static void test_detection_and_formats(void)
{
    /* Raw values whose bytes hold no control byte (the case that used to be read as
     * text): detected from the structure, whatever the bytes. */
    static const char *const words[] = {"a", "b", "c"};
    float vals[3] = {1.0f, 2.5f, 42.0f}; /* 0x3f800000, 0x40200000, 0x42280000 */
    unsigned char bin[256];
    size_t n = binary_file(bin, "3 1", words, vals, 3, 1);
    struct embed e;
    struct w2v_err err;
    for (int map = 0; map <= 1; map++) {
        CHECK_EQ(embed_load(&e, put("plain.bin", bin, n), VEC_AUTO, 0, map ? EMBED_MAP : EMBED_COPY, &err), 0);
        CHECK(e.rows == 3 && e.dim == 1 && embed_find(&e, "c") == 2);
        embed_free(&e);
    }
    /* -format forces the reader; the wrong one fails with the row that does not fit */
    CHECK_EQ(embed_load(&e, path_of("plain.bin"), VEC_BINARY, 0, EMBED_COPY, &err), 0);
    embed_free(&e);
    expect_error(path_of("plain.bin"), VEC_TEXT, "plain.bin:2: expected 1 value, got 0");
    const char *t = put_str("t.vec", "2 2\nx 1 2\ny 3 4\n");
    CHECK_EQ(embed_load(&e, t, VEC_TEXT, 0, EMBED_MAP, &err), 0);
    CHECK(e.map == NULL && e.rows == 2);
    embed_free(&e);
    /* GloVe: no header, detected from a first line of more than two numeric fields */
    const char *g = put_str("g.txt", "the 0.1 0.2 0.3\nof -1 0 1e-3\n\nand 1 1 1\n");
    for (int f = VEC_AUTO; f <= VEC_GLOVE; f += VEC_GLOVE) {
        CHECK_EQ(embed_load(&e, g, (enum vec_format)f, 0, EMBED_MAP, &err), 0);
        CHECK(e.rows == 3 && e.dim == 3 && embed_find(&e, "and") == 2);
        embed_free(&e);
    }
    CHECK_EQ(embed_load(&e, g, VEC_GLOVE, 2, EMBED_COPY, &err), 0);
    CHECK_EQ(e.rows, 2);
    embed_free(&e);
    expect_error(put_str("g2.txt", "the 0.1 0.2\nof 1 2 3\n"), VEC_AUTO,
                 "g2.txt:2: expected 2 values, got 3");
    /* one numeric field: a header-less file is only read with -format glove */
    const char *g1 = put_str("g1.txt", "x 0.5\ny 1\n");
    expect_error(g1, VEC_AUTO, "g1.txt:1: expected a 'COUNT DIM' header (or, for a headerless");
    CHECK_EQ(embed_load(&e, g1, VEC_GLOVE, 0, EMBED_COPY, &err), 0);
    CHECK(e.rows == 2 && e.dim == 1);
    embed_free(&e);
    expect_error(put_str("g0.txt", "x y z\n"), VEC_GLOVE, "g0.txt:1: expected a word and its values");
    enum vec_format f;
    CHECK(vec_format_parse("glove", &f, &err) == 0 && f == VEC_GLOVE);
    CHECK(vec_format_parse("bin", &f, &err) == -1 && strstr(err.msg, "got 'bin'") != NULL);
}

static void test_files_that_lie(void)
{
    static const char *const words[] = {"one", "two", "three"};
    float vals[12];
    for (int i = 0; i < 12; i++) {
        vals[i] = (float)(i + 1) / 7.0f;
    }
    unsigned char bin[512];
    /* The header understates the dimension: the second "word" starts inside the first
     * row's values, and holds control bytes. */
    size_t n = binary_file(bin, "3 2", words, vals, 3, 4);
    expect_error(put("dim.bin", bin, n), VEC_AUTO, "dim.bin: row 2: word contains control byte 0x");
    /* more rows than the header promises; fewer */
    n = binary_file(bin, "2 4", words, vals, 3, 4);
    expect_error(put("more.bin", bin, n), VEC_AUTO,
                 "more.bin:1: the header promises 2 rows, but the file has more");
    expect_error(put_str("more.vec", "1 2\na 1 2\nb 3 4\n"), VEC_AUTO,
                 "more.vec:1: the header promises 1 row, but the file has more");
    n = binary_file(bin, "5 4", words, vals, 3, 4);
    expect_error(put("fewer.bin", bin, n), VEC_AUTO, "fewer.bin: 3 rows, but the header says 5");
    /* a limited read stops early and does not look further */
    struct embed e;
    struct w2v_err err;
    for (int map = 0; map <= 1; map++) {
        CHECK_EQ(embed_load(&e, path_of("more.bin"), VEC_AUTO, 1, map ? EMBED_MAP : EMBED_COPY, &err), 0);
        CHECK_EQ(e.rows, 1);
        embed_free(&e);
    }
    /* control bytes in text words; trailing blank lines are fine */
    expect_error(put_str("ctl.vec", "2 1\na 1\nb\x01 2\n"), VEC_AUTO,
                 "ctl.vec:3: word contains control byte 0x01");
    CHECK_EQ(embed_load(&e, put_str("blank.vec", "1 1\na 1\n\n \n"), VEC_AUTO, 0, EMBED_COPY, &err), 0);
    embed_free(&e);
}

static void test_duplicates(void)
{
    static const char *const words[] = {"x", "y", "x", "z", "y", "x"};
    float vals[12] = {1, 0, 0.9f, 0.1f, 1, 0.01f, 0, 1, 1, 0.02f, 1, 0.03f};
    unsigned char bin[512];
    size_t n = binary_file(bin, "6 2", words, vals, 6, 2);
    const char *p = put("dup.bin", bin, n);
    for (int map = 0; map <= 1; map++) {
        struct embed e;
        struct w2v_err err;
        CHECK_EQ(embed_load(&e, p, VEC_AUTO, 0, map ? EMBED_MAP : EMBED_COPY, &err), 0);
        CHECK(e.rows == 3 && e.dups == 3);
        CHECK(embed_find(&e, "x") == 0 && embed_find(&e, "y") == 1 && embed_find(&e, "z") == 2);
        /* the first rows are kept: z's row is (0, 1) */
        float s[2];
        CHECK_NEAR(embed_unit(&e, 2, s)[1], 1.0, 1e-7);
        /* x's neighbours never include x itself */
        struct hit h[3];
        int64_t self = 0;
        float q[2];
        memcpy(q, embed_unit(&e, 0, s), sizeof q);
        int got = knn_search(&e, 0, q, 3, &self, 1, h);
        CHECK_EQ(got, 2);
        for (int i = 0; i < got; i++) {
            CHECK(strcmp(embed_word(&e, h[i].row), "x") != 0);
        }
        embed_free(&e);
    }
}

/* Rows of huge (3e38) and denormal (1e-40) values beside ordinary ones: mapped and
 * copied loads give the same neighbours and scores, all finite cosines in [-1, 1]. */
static void test_extreme_rows(void)
{
    static const char *const words[] = {"big1", "big2", "tiny1", "tiny2", "a", "b", "zero"};
    float vals[7 * 4] = {3e38f,  1e38f,  -2e38f, 3e38f,  -3e38f, 3e38f,  3e38f,  1e38f,
                         1e-40f, 2e-40f, -1e-40f, 3e-40f, 2e-40f, -1e-40f, 1e-40f, 1e-40f,
                         0.3f,   -0.2f,  0.5f,   0.1f,   1,      2,      -1,     0.5f,
                         0,      0,      0,      0};
    unsigned char bin[512];
    size_t n = binary_file(bin, "7 4", words, vals, 7, 4);
    const char *p = put("ext.bin", bin, n);
    const char *gz = path_of("ext.bin.gz");
    gzFile g = gzopen(gz, "wb");
    gzwrite(g, bin, (unsigned)n);
    gzclose(g);
    struct embed m;
    struct embed c;
    struct w2v_err err;
    CHECK_EQ(embed_load(&m, p, VEC_AUTO, 0, EMBED_MAP, &err), 0);
    CHECK_EQ(embed_load(&c, gz, VEC_AUTO, 0, EMBED_MAP, &err), 0);
    CHECK(m.map != NULL && c.map == NULL);
    for (int64_t w = 0; w < 7; w++) {
        float sm[4];
        float q[4];
        memcpy(q, embed_unit(&c, w, sm), sizeof q);
        CHECK(memcmp(embed_unit(&m, w, sm), q, sizeof q) == 0);
        struct hit hm[7];
        struct hit hc[7];
        int nm = knn_search(&m, 0, q, 7, &w, 1, hm);
        int nc = knn_search(&c, 0, q, 7, &w, 1, hc);
        CHECK(nm == 6 && nc == 6);
        for (int i = 0; i < nm && i < nc; i++) {
            CHECK_EQ(hm[i].row, hc[i].row);
            CHECK_NEAR(hm[i].score, hc[i].score, 1e-6);
            CHECK(isfinite(hm[i].score) && fabsf(hm[i].score) <= 1.0f + 1e-6f);
        }
    }
    /* big1 and big2, tiny1 and tiny2 have the cosines of their scaled-down copies */
    float s[4];
    float q[4];
    memcpy(q, embed_unit(&m, 0, s), sizeof q);
    CHECK_NEAR(embed_dot(&m, 1, q), (-9 + 3 - 6 + 3) / sqrt(23.0 * 28.0), 1e-6);
    memcpy(q, embed_unit(&m, 2, s), sizeof q);
    CHECK_NEAR(embed_dot(&m, 3, q), (2 - 2 - 1 + 3) / sqrt(15.0 * 7.0), 1e-6);
    embed_free(&m);
    embed_free(&c);
}

/* A mapped file truncated under the reader: the next read of the mapping ends the
 * process with one error line and status 1, not a bus error. */
static void test_truncated_under_the_map(void)
{
    enum { ROWS = 2000, D = 64 };
    const char *p = path_of("shrink.bin");
    FILE *f = fopen(p, "wb");
    fprintf(f, "%d %d\n", ROWS, D);
    float row[D];
    for (int r = 0; r < ROWS; r++) {
        for (int d = 0; d < D; d++) {
            row[d] = (float)((r * 31 + d * 17) % 101) / 50.0f - 1.0f;
        }
        fprintf(f, "w%d ", r);
        fwrite(row, sizeof row[0], D, f);
        fputc('\n', f);
    }
    fclose(f);
    int fds[2];
    CHECK_EQ(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDERR_FILENO);
        struct embed e;
        struct w2v_err err;
        if (embed_load(&e, p, VEC_AUTO, 0, EMBED_MAP, &err) != 0 || e.map == NULL) {
            _exit(3);
        }
        if (truncate(p, 0) != 0) {
            _exit(4);
        }
        float q[D] = {1};
        volatile float sink = embed_dot(&e, ROWS - 1, q);
        (void)sink;
        _exit(0);
    }
    close(fds[1]);
    char msg[512] = {0};
    ssize_t got = read(fds[0], msg, sizeof msg - 1);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(got > 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
    char want[600];
    snprintf(want, sizeof want, "w2v: %s: file changed or truncated while reading\n", p);
    CHECK(strcmp(msg, want) == 0);
    if (strcmp(msg, want) != 0) {
        fprintf(stderr, "  got '%s' (status %d)\n", msg, status);
    }
}

/* Loads 'p' with -format 'f' (copied); returns 0 or -1, with the error in 'err'. */
static int try_load(const char *p, enum vec_format f, struct w2v_err *err)
{
    struct embed e;
    int rc = embed_load(&e, p, f, 0, EMBED_COPY, err);
    if (rc == 0) {
        embed_free(&e);
    }
    return rc;
}

/* The kinds of damage done to one line of a good text file. */
enum damage { DMG_NAN, DMG_INF, DMG_HUGE, DMG_JUNK, DMG_TAB, DMG_FEWER, DMG_MORE, DMG_LONG,
              DMG_CUT, DMG_KINDS };

/* Writes to 'buf' a text file of 'rows' rows of 'dim' values with 6 decimals, as training
 * writes them, with 'kind' of damage done to data row 'bad' (1-based). Returns its length. */
static size_t damaged_text(char *buf, int rows, int dim, int bad, enum damage kind)
{
    size_t at = (size_t)sprintf(buf, "%d %d\n", rows, dim);
    for (int r = 1; r <= rows; r++) {
        bool hit = r == bad;
        if (hit && kind == DMG_TAB) {
            at += (size_t)sprintf(buf + at, "new\t");
        }
        if (hit && kind == DMG_LONG) {
            memset(buf + at, 'x', 2 * VEC_MAX_WORD);
            at += 2 * VEC_MAX_WORD;
        }
        at += (size_t)sprintf(buf + at, "w%d", r);
        int n = !hit ? dim : kind == DMG_FEWER ? dim - 1 : kind == DMG_MORE ? dim + 1 : dim;
        if (hit && kind == DMG_CUT) {
            n = dim / 2; /* the file ends inside the row */
        }
        for (int d = 0; d < n; d++) {
            static const char *const odd[] = {"nan", "-inf", "1e39", "0.1abc"};
            if (hit && d == n / 2 && kind <= DMG_JUNK) {
                at += (size_t)sprintf(buf + at, " %s", odd[kind]);
            } else {
                at += (size_t)sprintf(buf + at, " %.6f", sin(r * 31.0 + d * 7.0) / 2);
            }
        }
        if (hit && kind == DMG_CUT) {
            return at;
        }
        buf[at++] = '\n';
    }
    return at;
}

/* A text file with one bad row is read as text, wherever the row and whatever the damage:
 * the detected format gives the error -format text gives, which names the line. */
static void test_bad_text_rows_stay_text(void)
{
    enum { ROWS = 6 };
    static const int dims[] = {1, 3, 25, 100};
    char *buf = malloc(ROWS * (2 * VEC_MAX_WORD + 64 + 16 * 101));
    int mismatches = 0;
    for (size_t i = 0; i < sizeof dims / sizeof dims[0]; i++) {
        for (int bad = 1; bad <= ROWS; bad++) {
            for (int kind = 0; kind < DMG_KINDS; kind++) {
                if ((kind == DMG_FEWER && dims[i] == 1) || (kind == DMG_CUT && bad != ROWS)) {
                    continue;
                }
                size_t n = damaged_text(buf, ROWS, dims[i], bad, (enum damage)kind);
                const char *p = put("damaged.vec", buf, n);
                struct w2v_err as_text = {{0}, 0};
                struct w2v_err detected = {{0}, 0};
                CHECK_EQ(try_load(p, VEC_TEXT, &as_text), -1);
                CHECK_EQ(try_load(p, VEC_AUTO, &detected), -1);
                char line[32];
                snprintf(line, sizeof line, "damaged.vec:%d: ", bad + 1);
                if (strcmp(as_text.msg, detected.msg) != 0 || !strstr(detected.msg, line)) {
                    fprintf(stderr, "  dim %d, row %d, damage %d: '%s', as text '%s'\n",
                            dims[i], bad, kind, detected.msg, as_text.msg);
                    mismatches++;
                }
            }
        }
    }
    CHECK_EQ(mismatches, 0);
    /* a header whose dimension the rows do not have, either way */
    size_t n = damaged_text(buf, ROWS, 25, 0, DMG_NAN);
    buf[3] = '0'; /* "6 25" becomes "6 20" */
    expect_error(put("dimhigh.vec", buf, n), VEC_AUTO, "dimhigh.vec:2: expected 20 values, got 25");
    buf[3] = '9'; /* "6 29" */
    expect_error(put("dimlow.vec", buf, n), VEC_AUTO, "dimlow.vec:2: expected 29 values, got 25");
    free(buf);
}

/* Every binary file reads as binary when detected: random rows of random dimensions, words
 * of letters or of any bytes but blanks, values of every kind (small like trained ones,
 * integers, any bit pattern of a finite float), with or without newlines after the rows. */
static void test_binary_files_stay_binary(void)
{
    enum { FILES = 400, MAX_ROWS = 9, MAX_DIM = 12, MAX_WORD = 12 };
    unsigned char *buf = malloc(32 + MAX_ROWS * (MAX_WORD + 2 + 4 * MAX_DIM));
    struct rng r;
    rng_seed(&r, 11, 0);
    int misread = 0;
    for (int f = 0; f < FILES; f++) {
        int rows = 1 + (int)rng_below(&r, MAX_ROWS);
        int dim = 1 + (int)rng_below(&r, MAX_DIM);
        int kind = (int)rng_below(&r, 3);
        bool newlines = rng_below(&r, 2) == 0;
        size_t at = (size_t)sprintf((char *)buf, "%d %d\n", rows, dim);
        for (int i = 0; i < rows; i++) {
            int len = 1 + (int)rng_below(&r, MAX_WORD);
            for (int k = 0; k < len; k++) {
                unsigned char c = (unsigned char)(kind == 2 ? 0x21 + rng_below(&r, 0xdf)
                                                            : 'a' + rng_below(&r, 26));
                buf[at++] = c == 0x7f ? 'z' : c;
            }
            buf[at++] = ' ';
            for (int d = 0; d < dim; d++) {
                float x;
                uint32_t bits = (uint32_t)rng_next(&r);
                memcpy(&x, &bits, sizeof x);
                if (kind == 0) {
                    x = (rng_uniform(&r) - 0.5f) / 4;
                } else if (kind == 1 || !isfinite(x)) {
                    x = (float)((int)rng_below(&r, 7) - 3);
                }
                memcpy(buf + at, &x, 4); /* the tests run on little-endian hosts */
                at += 4;
            }
            if (newlines) {
                buf[at++] = '\n';
            }
        }
        const char *p = put("random.bin", buf, at);
        struct w2v_err err;
        struct embed e;
        if (embed_load(&e, p, VEC_AUTO, 0, EMBED_COPY, &err) != 0) {
            fprintf(stderr, "  file %d (%d x %d): %s\n", f, rows, dim, err.msg);
            misread++;
            continue;
        }
        int64_t got = e.rows;
        embed_free(&e);
        CHECK_EQ(embed_load(&e, p, VEC_BINARY, 0, EMBED_COPY, &err), 0);
        misread += got != e.rows;
        embed_free(&e);
    }
    CHECK_EQ(misread, 0);
    /* values whose bytes are all printable ("@@@?" is 0.7509...): no raw byte shows, but the
     * whole file reads as binary rows and its line is no text row */
    const char *p = put_str("printable.bin", "1 1\nx @@@?\n");
    struct embed e;
    struct w2v_err err;
    CHECK_EQ(embed_load(&e, p, VEC_AUTO, 0, EMBED_COPY, &err), 0);
    CHECK(e.rows == 1 && e.dim == 1);
    embed_free(&e);
    free(buf);
}

int main(void)
{
    harness_scratch(dir);
    RUN(test_writer);
    RUN(test_text_values_match_printf);
    RUN(test_text_values_match_strtof);
    RUN(test_reads_back_what_it_writes);
    RUN(test_detection_and_formats);
    RUN(test_files_that_lie);
    RUN(test_bad_text_rows_stay_text);
    RUN(test_binary_files_stay_binary);
    RUN(test_duplicates);
    RUN(test_extreme_rows);
    RUN(test_truncated_under_the_map);
    harness_scratch_remove(dir);
    TEST_MAIN("vecfile");
}
