/* Unit tests of corpus: tokenisation rules, gzip and stdin input giving the same ids as
 * plain text, long tokens, byte order marks (also in shares), gzip errors. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "text/corpus.h"
#include "harness.h"
#include "base/w2v.h"

static char dir[] = "/tmp/w2v-corpus-XXXXXX";

static const char *path_of(const char *name)
{
    static char buf[4][512];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

static void write_plain(const char *name, const char *data, size_t n)
{
    FILE *f = fopen(path_of(name), "wb");
    CHECK(f != NULL);
    CHECK(fwrite(data, 1, n, f) == n);
    fclose(f);
}

static void write_gzip(const char *name, const char *data, size_t n, const char *mode)
{
    gzFile g = gzopen(path_of(name), mode);
    CHECK(g != NULL);
    CHECK(gzwrite(g, data, (unsigned)n) == (int)n);
    gzclose(g);
}

/* Reads 'name' with a fresh vocabulary; returns the stream as "word word ..." text, with
 * "</s>" for line ends, or "ERROR: message". */
static char *read_as_text(const char *path, struct corpus_stats *st)
{
    struct vocab v;
    vocab_init(&v);
    struct idstream s;
    idstream_init(&s, SIZE_MAX, NULL);
    struct corpus_stats local;
    struct corpus_stats *stats = st ? st : &local;
    memset(stats, 0, sizeof *stats);
    struct w2v_err err = {{0}, 0};
    char *out = calloc(1, 1 << 16);
    if (corpus_read(path, &v, false, &s, NULL, stats, &err) != 0 ||
        idstream_finish(&s, &err) != 0) {
        snprintf(out, 1 << 16, "ERROR: %s", err.msg);
    } else {
        size_t at = 0;
        struct idreader r = {0};
        CHECK_EQ(idreader_open(&r, &s, 0, s.n, &err), 0);
        for (int64_t i = 0; i < s.n; i++) {
            at += (size_t)snprintf(out + at, (1 << 16) - at, "%s%s", i ? " " : "",
                                   vocab_word(&v, (int32_t)idreader_next(&r)));
        }
        idreader_close(&r);
    }
    idstream_free(&s);
    vocab_free(&v);
    return out;
}

static void expect_tokens(const char *input, size_t n, const char *want)
{
    write_plain("in.txt", input, n);
    char *got = read_as_text(path_of("in.txt"), NULL);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "  input %zu bytes: got '%s', want '%s'\n", n, got, want);
        CHECK(0);
    }
    free(got);
}

static void test_separators(void)
{
    const char crlf[] = "a b\r\nc\td\r\n";
    expect_tokens(crlf, sizeof crlf - 1, "a b </s> c d </s>");
    const char tabs[] = "\t\ta\t \tb\n\n c";
    expect_tokens(tabs, sizeof tabs - 1, "a b </s> </s> c </s>"); /* the end ends a sentence */
    const char nul[] = "x\0y z";
    expect_tokens(nul, sizeof nul - 1, "x y z </s>");
    const char vf[] = "p\vq\fr";
    expect_tokens(vf, sizeof vf - 1, "p q r </s>");
    int wrong = 0;
    for (int c = 0; c < 256; c++) {
        enum corpus_byte want = c == '\n' ? CORPUS_NEWLINE
                              : c == ' ' || (c >= '\t' && c <= '\r') || c == 0 ? CORPUS_SPACE
                                                                                : CORPUS_WORD;
        wrong += corpus_byte_of((unsigned char)c) != want;
    }
    CHECK_EQ(wrong, 0);
}

/* What the tokenizer reported, as text: "T<len>:<bytes>:<hash>:<cut>" and "L" lines. */
struct event_log {
    char *buf;
    size_t len;
    size_t cap;
};

static void log_add(struct event_log *g, const char *data, size_t n)
{
    if (g->len + n > g->cap) {
        g->cap = (g->len + n) * 2;
        g->buf = realloc(g->buf, g->cap);
        CHECK(g->buf != NULL);
    }
    memcpy(g->buf + g->len, data, n);
    g->len += n;
}

static int log_token(void *ctx, const char *tok, size_t len, uint64_t h, bool cut)
{
    struct event_log *g = ctx;
    char head[64];
    log_add(g, head, (size_t)snprintf(head, sizeof head, "T%zu:", len));
    log_add(g, tok, len);
    log_add(g, head, (size_t)snprintf(head, sizeof head, ":%llx:%d\n", (unsigned long long)h,
                                      cut));
    /* the hash handed on is the index's own hash of the text */
    CHECK(h == strindex_hash(tok, len));
    return 0;
}

