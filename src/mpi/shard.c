/* shard: cut points found by reading a few bytes around them with pread; the plan is a
 * pure function of the inputs' sizes and bytes, so every process computes the same cuts
 * without talking to the others. */
#include "mpi/shard.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text/corpus.h"
#include "io/input.h"
#include "base/util.h"

/* Bytes read at a time while looking for a cut. */
#define SHARD_BLOCK (1 << 16)

struct source {
    const char *path;
    int64_t size;       /* bytes in the file (compressed size for gzip) */
    bool splittable;    /* an uncompressed regular file */
};

static int inspect(struct source *s, const char *path, struct w2v_err *err)
{
    s->path = path;
    s->size = 0;
    s->splittable = false;
    struct input in;
    if (input_open(&in, path, err) != 0) {
        return -1;
    }
    s->splittable = input_mappable(&in) && strcmp(path, "-") != 0;
    struct stat st;
    if (in.regular && fstat(in.fd, &st) == 0) {
        s->size = (int64_t)st.st_size;
    }
    input_close(&in);
    return 0;
}

/* Offset just after the first byte at or after 'from' that satisfies 'want' (a line end,
 * or any separator), searching at most 'limit' bytes (-1: to the end); 'size' if the end
 * comes first, -2 if the limit does, -1 on a read error. */
static int64_t find_after(int fd, int64_t from, int64_t size, int64_t limit, bool line_end,
                          unsigned char *buf)
{
    int64_t pos = from;
    while (pos < size && (limit < 0 || pos - from < limit)) {
        ssize_t got = pread(fd, buf, SHARD_BLOCK, (off_t)pos);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            return got == 0 ? size : -1;
        }
        for (ssize_t i = 0; i < got; i++) {
            if (line_end ? buf[i] == '\n' : corpus_byte_of(buf[i]) != CORPUS_WORD) {
                return pos + i + 1;
            }
        }
        pos += got;
    }
    return pos >= size ? size : -2;
}

/* The cut for a nominal cut at byte 'at' of 'src': a token boundary at or after it. */
static int64_t cut_at(const struct source *src, int64_t at, struct w2v_err *err)
{
    if (at <= 0 || at >= src->size) {
        return at <= 0 ? 0 : src->size;
    }
    int fd = open(src->path, O_RDONLY);
    if (fd < 0) {
        err_set(err, "%s: %s", src->path, strerror(errno));
        return -1;
    }
    unsigned char *buf = xmalloc(SHARD_BLOCK);
    /* A line that starts exactly at 'at' is cut before: hence the search from 'at' - 1. */
    int64_t cut = find_after(fd, at - 1, src->size, SHARD_LINE_SCAN, true, buf);
    if (cut == -2) {
        cut = find_after(fd, at - 1, src->size, -1, false, buf);
    }
    if (cut < 0) {
        err_set(err, "%s: %s", src->path, strerror(errno));
    }
    free(buf);
    close(fd);
    return cut;
}

/* The cut of the concatenated inputs nearest after byte 'at' of them, as a global offset. */
static int64_t global_cut(const struct source *src, int n, int64_t at, struct w2v_err *err)
{
    int64_t start = 0;
    for (int f = 0; f < n; f++) {
        if (at < start + src[f].size) {
            int64_t c = cut_at(&src[f], at - start, err);
            return c < 0 ? -1 : start + c;
        }
        start += src[f].size;
    }
    return start;
}

static void add_part(struct shard_plan *p, const char *path, int64_t begin, int64_t end,
                     int deal, int of)
{
    p->parts = xrealloc(p->parts, (size_t)(p->n + 1) * sizeof *p->parts);
    struct shard_part *part = &p->parts[p->n++];
    part->path = path;
    part->share.begin = begin;
    part->share.end = end;
    part->share.deal = deal;
    part->share.of = of;
}

static int plan_ranges(struct shard_plan *p, const struct source *src, int n, int rank,
                       int size, struct w2v_err *err)
{
    int64_t total = 0;
    for (int f = 0; f < n; f++) {
        total += src[f].size;
    }
    /* Nominal cuts at total * r / size, computed without overflow. */
    int64_t a = (int64_t)((double)total * rank / size);
    int64_t b = rank + 1 == size ? total : (int64_t)((double)total * (rank + 1) / size);
    int64_t from = global_cut(src, n, a, err);
    int64_t to = global_cut(src, n, b, err);
    if (from < 0 || to < 0) {
        return -1;
    }
    int64_t start = 0;
    for (int f = 0; f < n; f++) {
        int64_t end = start + src[f].size;
        int64_t lo = from > start ? from : start;
        int64_t hi = to < end ? to : end;
        if (lo < hi) {
            add_part(p, src[f].path, lo - start, hi - start, 0, 1);
        }
        start = end;
    }
    return 0;
}

