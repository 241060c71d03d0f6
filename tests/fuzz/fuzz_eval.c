/* Fuzz target: the question and word-pair file parsers of w2v eval (comments, sections,
 * UTF-8 case folding, invalid bytes), over a small fixed set of vectors. */
#include "query/embed.h"
#include "query/eval.h"
#include "fuzz.h"

static const char vectors[] = "5 2\nking 1 1\nqueen 1 -1\nman 0 1\nwoman 0 -1\nParis 1 0\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct embed e;
    static int loaded;
    struct w2v_err err;
    if (!loaded) {
        const char *vp = fuzz_write(1, vectors, sizeof vectors - 1);
        if (embed_load(&e, vp, VEC_AUTO, 0, EMBED_COPY, &err) != 0) {
            abort();
        }
        loaded = 1;
    }
    const char *path = fuzz_file(data, size);
    struct eval_analogies a;
    for (int mul = 0; mul <= 1; mul++) {
        if (eval_analogy(&e, path, 4, mul, false, 2, &a, &err) == 0) {
            if (a.correct > a.used || a.used > a.total) {
                abort();
            }
            eval_analogies_free(&a);
        }
    }
    struct eval_pairs p;
    if (eval_pairs(&e, path, 0, false, &p, &err) == 0 && p.used > p.total) {
        abort();
    }
    return 0;
}
