/* progress: when a line is due, and the lines of training and of the stages that write. */
#include "base/progress.h"

#include <stdio.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"

/* Tenths in the whole work. */
#define PROGRESS_TENTHS 10

void progress_pace_init(struct progress_pace *p, bool tty, double now)
{
    *p = (struct progress_pace){.tty = tty, .t0 = now, .last = now};
}

void progress_pace_start(struct progress_pace *p)
{
    progress_pace_init(p, isatty(STDERR_FILENO) != 0, now_sec());
}

void progress_pace_part(struct progress_pace *p)
{
    p->tenth = 0;
}

bool progress_due(struct progress_pace *p, double frac, double now)
{
    if (log_get_level() < LOG_NORMAL || frac >= 1.0) {
        return false;
    }
    if (p->tty) {
        if (now - p->last < 1.0 / PROGRESS_HZ) {
            return false;
        }
        p->last = now;
        return true;
    }
    /* A log file: nothing for a short stage, then the rarer of a tenth and LOG_SEC. */
    bool first = p->last == p->t0;
    if (now - p->t0 < PROGRESS_QUIET_SEC || (!first && now - p->last < PROGRESS_LOG_SEC)) {
        return false;
    }
    if (frac >= 0.0) {
        int tenth = (int)(PROGRESS_TENTHS * frac);
        if (tenth <= p->tenth) {
            return false;
        }
        p->tenth = tenth;
    }
    p->last = now;
    return true;
}

void progress_start(struct progress *p, int64_t total, int threads, double after)
{
    progress_pace_start(&p->pace);
    p->after = after > 0.0 ? after : 0.0;
    p->total = total > 0 ? total : 1;
    p->threads = threads;
    p->mark_loss = 0.0;
    p->mark_pairs = 0;
    p->avg_loss = 0.0;
    p->start = 0;
}

void progress_from(struct progress *p, int64_t done)
{
    p->start = done > 0 ? done : 0;
}

static void take_loss(struct progress *p, double loss, int64_t pairs)
{
    if (pairs > p->mark_pairs) {
        p->avg_loss = (loss - p->mark_loss) / (double)(pairs - p->mark_pairs);
        p->mark_loss = loss;
        p->mark_pairs = pairs;
    }
}

/* Seconds left when the work from 'p->start' to 'frac' of the total took 'elapsed'
 * seconds, with the work after it. */
static int eta_seconds(const struct progress *p, double frac, double elapsed)
{
    double from = (double)p->start / (double)p->total;
    double ran = frac - from;
    return (int)((ran > 0.0 ? elapsed * (1.0 - frac) / ran : 0.0) + p->after + 0.5);
}

void progress_update(struct progress *p, int64_t done, double lr, double loss, int64_t pairs)
{
    double now = now_sec();
    double frac = (double)done / (double)p->total;
    if (!progress_due(&p->pace, frac, now)) {
        return;
    }
    take_loss(p, loss, pairs);
    double elapsed = now - p->pace.t0;
    double wps = elapsed > 0.0 ? (double)(done - p->start) / elapsed / p->threads : 0.0;
    char rate[32];
    fmt_count(rate, sizeof rate, wps);
    int eta = eta_seconds(p, frac, elapsed);
    bool tty = p->pace.tty;
    log_raw(LOG_NORMAL,
            "%sprogress %5.1f%%  words/s/thread %6s  lr %.6f  loss %.4f  eta %d:%02d:%02d%s",
            tty ? "\r" : "w2v: ", 100.0 * frac, rate, lr, p->avg_loss, eta / 3600,
            eta / 60 % 60, eta % 60, tty ? "" : "\n");
    p->pace.drawn = tty;
}

void progress_step(struct progress *p, const char *label, int64_t done)
{
    double now = now_sec();
    double frac = (double)(done < p->total ? done : p->total) / (double)p->total;
    if (!progress_due(&p->pace, frac, now)) {
        return;
    }
    int eta = eta_seconds(p, frac, now - p->pace.t0);
    bool tty = p->pace.tty;
    log_raw(LOG_NORMAL, "%s%s %5.1f%%  eta %d:%02d:%02d%s", tty ? "\r" : "w2v: ", label,
            100.0 * frac, eta / 3600, eta / 60 % 60, eta % 60, tty ? "" : "\n");
    p->pace.drawn = tty;
}

double progress_finish(struct progress *p, double loss, int64_t pairs)
{
    take_loss(p, loss, pairs);
    if (p->pace.drawn) {
        log_raw(LOG_NORMAL, "\n");
    }
    p->pace.drawn = false;
    return p->avg_loss;
}
