/* mapguard: the guarded region and its message live in static storage because a signal
 * handler can reach nothing else; like the signal flag of sig.c, they are written only
 * outside the handler, before the region can be read. */
#include "base/mapguard.h"

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/w2v.h"

/* Longest message line, in bytes (a longer path is cut). */
#define MAPGUARD_MSG 1024

static const unsigned char *volatile guard_addr;
static volatile size_t guard_len;
static char guard_msg[MAPGUARD_MSG];
static volatile size_t guard_msg_len;

static void on_bus_error(int signo, siginfo_t *info, void *context)
{
    (void)context;
    const unsigned char *a = guard_addr;
    const unsigned char *p = info->si_addr;
    if (a != NULL && p >= a && (size_t)(p - a) < guard_len) {
        ssize_t ignored = write(STDERR_FILENO, guard_msg, guard_msg_len);
        (void)ignored;
        _exit(W2V_EXIT_ERR);
    }
    /* Not ours: the default action, once the faulting access is retried. */
    signal(signo, SIG_DFL);
}

void mapguard_set(const void *addr, size_t len, const char *path)
{
    int n = snprintf(guard_msg, sizeof guard_msg,
                     "w2v: %s: file changed or truncated while reading\n", path);
    guard_msg_len = n < 0 ? 0 : (size_t)n < sizeof guard_msg ? (size_t)n : sizeof guard_msg - 1;
    guard_len = len;
    guard_addr = addr;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_bus_error;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, NULL);
}

void mapguard_clear(const void *addr)
{
    if (guard_addr == addr) {
        guard_addr = NULL;
        guard_len = 0;
    }
}
