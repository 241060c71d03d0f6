/* progress: the progress display on stderr, for training and for writing large outputs.
 * On a terminal one line is redrawn at most PROGRESS_HZ times a second; otherwise a line
 * is printed at every 10 % of the work. Training shows percent done, words/s/thread by the
 * wall clock, learning rate, the average loss over the last interval and the time left
 * (the rest of training plus the estimated writing time). Prints nothing below
 * LOG_NORMAL. */
#ifndef W2V_PROGRESS_H
#define W2V_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

/* Redraws per second on a terminal. */
#define PROGRESS_HZ 5

struct progress {
    bool tty;
    int64_t total;      /* words to process over all epochs */
    int threads;
    double t0;
    double last_draw;
    int last_decile;
    double mark_loss;   /* cumulative loss and pairs at the last display */
    int64_t mark_pairs;
    double avg_loss;    /* average loss over the last interval with data */
    bool drawn;         /* a redrawn line is on screen */
    double after;       /* estimated seconds of work after this phase, added to the ETA */
};

/* Starts a display of 'total' units of work (words, or bytes for progress_step) done by
 * 'threads' threads, with 'after' estimated seconds of work still to follow it (writing
 * the output), which the time left includes. */
void progress_start(struct progress *p, int64_t total, int threads, double after);

/* Reports that 'done' of the total words are processed, at rate 'lr', with cumulative
 * 'loss' over 'pairs' predictions; draws if it is time to. */
void progress_update(struct progress *p, int64_t done, double lr, double loss, int64_t pairs);

/* Reports that 'done' of the total units of a phase without a loss (writing a file) are
 * done: draws "LABEL  40.0%  eta 0:00:05" if it is time to. */
void progress_step(struct progress *p, const char *label, int64_t done);

/* Ends the display (a final newline on a terminal); returns the last average loss. */
double progress_finish(struct progress *p, double loss, int64_t pairs);

#endif
