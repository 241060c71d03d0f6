/* Fuzz target: the vector file reader, text and binary, copied and mapped, and a search
 * over what it loaded. */
#include <math.h>

#include "embed.h"
#include "fuzz.h"
#include "knn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    for (int map = 0; map <= 1; map++) {
        struct embed e;
        struct w2v_err err;
        if (embed_load(&e, path, VEC_AUTO, map ? 0 : 3, map, &err) != 0) {
            continue;
        }
        float *q = calloc((size_t)e.dim * 2, sizeof *q);
        if (q == NULL) {
            abort();
        }
        const float *u = embed_unit(&e, 0, q + e.dim);
        for (int d = 0; d < e.dim; d++) {
            if (!isfinite(u[d])) {
                abort(); /* the loader refuses non-finite values */
            }
            q[d] = u[d];
        }
        struct hit h[3];
        int64_t self = 0;
        knn_search(&e, 0, q, 3, &self, 1, h);
        if (embed_find(&e, embed_word(&e, 0)) != 0) {
            abort();
        }
        free(q);
        embed_free(&e);
    }
    return 0;
}
