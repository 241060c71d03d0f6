/* train: runs the epochs over the id stream with cfg.threads worker threads. Worker t
 * owns the contiguous slice [n*t/T, n*(t+1)/T) of the stream; every epoch it cuts its
 * slice into sentences (at "</s>" or TRAIN_MAX_SENTENCE kept words), subsamples afresh
 * and calls the update kernels. The learning rate falls linearly from cfg.alpha to
 * cfg.alpha * TRAIN_MIN_ALPHA over all epochs' words, read from one shared atomic counter.
 * The calling thread shows progress and watches for SIGINT/SIGTERM. */
#ifndef W2V_TRAIN_H
#define W2V_TRAIN_H

#include <stddef.h>
#include <stdint.h>

#include "checkpoint.h"
#include "idstream.h"
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

/* Trains 'm' on the ids (model rows) of the finished stream 's', from the start or from
 * 'ck->from' ('ck' may be NULL: no checkpoints). Returns 0, or -1 with 'err' set: a thread
 * could not be started, the stream could not be read back, training diverged (non-finite
 * weights), a checkpoint could not be saved, or a signal arrived (after saving the state
 * when 'ck->on_signal'). */
int train_run(struct model *m, const struct idstream *s, const struct train_ckpt *ck,
              struct train_result *res, struct w2v_err *err);

/* Bytes each training thread allocates and touches for stream 's'. */
size_t train_thread_bytes(const struct train_config *cfg, const struct idstream *s);

#endif
