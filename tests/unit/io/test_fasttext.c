/* Unit tests of the fastText module: hashes against values computed outside this code
 * (32-bit FNV-1a's published value of "a" and values worked out in Python with fastText's
 * byte rule), n-gram lists worked out by hand from fastText's rule, rows and averages, the
 * .bin layout byte by byte, a write-then-read round trip (plain, gzip, standard input, a
 * matrix larger than the first allocation), every truncation of a model file, files that
 * lie about their sizes, and the writer's refusals. When the fasttext program is installed,
 * models it trains are read and their vectors and n-grams compared with what it prints,
 * and a model written back must be byte-identical and load in fastText and gensim. */
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <zlib.h>

#include "base/rng.h"
#include "base/strindex.h"
#include "harness.h"
#include "io/fasttext.h"

static char dir[] = "/tmp/w2v-fasttext-XXXXXX";

/* A path in the scratch directory; the last 64 results stay valid. */
static const char *path_of(const char *name)
{
    static char buf[64][512];
    static int slot;
    slot = (slot + 1) % 64;
    snprintf(buf[slot], sizeof buf[slot], "%s/%s", dir, name);
    return buf[slot];
}

static void put_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f != NULL) {
        CHECK_EQ(fwrite(data, 1, n, f), n);
        fclose(f);
    }
}

/* The whole file at 'path' (malloc'ed, '*n' its size), or NULL. */
static unsigned char *get_file(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 1 << 16;
    size_t len = 0;
    unsigned char *b = malloc(cap);
    for (size_t got; (got = fread(b + len, 1, cap - len, f)) > 0;) {
        len += got;
        if (len == cap) {
            cap *= 2;
            b = realloc(b, cap);
        }
    }
    fclose(f);
    *n = len;
    return b;
}

static void gzip_file(const char *from, const char *to)
{
    size_t n;
    unsigned char *b = get_file(from, &n);
    gzFile g = gzopen(to, "wb1");
    CHECK(b != NULL && g != NULL);
    if (b != NULL && g != NULL) {
        for (size_t at = 0; at < n;) {
            unsigned k = n - at > (1u << 30) ? 1u << 30 : (unsigned)(n - at);
            CHECK_EQ(gzwrite(g, b + at, k), k);
            at += k;
        }
    }
    if (g != NULL) {
        gzclose(g);
    }
    free(b);
}

/* Little-endian pokes into a file image. */
static void set_le(unsigned char *b, size_t off, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++) {
        b[off + (size_t)i] = (unsigned char)(v >> (8 * i));
    }
}

static uint64_t get_le(const unsigned char *b, size_t off, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) {
        v |= (uint64_t)b[off + (size_t)i] << (8 * i);
    }
    return v;
}

/* Reads 'path' expecting failure with exactly the message "PATH: " and then 'want' (a
 * printf format), on one line, and an emptied model. */
static void expect_error(const char *path, const char *want, ...)
    __attribute__((format(printf, 2, 3)));

static void expect_error(const char *path, const char *want, ...)
{
    char expected[1024];
    va_list ap;
    va_start(ap, want);
    char tail[800];
    vsnprintf(tail, sizeof tail, want, ap);
    va_end(ap);
    snprintf(expected, sizeof expected, "%s: %s", path, tail);
    struct ft_model m;
    struct w2v_err err = {{0}, 0};
    int rc = ft_read(path, &m, &err);
    CHECK_EQ(rc, -1);
    CHECK(strchr(err.msg, '\n') == NULL);
    if (strcmp(err.msg, expected) != 0) {
        fprintf(stderr, "  got:      %s\n  expected: %s\n", err.msg, expected);
        CHECK(strcmp(err.msg, expected) == 0);
    }
    CHECK(m.input == NULL && m.output == NULL && m.counts == NULL);
    if (rc == 0) {
        ft_free(&m);
    }
}

/* ---------------------------------------------------------------------------------- */
/* Hash and n-grams                                                                   */

static void test_hash_values(void)
{
    /* FNV-1a 32 of "a" is the published test value 0xe40c292c; the others were computed
     * in Python with each byte >= 0x80 XORed in as 0xffffff00 | byte. */
    static const struct {
        const char *s;
        uint32_t h;
    } cases[] = {
        {"", 2166136261u},
        {"a", 0xe40c292cu},
        {"<wh", 1048167652u},
        {"where", 90969176u},
        {"<caf\xc3\xa9>", 3312017187u},
        {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 308035559u},
        {"\x80", 83079839u},
        {"\xff", 4193493326u},
        {"\xc3\xbc" "ber", 238904527u},
        {"</s>", 3617362777u},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_EQ(ft_hash(cases[i].s, strlen(cases[i].s)), cases[i].h);
    }
    /* plain FNV-1a (bytes taken unsigned) differs as soon as a byte is >= 0x80 */
    CHECK(ft_hash("\x80", 1) != 2232128415u);
    CHECK(ft_hash("<caf\xc3\xa9>", 7) != 1000711971u);
}

/* The n-grams of 'word' joined by '|' (a static buffer); also checks that each
 * n-gram's hash is ft_hash of its bytes and its character count is right. */
static const char *ngrams(const char *word, int minn, int maxn)
{
    static char out[4096];
    size_t used = 0;
    out[0] = '\0';
    struct ft_ngrams it;
    ft_ngrams_begin(&it, word, strlen(word), minn, maxn);
    while (ft_ngrams_next(&it)) {
        char g[256];
        size_t n = ft_ngram_copy(&it, g);
        CHECK_EQ(it.hash, ft_hash(g, n));
        size_t chars = 0;
        for (size_t i = 0; i < n; i++) {
            chars += ((unsigned char)g[i] & 0xc0) != 0x80;
        }
        CHECK(chars == it.chars || (it.start == 0 && chars == it.chars + 1));
        if (used + n + 2 < sizeof out) {
            if (used > 0) {
                out[used++] = '|';
            }
            memcpy(out + used, g, n);
            used += n;
            out[used] = '\0';
        }
    }
    return out;
}

#define CHECK_STR(a, b)                                                                  \
    do {                                                                                 \
        const char *sa_ = (a), *sb_ = (b);                                               \
        if (strcmp(sa_, sb_) != 0) {                                                     \
            fprintf(stderr, "  got:      %s\n  expected: %s\n", sa_, sb_);                 \
        }                                                                                \
        CHECK(strcmp(sa_, sb_) == 0);                                                    \
    } while (0)

