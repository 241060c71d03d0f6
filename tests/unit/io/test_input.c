/* Unit tests of input: plain and gzip data (concatenated members, truncated, corrupt,
 * followed by other data), byte order marks, refused compressors, lines, look-ahead,
 * standard input, directories. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "harness.h"
#include "io/input.h"

static char dir[] = "/tmp/w2v-test-XXXXXX";

static const char *path_of(const char *name)
{
    static char buf[4][256];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 256, "%s/%s", dir, name);
    return p;
}

static void write_file(const char *name, const void *data, size_t n)
{
    FILE *f = fopen(path_of(name), "wb");
    CHECK(f != NULL && fwrite(data, 1, n, f) == n);
    fclose(f);
}

/* Gzips 'text' into 'name' as 'members' concatenated members of about equal size. */
static size_t write_gzip(const char *name, const char *text, int members)
{
    const char *p = path_of(name);
    FILE *f = fopen(p, "wb");
    fclose(f);
    size_t n = strlen(text);
    for (int m = 0; m < members; m++) {
        gzFile g = gzopen(p, "ab");
        size_t from = n * (size_t)m / (size_t)members;
        size_t to = n * (size_t)(m + 1) / (size_t)members;
        gzwrite(g, text + from, (unsigned)(to - from));
        gzclose(g);
    }
    FILE *r = fopen(p, "rb");
    fseek(r, 0, SEEK_END);
    size_t size = (size_t)ftell(r);
    fclose(r);
    return size;
}

/* Reads all of 'name' with input_read in chunks of 'chunk'; returns malloc'ed text or NULL
 * with the error in 'err'. */
static char *slurp(const char *name, size_t chunk, struct w2v_err *err)
{
    struct input in;
    if (input_open(&in, name[0] == '-' ? "-" : path_of(name), err) != 0) {
        return NULL;
    }
    size_t cap = 1 << 20;
    char *out = malloc(cap + 1);
    size_t len = 0;
    for (;;) {
        int64_t got = input_read(&in, out + len, chunk < cap - len ? chunk : cap - len, err);
        if (got < 0) {
            free(out);
            input_close(&in);
            return NULL;
        }
        if (got == 0) {
            break;
        }
        len += (size_t)got;
    }
    out[len] = '\0';
    input_close(&in);
    return out;
}

static char *sample_text(void)
{
    char *t = malloc(300000);
    size_t at = 0;
    for (int i = 0; at < 290000; i++) {
        at += (size_t)sprintf(t + at, "word%d%s", i % 977, i % 13 == 12 ? "\n" : " ");
    }
    return t;
}

static void test_plain_and_gzip_agree(void)
{
    char *text = sample_text();
    write_file("plain.txt", text, strlen(text));
    write_gzip("one.gz", text, 1);
    write_gzip("three.gz", text, 3);
    struct w2v_err err;
    const char *names[] = {"plain.txt", "one.gz", "three.gz"};
    size_t chunks[] = {1, 4096, 1 << 20};
    for (int i = 0; i < 3; i++) {
        for (int c = 0; c < 3; c++) {
            if (chunks[c] == 1 && i > 0) {
                continue; /* byte by byte once is enough */
            }
            char *got = slurp(names[i], chunks[c], &err);
            CHECK(got != NULL && strcmp(got, text) == 0);
            free(got);
        }
    }
    free(text);
}

static void test_gzip_damage(void)
{
    char *text = sample_text();
    size_t size = write_gzip("good.gz", text, 1);
    FILE *f = fopen(path_of("good.gz"), "rb");
    unsigned char *gz = malloc(size);
    CHECK(fread(gz, 1, size, f) == size);
    fclose(f);
    write_file("trunc.gz", gz, size / 2);
    struct w2v_err err;
    CHECK(slurp("trunc.gz", 65536, &err) == NULL);
    CHECK(strstr(err.msg, "trunc.gz: truncated gzip data") != NULL);
    memset(gz + 40, 'X', 16);
    write_file("corrupt.gz", gz, size);
    CHECK(slurp("corrupt.gz", 65536, &err) == NULL);
    CHECK(strstr(err.msg, "corrupt.gz: corrupt gzip data") != NULL);
    free(gz);
    free(text);
}

