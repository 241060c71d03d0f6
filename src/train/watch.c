/* watch: loss windows and the final verdict. */
#include "train/watch.h"

#include <math.h>

void watch_init(struct watch *w, double untrained)
{
    *w = (struct watch){untrained, 0.0, 0, 0, 0.0};
}

/* Closes the window if it holds at least 'min_pairs' predictions; returns true if the loss
 * has now been too high for 'strikes_needed' windows in a row. */
static bool close_window(struct watch *w, double loss, int64_t pairs, int64_t min_pairs,
                         int strikes_needed)
{
    int64_t n = pairs - w->pairs0;
    if (n < min_pairs || n <= 0) {
        return false;
    }
    double avg = (loss - w->loss0) / (double)n;
    w->last_avg = avg;
    w->strikes = avg > WATCH_RATIO * w->untrained ? w->strikes + 1 : 0;
    w->loss0 = loss;
    w->pairs0 = pairs;
    return w->strikes >= strikes_needed;
}

bool watch_tick(struct watch *w, double loss, int64_t pairs)
{
    return close_window(w, loss, pairs, WATCH_PAIRS, WATCH_STRIKES);
}

/* True if any of the 'cells' floats of 'in' is beyond WATCH_MAX_WEIGHT or not a number. */
static bool runaway(const float *in, size_t cells)
{
    for (size_t i = 0; i < cells; i++) {
        if (!(fabsf(in[i]) <= WATCH_MAX_WEIGHT)) {
            return true;
        }
    }
    return false;
}

int watch_verdict(struct watch *w, double loss, int64_t pairs, bool nonfinite, const float *in,
                  size_t cells, struct w2v_err *err)
{
    int64_t last_min = w->pairs0 == 0 ? 1 : WATCH_PAIRS / 4;
    bool too_high = close_window(w, loss, pairs, last_min, 1) || w->strikes >= WATCH_STRIKES;
    if (too_high) {
        err_set(err, "training diverged (loss %.2f per prediction, untrained model %.2f); "
                "lower -alpha", w->last_avg, w->untrained);
        return -1;
    }
    if (nonfinite || runaway(in, cells)) {
        err_set(err, "training diverged (non-finite or runaway weights); lower -alpha");
        return -1;
    }
    return 0;
}