static void test_ngram_lists(void)
{
    /* the paper's example word, 3 to 6 characters */
    CHECK_STR(ngrams("where", 3, 6), "<wh|<whe|<wher|<where|whe|wher|where|where>|her|here|"
                                     "here>|ere|ere>|re>");
    CHECK_STR(ngrams("where", 3, 3), "<wh|whe|her|ere|re>");
    /* single characters: '<' and the final '>' are never n-grams of their own */
    CHECK_STR(ngrams("a", 1, 3), "<a|<a>|a|a>");
    CHECK_STR(ngrams("ab", 1, 1), "a|b");
    /* characters, not bytes: é is two bytes and one character */
    CHECK_STR(ngrams("caf\xc3\xa9", 1, 2),
              "<c|c|ca|a|af|f|f\xc3\xa9|\xc3\xa9|\xc3\xa9>");
    CHECK_STR(ngrams("\xc3\xa9", 1, 5), "<\xc3\xa9|<\xc3\xa9>|\xc3\xa9|\xc3\xa9>");
    CHECK_STR(ngrams("\xe6\x97\xa5\xe6\x9c\xac", 3, 3),
              "<\xe6\x97\xa5\xe6\x9c\xac|\xe6\x97\xa5\xe6\x9c\xac>");
    /* a stray continuation byte joins the character before it, here '<' */
    CHECK_STR(ngrams("\x80x", 1, 2), "<\x80x|x|x>");
    /* the limits */
    CHECK_STR(ngrams("where", 3, 0), "");
    CHECK_STR(ngrams("where", 5, 3), "");
    CHECK_STR(ngrams("where", -1, -1), "");
    CHECK_STR(ngrams("ab", 0, 1), ngrams("ab", 1, 1));
    CHECK_STR(ngrams("ab", 4, 100), "<ab>");
    CHECK_STR(ngrams("", 1, 3), "<>");
}

static void test_rows(void)
{
    struct ft_args a;
    ft_args_default(&a);
    a.bucket = 1000;
    a.minn = 3;
    a.maxn = 3;
    const char *grams[] = {"<wh", "whe", "her", "ere", "re>"};
    int32_t rows[8];
    for (int i = 0; i < 8; i++) {
        rows[i] = -7;
    }
    /* in the vocabulary: its own row first */
    CHECK_EQ(ft_word_rows("where", 5, 4, 10, &a, rows, 8), 6);
    CHECK_EQ(rows[0], 4);
    for (int i = 0; i < 5; i++) {
        CHECK_EQ(rows[i + 1], 10 + (int64_t)(ft_hash(grams[i], 3) % 1000));
    }
    CHECK_EQ(rows[1], 10 + 652); /* "<wh": 1048167652 % 1000 */
    CHECK_EQ(rows[6], -7);
    /* unseen: the n-grams only */
    CHECK_EQ(ft_word_rows("where", 5, -1, 10, &a, rows, 8), 5);
    CHECK_EQ(rows[0], 10 + 652);
    /* a short array is filled as far as it goes */
    rows[2] = -7;
    CHECK_EQ(ft_word_rows("where", 5, 4, 10, &a, rows, 2), 6);
    CHECK_EQ(rows[2], -7);
    CHECK_EQ(ft_word_rows("where", 5, -1, 10, &a, NULL, 0), 5);
    /* the end-of-line token has no n-grams */
    CHECK_EQ(ft_word_rows("</s>", 4, 0, 10, &a, rows, 8), 1);
    CHECK_EQ(ft_word_rows("</s>", 4, -1, 10, &a, rows, 8), 0);
    CHECK_EQ(ft_word_rows("</s", 3, -1, 10, &a, rows, 8), 3);
    /* no n-grams without buckets or with maxn 0 */
    a.maxn = 0;
    CHECK_EQ(ft_word_rows("where", 5, 4, 10, &a, rows, 8), 1);
    a.maxn = 3;
    a.bucket = 0;
    CHECK_EQ(ft_word_rows("where", 5, -1, 10, &a, rows, 8), 0);
}

/* ---------------------------------------------------------------------------------- */
/* Models in memory                                                                   */

