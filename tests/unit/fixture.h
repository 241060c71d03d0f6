/* fixture: what many unit tests share: a scratch directory (made on first use, removed at
 * exit), small file helpers, a small training configuration, and a corpus read as training
 * reads it into a pruned vocabulary and id stream. Helpers that cannot go on (a scratch
 * directory that cannot be made, a file that cannot be written) print why and exit 1. */
#ifndef W2V_FIXTURE_H
#define W2V_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "text/idstream.h"
#include "text/vocab.h"
#include "train/model.h"

/* The scratch directory of this test program. */
const char *fx_dir(void);

/* 'name' in the scratch directory; the result stays valid for the next FX_PATHS calls. */
#define FX_PATHS 8
const char *fx_path(const char *name);

/* Writes the 'n' bytes at 'data' to scratch file 'name'; returns its path (fx_path). */
const char *fx_write(const char *name, const void *data, size_t n);

/* fx_write of a NUL-terminated text. */
const char *fx_write_text(const char *name, const char *text);

/* The whole of file 'path', malloc'ed and NUL-terminated, its length in '*n' (if not
 * NULL); NULL when it cannot be read. */
char *fx_slurp(const char *path, size_t *n);

/* A one-thread training configuration of 'kind' with 'dim' dimensions, a window of 3,
 * 'negative' negatives, hierarchical softmax if 'hs', no subsampling, one epoch, seed 1,
 * the default learning rate of the kind and the per-row form (batch 0). */
struct train_config fx_config(enum model_kind kind, int dim, int negative, bool hs);

/* Reads the corpus 'path' as 'w2v train' does (every process's share, no memory bound),
 * keeps the words counted 'min_count' times and renumbers the stream to the kept words.
 * 'v' and 's' are initialised here; the caller frees them. Returns 0, or -1 with 'err'
 * set. */
int fx_read_corpus(const char *path, int64_t min_count, struct vocab *v, struct idstream *s,
                   struct w2v_err *err);

#endif
