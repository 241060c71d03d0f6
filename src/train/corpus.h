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

/* Fills 'cls' with the corpus_byte class of every byte value. Any reader that must split
 * text into the same tokens as training (w2v phrases) uses this table. */
void corpus_byte_classes(unsigned char cls[256]);

/* Length at which a token of 'len' (= W2V_MAX_WORD) bytes kept, whose first dropped byte
 * was 'next', is cut so that it does not end inside a UTF-8 character. */
size_t corpus_utf8_cut(const char *tok, size_t len, unsigned char next);

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
