/* strindex: the project's one string index. An arena holds byte strings (no NUL inside)
 * with dense ids from 0 in the order they were appended; an open-addressing table (linear
 * probing, grown at half load) finds a string's id. Equal strings may be appended more
 * than once: a lookup returns the first of them. The vocabulary, the word index of vector
 * files and the case-folded index of the evaluations are all strindexes. */
#ifndef W2V_STRINDEX_H
#define W2V_STRINDEX_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Most strings an index may hold (ids are int32). */
#define STRINDEX_MAX INT32_MAX

/* What the index keeps of each string. */
struct strindex_entry {
    uint64_t hash;      /* kept to rehash and compare fast */
    size_t offset;      /* the NUL-terminated text is at arena + offset */
};

struct strindex {
    int64_t n;          /* strings held */
    int64_t cap;        /* capacity of the entries */
    struct strindex_entry *ent;
    char *arena;
    size_t arena_len;
    size_t arena_cap;
    int32_t *slots;     /* table of ids, -1 when empty */
    uint64_t mask;      /* slot count - 1 (a power of two) */
};

/* Initialises an empty index sized for about 'words' strings of 'bytes' bytes in all
 * (hints only; 0 for small defaults). Allocation failure exits (see xmalloc). */
void strindex_init(struct strindex *x, int64_t words, size_t bytes);

/* Frees everything; the index must be initialised again before reuse. */
void strindex_free(struct strindex *x);

/* The hash of the table: the string is read as 8-byte words (host order; the last one
 * padded with zero bytes), each folded in with a multiply and a shift, and the length and
 * two more rounds mix the result so that its low bits (the slot) depend on every byte. Constants: 2^64 divided by the golden ratio, and
 * another odd number. */
#define STRINDEX_K1 0x9e3779b97f4a7c15ULL
#define STRINDEX_K2 0xd6e8feb86659fd93ULL

static inline uint64_t strindex_hash_word(uint64_t h, uint64_t w)
{
    h = (h ^ w) * STRINDEX_K1;
    return h ^ (h >> 29);
}

static inline uint64_t strindex_hash_end(uint64_t h, size_t len)
{
    h = (h ^ ((uint64_t)len * STRINDEX_K2)) * STRINDEX_K1;
    h = (h ^ (h >> 32)) * STRINDEX_K2;
    return h ^ (h >> 29);
}

/* The hash of 'len' bytes at 's', which the _h functions take. */
uint64_t strindex_hash(const char *s, size_t len);

/* The hash of the 'len' bytes at 's' whose last len % 8 bytes are read from 'tail' instead,
 * which must have 8 readable bytes (the bytes past the string are masked off). */
static inline uint64_t strindex_hash_split(const char *s, size_t len, const char *tail)
{
    uint64_t h = 0;
    size_t whole = len - len % 8;
    uint64_t w;
    for (size_t at = 0; at < whole; at += 8) {
        memcpy(&w, s + at, sizeof w);
        h = strindex_hash_word(h, w);
    }
    if (whole < len) {
        memcpy(&w, tail, sizeof w);
        unsigned drop = 8 * (unsigned)(8 - (len - whole));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        w &= ~0ULL << drop;
#else
        w &= ~0ULL >> drop;
#endif
        h = strindex_hash_word(h, w);
    }
    return strindex_hash_end(h, len);
}

/* strindex_hash, faster, for a caller whose string is followed by at least 7 readable
 * bytes: the last word is read in place. */
static inline uint64_t strindex_hash_wide(const char *s, size_t len)
{
    return strindex_hash_split(s, len, s + (len - len % 8));
}

/* Id of the first string equal to the 'len' bytes at 's' ('h' their hash), or -1. */
int64_t strindex_find_h(const struct strindex *x, const char *s, size_t len, uint64_t h);

/* strindex_find_h of a NUL-terminated string. */
int64_t strindex_find(const struct strindex *x, const char *s);

/* Appends the 'len' bytes at 's' ('h' their hash) as string x->n, even if an equal string
 * is already held, and returns its id; -1 when the index is full (STRINDEX_MAX). */
int64_t strindex_append_h(struct strindex *x, const char *s, size_t len, uint64_t h);

/* Id of the string equal to 's', appending it if absent; -1 when the index is full.
 * '*added' (if not NULL) tells whether it was appended. */
int64_t strindex_intern_h(struct strindex *x, const char *s, size_t len, uint64_t h,
                          int *added);

/* The NUL-terminated string 'id' (0 <= id < x->n). */
static inline const char *strindex_str(const struct strindex *x, int64_t id)
{
    return x->arena + x->ent[id].offset;
}

/* Keeps string i as string map[i] when map[i] >= 0 and drops it when map[i] is -1; the
 * kept strings must keep their order (map[i] is the count of kept strings before i). The
 * arrays keep their capacity, so strings appended later reuse the room. */
void strindex_compact(struct strindex *x, const int32_t *map);

/* Hints that a lookup of hash 'h' comes soon: fetches its first table slot into the cache,
 * so that a caller with other work to do meanwhile does not wait for it. */
static inline void strindex_prefetch(const struct strindex *x, uint64_t h)
{
    __builtin_prefetch(&x->slots[h & x->mask]);
}

/* A later step of the same hint, for a caller that prefetched the slot of hash 'h' a
 * while ago: the id in the first full slot of its probe path (not compared, so it may be
 * another string's), or -1 if the slot is empty. Fetches that id's entry. */
static inline int64_t strindex_peek(const struct strindex *x, uint64_t h)
{
    int32_t id = x->slots[h & x->mask];
    if (id >= 0) {
        __builtin_prefetch(&x->ent[id]);
    }
    return id;
}

/* The last step: fetches the text of string 'id' (0 <= id < x->n) into the cache. */
static inline void strindex_prefetch_str(const struct strindex *x, int64_t id)
{
    __builtin_prefetch(x->arena + x->ent[id].offset);
}

/* Bytes per string in the per-string array, and per table slot (for memory estimates of
 * an index not built yet; the table is kept at most half full). */
#define STRINDEX_STRING_BYTES sizeof(struct strindex_entry)
#define STRINDEX_SLOT_BYTES sizeof(int32_t)

/* Bytes the index holds for its strings and table (for memory estimates). */
size_t strindex_bytes(const struct strindex *x);

#endif
