/* log: writes every diagnostic of the program to stderr. The verbosity level is a mutable
 * global (like the signal flag of sig.c and the guarded region of mapguard.c): it is set
 * once by the command before any thread starts and only read afterwards. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int current_level = LOG_NORMAL;

void err_set(struct w2v_err *err, const char *fmt, ...)
{
    if (err == NULL) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    /* The va_list was started by va_start (clang-tidy 14 misreads glibc's va_list). */
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->code = W2V_ERR_FAIL;
}

void err_code(struct w2v_err *err, enum w2v_errcode code)
{
    if (err != NULL) {
        err->code = code;
    }
}

static void vprint(const char *prefix, const char *fmt, va_list ap, const char *suffix)
{
    /* The whole line, suffix included, is formatted first and written with one fputs, so
     * that lines from several threads or processes sharing stderr do not mix. */
    char line[1024];
    int n = snprintf(line, sizeof line, "%s", prefix);
    if (n < 0) {
        return;
    }
    /* The va_list was started by va_start (clang-tidy 14 misreads glibc's va_list). */
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    size_t used = m < 0 ? (size_t)n : (size_t)n + (size_t)m;
    size_t room = sizeof line - strlen(suffix) - 1;
    if (used > room) {
        used = room;
    }
    snprintf(line + used, sizeof line - used, "%s", suffix);
    fputs(line, stderr);
    fflush(stderr);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprint("w2v: ", fmt, ap, "\n");
    va_end(ap);
}

void log_info(int level, const char *fmt, ...)
{
    if (current_level < level) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vprint("w2v: ", fmt, ap, "\n");
    va_end(ap);
}

void log_raw(int level, const char *fmt, ...)
{
    if (current_level < level) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vprint("", fmt, ap, "");
    va_end(ap);
}

void log_set_level(int level)
{
    current_level = level;
}

int log_get_level(void)
{
    return current_level;
}
