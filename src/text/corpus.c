/* corpus: the reading pass. A thread of its own reads (and decompresses) the input and
 * tokenizes it: a 256-entry table marks separators, and the current token is copied and
 * hashed as its bytes arrive, so each byte of the input is touched once. It hands the
 * tokens, with their hashes, to the counting thread in a ring of chunks under one mutex;
 * the counting thread looks them up, counts them and appends their ids. */
#include "text/corpus.h"

#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/input.h"
#include "base/sig.h"
#include "base/util.h"
#include "base/w2v.h"

/* The input layer's read buffer (INPUT_RAW in input.c). */
#define INPUT_RAW_BYTES (1u << 18)
/* Tokens (and line ends) held between the tokenizer and the vocabulary, so that the cache
 * misses of several lookups overlap instead of following one another. A lookup misses
 * three times in a row (the table slot, the string's hash, offset and count, its text), so
 * it is prefetched in three steps: the slot when the token is queued, the rest of the
 * entry CORPUS_STEP tokens later, the text CORPUS_STEP tokens after that; it is looked up
 * when it leaves the queue. */
#define CORPUS_STEP 8
#define CORPUS_QUEUE (3 * CORPUS_STEP)

/* A token or line end queued for the vocabulary. */
struct queued {
    uint64_t h;
    size_t len;
    const char *tok;     /* in the chunk being counted; NULL for a line end */
    int64_t hint;        /* the id the prefetching expects, or -1 */
};

/* The records of a chunk of tokens: a token is a head of 2 bytes (its length, and its kind
 * times 256, in host order), its hash (8 bytes) and its text; a line end is a head of
 * REC_LINE * 256. */
enum { REC_TOKEN = 0, REC_CUT = 1, REC_LINE = 2 };
#define REC_HEAD 10
/* A token's text is copied in whole blocks of REC_BLOCK bytes (constant-size copies the
 * compiler inlines; a call to memcpy per token cost a tenth of the pass), so a record
 * may take up to REC_BLOCK - 1 bytes of room beyond its text. */
#define REC_BLOCK 16
#define REC_MAX (REC_HEAD + W2V_MAX_WORD + REC_BLOCK)
_Static_assert((W2V_MAX_WORD + 1) % REC_BLOCK == 0, "the token buffer is whole blocks");

struct scanner {
    struct vocab *v;
    bool fixed;
    struct idstream *s;
    const struct corpus_limits *lim;
    struct corpus_stats *st;
    struct w2v_err *err;
    const char *path;
    bool open_line; /* a token was read since the last line end */
    int64_t unit;   /* the current unit of dealing (see corpus_share) */
    int unit_tokens;
    int deal;
    int of;
    struct queued queue[CORPUS_QUEUE]; /* a ring: 'qn' entries from 'qhead' */
    int qhead;
    int qn;
};

/* The input read and tokenized ahead by a thread of its own into a ring of CORPUS_AHEAD
 * chunks of token records, so that reading, decompressing and tokenizing overlap with
 * counting. */
struct prefetch {
    struct input in;
    pthread_t tid;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool running;                /* the reading thread was started */
    unsigned char *text;         /* the reading thread's buffer of input bytes */
    struct corpus_tok tk;        /* the reading thread's tokenizer */
    int slot;                    /* the chunk the reading thread fills */
    size_t fill;                 /* bytes of records in it */
    unsigned char *buf[CORPUS_AHEAD];
    int64_t len[CORPUS_AHEAD];   /* bytes in each chunk; 0 at the end, -1 on error */
    uint64_t raw[CORPUS_AHEAD];  /* bytes read from the file once the chunk was filled */
    int head;                    /* the chunk the tokenizer takes next */
    int count;                   /* chunks filled and not yet released */
    bool stop;                   /* the tokenizer gave up: the reader ends */
    int64_t left;                /* bytes left to read in a share; -1 for no limit */
    struct w2v_err err;
};

size_t corpus_read_bytes(int64_t words)
{
    /* The ring of chunks, the text buffer, the input's read buffer (INPUT_RAW_BYTES),
     * zlib's window and state, the scanner. */
    size_t reader = (size_t)(CORPUS_AHEAD + 1) * CORPUS_CHUNK + INPUT_RAW_BYTES + (64u << 10);
    return reader + (size_t)words * sizeof(int32_t);
}

/* Hands the chunk being filled to the counting thread with 'len' (-1 on error, 0 at the
 * end) and waits for the next one to fill; false when the counting thread has stopped. */
