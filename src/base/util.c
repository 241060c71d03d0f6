/* util: checked allocation, clocks, strict number parsing and formatting helpers. */
/* madvise and MADV_HUGEPAGE are Linux extensions beyond POSIX; realpath is XSI. */
#define _DEFAULT_SOURCE
#include "base/util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/w2v.h"

/* Alignment of large arrays: one cache line, and enough for any vector load. */
#define UTIL_ALIGN 64
/* Arrays of at least this size are aligned to it and offered huge pages: training reads
 * rows at random, and with 4 KiB pages most of those reads would also miss the TLB. */
#define UTIL_HUGE_PAGE (2u << 20)
/* Symbolic links followed at most, as the kernel's own limit (Linux's MAXSYMLINKS). */
#define UTIL_MAX_LINKS 40

/* Prints the one out-of-memory line, naming 'what' if given, and exits. */
_Noreturn static void out_of_memory(const char *what, size_t n)
{
    if (what != NULL) {
        char size[32];
        log_error("%s: cannot allocate %s (out of memory)", what,
                  fmt_bytes(size, sizeof size, (double)n));
    } else {
        log_error("out of memory (%zu bytes)", n);
    }
    exit(W2V_EXIT_ERR);
}

void *xmalloc_as(const char *what, size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        out_of_memory(what, n);
    }
    return p;
}

void *xrealloc_as(const char *what, void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (q == NULL) {
        out_of_memory(what, n);
    }
    return q;
}

void *xmalloc(size_t n)
{
    return xmalloc_as(NULL, n);
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p == NULL) {
        out_of_memory(NULL, count * size);
    }
    return p;
}

void *xrealloc(void *p, size_t n)
{
    return xrealloc_as(NULL, p, n);
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xmalloc(n);
    memcpy(d, s, n);
    return d;
}

int thread_start(pthread_t *tid, size_t stack, void *(*fn)(void *), void *arg)
{
    pthread_attr_t attr;
    int e = pthread_attr_init(&attr);
    if (e != 0) {
        return e;
    }
    e = pthread_attr_setstacksize(&attr, stack);
    if (e == 0) {
        e = pthread_create(tid, &attr, fn, arg);
    }
    pthread_attr_destroy(&attr);
    return e;
}

int team_size(int want, int64_t work)
{
    int64_t n = want < TEAM_MAX ? want : TEAM_MAX;
    n = n < work ? n : work;
    return n > 1 ? (int)n : 1;
}

int team_start(pthread_t *tid, int n, void *(*fn)(void *), void *args, size_t size)
{
    int started = 0;
    while (started < n &&
           thread_start(&tid[started], TEAM_STACK, fn, (char *)args + (size_t)started * size) == 0) {
        started++;
    }
    return started;
}

void team_join(const pthread_t *tid, int n)
{
    for (int t = 0; t < n; t++) {
        pthread_join(tid[t], NULL);
    }
}

void *alloc_big(size_t bytes, const char *what, struct w2v_err *err)
{
    void *p = NULL;
    size_t align = bytes >= UTIL_HUGE_PAGE ? UTIL_HUGE_PAGE : UTIL_ALIGN;
    if (posix_memalign(&p, align, bytes ? bytes : 1) != 0) {
        char buf[32];
        err_set(err, "%s: cannot allocate %s", what, fmt_bytes(buf, sizeof buf, (double)bytes));
        return NULL;
    }
#ifdef MADV_HUGEPAGE
    if (align == UTIL_HUGE_PAGE) {
        /* Advice only: where huge pages are unavailable nothing changes. */
        (void)madvise(p, bytes - bytes % UTIL_HUGE_PAGE, MADV_HUGEPAGE);
    }
#endif
    return p;
}

bool mul_size(size_t a, size_t b, size_t *out)
{
    if (a != 0 && b > SIZE_MAX / a) {
        return false;
    }
    *out = a * b;
    return true;
}

/* Reads the first line of 'path' as a byte count: the number, SIZE_MAX for "max" (v2's
 * no limit), a missing file or anything else. */
static size_t read_limit(const char *path)
{
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return SIZE_MAX;
    }
    char line[64];
    size_t v = SIZE_MAX;
    if (fgets(line, sizeof line, f) != NULL) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(line, &end, 10);
        if (end != line && (*end == '\n' || *end == '\0') && errno == 0 && n < SIZE_MAX) {
            v = (size_t)n;
        }
    }
    fclose(f);
    return v;
}

/* The smallest limit in file 'file' of directory 'dir' and of every directory above it up
 * to 'root' ('dir' starts with 'root'). */
static size_t limit_up(const char *root, char *dir, const char *file)
{
    size_t best = SIZE_MAX;
    size_t keep = strlen(root);
    for (;;) {
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, file) < sizeof path) {
            size_t v = read_limit(path);
            best = v < best ? v : best;
        }
        char *slash = strrchr(dir, '/');
        if (slash == NULL || (size_t)(slash - dir) < keep) {
            return best;
        }
        *slash = '\0';
    }
}

