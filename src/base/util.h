/* util: small helpers every module may use: checked small allocations, aligned large
 * allocations, threads of a small stack and teams of them, the wall clock, strict number
 * parsing and human-readable sizes. */
#ifndef W2V_UTIL_H
#define W2V_UTIL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"

/* Small allocations (bookkeeping, buffers of a few MB): on failure these print
 * "w2v: out of memory (N bytes)" and exit with status 1 (the exit removes temporary
 * output files, see sig.h). Large matrices and streams use alloc_big, which reports
 * failure to the caller instead. */
void *xmalloc(size_t n) __attribute__((returns_nonnull));
void *xcalloc(size_t count, size_t size) __attribute__((returns_nonnull));
void *xrealloc(void *p, size_t n) __attribute__((returns_nonnull));
/* The same for arrays that grow with the input (the word index, the counts, the id
 * stream's block list), where running out of memory is a limit a user can meet: the
 * message names the array and the size asked for, "w2v: <what>: cannot allocate 1.0 GiB
 * (out of memory)". */
void *xmalloc_as(const char *what, size_t n) __attribute__((returns_nonnull));
void *xrealloc_as(const char *what, void *p, size_t n) __attribute__((returns_nonnull));
char *xstrdup(const char *s) __attribute__((returns_nonnull));

/* Starts thread '*tid' running fn(arg) on a stack of 'stack' bytes: the default (often
 * 8 MiB of address space a thread, kept mapped after the thread ends for the next one)
 * would not let many threads start under an address-space limit (ulimit -v). Returns 0
 * or pthread_create's error number. */
int thread_start(pthread_t *tid, size_t stack, void *(*fn)(void *), void *arg);

/* A team: the calling thread and helpers that take pieces of one job from a shared
 * counter, for the steps between reading and training. At most TEAM_MAX threads in all;
 * a helper's stack is TEAM_STACK bytes (its frames are a few hundred bytes), and a helper
 * never calls the allocator (a thread that does gets a heap arena of its own, 64 MiB of
 * address space, which an address-space limit may not hold). */
#define TEAM_MAX 8
#define TEAM_STACK ((size_t)256 << 10)

/* Threads of a team for 'work' pieces when 'want' are asked for: at least 1, at most
 * TEAM_MAX and 'work'. */
int team_size(int want, int64_t work);

/* Starts 'n' helpers (n < TEAM_MAX) running fn(args), fn(args + size), ... (size 0: the
 * same 'args' for every one), and stops at the first that cannot start: its share is left
 * to the others. Returns the number started, for team_join. */
int team_start(pthread_t *tid, int n, void *(*fn)(void *), void *args, size_t size);

/* Waits for the 'n' helpers team_start started. */
void team_join(const pthread_t *tid, int n);

/* Returns 64-byte aligned memory of 'bytes' bytes, or NULL with 'err' set to
 * "<what>: cannot allocate <size>". Free with free(). */
void *alloc_big(size_t bytes, const char *what, struct w2v_err *err);

/* Multiplies 'a' by 'b' into '*out'; returns false (leaving '*out' alone) on overflow. */
bool mul_size(size_t a, size_t b, size_t *out);

/* Most worker threads any command starts (-threads is checked against it). */
#define UTIL_MAX_THREADS 1024

/* The memory this process may use: the smallest of the physical memory, the address-space
 * limit (RLIMIT_AS, as 'ulimit -v' sets it) and the memory limit of its cgroup (v2's
 * memory.max, or v1's memory.limit_in_bytes, of its cgroup and every one above it), in
 * bytes, or SIZE_MAX when none is known; '*which' (if not NULL) names the one that binds:
 * "RAM", "ulimit -v" or "the cgroup's limit". */
size_t memory_limit(const char **which);

/* The cgroup part of memory_limit, from a /proc/self/cgroup file at 'self' and a cgroup
 * file system mounted at 'root' (a v2 hierarchy, or v1's with a "memory" directory), for
 * tests; SIZE_MAX when there is no limit or it cannot be read. A v2 hierarchy is also
 * looked for at root/unified (beside v1, as systemd's hybrid layout mounts it). */
