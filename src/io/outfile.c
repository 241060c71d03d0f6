/* outfile: temporary-file-and-rename writer with a flat buffer in front of stdio or zlib.
 * The temporary file is unnamed (O_TMPFILE) where the system has it, named otherwise. */
/* fchmod is an XSI function; O_TMPFILE and AT_EMPTY_PATH are Linux's (GNU names). */
#define _XOPEN_SOURCE 700
#define _GNU_SOURCE
#include "io/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sig.h"
#include "base/util.h"

/* Suffix template for temporary files; mkstemp fills the X's. */
#define OUTFILE_TMP_SUFFIX ".tmp.XXXXXX"
/* Names tried for the link that gives an unnamed file a name beside an existing target
 * (as many as glibc's mkstemp tries); each is TARGET.tmp.<pid>.<try>. */
#define OUTFILE_NAME_TRIES 100
/* Room for "/proc/self/fd/N" and for ".tmp.<pid>.<try>" (two 64-bit numbers at most). */
#define OUTFILE_PROC_PATH 64
#define OUTFILE_NAME_SUFFIX 48

/* Names of the process's own streams (/dev/stdout, /dev/fd/N, /proc/self/fd/N: links, or
 * names that do not resolve) and anything that exists and is not a regular file (a fifo,
 * a device) are written in place: renaming over them would replace the device node or
 * link itself. A regular file under /dev (/dev/shm/v.bin) is an ordinary target. */
