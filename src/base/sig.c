/* sig: the signal flag and the tracked files. A signal handler can only communicate
 * through objects of type volatile sig_atomic_t or lock-free atomics, so the flag and the
 * table of tracked paths are the globals that a handler reads and writes. */
#include "base/sig.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t caught_signal = 0;
static _Atomic(const char *) tracked[SIG_MAX_TRACKED];

/* The signals that end the process by default and after which the run stops. */
static const int handled[] = {SIGHUP, SIGINT, SIGPIPE, SIGTERM, SIGQUIT};

void sig_remove_tracked(void)
{
    for (int i = 0; i < SIG_MAX_TRACKED; i++) {
        const char *p = atomic_exchange(&tracked[i], NULL);
        if (p != NULL) {
            unlink(p);
        }
    }
}

static void on_signal(int signo)
{
    sig_remove_tracked();
    if (caught_signal != 0 && signo != SIGPIPE) {
        /* A second signal: the run did not stop in time, so end now with the status of
         * the signal (the default action, restored and raised again). A repeated SIGPIPE
         * only means that more writes failed while the run was stopping. */
        signal(signo, SIG_DFL);
        raise(signo);
        return;
    }
    if (caught_signal == 0) {
        caught_signal = signo;
    }
}

static void remove_at_exit(void)
{
    sig_remove_tracked();
}

void sig_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++) {
        sigaddset(&sa.sa_mask, handled[i]);
    }
    for (size_t i = 0; i < sizeof handled / sizeof handled[0]; i++) {
        /* A SIGHUP ignored at start stays ignored, as nohup needs. */
        struct sigaction old;
        if (handled[i] == SIGHUP && sigaction(SIGHUP, NULL, &old) == 0 &&
            old.sa_handler == SIG_IGN) {
            continue;
        }
        sigaction(handled[i], &sa, NULL);
    }
    signal(SIGXFSZ, SIG_IGN);
    atexit(remove_at_exit);
}

int sig_caught(void)
{
    return caught_signal;
}

int sig_exit_status(int signo)
{
    /* Shell convention for a process ended by a signal. */
    return 128 + signo;
}

int sig_track(const char *path)
{
    for (int i = 0; i < SIG_MAX_TRACKED; i++) {
        const char *expected = NULL;
        if (atomic_compare_exchange_strong(&tracked[i], &expected, path)) {
            return i;
        }
    }
    return -1;
}

void sig_untrack(int slot)
{
    if (slot >= 0 && slot < SIG_MAX_TRACKED) {
        atomic_store(&tracked[slot], NULL);
    }
}
