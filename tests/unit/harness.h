/* harness: a minimal unit test harness. CHECK* record the file and line of a failure and
 * let the test go on; RUN counts a test as passed when none of its checks failed; SKIP
 * counts a part that cannot run here (an instruction set the CPU lacks, a missing tool)
 * and says why; TEST_MAIN prints "<name>: N passed, N failed" (", N skipped (why)" when
 * something was skipped) and exits 1 if anything failed. */
#ifndef W2V_HARNESS_H
#define W2V_HARNESS_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static int harness_failed_checks;
static int harness_passed;
static int harness_failed;
static int harness_skipped;
static const char *harness_skip_why;

#define CHECK(c)                                                                       \
    do {                                                                               \
        if (!(c)) {                                                                    \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);      \
            harness_failed_checks++;                                                   \
        }                                                                              \
    } while (0)

#define CHECK_EQ(a, b)                                                                 \
    do {                                                                               \
        long long ha_ = (long long)(a), hb_ = (long long)(b);                          \
        if (ha_ != hb_) {                                                              \
            fprintf(stderr, "%s:%d: check failed: %s == %s (%lld != %lld)\n", __FILE__, \
                    __LINE__, #a, #b, ha_, hb_);                                       \
            harness_failed_checks++;                                                   \
        }                                                                              \
    } while (0)

#define CHECK_NEAR(a, b, eps)                                                          \
    do {                                                                               \
        double ha_ = (double)(a), hb_ = (double)(b);                                   \
        if (!(fabs(ha_ - hb_) <= (eps))) {                                             \
            fprintf(stderr, "%s:%d: check failed: %s ~ %s (%.9g vs %.9g, eps %g)\n",   \
                    __FILE__, __LINE__, #a, #b, ha_, hb_, (double)(eps));              \
            harness_failed_checks++;                                                   \
        }                                                                              \
    } while (0)

#define RUN(fn)                                                                        \
    do {                                                                               \
        int before_ = harness_failed_checks;                                           \
        fn();                                                                          \
        if (harness_failed_checks == before_) {                                        \
            harness_passed++;                                                          \
        } else {                                                                       \
            fprintf(stderr, "FAIL %s\n", #fn);                                         \
            harness_failed++;                                                          \
        }                                                                              \
    } while (0)

/* Counts one skipped part, for the reason 'why' (a string literal). */
#define SKIP(why)                                                                      \
    do {                                                                               \
        harness_skipped++;                                                             \
        if (harness_skip_why == NULL) {                                                \
            harness_skip_why = (why);                                                  \
        }                                                                              \
    } while (0)

/* A scratch directory for tests that write files: harness_scratch makes one from a
 * mkdtemp template (exiting on failure), harness_scratch_remove deletes it with its files. */
static inline void harness_scratch(char *templ)
{
    if (mkdtemp(templ) == NULL) {
        perror("mkdtemp");
        exit(1);
    }
}

static inline void harness_scratch_remove(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "could not remove %s\n", dir);
    }
}

#define TEST_MAIN(name)                                                                \
    if (harness_skipped > 0) {                                                         \
        printf("%s: %d passed, %d failed, %d skipped (%s)\n", name, harness_passed,      \
               harness_failed, harness_skipped, harness_skip_why);                     \
    } else {                                                                           \
        printf("%s: %d passed, %d failed\n", name, harness_passed, harness_failed);    \
    }                                                                                  \
    return harness_failed ? 1 : 0

#endif
