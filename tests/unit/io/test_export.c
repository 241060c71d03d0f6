/* Unit tests of export: the .npy header byte by byte (NumPy's format 1.0: magic, version,
 * little-endian header length, the dictionary padded to a 64-byte boundary and ended by a
 * newline) for small and the largest shapes, the names (exports, their words files, the
 * names refused), and the writer: .npy and .tsv files read back, a word with a control
 * byte refused, and nothing left after an abort. */
#include <dirent.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/endian.h"
#include "harness.h"
#include "io/export.h"
#include "io/vecfile.h"

static char dir[] = "/tmp/w2v-export-XXXXXX";

static const char *path_of(const char *name)
{
    static char buf[4][512];
    static int slot;
    slot = (slot + 1) % 4;
    snprintf(buf[slot], sizeof buf[slot], "%s/%s", dir, name);
    return buf[slot];
}

/* The whole file 'name' of the scratch directory (malloc'ed, NUL-terminated), its size in
 * '*n'; NULL if it cannot be read. */
static char *slurp(const char *name, size_t *n)
{
    FILE *f = fopen(path_of(name), "rb");
    if (f == NULL) {
        return NULL;
    }
    char *data = NULL;
    size_t len = 0;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        data = realloc(data, len + got + 1);
        memcpy(data + len, chunk, got);
        len += got;
    }
    fclose(f);
    if (data == NULL) {
        data = calloc(1, 1);
    }
    data[len] = '\0';
    *n = len;
    return data;
}

/* Entries of the scratch directory other than "." and "..". */
static int files(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }
    if (d != NULL) {
        closedir(d);
    }
    return n;
}

/* Checks the header 'h' of NPY_HEADER_BYTES bytes and returns the shape it states. */
static void check_header(const unsigned char *h, int64_t *rows, int *dim)
{
    CHECK(memcmp(h, "\x93NUMPY", 6) == 0);
    CHECK_EQ(h[6], 1);
    CHECK_EQ(h[7], 0);
    int hlen = h[8] | h[9] << 8;
    CHECK_EQ(10 + hlen, NPY_HEADER_BYTES);
    CHECK_EQ(NPY_HEADER_BYTES % 64, 0);
    CHECK_EQ(h[NPY_HEADER_BYTES - 1], '\n');
    char dict[NPY_HEADER_BYTES];
    memcpy(dict, h + 10, (size_t)hlen - 1);
    dict[hlen - 1] = '\0';
    long long r = -1;
    int d = -1;
    int used = 0;
    CHECK_EQ(sscanf(dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (%lld, %d), }%n",
                    &r, &d, &used),
             2);
    CHECK(used > 0);
    /* Only the spaces of the padding after the dictionary. */
    CHECK_EQ(strspn(dict + used, " "), strlen(dict + used));
    *rows = r;
    *dim = d;
}

static void test_npy_header(void)
{
    unsigned char h[NPY_HEADER_BYTES];
    npy_header(h, 3, 4);
    const char want[] = "\x93NUMPY\x01\x00\x76\x00"
                        "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }";
    CHECK(memcmp(h, want, sizeof want - 1) == 0);
    int64_t rows;
    int dim;
    check_header(h, &rows, &dim);
    CHECK_EQ(rows, 3);
    CHECK_EQ(dim, 4);
    const int64_t shapes[][2] = {{0, 1}, {1, 300}, {1000000, 300}, {INT64_MAX, VEC_MAX_DIM}};
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        memset(h, 0, sizeof h);
        npy_header(h, shapes[i][0], (int)shapes[i][1]);
        check_header(h, &rows, &dim);
        CHECK_EQ(rows, shapes[i][0]);
        CHECK_EQ(dim, shapes[i][1]);
    }
}

static void test_names(void)
{
    CHECK_EQ(export_kind_of("v.npy"), EXPORT_NPY);
    CHECK_EQ(export_kind_of("d/V.NPY"), EXPORT_NPY);
    CHECK_EQ(export_kind_of("v.tsv"), EXPORT_TSV);
    CHECK_EQ(export_kind_of("v.bin"), EXPORT_NONE);
    CHECK_EQ(export_kind_of("v.npy.gz"), EXPORT_NONE);
    CHECK_EQ(export_kind_of("-"), EXPORT_NONE);
    const char *cases[][2] = {{"v.npy", "v.vocab"},
                              {"d.x/V.NPY", "d.x/V.vocab"},
                              {"v.tsv", "v.metadata.tsv"},
                              {"a.metadata.tsv", "a.metadata.metadata.tsv"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *w = export_words_path(cases[i][0], export_kind_of(cases[i][0]));
        CHECK(strcmp(w, cases[i][1]) == 0);
        free(w);
    }
    const char *refused[][2] = {{"out.npz", ".npz"},         {"out.CSV", ".CSV"},
                                {"o.parquet", ".parquet"},   {"x.h5", ".h5"},
                                {"x.csv.gz", ".csv.gz"},     {"x.npy.gz", ".npy.gz"},
                                {"x.TSV.GZ", ".TSV.GZ"},     {"m.safetensors", ".safetensors"},
                                {"vectors", NULL},           {"vectors.bin", NULL},
                                {"v.txt.gz", NULL},          {"glove.6B.50d", NULL},
                                {"x.npy", NULL},             {"x.tsv", NULL},
                                {"x.ppt", NULL},             {"csv", NULL},
                                {"-", NULL}};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        const char *got = export_refused_suffix(refused[i][0]);
        if (refused[i][1] == NULL) {
            CHECK(got == NULL);
        } else {
            CHECK(got != NULL && strcmp(got, refused[i][1]) == 0);
        }
    }
}

