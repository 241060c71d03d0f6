/* outfile: all-or-nothing output files. Data goes to a temporary file in the target's
 * directory and becomes the target only in outfile_commit, by a rename over it (or, for
 * a target that does not exist yet, by linking the file in place), so that a reader
 * sees the old file or the whole new one. Where the system allows it (Linux's O_TMPFILE,
 * with /proc mounted), the temporary file has no name until then, so that no death of
 * the process, SIGKILL included, can leave it behind; elsewhere it is a named file,
 * TARGET.tmp.XXXXXX, which outfile_abort removes, and so does the process if it ends by a
 * signal or exit() in between (the file is tracked through sig.h). A symbolic link is
 * written through: its target is replaced (or created) and the link stays. An existing
 * target's permission bits are kept. "-" writes to stdout and special files (a fifo,
 * /dev/stdout) are written directly. Output is gzip-compressed when requested. Writes
 * are buffered here.
 *
 * A command opens its outputs only when it starts writing them; it checks them before
 * its long work instead (outfile_check), and checks the names of all its files at once
 * (outfile_check_names), so that an output never overwrites an input. */
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
    char *path;   /* the target: the name the user gave, its links followed */
    char *tmp;    /* the named temporary file, or NULL (written directly, or unnamed) */
    int unnamed;  /* a descriptor of the unnamed temporary file, or -1 */
    FILE *fp;     /* plain output, or NULL */
    gzFile gz;    /* compressed output, or NULL */
    bool to_stdout; /* the process's standard output: "-", or the same file (/dev/stdout) */
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
 * or outfile_abort. A write to standard output whose reader went away fails with the
 * code W2V_ERR_STDOUT_CLOSED. */
int outfile_open(struct outfile *of, const char *path, bool gzip, struct w2v_err *err);

/* outfile_open, always through a named temporary file, as on a system or a file system
 * without unnamed files: for the tests of that way. */
int outfile_open_named(struct outfile *of, const char *path, bool gzip, struct w2v_err *err);

/* Appends 'n' bytes. Returns 0, or -1 with 'err' set on a write error or when a signal
 * handled by sig.h has arrived (the caller then aborts). */
int outfile_write(struct outfile *of, const void *data, size_t n, struct w2v_err *err);

/* printf into the file; same contract as outfile_write. */
int outfile_printf(struct outfile *of, struct w2v_err *err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Flushes, closes and gives the file the target's name. Returns 0, or -1 with 'err' set,
 * in which case the temporary file has been removed. */
int outfile_commit(struct outfile *of, struct w2v_err *err);

/* Commits the 'n' files of 'ofs' as a group (a file and its companion, such as an array
 * and its words): all of them become their targets, or, on failure, none does. Every file
 * is flushed and closed first, so that a write error (a full disk, a size limit) in any of
 * them changes no target; then each is given its name in turn, an existing target kept
 * under a second name (a hard link, TARGET.tmp.<pid>.old<N>) until the last one is named.
 * If naming one fails (the directory changed meanwhile), the ones named before are undone:
 * their old files put back, or their new ones removed when there was none (or no hard
 * link could be made). Files written in place (standard output, special files) are
 * complete at once and cannot be undone. Returns 0, or -1 with 'err' set; every file of
 * the group is committed or aborted either way. */
int outfile_commit_all(struct outfile *ofs, int n, struct w2v_err *err);

/* Closes and removes the temporary file, if any. Safe after a failed commit. */
void outfile_abort(struct outfile *of);

/* Overwrites the 'n' bytes at 'offset' of the data written so far (a header whose values
 * are only known at the end) with 'data'. Only for an uncompressed output written through
 * a temporary file (not standard output or a special file), and only within what was
 * written. Returns 0, or -1 with 'err' set. */
int outfile_rewrite(struct outfile *of, uint64_t offset, const void *data, size_t n,
                    struct w2v_err *err);

/* True when 'path' would be written in place rather than through a temporary file:
 * standard output ("-", or a name of it such as /dev/stdout), a fifo or a device, and no
 * group commit can undo it. */
bool outfile_in_place(const char *path);

/* Checks, creating nothing, that outfile_open of 'path' would succeed, so that a command
 * can refuse a bad path before hours of work and open the file only when it writes it:
 * the target (its links followed) must not be a directory, and its directory must exist
 * and be writable; a special file must be writable. Returns 0, or -1 with 'err' set as
 * outfile_open would set it ("path: No such file or directory", "path: Permission
 * denied", "path: Is a directory"...). */
int outfile_check(const char *path, struct w2v_err *err);

/* A file that a command reads or writes, as the user named it, for outfile_check_names. */
struct outfile_name {
    const char *path;     /* as given; "-" is standard input, or output for an output */
    const char *option;   /* how the user named it: "-o", "the corpus", "-read-vocab" */
    bool output;
    /* For an output: the 'option' of the one input that it may replace, or NULL. Only
     * for an input that the command reads whole, through a descriptor, before it writes
     * the output (-resume and -save-model); the output is then written to a temporary
     * file and renamed over the input, which the command no longer needs. */
    const char *replaces;
};

/* The one check of the files of a command, before anything is read or created: refuses
 * an output that is the same file as an input (it would be overwritten while being read,
 * or replace the user's data) or as another output (hard and symbolic links count;
 * /dev/null and other character devices may be shared), two outputs on standard output
 * and two inputs from standard input. Standard input or output count as the file they
 * are when it is a regular file ('w2v phrases c.txt >> c.txt'). The one exception is an
 * output allowed to replace an input ('replaces'), unless it would be written in place
 * (a special file). 'files' lists the 'n' files, inputs first; the message names the
 * later file of the pair: "PATH: A and B name the same file", "A and B are both standard
 * output". Returns 0, or -1 with 'err' set. */
int outfile_check_names(const struct outfile_name *files, int n, struct w2v_err *err);

/* True if a write to standard output that failed with errno 'e' (0 if unknown, as after
 * a failed flush of stdio's buffer) failed because the reader went away: EPIPE, or a
 * pipe or socket that has no reader any more. */
bool outfile_stdout_gone(int e);

#endif
