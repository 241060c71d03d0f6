/* watch: the divergence watch of a training run. Training lowers the loss per prediction
 * below the untrained model's (ln 2 per decision with zero output vectors); a learning rate
 * that is too high drives it to 2-4 times that and beyond, or to weights that are not
 * numbers. The watch closes a window every WATCH_PAIRS predictions and calls the run
 * diverged when the window's loss is above WATCH_RATIO times the untrained model's in
 * WATCH_STRIKES windows in a row, or in the run's last window; after training, a word
 * vector entry beyond WATCH_MAX_WEIGHT (or not a number) also counts as diverged. */
#ifndef W2V_WATCH_H
#define W2V_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"

/* Predictions in a window, the ratio to the untrained loss that is too high, and the
 * windows in a row that stop the run (trained runs stay below 1.1 times it, DESIGN.md). */
#define WATCH_PAIRS 200000
#define WATCH_RATIO 2.0
#define WATCH_STRIKES 3
/* Trained entries stay within +-20 on the same runs; runaway ones reach 1e6 and more. */
#define WATCH_MAX_WEIGHT 1e3f

struct watch {
    double untrained;  /* loss per prediction of the untrained model */
    double loss0;      /* cumulative loss and predictions at the start of the window */
    int64_t pairs0;
    int strikes;
    double last_avg;   /* loss per prediction in the last closed window */
};

/* Starts a watch of a model whose untrained loss per prediction is 'untrained'. */
void watch_init(struct watch *w, double untrained);

/* Given the run's cumulative 'loss' over 'pairs' predictions, closes the window when it
 * holds WATCH_PAIRS of them; returns true when the run has diverged. */
bool watch_tick(struct watch *w, double loss, int64_t pairs);

/* The verdict at the end of a run: closes the last window (the whole run if none was
 * closed, else at least a quarter window) and checks the 'cells' floats of 'in' (the word
 * vectors); 'nonfinite' tells that a thread met a score that is not a number. Returns 0,
 * or -1 with 'err' set to "training diverged (...); lower -alpha". */
int watch_verdict(struct watch *w, double loss, int64_t pairs, bool nonfinite, const float *in,
                  size_t cells, struct w2v_err *err);

#endif
