/* sig: turns SIGINT and SIGTERM into a flag that long-running loops poll, so that a run
 * can stop its threads and remove its temporary files before exiting. */
#ifndef W2V_SIG_H
#define W2V_SIG_H

/* Installs the handlers for SIGINT and SIGTERM, and ignores SIGXFSZ so that exceeding a
 * file size limit is a write error (EFBIG) rather than a killed process. */
void sig_install(void);

/* Returns the number of the first SIGINT or SIGTERM received, or 0 if none was. */
int sig_caught(void);

/* Status a process should exit with after signal 'signo': 128 + signo. */
int sig_exit_status(int signo);

#endif
