/* progress: the progress display on stderr, for every long stage of a command (reading a
 * corpus, training, setting up and writing, the passes of phrases). One rule, in
 * progress_due, decides when a stage shows a line: on a terminal one line is redrawn at
 * most PROGRESS_HZ times a second; otherwise (a log file) a stage prints nothing in its
 * first PROGRESS_QUIET_SEC seconds, and then a line only when a tenth more of the work is
 * done and PROGRESS_LOG_SEC seconds have passed since the last line (whichever is rarer;
 * every PROGRESS_LOG_SEC seconds for work of unknown size). Summary lines are the callers'
 * and are always printed. Training shows percent done, words/s/thread by the wall clock,
 * learning rate, the average loss over the last interval and the time left (the rest of
 * training plus the estimated writing time). Prints nothing below LOG_NORMAL. */
#ifndef W2V_PROGRESS_H
#define W2V_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

/* Redraws per second on a terminal. */
#define PROGRESS_HZ 5
/* Off a terminal: seconds a stage runs before its first line (a shorter stage shows only
 * its summary), and least seconds between two lines of a stage. */
#define PROGRESS_QUIET_SEC 5.0
#define PROGRESS_LOG_SEC 30.0

/* When a stage's lines are due (see progress_due). */
struct progress_pace {
    bool tty;           /* stderr is a terminal: redraw one line */
    double t0;          /* start of the stage, in now_sec() seconds */
    double last;        /* time of the last line (t0 before the first) */
    int tenth;          /* tenths of the current part done at the last line */
    bool drawn;         /* a redrawn line is on screen; the caller ends it */
};

/* Starts the pacing of a stage at time 'now' (seconds), for a terminal if 'tty'. */
void progress_pace_init(struct progress_pace *p, bool tty, double now);

/* progress_pace_init for stderr (a terminal or not) and the current time. */
void progress_pace_start(struct progress_pace *p);

/* A new part of the stage begins (the next input file), whose fraction done starts again
 * from 0; the times are the stage's. */
void progress_pace_part(struct progress_pace *p);

/* True if a line is due at time 'now' with the fraction 'frac' of the current part done
 * (negative when the size of the work is unknown); it is then counted as drawn. Never
 * due below LOG_NORMAL, nor at 'frac' >= 1 (the stage's summary follows). */
bool progress_due(struct progress_pace *p, double frac, double now);

struct progress {
    struct progress_pace pace;
    int64_t total;      /* words to process over all epochs */
    int threads;
    double mark_loss;   /* cumulative loss and pairs at the last display */
    int64_t mark_pairs;
    double avg_loss;    /* average loss over the last interval with data */
    double after;       /* estimated seconds of work after this phase, added to the ETA */
    int64_t start;      /* units already done when the display started (a resumed run) */
};

/* Starts a display of 'total' units of work (words, or bytes for progress_step) done by
 * 'threads' threads, with 'after' estimated seconds of work still to follow it (writing
 * the output), which the time left includes. */
void progress_start(struct progress *p, int64_t total, int threads, double after);

/* Says that 'done' units were already done when the display started (a run resumed from
 * a model file), so that the rate and the time left count only this run's work. */
void progress_from(struct progress *p, int64_t done);

/* Reports that 'done' of the total words are processed, at rate 'lr', with cumulative
 * 'loss' over 'pairs' predictions; draws if a line is due. */
void progress_update(struct progress *p, int64_t done, double lr, double loss, int64_t pairs);

/* Reports that 'done' of the total units of a phase without a loss (writing a file) are
 * done: draws "LABEL  40.0%  eta 0:00:05" if a line is due. */
void progress_step(struct progress *p, const char *label, int64_t done);

/* Ends the display (a final newline on a terminal); returns the last average loss. */
double progress_finish(struct progress *p, double loss, int64_t pairs);

#endif
