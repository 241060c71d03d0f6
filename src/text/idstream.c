/* idstream: block table, spill file and readers. */
#include "text/idstream.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"

/* First size of the block table, in blocks. */
#define IDSTREAM_INIT_BLOCKS 64

void idstream_init(struct idstream *s, size_t mem_limit, const char *tmpdir)
{
    memset(s, 0, sizeof *s);
    s->mem_limit = mem_limit;
    s->tmpdir = tmpdir;
    s->fd = -1;
}

void idstream_free(struct idstream *s)
{
    for (int64_t b = 0; b < s->nblk; b++) {
        free(s->blk[b].mem);
    }
    free(s->blk);
    if (s->fd >= 0) {
        close(s->fd);
    }
    idstream_init(s, 0, NULL);
}

const char *idstream_dir(const struct idstream *s)
{
    const char *origin;
    return tmp_dir(s->tmpdir, &origin);
}

/* Sets 'err' to "DIR: cannot DO the id stream's spill file: REASON", with "TMPDIR DIR"
 * when the directory comes from $TMPDIR. */
static void spill_error(const struct idstream *s, const char *what, const char *reason,
                        struct w2v_err *err)
{
    const char *origin;
    const char *dir = tmp_dir(s->tmpdir, &origin);
    err_set(err, "%s%s: cannot %s the id stream's spill file: %s", origin, dir, what, reason);
}

/* Creates the spill file and unlinks it at once, so that only the descriptor keeps it. */
static int open_spill(struct idstream *s, struct w2v_err *err)
{
    const char *dir = idstream_dir(s);
    size_t len = strlen(dir) + sizeof "/w2v-ids-XXXXXX";
    char *name = xmalloc(len);
    snprintf(name, len, "%s/w2v-ids-XXXXXX", dir);
    s->fd = mkstemp(name);
    int e = errno;
    if (s->fd >= 0) {
        unlink(name);
    }
    free(name);
    if (s->fd < 0) {
        spill_error(s, "create", strerror(e), err);
        return -1;
    }
    return 0;
}

static int write_at(struct idstream *s, const unsigned char *p, size_t n, int64_t off,
                    struct w2v_err *err)
{
    while (n > 0) {
        ssize_t put = pwrite(s->fd, p, n, (off_t)off);
        if (put < 0 && errno == EINTR) {
            continue;
        }
        if (put <= 0) {
            spill_error(s, "write", put < 0 ? strerror(errno) : "no space written", err);
            return -1;
        }
        p += put;
        n -= (size_t)put;
        off += put;
    }
    return 0;
}

static int read_at(const struct idstream *s, unsigned char *p, size_t n, int64_t off,
                   struct w2v_err *err)
{
    while (n > 0) {
        ssize_t got = pread(s->fd, p, n, (off_t)off);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got <= 0) {
            spill_error(s, "read", got < 0 ? strerror(errno) : "unexpected end of file", err);
            return -1;
        }
        p += got;
        n -= (size_t)got;
        off += got;
    }
    return 0;
}

/* Writes block 'b' to the end of the spill file; its memory is kept (the caller frees or
 * reuses it). */
static int spill_block(struct idstream *s, struct idstream_block *b, struct w2v_err *err)
{
    if (s->fd < 0 && open_spill(s, err) != 0) {
        return -1;
    }
    if (write_at(s, b->mem, b->len, s->file_len, err) != 0) {
        return -1;
    }
    b->off = s->file_len;
    s->file_len += b->len;
    return 0;
}

