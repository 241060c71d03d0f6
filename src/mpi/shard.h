/* shard: which part of the corpus each process of a job reads. Uncompressed regular files
 * are cut into byte ranges of equal size, over the files taken one after another: a cut
 * moves to the next line end, or, in a line longer than SHARD_LINE_SCAN bytes, to the next
 * whitespace, so no token is split and most files go whole to one process. Otherwise
 * (gzip among the inputs), with at least as many inputs as processes whole files are
 * dealt to the processes by size, largest first to the least loaded; with fewer, every
 * process reads every input and keeps every size-th line (see corpus_share), which costs
 * each process the reading of the whole corpus. Standard input cannot be shared: MPI
 * launchers pass it to rank 0 only. */
#ifndef W2V_SHARD_H
#define W2V_SHARD_H

#include <stdbool.h>

#include "text/corpus.h"
#include "mpi/dist.h"
#include "base/log.h"
#include "text/vocab.h"

/* Bytes searched for a line end after a cut point before cutting at whitespace. */
#define SHARD_LINE_SCAN (1 << 20)

enum shard_mode { SHARD_ALL, SHARD_RANGES, SHARD_FILES, SHARD_LINES };

struct shard_part {
    const char *path;
    struct corpus_share share;
};

struct shard_plan {
    enum shard_mode mode;
    struct shard_part *parts; /* this process's parts, in corpus order */
    int n;
};

/* Plans the share of process 'rank' of 'size' in the 'npaths' inputs 'paths' ("-" is
 * standard input), which every process must see alike. One process reads everything.
 * Returns 0, or -1 with 'err' set (an input cannot be opened or read; standard input in
 * a job of several processes). */
int shard_plan(struct shard_plan *p, const char *const *paths, int npaths, int rank, int size,
               struct w2v_err *err);

/* Reads the planned parts in order into 'v' and 's' (see corpus_read_share, with the
 * limits 'lim'), adding to 'st'. Returns 0 or -1 with 'err' set. */
int shard_read(const struct shard_plan *p, struct vocab *v, bool fixed, struct idstream *s,
               const struct corpus_limits *lim, struct corpus_stats *st, struct w2v_err *err);

/* Collective, after shard_read: when every process read all of the inputs (dealing
 * lines), checks that they all saw the same number of lines, as they would not if a node
 * had another file at the same path. Returns 0, or -1 with 'err' set. */
int shard_check_same(struct dist *d, const struct shard_plan *p, const struct corpus_stats *st,
                     struct w2v_err *err);

/* A few words saying how the corpus was shared out, for the log. */
const char *shard_mode_name(enum shard_mode mode);

void shard_free(struct shard_plan *p);

#endif