static bool is_special(const char *path)
{
    struct stat st;
    if (strncmp(path, "/proc/", 6) == 0) {
        return true;
    }
    if (strncmp(path, "/dev/", 5) == 0 && (lstat(path, &st) != 0 || S_ISLNK(st.st_mode))) {
        return true;
    }
    return stat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

/* Gives a new temporary file the mode the target has, or else the usual umask-based one
 * (mkstemp creates 0600). */
static void copy_mode(int fd, const char *target)
{
    struct stat st;
    if (stat(target, &st) == 0 && S_ISREG(st.st_mode)) {
        fchmod(fd, st.st_mode & 07777);
        return;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
}

/* The directory part of 'path' ("." when it has none); malloc'ed. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL) {
        return xstrdup(".");
    }
    if (slash == path) {
        return xstrdup("/");
    }
    char *dir = xstrdup(path);
    dir[slash - path] = '\0';
    return dir;
}

/* An unnamed temporary file in the directory of 'of->path', with a second descriptor in
 * of->unnamed to name it by once its streams are closed; or -1 when the system or the
 * file system has none (O_TMPFILE unsupported: EOPNOTSUPP, EISDIR, EINVAL...) or when
 * there would be no way to name it (no /proc): the caller then makes a named one. */
static int open_unnamed(struct outfile *of)
{
#ifdef O_TMPFILE
    char *dir = dir_of(of->path);
    /* Private, as mkstemp's files, until copy_mode gives it its bits. */
    int fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    free(dir);
    if (fd < 0) {
        return -1;
    }
    char proc[OUTFILE_PROC_PATH];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    of->unnamed = access(proc, F_OK) == 0 ? fcntl(fd, F_DUPFD_CLOEXEC, 0) : -1;
    if (of->unnamed < 0) {
        close(fd);
        return -1;
    }
    return fd;
#else
    (void)of;
    return -1;
#endif
}

/* TARGET.tmp.XXXXXX beside the target, tracked so that a signal or exit() removes it. */
static int open_named(struct outfile *of)
{
    size_t n = strlen(of->path) + sizeof OUTFILE_TMP_SUFFIX;
    of->tmp = xmalloc(n);
    snprintf(of->tmp, n, "%s%s", of->path, OUTFILE_TMP_SUFFIX);
    int fd = mkstemp(of->tmp);
    if (fd >= 0) {
        of->slot = sig_track(of->tmp);
    }
    return fd;
}

/* True if descriptor 'fd' is the process's standard output under another name. */
static bool is_stdout(int fd)
{
    struct stat a;
    struct stat b;
    return fstat(fd, &a) == 0 && fstat(STDOUT_FILENO, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
}

static int open_as(struct outfile *of, const char *path, bool gzip, bool unnamed_ok,
                   struct w2v_err *err)
{
    of->path = xstrdup(path);
    of->tmp = NULL;
    of->unnamed = -1;
    of->fp = NULL;
    of->gz = NULL;
    of->used = 0;
    of->written = 0;
    of->on_flush = NULL;
    of->flush_ctx = NULL;
    of->slot = -1;
    of->despite_signal = false;
    of->to_stdout = strcmp(path, "-") == 0;
    int fd;
    if (of->to_stdout) {
        fd = dup(STDOUT_FILENO);
    } else if (is_special(path)) {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        of->to_stdout = fd >= 0 && is_stdout(fd);
    } else {
        free(of->path);
        /* A link is followed so that the rename replaces (or creates) the file it points
         * to and the link stays, as 'cp' does. */
        of->path = follow_links(path);
        fd = unnamed_ok ? open_unnamed(of) : -1;
        if (fd < 0) {
            fd = open_named(of);
        }
        if (fd >= 0) {
            copy_mode(fd, of->path);
        }
    }
    if (fd < 0) {
        err_set(err, "%s: %s", path, strerror(errno));
        free(of->tmp);
        of->tmp = NULL;
        free(of->path);
        of->path = NULL;
        return -1;
    }
    if (gzip) {
        of->gz = gzdopen(fd, "wb6");
    } else {
        of->fp = fdopen(fd, "wb");
    }
    if (of->gz == NULL && of->fp == NULL) {
        err_set(err, "%s: cannot open for writing", path);
        close(fd);
        outfile_abort(of);
        return -1;
    }
    return 0;
}

int outfile_open(struct outfile *of, const char *path, bool gzip, struct w2v_err *err)
{
    return open_as(of, path, gzip, true, err);
}

int outfile_open_named(struct outfile *of, const char *path, bool gzip, struct w2v_err *err)
{
    return open_as(of, path, gzip, false, err);
}

bool outfile_stdout_gone(int e)
{
    if (e == EPIPE) {
        return true;
    }
    /* A pipe (or socket) whose reading end is closed polls as an error for writing. */
    struct stat st;
    struct pollfd p = {.fd = STDOUT_FILENO, .events = POLLOUT};
    return fstat(STDOUT_FILENO, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) &&
           poll(&p, 1, 0) == 1 && (p.revents & POLLERR) != 0;
}

/* Sets 'err' to a write failure of 'of' with errno 'e', of the code W2V_ERR_STDOUT_CLOSED
 * when it is standard output whose reader went away. */
static void write_failed(const struct outfile *of, int e, const char *why, struct w2v_err *err)
{
    err_set(err, "%s: write failed: %s", path_label(of->path, true), e ? strerror(e) : why);
    if (of->to_stdout && outfile_stdout_gone(e)) {
        err_code(err, W2V_ERR_STDOUT_CLOSED);
    }
}

static int flush_buf(struct outfile *of, struct w2v_err *err)
{
    if (sig_caught() && !of->despite_signal) {
        err_set(err, "%s: interrupted", path_label(of->path, true));
        return -1;
    }
    if (of->used == 0) {
        return 0;
    }
    bool ok;
    if (of->gz != NULL) {
        ok = gzwrite(of->gz, of->buf, (unsigned)of->used) == (int)of->used;
    } else {
        ok = fwrite(of->buf, 1, of->used, of->fp) == of->used;
    }
    of->written += of->used;
    if (of->on_flush != NULL) {
        of->on_flush(of->flush_ctx, of->written);
    }
    if (!ok) {
        write_failed(of, errno, "unknown error", err);
        return -1;
    }
    of->used = 0;
    return 0;
}

int outfile_write(struct outfile *of, const void *data, size_t n, struct w2v_err *err)
{
    const char *p = data;
    while (n > 0) {
        if (of->used == OUTFILE_BUF && flush_buf(of, err) != 0) {
            return -1;
        }
        size_t room = OUTFILE_BUF - of->used;
        size_t take = n < room ? n : room;
        memcpy(of->buf + of->used, p, take);
        of->used += take;
        p += take;
        n -= take;
    }
    return 0;
}

int outfile_printf(struct outfile *of, struct w2v_err *err, const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    /* The va_list was started by va_start (clang-tidy 14 misreads glibc's va_list). */
    /* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized) */
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof line) {
        err_set(err, "%s: internal error: formatted line too long", of->path);
        return -1;
    }
    return outfile_write(of, line, (size_t)n, err);
}

static int close_stream(struct outfile *of, struct w2v_err *err)
{
    int rc = 0;
    errno = 0;
    if (of->gz != NULL) {
        int zr = gzclose(of->gz);
        if (zr != Z_OK) {
            write_failed(of, zr == Z_ERRNO ? errno : 0, "compression error", err);
            rc = -1;
        }
    } else if (of->fp != NULL) {
        bool bad = fflush(of->fp) != 0 || ferror(of->fp);
        int e = errno;
        if (fclose(of->fp) != 0 && !bad) {
            bad = true;
            e = errno;
        }
        if (bad) {
            write_failed(of, e, "unknown error", err);
            rc = -1;
        }
    }
    of->gz = NULL;
    of->fp = NULL;
    return rc;
}

/* Links the unnamed file of descriptor 'fd' as 'name', which must not exist: through
 * /proc/self/fd/N, or else as the file itself (AT_EMPTY_PATH, where permitted). Returns 0,
 * or -1 with errno set (EEXIST when 'name' exists). */
static int link_unnamed(int fd, const char *name)
{
#ifdef O_TMPFILE
    char proc[OUTFILE_PROC_PATH];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0) {
        return 0;
    }
    if (errno == EEXIST) {
        return -1;
    }
#ifdef AT_EMPTY_PATH
    int e = errno;
    if (linkat(fd, "", AT_FDCWD, name, AT_EMPTY_PATH) == 0) {
        return 0;
    }
    if (errno != EEXIST) {
        errno = e;
    }
#endif
    return -1;
#else
    (void)fd;
    (void)name;
    errno = ENOSYS;
    return -1;
#endif
}

/* Gives the unnamed file its name: a target that does not exist is created by the link
 * itself; an existing one is replaced by a rename from a temporary name (a link cannot
 * replace a file), which leaves of->tmp set for the caller's rename. Returns 0, or -1
 * with errno set. */
static int name_unnamed(struct outfile *of)
{
    if (link_unnamed(of->unnamed, of->path) == 0) {
        return 0;
    }
    if (errno != EEXIST) {
        return -1;
    }
    size_t n = strlen(of->path) + OUTFILE_NAME_SUFFIX;
    char *tmp = xmalloc(n);
    for (int i = 0; i < OUTFILE_NAME_TRIES; i++) {
        snprintf(tmp, n, "%s.tmp.%ld.%d", of->path, (long)getpid(), i);
        /* Tracked before it exists, so that a signal between the link and the rename
         * removes it. */
        of->tmp = tmp;
        of->slot = sig_track(of->tmp);
        if (link_unnamed(of->unnamed, tmp) == 0) {
            return 0;
        }
        sig_untrack(of->slot);
        of->slot = -1;
        of->tmp = NULL;
        if (errno != EEXIST) {
            break;
        }
    }
    int e = errno;
    free(tmp);
    errno = e;
    return -1;
}

/* True while 'of' writes a temporary file that its commit names as the target (false for
 * standard output and special files, written in place). */
static bool has_temporary(const struct outfile *of)
{
    return of->tmp != NULL || of->unnamed >= 0;
}

/* Flushes and closes the streams: every write that can fail (a full disk, a size limit)
 * happens here, before any target changes. On failure 'of' is aborted. */
static int finish(struct outfile *of, struct w2v_err *err)
{
    if (flush_buf(of, err) != 0 || close_stream(of, err) != 0) {
        outfile_abort(of);
        return -1;
    }
    return 0;
}

/* Gives the closed temporary file its target's name. On failure 'of' is aborted. */
static int publish(struct outfile *of, struct w2v_err *err)
{
    if ((of->unnamed >= 0 && name_unnamed(of) != 0) ||
        (of->tmp != NULL && rename(of->tmp, of->path) != 0)) {
        err_set(err, "%s: %s", of->path, strerror(errno));
        outfile_abort(of);
        return -1;
    }
    return 0;
}

/* Releases what a published 'of' still holds. */
static void release(struct outfile *of)
{
    sig_untrack(of->slot);
    of->slot = -1;
    free(of->tmp);
    of->tmp = NULL;
    if (of->unnamed >= 0) {
        close(of->unnamed);
        of->unnamed = -1;
    }
    free(of->path);
    of->path = NULL;
}

/* A target of a group being committed: whether the commit renamed a file over it, and the
 * file it held before, kept under a second name (a hard link) until the group is complete. */
struct kept {
    bool renamed;
    char *name; /* TARGET.tmp.<pid>.old<try>, or NULL */
    int slot;
};

/* Links the regular file at the target of 'of', if there is one, to a second name. Without
 * it (no such file, or a file system without hard links) a failed group removes the new
 * file and leaves no target. */
static void keep_old(const struct outfile *of, struct kept *k)
{
    struct stat st;
    if (!k->renamed || lstat(of->path, &st) != 0 || !S_ISREG(st.st_mode)) {
        return;
    }
    size_t n = strlen(of->path) + OUTFILE_NAME_SUFFIX;
    char *name = xmalloc(n);
    for (int i = 0; i < OUTFILE_NAME_TRIES; i++) {
        snprintf(name, n, "%s.tmp.%ld.old%d", of->path, (long)getpid(), i);
        /* Tracked before it exists, as in name_unnamed: a signal leaves no second name. */
        k->slot = sig_track(name);
        if (link(of->path, name) == 0) {
            k->name = name;
            return;
        }
        sig_untrack(k->slot);
        k->slot = -1;
        if (errno != EEXIST) {
            break;
        }
    }
    free(name);
}

/* Undoes the publishing of 'of' after a later file of its group failed: the old file goes
 * back to the target, or the target is removed if there was none. */
static void unpublish(const struct outfile *of, struct kept *k)
{
    if (k->name != NULL && rename(k->name, of->path) == 0) {
        return;
    }
    unlink(of->path);
}

static void drop_kept(struct kept *k)
{
    if (k->name != NULL) {
        unlink(k->name); /* after a rename back, there is nothing left to remove */
        sig_untrack(k->slot);
        free(k->name);
    }
}

int outfile_commit_all(struct outfile *ofs, int n, struct w2v_err *err)
{
    for (int i = 0; i < n; i++) {
        if (finish(&ofs[i], err) != 0) {
            for (int j = 0; j < n; j++) {
                outfile_abort(&ofs[j]);
            }
            return -1;
        }
    }
    struct kept *kept = xcalloc((size_t)n, sizeof *kept);
    int done = 0;
    int rc = 0;
    for (; done < n && rc == 0; done++) {
        kept[done] = (struct kept){has_temporary(&ofs[done]), NULL, -1};
        if (n > 1) {
            keep_old(&ofs[done], &kept[done]);
        }
        rc = publish(&ofs[done], err);
    }
    /* On failure the file that failed is aborted; the files before it go back to what the
     * targets were, the files after it are aborted unpublished. */
    for (int i = 0; i < n; i++) {
        if (rc != 0 && i < done - 1 && kept[i].renamed) {
            unpublish(&ofs[i], &kept[i]);
        }
        drop_kept(&kept[i]);
        if (rc == 0 || i < done - 1) {
            release(&ofs[i]);
        } else {
            outfile_abort(&ofs[i]);
        }
    }
    free(kept);
    return rc;
}

int outfile_commit(struct outfile *of, struct w2v_err *err)
{
    return outfile_commit_all(of, 1, err);
}

int outfile_rewrite(struct outfile *of, uint64_t offset, const void *data, size_t n,
                    struct w2v_err *err)
{
    if (of->fp == NULL || !has_temporary(of) || offset + n > of->written + of->used) {
        err_set(err, "%s: internal error: a rewrite outside the file", of->path);
        return -1;
    }
    if (flush_buf(of, err) != 0) {
        return -1;
    }
    if (fflush(of->fp) != 0) {
        write_failed(of, errno, "unknown error", err);
        return -1;
    }
    const unsigned char *p = data;
    while (n > 0) {
        ssize_t w = pwrite(fileno(of->fp), p, n, (off_t)offset);
        if (w <= 0) {
            write_failed(of, w < 0 ? errno : 0, "nothing written", err);
            return -1;
        }
        p += w;
        n -= (size_t)w;
        offset += (uint64_t)w;
    }
    return 0;
}

void outfile_abort(struct outfile *of)
{
    if (of->gz != NULL) {
        gzclose(of->gz);
        of->gz = NULL;
    }
    if (of->fp != NULL) {
        fclose(of->fp);
        of->fp = NULL;
    }
    if (of->tmp != NULL) {
        sig_untrack(of->slot);
        of->slot = -1;
        unlink(of->tmp);
        free(of->tmp);
        of->tmp = NULL;
    }
    if (of->unnamed >= 0) {
        close(of->unnamed); /* the file had no name: closing it is removing it */
        of->unnamed = -1;
    }
    free(of->path);
    of->path = NULL;
}

/* The errno outfile_open would meet writing 'path', or 0. */
static int check_error(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        return EISDIR;
    }
    if (is_special(path)) {
        return faccessat(AT_FDCWD, path, W_OK, AT_EACCESS) == 0 ? 0 : errno;
    }
    char *target = follow_links(path);
    char *dir = dir_of(target);
    int e = 0;
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        e = ENOTDIR;
    } else if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0) {
        e = errno; /* ENOENT, ENOTDIR on the way, EACCES, EROFS... */
    }
    free(dir);
    free(target);
    return e;
}

