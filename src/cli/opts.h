/* opts: the command line of 'w2v train': parsing (single-dash long names as in word2vec,
 * through getopt_long_only) into the settings of pipeline/training.h, validation and the
 * help text. */
#ifndef W2V_OPTS_H
#define W2V_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/log.h"
#include "pipeline/training.h"

/* Parses 'argv' (argv[0] is the command name) into 'o', which holds the defaults
 * (training_defaults); '*help' tells whether -h was given (the rest is then not checked).
 * Returns 0, or -1 with 'err' set to a usage message naming the option. Strings in 'o'
 * point into 'argv'; opts_free frees the list of corpora. */
int opts_parse(struct train_opts *o, int argc, char **argv, bool *help, struct w2v_err *err);

/* Frees what opts_parse allocated (the list of corpora). */
void opts_free(struct train_opts *o);

/* Prints the help text, with every option's default, to 'out'. */
void opts_usage(FILE *out);

#endif