static const char *const toy_words[] = {"</s>", "the", "caf\xc3\xa9", "na\xc3\xafve",
                                        "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "x", "y"};
enum { TOY_WORDS = 7, TOY_DIM = 3, TOY_BUCKET = 5 };

/* A small model with values from a fixed seed, every argument set to a distinct value. */
static void toy_model(struct ft_model *m)
{
    memset(m, 0, sizeof *m);
    ft_args_default(&m->args);
    m->args.dim = TOY_DIM;
    m->args.ws = 4;
    m->args.epoch = 3;
    m->args.min_count = 2;
    m->args.neg = 7;
    m->args.word_ngrams = 1;
    m->args.loss = FT_LOSS_HS;
    m->args.model = FT_CBOW;
    m->args.bucket = TOY_BUCKET;
    m->args.minn = 2;
    m->args.maxn = 4;
    m->args.lr_update_rate = 50;
    m->args.t = 1e-3;
    strindex_init(&m->words, 0, 0);
    m->counts = malloc(TOY_WORDS * sizeof *m->counts);
    m->types = calloc(TOY_WORDS, sizeof *m->types);
    for (int i = 0; i < TOY_WORDS; i++) {
        const char *w = toy_words[i];
        strindex_append_h(&m->words, w, strlen(w), strindex_hash(w, strlen(w)));
        m->counts[i] = 100 - 10 * i;
    }
    m->ntokens = 1234;
    struct rng r;
    rng_seed(&r, 7, 0);
    size_t in = (size_t)(TOY_WORDS + TOY_BUCKET) * TOY_DIM;
    size_t out = (size_t)TOY_WORDS * TOY_DIM;
    m->input = malloc(in * sizeof(float));
    m->output = malloc(out * sizeof(float));
    for (size_t i = 0; i < in; i++) {
        m->input[i] = rng_uniform(&r) - 0.5f;
    }
    for (size_t i = 0; i < out; i++) {
        m->output[i] = rng_uniform(&r) - 0.5f;
    }
}

static int write_model(const char *path, const struct ft_model *m, struct w2v_err *err)
{
    return ft_write(path, &m->args, &m->words, m->counts, m->ntokens, m->input, m->output,
                    err);
}

static void check_same_model(const struct ft_model *a, const struct ft_model *b)
{
    CHECK(memcmp(&a->args, &b->args, offsetof(struct ft_args, t)) == 0);
    CHECK(a->args.t == b->args.t);
    CHECK_EQ(a->words.n, b->words.n);
    for (int64_t i = 0; i < a->words.n && i < b->words.n; i++) {
        CHECK(strcmp(strindex_str(&a->words, i), strindex_str(&b->words, i)) == 0);
        CHECK_EQ(a->counts[i], b->counts[i]);
        CHECK_EQ(a->types[i], b->types[i]);
    }
    CHECK_EQ(a->ntokens, b->ntokens);
    if (a->words.n == b->words.n) {
        size_t in = (size_t)(a->words.n + a->args.bucket) * (size_t)a->args.dim;
        size_t out = (size_t)a->words.n * (size_t)a->args.dim;
        CHECK(memcmp(a->input, b->input, in * sizeof(float)) == 0);
        CHECK(memcmp(a->output, b->output, out * sizeof(float)) == 0);
    }
}

/* Offsets of the toy model's file, worked out from the layout. */
struct toy_layout {
    size_t entry[TOY_WORDS + 1]; /* where each dictionary entry starts; [7]: after them */
    size_t quant;                /* the input quantization flag */
    size_t in_data;              /* the input matrix's floats */
    size_t qout;                 /* the output quantization flag */
    size_t out_data;
    size_t size;
};

static struct toy_layout toy_layout(void)
{
    struct toy_layout l;
    /* magic, version (8), arguments (12 int32 + float64 = 56), dictionary header
     * (3 int32 + 2 int64 = 28) */
    l.entry[0] = 8 + 56 + 28;
    for (int i = 0; i < TOY_WORDS; i++) {
        l.entry[i + 1] = l.entry[i] + strlen(toy_words[i]) + 1 + 8 + 1;
    }
    l.quant = l.entry[TOY_WORDS];
    l.in_data = l.quant + 1 + 16;
    l.qout = l.in_data + (size_t)(TOY_WORDS + TOY_BUCKET) * TOY_DIM * 4;
    l.out_data = l.qout + 1 + 16;
    l.size = l.out_data + (size_t)TOY_WORDS * TOY_DIM * 4;
    return l;
}

static void test_layout(void)
{
    struct ft_model m;
    toy_model(&m);
    struct w2v_err err = {{0}, 0};
    const char *p = path_of("layout.bin");
    CHECK_EQ(write_model(p, &m, &err), 0);
    size_t n = 0;
    unsigned char *b = get_file(p, &n);
    CHECK(b != NULL);
    struct toy_layout l = toy_layout();
    CHECK_EQ(n, l.size);
    if (b == NULL || n != l.size) {
        free(b);
        ft_free(&m);
        return;
    }
    CHECK_EQ(get_le(b, 0, 4), 793712314);
    CHECK_EQ(get_le(b, 4, 4), 12);
    const int32_t args[] = {TOY_DIM, 4, 3, 2, 7, 1, 1 /* hs */, 1 /* cbow */, TOY_BUCKET,
                            2,       4, 50};
    for (int i = 0; i < 12; i++) {
        CHECK_EQ(get_le(b, 8 + 4 * (size_t)i, 4), (uint32_t)args[i]);
    }
    uint64_t t_bits;
    double t = 1e-3;
    memcpy(&t_bits, &t, 8);
    CHECK(get_le(b, 56, 8) == t_bits);
    CHECK_EQ(get_le(b, 64, 4), TOY_WORDS); /* entries */
    CHECK_EQ(get_le(b, 68, 4), TOY_WORDS); /* words */
    CHECK_EQ(get_le(b, 72, 4), 0);         /* labels */
    CHECK_EQ(get_le(b, 76, 8), 1234);      /* tokens */
    CHECK(get_le(b, 84, 8) == UINT64_MAX); /* prune index size -1 */
    for (int i = 0; i < TOY_WORDS; i++) {
        size_t at = l.entry[i];
        size_t len = strlen(toy_words[i]);
        CHECK(memcmp(b + at, toy_words[i], len) == 0);
        CHECK_EQ(b[at + len], 0);
        CHECK_EQ(get_le(b, at + len + 1, 8), 100 - 10 * i);
        CHECK_EQ(b[at + len + 9], 0);
    }
    CHECK_EQ(b[l.quant], 0);
    CHECK_EQ(get_le(b, l.quant + 1, 8), TOY_WORDS + TOY_BUCKET);
    CHECK_EQ(get_le(b, l.quant + 9, 8), TOY_DIM);
    float v;
    uint32_t bits = (uint32_t)get_le(b, l.in_data + 4 * 4, 4);
    memcpy(&v, &bits, 4);
    CHECK(v == m.input[4]);
    CHECK_EQ(b[l.qout], 0);
    CHECK_EQ(get_le(b, l.qout + 1, 8), TOY_WORDS);
    CHECK_EQ(get_le(b, l.qout + 9, 8), TOY_DIM);
    bits = (uint32_t)get_le(b, l.size - 4, 4);
    memcpy(&v, &bits, 4);
    CHECK(v == m.output[TOY_WORDS * TOY_DIM - 1]);
    free(b);
    ft_free(&m);
}

static void test_round_trip(void)
{
    struct ft_model m;
    toy_model(&m);
    struct w2v_err err = {{0}, 0};
    const char *p = path_of("rt.bin");
    CHECK_EQ(write_model(p, &m, &err), 0);
    struct ft_model back;
    CHECK_EQ(ft_read(p, &back, &err), 0);
    check_same_model(&m, &back);
    ft_free(&back);
    /* gzip data is read by content */
    gzip_file(p, path_of("rt.bin.gz"));
    CHECK_EQ(ft_read(path_of("rt.bin.gz"), &back, &err), 0);
    check_same_model(&m, &back);
    ft_free(&back);
    /* so is standard input, "-" */
    int saved = dup(0);
    int fd = open(p, O_RDONLY);
    CHECK(saved >= 0 && fd >= 0);
    dup2(fd, 0);
    close(fd);
    CHECK_EQ(ft_read("-", &back, &err), 0);
    dup2(saved, 0);
    close(saved);
    check_same_model(&m, &back);
    ft_free(&back);
    /* writing over an existing file replaces it */
    m.counts[0] = 5;
    CHECK_EQ(write_model(p, &m, &err), 0);
    CHECK_EQ(ft_read(p, &back, &err), 0);
    CHECK_EQ(back.counts[0], 5);
    ft_free(&back);
    ft_free(&back); /* an emptied model may be freed again */
    ft_free(&m);
}

/* A matrix larger than the reader's first allocation, from gzip data: it grows. */
static void test_large_matrix_from_gzip(void)
{
    struct ft_model m;
    memset(&m, 0, sizeof m);
    ft_args_default(&m.args);
    m.args.dim = 1;
    m.args.bucket = 17 << 20; /* 68 MiB of floats: more than the first 64 MiB */
    m.args.minn = 1;
    m.args.maxn = 1;
    strindex_init(&m.words, 0, 0);
    strindex_append_h(&m.words, "w", 1, strindex_hash("w", 1));
    int64_t count = 3;
    size_t rows = (size_t)m.args.bucket + 1;
    m.input = malloc(rows * sizeof(float));
    for (size_t i = 0; i < rows; i++) {
        m.input[i] = (float)(i % 1000);
    }
    float out = 0.5f;
    struct w2v_err err = {{0}, 0};
    const char *p = path_of("large.bin");
    CHECK_EQ(ft_write(p, &m.args, &m.words, &count, 3, m.input, &out, &err), 0);
    gzip_file(p, path_of("large.bin.gz"));
    unlink(p);
    struct ft_model back;
    CHECK_EQ(ft_read(path_of("large.bin.gz"), &back, &err), 0);
    if (back.input != NULL) {
        CHECK(memcmp(back.input, m.input, rows * sizeof(float)) == 0);
        CHECK(back.output[0] == 0.5f);
    }
    ft_free(&back);
    unlink(path_of("large.bin.gz"));
    free(m.input);
    strindex_free(&m.words);
}

static void test_word_vectors(void)
{
    /* one bucket: every n-gram lands in row nwords, so the averages can be worked out by
     * hand; rows are powers of two so that a sum tells which rows went in */
    struct ft_model m;
    memset(&m, 0, sizeof m);
    ft_args_default(&m.args);
    m.args.dim = 2;
    m.args.bucket = 1;
    m.args.minn = 1;
    m.args.maxn = 2;
    strindex_init(&m.words, 0, 0);
    const char *w[] = {"ab", "</s>"};
    for (int i = 0; i < 2; i++) {
        strindex_append_h(&m.words, w[i], strlen(w[i]), strindex_hash(w[i], strlen(w[i])));
    }
    float input[] = {1, 10, 2, 20, 4, 40};
    m.input = input;
    float v[2];
    /* "ab": its row and 5 n-grams (<a a ab b b>) */
    ft_word_vector(&m, "ab", 2, v);
    CHECK_NEAR(v[0], (1.0 + 5 * 4.0) / 6, 1e-6);
    CHECK_NEAR(v[1], (10.0 + 5 * 40.0) / 6, 1e-5);
    /* "</s>": its own row only */
    ft_word_vector(&m, "</s>", 4, v);
    CHECK(v[0] == 2 && v[1] == 20);
    /* unseen "zz": 5 n-grams, all in the one bucket */
    ft_word_vector(&m, "zz", 2, v);
    CHECK_NEAR(v[0], 4, 1e-6);
    CHECK_NEAR(v[1], 40, 1e-5);
    /* without n-grams an unseen word is zero */
    m.args.maxn = 0;
    ft_word_vector(&m, "zz", 2, v);
    CHECK(v[0] == 0 && v[1] == 0);
    ft_word_vector(&m, "ab", 2, v);
    CHECK(v[0] == 1 && v[1] == 10);
    m.args.maxn = 2;
    float *all = NULL;
    struct w2v_err err = {{0}, 0};
    CHECK_EQ(ft_vocab_vectors(&m, &all, &err), 0);
    for (int i = 0; i < 2 && all != NULL; i++) {
        ft_word_vector(&m, w[i], strlen(w[i]), v);
        CHECK(all[2 * i] == v[0] && all[2 * i + 1] == v[1]);
    }
    free(all);
    CHECK_EQ(ft_find(&m, "ab", 2), 0);
    CHECK_EQ(ft_find(&m, "a", 1), -1);
    strindex_free(&m.words);
}

/* ---------------------------------------------------------------------------------- */
/* Bad files                                                                          */

/* The toy model's file image (malloc'ed) and its size. */
static unsigned char *toy_image(size_t *n)
{
    struct ft_model m;
    toy_model(&m);
    struct w2v_err err = {{0}, 0};
    CHECK_EQ(write_model(path_of("toy.bin"), &m, &err), 0);
    ft_free(&m);
    return get_file(path_of("toy.bin"), n);
}

/* Where a file cut after 'len' bytes ends, as the reader names it. */
static void truncation_place(const struct toy_layout *l, size_t len, char *out, size_t cap)
{
    if (len < 8) {
        snprintf(out, cap, "the header");
    } else if (len < 64) {
        snprintf(out, cap, "the arguments");
    } else if (len < l->entry[0]) {
        snprintf(out, cap, "the dictionary header");
    } else if (len < l->quant) {
        int i = 0;
        while (l->entry[i + 1] <= len) {
            i++;
        }
        snprintf(out, cap, "dictionary entry %d of %d", i + 1, TOY_WORDS);
    } else if (len == l->quant) {
        snprintf(out, cap, "the input quantization flag");
    } else if (len < l->in_data) {
        snprintf(out, cap, "the input matrix header");
    } else if (len < l->qout) {
        snprintf(out, cap, "the input matrix (row %zu of %d)",
                 (len - l->in_data) / (TOY_DIM * 4) + 1, TOY_WORDS + TOY_BUCKET);
    } else if (len == l->qout) {
        snprintf(out, cap, "the output quantization flag");
    } else if (len < l->out_data) {
        snprintf(out, cap, "the output matrix header");
    } else {
        snprintf(out, cap, "the output matrix (row %zu of %d)",
                 (len - l->out_data) / (TOY_DIM * 4) + 1, TOY_WORDS);
    }
}

static void test_truncated_everywhere(void)
{
    size_t n;
    unsigned char *b = toy_image(&n);
    struct toy_layout l = toy_layout();
    CHECK_EQ(n, l.size);
    if (b == NULL || n != l.size) {
        free(b);
        return;
    }
    const char *p = path_of("cut.bin");
    for (size_t len = 0; len < n; len++) {
        put_file(p, b, len);
        if (len < 4) {
            expect_error(p, "not a fastText model (wrong magic number)");
            continue;
        }
        char where[128];
        truncation_place(&l, len, where, sizeof where);
        expect_error(p, "truncated file: it ends after %zu bytes, inside %s", len, where);
    }
    /* the same from gzip data, where the size is not known beforehand */
    size_t cuts[] = {30, l.entry[2] + 2, l.quant, l.in_data + 5, l.in_data + 4 * TOY_DIM * 4,
                     l.out_data + 13};
    const char *g = path_of("cut.bin.gz");
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        put_file(p, b, cuts[i]);
        gzip_file(p, g);
        char where[128];
        truncation_place(&l, cuts[i], where, sizeof where);
        expect_error(g, "truncated file: it ends after %zu bytes, inside %s", cuts[i], where);
    }
    free(b);
}

