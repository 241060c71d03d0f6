/* vocab: the word <-> id map with counts. Words are byte strings without NUL; ids are
 * dense int32 from 0. Id 0 is always the sentence end "</s>". After vocab_prune the ids
 * are in descending count order (ties by byte order), "</s>" staying first. */
#ifndef W2V_VOCAB_H
#define W2V_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "base/strindex.h"

/* Most distinct words a vocabulary may hold (ids are int32). */
#define VOCAB_MAX_WORDS STRINDEX_MAX

struct vocab {
    int64_t n;              /* words held (always words.n) */
    struct strindex words;  /* spelling <-> id */
    int64_t *count;         /* occurrences of each word */
    int64_t count_cap;
};

/* Initialises an empty vocabulary holding only "</s>" (id 0, count 0). */
void vocab_init(struct vocab *v);

/* Frees everything; the vocabulary must be initialised again before reuse. */
void vocab_free(struct vocab *v);

/* Returns the id of 'word' ('len' bytes, hash 'h' = strindex_hash(word, len)), adding it
 * with count 0 if absent; -1 when the vocabulary is full (VOCAB_MAX_WORDS). */
int32_t vocab_intern_h(struct vocab *v, const char *word, size_t len, uint64_t h);

/* Returns the id of 'word' ('len' bytes, hash 'h'), or -1 if it is not in the vocabulary. */
static inline int32_t vocab_find_h(const struct vocab *v, const char *word, size_t len,
                                   uint64_t h)
{
    return (int32_t)strindex_find_h(&v->words, word, len, h);
}

/* The NUL-terminated spelling of word 'id'. */
static inline const char *vocab_word(const struct vocab *v, int32_t id)
{
    return strindex_str(&v->words, id);
}

/* Keeps "</s>" and the words counted at least 'min_count' times; if 'max_words' > 0, keeps
 * at most that many rows in all (the most frequent). Renumbers by descending count, ties
 * in byte order of the words. If 'remap' is not NULL it receives a malloc'ed array mapping
 * each old id to its new id or -1 for a dropped word (the caller frees it). */
void vocab_prune(struct vocab *v, int64_t min_count, int64_t max_words, int32_t **remap);

/* Bytes the vocabulary has allocated (arrays at their capacity): what it may occupy. */
size_t vocab_bytes_held(const struct vocab *v);

/* Bytes of the vocabulary in use: the pages it has written, which is what it adds to the
 * resident memory of the process. */
size_t vocab_bytes_used(const struct vocab *v);

/* Extra bytes vocab_prune uses at its peak, besides the old vocabulary, when 'kept' of the
 * 'words' words reach the minimum count, 'rows' of them stay (after -max-vocab) and the
 * spellings of those take 'arena' bytes. */
size_t vocab_prune_bytes(int64_t words, int64_t kept, int64_t rows, size_t arena);

/* Bounded counting: drops the rarest words so that at most 'target' stay. The threshold
 * is the smallest count t >= 2 leaving at most 'target' words counted t times or more;
 * when that t exceeds 'min_count' but t = 'min_count' leaves fewer than 'room' words,
 * 'min_count' is used instead, so that no word reaching it is dropped while there is room.
 * Words counted below the threshold are dropped ("</s>" never), the others keep their
 * order with new ids; map[old id] receives the new id or -1 ('map' has room for v->n
 * entries; a new id is never larger than the old one). Returns the threshold used. */
int64_t vocab_reduce(struct vocab *v, int64_t target, int64_t room, int64_t min_count,
                     int32_t *map);

/* Writes "word count" lines in id order to 'path' (all-or-nothing). Returns 0 or -1. */
int vocab_save(const struct vocab *v, const char *path, struct w2v_err *err);

/* Reads "word count" lines (word2vec's -save-vocab format) from 'path' ("-" is standard
 * input; gzip is read by content, see input.h) into 'v', which must be freshly
 * initialised. Blank lines are skipped; a malformed line, a negative count or a repeated
 * word is an error naming the line. Returns 0 or -1. */
int vocab_read(struct vocab *v, const char *path, struct w2v_err *err);

/* Serialises every word and its count in id order into a malloc'ed buffer of '*len'
 * bytes (a length byte, the word, its count as 8 bytes in host order), for sending
 * between processes of one job. The caller frees it. */
char *vocab_pack(const struct vocab *v, size_t *len);

/* Adds the words of a vocab_pack buffer to 'v': counts of known words are summed, new
 * words are appended in the buffer's order (so unpacking into a fresh vocabulary rebuilds
 * the packed one, ids included). Returns 0, or -1 with 'err' set (malformed, full). */
int vocab_merge_packed(struct vocab *v, const char *buf, size_t len, struct w2v_err *err);

/* A malloc'ed array mapping each id of 'from' to the id of the same word in 'to', or -1
 * where 'to' lacks it (for idstream_remap). The caller frees it. */
int32_t *vocab_map(const struct vocab *from, const struct vocab *to);

#endif