static bool publish(struct prefetch *pf, int64_t len)
{
    pthread_mutex_lock(&pf->lock);
    pf->len[pf->slot] = len;
    pf->raw[pf->slot] = pf->in.raw_bytes;
    pf->count++;
    pthread_cond_broadcast(&pf->cond);
    while (pf->count == CORPUS_AHEAD && !pf->stop) {
        pthread_cond_wait(&pf->cond, &pf->lock);
    }
    bool go = !pf->stop;
    pthread_mutex_unlock(&pf->lock);
    pf->slot = (pf->slot + 1) % CORPUS_AHEAD;
    pf->fill = 0;
    return go;
}

/* Room for one more record in the chunk being filled, publishing it when full: 0, or 1
 * when the counting thread has stopped. */
static int make_room(struct prefetch *pf)
{
    if (CORPUS_CHUNK - pf->fill >= REC_MAX) {
        return 0;
    }
    return publish(pf, (int64_t)pf->fill) ? 0 : 1;
}

static int put_token(void *ctx, const char *tok, size_t len, uint64_t h, bool cut)
{
    struct prefetch *pf = ctx;
    if (make_room(pf) != 0) {
        return 1;
    }
    unsigned char *r = pf->buf[pf->slot] + pf->fill;
    uint16_t head = (uint16_t)(len | (cut ? REC_CUT : REC_TOKEN) << 8);
    memcpy(r, &head, sizeof head);
    memcpy(r + 2, &h, sizeof h);
    /* the tokenizer's buffer holds W2V_MAX_WORD + 1 bytes, a whole number of blocks */
    for (size_t at = 0; at < len; at += REC_BLOCK) {
        memcpy(r + REC_HEAD + at, tok + at, REC_BLOCK);
    }
    pf->fill += REC_HEAD + len;
    return 0;
}

static int put_line(void *ctx)
{
    struct prefetch *pf = ctx;
    if (make_room(pf) != 0) {
        return 1;
    }
    uint16_t head = REC_LINE << 8;
    memcpy(pf->buf[pf->slot] + pf->fill, &head, sizeof head);
    pf->fill += 2;
    return 0;
}

static void *prefetch_main(void *arg)
{
    struct prefetch *pf = arg;
    for (;;) {
        size_t want = pf->left >= 0 && pf->left < CORPUS_CHUNK ? (size_t)pf->left : CORPUS_CHUNK;
        int64_t got = want > 0 ? input_read(&pf->in, pf->text, want, &pf->err) : 0;
        if (got < 0) {
            publish(pf, -1);
            return NULL;
        }
        if (got == 0) {
            /* the last token, then the records left, then the end */
            if (corpus_tok_flush(&pf->tk, put_token, pf) != 0 ||
                (pf->fill > 0 && !publish(pf, (int64_t)pf->fill))) {
                return NULL;
            }
            publish(pf, 0);
            return NULL;
        }
        if (pf->left >= 0) {
            pf->left -= got;
        }
        if (corpus_tokenize(&pf->tk, pf->text, (size_t)got, put_token, put_line, pf) != 0) {
            return NULL;
        }
    }
}

/* Waits for the next chunk: its length (0 at the end, -1 on error). */
static int64_t prefetch_take(struct prefetch *pf, const unsigned char **p, uint64_t *raw)
{
    pthread_mutex_lock(&pf->lock);
    while (pf->count == 0) {
        pthread_cond_wait(&pf->cond, &pf->lock);
    }
    int64_t got = pf->len[pf->head];
    *p = pf->buf[pf->head];
    *raw = pf->raw[pf->head];
    pthread_mutex_unlock(&pf->lock);
    return got;
}

/* Gives the chunk taken last back to the reader. */
static void prefetch_release(struct prefetch *pf)
{
    pthread_mutex_lock(&pf->lock);
    pf->head = (pf->head + 1) % CORPUS_AHEAD;
    pf->count--;
    pthread_cond_broadcast(&pf->cond);
    pthread_mutex_unlock(&pf->lock);
}

