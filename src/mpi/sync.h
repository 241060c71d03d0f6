/* sync: keeps the model copies of a job's processes together while they train (the
 * train_hook of train_run). Every tick the processes exchange a few counters:
 * words done, who has finished, who has failed. A sync round is due every 'seconds' of
 * rank 0's clock or every 'words' words over the job; in a round each weight matrix is
 * averaged over the processes with an allreduce in place, in chunks of SYNC_CHUNK_FLOATS
 * (a process with nothing to add sends zeros from one buffer of that size). The frequent words (the first rows, SYNC_HEAD_MASS of the
 * tokens) are averaged every round; the others are cut into 'rare' slices and each round
 * averages one, so a rare word is averaged every 'rare' rounds; with subwords, the n-gram
 * buckets are cut into as many slices, each averaged with a rare slice. A process that has not
 * trained since a region was last averaged sends zeros for it and the sum is divided by
 * those that have, so that one that has finished its share does not pull the others
 * back. When all have finished, a last round averages everything and the copies are
 * equal. */
#ifndef W2V_SYNC_H
#define W2V_SYNC_H

#include <stdint.h>

#include "mpi/dist.h"
#include "train/model.h"
#include "train/train.h"

/* Floats averaged per allreduce, and the size of the one buffer of zeros (1 MiB). */
#define SYNC_CHUNK_FLOATS (1 << 18)
/* Interval between two exchanges of the counters, in nanoseconds (50 ms). */
#define SYNC_TICK_NS 50000000L
/* Share of the corpus's tokens whose words are averaged every round. */
#define SYNC_HEAD_MASS 0.9

struct dist_sync {
    struct dist *d;
    struct model *m;
    double seconds;       /* round interval by time (rank 0's clock), 0: by words */
    int64_t words;        /* round interval in words over the job, 0: by time */
    int rare;             /* rounds between two averagings of one rare word */
    int64_t head;         /* rows averaged every round */
    int64_t round;
    double last_time;
    int64_t job_at_last;  /* job's words at the last round */
    int64_t *mark;        /* own words when region k (0 head, 1.. slices) was averaged */
    int64_t *status;      /* the counters exchanged every tick */
    float *buf;           /* SYNC_CHUNK_FLOATS */
    int64_t rounds;       /* measurements: rounds, floats averaged, seconds spent */
    int64_t floats;
    double busy;
};

/* Prepares the exchange for model 'm' (rows in id order, 'counts' their counts) of a job
 * 'd'. Returns 0 or -1 with 'err' set (memory). */
int sync_init(struct dist_sync *s, struct dist *d, struct model *m, const int64_t *counts,
              double seconds, int64_t words, int rare, struct w2v_err *err);

/* The train_hook tick ('ctx' is a struct dist_sync): exchanges the counters, runs a round
 * when due, and the last round when every process has finished. Returns -1 with 'err' set
 * when a process failed (d->failed_rank tells which) or the exchange failed. */
int sync_tick(void *ctx, struct train_tick *t, struct w2v_err *err);

/* Bytes one process sends into an ordinary round (a rare slice and the head). */
int64_t sync_round_bytes(const struct dist_sync *s);

/* Frees the buffers; safe on a zeroed or freed 'struct dist_sync'. */
void sync_free(struct dist_sync *s);

#endif