/* Reads all of 'path' into a malloc'ed string; returns NULL with 'err' set on failure. */
static char *slurp_path(const char *path, struct w2v_err *err)
{
    struct input in;
    if (input_open(&in, path, err) != 0) {
        return NULL;
    }
    size_t cap = 1 << 20;
    char *out = malloc(cap + 1);
    size_t len = 0;
    int64_t got;
    while ((got = input_read(&in, out + len, cap - len, err)) > 0) {
        len += (size_t)got;
    }
    input_close(&in);
    if (got < 0) {
        free(out);
        return NULL;
    }
    out[len] = '\0';
    return out;
}

/* Writes the 'n' bytes of 'gz' and then the 'm' bytes of 'tail' to 'name'. */
static void write_with_tail(const char *name, const unsigned char *gz, size_t n,
                            const void *tail, size_t m)
{
    FILE *f = fopen(path_of(name), "wb");
    CHECK(f != NULL && fwrite(gz, 1, n, f) == n && fwrite(tail, 1, m, f) == m);
    fclose(f);
}

/* What follows the last gzip member: zeros are padding, anything else an error at the
 * offset where the gzip data ends; a second member that is cut or corrupt is an error of
 * its own. */
static void test_gzip_trailing_data(void)
{
    char *text = sample_text();
    size_t size = write_gzip("base.gz", text, 1);
    unsigned char *gz = malloc(2 * size);
    FILE *f = fopen(path_of("base.gz"), "rb");
    CHECK(fread(gz, 1, size, f) == size);
    fclose(f);
    memcpy(gz + size, gz, size); /* two members */
    char *twice = malloc(2 * strlen(text) + 1);
    sprintf(twice, "%s%s", text, text);
    struct w2v_err err;
    char want[512];
    snprintf(want, sizeof want, "%s: trailing garbage after gzip data at byte offset %zu",
             path_of("t.gz"), size);

    static const unsigned char zeros[1000];
    write_with_tail("t.gz", gz, size, zeros, sizeof zeros);
    char *got = slurp_path(path_of("t.gz"), &err);
    CHECK(got != NULL && strcmp(got, text) == 0);
    free(got);

    /* junk, a member whose magic number is damaged, zeros then junk, one odd byte */
    static const struct {
        const char *tail;
        size_t n;
    } bad[] = {
        {"junk appended\n", 14},
        {"\x1f\x8c\x08\x00\x00\x00\x00\x00\x00\x03", 10},
        {"\x00\x00\x00\x00x", 5},
        {"\x1f", 1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_with_tail("t.gz", gz, size, bad[i].tail, bad[i].n);
        CHECK(slurp_path(path_of("t.gz"), &err) == NULL);
        CHECK(strcmp(err.msg, want) == 0);
    }
    /* after two members, the offset is past both; a line reader sees the same error */
    write_with_tail("t.gz", gz, 2 * size, "?", 1);
    snprintf(want, sizeof want, "%s: trailing garbage after gzip data at byte offset %zu",
             path_of("t.gz"), 2 * size);
    CHECK(slurp_path(path_of("t.gz"), &err) == NULL);
    CHECK(strcmp(err.msg, want) == 0);
    struct input in;
    CHECK(input_open(&in, path_of("t.gz"), &err) == 0);
    char *line;
    size_t len;
    int rc;
    while ((rc = input_line(&in, &line, &len, 1 << 20, &err)) == 1) {
    }
    CHECK(rc == -1 && strcmp(err.msg, want) == 0);
    input_close(&in);

    /* two whole members are read whole; a second member cut short or corrupt fails */
    write_with_tail("t.gz", gz, 2 * size, "", 0);
    got = slurp_path(path_of("t.gz"), &err);
    CHECK(got != NULL && strcmp(got, twice) == 0);
    free(got);
    write_with_tail("t.gz", gz, size + size / 2, "", 0);
    CHECK(slurp_path(path_of("t.gz"), &err) == NULL);
    CHECK(strstr(err.msg, "t.gz: truncated gzip data") != NULL);
    memset(gz + size + 40, 'X', 16);
    write_with_tail("t.gz", gz, 2 * size, "", 0);
    CHECK(slurp_path(path_of("t.gz"), &err) == NULL);
    CHECK(strstr(err.msg, "t.gz: corrupt gzip data") != NULL);
    free(twice);
    free(gz);
    free(text);
}

/* A UTF-8 byte order mark is dropped at the start of the data, plain, gzip or on standard
 * input, and nowhere else. */
static void test_byte_order_mark(void)
{
    const char text[] = "\xef\xbb\xbf" "anarchism is\nanarchism\n";
    const char *want = text + 3;
    struct w2v_err err;
    write_file("bom.txt", text, sizeof text - 1);
    write_gzip("bom.gz", text, 1);
    write_gzip("bom2.gz", text, 2); /* the mark cut between two members */
    const char *names[] = {"bom.txt", "bom.gz", "bom2.gz"};
    for (int i = 0; i < 3; i++) {
        char *got = slurp(names[i], 1, &err);
        CHECK(got != NULL && strcmp(got, want) == 0);
        free(got);
    }
    int saved = dup(STDIN_FILENO);
    int fd = open(path_of("bom.gz"), O_RDONLY);
    dup2(fd, STDIN_FILENO);
    close(fd);
    char *got = slurp("-", 100, &err);
    dup2(saved, STDIN_FILENO);
    close(saved);
    CHECK(got != NULL && strcmp(got, want) == 0);
    free(got);

    struct input in;
    CHECK(input_open(&in, path_of("bom.txt"), &err) == 0 && in.bom);
    char *line;
    size_t len;
    CHECK(input_line(&in, &line, &len, 100, &err) == 1 && strcmp(line, "anarchism is") == 0);
    /* back at the start of the file, the mark is skipped again; elsewhere, never */
    CHECK(input_seek(&in, 0, &err) == 0 && in.bom);
    CHECK(input_line(&in, &line, &len, 100, &err) == 1 && strcmp(line, "anarchism is") == 0);
    CHECK(input_seek(&in, 1, &err) == 0 && !in.bom);
    CHECK(input_line(&in, &line, &len, 100, &err) == 1 && line[0] == '\xbb');
    input_close(&in);

    /* a mark alone; a cut mark, one in the middle and one after another are data */
    const char *kept[] = {"\xef\xbb", "a\xef\xbb\xbf", "\xef\xbb\xbf\xef\xbb\xbf\x62"};
    const char *left[] = {"\xef\xbb", "a\xef\xbb\xbf", "\xef\xbb\xbf\x62"};
    write_file("only.txt", "\xef\xbb\xbf", 3);
    got = slurp("only.txt", 100, &err);
    CHECK(got != NULL && got[0] == '\0');
    free(got);
    for (int i = 0; i < 3; i++) {
        write_file("kept.txt", kept[i], strlen(kept[i]));
        got = slurp("kept.txt", 100, &err);
        CHECK(got != NULL && strcmp(got, left[i]) == 0);
        free(got);
    }
}

static void test_refused_formats(void)
{
    static const struct {
        const char *bytes;
        size_t n;
        const char *says;
    } cases[] = {
        {"\xfd" "7zXZ\x00\x00\x04", 8, "xz-compressed data; w2v reads plain text and gzip: "
                                        "unpack it with 'xz -dc "},
        {"BZh91AY&SY\x01\x02", 12, "bzip2-compressed data"},
        {"\x28\xb5\x2f\xfd\x00\x00", 6, "zstd-compressed data"},
        {"\x04\x22\x4d\x18\x00\x00", 6, "lz4-compressed data"},
        {"PK\x03\x04\x00\x00", 6, "zip-compressed data; w2v reads plain text and gzip: unpack "
                                  "it with 'unzip -p "},
    };
    struct w2v_err err;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_file("packed", cases[i].bytes, cases[i].n);
        struct input in;
        CHECK(input_open(&in, path_of("packed"), &err) == -1);
        CHECK(strstr(err.msg, cases[i].says) != NULL);
    }
    /* text that merely starts like a bzip2 header, and short files, are plain text */
    const char *texts[] = {"BZh is a word\n", "BZ", "P", ""};
    for (size_t i = 0; i < 4; i++) {
        write_file("text", texts[i], strlen(texts[i]));
        char *got = slurp("text", 100, &err);
        CHECK(got != NULL && strcmp(got, texts[i]) == 0);
        free(got);
    }
}