/* Whole files, largest first, each to the process with the fewest bytes so far. */
static void plan_files(struct shard_plan *p, const struct source *src, int n, int rank,
                       int size)
{
    int64_t *load = xcalloc((size_t)size, sizeof *load);
    int *owner = xmalloc((size_t)n * sizeof *owner);
    bool *placed = xcalloc((size_t)n, sizeof *placed);
    for (int k = 0; k < n; k++) {
        int big = -1;
        for (int f = 0; f < n; f++) {
            if (!placed[f] && (big < 0 || src[f].size > src[big].size)) {
                big = f;
            }
        }
        int least = 0;
        for (int r = 1; r < size; r++) {
            if (load[r] < load[least]) {
                least = r;
            }
        }
        placed[big] = true;
        owner[big] = least;
        load[least] += src[big].size;
    }
    for (int f = 0; f < n; f++) {
        if (owner[f] == rank) {
            add_part(p, src[f].path, 0, -1, 0, 1);
        }
    }
    free(load);
    free(owner);
    free(placed);
}

int shard_plan(struct shard_plan *p, const char *const *paths, int npaths, int rank, int size,
               struct w2v_err *err)
{
    memset(p, 0, sizeof *p);
    if (size <= 1) {
        p->mode = SHARD_ALL;
        for (int f = 0; f < npaths; f++) {
            add_part(p, paths[f], 0, -1, 0, 1);
        }
        return 0;
    }
    for (int f = 0; f < npaths; f++) {
        if (strcmp(paths[f], "-") == 0) {
            err_set(err, "standard input: a job of several processes cannot share it "
                    "(launchers pass it to rank 0 only); give the corpus as files");
            return -1;
        }
    }
    struct source *src = xcalloc((size_t)npaths, sizeof *src);
    bool all_split = true;
    int rc = 0;
    for (int f = 0; f < npaths && rc == 0; f++) {
        rc = inspect(&src[f], paths[f], err);
        all_split = all_split && src[f].splittable;
    }
    if (rc == 0 && all_split) {
        p->mode = SHARD_RANGES;
        rc = plan_ranges(p, src, npaths, rank, size, err);
    } else if (rc == 0 && npaths >= size) {
        p->mode = SHARD_FILES;
        plan_files(p, src, npaths, rank, size);
    } else if (rc == 0) {
        p->mode = SHARD_LINES;
        for (int f = 0; f < npaths; f++) {
            add_part(p, paths[f], 0, -1, rank, size);
        }
    }
    free(src);
    return rc;
}

int shard_read(const struct shard_plan *p, struct vocab *v, bool fixed, struct idstream *s,
               const struct corpus_limits *lim, struct corpus_stats *st, struct w2v_err *err)
{
    for (int i = 0; i < p->n; i++) {
        if (corpus_read_share(p->parts[i].path, &p->parts[i].share, v, fixed, s, lim, st,
                              err) != 0) {
            return -1;
        }
    }
    return 0;
}

int shard_check_same(struct dist *d, const struct shard_plan *p, const struct corpus_stats *st,
                     struct w2v_err *err)
{
    if (p->mode != SHARD_LINES) {
        return 0;
    }
    int64_t v[] = {st->units, -st->units};
    if (dist_max_i64(d, v, 2, err) != 0) {
        return -1;
    }
    if (v[0] != -v[1]) {
        err_set(err, "the processes read different data (%lld to %lld lines): the corpus "
                "must be the same file on every node",
                (long long)-v[1], (long long)v[0]);
        return -1;
    }
    return 0;
}

const char *shard_mode_name(enum shard_mode mode)
{
    switch (mode) {
    case SHARD_RANGES:
        return "byte ranges cut at line ends";
    case SHARD_FILES:
        return "whole files dealt by size";
    case SHARD_LINES:
        return "every process reads all and keeps its share of the lines";
    default:
        return "one process reads all";
    }
}

void shard_free(struct shard_plan *p)
{
    free(p->parts);
    memset(p, 0, sizeof *p);
}
