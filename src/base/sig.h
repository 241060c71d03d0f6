/* sig: the process's handling of the signals that end it (SIGHUP, SIGINT, SIGPIPE, SIGTERM,
 * SIGQUIT) and the files it must not leave behind. A signal sets a flag that long-running
 * loops poll, so that a run can stop its threads and exit with 128 + the signal; the
 * handler also removes every tracked file at once, so that nothing is left even if the
 * process is then killed. Tracked files are removed too when the process exits without
 * untracking them (exit() after an allocation failure, for one). */
#ifndef W2V_SIG_H
#define W2V_SIG_H

/* Most files tracked at once (the outputs of one command). */
#define SIG_MAX_TRACKED 16

/* Installs the handlers for the five signals above (except a SIGHUP ignored when the
 * process started, which stays ignored, as under nohup) and the exit-time cleanup, and
 * ignores
 * SIGXFSZ so that exceeding a file size limit is a write error (EFBIG) rather than a
 * killed process. A second signal (other than SIGPIPE) ends the process at once, with
 * 128 + that signal as its status. Call once, before any thread starts. */
void sig_install(void);

/* Returns the number of the first handled signal received, or 0 if none was. */
int sig_caught(void);

/* Status a process should exit with after signal 'signo': 128 + signo. */
int sig_exit_status(int signo);

/* Registers 'path' (which must stay valid until sig_untrack) as a file to remove if the
 * process ends by a signal or by exit() before sig_untrack. Returns a slot number, or -1
 * when SIG_MAX_TRACKED files are already tracked (the file is then not protected). */
int sig_track(const char *path);

/* Stops tracking slot 'slot' (a value from sig_track; -1 is ignored). */
void sig_untrack(int slot);

/* Removes every tracked file and stops tracking them. Async-signal-safe. */
void sig_remove_tracked(void);

#endif
