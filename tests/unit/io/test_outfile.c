/* Unit tests of outfile: all-or-nothing writes, symbolic links written through, kept
 * permission bits, unnamed temporary files that even SIGKILL cannot leave behind, named
 * ones (the fallback) removed on abort, on exit() and on a signal, the checks made before
 * opening, standard output whose reader went away, groups of files committed together,
 * rewritten headers and the outputs written in place. */
#define _GNU_SOURCE /* O_TMPFILE, to tell whether this file system has unnamed files */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "io/outfile.h"
#include "base/sig.h"

static char dir[64];

static const char *at(const char *name)
{
    static char buf[4][256];
    static int k = 0;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

/* Files in the scratch directory whose name contains ".tmp.". */
static int temporaries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
        n += strstr(e->d_name, ".tmp.") != NULL;
    }
    if (d != NULL) {
        closedir(d);
    }
    return n;
}

/* Entries of the scratch directory, "." and ".." included. */
static int entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    while (d != NULL && readdir(d) != NULL) {
        n++;
    }
    if (d != NULL) {
        closedir(d);
    }
    return n;
}

/* True if the scratch directory's file system has unnamed files (O_TMPFILE). */
static bool has_unnamed(void)
{
#ifdef O_TMPFILE
    int fd = open(dir, O_TMPFILE | O_WRONLY, 0600);
    if (fd >= 0) {
        close(fd);
        return true;
    }
#endif
    return false;
}

static int write_file(const char *path, const char *text)
{
    struct outfile of;
    struct w2v_err err;
    if (outfile_open(&of, path, false, &err) != 0) {
        return -1;
    }
    if (outfile_write(&of, text, strlen(text), &err) != 0) {
        outfile_abort(&of);
        return -1;
    }
    return outfile_commit(&of, &err);
}

static void expect_content(const char *path, const char *text)
{
    char buf[64] = {0};
    FILE *f = fopen(path, "r");
    CHECK(f != NULL);
    if (f != NULL) {
        CHECK(fread(buf, 1, sizeof buf - 1, f) == strlen(text));
        fclose(f);
    }
    CHECK(strcmp(buf, text) == 0);
}

static void test_commit_and_abort(void)
{
    CHECK_EQ(write_file(at("plain"), "one\n"), 0);
    expect_content(at("plain"), "one\n");
    int before = entries();
    struct outfile of;
    struct w2v_err err;
    /* Unnamed where the file system allows it: nothing in the directory until commit. */
    CHECK_EQ(outfile_open(&of, at("plain"), false, &err), 0);
    CHECK_EQ(temporaries(), has_unnamed() ? 0 : 1);
    CHECK_EQ(outfile_write(&of, "two\n", 4, &err), 0);
    outfile_abort(&of);
    CHECK_EQ(entries(), before);
    expect_content(at("plain"), "one\n");
    /* The named way: TARGET.tmp.XXXXXX while writing, removed by abort. */
    CHECK_EQ(outfile_open_named(&of, at("plain"), false, &err), 0);
    CHECK_EQ(temporaries(), 1);
    CHECK_EQ(outfile_write(&of, "two\n", 4, &err), 0);
    outfile_abort(&of);
    CHECK_EQ(entries(), before);
    expect_content(at("plain"), "one\n");
    /* Committed: an existing target replaced, a new one created, nothing else left. */
    CHECK_EQ(outfile_open(&of, at("plain"), true, &err), 0);
    CHECK_EQ(outfile_write(&of, "three\n", 6, &err), 0);
    CHECK_EQ(outfile_commit(&of, &err), 0);
    CHECK_EQ(outfile_open(&of, at("fresh"), false, &err), 0);
    CHECK_EQ(outfile_write(&of, "four\n", 5, &err), 0);
    CHECK_EQ(outfile_commit(&of, &err), 0);
    expect_content(at("fresh"), "four\n");
    CHECK_EQ(entries(), before + 1);
    CHECK_EQ(temporaries(), 0);
}

