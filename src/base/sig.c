/* sig: the signal flag. A signal handler can only communicate through a static object
 * of type volatile sig_atomic_t, so this flag is the one global that a handler writes. */
#include "sig.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t caught_signal = 0;

static void on_signal(int signo)
{
    if (caught_signal == 0) {
        caught_signal = signo;
    }
}

void sig_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGXFSZ, SIG_IGN);
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
