/* Unit tests of progress: lines at every 10 % off a terminal, and a time left that
 * includes the work announced to follow (writing the output). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "base/log.h"
#include "base/progress.h"

static char path[64];

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

static void test_eta_includes_after(void)
{
    struct progress p;
    progress_start(&p, 1000, 1, 3600.0);
    progress_update(&p, 500, 0.01, 10.0, 10);
    const char *out = captured();
    /* Half done in well under an hour: the time left is the hour of writing to come. */
    CHECK(strstr(out, "w2v: progress  50.0%") != NULL);
    CHECK(strstr(out, "eta 1:00:0") != NULL);
    progress_finish(&p, 10.0, 10);
}

static void test_steps_every_tenth(void)
{
    struct progress p;
    progress_start(&p, 100, 1, 0.0);
    for (int done = 1; done <= 100; done++) {
        progress_step(&p, "writing", done);
    }
    progress_finish(&p, 0.0, 0);
    const char *out = captured();
    int lines = 0;
    for (const char *s = out; (s = strstr(s, "w2v: writing ")) != NULL; s++) {
        lines++;
    }
    CHECK_EQ(lines, 9); /* 10 % to 90 %; the end is the caller's "wrote" line */
    CHECK(strstr(out, "w2v: writing  40.0%  eta 0:00:0") != NULL);
}

static void test_quiet(void)
{
    struct progress p;
    log_set_level(LOG_QUIET);
    progress_start(&p, 100, 1, 0.0);
    progress_step(&p, "writing", 50);
    progress_finish(&p, 0.0, 0);
    log_set_level(LOG_NORMAL);
    CHECK(strcmp(captured(), "") == 0);
}

int main(void)
{
    snprintf(path, sizeof path, "/tmp/w2v-test-progress-XXXXXX");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    /* A file, not a terminal: lines at every 10 %. */
    CHECK(freopen(path, "w", stderr) != NULL);
    RUN(test_eta_includes_after);
    RUN(test_steps_every_tenth);
    RUN(test_quiet);
    unlink(path);
    TEST_MAIN("progress");
}