static int prefetch_start(struct prefetch *pf, const char *path,
                          const struct corpus_share *share, struct w2v_err *err)
{
    memset(pf, 0, sizeof *pf);
    pthread_mutex_init(&pf->lock, NULL);
    pthread_cond_init(&pf->cond, NULL);
    pf->left = share != NULL && share->end >= 0 ? share->end - share->begin : -1;
    if (input_open(&pf->in, path, err) != 0) {
        return -1;
    }
    if (share != NULL && share->begin > 0 && input_seek(&pf->in, share->begin, err) != 0) {
        return -1;
    }
    /* A share counts bytes of the file: a byte order mark skipped at its start is part of
     * them, or the share would read into the next one. */
    if (pf->in.bom && pf->left > 0) {
        pf->left = pf->left > INPUT_BOM_LEN ? pf->left - INPUT_BOM_LEN : 0;
    }
    for (int i = 0; i < CORPUS_AHEAD; i++) {
        pf->buf[i] = xmalloc(CORPUS_CHUNK);
    }
    pf->text = xmalloc(CORPUS_CHUNK);
    corpus_tok_init(&pf->tk);
    int e = pthread_create(&pf->tid, NULL, prefetch_main, pf);
    if (e != 0) {
        err_set(err, "%s: cannot start the reading thread: %s", path_label(path, false),
                strerror(e));
        return -1;
    }
    pf->running = true;
    return 0;
}

/* Stops the reader (if it still runs), joins it and frees everything. */
static void prefetch_end(struct prefetch *pf)
{
    if (pf->running) {
        pthread_mutex_lock(&pf->lock);
        pf->stop = true;
        pthread_cond_broadcast(&pf->cond);
        pthread_mutex_unlock(&pf->lock);
        pthread_join(pf->tid, NULL);
    }
    pthread_mutex_destroy(&pf->lock);
    pthread_cond_destroy(&pf->cond);
    for (int i = 0; i < CORPUS_AHEAD; i++) {
        free(pf->buf[i]);
    }
    free(pf->text);
    input_close(&pf->in);
}

/* Keeps the count table within its share: called when the table is about to grow. Prunes
 * it if growing would pass lim->table_bytes, then gives the id stream what is left of the
 * budget. */
static int check_table(struct scanner *sc, bool growing)
{
    const struct corpus_limits *lim = sc->lim;
    struct vocab *v = sc->v;
    size_t used = vocab_bytes_used(v);
    if (used > sc->st->table_peak) {
        sc->st->table_peak = used;
    }
    size_t grown = (growing ? 2 : 1) * vocab_bytes_held(v);
    if (growing && lim->table_bytes > 0 && grown > lim->table_bytes) {
        int64_t cap = v->words.cap;
        int32_t *map = xmalloc_as("vocabulary pruning", (size_t)v->n * sizeof *map);
        int64_t before = v->n;
        int64_t t = vocab_reduce(v, cap / 2, cap - cap / 8, lim->min_count, map);
        int64_t tokens = sc->s->n;
        int rc = idstream_remap(sc->s, map, sc->err);
        free(map);
        if (rc != 0) {
            return -1;
        }
        sc->st->prunes++;
        sc->st->pruned_words += before - v->n;
        sc->st->pruned_tokens += tokens - sc->s->n;
        sc->st->threshold = t > sc->st->threshold ? t : sc->st->threshold;
        sc->st->pruned_min_count |= t > lim->min_count;
        grown = vocab_bytes_held(v);
    }
    if (lim->budget == 0) {
        return 0;
    }
    size_t room = lim->budget > grown ? lim->budget - grown : 0;
    return idstream_set_limit(sc->s, room, sc->err);
}

static void byte_classes(unsigned char cls[256])
{
    for (int c = 0; c <= UCHAR_MAX; c++) {
        cls[c] = (unsigned char)corpus_byte_of((unsigned char)c);
    }
}

/* Length at which a token of 'len' (= W2V_MAX_WORD) bytes kept, whose first dropped byte
 * was 'next', is cut so that it does not end inside a UTF-8 character: if 'next' is a
 * continuation byte, the character it belongs to is dropped whole. */
static size_t utf8_cut(const char *tok, size_t len, unsigned char next)
{
    if ((next & 0xC0) != 0x80) {
        return len;
    }
    /* A UTF-8 character has at most 3 continuation bytes; past that the text is not
     * UTF-8 and any cut is as good as another. */
    size_t cut = len;
    while (cut > 0 && len - cut < 3 && ((unsigned char)tok[cut - 1] & 0xC0) == 0x80) {
        cut--;
    }
    if (cut == 0 || ((unsigned char)tok[cut - 1] & 0xC0) != 0xC0) {
        return len;
    }
    return cut - 1; /* tok[cut - 1] is the lead byte of the split character */
}

/* Whether the current unit is this reader's share; moves to the next unit after a line
 * end or CORPUS_UNIT_TOKENS tokens. */
