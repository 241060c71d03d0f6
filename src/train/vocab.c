/* vocab: an arena of word strings, per-word counts and hashes, and an open-addressing
 * table of ids (linear probing, grown at half load so probes stay short at 10M+ words). */
#include "vocab.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "outfile.h"
#include "util.h"
#include "w2v.h"

/* Initial sizes: table slots (a power of two), per-word arrays, and arena bytes. */
#define VOCAB_INIT_SLOTS 4096
#define VOCAB_INIT_WORDS 1024
#define VOCAB_INIT_ARENA 16384

/* FNV-1a 64-bit constants (Fowler, Noll, Vo). */
#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

uint64_t vocab_hash(const char *word, size_t len)
{
    uint64_t h = FNV_OFFSET;
    const unsigned char *p = (const unsigned char *)word;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ p[i]) * FNV_PRIME;
    }
    return h;
}

static void table_alloc(struct vocab *v, uint64_t slots)
{
    v->slots = xmalloc(slots * sizeof *v->slots);
    memset(v->slots, 0xff, slots * sizeof *v->slots);
    v->mask = slots - 1;
}

static void table_insert(struct vocab *v, int32_t id)
{
    uint64_t i = v->hash[id] & v->mask;
    while (v->slots[i] >= 0) {
        i = (i + 1) & v->mask;
    }
    v->slots[i] = id;
}

static void table_grow(struct vocab *v)
{
    free(v->slots);
    table_alloc(v, (v->mask + 1) * 2);
    for (int64_t id = 0; id < v->n; id++) {
        table_insert(v, (int32_t)id);
    }
}

static int32_t append_word(struct vocab *v, const char *word, size_t len, uint64_t h)
{
    if (v->n >= VOCAB_MAX_WORDS) {
        return -1;
    }
    if (v->n == v->cap) {
        v->cap *= 2;
        v->count = xrealloc(v->count, (size_t)v->cap * sizeof *v->count);
        v->hash = xrealloc(v->hash, (size_t)v->cap * sizeof *v->hash);
        v->offset = xrealloc(v->offset, (size_t)v->cap * sizeof *v->offset);
    }
    while (v->arena_len + len + 1 > v->arena_cap) {
        v->arena_cap *= 2;
        v->arena = xrealloc(v->arena, v->arena_cap);
    }
    int32_t id = (int32_t)v->n++;
    memcpy(v->arena + v->arena_len, word, len);
    v->arena[v->arena_len + len] = '\0';
    v->offset[id] = v->arena_len;
    v->arena_len += len + 1;
    v->count[id] = 0;
    v->hash[id] = h;
    if ((uint64_t)v->n * 2 > v->mask + 1) {
        table_grow(v);
    } else {
        table_insert(v, id);
    }
    return id;
}

static void init_arrays(struct vocab *v, int64_t cap, size_t arena_cap, uint64_t slots)
{
    v->n = 0;
    v->cap = cap;
    v->count = xmalloc((size_t)cap * sizeof *v->count);
    v->hash = xmalloc((size_t)cap * sizeof *v->hash);
    v->offset = xmalloc((size_t)cap * sizeof *v->offset);
    v->arena_cap = arena_cap;
    v->arena_len = 0;
    v->arena = xmalloc(arena_cap);
    table_alloc(v, slots);
}

void vocab_init(struct vocab *v)
{
    init_arrays(v, VOCAB_INIT_WORDS, VOCAB_INIT_ARENA, VOCAB_INIT_SLOTS);
    append_word(v, W2V_EOS, strlen(W2V_EOS), vocab_hash(W2V_EOS, strlen(W2V_EOS)));
}

void vocab_free(struct vocab *v)
{
    free(v->count);
    free(v->hash);
    free(v->offset);
    free(v->arena);
    free(v->slots);
    memset(v, 0, sizeof *v);
}

int32_t vocab_find_h(const struct vocab *v, const char *word, size_t len, uint64_t h)
{
    uint64_t i = h & v->mask;
    for (;;) {
        int32_t id = v->slots[i];
        if (id < 0) {
            return -1;
        }
        if (v->hash[id] == h) {
            const char *w = v->arena + v->offset[id];
            if (memcmp(w, word, len) == 0 && w[len] == '\0') {
                return id;
            }
        }
        i = (i + 1) & v->mask;
    }
}

int32_t vocab_find(const struct vocab *v, const char *word)
{
    size_t len = strlen(word);
    return vocab_find_h(v, word, len, vocab_hash(word, len));
}

int32_t vocab_intern_h(struct vocab *v, const char *word, size_t len, uint64_t h)
{
    int32_t id = vocab_find_h(v, word, len, h);
    return id >= 0 ? id : append_word(v, word, len, h);
}

int64_t vocab_total(const struct vocab *v)
{
    int64_t t = 0;
    for (int64_t i = 0; i < v->n; i++) {
        t += v->count[i];
    }
    return t;
}

struct rank_entry {
    int64_t count;
    const char *word;
    int32_t old;
};

static int by_count_then_bytes(const void *a, const void *b)
{
    const struct rank_entry *x = a;
    const struct rank_entry *y = b;
    if (x->count != y->count) {
        return x->count > y->count ? -1 : 1;
    }
    return strcmp(x->word, y->word);
}

