/* toyvec: the hand-made vectors the query-side unit tests share, and files for them in a
 * scratch directory. Seven rows over (royal, gender, common): king - man + woman is
 * exactly queen. The including test sets 'toy_dir' with harness_scratch. */
#ifndef W2V_TOYVEC_H
#define W2V_TOYVEC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "query/embed.h"

static char toy_dir[] = "/tmp/w2v-toy-XXXXXX";

static const char toy_text[] = "7 3\n"
                               "king 1 1 0\n"
                               "queen 1 -1 0\n"
                               "man 0 1 1\n"
                               "woman 0 -1 1\n"
                               "prince 2 1 0.2\n"
                               "apple 0.1 0 -1\n"
                               "Paris 1 0 0\n";

/* 'name' in the scratch directory (four names stay valid at a time). */
static inline const char *path_of(const char *name)
{
    static char buf[4][512];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 512, "%s/%s", toy_dir, name);
    return p;
}

/* Writes 'n' bytes to 'name' in the scratch directory; returns its path. */
static inline const char *put(const char *name, const void *data, size_t n)
{
    const char *p = path_of(name);
    FILE *f = fopen(p, "wb");
    if (f == NULL || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        perror(p);
        exit(1);
    }
    return p;
}

static inline const char *put_str(const char *name, const char *text)
{
    return put(name, text, strlen(text));
}

/* Appends one binary row (word, space, little-endian floats, optional newline) at 'out'. */
static inline size_t binary_row(unsigned char *out, const char *word, const float *v, int dim,
                                bool newline)
{
    size_t at = (size_t)sprintf((char *)out, "%s ", word);
    for (int d = 0; d < dim; d++) {
        uint32_t u;
        memcpy(&u, &v[d], 4);
        for (int b = 0; b < 4; b++) {
            out[at++] = (unsigned char)(u >> (8 * b));
        }
    }
    if (newline) {
        out[at++] = '\n';
    }
    return at;
}

/* The toy rows in word2vec's binary layout, with or without the newline after rows. */
static inline size_t toy_binary(unsigned char *out, bool newlines)
{
    static const char *const words[] = {"king", "queen", "man", "woman", "prince", "apple",
                                        "Paris"};
    static const float v[7][3] = {{1, 1, 0}, {1, -1, 0}, {0, 1, 1}, {0, -1, 1},
                                  {2, 1, 0.2f}, {0.1f, 0, -1}, {1, 0, 0}};
    size_t at = (size_t)sprintf((char *)out, "7 3\n");
    for (int r = 0; r < 7; r++) {
        at += binary_row(out + at, words[r], v[r], 3, newlines);
    }
    return at;
}

/* Loads the toy rows: mapped from the binary layout (rows ending in a newline or not,
 * 'newlines'), or parsed from the text. Returns embed_load's result. */
static inline int toy_load(struct embed *e, bool mapped, bool newlines)
{
    struct w2v_err err;
    unsigned char bin[512];
    size_t nb = toy_binary(bin, newlines);
    const char *p = mapped ? put("toy.bin", bin, nb) : put_str("toy.vec", toy_text);
    return embed_load(e, p, VEC_AUTO, 0, mapped ? EMBED_MAP : EMBED_COPY, &err);
}

#endif