static bool take_unit(struct scanner *sc, bool line_end)
{
    if (sc->of <= 1) {
        return true;
    }
    bool keep = sc->unit % sc->of == sc->deal;
    if (line_end || ++sc->unit_tokens == CORPUS_UNIT_TOKENS) {
        sc->unit++;
        sc->unit_tokens = 0;
        sc->st->units++;
    }
    return keep;
}

void corpus_tok_init(struct corpus_tok *t)
{
    byte_classes(t->cls);
    t->len = 0;
    t->over = false;
}

int corpus_tok_flush(struct corpus_tok *t, corpus_token_fn token, void *ctx)
{
    size_t len = t->len;
    bool cut = t->over;
    if (cut) {
        len = utf8_cut(t->tok, len, (unsigned char)t->tok[W2V_MAX_WORD]);
    }
    t->len = 0;
    t->over = false;
    if (len == 0) {
        return 0;
    }
    return token(ctx, t->tok, len, strindex_hash_wide(t->tok, len), cut);
}

/* Counts (or only looks up, with a fixed vocabulary) a queued token and appends its id. */
static int take_token(struct scanner *sc, const char *tok, size_t len, uint64_t h)
{
    sc->st->tokens++;
    struct vocab *v = sc->v;
    int32_t id;
    if (sc->fixed) {
        id = vocab_find_h(v, tok, len, h);
        if (id < 0) {
            sc->st->dropped++;
            return 0;
        }
        return idstream_push(sc->s, (uint32_t)id, sc->err);
    }
    id = vocab_intern_h(v, tok, len, h);
    if (id < 0) {
        err_set(sc->err, "%s: more than %d distinct words", sc->path, VOCAB_MAX_WORDS);
        return -1;
    }
    v->count[id]++;
    if (idstream_push(sc->s, (uint32_t)id, sc->err) != 0) {
        return -1;
    }
    /* The next new word or spelling would grow the table: check the budget first. */
    if (id == v->n - 1 && (v->n >= v->words.cap ||
                           v->words.arena_len + W2V_MAX_WORD + 1 > v->words.arena_cap)) {
        return check_table(sc, true);
    }
    return 0;
}

/* Counts a queued line end and appends its id, 0. */
static int take_line(struct scanner *sc)
{
    sc->st->lines++;
    if (!sc->fixed) {
        sc->v->count[0]++;
    }
    return idstream_push(sc->s, 0, sc->err);
}

/* Takes the oldest queued entry out of the queue. */
static int dequeue(struct scanner *sc)
{
    struct queued *q = &sc->queue[sc->qhead];
    sc->qhead = (sc->qhead + 1) % CORPUS_QUEUE;
    sc->qn--;
    return q->tok == NULL ? take_line(sc) : take_token(sc, q->tok, q->len, q->h);
}

/* The later prefetch steps of the entries queued CORPUS_STEP and 2 * CORPUS_STEP tokens
 * before the newest (hints only: a word added meanwhile makes a hint wrong, not a
 * lookup). */
static void prefetch_steps(struct scanner *sc)
{
    const struct strindex *x = &sc->v->words;
    if (sc->qn > CORPUS_STEP) {
        struct queued *q = &sc->queue[(sc->qhead + sc->qn - 1 - CORPUS_STEP) % CORPUS_QUEUE];
        if (q->tok != NULL) {
            q->hint = strindex_peek(x, q->h);
            if (q->hint >= 0) {
                __builtin_prefetch(&sc->v->count[q->hint]);
            }
        }
    }
    if (sc->qn > 2 * CORPUS_STEP) {
        struct queued *q =
            &sc->queue[(sc->qhead + sc->qn - 1 - 2 * CORPUS_STEP) % CORPUS_QUEUE];
        if (q->hint >= 0 && q->hint < x->n) {
            strindex_prefetch_str(x, q->hint);
        }
    }
}

/* Queues a token ('tok' of 'len' bytes, hash 'h') or a line end ('tok' NULL), taking the
 * oldest entry out first when the queue is full. */
static int enqueue(struct scanner *sc, const char *tok, size_t len, uint64_t h)
{
    if (sc->qn == CORPUS_QUEUE && dequeue(sc) != 0) {
        return -1;
    }
    struct queued *q = &sc->queue[(sc->qhead + sc->qn) % CORPUS_QUEUE];
    sc->qn++;
    q->tok = tok;
    q->hint = -1;
    if (tok != NULL) {
        q->len = len;
        q->h = h;
        strindex_prefetch(&sc->v->words, h);
    }
    prefetch_steps(sc);
    return 0;
}