/* Writes 'b' with one little-endian field changed and expects 'want'. */
static void poke_expect(const unsigned char *b, size_t n, size_t off, uint64_t v, int bytes,
                        const char *want)
{
    unsigned char *c = malloc(n);
    memcpy(c, b, n);
    set_le(c, off, v, bytes);
    const char *p = path_of("poked.bin");
    put_file(p, c, n);
    expect_error(p, "%s", want);
    free(c);
}

static void test_bad_headers(void)
{
    size_t n;
    unsigned char *b = toy_image(&n);
    struct toy_layout l = toy_layout();
    if (b == NULL || n != l.size) {
        CHECK(0);
        free(b);
        return;
    }
    const char *p = path_of("text.bin");
    put_file(p, "hello world\n", 12);
    expect_error(p, "not a fastText model (wrong magic number)");
    poke_expect(b, n, 0, 793712315, 4, "not a fastText model (wrong magic number)");
    poke_expect(b, n, 4, 11, 4, "fastText file format version 11; w2v reads version 12");
    poke_expect(b, n, 4, 13, 4, "fastText file format version 13; w2v reads version 12");
    poke_expect(b, n, l.quant, 1, 1, "quantized fastText models are not supported yet");
    poke_expect(b, n, l.qout, 1, 1, "quantized fastText models are not supported yet");
    /* arguments */
    poke_expect(b, n, 8, 0, 4, "dimension 0 out of range (1 to 1000000)");
    poke_expect(b, n, 8, 2000000000, 4, "dimension 2000000000 out of range (1 to 1000000)");
    poke_expect(b, n, 8, TOY_DIM + 1, 4,
                "the input matrix has 3 columns, but the dimension is 4");
    poke_expect(b, n, 40, TOY_BUCKET + 1, 4,
                "the input matrix has 12 rows, but nwords + bucket is 13");
    poke_expect(b, n, 40, 2147483647, 4,
                "7 words and 2147483647 buckets exceed 2147483647 input rows");
    poke_expect(b, n, 40, 0, 4, "n-grams of up to 4 characters but no bucket for them");
    poke_expect(b, n, 44, UINT32_MAX, 4,
                "bad n-gram arguments (bucket 5, minn -1, maxn 4): none may be negative");
    poke_expect(b, n, 36, 3, 4, "a supervised fastText model, not a word vectors model");
    poke_expect(b, n, 36, 4, 4, "unknown model kind 4 (1 cbow, 2 skipgram, 3 supervised)");
    poke_expect(b, n, 32, 0, 4, "unknown loss 0 (1 hs, 2 ns, 3 softmax, 4 ova)");
    /* dictionary header */
    poke_expect(b, n, 64, 8, 4, "bad dictionary header: 8 entries, 7 words, 0 labels");
    poke_expect(b, n, 72, 1, 4, "bad dictionary header: 7 entries, 7 words, 1 labels");
    poke_expect(b, n, 76, UINT64_MAX, 8,
                "bad dictionary header: -1 tokens, prune index size -1");
    poke_expect(b, n, 84, 0, 8,
                "a pruned dictionary (0 n-grams kept) in a model that is not quantized");
    /* entries */
    poke_expect(b, n, l.entry[0], 0, 1, "dictionary entry 1 of 7: empty word");
    poke_expect(b, n, l.entry[6], 'x', 1, "dictionary entry 7 of 7: the same word as entry 6");
    poke_expect(b, n, l.entry[1] + 4, UINT64_MAX, 8,
                "dictionary entry 2 of 7: bad count -1 or type 0 (expected 0)");
    poke_expect(b, n, l.entry[1] + 12, 1, 1,
                "dictionary entry 2 of 7: bad count 90 or type 1 (expected 0)");
    /* matrices */
    poke_expect(b, n, l.qout + 1, TOY_WORDS - 1, 8,
                "the output matrix has 6 rows, but nwords is 7");
    poke_expect(b, n, l.qout + 9, 2, 8,
                "the output matrix has 2 columns, but the dimension is 3");
    poke_expect(b, n, l.quant + 1, UINT64_MAX, 8,
                "the input matrix has -1 rows, but nwords + bucket is 12");
    /* a label: the last entry typed as one, the header counting it */
    unsigned char *c = malloc(n);
    memcpy(c, b, n);
    set_le(c, 68, TOY_WORDS - 1, 4);
    set_le(c, 72, 1, 4);
    c[l.entry[7] - 1] = 1;
    put_file(p, c, n);
    expect_error(p, "a supervised fastText model (1 label), not a word vectors model");
    /* data after the output matrix */
    c = realloc(c, n + 1);
    memcpy(c, b, n);
    c[n] = 0;
    put_file(p, c, n + 1);
    expect_error(p, "unexpected data after the output matrix (from byte %zu)", n);
    free(c);
    expect_error(path_of("nosuch.bin"), "No such file or directory");
    free(b);
}