enum { ROWS = 3, DIM = 2 };
static const char *const words[ROWS] = {"king", "queen", "\xc3\xa9t\xc3\xa9"};
static const float values[ROWS][DIM] = {{0.5f, -0.25f}, {1e-7f, 3.0f}, {-0.0f, 123.456f}};

static int write_export(enum export_kind kind, const char *name, const char *words_name)
{
    struct export_writer w;
    struct w2v_err err;
    if (export_open(&w, kind, path_of(name), path_of(words_name), DIM, &err) != 0) {
        return -1;
    }
    for (int i = 0; i < ROWS; i++) {
        if (export_row(&w, words[i], strlen(words[i]), values[i], &err) != 0) {
            export_abort(&w);
            return -1;
        }
    }
    return export_commit(&w, &err);
}

static void test_npy_file(void)
{
    CHECK_EQ(write_export(EXPORT_NPY, "v.npy", "v.vocab"), 0);
    size_t n = 0;
    char *data = slurp("v.npy", &n);
    CHECK(data != NULL);
    CHECK_EQ(n, NPY_HEADER_BYTES + sizeof values);
    if (data != NULL && n == NPY_HEADER_BYTES + sizeof values) {
        int64_t rows;
        int dim;
        check_header((const unsigned char *)data, &rows, &dim);
        CHECK_EQ(rows, ROWS);
        CHECK_EQ(dim, DIM);
        /* Little-endian IEEE bits, row by row, on any host. */
        for (int i = 0; i < ROWS * DIM; i++) {
            uint32_t bits;
            memcpy(&bits, &values[i / DIM][i % DIM], sizeof bits);
            CHECK_EQ(le_get_u32((const unsigned char *)data + NPY_HEADER_BYTES + 4 * i), bits);
        }
    }
    free(data);
    char *vocab = slurp("v.vocab", &n);
    CHECK(vocab != NULL && strcmp(vocab, "king\nqueen\n\xc3\xa9t\xc3\xa9\n") == 0);
    free(vocab);
}

static void test_tsv_file(void)
{
    CHECK_EQ(write_export(EXPORT_TSV, "v.tsv", "v.metadata.tsv"), 0);
    size_t n = 0;
    char *tsv = slurp("v.tsv", &n);
    /* The digits of printf's "%.6f", as the text format has them. */
    char want[256];
    snprintf(want, sizeof want, "%.6f\t%.6f\n%.6f\t%.6f\n%.6f\t%.6f\n", (double)values[0][0],
             (double)values[0][1], (double)values[1][0], (double)values[1][1],
             (double)values[2][0], (double)values[2][1]);
    CHECK(tsv != NULL && strcmp(tsv, want) == 0);
    CHECK(tsv != NULL && strncmp(tsv, "0.500000\t-0.250000\n", 19) == 0);
    free(tsv);
    char *meta = slurp("v.metadata.tsv", &n);
    CHECK(meta != NULL && strcmp(meta, "king\nqueen\n\xc3\xa9t\xc3\xa9\n") == 0);
    free(meta);
}

/* A word with a tab or a newline is refused; an abort leaves neither file. */
static void test_refusals(void)
{
    int before = files();
    const char *bad[] = {"a\tb", "a\nb", "a\rb"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        for (int kind = EXPORT_NPY; kind <= EXPORT_TSV; kind++) {
            struct export_writer w;
            struct w2v_err err;
            CHECK_EQ(export_open(&w, (enum export_kind)kind, path_of("bad.x"), path_of("bad.w"),
                                 DIM, &err),
                     0);
            CHECK_EQ(export_row(&w, "ok", 2, values[0], &err), 0);
            CHECK_EQ(export_row(&w, bad[i], strlen(bad[i]), values[1], &err), -1);
            char want[64];
            snprintf(want, sizeof want, "row 2: word contains control byte 0x%02x",
                     (unsigned char)bad[i][1]);
            CHECK(strstr(err.msg, want) != NULL);
            CHECK(strstr(err.msg, "bad.w: ") != NULL);
            export_abort(&w);
            CHECK_EQ(files(), before);
        }
    }
}

int main(void)
{
    harness_scratch(dir);
    RUN(test_npy_header);
    RUN(test_names);
    RUN(test_npy_file);
    RUN(test_tsv_file);
    RUN(test_refusals);
    harness_scratch_remove(dir);
    TEST_MAIN("export");
}
