/* train: runs the epochs over the id stream with cfg.threads worker threads. The pieces of
 * each epoch go out in the order of schedule.h, each to the next thread that is free; a
 * thread cuts its piece into sentences (at "</s>" or TRAIN_MAX_SENTENCE kept words),
 * subsamples afresh and hands them to the training step (update.h) in stretches, merging
 * its copies of the frequent rows as they fall due (replica.h). The learning rate falls
 * linearly from cfg.alpha to a 1e-4 of it over all epochs' words, read from one shared
 * counter. The calling thread shows progress, turns SIGINT/SIGTERM into a stop, takes the
 * checkpoints, runs the hook of a job of several processes and watches for divergence
 * (watch.h). */
#ifndef W2V_TRAIN_H
#define W2V_TRAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "train/checkpoint.h"
#include "text/idstream.h"
#include "base/log.h"
#include "train/model.h"

/* Longest sentence handed to the kernels, in kept words (word2vec's limit). */
#define TRAIN_MAX_SENTENCE 1000
struct train_result {
    double loss;     /* average loss per prediction over the last progress interval */
    int64_t pairs;   /* predictions made: skip-gram's (centre, context) pairs, CBOW's
                        windows */
    bool saved;      /* a run stopped by a signal saved its state first (ck->on_signal) */
};

/* Checkpoints of a run: where it starts and when its state is saved. */
struct train_ckpt {
    const struct ckpt_state *from; /* go on from this state (same threads), or NULL */
    const struct ckpt_state *base; /* the corpus record and counts settings saved with
                                    * each checkpoint (its thread records are unused) */
    double every;                  /* seconds between saves while training; 0 for none */
    bool on_signal;                /* also save when SIGINT or SIGTERM stops the run */
    bool at_end;                   /* also save when training is done (marked finished) */
    /* Saves 'st' (the model's matrices are stable during the call: every thread waits).
     * Returns 0, or -1 with 'err' set, which stops the run with that error. */
    int (*save)(void *ctx, const struct ckpt_state *st, struct w2v_err *err);
    void *ctx;
};

/* What the supervising thread tells a train_hook about every tick, and learns from it. */
struct train_tick {
    int64_t done;     /* in: stream positions this process has processed */
    bool finished;    /* in: every worker of this process has stopped */
    bool failed;      /* in: this process stops early (divergence, signal, no thread) */
    int64_t others;   /* out: positions the other processes have processed */
    bool end;         /* out: training is over everywhere; train_run returns */
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

/* Trains 'm' on the ids (model rows) of the finished stream 's', as one process of a job
 * described by 'hook' (NULL: the only process), from the start or from 'ck->from' ('ck'
 * NULL: no checkpoints); 'after' is the estimated seconds of work that follow training
 * (writing the vectors), which the progress display's time left includes. The learning
 * rate follows the words of every process of the job; progress shows them all. Returns 0,
 * or -1 with 'err' set: a thread could not be started, the stream could not be read back,
 * a signal arrived (a run stopped by a signal saves its state first when 'ck->on_signal'),
 * training diverged (watch.h), a checkpoint could not be saved, or the hook stopped
 * training (its error). */
int train_run(struct model *m, const struct idstream *s, double after,
              const struct train_hook *hook, const struct train_ckpt *ck,
              struct train_result *res, struct w2v_err *err);

/* Bytes each training thread allocates and touches for a vocabulary of 'n' words and
 * stream 's'. */
size_t train_thread_bytes(const struct train_config *cfg, int64_t n, const struct idstream *s);

#endif