/* Headers that promise far more than the file holds. */
static void lying_sizes(void)
{
    size_t n;
    unsigned char *b = toy_image(&n);
    struct toy_layout l = toy_layout();
    if (b == NULL || n != l.size) {
        CHECK(0);
        free(b);
        return;
    }
    const char *p = path_of("lie.bin");
    const char *g = path_of("lie.bin.gz");
    /* a consistent header for a 1.2 GB input matrix, in a file of a few hundred bytes */
    unsigned char *c = malloc(n);
    memcpy(c, b, n);
    int32_t dim = 300;
    int32_t bucket = 1000000;
    set_le(c, 8, (uint64_t)dim, 4);
    set_le(c, 40, (uint64_t)bucket, 4);
    set_le(c, l.quant + 1, (uint64_t)(TOY_WORDS + bucket), 8);
    set_le(c, l.quant + 9, (uint64_t)dim, 8);
    put_file(p, c, n);
    expect_error(p, "truncated file: it ends after %zu bytes, inside the input matrix "
                 "(row 1 of %d)", n, TOY_WORDS + bucket);
    gzip_file(p, g);
    expect_error(g, "truncated file: it ends after %zu bytes, inside the input matrix "
                 "(row 1 of %d)", n, TOY_WORDS + bucket);
    /* two billion dictionary entries (and no n-grams, so that the rows fit) */
    memcpy(c, b, n);
    set_le(c, 64, INT32_MAX, 4);
    set_le(c, 68, INT32_MAX, 4);
    set_le(c, 40, 0, 4);
    set_le(c, 48, 0, 4);
    put_file(p, c, n);
    struct ft_model m;
    struct w2v_err err = {{0}, 0};
    CHECK_EQ(ft_read(p, &m, &err), -1);
    CHECK(strstr(err.msg, "cannot allocate") == NULL);
    gzip_file(p, g);
    CHECK_EQ(ft_read(g, &m, &err), -1);
    CHECK(strstr(err.msg, "cannot allocate") == NULL);
    /* a prune index of 2^40 pairs */
    memcpy(c, b, n);
    set_le(c, 84, (uint64_t)1 << 40, 8);
    put_file(p, c, n);
    expect_error(p, "truncated file: it ends after %zu bytes, inside the prune index", n);
    /* a word that never ends, and one too long */
    size_t big = 70000;
    c = realloc(c, l.entry[0] + big);
    memcpy(c, b, l.entry[0]);
    memset(c + l.entry[0], 'a', big);
    put_file(p, c, l.entry[0] + 1000);
    expect_error(p, "truncated file: it ends after %zu bytes, inside dictionary entry 1 of 7",
                 l.entry[0] + 1000);
    put_file(p, c, l.entry[0] + big);
    expect_error(p, "dictionary entry 1 of 7: word longer than 65536 bytes");
    free(c);
    free(b);
}

/* lying_sizes, and under an address-space limit when no sanitizer needs the room: an
 * allocation sized by a header alone would fail there and change the messages. */