int idstream_next_block(struct idstream *s, struct w2v_err *err)
{
    unsigned char *buf = NULL;
    if (s->w != NULL) {
        struct idstream_block *last = &s->blk[s->nblk - 1];
        last->len = (uint32_t)(s->w - last->mem);
        s->w = NULL;
        if (s->mem_bytes + IDSTREAM_BLOCK > s->mem_limit) {
            if (spill_block(s, last, err) != 0) {
                return -1;
            }
            buf = last->mem; /* reused for the next block */
            last->mem = NULL;
            last->cap = 0;
            s->mem_bytes -= IDSTREAM_BLOCK;
        }
    }
    if (s->nblk == s->cap_blk) {
        s->cap_blk = s->cap_blk ? s->cap_blk * 2 : IDSTREAM_INIT_BLOCKS;
        s->blk = xrealloc_as("id stream block list", s->blk, (size_t)s->cap_blk * sizeof *s->blk);
    }
    if (buf == NULL) {
        buf = malloc(IDSTREAM_BLOCK);
        if (buf == NULL) {
            char size[32];
            err_set(err, "id stream: cannot allocate %s",
                    fmt_bytes(size, sizeof size, (double)IDSTREAM_BLOCK));
            return -1;
        }
    }
    s->mem_bytes += IDSTREAM_BLOCK;
    s->max_len = IDSTREAM_BLOCK;
    struct idstream_block *b = &s->blk[s->nblk++];
    memset(b, 0, sizeof *b);
    b->mem = buf;
    b->cap = IDSTREAM_BLOCK;
    b->first = s->n;
    s->w = buf;
    s->w_end = buf + IDSTREAM_BLOCK;
    return 0;
}

int idstream_finish(struct idstream *s, struct w2v_err *err)
{
    if (s->w == NULL) {
        return 0;
    }
    struct idstream_block *last = &s->blk[s->nblk - 1];
    last->len = (uint32_t)(s->w - last->mem);
    s->w = NULL;
    s->w_end = NULL;
    /* The last block is usually part-filled: give back what it does not use. */
    unsigned char *shrunk = realloc(last->mem, last->len > 0 ? last->len : 1);
    if (shrunk != NULL) {
        last->mem = shrunk;
        s->mem_bytes -= last->cap;
        last->cap = last->len > 0 ? last->len : 1;
        s->mem_bytes += last->cap;
    }
    return idstream_set_limit(s, s->mem_limit, err);
}

int idstream_set_limit(struct idstream *s, size_t mem_limit, struct w2v_err *err)
{
    s->mem_limit = mem_limit;
    /* The open block (if any) is being written and stays in memory. */
    int64_t b = s->nblk - (s->w != NULL ? 2 : 1);
    for (; b >= 0 && s->mem_bytes > mem_limit; b--) {
        struct idstream_block *k = &s->blk[b];
        if (k->mem == NULL) {
            continue;
        }
        if (spill_block(s, k, err) != 0) {
            return -1;
        }
        free(k->mem);
        k->mem = NULL;
        s->mem_bytes -= k->cap;
        k->cap = 0;
    }
    return 0;
}

/* Recodes the ids of 'len' bytes at 'in' into 'out' through 'map'; returns the new length
 * and sets '*tokens' to the ids kept. 'out' may be 'in' when no id grows. */
static uint32_t recode_bytes(const unsigned char *in, uint32_t len, unsigned char *out,
                             const int32_t *map, uint32_t *tokens)
{
    const unsigned char *end = in + len;
    unsigned char *o = out;
    uint32_t kept = 0;
    while (in < end) {
        uint32_t id = 0;
        unsigned shift = 0;
        uint32_t b;
        do {
            b = *in++;
            id |= (b & 0x7f) << shift;
            shift += 7;
        } while (b >= 0x80);
        int32_t to = map[id];
        if (to < 0) {
            continue;
        }
        uint32_t v = (uint32_t)to;
        while (v >= 0x80) {
            *o++ = (unsigned char)(v | 0x80);
            v >>= 7;
        }
        *o++ = (unsigned char)v;
        kept++;
    }
    *tokens = kept;
    return (uint32_t)(o - out);
}

/* Stores the recoded bytes of block 'b' ('len' bytes at 'p'): in its memory, grown if need
 * be, or in the spill file, in place when they fit there and at the end when they do not. */