/* SIGKILL, which no handler sees, in the middle of a write: an unnamed temporary file
 * vanishes with the process and the old output stays whole. */
static void test_sigkill_leaves_nothing(void)
{
    if (!has_unnamed()) {
        SKIP("no O_TMPFILE on this file system");
        return;
    }
    CHECK_EQ(write_file(at("killed"), "old\n"), 0);
    int before = entries();
    for (int existing = 0; existing < 2; existing++) {
        const char *target = existing ? at("killed") : at("never");
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            struct outfile of;
            struct w2v_err err;
            if (outfile_open(&of, target, false, &err) != 0 ||
                outfile_write(&of, "new\n", 4, &err) != 0) {
                _exit(3);
            }
            raise(SIGKILL);
            _exit(4);
        }
        int status = 0;
        CHECK(waitpid(pid, &status, 0) == pid);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        CHECK_EQ(entries(), before);
    }
    expect_content(at("killed"), "old\n");
    CHECK(access(at("never"), F_OK) != 0);
}

static void test_symlink_written_through(void)
{
    CHECK_EQ(write_file(at("target"), "old\n"), 0);
    CHECK_EQ(symlink("target", at("link")), 0);
    CHECK_EQ(write_file(at("link"), "new\n"), 0);
    struct stat st;
    CHECK_EQ(lstat(at("link"), &st), 0);
    CHECK(S_ISLNK(st.st_mode));
    expect_content(at("target"), "new\n");
    /* A link to a file that does not exist yet creates that file. */
    CHECK_EQ(symlink("later", at("dangling")), 0);
    CHECK_EQ(write_file(at("dangling"), "made\n"), 0);
    CHECK_EQ(lstat(at("dangling"), &st), 0);
    CHECK(S_ISLNK(st.st_mode));
    expect_content(at("later"), "made\n");
}

static void test_mode_kept(void)
{
    CHECK_EQ(write_file(at("private"), "a\n"), 0);
    CHECK_EQ(chmod(at("private"), 0640), 0);
    CHECK_EQ(write_file(at("private"), "b\n"), 0);
    struct stat st;
    CHECK_EQ(stat(at("private"), &st), 0);
    CHECK_EQ(st.st_mode & 07777, 0640);
}

/* In a child: opens an output through a named temporary file, then ends by 'how' (0:
 * exit(1), else that signal, twice so that the second one ends the process). */
static void child_dies(int how)
{
    /* As a program started normally: a suite run under nohup passes SIGHUP ignored, and
     * sig_install keeps it so. */
    signal(SIGHUP, SIG_DFL);
    sig_install();
    struct outfile of;
    struct w2v_err err;
    if (outfile_open_named(&of, at("dying"), false, &err) != 0 || temporaries() != 1) {
        _exit(3);
    }
    if (how == 0) {
        exit(1);
    }
    raise(how);
    if (sig_caught() != how || temporaries() != 0) {
        _exit(4); /* the handler removes the temporary file at once */
    }
    raise(how == SIGPIPE ? SIGTERM : how);
    _exit(5);
}

static void test_cleanup_on_exit_and_signals(void)
{
    const int hows[] = {0, SIGHUP, SIGINT, SIGPIPE, SIGTERM, SIGQUIT};
    for (size_t i = 0; i < sizeof hows / sizeof hows[0]; i++) {
        fflush(NULL);
        pid_t pid = fork();
        if (pid == 0) {
            child_dies(hows[i]);
        }
        int status = 0;
        CHECK(waitpid(pid, &status, 0) == pid);
        if (hows[i] == 0) {
            CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 1);
        } else {
            int want = hows[i] == SIGPIPE ? SIGTERM : hows[i];
            CHECK(WIFSIGNALED(status) && WTERMSIG(status) == want);
        }
        CHECK_EQ(temporaries(), 0);
        CHECK(access(at("dying"), F_OK) != 0);
    }
}

