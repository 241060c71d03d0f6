/* opts: the options of 'w2v train': defaults, parsing (single-dash long names as in
 * word2vec, through getopt_long_only), validation and the help text. */
#ifndef W2V_OPTS_H
#define W2V_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/log.h"
#include "train/model.h"

struct train_opts {
    struct train_config cfg;
    const char **corpora;    /* inputs in order (paths, "-" at most once), malloc'ed */
    int ncorpora;
    size_t memory;           /* bound on the run's memory, bytes */
    bool memory_set;         /* -memory was given (the default is OPT_MEMORY_SHARE of RAM) */
    const char *tmpdir;      /* where the id stream spills, or NULL for $TMPDIR or /tmp */
    const char *output;      /* path or "-" */
    int binary;              /* 1, 0, or -1 to decide from the output name */
    const char *save_vocab;
    const char *read_vocab;
    int64_t min_count;
    int64_t max_vocab;       /* 0 = no limit */
    int64_t classes;         /* > 0: write k-means word classes instead of vectors */
    int verbosity;           /* a log_level */
    double sync_seconds;     /* model averaging interval of a job, in seconds, or 0 */
    int64_t sync_words;      /* ... in words over the job, or 0 */
    int sync_rare;           /* rounds between two averagings of a rare word */
    bool help;
    const char *save_model;  /* -save-model: the model file written, or NULL */
    double checkpoint_sec;   /* -checkpoint: seconds between saves, 0 for none */
    const char *resume;      /* -resume: the model file to go on from, or NULL */
    const char *init;        /* -init: the model file to start from, or NULL */
    unsigned given;          /* OPTS_GIVEN_* groups of options set on the command line */
    bool alpha_given;        /* -alpha was given */
};

/* Groups of options, to refuse those a model file decides (-resume, -init). */
#define OPTS_GIVEN_MODEL 1u  /* -cbow -size -window -fixed-window -negative -hs -sample
                              * -ns-exponent */
#define OPTS_GIVEN_VOCAB 2u  /* -min-count -max-vocab -read-vocab */
#define OPTS_GIVEN_RUN 4u    /* -iter -alpha -threads -seed -shuffle -batch */

/* Sets in 'c' (a model file's settings) the OPTS_GIVEN_RUN settings of 'o', the command
 * line's or their defaults; -alpha's default follows c's kind. How -init trains a model
 * file further. */
void opts_take_run(const struct train_opts *o, struct train_config *c);

/* Default learning rates of skip-gram and CBOW (word2vec's). */
#define OPT_ALPHA_SG 0.025
#define OPT_ALPHA_CBOW 0.05

/* Share of the physical memory the default -memory allows. */
#define OPT_MEMORY_SHARE 0.75

/* Sets every option to its default ('threads' = online CPUs, 'memory' =
 * OPT_MEMORY_SHARE of the physical memory). */
void opts_defaults(struct train_opts *o);

/* Frees what opts_parse allocated (the list of corpora). */
void opts_free(struct train_opts *o);

/* Parses a size such as "512M" or "4G" (K, M, G, T: powers of 1024; no suffix: MiB).
 * Returns 0, or -1 with 'err' set to a reason without a subject. */
int opts_parse_size(const char *s, size_t *out, struct w2v_err *err);

/* Parses 'argv' (argv[0] is the command name). Returns 0, or -1 with 'err' set to a
 * usage message naming the option. Strings in 'o' point into 'argv'. */
int opts_parse(struct train_opts *o, int argc, char **argv, struct w2v_err *err);

/* True if the vectors should be written in binary, from -binary or the output name. */
bool opts_binary_output(const struct train_opts *o);

/* Prints the help text, with every option's default, to 'out'. */
void opts_usage(FILE *out);

#endif