static void test_lying_sizes(void)
{
    if (getenv("W2V_SANITIZED") != NULL) {
        lying_sizes();
        return;
    }
    fflush(NULL);
    int before = harness_failed_checks;
    pid_t pid = fork();
    if (pid == 0) {
        /* 1 GiB of address space for the reader */
        struct rlimit lim = {(rlim_t)1 << 30, (rlim_t)1 << 30};
        setrlimit(RLIMIT_AS, &lim);
        lying_sizes();
        _exit(harness_failed_checks == before ? 0 : 1);
    }
    int status = 0;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_write_refusals(void)
{
    struct ft_model m;
    toy_model(&m);
    struct w2v_err err = {{0}, 0};
    const char *p = path_of("refused.bin");
    struct ft_args keep = m.args;
    m.args.dim = 0;
    CHECK_EQ(write_model(p, &m, &err), -1);
    CHECK(strstr(err.msg, "dimension 0 out of range") != NULL);
    m.args = keep;
    m.args.model = FT_SUPERVISED;
    CHECK_EQ(write_model(p, &m, &err), -1);
    CHECK(strstr(err.msg, "not a word vectors model") != NULL);
    m.args = keep;
    m.args.loss = FT_LOSS_OVA;
    CHECK_EQ(write_model(p, &m, &err), -1);
    m.args = keep;
    m.args.bucket = 0;
    CHECK_EQ(write_model(p, &m, &err), -1);
    m.args = keep;
    m.args.minn = -1;
    CHECK_EQ(write_model(p, &m, &err), -1);
    m.args = keep;
    m.counts[3] = -1;
    CHECK_EQ(write_model(p, &m, &err), -1);
    CHECK(strstr(err.msg, "word 4 is empty or has a negative count") != NULL);
    m.counts[3] = 1;
    CHECK_EQ(ft_write(p, &m.args, &m.words, m.counts, -1, m.input, m.output, &err), -1);
    struct stat st;
    CHECK(stat(p, &st) != 0);
    /* an empty word */
    strindex_append_h(&m.words, "", 0, strindex_hash("", 0));
    m.counts = realloc(m.counts, (TOY_WORDS + 1) * sizeof *m.counts);
    m.counts[TOY_WORDS] = 1;
    CHECK_EQ(write_model(p, &m, &err), -1);
    CHECK(stat(p, &st) != 0);
    ft_free(&m);
}

/* ---------------------------------------------------------------------------------- */
/* Against the fasttext program and gensim                                            */

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int run(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    fflush(NULL);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* The words of the generated text: ASCII, Latin with diacritics, Greek, Cyrillic, CJK. */
static const char *const text_words[] = {
    "the", "cat", "dog", "house", "garden", "where", "there", "here", "running", "runner",
    "runs", "water", "walker", "walking", "talk", "talked", "a", "I",
    "caf\xc3\xa9", "na\xc3\xafve", "\xc3\xbc" "ber", "stra\xc3\x9f" "e", "r\xc3\xa9sum\xc3\xa9",
    "cr\xc3\xa8me", "jalape\xc3\xb1o", "\xc3\xb8rsted",
    "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
    "\xd0\xbc\xd0\xb8\xd1\x80", "\xce\xb3\xce\xb5\xce\xb9\xce\xb1", "\xe6\x97\xa5\xe6\x9c\xac",
    "\xe6\x9d\xb1\xe4\xba\xac", "\xe5\xa4\xa7\xe5\xad\xa6", "x\xc3\xa9", "\xc3\xa9"};
enum { TEXT_WORDS = sizeof text_words / sizeof text_words[0], TEXT_LINES = 1500,
       TEXT_PER_LINE = 12 };

/* Words no generated line holds: misspellings, other forms, other scripts. */
static const char *const unseen_words[] = {
    "hous", "runnning", "gardens", "cafe", "caf\xc3\xa9s", "naive", "\xc3\xbc" "berall",
    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "Stra\xc3\x9f" "e", "xyzzy", "b", "\xc3\xa8",
    "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82\xd1\x8b", "wat", "talkers", "zz",
    "\xce\xb3\xce\xb5\xce\xb9\xce\xac", "\xe6\x9d\xb1"};
enum { UNSEEN_WORDS = sizeof unseen_words / sizeof unseen_words[0] };

/* Writes the text and returns how often each word occurs in it. */
static void make_text(const char *path, int64_t *counts)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f == NULL) {
        return;
    }
    struct rng r;
    rng_seed(&r, 11, 0);
    memset(counts, 0, TEXT_WORDS * sizeof *counts);
    for (int line = 0; line < TEXT_LINES; line++) {
        for (int k = 0; k < TEXT_PER_LINE; k++) {
            /* the smaller of two draws: earlier words are more frequent */
            uint32_t i = rng_below(&r, TEXT_WORDS);
            uint32_t j = rng_below(&r, TEXT_WORDS);
            uint32_t w = i < j ? i : j;
            counts[w]++;
            fprintf(f, "%s%s", k ? " " : "", text_words[w]);
        }
        fputc('\n', f);
    }
    fclose(f);
}

static bool close_rel(double a, double b)
{
    /* fastText prints 5 significant digits */
    double scale = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= 1e-4 * scale + 1e-30;
}

/* Compares the 'dim' numbers of 'values' (blank-separated, as fastText prints them) with
 * 'v'; returns how many differ (a missing or extra number counts). */
static int compare_values(char *values, const float *v, int dim)
{
    int bad = 0;
    char *save = NULL;
    char *tok = strtok_r(values, " \n", &save);
    for (int j = 0; j < dim; j++) {
        if (tok == NULL) {
            return bad + dim - j;
        }
        bad += !close_rel(strtod(tok, NULL), (double)v[j]);
        tok = strtok_r(NULL, " \n", &save);
    }
    return bad + (tok != NULL);
}

/* Compares fastText's print-word-vectors of 'model' for the words of 'words_file' with
 * ft_word_vector of 'm'. Returns how many words were compared. */
static int compare_word_vectors(const struct ft_model *m, const char *model,
                                const char *words_file, const char *out_file)
{
    CHECK_EQ(run("fasttext print-word-vectors '%s' < '%s' > '%s'", model, words_file,
                 out_file), 0);
    FILE *f = fopen(out_file, "r");
    CHECK(f != NULL);
    if (f == NULL) {
        return 0;
    }
    char line[8192];
    int compared = 0;
    float v[64];
    while (fgets(line, sizeof line, f) != NULL) {
        char *sp = strchr(line, ' ');
        if (sp == NULL) {
            CHECK(0);
            continue;
        }
        *sp = '\0';
        ft_word_vector(m, line, strlen(line), v);
        int bad = compare_values(sp + 1, v, m->args.dim);
        if (bad != 0) {
            fprintf(stderr, "  %s: %d values differ from fasttext's\n", line, bad);
        }
        CHECK_EQ(bad, 0);
        compared++;
    }
    fclose(f);
    return compared;
}

/* Compares fastText's print-ngrams of 'word' with the module's list: the same strings in
 * the same order (the word itself first when it is in the vocabulary), each printed
 * vector equal to the input row the module picks. */
