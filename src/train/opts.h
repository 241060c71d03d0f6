/* opts: the options of 'w2v train': defaults, parsing (single-dash long names as in
 * word2vec, through getopt_long_only), validation and the help text. */
#ifndef W2V_OPTS_H
#define W2V_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "log.h"
#include "model.h"

struct train_opts {
    struct train_config cfg;
    const char **corpora;    /* inputs in order (paths, "-" at most once), malloc'ed */
    int ncorpora;
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
};

/* Sets every option to its default ('threads' = online CPUs). */
void opts_defaults(struct train_opts *o);

/* Frees what opts_parse allocated (the list of corpora). */
void opts_free(struct train_opts *o);

/* Parses 'argv' (argv[0] is the command name). Returns 0, or -1 with 'err' set to a
 * usage message naming the option. Strings in 'o' point into 'argv'. */
int opts_parse(struct train_opts *o, int argc, char **argv, struct w2v_err *err);

/* True if the vectors should be written in binary, from -binary or the output name. */
bool opts_binary_output(const struct train_opts *o);

/* Prints the help text, with every option's default, to 'out'. */
void opts_usage(FILE *out);

#endif
