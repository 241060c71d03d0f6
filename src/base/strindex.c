/* strindex: arena, per-string entries (hash and offset side by side: one cache line to
 * fetch per lookup) and the linear-probing table of 4-byte ids (8-byte slots with hash
 * tags, the hashes dropped from the entries, were slower: twice the table for every insert
 * to miss in). Growing the table re-inserts the
 * ids in increasing order, so the first of equal strings stays first on its probe path
 * and lookups keep returning it. */
#include "base/strindex.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Smallest sizes: table slots (a power of two), per-string arrays, arena bytes. */
#define STRINDEX_MIN_SLOTS 16
#define STRINDEX_MIN_WORDS 64
#define STRINDEX_MIN_ARENA 1024
/* What an out-of-memory message calls the index's arrays. */
#define STRINDEX_WHAT "word index"


uint64_t strindex_hash(const char *s, size_t len)
{
    /* the last partial word copied to where 8 bytes may be read */
    char tail[8] = {0};
    memcpy(tail, s + (len - len % 8), len % 8);
    return strindex_hash_split(s, len, tail);
}

static void table_alloc(struct strindex *x, uint64_t slots)
{
    /* Lookups land anywhere in the table: a large one goes on huge pages where the system
     * has them (see alloc_big), which spares most of their TLB misses. */
    x->slots = alloc_big(slots * sizeof *x->slots, STRINDEX_WHAT, NULL);
    if (x->slots == NULL) {
        x->slots = xmalloc_as(STRINDEX_WHAT, slots * sizeof *x->slots);
    }
    memset(x->slots, 0xff, slots * sizeof *x->slots);
    x->mask = slots - 1;
}

/* Ids whose slots table_refill prefetches ahead of their insertion: the inserts land
 * anywhere in a table too large for the caches, and without this each waits for its own
 * miss. */
#define REFILL_AHEAD 16

static void table_insert(struct strindex *x, int64_t id)
{
    uint64_t i = x->ent[id].hash & x->mask;
    while (x->slots[i] >= 0) {
        i = (i + 1) & x->mask;
    }
    x->slots[i] = (int32_t)id;
}

/* Inserts every id again, in increasing order, into a table just emptied. */
static void table_refill(struct strindex *x)
{
    for (int64_t id = 0; id < x->n; id++) {
        if (id + REFILL_AHEAD < x->n) {
            __builtin_prefetch(&x->slots[x->ent[id + REFILL_AHEAD].hash & x->mask], 1);
        }
        table_insert(x, id);
    }
}

void strindex_init(struct strindex *x, int64_t words, size_t bytes)
{
    memset(x, 0, sizeof *x);
    x->cap = words > STRINDEX_MIN_WORDS ? words : STRINDEX_MIN_WORDS;
    x->ent = xmalloc_as(STRINDEX_WHAT, (size_t)x->cap * sizeof *x->ent);
    x->arena_cap = bytes > STRINDEX_MIN_ARENA ? bytes : STRINDEX_MIN_ARENA;
    x->arena = xmalloc_as(STRINDEX_WHAT, x->arena_cap);
    uint64_t slots = STRINDEX_MIN_SLOTS;
    while (slots < (uint64_t)x->cap * 2) {
        slots *= 2;
    }
    table_alloc(x, slots);
}

void strindex_free(struct strindex *x)
{
    free(x->ent);
    free(x->arena);
    free(x->slots);
    memset(x, 0, sizeof *x);
}

int64_t strindex_find_h(const struct strindex *x, const char *s, size_t len, uint64_t h)
{
    for (uint64_t i = h & x->mask;; i = (i + 1) & x->mask) {
        int32_t id = x->slots[i];
        if (id < 0) {
            return -1;
        }
        if (x->ent[id].hash == h) {
            const char *w = x->arena + x->ent[id].offset;
            if (memcmp(w, s, len) == 0 && w[len] == '\0') {
                return id;
            }
        }
    }
}

int64_t strindex_find(const struct strindex *x, const char *s)
{
    size_t len = strlen(s);
    return strindex_find_h(x, s, len, strindex_hash(s, len));
}

int64_t strindex_append_h(struct strindex *x, const char *s, size_t len, uint64_t h)
{
    if (x->n >= STRINDEX_MAX) {
        return -1;
    }
    if (x->n == x->cap) {
        x->cap *= 2;
        x->ent = xrealloc_as(STRINDEX_WHAT, x->ent, (size_t)x->cap * sizeof *x->ent);
    }
    while (x->arena_len + len + 1 > x->arena_cap) {
        x->arena_cap *= 2;
        x->arena = xrealloc_as(STRINDEX_WHAT, x->arena, x->arena_cap);
    }
    int64_t id = x->n++;
    memcpy(x->arena + x->arena_len, s, len);
    x->arena[x->arena_len + len] = '\0';
    x->ent[id].offset = x->arena_len;
    x->arena_len += len + 1;
    x->ent[id].hash = h;
    if ((uint64_t)x->n * 2 > x->mask + 1) {
        free(x->slots);
        table_alloc(x, (x->mask + 1) * 2);
        table_refill(x);
    } else {
        table_insert(x, id);
    }
    return id;
}

int64_t strindex_intern_h(struct strindex *x, const char *s, size_t len, uint64_t h, int *added)
{
    int64_t id = strindex_find_h(x, s, len, h);
    if (added != NULL) {
        *added = id < 0;
    }
    return id >= 0 ? id : strindex_append_h(x, s, len, h);
}

size_t strindex_bytes(const struct strindex *x)
{
    return (size_t)x->cap * sizeof *x->ent + x->arena_cap +
           (size_t)(x->mask + 1) * sizeof *x->slots;
}

void strindex_compact(struct strindex *x, const int32_t *map)
{
    int64_t kept = 0;
    size_t len = 0;
    for (int64_t i = 0; i < x->n; i++) {
        if (map[i] < 0) {
            continue;
        }
        const char *w = x->arena + x->ent[i].offset;
        size_t bytes = strlen(w) + 1;
        memmove(x->arena + len, w, bytes);
        x->ent[kept].offset = len;
        x->ent[kept].hash = x->ent[i].hash;
        len += bytes;
        kept++;
    }
    x->n = kept;
    x->arena_len = len;
    memset(x->slots, 0xff, (size_t)(x->mask + 1) * sizeof *x->slots);
    table_refill(x);
}