/* Takes every queued entry. */
static int drain(struct scanner *sc)
{
    while (sc->qn > 0) {
        if (dequeue(sc) != 0) {
            return -1;
        }
    }
    return 0;
}

static int end_token(void *ctx, const char *tok, size_t len, uint64_t h, bool cut)
{
    struct scanner *sc = ctx;
    sc->st->truncated += cut;
    sc->open_line = true;
    return take_unit(sc, false) ? enqueue(sc, tok, len, h) : 0;
}

static int end_line(void *ctx)
{
    struct scanner *sc = ctx;
    sc->open_line = false;
    return take_unit(sc, true) ? enqueue(sc, NULL, 0, 0) : 0;
}



/* Counts the 'n' bytes of records at 'p', then takes what is queued, so that no queued
 * token points into the chunk once it goes back to the reader. Returns 0 or -1. */
static int count_records(struct scanner *sc, const unsigned char *p, size_t n)
{
    const unsigned char *end = p + n;
    while (p < end) {
        int rc;
        uint16_t head;
        memcpy(&head, p, sizeof head);
        size_t len = head & 0xff;
        if (head >> 8 == REC_LINE) {
            rc = end_line(sc);
            p += 2;
        } else {
            uint64_t h;
            memcpy(&h, p + 2, sizeof h);
            rc = end_token(sc, (const char *)p + REC_HEAD, len, h, head >> 8 == REC_CUT);
            p += REC_HEAD + len;
        }
        if (rc != 0) {
            return -1;
        }
    }
    return drain(sc);
}

/* Counts the chunks of 'pf' until the end of the input; returns 0 or -1. */
static int scan_all(struct scanner *sc, struct prefetch *pf)
{
    const struct corpus_limits *lim = sc->lim;
    uint64_t base = sc->st->bytes;
    for (;;) {
        const unsigned char *buf;
        uint64_t raw;
        int64_t got = prefetch_take(pf, &buf, &raw);
        if (got < 0) {
            *sc->err = pf->err;
            return -1;
        }
        sc->st->bytes = base + raw;
        if (got == 0) {
            return 0;
        }
        if (sig_caught()) {
            err_set(sc->err, "%s: interrupted", sc->path);
            return -1;
        }
        int rc = count_records(sc, buf, (size_t)got);
        prefetch_release(pf);
        if (rc != 0) {
            return -1;
        }
        if (lim->progress != NULL) {
            lim->progress(lim->ctx, sc->st, sc->v, false);
        }
    }
}

int corpus_read_share(const char *path, const struct corpus_share *share, struct vocab *v,
                      bool fixed, struct idstream *s, const struct corpus_limits *lim,
                      struct corpus_stats *st, struct w2v_err *err)
{
    static const struct corpus_limits none = {0};
    struct prefetch *pf = xcalloc(1, sizeof *pf);
    struct scanner *sc = xcalloc(1, sizeof *sc);
    sc->v = v;
    sc->fixed = fixed;
    sc->s = s;
    sc->lim = lim != NULL ? lim : &none;
    sc->st = st;
    sc->err = err;
    sc->path = path_label(path, false);
    sc->deal = share != NULL ? share->deal : 0;
    sc->of = share != NULL ? share->of : 1;
    int rc = prefetch_start(pf, path, share, err);
    if (rc == 0) {
        struct stat fs;
        st->input_size = fstat(pf->in.fd, &fs) == 0 && S_ISREG(fs.st_mode) ?
                         (uint64_t)fs.st_size : 0;
        rc = check_table(sc, false);
    }
    if (rc == 0) {
        rc = scan_all(sc, pf);
    }
    /* The end of an input ends its last sentence; a share that stops inside a line (a
     * line too long to be dealt whole) leaves the rest of the line to the next share. */
    bool to_end = share == NULL || share->end < 0 ||
                  (st->input_size > 0 && (uint64_t)share->end >= st->input_size);
    if (rc == 0 && sc->open_line && to_end) {
        rc = end_line(sc);
    }
    if (rc == 0) {
        rc = drain(sc);
    }
    if (rc == 0) {
        rc = check_table(sc, false);
    }
    if (rc == 0 && sc->lim->progress != NULL) {
        sc->lim->progress(sc->lim->ctx, st, v, true);
    }
    prefetch_end(pf);
    free(pf);
    free(sc);
    return rc;
}

int corpus_read(const char *path, struct vocab *v, bool fixed, struct idstream *s,
                const struct corpus_limits *lim, struct corpus_stats *st,
                struct w2v_err *err)
{
    return corpus_read_share(path, NULL, v, fixed, s, lim, st, err);
}