static int log_line(void *ctx)
{
    log_add(ctx, "L\n", 2);
    return 0;
}

/* Tokenizes 'n' bytes in pieces of at most 'piece' bytes (0: whole) into 'g'. */
static void tokenize_pieces(const unsigned char *data, size_t n, size_t piece, unsigned seed,
                            struct event_log *g)
{
    struct corpus_tok t;
    corpus_tok_init(&t);
    for (size_t at = 0; at < n;) {
        size_t k = piece == 0 ? n : 1 + (seed = seed * 1103515245u + 12345u) / 65536 % piece;
        k = k < n - at ? k : n - at;
        /* a copy of exactly the piece, so that reading past it is caught by the sanitizers */
        unsigned char *copy = malloc(k);
        CHECK(copy != NULL);
        memcpy(copy, data + at, k);
        CHECK_EQ(corpus_tokenize(&t, copy, k, log_token, log_line, g), 0);
        free(copy);
        at += k;
    }
    CHECK_EQ(corpus_tok_flush(&t, log_token, g), 0);
}

/* Every byte value, runs of word bytes long and short (past W2V_MAX_WORD too, with UTF-8
 * sequences to cut) and every separator: the tokens and line ends are the same whether the
 * text comes whole or in pieces of any size, and each token is a longest run of bytes the
 * class table calls word bytes. */
static void test_tokenizer_pieces(void)
{
    enum { N = 20000 };
    unsigned char *data = malloc(N);
    CHECK(data != NULL);
    unsigned seed = 7;
    for (size_t i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 16;
        if (r % 7 == 0) {
            static const unsigned char seps[] = " \t\n\v\f\r";
            data[i] = r % 23 == 0 ? 0 : seps[r / 7 % 6];
        } else if (r % 5 == 0) {
            data[i] = (unsigned char)(r >> 3); /* any byte at all */
        } else {
            data[i] = (unsigned char)('a' + r % 26);
        }
    }
    memset(data + 5000, 'x', 600);                  /* a token cut at W2V_MAX_WORD */
    for (size_t i = 9000; i < 9400; i += 2) {       /* a cut inside a two-byte character */
        data[i] = 0xc3;
        data[i + 1] = 0xa9;
    }
    struct event_log whole = {0};
    tokenize_pieces(data, N, 0, 0, &whole);
    for (size_t piece = 1; piece <= 40; piece += 13) {
        struct event_log cut = {0};
        tokenize_pieces(data, N, piece, (unsigned)piece, &cut);
        CHECK(cut.len == whole.len && memcmp(cut.buf, whole.buf, whole.len) == 0);
        free(cut.buf);
    }
    /* the tokens against a byte-at-a-time reading with the class table */
    struct corpus_tok t;
    corpus_tok_init(&t);
    struct event_log ref = {0};
    size_t start = 0;
    for (size_t i = 0; i <= N; i++) {
        bool sep = i == N || t.cls[data[i]] != CORPUS_WORD;
        if (sep && i > start && i - start <= W2V_MAX_WORD) {
            log_token(&ref, (const char *)data + start, i - start,
                      strindex_hash((const char *)data + start, i - start), false);
        } else if (sep && i > start) {
            /* cut at W2V_MAX_WORD, or before the character the first dropped byte is in */
            size_t len = W2V_MAX_WORD;
            if ((data[start + len] & 0xc0) == 0x80) {
                size_t lead = len;
                while (lead > len - 3 && (data[start + lead - 1] & 0xc0) == 0x80) {
                    lead--;
                }
                if ((data[start + lead - 1] & 0xc0) == 0xc0) {
                    len = lead - 1;
                }
            }
            log_token(&ref, (const char *)data + start, len,
                      strindex_hash((const char *)data + start, len), true);
        }
        if (i < N && t.cls[data[i]] == CORPUS_NEWLINE) {
            log_line(&ref);
        }
        if (sep) {
            start = i + 1;
        }
    }
    CHECK(ref.len == whole.len && memcmp(ref.buf, whole.buf, whole.len) == 0);
    free(ref.buf);
    free(whole.buf);
    free(data);
}

static void test_empty(void)
{
    struct corpus_stats st;
    write_plain("empty.txt", "", 0);
    char *got = read_as_text(path_of("empty.txt"), &st);
    CHECK(strcmp(got, "") == 0);
    CHECK_EQ(st.tokens, 0);
    free(got);
    write_plain("blank.txt", " \n\t\n", 4);
    got = read_as_text(path_of("blank.txt"), &st);
    CHECK(strcmp(got, "</s> </s>") == 0);
    CHECK_EQ(st.tokens, 0);
    free(got);
}

