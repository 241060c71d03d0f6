/* phrases: joins frequent word pairs into one token ("new york" -> "new_york"). A first
 * pass counts words and the pairs of adjacent words inside each line, within a memory
 * budget; a second pass rewrites the text, joining a pair whose score is above the
 * threshold. Tokens are split exactly as training splits them (corpus_byte_classes); a
 * pair never spans a line end and the output has one line per input line. Input that
 * cannot be read twice (standard input, a pipe) is copied to an unlinked temporary file
 * in $TMPDIR during the first pass. */
#ifndef W2V_PHRASES_H
#define W2V_PHRASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "io/outfile.h"

enum phrases_scoring {
    PHRASES_WORD2VEC, /* (count(ab) - min_count) / (count(a) * count(b)) * total words */
    PHRASES_NPMI      /* normalised pointwise mutual information, in -1..1 */
};

struct phrases_config {
    enum phrases_scoring scoring;
    double threshold;  /* a pair is joined when its score is above this */
    int64_t min_count; /* pairs (and words) counted fewer times are never joined */
    size_t memory;     /* bytes the word and pair counts may use */
};

struct phrases_stats {
    int64_t tokens;     /* words read by the first pass */
    int64_t lines;      /* line ends read */
    int64_t truncated;  /* tokens cut to W2V_MAX_WORD bytes */
    int64_t words;      /* distinct words counted (at the end of the pass) */
    int64_t pairs;      /* distinct pairs counted (at the end of the pass) */
    int64_t prunes;     /* times the counts were cut to stay within the budget */
    int64_t dropped_at; /* the last cut dropped entries counted this many times or fewer */
    size_t peak_bytes;  /* most bytes the counts used */
    bool spilled;       /* the input was copied to a temporary file */
    int64_t joined;     /* pairs joined by the second pass */
};

/* Progress of a pass: 'fn' (if not NULL) is called after each chunk with the pass (1 or
 * 2), the bytes of input consumed and their total (0 when unknown, e.g. a pipe). */
struct phrases_progress {
    void (*fn)(void *ctx, int pass, uint64_t done, uint64_t total);
    void *ctx;
};

struct phrases;

/* A phrase finder with the settings 'cfg' (copied). Free with phrases_free. */
struct phrases *phrases_new(const struct phrases_config *cfg);

/* Frees 'p' and closes its temporary file, if any. NULL is allowed. */
void phrases_free(struct phrases *p);

/* The first pass: reads 'path' ("-" for stdin; plain or gzip) and counts its words and
 * pairs. When the counts reach the memory budget, the words and pairs counted at most
 * N times are dropped, N starting at 1 and rising by one at each cut (see the stats).
 * 'path' must stay valid until phrases_write. Returns 0, or -1 with 'err' set: unreadable
 * or corrupt input, a full temporary directory, a SIGINT/SIGTERM ("PATH: interrupted"). */
int phrases_count(struct phrases *p, const char *path, const struct phrases_progress *prog,
                  struct w2v_err *err);

/* The second pass, after phrases_count: writes the text to 'out' with the chosen pairs
 * joined by '_', words separated by one space and each line end kept. Returns 0, or -1
 * with 'err' set (a read or write error, an interruption, or an input that changed
 * between the passes); the caller then aborts 'out'. */
int phrases_write(struct phrases *p, struct outfile *out, const struct phrases_progress *prog,
                  struct w2v_err *err);

/* Counts and results so far. */
const struct phrases_stats *phrases_get_stats(const struct phrases *p);

/* The score of the pair 'a b' seen 'cab' times, its words 'ca' and 'cb' times, in a text
 * of 'total' words, under 'cfg': -INFINITY when any of the three counts is below
 * min_count. The pair is joined when the score is above cfg->threshold. */
double phrases_score(const struct phrases_config *cfg, int64_t ca, int64_t cb, int64_t cab,
                     int64_t total);

/* Count of the pair 'a b' after phrases_count (0 if not counted or dropped), and of the
 * word 'a'; for tests and diagnostics. */
int64_t phrases_pair_count(const struct phrases *p, const char *a, const char *b);
int64_t phrases_word_count(const struct phrases *p, const char *a);

#endif
