/* merge: the job's vocabulary from every process's share. Counts are merged up a binary
 * tree of processes to rank 0, which prunes them as one process reading the whole corpus
 * would (vocab_prune orders by count, then bytes, whatever the order words were met in)
 * and broadcasts the result; every process then renumbers its id stream. */
#ifndef W2V_MERGE_H
#define W2V_MERGE_H

#include <stdint.h>

#include "text/corpus.h"
#include "mpi/dist.h"
#include "text/vocab.h"

/* Collective. On entry 'v' holds the counts of this process's share, 's' its ids in 'v'
 * and 'st' its statistics; on return 'v' is the pruned vocabulary of the whole corpus
 * (same words, order and counts on every process), 's' is renumbered into it and 'st' is
 * summed over the job. Returns 0; -1 with 'err' set for an empty corpus or vocabulary
 * (the same on every process) or, with 'broken' set, a failed exchange, after which the
 * processes are out of step and the job must be aborted. */
int merge_vocab(struct dist *d, struct vocab *v, struct idstream *s, struct corpus_stats *st,
                int64_t min_count, int64_t max_vocab, const char *subject, bool *broken,
                struct w2v_err *err);

/* Collective: sums 'st' over the job. Returns 0 or -1 with 'err' set. */
int merge_stats(struct dist *d, struct corpus_stats *st, struct w2v_err *err);

#endif