size_t memory_cgroup_limit(const char *self, const char *root)
{
    FILE *f = fopen(self, "r");
    if (f == NULL) {
        return SIZE_MAX;
    }
    size_t best = SIZE_MAX;
    char line[PATH_MAX];
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        /* "ID:CONTROLLERS:PATH": v2 has "0::PATH", v1 names "memory" among its controllers */
        char *c1 = strchr(line, ':');
        char *c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL;
        if (c2 == NULL) {
            continue;
        }
        *c2 = '\0';
        const char *controllers = c1 + 1;
        const char *cg = c2 + 1;
        char dir[PATH_MAX];
        size_t v = SIZE_MAX;
        if (*controllers == '\0') {
            /* v2, mounted at the root or, beside v1 (hybrid), at root/unified */
            if ((size_t)snprintf(dir, sizeof dir, "%s%s", root, cg) < sizeof dir) {
                v = limit_up(root, dir, "memory.max");
            }
            char v2root[PATH_MAX];
            snprintf(v2root, sizeof v2root, "%s/unified", root);
            if ((size_t)snprintf(dir, sizeof dir, "%s%s", v2root, cg) < sizeof dir) {
                size_t u = limit_up(v2root, dir, "memory.max");
                v = u < v ? u : v;
            }
        } else if (strstr(controllers, "memory") != NULL) {
            char v1root[PATH_MAX];
            snprintf(v1root, sizeof v1root, "%s/memory", root);
            if ((size_t)snprintf(dir, sizeof dir, "%s%s", v1root, cg) < sizeof dir) {
                v = limit_up(v1root, dir, "memory.limit_in_bytes");
            }
        }
        best = v < best ? v : best;
    }
    fclose(f);
    return best;
}

size_t memory_limit(const char **which)
{
    const char *name = "RAM";
    size_t best = SIZE_MAX;
    long pages = sysconf(_SC_PHYS_PAGES);
    long page = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page > 0) {
        best = (size_t)pages * (size_t)page;
    }
    struct rlimit lim;
    if (getrlimit(RLIMIT_AS, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY &&
        (size_t)lim.rlim_cur < best) {
        best = (size_t)lim.rlim_cur;
        name = "ulimit -v";
    }
    size_t cg = memory_cgroup_limit("/proc/self/cgroup", "/sys/fs/cgroup");
    if (cg < best) {
        best = cg;
        name = "the cgroup's limit";
    }
    if (which != NULL) {
        *which = name;
    }
    return best;
}

int online_cpus(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) {
        return 1;
    }
    return n > UTIL_MAX_THREADS ? UTIL_MAX_THREADS : (int)n;
}

double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *fmt_scaled(char *buf, size_t len, double v, double base, const char *const *units,
                        int nunits)
{
    int u = 0;
    while (fabs(v) >= base && u < nunits - 1) {
        v /= base;
        u++;
    }
    if (u == 0) {
        snprintf(buf, len, "%.0f%s", v, units[0]);
    } else {
        snprintf(buf, len, "%.1f%s", v, units[u]);
    }
    return buf;
}

char *fmt_bytes(char *buf, size_t len, double bytes)
{
    static const char *const units[] = {" B", " KiB", " MiB", " GiB", " TiB", " PiB"};
    return fmt_scaled(buf, len, bytes, 1024.0, units, 6);
}

char *fmt_count(char *buf, size_t len, double n)
{
    static const char *const units[] = {"", "k", "M", "G", "T"};
    return fmt_scaled(buf, len, n, 1000.0, units, 5);
}

int parse_i64(const char *s, int64_t lo, int64_t hi, int64_t *out, struct w2v_err *err)
{
    if (s == NULL || *s == '\0') {
        err_set(err, "expected a whole number, got an empty string");
        return -1;
    }
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0') {
        err_set(err, "expected a whole number, got '%s'", s);
        return -1;
    }
    if (errno == ERANGE || v < lo || v > hi) {
        err_set(err, "'%s' is out of range (%lld to %lld)", s, (long long)lo, (long long)hi);
        return -1;
    }
    *out = (int64_t)v;
    return 0;
}