static void compare_ngrams(const struct ft_model *m, const char *model, const char *word)
{
    const char *out = path_of("ngrams.txt");
    CHECK_EQ(run("fasttext print-ngrams '%s' '%s' > '%s'", model, word, out), 0);
    FILE *f = fopen(out, "r");
    CHECK(f != NULL);
    if (f == NULL) {
        return;
    }
    size_t len = strlen(word);
    int64_t id = ft_find(m, word, len);
    int32_t rows[512];
    size_t nrows = ft_word_rows(word, len, id, m->words.n, &m->args, rows, 512);
    struct ft_ngrams it;
    ft_ngrams_begin(&it, word, len, m->args.minn, m->args.maxn);
    char line[8192];
    size_t k = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        char *sp = strchr(line, ' ');
        CHECK(sp != NULL && k < nrows);
        if (sp == NULL || k >= nrows) {
            break;
        }
        *sp = '\0';
        char gram[256];
        size_t glen;
        if (k == 0 && id >= 0) {
            glen = len;
            memcpy(gram, word, len);
        } else {
            CHECK(ft_ngrams_next(&it));
            glen = ft_ngram_copy(&it, gram);
        }
        gram[glen] = '\0';
        if (strcmp(line, gram) != 0) {
            fprintf(stderr, "  %s: n-gram %zu is '%s' for fasttext, '%s' here\n", word, k,
                    line, gram);
            CHECK(0);
        }
        const float *row = m->input + (size_t)rows[k] * (size_t)m->args.dim;
        CHECK_EQ(compare_values(sp + 1, row, m->args.dim), 0);
        k++;
    }
    fclose(f);
    CHECK_EQ(k, nrows);
}

/* Writes the list of words 'a' (then 'b') to 'path', one a line. */
static void put_words(const char *path, const char *const *a, int na, const char *const *b,
                      int nb)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f == NULL) {
        return;
    }
    for (int i = 0; i < na; i++) {
        fprintf(f, "%s\n", a[i]);
    }
    for (int i = 0; i < nb; i++) {
        fprintf(f, "%s\n", b[i]);
    }
    fclose(f);
}

static void test_against_fasttext(void)
{
    if (run("command -v fasttext > /dev/null 2>&1") != 0) {
        SKIP("no fasttext command: comparisons with fastText's own files");
        return;
    }
    int64_t counts[TEXT_WORDS];
    make_text(path_of("t.txt"), counts);
    CHECK_EQ(run("cd '%s' && fasttext skipgram -input t.txt -output m -dim 10 -minn 3 "
                 "-maxn 5 -epoch 1 -minCount 1 -bucket 1000 -thread 1 -verbose 0", dir), 0);
    /* paths kept for the whole test (path_of's results are reused) */
    char bin[512], words_file[512], again[512], cbin[512];
    snprintf(bin, sizeof bin, "%s", path_of("m.bin"));
    snprintf(words_file, sizeof words_file, "%s", path_of("words.txt"));
    snprintf(again, sizeof again, "%s", path_of("again.bin"));
    snprintf(cbin, sizeof cbin, "%s", path_of("c.bin"));
    struct ft_model m;
    struct w2v_err err = {{0}, 0};
    CHECK_EQ(ft_read(bin, &m, &err), 0);
    if (m.input == NULL) {
        fprintf(stderr, "  %s\n", err.msg);
        return;
    }
    /* the arguments given and the words counted */
    CHECK_EQ(m.args.dim, 10);
    CHECK_EQ(m.args.minn, 3);
    CHECK_EQ(m.args.maxn, 5);
    CHECK_EQ(m.args.bucket, 1000);
    CHECK_EQ(m.args.epoch, 1);
    CHECK_EQ(m.args.min_count, 1);
    CHECK_EQ(m.args.model, FT_SKIPGRAM);
    CHECK_EQ(m.args.loss, FT_LOSS_NS);
    CHECK_EQ(m.words.n, TEXT_WORDS + 1);
    for (int i = 0; i < TEXT_WORDS; i++) {
        int64_t id = ft_find(&m, text_words[i], strlen(text_words[i]));
        CHECK(id >= 0);
        CHECK(id < 0 || m.counts[id] == counts[i]);
    }
    int64_t eos = ft_find(&m, "</s>", 4);
    CHECK(eos >= 0 && m.counts[eos] == TEXT_LINES);
    CHECK_EQ(m.ntokens, TEXT_LINES * (TEXT_PER_LINE + 1));

    /* vectors of every vocabulary word, of the end-of-line token and of unseen words */
    for (int i = 0; i < UNSEEN_WORDS; i++) {
        CHECK_EQ(ft_find(&m, unseen_words[i], strlen(unseen_words[i])), -1);
    }
    const char *eos_word[] = {"</s>"};
    put_words(words_file, text_words, TEXT_WORDS, unseen_words, UNSEEN_WORDS);
    FILE *f = fopen(words_file, "a");
    if (f != NULL) {
        fprintf(f, "%s\n", eos_word[0]);
        fclose(f);
    }
    int compared = compare_word_vectors(&m, bin, words_file, path_of("vectors.txt"));
    CHECK_EQ(compared, TEXT_WORDS + UNSEEN_WORDS + 1);
    /* an unseen word's vector is not zero (its n-grams were found) */
    float v[10];
    ft_word_vector(&m, "runnning", 8, v);
    CHECK(v[0] != 0 || v[1] != 0);
    /* the .vec vectors are the same */
    float *all = NULL;
    CHECK_EQ(ft_vocab_vectors(&m, &all, &err), 0);
    for (int64_t i = 0; all != NULL && i < m.words.n; i++) {
        const char *w = strindex_str(&m.words, i);
        ft_word_vector(&m, w, strlen(w), v);
        CHECK(memcmp(v, all + i * 10, sizeof v) == 0);
    }
    free(all);
    /* n-gram lists and rows (a model with negative sampling takes fastText a while to
     * load, so one word here; the CBOW model below takes them all) */
    const char *probe[] = {"where", "caf\xc3\xa9", "naive", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e",
                           "\xc3\xbc\x62\x65rall", "runnning", "a", "\xc3\xa9"};
    compare_ngrams(&m, bin, probe[1]);

    /* written back: the same bytes */
    CHECK_EQ(ft_write(again, &m.args, &m.words, m.counts, m.ntokens, m.input, m.output, &err),
             0);
    CHECK_EQ(run("cmp -s '%s' '%s'", bin, again), 0);
    /* a model changed here is read by fastText as changed */
    m.input[(size_t)ft_find(&m, "cat", 3) * 10] += 1.0f;
    m.input[(size_t)(m.words.n + 17) * 10 + 3] -= 0.5f;
    CHECK_EQ(ft_write(again, &m.args, &m.words, m.counts, m.ntokens, m.input, m.output, &err),
             0);
    CHECK_EQ(compare_word_vectors(&m, again, words_file, path_of("vectors2.txt")), compared);
    ft_free(&m);

    /* single-character n-grams, CBOW, hierarchical softmax, few buckets */
    CHECK_EQ(run("cd '%s' && fasttext cbow -input t.txt -output c -dim 4 -minn 1 -maxn 2 "
                 "-epoch 1 -minCount 1 -bucket 50 -loss hs -thread 1 -verbose 0", dir), 0);
    CHECK_EQ(ft_read(cbin, &m, &err), 0);
    if (m.input != NULL) {
        CHECK_EQ(m.args.model, FT_CBOW);
        CHECK_EQ(m.args.loss, FT_LOSS_HS);
        for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++) {
            compare_ngrams(&m, cbin, probe[i]);
        }
        CHECK_EQ(compare_word_vectors(&m, cbin, words_file, path_of("c.txt")), compared);
        const char *c2 = path_of("c2.bin");
        CHECK_EQ(ft_write(c2, &m.args, &m.words, m.counts, m.ntokens, m.input, m.output, &err),
                 0);
        CHECK_EQ(run("cmp -s '%s' '%s'", cbin, c2), 0);
        ft_free(&m);
    }
}