bool outfile_in_place(const char *path)
{
    return strcmp(path, "-") == 0 || is_special(path);
}

int outfile_check(const char *path, struct w2v_err *err)
{
    int e = strcmp(path, "-") == 0 ? 0 : check_error(path);
    if (e != 0) {
        err_set(err, "%s: %s", path, strerror(e));
        return -1;
    }
    return 0;
}

static bool is_std(const struct outfile_name *f)
{
    return strcmp(f->path, "-") == 0;
}

/* The file behind 'f', for comparing it with another: a named file as stat sees it;
 * standard input or output only when it is a regular file (a terminal, a pipe or a
 * socket is often both). False when there is nothing to compare. */
static bool file_of(const struct outfile_name *f, struct stat *st)
{
    if (!is_std(f)) {
        return stat(f->path, st) == 0;
    }
    return fstat(f->output ? STDOUT_FILENO : STDIN_FILENO, st) == 0 && S_ISREG(st->st_mode);
}

static bool names_same(const struct outfile_name *a, const struct outfile_name *b)
{
    if (!is_std(a) && !is_std(b)) {
        return same_file(a->path, b->path);
    }
    struct stat x;
    struct stat y;
    return file_of(a, &x) && file_of(b, &y) && x.st_dev == y.st_dev && x.st_ino == y.st_ino &&
           S_ISREG(x.st_mode);
}

