/* corpus: the single reading pass over the training text. Plain text and gzip (detected by
 * content, concatenated members included) from a file or stdin ("-") are split into
 * tokens on ASCII whitespace and NUL; each line end becomes "</s>" (id 0), '\r' is
 * whitespace, and the end of an input is a sentence end too. Every token's id is appended
 * to an id stream (idstream.h), so training never reads the text again. A thread reads,
 * decompresses and tokenizes the input while the caller's thread counts. Tokens longer
 * than W2V_MAX_WORD bytes are cut on a UTF-8 character boundary. When the count table
 * would outgrow its share of memory, the rarest words are dropped (vocab_reduce) and their
 * tokens leave the stream. */
#ifndef W2V_CORPUS_H
#define W2V_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "text/idstream.h"
#include "base/log.h"
#include "base/strindex.h"
#include "base/w2v.h"
#include "text/vocab.h"

/* Totals of the reading pass; corpus_read adds to them, so that several inputs read one
 * after the other give per-run totals (zero them before the first). */
struct corpus_stats {
    int64_t tokens;          /* whitespace-separated words read (line ends not included) */
    int64_t lines;           /* line ends read */
    int64_t truncated;       /* tokens cut to W2V_MAX_WORD bytes */
    int64_t dropped;         /* tokens not in a fixed vocabulary */
    uint64_t bytes;          /* bytes read from the inputs (compressed bytes for gzip) */
    uint64_t input_size;     /* size of the current input when it is a regular file, or 0 */
    int64_t prunes;          /* times the count table was pruned */
    int64_t pruned_words;    /* distinct words dropped by pruning (a word may count twice) */
    int64_t pruned_tokens;   /* tokens of those words dropped from the stream */
    int64_t threshold;       /* highest pruning threshold: words counted fewer times went */
    bool pruned_min_count;   /* pruning had to drop words counted -min-count times or more */
    size_t table_peak;       /* most bytes the count table used (see vocab_bytes_used) */
    int64_t units;           /* units of dealing seen, kept or not (see corpus_share) */
};

/* How the reading pass may use memory, and whom it tells about its progress. */
struct corpus_limits {
    size_t table_bytes;      /* most bytes the count table may allocate; 0 for no limit */
    size_t budget;           /* bytes for the count table and the id stream in memory
                              * together (the stream spills beyond); 0 for no limit */
    int64_t min_count;       /* words counted this often are kept while the table can */
    /* Called about every CORPUS_CHUNK bytes and at the end of each input, if not NULL. */
    void (*progress)(void *ctx, const struct corpus_stats *st, const struct vocab *v,
                     bool done);
    void *ctx;
};

/* Bytes read from the input per chunk. */
#define CORPUS_CHUNK (1 << 18)
/* Chunks the reader thread may read ahead. */
#define CORPUS_AHEAD 4

/* Bytes the reading pass allocates besides the vocabulary and the id stream: the reader's
 * buffers, its chunks and a pruning map of 'words' entries (0 when no pruning is done). */
size_t corpus_read_bytes(int64_t words);

/* Reads 'path' ("-" for stdin) once. When 'fixed' is false every token is added to 'v'
 * and counted; when true, 'v' is left unchanged and tokens missing from it are dropped.
 * Appends ids to 's' (initialised with idstream_init; call idstream_finish after the last
 * input) and adds to 'st'. 'lim' may be NULL (no limits, no progress). Stops with an error
 * when a SIGINT/SIGTERM arrives. Returns 0, or -1 with 'err' set: unreadable input, corrupt
 * or truncated gzip data, memory, a spill file that cannot be written. */
int corpus_read(const char *path, struct vocab *v, bool fixed, struct idstream *s,
                const struct corpus_limits *lim, struct corpus_stats *st,
                struct w2v_err *err);

/* How the tokenizer sees a byte: part of a word, a separator (ASCII whitespace other than
 * '\n', and NUL), or the line end. */
enum corpus_byte { CORPUS_WORD = 0, CORPUS_SPACE = 1, CORPUS_NEWLINE = 2 };

/* The class of byte 'c': the one definition of the separators, which every reader that
 * splits text as training does (the tokenizer's table, the cutting of shards) goes by. */
static inline enum corpus_byte corpus_byte_of(unsigned char c)
{
    switch (c) {
    case '\n':
        return CORPUS_NEWLINE;
    case ' ': case '\t': case '\v': case '\f': case '\r': case 0:
        return CORPUS_SPACE;
    default:
        return CORPUS_WORD;
    }
}

/* Bytes of room after the longest token in corpus_tok.tok: tokens are copied in whole
 * 16-byte pieces, and strindex_hash_wide reads up to 7 bytes past them. */
#define CORPUS_TOK_ROOM 16

/* The tokenizer of training, for any reader that must split text into the same tokens
 * (w2v phrases): bytes in, tokens of at most W2V_MAX_WORD bytes (longer ones cut on a
 * UTF-8 character boundary) with their strindex hash, and line ends, out. A token open at
 * the end of one buffer goes on in the next. */
