/* Unit tests of the vector writer and the all-or-nothing output file: exact binary round
 * trip, text to 6 decimals, gzip, and no file left behind on failure. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "harness.h"
#include "outfile.h"
#include "vecio.h"
#include "vocab.h"

enum { DIM = 5 };

static char dir[] = "/tmp/w2v-vecio-XXXXXX";

static void make_vocab(struct vocab *v, float *vecs)
{
    vocab_init(v);
    const char *words[] = {"alpha", "b\xc3\xa9ta", "gamma"};
    for (int i = 0; i < 3; i++) {
        int32_t id = vocab_intern_h(v, words[i], strlen(words[i]),
                                    strindex_hash(words[i], strlen(words[i])));
        v->count[id] = 10 - i;
    }
    for (int i = 0; i < 4 * DIM; i++) {
        vecs[i] = (float)sin(i * 1.7) * (i % 3 == 0 ? 1e-8f : 3.5f);
    }
    vecs[7] = -0.0f;
    vecs[8] = 123456.789f;
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

static void test_binary_roundtrip(void)
{
    struct vocab v;
    float vecs[4 * DIM];
    make_vocab(&v, vecs);
    char path[256];
    snprintf(path, sizeof path, "%s/v.bin", dir);
    struct w2v_err err;
    CHECK_EQ(vecio_save(path, &v, vecs, DIM, true, false, &err), 0);
    size_t n;
    unsigned char *b = slurp(path, &n);
    CHECK(n > 4 && memcmp(b, "4 5\n", 4) == 0);
    size_t at = 4;
    for (int64_t r = 0; r < v.n; r++) {
        const char *w = vocab_word(&v, (int32_t)r);
        size_t len = strlen(w);
        CHECK(at + len + 1 + 4 * DIM + 1 <= n);
        if (at + len + 1 + 4 * DIM + 1 > n) {
            break;
        }
        CHECK(memcmp(b + at, w, len) == 0 && b[at + len] == ' ');
        at += len + 1;
        for (int d = 0; d < DIM; d++) {
            /* little-endian float32, bit for bit */
            uint32_t bits = (uint32_t)b[at] | (uint32_t)b[at + 1] << 8 |
                            (uint32_t)b[at + 2] << 16 | (uint32_t)b[at + 3] << 24;
            uint32_t want;
            memcpy(&want, &vecs[r * DIM + d], 4);
            CHECK_EQ(bits, want);
            at += 4;
        }
        CHECK_EQ(b[at], '\n');
        at++;
    }
    CHECK_EQ(at, n);
    free(b);
    vocab_free(&v);
}

static void test_text_and_gzip(void)
{
    struct vocab v;
    float vecs[4 * DIM];
    make_vocab(&v, vecs);
    char path[256];
    char gz[256];
    snprintf(path, sizeof path, "%s/v.txt", dir);
    snprintf(gz, sizeof gz, "%s/v.txt.gz", dir);
    struct w2v_err err;
    CHECK_EQ(vecio_save(path, &v, vecs, DIM, false, false, &err), 0);
    CHECK_EQ(vecio_save(gz, &v, vecs, DIM, false, true, &err), 0);
    size_t n1;
    size_t n2;
    unsigned char *t = slurp(path, &n1);
    unsigned char *z = slurp(gz, &n2);
    CHECK(n1 == n2 && memcmp(t, z, n1) == 0);
    FILE *raw = fopen(gz, "rb");
    CHECK(raw != NULL && fgetc(raw) == 0x1f && fgetc(raw) == 0x8b);
    if (raw) {
        fclose(raw);
    }
    free(z);
    t = realloc(t, n1 + 1);
    t[n1] = '\0';
    char *save = NULL;
    char *line = strtok_r((char *)t, "\n", &save);
    CHECK(line != NULL && strcmp(line, "4 5") == 0);
    for (int r = 0; r < 4; r++) {
        line = strtok_r(NULL, "\n", &save);
        CHECK(line != NULL);
        if (line == NULL) {
            break;
        }
        char *p = strchr(line, ' ');
        CHECK(p != NULL && (size_t)(p - line) == strlen(vocab_word(&v, r)));
        for (int d = 0; d < DIM && p != NULL; d++) {
            char *end;
            double x = strtod(p, &end);
            CHECK(end != p);
            CHECK_NEAR(x, vecs[r * DIM + d], 5e-7 + 1e-9 * fabs(x));
            p = end;
        }
        CHECK(p != NULL && *p == '\0');
    }
    free(t);
    vocab_free(&v);
}

static int count_entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        n += e->d_name[0] != '.';
    }
    closedir(d);
    return n;
}

static void test_failures_leave_nothing(void)
{
    int before = count_entries();
    struct vocab v;
    float vecs[4 * DIM];
    make_vocab(&v, vecs);
    char path[256];
    snprintf(path, sizeof path, "%s/missing-dir/v.bin", dir);
    struct w2v_err err = {{0}};
    CHECK_EQ(vecio_save(path, &v, vecs, DIM, true, false, &err), -1);
    CHECK(strstr(err.msg, "missing-dir/v.bin") != NULL);
    CHECK(strstr(err.msg, "No such file or directory") != NULL);
    /* an aborted file disappears, and an existing target is left as it was */
    snprintf(path, sizeof path, "%s/keep.txt", dir);
    FILE *f = fopen(path, "w");
    fputs("old\n", f);
    fclose(f);
    struct outfile of;
    CHECK_EQ(outfile_open(&of, path, false, &err), 0);
    CHECK_EQ(outfile_write(&of, "new\n", 4, &err), 0);
    CHECK_EQ(count_entries(), before + 2);
    outfile_abort(&of);
    CHECK_EQ(count_entries(), before + 1);
    size_t n;
    unsigned char *b = slurp(path, &n);
    CHECK(n == 4 && memcmp(b, "old\n", 4) == 0);
    free(b);
    unlink(path);
    vocab_free(&v);
}

int main(void)
{
    harness_scratch(dir);
    RUN(test_binary_roundtrip);
    RUN(test_text_and_gzip);
    RUN(test_failures_leave_nothing);
    harness_scratch_remove(dir);
    TEST_MAIN("vecio");
}