size_t memory_cgroup_limit(const char *self, const char *root);

/* Online CPUs, at least 1 and at most UTIL_MAX_THREADS: the default thread count of every
 * command that runs threads. */
int online_cpus(void);

/* Seconds on a monotonic clock, for measuring wall time. */
double now_sec(void);

/* Writes 'bytes' as "12.3 MiB" style text into 'buf' of 'len' bytes; returns 'buf'. */
char *fmt_bytes(char *buf, size_t len, double bytes);

/* Writes 'n' as "12.3M" style text into 'buf' of 'len' bytes; returns 'buf'. */
char *fmt_count(char *buf, size_t len, double n);

/* 'one' when 'n' is 1, else 'many': the noun after a count in a message ("1 token",
 * "2 tokens", "0 tokens"). */
static inline const char *plural(int64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* File 'path' as messages name it: "standard input" (or "standard output" when 'output')
 * for "-", which every command reads or writes there; 'path' itself otherwise. */
const char *path_label(const char *path, bool output);

/* Directory for temporary files when neither an option nor $TMPDIR names one. */
#define UTIL_TMPDIR_DEFAULT "/tmp"

/* The directory for temporary files: 'given' (an option's value) when not NULL, else
 * $TMPDIR when set and not empty, else UTIL_TMPDIR_DEFAULT. '*origin' is set to how
 * messages introduce it: "TMPDIR " for $TMPDIR, "" otherwise, so that "%s%s: reason",
 * origin, dir reads "TMPDIR /nope: No such file or directory". */
const char *tmp_dir(const char *given, const char **origin);

/* Parses all of 's' as a base-10 integer in [lo, hi]. On failure returns -1 and sets
 * 'err' to a reason ("not a whole number", "must be at least 1", ...) without a subject. */
int parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out, struct w2v_err *err);

/* Parses all of 's' as a finite number in [lo, hi]; same contract as parse_i64. */
int parse_f64(const char *s, double lo, double hi, double *out, struct w2v_err *err);

/* Parses a size such as "512M" or "4G" (K, M, G, T, either case: powers of 1024; no
 * suffix: MiB) into bytes. Returns 0, or -1 with 'err' set to a reason without a subject
 * ("expected a size such as 512M or 4G, got 'S'"). */
int parse_size(const char *s, size_t *out, struct w2v_err *err);

/* Opens 'path' for reading ("-" gives a duplicate of standard input) and returns the
 * descriptor, or -1 with 'err' set to "<path>: <reason>"; a directory is refused. */
int open_input(const char *path, struct w2v_err *err);

/* How many of 'n' items the first 'limit' are: all 'n' when 'limit' is 0 (no limit) or
 * at least 'n'. */
static inline int64_t first_n(int64_t limit, int64_t n)
{
    return limit > 0 && limit < n ? limit : n;
}

struct option;

/* Starts a new parse of a command line with opt_next (getopt's state is reset and its own
 * messages are off). */
void opt_begin(void);

/* One step of getopt_long_only over 'argv' with the option table 'table' (single-dash long
 * names, no short options): returns the option's id with its table row in '*index', -1 at
 * the end of the options (optind is then the first operand), or '?' with 'err' set to
 * "ARG: unknown or ambiguous option" or "ARG: missing value". */
int opt_next(int argc, char **argv, const struct option *table, int *index,
             struct w2v_err *err);

/* True if 's' ends with 'suffix', ignoring ASCII case (for file-name suffixes such as
 * ".gz", which then also matches ".GZ"). */
bool ends_with(const char *s, const char *suffix);

/* 'path' with its symbolic links followed (at most 40), also when the last link points
 * to a file that does not exist yet; relative link targets are taken from the link's
 * directory. Returns a malloc'ed path ('path' itself when it is not a link). */
char *follow_links(const char *path);

/* True if 'a' and 'b' name the same file: when both exist, the same device and inode
 * (hard links and symbolic links count), except character devices such as /dev/null,
 * which any number of names may share; when neither exists, the same absolute path once
 * links and the directory are resolved. A file that exists and one that does not are
 * never the same. */
bool same_file(const char *a, const char *b);

#endif