static void expect_check(const char *path, const char *msg)
{
    struct w2v_err err = {{0}, 0};
    int rc = outfile_check(path, &err);
    CHECK_EQ(rc, msg == NULL ? 0 : -1);
    if (msg != NULL) {
        char want[400];
        snprintf(want, sizeof want, "%s: %s", path, msg);
        CHECK(strcmp(err.msg, want) == 0);
    }
}

/* outfile_check creates nothing and words its errors as outfile_open does. */
static void test_check(void)
{
    int before = entries();
    expect_check(at("new-output"), NULL);
    expect_check(at("plain"), NULL);
    expect_check("-", NULL);
    expect_check("/dev/null", NULL);
    CHECK_EQ(mkdir(at("sub"), 0755), 0);
    expect_check(at("sub"), strerror(EISDIR));
    expect_check(at("nodir/x"), strerror(ENOENT));
    expect_check(at("plain/x"), strerror(ENOTDIR));
    /* A link to a directory is a directory. */
    CHECK_EQ(symlink("sub", at("to-sub")), 0);
    expect_check(at("to-sub"), strerror(EISDIR));
    if (geteuid() != 0) {
        CHECK_EQ(chmod(at("sub"), 0555), 0);
        expect_check(at("sub/x"), strerror(EACCES));
        CHECK_EQ(chmod(at("sub"), 0755), 0);
    }
    CHECK_EQ(entries(), before + 2);
    CHECK(access(at("new-output"), F_OK) != 0);
}

static int names(const char *in, const char *out, const char *replaces, struct w2v_err *err)
{
    const struct outfile_name f[] = {{in, "IN", false, NULL}, {out, "OUT", true, replaces}};
    return outfile_check_names(f, 2, err);
}

static void test_check_names(void)
{
    struct w2v_err err;
    CHECK_EQ(write_file(at("in"), "x\n"), 0);
    CHECK_EQ(link(at("in"), at("in-hard")), 0);
    CHECK_EQ(names(at("in"), at("out"), NULL, &err), 0);
    CHECK_EQ(names(at("in"), at("in-hard"), NULL, &err), -1);
    CHECK(strstr(err.msg, "in-hard: IN and OUT name the same file") != NULL);
    /* An output may replace the input it names, by a rename, never in place. */
    CHECK_EQ(names(at("in"), at("in-hard"), "IN", &err), 0);
    CHECK_EQ(names(at("in"), at("in"), "OTHER", &err), -1);
    CHECK_EQ(mkfifo(at("fifo"), 0600), 0);
    CHECK_EQ(names(at("fifo"), at("fifo"), "IN", &err), -1);
    /* Character devices may be shared; standard input and output are different streams. */
    CHECK_EQ(names("/dev/null", "/dev/null", NULL, &err), 0);
    CHECK_EQ(names("-", "-", NULL, &err), 0);
    /* Two outputs: never the same file, never both on standard output. */
    const struct outfile_name outs[] = {{"-", "A", true, NULL}, {"-", "B", true, NULL}};
    CHECK_EQ(outfile_check_names(outs, 2, &err), -1);
    CHECK(strcmp(err.msg, "A and B are both standard output") == 0);
    const struct outfile_name ins[] = {{"-", "A", false, NULL}, {"-", "B", false, NULL},
                                       {at("n1"), "C", true, NULL}, {at("n1"), "D", true, NULL}};
    CHECK_EQ(outfile_check_names(ins, 2, &err), -1);
    CHECK(strcmp(err.msg, "A and B are both standard input") == 0);
    CHECK_EQ(outfile_check_names(ins + 2, 2, &err), -1);
    /* Standard output redirected to the input ('>> in') is the input. */
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    int fd = open(at("in"), O_WRONLY | O_APPEND);
    CHECK(saved >= 0 && fd >= 0 && dup2(fd, STDOUT_FILENO) == STDOUT_FILENO);
    int rc = names(at("in"), "-", NULL, &err);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    close(fd);
    CHECK_EQ(rc, -1);
    CHECK(strcmp(err.msg, "standard output: IN and OUT name the same file") == 0);
}