static int store_block(struct idstream *s, struct idstream_block *b, const unsigned char *p,
                       uint32_t len, struct w2v_err *err)
{
    if (b->mem != NULL) {
        if (len > b->cap) {
            unsigned char *grown = realloc(b->mem, len);
            if (grown == NULL) {
                err_set(err, "id stream: cannot allocate %u bytes", len);
                return -1;
            }
            s->mem_bytes += len - b->cap;
            b->mem = grown;
            b->cap = len;
        }
        memcpy(b->mem, p, len);
    } else {
        int64_t off = len <= b->len ? b->off : s->file_len;
        if (write_at(s, p, len, off, err) != 0) {
            return -1;
        }
        if (off == s->file_len) {
            s->file_len += len;
        }
        b->off = off;
    }
    b->len = len;
    s->max_len = len > s->max_len ? len : s->max_len;
    return 0;
}

/* Recodes one block: a spilled block is read into 'tmp', the new code is made in 'out'
 * (room for IDSTREAM_MAX_CODE bytes per id). */
static int recode_block(struct idstream *s, int64_t i, const int32_t *map, unsigned char *tmp,
                        unsigned char *out, struct w2v_err *err)
{
    struct idstream_block *b = &s->blk[i];
    const unsigned char *in = b->mem;
    if (in == NULL) {
        if (read_at(s, tmp, b->len, b->off, err) != 0) {
            return -1;
        }
        in = tmp;
    }
    uint32_t tokens;
    uint32_t len = recode_bytes(in, b->len, out, map, &tokens);
    b->tokens = tokens;
    return store_block(s, b, out, len, err);
}

void idstream_set_threads(struct idstream *s, int threads)
{
    s->threads = threads;
}

/* The blocks in memory, recoded by several threads at once (idstream_remap): each thread
 * takes the next block from 'next' and recodes it in its own buffer. Blocks do not share
 * bytes, so the result does not depend on which thread took which. A thread only copies
 * a new code that fits where the old one was (a team's helper never allocates, util.h);
 * what grows, and the spilled blocks, are left to the calling thread, the one that writes
 * the spill file. */
struct remap_job {
    struct idstream *s;
    const int32_t *map;
    unsigned char *done;        /* per block: recoded */
    _Atomic int64_t next;
};

struct remap_part {
    struct remap_job *job;
    unsigned char *out;         /* the thread's buffer */
};

static void *remap_memory(void *arg)
{
    struct remap_part *p = arg;
    struct remap_job *j = p->job;
    for (;;) {
        int64_t i = atomic_fetch_add(&j->next, 1);
        if (i >= j->s->nblk) {
            break;
        }
        struct idstream_block *b = &j->s->blk[i];
        if (b->mem == NULL) {
            continue;
        }
        uint32_t tokens;
        uint32_t len = recode_bytes(b->mem, b->len, p->out, j->map, &tokens);
        if (len <= b->cap) {
            memcpy(b->mem, p->out, len);
            b->len = len;
            b->tokens = tokens;
            j->done[i] = 1;
        }
    }
    return NULL;
}