static void test_counts(void)
{
    const char text[] = "b a b\nc b\n";
    write_plain("c.txt", text, sizeof text - 1);
    struct vocab v;
    vocab_init(&v);
    struct idstream s;
    idstream_init(&s, SIZE_MAX, NULL);
    struct corpus_stats st = {0};
    struct w2v_err err;
    CHECK_EQ(corpus_read(path_of("c.txt"), &v, false, &s, NULL, &st, &err), 0);
    CHECK_EQ(st.tokens, 5);
    CHECK_EQ(st.lines, 2);
    CHECK_EQ(v.count[0], 2);
    CHECK_EQ(v.count[strindex_find(&v.words, "b")], 3);
    /* a fixed vocabulary drops unknown words and keeps the counts */
    int32_t *map = NULL;
    vocab_prune(&v, 2, 0, &map);
    free(map);
    struct idstream s2;
    idstream_init(&s2, SIZE_MAX, NULL);
    memset(&st, 0, sizeof st);
    CHECK_EQ(corpus_read(path_of("c.txt"), &v, true, &s2, NULL, &st, &err), 0);
    CHECK_EQ(s2.n, 5); /* b b </s> b </s> */
    CHECK_EQ(st.dropped, 2);
    CHECK_EQ(v.count[1], 3);
    idstream_free(&s);
    idstream_free(&s2);
    vocab_free(&v);
}

static void test_long_tokens(void)
{
    /* 254 ASCII bytes then a 2-byte character straddling the 255-byte limit. */
    char buf[600];
    memset(buf, 'a', 254);
    buf[254] = (char)0xC3;
    buf[255] = (char)0xA9;
    memcpy(buf + 256, "xyz short\n", 10);
    write_plain("long.txt", buf, 266);
    struct corpus_stats st;
    char *got = read_as_text(path_of("long.txt"), &st);
    CHECK_EQ(st.truncated, 1);
    /* the cut drops the split character whole: 254 bytes remain */
    char *sp = strchr(got, ' ');
    CHECK(sp != NULL && sp - got == 254);
    CHECK(sp != NULL && strcmp(sp, " short </s>") == 0);
    free(got);
    /* a token of exactly the limit is not cut */
    memset(buf, 'b', W2V_MAX_WORD);
    buf[W2V_MAX_WORD] = '\n';
    write_plain("exact.txt", buf, W2V_MAX_WORD + 1);
    got = read_as_text(path_of("exact.txt"), &st);
    CHECK_EQ(st.truncated, 0);
    CHECK_EQ(strlen(got), W2V_MAX_WORD + strlen(" </s>"));
    free(got);
    /* a multi-megabyte token is one cut token */
    size_t big = 5 << 20;
    char *huge = malloc(big);
    memset(huge, 'z', big);
    huge[big - 1] = '\n';
    write_plain("huge.txt", huge, big);
    free(huge);
    got = read_as_text(path_of("huge.txt"), &st);
    CHECK_EQ(st.truncated, 1);
    CHECK_EQ(st.tokens, 1);
    free(got);
}

static void test_gzip_and_stdin_match_plain(void)
{
    const char text[] = "the quick brown fox\njumps over\r\nthe lazy dog";
    size_t n = sizeof text - 1;
    write_plain("p.txt", text, n);
    write_gzip("p.gz", text, n, "wb9");
    /* two concatenated gzip members */
    write_gzip("m1.gz", text, 20, "wb");
    write_gzip("m2.gz", text + 20, n - 20, "wb");
    FILE *out = fopen(path_of("multi.gz"), "wb");
    for (int k = 0; k < 2; k++) {
        FILE *in = fopen(path_of(k ? "m2.gz" : "m1.gz"), "rb");
        char b[4096];
        size_t got;
        while ((got = fread(b, 1, sizeof b, in)) > 0) {
            fwrite(b, 1, got, out);
        }
        fclose(in);
    }
    fclose(out);
    char *plain = read_as_text(path_of("p.txt"), NULL);
    char *gz = read_as_text(path_of("p.gz"), NULL);
    char *multi = read_as_text(path_of("multi.gz"), NULL);
    CHECK(strcmp(plain, "the quick brown fox </s> jumps over </s> the lazy dog </s>") == 0);
    CHECK(strcmp(plain, gz) == 0);
    CHECK(strcmp(plain, multi) == 0);
    int saved = dup(STDIN_FILENO);
    int fd = open(path_of("p.gz"), O_RDONLY);
    dup2(fd, STDIN_FILENO);
    close(fd);
    char *in = read_as_text("-", NULL);
    dup2(saved, STDIN_FILENO);
    close(saved);
    CHECK(strcmp(plain, in) == 0);
    free(plain);
    free(gz);
    free(multi);
    free(in);
}

