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

/* Trains 'm' on the ids (model rows) of the finished stream 's'. Returns 0, or -1 with
 * 'err' set: a thread could not be started, the stream could not be read back, training
 * diverged (non-finite weights), or a signal arrived. */
int train_run(struct model *m, const struct idstream *s, struct train_result *res,
              struct w2v_err *err);

/* Bytes each training thread allocates and touches for stream 's'. */
size_t train_thread_bytes(const struct train_config *cfg, const struct idstream *s);

#endif