/* Opens 'a' and 'b' (named: 'named_a' for the first) and writes 'ta' and 'tb' to them. */
static int open_pair(struct outfile *of, const char *a, const char *b, bool named_a,
                     const char *ta, const char *tb)
{
    struct w2v_err err;
    int rc = named_a ? outfile_open_named(&of[0], a, false, &err)
                     : outfile_open(&of[0], a, false, &err);
    if (rc != 0) {
        return -1;
    }
    if (outfile_open(&of[1], b, false, &err) != 0) {
        outfile_abort(&of[0]);
        return -1;
    }
    if (outfile_write(&of[0], ta, strlen(ta), &err) != 0 ||
        outfile_write(&of[1], tb, strlen(tb), &err) != 0) {
        outfile_abort(&of[0]);
        outfile_abort(&of[1]);
        return -1;
    }
    return 0;
}

/* A group commit: both files or neither. Naming the second fails when a directory has
 * taken its target's place meanwhile; the first is then put back as it was. */
static void test_commit_group(void)
{
    struct outfile of[2];
    struct w2v_err err;
    int before = entries();
    CHECK_EQ(open_pair(of, at("ga"), at("gb"), false, "a1\n", "b1\n"), 0);
    CHECK_EQ(outfile_commit_all(of, 2, &err), 0);
    expect_content(at("ga"), "a1\n");
    expect_content(at("gb"), "b1\n");
    CHECK_EQ(entries(), before + 2);
    for (int named = 0; named < 2; named++) {
        /* Existing targets: the first gets its old file back. */
        CHECK_EQ(open_pair(of, at("ga"), at("gb"), named, "a2\n", "b2\n"), 0);
        CHECK_EQ(rename(at("gb"), at("gb-saved")), 0);
        CHECK_EQ(mkdir(at("gb"), 0755), 0);
        CHECK_EQ(outfile_commit_all(of, 2, &err), -1);
        CHECK(strstr(err.msg, "gb: ") != NULL);
        expect_content(at("ga"), "a1\n");
        CHECK_EQ(rmdir(at("gb")), 0);
        CHECK_EQ(rename(at("gb-saved"), at("gb")), 0);
        expect_content(at("gb"), "b1\n");
        CHECK_EQ(entries(), before + 2);
        /* New targets: the first is removed. */
        CHECK_EQ(open_pair(of, at("na"), at("nb"), named, "a\n", "b\n"), 0);
        CHECK_EQ(mkdir(at("nb"), 0755), 0);
        CHECK_EQ(outfile_commit_all(of, 2, &err), -1);
        CHECK(access(at("na"), F_OK) != 0);
        CHECK_EQ(rmdir(at("nb")), 0);
        CHECK_EQ(entries(), before + 2);
    }
}

/* A write error in the second file of a group (beyond a file size limit, in a child)
 * changes neither target. */
static void test_commit_group_write_error(void)
{
    CHECK_EQ(write_file(at("wa"), "old\n"), 0);
    int before = entries();
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = {OUTFILE_BUF, OUTFILE_BUF};
        static char big[OUTFILE_BUF * 2];
        memset(big, 'x', sizeof big);
        struct outfile of[2];
        struct w2v_err err;
        if (setrlimit(RLIMIT_FSIZE, &lim) != 0 ||
            open_pair(of, at("wa"), at("wb"), false, "new\n", "") != 0) {
            _exit(3);
        }
        if (outfile_write(&of[1], big, sizeof big, &err) != 0) {
            outfile_abort(&of[0]);
            outfile_abort(&of[1]);
            _exit(4); /* the buffer is flushed at commit, not before */
        }
        int rc = outfile_commit_all(of, 2, &err);
        _exit(rc == -1 && strstr(err.msg, "wb: write failed: ") != NULL ? 0 : 5);
    }
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    expect_content(at("wa"), "old\n");
    CHECK(access(at("wb"), F_OK) != 0);
    CHECK_EQ(entries(), before);
}

