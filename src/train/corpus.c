/* corpus: the byte scanner. A 256-entry table marks separators; the current token is
 * copied and hashed as its bytes arrive, so each byte of the input is touched once. */
#include "corpus.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "input.h"
#include "sig.h"
#include "util.h"
#include "w2v.h"

/* Bytes taken from the input per call. */
#define CORPUS_CHUNK (1 << 18)
/* First capacity of the id stream, in ids. */
#define CORPUS_INIT_IDS (1 << 20)

/* FNV-1a 64-bit, the same hash strindex_hash computes. */
#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

struct scanner {
    struct vocab *v;
    bool fixed;
    struct idstream *s;
    struct corpus_stats *st;
    struct w2v_err *err;
    const char *path;
    unsigned char cls[256];
    char tok[W2V_MAX_WORD + 1];
    size_t len;
    bool over; /* the current token ran past W2V_MAX_WORD */
    uint64_t h;
    int64_t unit;      /* the current unit of dealing (see corpus_share) */
    int unit_tokens;   /* tokens in it so far */
    int deal;
    int of;
};

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

static int push_id(struct scanner *sc, int32_t id)
{
    struct idstream *s = sc->s;
    if (s->n == s->cap) {
        int64_t cap = s->cap ? s->cap * 2 : CORPUS_INIT_IDS;
        size_t bytes;
        int32_t *ids = NULL;
        if (mul_size((size_t)cap, sizeof *ids, &bytes)) {
            ids = realloc(s->ids, bytes);
        }
        if (ids == NULL) {
            char buf[32];
            err_set(sc->err, "%s: cannot allocate %s for the id stream", sc->path,
                    fmt_bytes(buf, sizeof buf, (double)cap * (double)sizeof *ids));
            return -1;
        }
        s->ids = ids;
        s->cap = cap;
    }
    s->ids[s->n++] = id;
    return 0;
}

void corpus_byte_classes(unsigned char cls[256])
{
    memset(cls, CORPUS_WORD, UCHAR_MAX + 1);
    static const char spaces[] = " \t\v\f\r";
    for (const char *p = spaces; *p != '\0'; p++) {
        cls[(unsigned char)*p] = CORPUS_SPACE;
    }
    cls[0] = CORPUS_SPACE;
    cls['\n'] = CORPUS_NEWLINE;
}

/* If the first dropped byte is a continuation byte, the character it belongs to is
 * dropped whole. */
size_t corpus_utf8_cut(const char *tok, size_t len, unsigned char next)
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

static int end_token(struct scanner *sc, unsigned char first_dropped)
{
    size_t len = sc->len;
    uint64_t h = sc->h;
    bool over = sc->over;
    if (over) {
        size_t cut = corpus_utf8_cut(sc->tok, len, first_dropped);
        if (cut != len) {
            len = cut;
            h = strindex_hash(sc->tok, len);
        }
    }
    sc->len = 0;
    sc->over = false;
    sc->h = FNV_OFFSET;
    if (len == 0 || !take_unit(sc, false)) {
        return 0;
    }
    sc->st->truncated += over;
    sc->st->tokens++;
    int32_t id;
    if (sc->fixed) {
        id = vocab_find_h(sc->v, sc->tok, len, h);
        if (id < 0) {
            sc->st->dropped++;
            return 0;
        }
    } else {
        id = vocab_intern_h(sc->v, sc->tok, len, h);
        if (id < 0) {
            err_set(sc->err, "%s: more than %d distinct words", sc->path, VOCAB_MAX_WORDS);
            return -1;
        }
        sc->v->count[id]++;
    }
    return push_id(sc, id);
}

static int end_line(struct scanner *sc)
{
    if (!take_unit(sc, true)) {
        return 0;
    }
    sc->st->lines++;
    if (!sc->fixed) {
        sc->v->count[0]++;
    }
    return push_id(sc, 0);
}

static int scan(struct scanner *sc, const unsigned char *buf, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = buf[i];
        unsigned char k = sc->cls[c];
        if (k == CORPUS_WORD) {
            if (sc->len < W2V_MAX_WORD) {
                sc->tok[sc->len++] = (char)c;
                sc->h = (sc->h ^ c) * FNV_PRIME;
            } else if (!sc->over) {
                sc->over = true;
                sc->tok[W2V_MAX_WORD] = (char)c;
            }
            continue;
        }
        if ((sc->len > 0 || sc->over) &&
            end_token(sc, (unsigned char)sc->tok[W2V_MAX_WORD]) != 0) {
            return -1;
        }
        if (k == CORPUS_NEWLINE && end_line(sc) != 0) {
            return -1;
        }
    }
    return 0;
}

static struct scanner *scanner_new(const char *path, const struct corpus_share *share,
                                   struct vocab *v, bool fixed, struct idstream *s,
                                   struct corpus_stats *st, struct w2v_err *err)
{
    struct scanner *sc = xcalloc(1, sizeof *sc);
    sc->v = v;
    sc->fixed = fixed;
    sc->s = s;
    sc->st = st;
    sc->err = err;
    sc->path = path;
    sc->h = FNV_OFFSET;
    sc->deal = share != NULL ? share->deal : 0;
    sc->of = share != NULL ? share->of : 1;
    corpus_byte_classes(sc->cls);
    return sc;
}

int corpus_read_share(const char *path, const struct corpus_share *share, struct vocab *v,
                      bool fixed, struct idstream *s, struct corpus_stats *st,
                      struct w2v_err *err)
{
    memset(st, 0, sizeof *st);
    struct input in;
    if (input_open(&in, path, err) != 0) {
        return -1;
    }
    if (share != NULL && share->begin > 0 && input_seek(&in, share->begin, err) != 0) {
        input_close(&in);
        return -1;
    }
    /* Bytes left in the share; -1 for no limit. */
    int64_t left = share != NULL && share->end >= 0 ? share->end - share->begin : -1;
    struct scanner *sc = scanner_new(path, share, v, fixed, s, st, err);
    unsigned char *buf = xmalloc(CORPUS_CHUNK);
    int rc = 0;
    for (;;) {
        size_t want = left >= 0 && left < CORPUS_CHUNK ? (size_t)left : CORPUS_CHUNK;
        int64_t got = want > 0 ? input_read(&in, buf, want, err) : 0;
        if (got <= 0) {
            rc = (int)got;
            break;
        }
        if (left >= 0) {
            left -= got;
        }
        if (sig_caught()) {
            err_set(err, "%s: interrupted", path);
            rc = -1;
            break;
        }
        if (scan(sc, buf, (size_t)got) != 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && (sc->len > 0 || sc->over)) {
        rc = end_token(sc, (unsigned char)sc->tok[W2V_MAX_WORD]);
    }
    free(buf);
    free(sc);
    input_close(&in);
    return rc;
}

int corpus_read(const char *path, struct vocab *v, bool fixed, struct idstream *s,
                struct corpus_stats *st, struct w2v_err *err)
{
    return corpus_read_share(path, NULL, v, fixed, s, st, err);
}

void idstream_remap(struct idstream *s, const int32_t *map)
{
    int64_t out = 0;
    for (int64_t i = 0; i < s->n; i++) {
        int32_t id = map[s->ids[i]];
        if (id >= 0) {
            s->ids[out++] = id;
        }
    }
    s->n = out;
}

void idstream_free(struct idstream *s)
{
    free(s->ids);
    s->ids = NULL;
    s->n = 0;
    s->cap = 0;
}