static void test_lines(void)
{
    const char text[] = "first\r\nsecond\n\nlast without end";
    write_file("lines.txt", text, sizeof text - 1);
    struct w2v_err err;
    struct input in;
    CHECK(input_open(&in, path_of("lines.txt"), &err) == 0);
    char *line;
    size_t len;
    const char *want[] = {"first", "second", "", "last without end"};
    for (int i = 0; i < 4; i++) {
        CHECK(input_line(&in, &line, &len, 100, &err) == 1);
        CHECK(strcmp(line, want[i]) == 0 && len == strlen(want[i]));
        CHECK_EQ(in.lineno, i + 1);
    }
    CHECK(input_line(&in, &line, &len, 100, &err) == 0);
    input_close(&in);

    /* a line over the limit names its line number; one at the limit is fine */
    char big[300];
    memset(big, 'a', sizeof big);
    big[100] = '\n';
    big[299] = '\n';
    write_file("long.txt", big, sizeof big);
    CHECK(input_open(&in, path_of("long.txt"), &err) == 0);
    CHECK(input_line(&in, &line, &len, 100, &err) == 1 && len == 100);
    CHECK(input_line(&in, &line, &len, 100, &err) == -1);
    CHECK(strstr(err.msg, "long.txt:2: line longer than 100 bytes") != NULL);
    input_close(&in);
}