void vocab_prune(struct vocab *v, int64_t min_count, int64_t max_words, int32_t **remap)
{
    struct rank_entry *rank = xmalloc((size_t)v->n * sizeof *rank);
    int64_t kept = 0;
    for (int64_t id = 1; id < v->n; id++) {
        if (v->count[id] >= min_count) {
            rank[kept].count = v->count[id];
            rank[kept].word = vocab_word(v, (int32_t)id);
            rank[kept].old = (int32_t)id;
            kept++;
        }
    }
    qsort(rank, (size_t)kept, sizeof *rank, by_count_then_bytes);
    if (max_words > 0 && kept > max_words - 1) {
        kept = max_words - 1 > 0 ? max_words - 1 : 0;
    }

    struct vocab nv;
    uint64_t slots = VOCAB_INIT_SLOTS;
    while (slots < (uint64_t)(kept + 1) * 2) {
        slots *= 2;
    }
    init_arrays(&nv, kept + 1, v->arena_len + 1, slots);
    int32_t *map = NULL;
    if (remap != NULL) {
        map = xmalloc((size_t)v->n * sizeof *map);
        for (int64_t i = 0; i < v->n; i++) {
            map[i] = -1;
        }
        map[0] = 0;
    }
    append_word(&nv, W2V_EOS, strlen(W2V_EOS), v->hash[0]);
    nv.count[0] = v->count[0];
    for (int64_t r = 0; r < kept; r++) {
        int32_t old = rank[r].old;
        size_t len = strlen(rank[r].word);
        int32_t id = append_word(&nv, rank[r].word, len, v->hash[old]);
        nv.count[id] = rank[r].count;
        if (map != NULL) {
            map[old] = id;
        }
    }
    free(rank);
    vocab_free(v);
    *v = nv;
    if (remap != NULL) {
        *remap = map;
    }
}

int vocab_save(const struct vocab *v, const char *path, struct w2v_err *err)
{
    struct outfile of;
    if (outfile_open(&of, path, ends_with(path, ".gz"), err) != 0) {
        return -1;
    }
    for (int64_t id = 0; id < v->n; id++) {
        const char *w = vocab_word(v, (int32_t)id);
        if (outfile_write(&of, w, strlen(w), err) != 0 ||
            outfile_printf(&of, err, " %lld\n", (long long)v->count[id]) != 0) {
            outfile_abort(&of);
            return -1;
        }
    }
    return outfile_commit(&of, err);
}

/* Splits one vocabulary line into word and count; returns false if it is malformed. */
static bool parse_vocab_line(char *line, char **word, size_t *len, int64_t *count)
{
    char *p = line;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    char *w = p;
    while (*p != '\0' && *p != ' ' && *p != '\t') {
        p++;
    }
    size_t wlen = (size_t)(p - w);
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    char *num = p;
    while (*p != '\0' && *p != ' ' && *p != '\t') {
        p++;
    }
    char *num_end = p;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (wlen == 0 || num == num_end || *p != '\0' || wlen > W2V_MAX_WORD) {
        return false;
    }
    *num_end = '\0';
    if (parse_i64(num, 0, INT64_MAX, count, NULL) != 0) {
        return false;
    }
    *word = w;
    *len = wlen;
    return true;
}

int vocab_read(struct vocab *v, const char *path, struct w2v_err *err)
{
    gzFile in = gzopen(path, "rb");
    if (in == NULL) {
        err_set(err, "%s: %s", path, errno ? strerror(errno) : "cannot open");
        return -1;
    }
    /* Lines longer than this cannot be a word of at most W2V_MAX_WORD bytes and a count. */
    char line[W2V_MAX_WORD + 64];
    int64_t lineno = 0;
    int rc = 0;
    bool seen_eos = false;
    while (gzgets(in, line, sizeof line) != NULL) {
        lineno++;
        size_t n = strlen(line);
        if (n == sizeof line - 1 && line[n - 1] != '\n') {
            err_set(err, "%s:%lld: line too long for a 'word count' entry", path,
                    (long long)lineno);
            rc = -1;
            break;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
            line[--n] = '\0';
        }
        if (strspn(line, " \t") == n) {
            continue;
        }
        char *word;
        size_t len;
        int64_t count;
        if (!parse_vocab_line(line, &word, &len, &count)) {
            err_set(err, "%s:%lld: expected 'word count'", path, (long long)lineno);
            rc = -1;
            break;
        }
        uint64_t h = vocab_hash(word, len);
        int64_t before = v->n;
        int32_t id = vocab_intern_h(v, word, len, h);
        if (id < 0) {
            err_set(err, "%s:%lld: too many words", path, (long long)lineno);
            rc = -1;
            break;
        }
        if (id == 0 && !seen_eos) {
            seen_eos = true;
        } else if (v->n == before) {
            err_set(err, "%s:%lld: word '%s' is listed twice", path, (long long)lineno,
                    vocab_word(v, id));
            rc = -1;
            break;
        }
        v->count[id] = count;
    }
    int zerr = Z_OK;
    const char *zmsg = gzerror(in, &zerr);
    if (rc == 0 && zerr != Z_OK && zerr != Z_BUF_ERROR) {
        err_set(err, "%s: %s", path, zerr == Z_ERRNO ? strerror(errno) : zmsg);
        rc = -1;
    } else if (rc == 0 && zerr == Z_BUF_ERROR) {
        err_set(err, "%s: truncated gzip data", path);
        rc = -1;
    }
    gzclose(in);
    if (rc == 0 && v->n <= 1) {
        err_set(err, "%s: no words in vocabulary file", path);
        rc = -1;
    }
    return rc;
}