/* A header rewritten at the end, with its bytes still buffered or already written. */
static void test_rewrite(void)
{
    struct outfile of;
    struct w2v_err err;
    CHECK_EQ(outfile_open(&of, at("rw"), false, &err), 0);
    CHECK_EQ(outfile_write(&of, "0000abc", 7, &err), 0);
    CHECK_EQ(outfile_rewrite(&of, 0, "12", 2, &err), 0);
    CHECK_EQ(outfile_write(&of, "def\n", 4, &err), 0);
    CHECK_EQ(outfile_rewrite(&of, 2, "34", 2, &err), 0);
    CHECK_EQ(outfile_rewrite(&of, 10, "xy", 2, &err), -1);
    CHECK_EQ(outfile_commit(&of, &err), 0);
    expect_content(at("rw"), "1234abcdef\n");
    /* Written in place: nothing to rewrite. */
    CHECK_EQ(outfile_open(&of, "/dev/null", false, &err), 0);
    CHECK_EQ(outfile_write(&of, "ab", 2, &err), 0);
    CHECK_EQ(outfile_rewrite(&of, 0, "x", 1, &err), -1);
    outfile_abort(&of);
}

static void test_in_place(void)
{
    CHECK(outfile_in_place("-"));
    CHECK(outfile_in_place("/dev/null"));
    CHECK(outfile_in_place("/dev/stdout"));
    CHECK(!outfile_in_place(at("plain")));
    CHECK(!outfile_in_place(at("not-yet")));
    CHECK_EQ(mkfifo(at("fifo-ip"), 0600), 0);
    CHECK(outfile_in_place(at("fifo-ip")));
}

/* A pipe on standard output whose reader is gone, with SIGPIPE ignored as a parent may
 * leave it: the write fails with the code that makes the command quiet. */
static void test_stdout_gone(void)
{
    CHECK(outfile_stdout_gone(EPIPE));
    int p[2];
    CHECK_EQ(pipe(p), 0);
    fflush(stdout);
    int saved = dup(STDOUT_FILENO);
    dup2(p[1], STDOUT_FILENO);
    close(p[1]);
    bool alive = outfile_stdout_gone(0);
    close(p[0]);
    bool gone = outfile_stdout_gone(0);
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    struct outfile of;
    struct w2v_err err = {{0}, 0};
    int rc = outfile_open(&of, "-", false, &err);
    if (rc == 0) {
        char big[OUTFILE_BUF * 2] = {0};
        rc = outfile_write(&of, big, sizeof big, &err);
        rc = rc == 0 ? outfile_commit(&of, &err) : (outfile_abort(&of), -1);
    }
    signal(SIGPIPE, old);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    CHECK(!alive);
    CHECK(gone);
    CHECK_EQ(rc, -1);
    CHECK_EQ(err.code, W2V_ERR_STDOUT_CLOSED);
    /* Not standard output: a failure like any other. */
    CHECK(!outfile_stdout_gone(0));
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/w2v-test-outfile-XXXXXX");
    harness_scratch(dir);
    RUN(test_commit_and_abort);
    RUN(test_symlink_written_through);
    RUN(test_mode_kept);
    RUN(test_sigkill_leaves_nothing);
    RUN(test_cleanup_on_exit_and_signals);
    RUN(test_check);
    RUN(test_check_names);
    RUN(test_stdout_gone);
    RUN(test_commit_group);
    RUN(test_commit_group_write_error);
    RUN(test_rewrite);
    RUN(test_in_place);
    harness_scratch_remove(dir);
    TEST_MAIN("outfile");
}
