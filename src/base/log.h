/* log: the one place that writes diagnostics to stderr, and the error record that
 * modules fill instead of printing. Modules never print; commands call log_error once. */
#ifndef W2V_LOG_H
#define W2V_LOG_H

#include <stdio.h>

/* Verbosity levels for log_info: LOG_QUIET prints only errors. */
enum log_level { LOG_QUIET = 0, LOG_NORMAL = 1, LOG_VERBOSE = 2 };

/* One line of context describing the first failure, "subject: reason". */
struct w2v_err {
    char msg[512];
};

/* Formats 'fmt' into 'err'. A NULL 'err' is allowed and ignored. */
void err_set(struct w2v_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

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