int parse_f64(const char *s, double lo, double hi, double *out, struct w2v_err *err)
{
    if (s == NULL || *s == '\0') {
        err_set(err, "expected a number, got an empty string");
        return -1;
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0') {
        err_set(err, "expected a number, got '%s'", s);
        return -1;
    }
    if (errno == ERANGE || !isfinite(v) || v < lo || v > hi) {
        err_set(err, "'%s' is out of range (%g to %g)", s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

/* Largest size parse_size accepts, in bytes (an exabyte: beyond any machine). */
#define UTIL_MAX_SIZE 1e18

int parse_size(const char *s, size_t *out, struct w2v_err *err)
{
    static const char units[] = "KMGT";
    size_t len = strlen(s);
    double scale = 1024.0 * 1024.0; /* a bare number is in MiB */
    char num[64];
    if (len == 0 || len >= sizeof num) {
        err_set(err, "expected a size such as 512M or 4G");
        return -1;
    }
    memcpy(num, s, len + 1);
    const char *u = strchr(units, num[len - 1] & ~0x20);
    if (u != NULL && *u != '\0') {
        scale = 1.0;
        for (const char *k = units; k <= u; k++) {
            scale *= 1024.0;
        }
        num[len - 1] = '\0';
    }
    double x;
    struct w2v_err why;
    if (num[0] == '\0' || parse_f64(num, 0.0, UTIL_MAX_SIZE, &x, &why) != 0 ||
        x * scale > UTIL_MAX_SIZE) {
        err_set(err, "expected a size such as 512M or 4G, got '%s'", s);
        return -1;
    }
    *out = (size_t)(x * scale);
    return 0;
}

bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s);
    size_t m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* The target of link 'path', resolved against the link's own directory when relative;
 * malloc'ed, or NULL if 'path' is not a readable link. */
static char *link_target(const char *path)
{
    char buf[PATH_MAX];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0) {
        return NULL;
    }
    buf[n] = '\0';
    const char *slash = strrchr(path, '/');
    if (buf[0] == '/' || slash == NULL) {
        return xstrdup(buf);
    }
    size_t dir = (size_t)(slash - path) + 1;
    char *out = xmalloc(dir + (size_t)n + 1);
    memcpy(out, path, dir);
    memcpy(out + dir, buf, (size_t)n + 1);
    return out;
}

char *follow_links(const char *path)
{
    char *cur = xstrdup(path);
    for (int hops = 0; hops < UTIL_MAX_LINKS; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) {
            break;
        }
        char *next = link_target(cur);
        if (next == NULL) {
            break;
        }
        free(cur);
        cur = next;
    }
    return cur;
}

/* An absolute spelling of 'path' that may not exist yet: the real path of its directory
 * (after following links) joined with its last component; malloc'ed, or NULL when the
 * directory does not resolve. */
static char *resolve_new(const char *path)
{
    char *p = follow_links(path);
    char *slash = strrchr(p, '/');
    const char *dir = ".";
    const char *base = p;
    if (slash != NULL) {
        *slash = '\0';
        dir = slash == p ? "/" : p;
        base = slash + 1;
    }
    char *real = realpath(dir, NULL);
    char *out = NULL;
    if (real != NULL) {
        size_t n = strlen(real) + strlen(base) + 2;
        out = xmalloc(n);
        snprintf(out, n, "%s/%s", real, base);
        free(real);
    }
    free(p);
    return out;
}

bool same_file(const char *a, const char *b)
{
    struct stat sa;
    struct stat sb;
    bool has_a = stat(a, &sa) == 0;
    bool has_b = stat(b, &sb) == 0;
    if (has_a && has_b) {
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino && !S_ISCHR(sa.st_mode);
    }
    if (has_a != has_b) {
        return false;
    }
    char *ra = resolve_new(a);
    char *rb = resolve_new(b);
    bool same = ra != NULL && rb != NULL && strcmp(ra, rb) == 0;
    free(ra);
    free(rb);
    return same;
}

const char *tmp_dir(const char *given, const char **origin)
{
    const char *env = getenv("TMPDIR");
    *origin = "";
    if (given != NULL) {
        return given;
    }
    if (env != NULL && *env != '\0') {
        *origin = "TMPDIR ";
        return env;
    }
    return UTIL_TMPDIR_DEFAULT;
}

const char *path_label(const char *path, bool output)
{
    if (strcmp(path, "-") != 0) {
        return path;
    }
    return output ? "standard output" : "standard input";
}

int open_input(const char *path, struct w2v_err *err)
{
    int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY);
    if (fd < 0) {
        err_set(err, "%s: %s", path_label(path, false), strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        err_set(err, "%s: %s", path_label(path, false), strerror(EISDIR));
        close(fd);
        return -1;
    }
    return fd;
}

void opt_begin(void)
{
    opterr = 0;
    optind = 0; /* full re-initialisation, so that parsing may run more than once */
}

int opt_next(int argc, char **argv, const struct option *table, int *index,
             struct w2v_err *err)
{
    *index = -1;
    int id = getopt_long_only(argc, argv, ":", table, index);
    if (id == '?' || id == ':') {
        err_set(err, "%s: %s", argv[optind - 1],
                id == '?' ? "unknown or ambiguous option" : "missing value");
        return '?';
    }
    return id;
}
