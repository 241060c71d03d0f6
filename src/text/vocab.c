/* vocab: a string index of the words beside their counts; pruning rebuilds both in the
 * new order. */
#include "text/vocab.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/input.h"
#include "io/outfile.h"
#include "base/util.h"
#include "base/w2v.h"

/* Longest vocabulary line: a word of at most W2V_MAX_WORD bytes, blanks and a count. */
#define VOCAB_MAX_LINE (W2V_MAX_WORD + 64)

/* Smallest table of a string index, in slots (as strindex.c sizes it). */
#define STRINDEX_MIN_SLOTS_HINT 16

/* Initial capacity in words and arena bytes. */
#define VOCAB_INIT_WORDS 1024
#define VOCAB_INIT_ARENA 16384

/* What an out-of-memory message calls the count array. */
#define VOCAB_COUNTS_WHAT "word counts"

static int32_t add_word(struct vocab *v, const char *word, size_t len, uint64_t h)
{
    int64_t id = strindex_append_h(&v->words, word, len, h);
    if (id < 0) {
        return -1;
    }
    if (id == v->count_cap) {
        v->count_cap *= 2;
        v->count = xrealloc_as(VOCAB_COUNTS_WHAT, v->count, (size_t)v->count_cap * sizeof *v->count);
    }
    v->count[id] = 0;
    v->n = v->words.n;
    return (int32_t)id;
}

static void init_sized(struct vocab *v, int64_t words, size_t arena)
{
    strindex_init(&v->words, words, arena);
    v->count_cap = v->words.cap;
    v->count = xmalloc_as(VOCAB_COUNTS_WHAT, (size_t)v->count_cap * sizeof *v->count);
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
    struct rank_entry *rank = xmalloc_as("vocabulary sort", (size_t)v->n * sizeof *rank);
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
        map = xmalloc_as("vocabulary sort", (size_t)v->n * sizeof *map);
        for (int64_t i = 0; i < v->n; i++) {
            map[i] = -1;
        }
        map[0] = 0;
    }
    for (int64_t r = 0; r < kept; r++) {
        int32_t old = rank[r].old;
        size_t len = strlen(rank[r].word);
        int32_t id = add_word(&nv, rank[r].word, len, v->words.ent[old].hash);
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
    size_t per_word = STRINDEX_STRING_BYTES + sizeof *v->count;
    return (size_t)v->n * per_word + x->arena_len + (size_t)(x->mask + 1) * STRINDEX_SLOT_BYTES;
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
                     (size_t)(rows + 1) * (STRINDEX_STRING_BYTES + sizeof(int64_t)) + arena +
                     slots * STRINDEX_SLOT_BYTES;
    return 2 * rank > rebuild ? 2 * rank : rebuild;
}

/* Counts above this share one bucket of the histogram vocab_reduce picks a threshold
 * from; a threshold that high would leave almost no word anyway. */
#define VOCAB_HIST 65536

static int64_t pick_threshold(const struct vocab *v, int64_t target, int64_t room,
                              int64_t min_count)
{
    int64_t *hist = xmalloc_as("vocabulary pruning", (VOCAB_HIST + 1) * sizeof *hist);
    memset(hist, 0, (VOCAB_HIST + 1) * sizeof *hist);
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

/* Adds one parsed line's word and count; 'seen_eos' tracks the one "</s>" line allowed. */
static int add_line(struct vocab *v, char *line, const struct input *in,
                    bool *seen_eos, struct w2v_err *err)
{
    char *word;
    size_t len;
    int64_t count;
    if (!parse_vocab_line(line, &word, &len, &count)) {
        err_set(err, "%s:%lld: expected 'word count'", in->path, (long long)in->lineno);
        return -1;
    }
    uint64_t h = strindex_hash(word, len);
    int64_t before = v->n;
    int32_t id = vocab_intern_h(v, word, len, h);
    if (id < 0) {
        err_set(err, "%s:%lld: too many words", in->path, (long long)in->lineno);
        return -1;
    }
    if (id == 0 && !*seen_eos) {
        *seen_eos = true;
    } else if (v->n == before) {
        err_set(err, "%s:%lld: word '%s' is listed twice", in->path, (long long)in->lineno,
                vocab_word(v, id));
        return -1;
    }
    v->count[id] = count;
    return 0;
}

int vocab_read(struct vocab *v, const char *path, struct w2v_err *err)
{
    struct input in;
    if (input_open(&in, path, err) != 0) {
        return -1;
    }
    bool seen_eos = false;
    int rc;
    for (;;) {
        char *line;
        size_t n;
        rc = input_line(&in, &line, &n, VOCAB_MAX_LINE, err);
        if (rc <= 0) {
            break;
        }
        if (strspn(line, " \t\r") == n) {
            continue;
        }
        if (add_line(v, line, &in, &seen_eos, err) != 0) {
            rc = -1;
            break;
        }
    }
    input_close(&in);
    if (rc == 0 && v->n <= 1) {
        err_set(err, "%s: no words in vocabulary file", path_label(path, false));
        rc = -1;
    }
    return rc;
}

char *vocab_pack(const struct vocab *v, size_t *len)
{
    size_t n = 0;
    for (int64_t id = 0; id < v->n; id++) {
        n += 1 + strlen(vocab_word(v, (int32_t)id)) + sizeof(int64_t);
    }
    char *buf = xmalloc(n + 1);
    char *p = buf;
    for (int64_t id = 0; id < v->n; id++) {
        const char *w = vocab_word(v, (int32_t)id);
        size_t wl = strlen(w); /* at most W2V_MAX_WORD, so it fits the length byte */
        *p++ = (char)(unsigned char)wl;
        /* The packed word has its length before it, not a NUL after it. */
        /* NOLINTNEXTLINE(bugprone-not-null-terminated-result) */
        memcpy(p, w, wl);
        p += wl;
        memcpy(p, &v->count[id], sizeof(int64_t));
        p += sizeof(int64_t);
    }
    *len = n;
    return buf;
}

int vocab_merge_packed(struct vocab *v, const char *buf, size_t len, struct w2v_err *err)
{
    size_t pos = 0;
    while (pos < len) {
        size_t wl = (unsigned char)buf[pos++];
        int64_t count;
        if (wl == 0 || len - pos < wl + sizeof count) {
            err_set(err, "malformed vocabulary message at byte %zu", pos);
            return -1;
        }
        const char *w = buf + pos;
        memcpy(&count, w + wl, sizeof count);
        pos += wl + sizeof count;
        int32_t id = vocab_intern_h(v, w, wl, strindex_hash(w, wl));
        if (id < 0) {
            err_set(err, "more than %d distinct words", VOCAB_MAX_WORDS);
            return -1;
        }
        v->count[id] += count;
    }
    return 0;
}

int32_t *vocab_map(const struct vocab *from, const struct vocab *to)
{
    int32_t *map = xmalloc((size_t)(from->n > 0 ? from->n : 1) * sizeof *map);
    for (int64_t id = 0; id < from->n; id++) {
        const char *w = vocab_word(from, (int32_t)id);
        size_t wl = strlen(w);
        map[id] = vocab_find_h(to, w, wl, from->words.ent[id].hash);
    }
    return map;
}
