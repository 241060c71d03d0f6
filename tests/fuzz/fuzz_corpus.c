/* Fuzz target: the corpus tokenizer (plain or gzip bytes), with a growing and with a
 * fixed vocabulary, then pruning and remapping as w2v train does. */
#include <string.h>

#include "corpus.h"
#include "fuzz.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    struct vocab v;
    vocab_init(&v);
    struct idstream s = {0};
    struct corpus_stats st;
    struct w2v_err err;
    if (corpus_read(path, &v, false, &s, &st, &err) == 0) {
        int32_t *map = NULL;
        vocab_prune(&v, 2, 0, &map);
        idstream_remap(&s, map);
        free(map);
        for (int64_t i = 0; i < s.n; i++) {
            if (s.ids[i] < 0 || s.ids[i] >= v.n) {
                abort();
            }
        }
        struct idstream s2 = {0};
        if (corpus_read(path, &v, true, &s2, &st, &err) == 0 && s2.n != s.n) {
            abort(); /* a fixed vocabulary keeps exactly the kept tokens */
        }
        idstream_free(&s2);
    }
    idstream_free(&s);
    vocab_free(&v);
    return 0;
}
