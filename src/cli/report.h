/* report: the one way a command ends in failure. A runtime failure is the error's one line
 * on stderr and its exit status; a usage error is its line and a pointer to the command's
 * help. Every command reports through these two, once. */
#ifndef W2V_REPORT_H
#define W2V_REPORT_H

#include "base/log.h"

/* Prints the failure 'err' of a command ("w2v: <subject>: <reason>"), unless its code is
 * W2V_ERR_ELSEWHERE (another process of a job prints it) or W2V_ERR_STDOUT_CLOSED (the
 * reader of standard output went away: nothing is printed and the status is 128 +
 * SIGPIPE), and returns the exit status: 128 + the signal after a signal (a
 * W2V_ERR_SIGNAL message is printed as it is; any other error is then worded "interrupted
 * by signal N (Name); no output written"), else W2V_EXIT_ERR. */
int report_failure(const struct w2v_err *err);

/* Prints "w2v: <message>" and "Try 'w2v COMMAND -h'." ('command' may be NULL: "Try 'w2v
 * -h'.") to stderr and returns W2V_EXIT_USAGE. */
int report_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
