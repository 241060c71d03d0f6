/* phrases: the words are a vocabulary (strindex + counts); the pairs are a table of
 * (id a, id b) keys with counts, dense entries in insertion order behind an
 * open-addressing index of entry numbers. Invariant: a pair is never counted more often
 * than either of its words, so that dropping the entries counted at most N times never
 * leaves a pair whose word is gone. */
#define _XOPEN_SOURCE 700 /* mkstemp */
#include "text/phrases.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text/corpus.h"
#include "io/input.h"
#include "base/sig.h"
#include "base/util.h"
#include "text/vocab.h"
#include "base/w2v.h"

/* Bytes taken from the input per call. */
#define PHRASES_CHUNK (1 << 18)
/* First size of the pair index, in slots. */
#define PAIRS_MIN_SLOTS 4096
/* Slots per pair entry: the index is at most half full. */
#define PAIRS_SLOTS_PER_ENTRY 2
/* A growth of the pair table by less than this factor cuts the counts instead. */
#define PAIRS_MIN_GROWTH 1.25
/* Most pair entries (entry numbers are int32). */
#define PAIRS_MAX_ENTRIES INT32_MAX
/* Temporary file name for a copy of unseekable input, under $TMPDIR. */
#define PHRASES_SPILL_NAME "w2v-phrases.XXXXXX"

/* MurmurHash3's 64-bit finaliser (Appleby), to spread the bits of a pair key. */
#define MIX_C1 0xff51afd7ed558ccdULL
#define MIX_C2 0xc4ceb9fe1a85ec53ULL
#define MIX_SHIFT 33


struct pair {
    uint64_t key; /* id a << 32 | id b */
    int64_t count;
};

struct pairs {
    struct pair *e;   /* entries 0..n-1 */
    int64_t n;
    int64_t cap;
    int32_t *slots;   /* entry number, or -1 */
    uint64_t nslots;
};

/* The token being read and what was read so far on the current line. */
struct scan_state {
    struct corpus_tok tk;
    int32_t prev;     /* id of the previous word on this line, or -1 */
    bool prev_joined; /* the previous word ended a joined pair (second pass) */
    bool line_open;   /* a word was written on this line (second pass) */
};

struct phrases {
    struct phrases_config cfg;
    struct phrases_stats st;
    struct vocab v;
    struct pairs t;
    int64_t min_reduce;    /* the next cut drops entries counted this many times or fewer */
    size_t cut_bytes;      /* bytes in use just after the last cut */
    struct scan_state sc;
    const char *path;
    int spill_fd;          /* the copy of unseekable input, or -1 */
    uint64_t spill_bytes;
    int64_t tokens2;       /* words read by the second pass */
    struct outfile *out;   /* during the second pass */
    struct w2v_err *err;
};

/* ---- pair table ---- */

static inline uint64_t pair_key(int32_t a, int32_t b)
{
    return (uint64_t)(uint32_t)a << 32 | (uint32_t)b;
}

static inline uint64_t pair_home(const struct pairs *t, uint64_t key)
{
    uint64_t h = key;
    h ^= h >> MIX_SHIFT;
    h *= MIX_C1;
    h ^= h >> MIX_SHIFT;
    h *= MIX_C2;
    h ^= h >> MIX_SHIFT;
    /* Maps the high 32 bits onto 0..nslots-1 without a division (Lemire's reduction). */
    return ((h >> 32) * t->nslots) >> 32;
}

/* Slot holding 'key', or the empty slot where it would go. */
static inline uint64_t pair_slot(const struct pairs *t, uint64_t key)
{
    uint64_t i = pair_home(t, key);
    for (;;) {
        int32_t e = t->slots[i];
        if (e < 0 || t->e[e].key == key) {
            return i;
        }
        if (++i == t->nslots) {
            i = 0;
        }
    }
}

static void pairs_reindex(struct pairs *t)
{
    memset(t->slots, 0xff, t->nslots * sizeof *t->slots);
    for (int64_t i = 0; i < t->n; i++) {
        t->slots[pair_slot(t, t->e[i].key)] = (int32_t)i;
    }
}

