/* Fuzz target: the vector file reader, text, binary and GloVe, copied and mapped, and a
 * search over what it loaded. Whatever loads has finite unit rows, words without control
 * bytes, and one row per word. */
#include <math.h>
#include <string.h>

#include "query/embed.h"
#include "fuzz.h"
#include "query/knn.h"

static void check_loaded(struct embed *e)
{
    float *q = calloc((size_t)e->dim * 2, sizeof *q);
    if (q == NULL) {
        abort();
    }
    const float *u = embed_unit(e, 0, q + e->dim);
    for (int d = 0; d < e->dim; d++) {
        if (!isfinite(u[d])) {
            abort(); /* the loader refuses non-finite values */
        }
        q[d] = u[d];
    }
    struct hit h[3];
    int64_t self = 0;
    int n = knn_search(e, 0, q, 3, &self, 1, h);
    for (int i = 0; i < n; i++) {
        if (h[i].row == 0 || !(fabsf(h[i].score) <= 1.0f + 1e-5f)) {
            abort();
        }
    }
    for (int64_t r = 0; r < e->rows; r++) {
        const char *w = embed_word(e, r);
        unsigned char bad;
        if (embed_find(e, w) != r || vec_has_control(w, strlen(w), &bad)) {
            abort();
        }
    }
    free(q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    for (int run = 0; run <= 2; run++) {
        struct embed e;
        struct w2v_err err;
        enum vec_format f = run == 2 ? VEC_GLOVE : VEC_AUTO;
        if (embed_load(&e, path, f, run == 0 ? 3 : 0, run == 1 ? EMBED_MAP : EMBED_COPY, &err) != 0) {
            continue;
        }
        check_loaded(&e);
        embed_free(&e);
    }
    return 0;
}
