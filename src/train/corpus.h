/* corpus: the single reading pass over the training text. Plain text and gzip (detected by
 * content, concatenated members included) from a file or stdin ("-") are split into
 * tokens on ASCII whitespace and NUL; each line end becomes "</s>" (id 0), '\r' is
 * whitespace. Every token's id is appended to an id stream, so training never reads the
 * text again. Tokens longer than W2V_MAX_WORD bytes are cut on a UTF-8 character
 * boundary. */
#ifndef W2V_CORPUS_H
#define W2V_CORPUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "log.h"
#include "vocab.h"

/* The training text as word ids, in corpus order. */
struct idstream {
    int32_t *ids;
    int64_t n;
    int64_t cap;
};

struct corpus_stats {
    int64_t tokens;    /* whitespace-separated words read (line ends not included) */
    int64_t lines;     /* line ends read */
    int64_t truncated; /* tokens cut to W2V_MAX_WORD bytes */
    int64_t dropped;   /* tokens not in a fixed vocabulary */
    int64_t units;     /* units of dealing seen, kept or not (see corpus_share) */
};

/* Reads 'path' ("-" for stdin) once. When 'fixed' is false every token is added to 'v'
 * and counted; when true, 'v' is left unchanged and tokens missing from it are dropped.
 * Appends ids to 's' (initialise it with zeros) and fills 'st'. Stops with an error when
 * a SIGINT/SIGTERM arrives. Returns 0, or -1 with 'err' set: unreadable input, corrupt or
 * truncated gzip data, memory. */
int corpus_read(const char *path, struct vocab *v, bool fixed, struct idstream *s,
                struct corpus_stats *st, struct w2v_err *err);

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
                      bool fixed, struct idstream *s, struct corpus_stats *st,
                      struct w2v_err *err);

/* Replaces every id by 'map'[id] and drops those mapped to -1, keeping the order. */
void idstream_remap(struct idstream *s, const int32_t *map);

/* Frees the stream's memory. */
void idstream_free(struct idstream *s);

#endif