static size_t pairs_bytes_for(uint64_t nslots)
{
    return nslots / PAIRS_SLOTS_PER_ENTRY * sizeof(struct pair) + nslots * sizeof(int32_t);
}

static size_t vocab_bytes(const struct vocab *v)
{
    return strindex_bytes(&v->words) + (size_t)v->count_cap * sizeof *v->count;
}

static size_t used_bytes(const struct phrases *p)
{
    return vocab_bytes(&p->v) + pairs_bytes_for(p->t.nslots);
}

/* Gives the pair table 'nslots' slots (and half as many entries); false when memory is
 * short, leaving the table as it was. */
static bool pairs_resize(struct pairs *t, uint64_t nslots)
{
    int64_t cap = (int64_t)(nslots / PAIRS_SLOTS_PER_ENTRY);
    if (cap <= 0) {
        return false;
    }
    struct pair *e = realloc(t->e, (size_t)cap * sizeof *e);
    if (e == NULL) {
        return false;
    }
    t->e = e;
    int32_t *slots = malloc(nslots * sizeof *slots);
    if (slots == NULL) {
        return false;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
    t->cap = cap;
    pairs_reindex(t);
    return true;
}

/* Doubles the pair table, or grows it to what the budget leaves; false when that is too
 * little (the caller cuts the counts instead). */
static bool pairs_grow(struct phrases *p)
{
    struct pairs *t = &p->t;
    uint64_t want = t->nslots * 2;
    size_t other = vocab_bytes(&p->v);
    size_t budget = p->cfg.memory;
    if (other + pairs_bytes_for(want) > budget) {
        size_t room = budget > other ? budget - other : 0;
        want = room / pairs_bytes_for((uint64_t)PAIRS_SLOTS_PER_ENTRY) * PAIRS_SLOTS_PER_ENTRY;
        if ((double)want < (double)t->nslots * PAIRS_MIN_GROWTH) {
            return false;
        }
    }
    if (want / PAIRS_SLOTS_PER_ENTRY > PAIRS_MAX_ENTRIES) {
        want = (uint64_t)PAIRS_MAX_ENTRIES * PAIRS_SLOTS_PER_ENTRY;
        if (want <= t->nslots) {
            return false;
        }
    }
    return pairs_resize(t, want);
}

static int64_t pairs_find(const struct pairs *t, int32_t a, int32_t b)
{
    if (t->nslots == 0) {
        return 0;
    }
    int32_t e = t->slots[pair_slot(t, pair_key(a, b))];
    return e < 0 ? 0 : t->e[e].count;
}

/* ---- counting ---- */

/* Drops the words and pairs counted at most min_reduce times and renumbers the words
 * (vocab_prune), then raises min_reduce. */
static void cut_counts(struct phrases *p)
{
    int32_t *map = NULL;
    vocab_prune(&p->v, p->min_reduce + 1, 0, &map);
    struct pairs *t = &p->t;
    int64_t kept = 0;
    for (int64_t i = 0; i < t->n; i++) {
        struct pair e = t->e[i];
        int32_t a = map[e.key >> 32];
        int32_t b = map[e.key & UINT32_MAX];
        if (e.count > p->min_reduce && a >= 0 && b >= 0) {
            t->e[kept].key = pair_key(a, b);
            t->e[kept].count = e.count;
            kept++;
        }
    }
    t->n = kept;
    pairs_reindex(t);
    if (p->sc.prev >= 0) {
        p->sc.prev = map[p->sc.prev];
    }
    free(map);
    p->st.prunes++;
    p->st.dropped_at = p->min_reduce;
    p->min_reduce++;
    p->cut_bytes = used_bytes(p);
}

/* Makes room for one more word and one more pair within the budget. A vocabulary
 * rebuilt by a cut keeps an arena as large as before until the next cut, so the
 * vocabulary's own growth cuts again only once it has grown past its size after the last
 * cut. */
static void make_room(struct phrases *p)
{
    size_t used = used_bytes(p);
    if (used > p->cfg.memory && used > p->cut_bytes) {
        cut_counts(p);
    }
    while (p->t.n == p->t.cap) {
        if (!pairs_grow(p)) {
            cut_counts(p);
        }
    }
    used = used_bytes(p);
    if (used > p->st.peak_bytes) {
        p->st.peak_bytes = used;
    }
}

static int count_token(struct phrases *p, const char *tok, size_t len, uint64_t h)
{
    make_room(p);
    int32_t id = vocab_intern_h(&p->v, tok, len, h);
    if (id < 0) {
        err_set(p->err, "%s: more than %d distinct words", path_label(p->path, false),
                VOCAB_MAX_WORDS);
        return -1;
    }
    p->v.count[id]++;
    int32_t prev = p->sc.prev;
    p->sc.prev = id;
    if (prev < 0) {
        return 0;
    }
    struct pairs *t = &p->t;
    uint64_t key = pair_key(prev, id);
    uint64_t s = pair_slot(t, key);
    if (t->slots[s] >= 0) {
        t->e[t->slots[s]].count++;
    } else {
        t->e[t->n].key = key;
        t->e[t->n].count = 1;
        t->slots[s] = (int32_t)t->n++;
    }
    return 0;
}

/* ---- rewriting ---- */

double phrases_score(const struct phrases_config *cfg, int64_t ca, int64_t cb, int64_t cab,
                     int64_t total)
{
    int64_t mc = cfg->min_count;
    if (ca < mc || cb < mc || cab < mc || cab <= 0 || total <= 0) {
        return -(double)INFINITY;
    }
    if (cfg->scoring == PHRASES_NPMI) {
        /* npmi = ln(p(ab) / (p(a) p(b))) / -ln(p(ab)), p(x) = count(x) / total (Bouma 2009,
         * as gensim's npmi_scorer). */
        double n = (double)total;
        double pab = (double)cab / n;
        if (pab >= 1.0) {
            return 1.0;
        }
        return log(pab / ((double)ca / n * ((double)cb / n))) / -log(pab);
    }
    /* Mikolov et al. 2013, section 4 (word2phrase's score). */
    return (double)(cab - mc) / (double)ca / (double)cb * (double)total;
}

static int emit(struct phrases *p, const void *data, size_t n)
{
    return outfile_write(p->out, data, n, p->err);
}

static int write_token(struct phrases *p, const char *tok, size_t len, uint64_t h)
{
    p->tokens2++;
    struct scan_state *sc = &p->sc;
    int32_t id = vocab_find_h(&p->v, tok, len, h);
    bool join = false;
    if (id >= 0 && sc->prev >= 0 && !sc->prev_joined) {
        int64_t ca = p->v.count[sc->prev];
        int64_t cb = p->v.count[id];
        int64_t mc = p->cfg.min_count;
        if (ca >= mc && cb >= mc) {
            int64_t cab = pairs_find(&p->t, sc->prev, id);
            join = phrases_score(&p->cfg, ca, cb, cab, p->st.tokens) > p->cfg.threshold;
        }
    }
    if (sc->line_open && emit(p, join ? "_" : " ", 1) != 0) {
        return -1;
    }
    p->st.joined += join;
    sc->prev = id;
    sc->prev_joined = join;
    sc->line_open = true;
    return emit(p, tok, len);
}

/* ---- the scanner shared by both passes ---- */

/* The tokenizer's callbacks in the counting pass (counted_*) and the writing pass
 * (written_*). */
static int counted_token(void *ctx, const char *tok, size_t len, uint64_t h, bool cut)
{
    struct phrases *p = ctx;
    p->st.truncated += cut;
    p->st.tokens++;
    return count_token(p, tok, len, h);
}

static int written_token(void *ctx, const char *tok, size_t len, uint64_t h, bool cut)
{
    (void)cut;
    return write_token(ctx, tok, len, h);
}

static void new_line(struct scan_state *sc)
{
    sc->prev = -1;
    sc->prev_joined = false;
    sc->line_open = false;
}

static int counted_line(void *ctx)
{
    struct phrases *p = ctx;
    new_line(&p->sc);
    p->st.lines++;
    return 0;
}

static int written_line(void *ctx)
{
    struct phrases *p = ctx;
    new_line(&p->sc);
    return emit(p, "\n", 1);
}

static void scan_reset(struct scan_state *sc)
{
    corpus_tok_init(&sc->tk);
    new_line(sc);
}

/* ---- the two passes ---- */

struct phrases *phrases_new(const struct phrases_config *cfg)
{
    struct phrases *p = xcalloc(1, sizeof *p);
    p->cfg = *cfg;
    vocab_init(&p->v);
    p->min_reduce = 1;
    p->spill_fd = -1;
    scan_reset(&p->sc);
    return p;
}

void phrases_free(struct phrases *p)
{
    if (p == NULL) {
        return;
    }
    vocab_free(&p->v);
    free(p->t.e);
    free(p->t.slots);
    if (p->spill_fd >= 0) {
        close(p->spill_fd);
    }
    free(p);
}

const struct phrases_stats *phrases_get_stats(const struct phrases *p)
{
    return &p->st;
}

/* Creates the unlinked temporary file that keeps a copy of unseekable input. */
static int spill_open(struct phrases *p)
{
    const char *origin;
    const char *dir = tmp_dir(NULL, &origin);
    size_t n = strlen(dir) + sizeof PHRASES_SPILL_NAME + 1;
    char *name = xmalloc(n);
    snprintf(name, n, "%s/%s", dir, PHRASES_SPILL_NAME);
    int fd = mkstemp(name);
    if (fd < 0) {
        err_set(p->err, "%s%s: cannot create a temporary file for the copy of %s: %s", origin,
                dir, path_label(p->path, false), strerror(errno));
        free(name);
        return -1;
    }
    unlink(name);
    free(name);
    p->spill_fd = fd;
    p->st.spilled = true;
    return 0;
}

static int spill_write(struct phrases *p, const unsigned char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(p->spill_fd, buf, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            const char *origin;
            const char *dir = tmp_dir(NULL, &origin);
            err_set(p->err, "%s%s: write failed for the temporary copy of %s: %s (set TMPDIR "
                    "to a directory with more room)", origin, dir,
                    path_label(p->path, false), strerror(errno));
            return -1;
        }
        buf += w;
        n -= (size_t)w;
        p->spill_bytes += (uint64_t)w;
    }
    return 0;
}