static void test_long_lines_in_gzip(void)
{
    /* lines much longer than the internal buffer, through gzip */
    size_t n = 1 << 20;
    char *text = malloc(n * 2 + 3);
    memset(text, 'x', n);
    text[n] = '\n';
    memset(text + n + 1, 'y', n);
    text[2 * n + 1] = '\n';
    text[2 * n + 2] = '\0';
    write_gzip("longlines.gz", text, 2);
    struct w2v_err err;
    struct input in;
    CHECK(input_open(&in, path_of("longlines.gz"), &err) == 0);
    char *line;
    size_t len;
    CHECK(input_line(&in, &line, &len, n, &err) == 1 && len == n && line[n - 1] == 'x');
    CHECK(input_line(&in, &line, &len, n, &err) == 1 && len == n && line[0] == 'y');
    CHECK(input_line(&in, &line, &len, n, &err) == 0);
    input_close(&in);
    free(text);
}

static void test_peek_skip_and_read_mix(void)
{
    write_file("mix.txt", "0123456789abcdef", 16);
    struct w2v_err err;
    struct input in;
    CHECK(input_open(&in, path_of("mix.txt"), &err) == 0);
    CHECK(input_mappable(&in));
    const unsigned char *p;
    CHECK(input_peek(&in, 4, &p, &err) >= 4 && memcmp(p, "0123", 4) == 0);
    input_skip(&in, 4);
    CHECK(input_peek(&in, 100, &p, &err) == 12 && memcmp(p, "456789abcdef", 12) == 0);
    input_skip(&in, 2);
    char rest[32];
    CHECK(input_read(&in, rest, sizeof rest, &err) == 10 && memcmp(rest, "6789abcdef", 10) == 0);
    CHECK(input_read(&in, rest, sizeof rest, &err) == 0);
    input_close(&in);
}

static void test_stdin_and_errors(void)
{
    char *text = sample_text();
    write_gzip("stdin.gz", text, 2);
    int saved = dup(STDIN_FILENO);
    int fd = open(path_of("stdin.gz"), O_RDONLY);
    dup2(fd, STDIN_FILENO);
    close(fd);
    struct w2v_err err;
    char *got = slurp("-", 1000, &err);
    dup2(saved, STDIN_FILENO);
    close(saved);
    CHECK(got != NULL && strcmp(got, text) == 0);
    free(got);
    free(text);

    struct input in;
    CHECK(input_open(&in, path_of("absent"), &err) == -1);
    CHECK(strstr(err.msg, "absent: No such file or directory") != NULL);
    CHECK(input_open(&in, dir, &err) == -1);
    CHECK(strstr(err.msg, ": Is a directory") != NULL);
}

int main(void)
{
    harness_scratch(dir);
    RUN(test_plain_and_gzip_agree);
    RUN(test_gzip_damage);
    RUN(test_gzip_trailing_data);
    RUN(test_byte_order_mark);
    RUN(test_refused_formats);
    RUN(test_lines);
    RUN(test_long_lines_in_gzip);
    RUN(test_peek_skip_and_read_mix);
    RUN(test_stdin_and_errors);
    harness_scratch_remove(dir);
    TEST_MAIN("input");
}
