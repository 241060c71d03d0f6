/* outfile: all-or-nothing output files. Data goes to a temporary file beside the target
 * and is renamed over it only by outfile_commit; outfile_abort removes it, and so does
 * the process if it ends by a signal or exit() in between (the temporary file is tracked
 * through sig.h). A symbolic link is written through: its target is replaced (or
 * created) and the link stays. An existing target's permission bits are kept. "-" writes
 * to stdout and special files (a fifo, /dev/stdout) are written directly. Output is
 * gzip-compressed when requested. Writes are buffered here. */
#ifndef W2V_OUTFILE_H
#define W2V_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <zlib.h>

#include "base/log.h"

/* Size of the write buffer, in bytes. */
#define OUTFILE_BUF (1 << 16)

struct outfile {
    char *path;   /* the name the user gave */
    char *tmp;    /* the temporary file, or NULL when writing directly */
    FILE *fp;     /* plain output, or NULL */
    gzFile gz;    /* compressed output, or NULL */
    bool to_stdout;
    int slot;     /* the temporary file's sig_track slot, or -1 */
    bool despite_signal; /* writes go on after a SIGINT/SIGTERM (set after opening) */
    size_t used;  /* bytes waiting in 'buf' */
    uint64_t written; /* bytes handed to stdio or zlib so far (before compression) */
    /* If set by the caller after outfile_open: called with 'written' after each buffer
     * handed on (every OUTFILE_BUF bytes), to show progress. */
    void (*on_flush)(void *ctx, uint64_t written);
    void *flush_ctx;
    char buf[OUTFILE_BUF];
};

/* Opens 'path' for writing ('-' is stdout); compresses when 'gzip' is true. Returns 0, or
 * -1 with 'err' set ("path: reason"). On success the caller must end with outfile_commit
 * or outfile_abort. */
int outfile_open(struct outfile *of, const char *path, bool gzip, struct w2v_err *err);

/* Appends 'n' bytes. Returns 0, or -1 with 'err' set on a write error or when a signal
 * handled by sig.h has arrived (the caller then aborts). */
int outfile_write(struct outfile *of, const void *data, size_t n, struct w2v_err *err);

/* printf into the file; same contract as outfile_write. */
int outfile_printf(struct outfile *of, struct w2v_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Flushes, closes and renames the temporary file over the target. Returns 0, or -1 with
 * 'err' set, in which case the temporary file has been removed. */
int outfile_commit(struct outfile *of, struct w2v_err *err);

/* Closes and removes the temporary file, if any. Safe after a failed commit. */
void outfile_abort(struct outfile *of);

#endif
