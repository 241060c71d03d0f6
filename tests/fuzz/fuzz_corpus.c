/* Fuzz target: the corpus tokenizer (plain or gzip bytes), with a growing and with a
 * fixed vocabulary, then pruning and remapping as w2v train does. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/corpus.h"
#include "fuzz.h"
#include "base/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    struct vocab v;
    vocab_init(&v);
    struct idstream s;
    idstream_init(&s, SIZE_MAX, NULL);
    struct corpus_stats st = {0};
    struct w2v_err err;
    if (corpus_read(path, &v, false, &s, NULL, &st, &err) == 0 &&
        idstream_finish(&s, &err) == 0) {
        int32_t *map = NULL;
        vocab_prune(&v, 2, 0, &map);
        if (idstream_remap(&s, map, &err) != 0) {
            abort();
        }
        free(map);
        struct idreader r = {0};
        int64_t kept = s.n;
        if (idreader_open(&r, &s, 0, s.n, &err) != 0) {
            abort();
        }
        for (int64_t i = 0; i < s.n; i++) {
            int64_t id = idreader_next(&r);
            if (id < 0 || id >= v.n) {
                abort();
            }
        }
        idreader_close(&r);
        struct idstream s2;
        idstream_init(&s2, SIZE_MAX, NULL);
        if (corpus_read(path, &v, true, &s2, NULL, &st, &err) == 0 && s2.n != kept) {
            abort(); /* a fixed vocabulary keeps exactly the kept tokens */
        }
        idstream_free(&s2);
    }
    idstream_free(&s);
    vocab_free(&v);
    return 0;
}
