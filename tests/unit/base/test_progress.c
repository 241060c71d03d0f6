/* Unit tests of progress: when a stage's lines are due (on a fake clock: the time is an
 * input of progress_due), and the lines themselves, whose time left includes the work
 * announced to follow (writing the output). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "base/log.h"
#include "base/progress.h"

static char path[64];

/* Most lines a simulated stage records. */
#define MAX_LINES 64

/* The times and tenths at which lines are due over a stage of 'secs' seconds, its work
 * reported every 'step' seconds; 'known' false reports an unknown size. */
struct lines {
    int n;
    double at[MAX_LINES];
    int tenth[MAX_LINES];
};

static struct lines simulate(bool tty, double secs, double step, bool known)
{
    struct lines l = {0};
    struct progress_pace p;
    progress_pace_init(&p, tty, 100.0); /* any origin: only differences count */
    /* whole steps, so that the times are exact multiples of 'step' */
    int steps = (int)(secs / step + 0.5);
    for (int i = 1; i <= steps; i++) {
        double t = i * step;
        double frac = known ? t / secs : -1.0;
        if (progress_due(&p, frac, 100.0 + t) && l.n < MAX_LINES) {
            l.at[l.n] = t;
            l.tenth[l.n++] = (int)(10.0 * frac);
        }
    }
    return l;
}

static void test_short_stage_is_silent_in_a_log(void)
{
    /* under PROGRESS_QUIET_SEC: not a line, however often the work is reported */
    CHECK_EQ(simulate(false, PROGRESS_QUIET_SEC - 1.0, 0.01, true).n, 0);
    CHECK_EQ(simulate(false, PROGRESS_QUIET_SEC - 1.0, 0.01, false).n, 0);
}

static void test_long_stage_every_tenth(void)
{
    /* 10 minutes: a tenth takes 60 s, more than PROGRESS_LOG_SEC, so a line per tenth,
     * none at the end (the summary is the caller's) */
    struct lines l = simulate(false, 600.0, 0.5, true);
    CHECK_EQ(l.n, 9);
    for (int i = 0; i < l.n && i < 9; i++) {
        CHECK_EQ(l.tenth[i], i + 1);
        CHECK_NEAR(l.at[i], 60.0 * (i + 1), 0.5);
    }
}

static void test_medium_stage_every_log_sec(void)
{
    /* 2 minutes: the first line at the first tenth past PROGRESS_QUIET_SEC (12 s), then
     * the rarer rule is PROGRESS_LOG_SEC: 42 s, 72 s, 102 s */
    struct lines l = simulate(false, 120.0, 0.1, true);
    CHECK_EQ(l.n, 4);
    for (int i = 0; i < l.n && i < 4; i++) {
        CHECK_NEAR(l.at[i], 12.0 + PROGRESS_LOG_SEC * i, 0.5);
    }
    for (int i = 1; i < l.n; i++) {
        CHECK(l.at[i] - l.at[i - 1] >= PROGRESS_LOG_SEC);
        CHECK(l.tenth[i] > l.tenth[i - 1]);
    }
}

static void test_unknown_size(void)
{
    /* a pipe: the first line after PROGRESS_QUIET_SEC, then every PROGRESS_LOG_SEC */
    struct lines l = simulate(false, 100.0, 0.5, false);
    CHECK_EQ(l.n, 4);
    for (int i = 0; i < l.n && i < 4; i++) {
        CHECK_NEAR(l.at[i], PROGRESS_QUIET_SEC + PROGRESS_LOG_SEC * i, 0.01);
    }
}

static void test_terminal_redraws(void)
{
    /* a terminal: redrawn PROGRESS_HZ times a second from the start, short stage or not */
    struct lines l = simulate(true, 2.0, 0.01, true);
    CHECK(l.n >= 2 * PROGRESS_HZ - 1 && l.n <= 2 * PROGRESS_HZ);
    CHECK(l.at[0] < 1.0);
}