/* Reads the bytes [begin, end) of 'path' as a share (see corpus_read_share); returns the
 * stream as read_as_text does. */
static char *read_share(const char *path, int64_t begin, int64_t end)
{
    struct vocab v;
    vocab_init(&v);
    struct idstream s;
    idstream_init(&s, SIZE_MAX, NULL);
    struct corpus_stats st;
    memset(&st, 0, sizeof st);
    struct corpus_share share = {.begin = begin, .end = end, .deal = 0, .of = 1};
    struct w2v_err err = {{0}, 0};
    char *out = calloc(1, 1 << 12);
    if (corpus_read_share(path, &share, &v, false, &s, NULL, &st, &err) != 0 ||
        idstream_finish(&s, &err) != 0) {
        snprintf(out, 1 << 12, "ERROR: %s", err.msg);
    } else {
        size_t at = 0;
        struct idreader r = {0};
        CHECK_EQ(idreader_open(&r, &s, 0, s.n, &err), 0);
        for (int64_t i = 0; i < s.n; i++) {
            at += (size_t)snprintf(out + at, (1 << 12) - at, "%s%s", i ? " " : "",
                                   vocab_word(&v, (int32_t)idreader_next(&r)));
        }
        idreader_close(&r);
    }
    idstream_free(&s);
    vocab_free(&v);
    return out;
}

/* A byte order mark never becomes part of the first word: in a plain file, in gzip, and
 * in the first share of a file cut into byte ranges, which must still end where the next
 * one starts. */
static void test_byte_order_mark(void)
{
    const char text[] = "\xef\xbb\xbf" "anarchism is\nanarchism was\n";
    write_plain("bom.txt", text, sizeof text - 1);
    write_gzip("bom.gz", text, sizeof text - 1, "wb");
    const char *want = "anarchism is </s> anarchism was </s>";
    char *got = read_as_text(path_of("bom.txt"), NULL);
    CHECK(strcmp(got, want) == 0);
    free(got);
    got = read_as_text(path_of("bom.gz"), NULL);
    CHECK(strcmp(got, want) == 0);
    free(got);
    int64_t cut = 3 + (int64_t)strlen("anarchism is\n");
    got = read_share(path_of("bom.txt"), 0, cut);
    CHECK(strcmp(got, "anarchism is </s>") == 0);
    free(got);
    got = read_share(path_of("bom.txt"), cut, (int64_t)sizeof text - 1);
    CHECK(strcmp(got, "anarchism was </s>") == 0);
    free(got);
}

static void test_gzip_errors(void)
{
    char text[20000];
    for (size_t i = 0; i < sizeof text; i++) {
        text[i] = (char)("abcdefgh \n"[(i * 7 + i / 13) % 10]);
    }
    write_gzip("t.gz", text, sizeof text, "wb");
    FILE *f = fopen(path_of("t.gz"), "rb");
    unsigned char gz[40000];
    size_t n = fread(gz, 1, sizeof gz, f);
    fclose(f);
    write_plain("trunc.gz", (const char *)gz, n / 2);
    char *got = read_as_text(path_of("trunc.gz"), NULL);
    CHECK(strstr(got, "ERROR: ") == got && strstr(got, "truncated") != NULL);
    free(got);
    gz[n / 2] ^= 0xFF;
    gz[n / 2 + 1] ^= 0x5A;
    write_plain("bad.gz", (const char *)gz, n);
    got = read_as_text(path_of("bad.gz"), NULL);
    CHECK(strstr(got, "ERROR: ") == got);
    free(got);
    got = read_as_text(path_of("missing.txt"), NULL);
    CHECK(strstr(got, "No such file") != NULL);
    free(got);
    got = read_as_text(dir, NULL);
    CHECK(strstr(got, "Is a directory") != NULL);
    free(got);
}

int main(void)
{
    harness_scratch(dir);
    RUN(test_separators);
    RUN(test_tokenizer_pieces);
    RUN(test_empty);
    RUN(test_counts);
    RUN(test_long_tokens);
    RUN(test_gzip_and_stdin_match_plain);
    RUN(test_byte_order_mark);
    RUN(test_gzip_errors);
    harness_scratch_remove(dir);
    TEST_MAIN("corpus");
}