/* True if output 'out' may be the same file as input 'in': it is allowed to replace it,
 * and does so by a rename, never by writing in place. */
static bool may_replace(const struct outfile_name *out, const struct outfile_name *in)
{
    return out->replaces != NULL && strcmp(out->replaces, in->option) == 0 && !is_std(out) &&
           !is_special(out->path);
}

/* Checks one pair; 'b' comes after 'a' in the list. */
static int check_pair(const struct outfile_name *a, const struct outfile_name *b,
                      struct w2v_err *err)
{
    if (is_std(a) && is_std(b) && a->output == b->output) {
        err_set(err, "%s and %s are both standard %s", a->option, b->option,
                a->output ? "output" : "input");
        return -1;
    }
    if ((!a->output && !b->output) || !names_same(a, b)) {
        return 0;
    }
    if (a->output != b->output && may_replace(a->output ? a : b, a->output ? b : a)) {
        return 0;
    }
    err_set(err, "%s: %s and %s name the same file",
            is_std(b) ? (b->output ? "standard output" : "standard input") : b->path,
            a->option, b->option);
    return -1;
}

int outfile_check_names(const struct outfile_name *files, int n, struct w2v_err *err)
{
    for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
            if (check_pair(&files[i], &files[j], err) != 0) {
                return -1;
            }
        }
    }
    return 0;
}
