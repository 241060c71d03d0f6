/* mapguard: a file mapped into memory raises SIGBUS when a page is read after another
 * program truncated or rewrote the file. Within the guarded region, the handler writes the
 * one line "w2v: PATH: file changed or truncated while reading" and ends the process with
 * status 1 instead of a crash; a bus error anywhere else keeps its default action. A
 * signal handler cannot go through log.c (stdio is not async-signal-safe), so the line is
 * prepared when the region is guarded and written with write(2). One region at a time. */
#ifndef W2V_MAPGUARD_H
#define W2V_MAPGUARD_H

#include <stddef.h>

/* Guards the 'len' bytes at 'addr', the mapping of 'path', replacing any earlier region,
 * and installs the SIGBUS handler. */
void mapguard_set(const void *addr, size_t len, const char *path);

/* Stops guarding the region at 'addr' (before it is unmapped), if it is the one guarded. */
void mapguard_clear(const void *addr);

#endif
