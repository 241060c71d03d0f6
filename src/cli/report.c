/* report: failure lines and exit statuses. */
#include "cli/report.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/sig.h"
#include "base/w2v.h"

int report_failure(const struct w2v_err *err)
{
    if (err->code == W2V_ERR_STDOUT_CLOSED) {
        /* The reader has what it wanted: quiet, with the status SIGPIPE would give. */
        return sig_exit_status(SIGPIPE);
    }
    int signo = sig_caught();
    if (err->code != W2V_ERR_ELSEWHERE) {
        if (signo != 0 && err->code != W2V_ERR_SIGNAL) {
            log_error("interrupted by signal %d (%s); no output written", signo,
                      strsignal(signo));
        } else {
            log_error("%s", err->msg);
        }
    }
    return signo != 0 ? sig_exit_status(signo) : W2V_EXIT_ERR;
}

int report_usage(const char *command, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    /* The va_list was started by va_start (clang-tidy 14 misreads glibc's va_list). */
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    log_error("%s", msg);
    fprintf(stderr, "Try 'w2v%s%s -h'.\n", command != NULL ? " " : "",
            command != NULL ? command : "");
    return W2V_EXIT_USAGE;
}