static void test_parts_restart_tenths(void)
{
    /* two inputs of 5 minutes each: the second one's tenths count again from 0 */
    struct progress_pace p;
    progress_pace_init(&p, false, 0.0);
    int lines = 0;
    for (int part = 0; part < 2; part++) {
        progress_pace_part(&p);
        for (int i = 1; i <= 300; i++) {
            lines += progress_due(&p, i / 300.0, part * 300.0 + i);
        }
    }
    CHECK_EQ(lines, 18);
}

static void test_quiet_level(void)
{
    log_set_level(LOG_QUIET);
    CHECK_EQ(simulate(false, 600.0, 1.0, true).n, 0);
    CHECK_EQ(simulate(true, 600.0, 1.0, true).n, 0);
    log_set_level(LOG_NORMAL);
}

/* The text written to stderr since the last call (stderr goes to 'path'). */
static const char *captured(void)
{
    static char buf[4096];
    fflush(stderr);
    FILE *f = fopen(path, "r");
    size_t n = f != NULL ? fread(buf, 1, sizeof buf - 1, f) : 0;
    buf[n] = '\0';
    if (f != NULL) {
        fclose(f);
    }
    CHECK(freopen(path, "w", stderr) != NULL);
    return buf;
}

/* Moves the start of 'p''s stage 'secs' seconds into the past, as if it had run that
 * long without a line. */
static void backdate(struct progress *p, double secs)
{
    p->pace.t0 -= secs;
    p->pace.last -= secs;
}

static void test_small_run_prints_nothing(void)
{
    struct progress p;
    progress_start(&p, 100, 1, 0.0);
    for (int done = 1; done <= 100; done++) {
        progress_step(&p, "writing", done);
        progress_update(&p, done, 0.01, done, done);
    }
    progress_finish(&p, 0.0, 0);
    CHECK(strcmp(captured(), "") == 0);
}

static void test_eta_includes_after(void)
{
    struct progress p;
    progress_start(&p, 1000, 1, 3600.0);
    backdate(&p, 60.0);
    progress_update(&p, 500, 0.01, 10.0, 10);
    const char *out = captured();
    /* Half done in a minute: a minute of training left, then the hour of writing. */
    CHECK(strstr(out, "w2v: progress  50.0%") != NULL);
    CHECK(strstr(out, "eta 1:01:0") != NULL);
    progress_finish(&p, 10.0, 10);
}

static void test_resumed_run_counts_its_own_work(void)
{
    struct progress p;
    progress_start(&p, 1000, 1, 0.0);
    progress_from(&p, 500);
    backdate(&p, 60.0);
    progress_update(&p, 750, 0.01, 10.0, 10);
    const char *out = captured();
    /* A quarter of the work in this run's minute, a quarter left: a minute more, not the
     * 20 s that counting the earlier run's half would promise. */
    CHECK(strstr(out, "w2v: progress  75.0%") != NULL);
    CHECK(strstr(out, "eta 0:01:0") != NULL);
    progress_finish(&p, 10.0, 10);
}

static void test_step_line(void)
{
    struct progress p;
    progress_start(&p, 100, 1, 0.0);
    backdate(&p, 60.0);
    progress_step(&p, "writing", 40);
    progress_step(&p, "writing", 45); /* too soon after the last line */
    progress_finish(&p, 0.0, 0);
    const char *out = captured();
    CHECK(strstr(out, "w2v: writing  40.0%  eta 0:01:30\n") != NULL);
    CHECK(strstr(out, "45.0%") == NULL);
}

int main(void)
{
    snprintf(path, sizeof path, "/tmp/w2v-test-progress-XXXXXX");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    RUN(test_short_stage_is_silent_in_a_log);
    RUN(test_long_stage_every_tenth);
    RUN(test_medium_stage_every_log_sec);
    RUN(test_unknown_size);
    RUN(test_terminal_redraws);
    RUN(test_parts_restart_tenths);
    RUN(test_quiet_level);
    /* A file, not a terminal: the lines of a log. */
    CHECK(freopen(path, "w", stderr) != NULL);
    RUN(test_small_run_prints_nothing);
    RUN(test_eta_includes_after);
    RUN(test_resumed_run_counts_its_own_work);
    RUN(test_step_line);
    unlink(path);
    TEST_MAIN("progress");
}
