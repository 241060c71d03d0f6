/* progress: formatting of the progress line. */
#include "base/progress.h"

#include <stdio.h>
#include <unistd.h>

#include "base/log.h"
#include "base/util.h"

void progress_start(struct progress *p, int64_t total, int threads, double after)
{
    p->after = after > 0.0 ? after : 0.0;
    p->tty = isatty(STDERR_FILENO) != 0;
    p->total = total > 0 ? total : 1;
    p->threads = threads;
    p->t0 = now_sec();
    p->last_draw = p->t0;
    p->last_decile = 0;
    p->mark_loss = 0.0;
    p->mark_pairs = 0;
    p->avg_loss = 0.0;
    p->drawn = false;
}

static void take_loss(struct progress *p, double loss, int64_t pairs)
{
    if (pairs > p->mark_pairs) {
        p->avg_loss = (loss - p->mark_loss) / (double)(pairs - p->mark_pairs);
        p->mark_loss = loss;
        p->mark_pairs = pairs;
    }
}

static void draw(struct progress *p, int64_t done, double lr, double now)
{
    double frac = (double)done / (double)p->total;
    double elapsed = now - p->t0;
    double wps = elapsed > 0.0 ? (double)done / elapsed / p->threads : 0.0;
    double eta = (frac > 0.0 ? elapsed * (1.0 - frac) / frac : 0.0) + p->after;
    char rate[32];
    fmt_count(rate, sizeof rate, wps);
    int eta_s = (int)(eta + 0.5);
    log_raw(LOG_NORMAL,
            "%sprogress %5.1f%%  words/s/thread %6s  lr %.6f  loss %.4f  eta %d:%02d:%02d%s",
            p->tty ? "\r" : "w2v: ", 100.0 * frac, rate, lr, p->avg_loss, eta_s / 3600,
            eta_s / 60 % 60, eta_s % 60, p->tty ? "" : "\n");
    p->drawn = p->tty;
}

/* True if a line is due for 'done' units at time 'now' (and then marks it drawn). */
static bool due(struct progress *p, int64_t done, double now)
{
    if (log_get_level() < LOG_NORMAL) {
        return false;
    }
    if (p->tty) {
        if (now - p->last_draw < 1.0 / PROGRESS_HZ) {
            return false;
        }
    } else {
        int decile = (int)(10.0 * (double)done / (double)p->total);
        if (decile <= p->last_decile || decile >= 10) {
            return false;
        }
        p->last_decile = decile;
    }
    p->last_draw = now;
    return true;
}

void progress_update(struct progress *p, int64_t done, double lr, double loss, int64_t pairs)
{
    double now = now_sec();
    if (due(p, done, now)) {
        take_loss(p, loss, pairs);
        draw(p, done, lr, now);
    }
}

void progress_step(struct progress *p, const char *label, int64_t done)
{
    double now = now_sec();
    if (done > p->total) {
        done = p->total;
    }
    if (!due(p, done, now)) {
        return;
    }
    double frac = (double)done / (double)p->total;
    double elapsed = now - p->t0;
    int eta_s = (int)((frac > 0.0 ? elapsed * (1.0 - frac) / frac : 0.0) + p->after + 0.5);
    log_raw(LOG_NORMAL, "%s%s %5.1f%%  eta %d:%02d:%02d%s", p->tty ? "\r" : "w2v: ", label,
            100.0 * frac, eta_s / 3600, eta_s / 60 % 60, eta_s % 60, p->tty ? "" : "\n");
    p->drawn = p->tty;
}

double progress_finish(struct progress *p, double loss, int64_t pairs)
{
    take_loss(p, loss, pairs);
    if (p->drawn) {
        log_raw(LOG_NORMAL, "\n");
    }
    return p->avg_loss;
}