static void tick(const struct phrases_progress *prog, int pass, uint64_t done, uint64_t total)
{
    if (prog != NULL && prog->fn != NULL) {
        prog->fn(prog->ctx, pass, done, total);
    }
}

static uint64_t file_size(const struct input *in)
{
    struct stat st;
    if (!in->regular || fstat(in->fd, &st) != 0 || st.st_size < 0) {
        return 0;
    }
    return (uint64_t)st.st_size;
}

static int count_chunks(struct phrases *p, struct input *in, unsigned char *buf,
                        const struct phrases_progress *prog)
{
    uint64_t total = file_size(in);
    for (;;) {
        int64_t got = input_read(in, buf, PHRASES_CHUNK, p->err);
        if (got <= 0) {
            return (int)got;
        }
        if (sig_caught()) {
            err_set(p->err, "%s: interrupted", path_label(p->path, false));
            return -1;
        }
        if (p->spill_fd >= 0 && spill_write(p, buf, (size_t)got) != 0) {
            return -1;
        }
        if (corpus_tokenize(&p->sc.tk, buf, (size_t)got, counted_token, counted_line, p) != 0) {
            return -1;
        }
        tick(prog, 1, in->raw_bytes, total);
    }
}

int phrases_count(struct phrases *p, const char *path, const struct phrases_progress *prog,
                  struct w2v_err *err)
{
    p->path = path;
    p->err = err;
    struct input in;
    if (input_open(&in, path, err) != 0) {
        return -1;
    }
    int rc = 0;
    if (strcmp(path, "-") == 0 || !in.regular) {
        rc = spill_open(p);
    }
    if (rc == 0 && !pairs_resize(&p->t, PAIRS_MIN_SLOTS)) {
        err_set(err, "out of memory for the pair counts");
        rc = -1;
    }
    unsigned char *buf = xmalloc(PHRASES_CHUNK);
    if (rc == 0) {
        rc = count_chunks(p, &in, buf, prog);
    }
    if (rc == 0) {
        rc = corpus_tok_flush(&p->sc.tk, counted_token, p);
    }
    free(buf);
    input_close(&in);
    p->st.words = p->v.n - 1; /* without the "</s>" entry of the vocabulary */
    p->st.pairs = p->t.n;
    scan_reset(&p->sc);
    return rc;
}