struct corpus_tok {
    unsigned char cls[256]; /* the corpus_byte class of every byte value */
    char tok[W2V_MAX_WORD + 1 + CORPUS_TOK_ROOM];
    size_t len;
    bool over;              /* the token ran past W2V_MAX_WORD; tok[W2V_MAX_WORD] holds the
                             * first byte dropped */
};

/* What a tokenizer calls with each token ('cut': it was longer than W2V_MAX_WORD bytes)
 * and at each line end; a non-zero return stops the tokenizer with that value. */
typedef int (*corpus_token_fn)(void *ctx, const char *tok, size_t len, uint64_t h, bool cut);
typedef int (*corpus_line_fn)(void *ctx);

/* Starts a tokenizer with no token open. */
void corpus_tok_init(struct corpus_tok *t);

/* Ends the open token, if any, calling 'token' with it. Returns 0 or what 'token' returned. */
int corpus_tok_flush(struct corpus_tok *t, corpus_token_fn token, void *ctx);

#if defined(__SSE2__)
/* The separators among the 16 bytes at 'p', one bit each: ' ', '\t' to '\r' (9 to 13,
 * '\n' included) and NUL, the bytes corpus_tok_init classes as CORPUS_SPACE or
 * CORPUS_NEWLINE. */
static inline unsigned corpus_separators16(const unsigned char *p)
{
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i c = _mm_sub_epi8(x, _mm_set1_epi8(9));
    __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(c, _mm_set1_epi8(4)), c);
    __m128i sp = _mm_cmpeq_epi8(x, _mm_set1_epi8(' '));
    __m128i nul = _mm_cmpeq_epi8(x, _mm_setzero_si128());
    return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(ctl, sp), nul));
}
#endif

/* Where the first separator at or after 'i' in the 'n' bytes of 'buf' is ('n' if none):
 * 16 bytes a step where the CPU has SSE2, one otherwise. */
static inline size_t corpus_word_end(const struct corpus_tok *t, const unsigned char *buf,
                                     size_t i, size_t n)
{
#if defined(__SSE2__)
    for (; i + 16 <= n; i += 16) {
        unsigned m = corpus_separators16(buf + i);
        if (m != 0) {
            return i + (size_t)__builtin_ctz(m);
        }
    }
#endif
    while (i < n && t->cls[buf[i]] == CORPUS_WORD) {
        i++;
    }
    return i;
}

/* Adds the 'k' word bytes at 'p' to the open token, keeping at most W2V_MAX_WORD; 'wide'
 * says that 16 bytes may be read at 'p'. */
static inline void corpus_tok_add(struct corpus_tok *t, const unsigned char *p, size_t k,
                                  bool wide)
{
    size_t room = W2V_MAX_WORD - t->len;
    size_t take = k < room ? k : room;
    if (take > 0 && take <= 16 && wide) {
        memcpy(t->tok + t->len, p, 16); /* within CORPUS_TOK_ROOM */
    } else if (take > 0) {
        memcpy(t->tok + t->len, p, take);
    }
    t->len += take;
    /* cppcheck-suppress knownConditionTrueFalse ; cppcheck 2.10 misreads the minimum */
    if (take < k && !t->over) {
        t->over = true;
        t->tok[W2V_MAX_WORD] = (char)p[take];
    }
}

/* Splits the 'n' bytes of 'buf'. Returns 0, or the first non-zero value a callback
 * returned. Inline, so that a caller's constant callbacks are inlined too. */
static inline int corpus_tokenize(struct corpus_tok *t, const unsigned char *buf, size_t n,
                                  corpus_token_fn token, corpus_line_fn line, void *ctx)
{
    size_t i = 0;
    while (i < n) {
        size_t j = corpus_word_end(t, buf, i, n);
        if (j > i) {
            corpus_tok_add(t, buf + i, j - i, i + 16 <= n);
        }
        if (j == n) {
            return 0;
        }
        int rc = t->len > 0 || t->over ? corpus_tok_flush(t, token, ctx) : 0;
        if (rc == 0 && t->cls[buf[j]] == CORPUS_NEWLINE) {
            rc = line(ctx);
        }
        if (rc != 0) {
            return rc;
        }
        i = j + 1;
    }
    return 0;
}

/* Tokens after which a line is cut into another unit for dealing (see corpus_share): a
 * corpus without line ends is still dealt in pieces. */
#define CORPUS_UNIT_TOKENS 10000

/* The part of one input a process reads when several share a corpus. Bytes [begin, end)
 * are read ('end' -1: to the end of the data; 'begin' > 0 needs an uncompressed regular
 * file and a token boundary there). Of what is read, the units (lines, or pieces of
 * CORPUS_UNIT_TOKENS tokens of a longer line) numbered u = 0, 1, ... are kept when
 * u % 'of' == 'deal'; 'of' = 1 keeps everything. */
struct corpus_share {
    int64_t begin;
    int64_t end;
    int deal;
    int of;
};

/* corpus_read of the part 'share' of 'path' (NULL: all of it); 'st' counts only the
 * tokens kept. Same contract as corpus_read, and an input that cannot seek to 'begin' is
 * an error. */
int corpus_read_share(const char *path, const struct corpus_share *share, struct vocab *v,
                      bool fixed, struct idstream *s, const struct corpus_limits *lim,
                      struct corpus_stats *st, struct w2v_err *err);

#endif