/* Models fastText makes that are not word vectors models. */
static void test_fasttext_refusals(void)
{
    if (run("command -v fasttext > /dev/null 2>&1") != 0) {
        SKIP("no fasttext command: comparisons with fastText's own files");
        return;
    }
    FILE *f = fopen(path_of("s.txt"), "w");
    CHECK(f != NULL);
    if (f == NULL) {
        return;
    }
    struct rng r;
    rng_seed(&r, 5, 0);
    for (int i = 0; i < 400; i++) {
        int label = (int)rng_below(&r, 2);
        fprintf(f, "__label__%c", 'a' + label);
        for (int k = 0; k < 8; k++) {
            fprintf(f, " w%u", rng_below(&r, 20) + (unsigned)label * 10);
        }
        fputc('\n', f);
    }
    fclose(f);
    /* quantizing needs at least 256 input rows: word bigrams in 300 buckets give them */
    CHECK_EQ(run("cd '%s' && fasttext supervised -input s.txt -output s -dim 10 -epoch 1 "
                 "-thread 1 -verbose 0 -wordNgrams 2 -bucket 300 -loss hs && "
                 "fasttext quantize -input s.txt -output s -verbose 0", dir), 0);
    expect_error(path_of("s.bin"), "a supervised fastText model (2 labels), not a word "
                 "vectors model");
    expect_error(path_of("s.ftz"), "quantized fastText models are not supported yet");
}

/* gensim's exit status when it cannot be imported. */
#define NO_GENSIM 3

/* Runs the gensim script on the pairs of model and word list in 'args' (each model's
 * vectors go to MODEL.gensim) with python3, else /usr/bin/python3. Returns false when
 * neither has gensim. */
static bool run_gensim(const char *args)
{
    const char *script = path_of("load.py");
    FILE *f = fopen(script, "w");
    CHECK(f != NULL);
    if (f == NULL) {
        return true;
    }
    fputs("import sys\n"
          "try:\n"
          "    from gensim.models.fasttext import load_facebook_model\n"
          "except ImportError:\n"
          "    sys.exit(3)\n"
          "for model, words in zip(sys.argv[1::2], sys.argv[2::2]):\n"
          "    m = load_facebook_model(model)\n"
          "    with open(words, encoding='utf-8') as inp, \\\n"
          "            open(model + '.gensim', 'w', encoding='utf-8') as out:\n"
          "        for w in inp.read().split():\n"
          "            print(w, ' '.join('%.9g' % x for x in m.wv[w]), file=out)\n",
          f);
    fclose(f);
    static const char *const pythons[] = {"python3", "/usr/bin/python3"};
    for (size_t i = 0; i < sizeof pythons / sizeof pythons[0]; i++) {
        int rc = run("%s '%s' %s 2> '%s'", pythons[i], script, args, path_of("gensim.err"));
        if (rc == 0) {
            return true;
        }
        if (rc != NO_GENSIM && rc != 127) {
            fprintf(stderr, "  gensim failed (status %d):\n", rc);
            run("tail -n 5 '%s' >&2", path_of("gensim.err"));
            CHECK(0);
            return true;
        }
    }
    return false;
}

/* Compares gensim's vectors in 'model'.gensim with the module's for 'm'; returns how
 * many words were compared. */
static int compare_gensim(const struct ft_model *m, const char *model)
{
    char out[600];
    snprintf(out, sizeof out, "%s.gensim", model);
    FILE *f = fopen(out, "r");
    CHECK(f != NULL);
    if (f == NULL) {
        return 0;
    }
    char line[8192];
    float v[64];
    int compared = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        char *sp = strchr(line, ' ');
        CHECK(sp != NULL);
        if (sp == NULL) {
            continue;
        }
        *sp = '\0';
        ft_word_vector(m, line, strlen(line), v);
        int bad = compare_values(sp + 1, v, m->args.dim);
        if (bad != 0) {
            fprintf(stderr, "  gensim: %s: %d values differ\n", line, bad);
        }
        CHECK_EQ(bad, 0);
        compared++;
    }
    fclose(f);
    return compared;
}

/* gensim's load_facebook_model loads a model written here, and the one fastText trained
 * and this module wrote back (when the fasttext program made it); their vectors agree.
 * The end-of-line token is left out: gensim gives it n-grams, fastText does not. */
static void test_gensim(void)
{
    struct ft_model m;
    toy_model(&m);
    m.args.model = FT_SKIPGRAM;
    m.args.loss = FT_LOSS_NS;
    struct w2v_err err = {{0}, 0};
    char toy[512], toy_words_file[512], again[512], words_file[512];
    snprintf(toy, sizeof toy, "%s", path_of("for-gensim.bin"));
    snprintf(toy_words_file, sizeof toy_words_file, "%s", path_of("gwords.txt"));
    snprintf(again, sizeof again, "%s", path_of("again.bin"));
    snprintf(words_file, sizeof words_file, "%s", path_of("gwords2.txt"));
    CHECK_EQ(write_model(toy, &m, &err), 0);
    put_words(toy_words_file, toy_words + 1, TOY_WORDS - 1, unseen_words, UNSEEN_WORDS);
    char args[2200];
    snprintf(args, sizeof args, "'%s' '%s'", toy, toy_words_file);
    struct stat st;
    bool trained = stat(again, &st) == 0;
    struct ft_model back;
    memset(&back, 0, sizeof back);
    if (trained) {
        CHECK_EQ(ft_read(again, &back, &err), 0);
        put_words(words_file, text_words, TEXT_WORDS, unseen_words, UNSEEN_WORDS);
        size_t used = strlen(args);
        snprintf(args + used, sizeof args - used, " '%s' '%s'", again, words_file);
    }
    if (!run_gensim(args)) {
        SKIP("no gensim: loading written models in gensim");
    } else {
        CHECK_EQ(compare_gensim(&m, toy), TOY_WORDS - 1 + UNSEEN_WORDS);
        if (trained && back.input != NULL) {
            CHECK_EQ(compare_gensim(&back, again), TEXT_WORDS + UNSEEN_WORDS);
        }
    }
    ft_free(&back);
    ft_free(&m);
}

int main(void)
{
    harness_scratch(dir);
    RUN(test_hash_values);
    RUN(test_ngram_lists);
    RUN(test_rows);
    RUN(test_layout);
    RUN(test_round_trip);
    RUN(test_large_matrix_from_gzip);
    RUN(test_word_vectors);
    RUN(test_truncated_everywhere);
    RUN(test_bad_headers);
    RUN(test_lying_sizes);
    RUN(test_write_refusals);
    RUN(test_against_fasttext);
    RUN(test_fasttext_refusals);
    RUN(test_gensim);
    harness_scratch_remove(dir);
    TEST_MAIN("fasttext");
}
