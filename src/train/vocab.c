/* vocab: a string index of the words beside their counts; pruning rebuilds both in the
 * new order. */
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

/* Smallest table of a string index, in slots (as strindex.c sizes it). */
#define STRINDEX_MIN_SLOTS_HINT 16

/* Initial capacity in words and arena bytes. */
#define VOCAB_INIT_WORDS 1024
#define VOCAB_INIT_ARENA 16384

static int32_t add_word(struct vocab *v, const char *word, size_t len, uint64_t h)
{
    int64_t id = strindex_append_h(&v->words, word, len, h);
    if (id < 0) {
        return -1;
    }
    if (id == v->count_cap) {
        v->count_cap *= 2;
        v->count = xrealloc(v->count, (size_t)v->count_cap * sizeof *v->count);
    }
    v->count[id] = 0;
    v->n = v->words.n;
    return (int32_t)id;
}

static void init_sized(struct vocab *v, int64_t words, size_t arena)
{
    strindex_init(&v->words, words, arena);
    v->count_cap = v->words.cap;
    v->count = xmalloc((size_t)v->count_cap * sizeof *v->count);
    v->n = 0;
    add_word(v, W2V_EOS, strlen(W2V_EOS), strindex_hash(W2V_EOS, strlen(W2V_EOS)));
}

void vocab_init(struct vocab *v)
{
    init_sized(v, VOCAB_INIT_WORDS, VOCAB_INIT_ARENA);
}

void vocab_free(struct vocab *v)
{
    strindex_free(&v->words);
    free(v->count);
    memset(v, 0, sizeof *v);
}

int32_t vocab_intern_h(struct vocab *v, const char *word, size_t len, uint64_t h)
{
    int32_t id = vocab_find_h(v, word, len, h);
    return id >= 0 ? id : add_word(v, word, len, h);
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
    init_sized(&nv, kept + 1, v->words.arena_len + 1);
    nv.count[0] = v->count[0];
    int32_t *map = NULL;
    if (remap != NULL) {
        map = xmalloc((size_t)v->n * sizeof *map);
        for (int64_t i = 0; i < v->n; i++) {
            map[i] = -1;
        }
        map[0] = 0;
    }
    for (int64_t r = 0; r < kept; r++) {
        int32_t old = rank[r].old;
        size_t len = strlen(rank[r].word);
        int32_t id = add_word(&nv, rank[r].word, len, v->words.hash[old]);
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

size_t vocab_bytes_held(const struct vocab *v)
{
    return strindex_bytes(&v->words) + (size_t)v->count_cap * sizeof *v->count;
}

size_t vocab_bytes_used(const struct vocab *v)
{
    const struct strindex *x = &v->words;
    size_t per_word = sizeof *x->hash + sizeof *x->offset + sizeof *v->count;
    return (size_t)v->n * per_word + x->arena_len + (size_t)(x->mask + 1) * sizeof *x->slots;
}

size_t vocab_prune_bytes(int64_t words, int64_t kept, int64_t rows, size_t arena)
{
    /* First the ranking and its sort, which (in glibc) merges through a copy of it; then
     * the ranking, the remap and the new vocabulary, its table at half load or less. */
    size_t rank = (size_t)kept * sizeof(struct rank_entry);
    size_t slots = STRINDEX_MIN_SLOTS_HINT;
    while (slots < (size_t)(rows + 1) * 2) {
        slots *= 2;
    }
    size_t rebuild = rank + (size_t)words * sizeof(int32_t) +
                     (size_t)(rows + 1) * (2 * sizeof(uint64_t) + sizeof(int64_t)) + arena +
                     slots * sizeof(int32_t);
    return 2 * rank > rebuild ? 2 * rank : rebuild;
}

/* Counts above this share one bucket of the histogram vocab_reduce picks a threshold
 * from; a threshold that high would leave almost no word anyway. */
#define VOCAB_HIST 65536

static int64_t pick_threshold(const struct vocab *v, int64_t target, int64_t room,
                              int64_t min_count)
{
    int64_t *hist = xcalloc(VOCAB_HIST + 1, sizeof *hist);
    for (int64_t id = 1; id < v->n; id++) {
        int64_t c = v->count[id];
        hist[c < VOCAB_HIST ? c : VOCAB_HIST]++;
    }
    /* kept(t): words counted t times or more, "</s>" included. */
    int64_t kept = v->n;
    int64_t t = 1;
    int64_t at_min = -1;
    for (int64_t c = 0; c < 2; c++) {
        kept -= hist[c];
    }
    for (t = 2; t < VOCAB_HIST; t++) {
        if (t == min_count) {
            at_min = kept;
        }
        if (kept <= target) {
            break;
        }
        kept -= hist[t];
    }
    free(hist);
    if (t > min_count && min_count >= 2 && at_min >= 0 && at_min < room) {
        t = min_count;
    }
    return t;
}

int64_t vocab_reduce(struct vocab *v, int64_t target, int64_t room, int64_t min_count,
                     int32_t *map)
{
    int64_t t = pick_threshold(v, target, room, min_count);
    int64_t kept = 0;
    for (int64_t id = 0; id < v->n; id++) {
        if (id == 0 || v->count[id] >= t) {
            v->count[kept] = v->count[id];
            map[id] = (int32_t)kept++;
        } else {
            map[id] = -1;
        }
    }
    strindex_compact(&v->words, map);
    v->n = v->words.n;
    return t;
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
        uint64_t h = strindex_hash(word, len);
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
