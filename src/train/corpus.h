/* corpus: the single reading pass over the training text. Plain text and gzip (detected by
 * content, concatenated members included) from a file or stdin ("-") are split into
 * tokens on ASCII whitespace and NUL; each line end becomes "</s>" (id 0), '\r' is
 * whitespace, and the end of an input is a sentence end too. Every token's id is appended
 * to an id stream (idstream.h), so training never reads the text again. A thread reads and
 * decompresses the input while the caller's thread tokenizes and counts. Tokens longer
 * than W2V_MAX_WORD bytes are cut on a UTF-8 character boundary. When the count table
 * would outgrow its share of memory, the rarest words are dropped (vocab_reduce) and their
 * tokens leave the stream. */
#ifndef W2V_CORPUS_H
#define W2V_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "idstream.h"
#include "log.h"
#include "strindex.h"
#include "w2v.h"
#include "vocab.h"

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

/* The tokenizer of training, for any reader that must split text into the same tokens
 * (w2v phrases): bytes in, tokens of at most W2V_MAX_WORD bytes (longer ones cut on a
 * UTF-8 character boundary) with their strindex hash, and line ends, out. A token open at
 * the end of one buffer goes on in the next. */
struct corpus_tok {
    unsigned char cls[256]; /* the corpus_byte class of every byte value */
    char tok[W2V_MAX_WORD + 1];
    size_t len;
    bool over;              /* the token ran past W2V_MAX_WORD; tok[W2V_MAX_WORD] holds the
                             * first byte dropped */
    uint64_t h;
};

/* What a tokenizer calls with each token ('cut': it was longer than W2V_MAX_WORD bytes)
 * and at each line end; a non-zero return stops the tokenizer with that value. */
typedef int (*corpus_token_fn)(void *ctx, const char *tok, size_t len, uint64_t h, bool cut);
typedef int (*corpus_line_fn)(void *ctx);

/* Starts a tokenizer with no token open. */
void corpus_tok_init(struct corpus_tok *t);

/* Ends the open token, if any, calling 'token' with it. Returns 0 or what 'token' returned. */
int corpus_tok_flush(struct corpus_tok *t, corpus_token_fn token, void *ctx);

/* Splits the 'n' bytes of 'buf'. Returns 0, or the first non-zero value a callback
 * returned. Inline, so that a caller's constant callbacks are inlined too. */
static inline int corpus_tokenize(struct corpus_tok *t, const unsigned char *buf, size_t n,
                                  corpus_token_fn token, corpus_line_fn line, void *ctx)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = buf[i];
        unsigned char k = t->cls[c];
        if (k == CORPUS_WORD) {
            if (t->len < W2V_MAX_WORD) {
                t->tok[t->len++] = (char)c;
                t->h = strindex_hash_step(t->h, c);
            } else if (!t->over) {
                t->over = true;
                t->tok[W2V_MAX_WORD] = (char)c;
            }
            continue;
        }
        int rc = t->len > 0 || t->over ? corpus_tok_flush(t, token, ctx) : 0;
        if (rc == 0 && k == CORPUS_NEWLINE) {
            rc = line(ctx);
        }
        if (rc != 0) {
            return rc;
        }
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