/* Reads the next chunk of the second pass from the temporary copy. */
static int64_t spill_read(struct phrases *p, unsigned char *buf, size_t n)
{
    for (;;) {
        ssize_t r = read(p->spill_fd, buf, n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r < 0) {
            err_set(p->err, "temporary copy of %s: read failed: %s", path_label(p->path, false),
                    strerror(errno));
            return -1;
        }
        return r;
    }
}

static int write_chunks(struct phrases *p, struct input *in, unsigned char *buf,
                        const struct phrases_progress *prog)
{
    uint64_t total = in != NULL ? file_size(in) : p->spill_bytes;
    uint64_t done = 0;
    for (;;) {
        int64_t got = in != NULL ? input_read(in, buf, PHRASES_CHUNK, p->err)
                                 : spill_read(p, buf, PHRASES_CHUNK);
        if (got <= 0) {
            return (int)got;
        }
        if (sig_caught()) {
            err_set(p->err, "%s: interrupted", path_label(p->path, false));
            return -1;
        }
        if (corpus_tokenize(&p->sc.tk, buf, (size_t)got, written_token, written_line, p) != 0) {
            return -1;
        }
        done += (uint64_t)got;
        tick(prog, 2, in != NULL ? in->raw_bytes : done, total);
    }
}

int phrases_write(struct phrases *p, struct outfile *out, const struct phrases_progress *prog,
                  struct w2v_err *err)
{
    p->out = out;
    p->err = err;
    p->tokens2 = 0;
    p->st.joined = 0;
    scan_reset(&p->sc);
    struct input in;
    bool reopen = p->spill_fd < 0;
    if (reopen && input_open(&in, p->path, err) != 0) {
        return -1;
    }
    if (!reopen && lseek(p->spill_fd, 0, SEEK_SET) != 0) {
        err_set(err, "temporary copy of %s: %s", path_label(p->path, false), strerror(errno));
        return -1;
    }
    unsigned char *buf = xmalloc(PHRASES_CHUNK);
    int rc = write_chunks(p, reopen ? &in : NULL, buf, prog);
    if (rc == 0) {
        rc = corpus_tok_flush(&p->sc.tk, written_token, p);
    }
    free(buf);
    if (reopen) {
        input_close(&in);
    }
    if (rc == 0 && p->tokens2 != p->st.tokens) {
        err_set(err, "%s: the input changed between the two passes (%lld %s, then %lld)",
                path_label(p->path, false), (long long)p->st.tokens,
                plural(p->st.tokens, "word", "words"),
                (long long)p->tokens2);
        rc = -1;
    }
    p->out = NULL;
    return rc;
}

int64_t phrases_word_count(const struct phrases *p, const char *a)
{
    int64_t id = strindex_find(&p->v.words, a);
    return id > 0 ? p->v.count[id] : 0;
}

int64_t phrases_pair_count(const struct phrases *p, const char *a, const char *b)
{
    int64_t ia = strindex_find(&p->v.words, a);
    int64_t ib = strindex_find(&p->v.words, b);
    if (ia <= 0 || ib <= 0) {
        return 0;
    }
    return pairs_find(&p->t, (int32_t)ia, (int32_t)ib);
}