int idstream_remap(struct idstream *s, const int32_t *map, struct w2v_err *err)
{
    bool open = s->w != NULL;
    if (open) {
        struct idstream_block *last = &s->blk[s->nblk - 1];
        last->len = (uint32_t)(s->w - last->mem);
    }
    int64_t most = 0;
    for (int64_t i = 0; i < s->nblk; i++) {
        most = s->blk[i].tokens > most ? s->blk[i].tokens : most;
    }
    int threads = team_size(s->threads, s->nblk);
    /* the calling thread's buffer for a spilled block, then one per thread for the code */
    size_t room = s->max_len;
    size_t code = (size_t)most * IDSTREAM_MAX_CODE;
    size_t need = room + (size_t)threads * code + (size_t)s->nblk;
    unsigned char *tmp = malloc(need > 0 ? need : 1);
    if (tmp == NULL) {
        err_set(err, "id stream: cannot allocate %zu bytes to recode it", need);
        return -1;
    }
    unsigned char *done = tmp + room + (size_t)threads * code;
    memset(done, 0, (size_t)s->nblk);
    struct remap_job job = {s, map, done, 0};
    struct remap_part part[TEAM_MAX];
    pthread_t tid[TEAM_MAX];
    part[0] = (struct remap_part){&job, tmp + room};
    for (int t = 1; t < threads; t++) {
        part[t] = (struct remap_part){&job, part[0].out + (size_t)t * code};
    }
    int started = team_start(tid, threads - 1, remap_memory, &part[1], sizeof part[0]);
    remap_memory(&part[0]);
    team_join(tid, started);
    int64_t n = 0;
    int64_t bytes = 0;
    int rc = 0;
    for (int64_t i = 0; i < s->nblk && rc == 0; i++) {
        if (!done[i]) {
            rc = recode_block(s, i, map, tmp, part[0].out, err);
        }
        s->blk[i].first = n;
        n += s->blk[i].tokens;
        bytes += s->blk[i].len;
    }
    free(tmp);
    s->n = n;
    s->bytes = bytes;
    if (open) {
        struct idstream_block *last = &s->blk[s->nblk - 1];
        s->w = last->mem + last->len;
        s->w_end = last->mem + last->cap;
    }
    return rc;
}

size_t idstream_mem_bytes(const struct idstream *s)
{
    return s->mem_bytes + (size_t)s->cap_blk * sizeof *s->blk;
}

size_t idreader_bytes(const struct idstream *s)
{
    return idstream_spilled(s) ? s->max_len : 0;
}

int idreader_load(struct idreader *r)
{
    const struct idstream *s = r->s;
    if (r->blk >= s->nblk) {
        err_set(&r->err, "id stream: read past its end");
        return -1;
    }
    const struct idstream_block *b = &s->blk[r->blk++];
    if (b->mem != NULL) {
        r->p = b->mem;
    } else {
        if (r->buf == NULL) {
            r->buf = malloc(s->max_len);
            if (r->buf == NULL) {
                err_set(&r->err, "id stream: cannot allocate a read buffer");
                return -1;
            }
        }
        if (read_at(s, r->buf, b->len, b->off, &r->err) != 0) {
            return -1;
        }
        r->p = r->buf;
    }
    r->end = r->p + b->len;
    return 0;
}

/* The byte after the 'k'-th id that starts at 'p' (the ids are there). Counts the ids'
 * last bytes, the only ones below 0x80, without decoding: 64 bytes at a time while at
 * least 64 ids are left to pass, which the compiler turns into vector compares. */
static const unsigned char *skip_ids(const unsigned char *p, int64_t k)
{
    while (k >= 64) {
        int last = 0;
        for (int i = 0; i < 64; i++) {
            /* The analyser cannot see that the block's bytes were read in (idreader_load). */
            /* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
            last += p[i] < 0x80;
        }
        k -= last;
        p += 64;
    }
    while (k > 0) {
        /* NOLINTNEXTLINE(clang-analyzer-core.UndefinedBinaryOperatorResult) */
        k -= *p++ < 0x80;
    }
    return p;
}

int idreader_open(struct idreader *r, const struct idstream *s, int64_t begin, int64_t end,
                  struct w2v_err *err)
{
    unsigned char *buf = r->buf;
    memset(r, 0, sizeof *r);
    r->buf = buf;
    r->s = s;
    if (end <= begin) {
        return 0;
    }
    /* The last block whose first token is at or before 'begin'. */
    int64_t lo = 0;
    int64_t hi = s->nblk - 1;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo + 1) / 2;
        if (s->blk[mid].first <= begin) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    r->blk = lo;
    r->left = end - begin;
    int64_t skip = begin - s->blk[lo].first;
    if (skip > 0) {
        /* 'begin' is inside block lo: a token never straddles two blocks. */
        if (idreader_load(r) != 0) {
            err_set(err, "%s", r->err.msg);
            idreader_close(r);
            return -1;
        }
        r->p = skip_ids(r->p, skip);
    }
    return 0;
}

void idreader_close(struct idreader *r)
{
    free(r->buf);
    r->buf = NULL;
}
