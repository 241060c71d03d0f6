/* log: the one place that writes diagnostics to stderr, and the error record that
 * modules fill instead of printing. Modules never print; commands call log_error once. */
#ifndef W2V_LOG_H
#define W2V_LOG_H

#include <stdio.h>

/* Verbosity levels for log_info: LOG_QUIET prints only errors. */
enum log_level { LOG_QUIET = 0, LOG_NORMAL = 1, LOG_VERBOSE = 2 };

/* What kind of failure an error is, for the command that reports it (cli/report.h):
 * W2V_ERR_FAIL a failure to print as it is (exit status 1); W2V_ERR_SIGNAL a run stopped
 * by a signal (the status is 128 + the signal); W2V_ERR_ELSEWHERE a failure that another
 * process of an MPI job reports, so that this one stays silent; W2V_ERR_STDOUT_CLOSED a
 * write to standard output whose reader went away (EPIPE, as after 'w2v ... | head -1'):
 * not a failure to tell, the status is that of SIGPIPE (141), as for any Unix filter. */
enum w2v_errcode { W2V_ERR_FAIL = 0, W2V_ERR_SIGNAL, W2V_ERR_ELSEWHERE, W2V_ERR_STDOUT_CLOSED };

/* One line of context describing the first failure, "subject: reason", and its kind. */
struct w2v_err {
    char msg[512];
    int code;
};

/* Formats 'fmt' into 'err', of kind W2V_ERR_FAIL. A NULL 'err' is allowed and ignored. */
void err_set(struct w2v_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets the kind of the failure in 'err' (after err_set). */
void err_code(struct w2v_err *err, enum w2v_errcode code);

/* Prints "w2v: <message>\n" to stderr, whatever the level. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "w2v: <message>\n" to stderr if the current level is at least 'level'. */
void log_info(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints 'fmt' to stderr as is (no prefix, no newline added) if the level is at least
 * 'level'; used for progress lines that redraw themselves with '\r'. */
void log_raw(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets and reads the verbosity; the default is LOG_NORMAL. */
void log_set_level(int level);
int log_get_level(void);

#endif
