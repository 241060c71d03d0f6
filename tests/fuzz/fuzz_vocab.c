/* Fuzz target: the vocabulary file reader (-read-vocab), then pruning. */
#include "fuzz.h"
#include "base/log.h"
#include "text/vocab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    struct vocab v;
    vocab_init(&v);
    struct w2v_err err;
    if (vocab_read(&v, path, &err) == 0) {
        vocab_prune(&v, 1, 0, NULL);
        if (v.n < 1) {
            abort();
        }
    }
    vocab_free(&v);
    return 0;
}
