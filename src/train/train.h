/* train: runs the epochs over the id stream with cfg.threads worker threads. Worker t
 * owns the contiguous slice [n*t/T, n*(t+1)/T) of the stream; every epoch it cuts its
 * slice into sentences (at "</s>" or TRAIN_MAX_SENTENCE kept words), subsamples afresh
 * and calls the update kernels. The learning rate falls linearly from cfg.alpha to
 * cfg.alpha * TRAIN_MIN_ALPHA over all epochs' words, read from one shared atomic counter.
 * The calling thread shows progress and watches for SIGINT/SIGTERM. */
#ifndef W2V_TRAIN_H
#define W2V_TRAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "log.h"
#include "model.h"

/* Longest sentence handed to the kernels, in kept words (word2vec's limit). */
#define TRAIN_MAX_SENTENCE 1000
/* Final learning rate as a fraction of the first (word2vec's floor). */
#define TRAIN_MIN_ALPHA 1e-4

struct train_result {
    double loss;     /* average loss over the last progress interval */
    int64_t words;   /* stream positions processed over all epochs */
};

/* What the supervising thread tells a train_hook about every tick, and learns from it. */
struct train_tick {
    int64_t done;     /* in: stream positions this process has processed */
    bool finished;    /* in: every worker of this process has stopped */
    bool failed;      /* in: this process stops early (divergence, signal, no thread) */
    int64_t others;   /* out: positions the other processes have processed */
    bool end;         /* out: training is over everywhere; train_run_hooked returns */
};

/* Lets this training be one of several processes of a job (see src/dist/sync.h). */
struct train_hook {
    /* Called by the supervising thread about every 'tick_ns' nanoseconds, also after this
     * process's workers have finished, until it sets 'end'. Returns 0, or -1 with 'err'
     * set to stop training (some process failed, or the exchange did). */
    int (*tick)(void *ctx, struct train_tick *t, struct w2v_err *err);
    void *ctx;
    long tick_ns;
    int64_t total;    /* stream positions x epochs over all processes, for the rate */
    uint64_t stream;  /* random stream number of this process's first worker */
    int processes;    /* processes in the job, for the words/s per thread shown */
};

/* Trains 'm' on the 'n' ids of 'ids'. Returns 0, or -1 with 'err' set: a thread could not
 * be started, training diverged (non-finite weights), or a signal arrived. */
int train_run(struct model *m, const int32_t *ids, int64_t n, struct train_result *res,
              struct w2v_err *err);

/* train_run as one process of a job described by 'hook' (NULL: the only process). The
 * learning rate follows the words of every process; progress shows them all. Also
 * returns -1 when the hook stops training, with its 'err'. */
int train_run_hooked(struct model *m, const int32_t *ids, int64_t n,
                     const struct train_hook *hook, struct train_result *res,
                     struct w2v_err *err);

#endif
