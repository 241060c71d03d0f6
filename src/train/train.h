/* train: runs the epochs over the id stream with cfg.threads worker threads. Worker t
 * owns the contiguous slice [n*t/T, n*(t+1)/T) of the stream; every epoch it cuts its
 * slice into sentences (at "</s>" or TRAIN_MAX_SENTENCE kept words), subsamples afresh
 * and calls the update kernels. The learning rate falls linearly from cfg.alpha to
 * cfg.alpha * TRAIN_MIN_ALPHA over all epochs' words, read from one shared atomic counter.
 * The calling thread shows progress and watches for SIGINT/SIGTERM. */
#ifndef W2V_TRAIN_H
#define W2V_TRAIN_H

#include <stdint.h>

#include "log.h"
#include "model.h"

/* Longest sentence handed to the kernels, in kept words (word2vec's limit). */
#define TRAIN_MAX_SENTENCE 1000
/* Final learning rate as a fraction of the first (word2vec's floor). */
#define TRAIN_MIN_ALPHA 1e-4

struct train_result {
    double loss;     /* average loss per prediction over the last progress interval */
};

/* Trains 'm' on the 'n' ids of 'ids'; 'after' is the estimated seconds of work that follow
 * training (writing the vectors), which the progress display's time left includes.
 * Returns 0, or -1 with 'err' set: a thread could not
 * be started, a signal arrived, or training diverged ("training diverged ...; lower
 * -alpha"): a non-finite score, a loss per prediction that stays above twice the
 * untrained model's (m->untrained_loss), or word vector entries beyond +-1000. */
int train_run(struct model *m, const int32_t *ids, int64_t n, double after,
              struct train_result *res, struct w2v_err *err);

#endif
