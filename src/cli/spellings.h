/* spellings: the other ways of writing the options of 'w2v train': word2vec's, fastText's
 * and gensim's names, in one table, and word2vec's "-cbow 1". Each name stands for one or
 * two of w2v's own options with a value, or is refused with the w2v way to the same end;
 * none has a meaning of its own, so the parser (cli/opts.c) applies what a name stands
 * for as if w2v's options had been written in its place. */
#ifndef W2V_SPELLINGS_H
#define W2V_SPELLINGS_H

#include "base/log.h"

struct option;

/* The most w2v options one spelling stands for (-loss hs is -hs 1 -negative 0). */
#define SPELLINGS_MAX_STEPS 2

/* One of w2v's options, named as in the parser's own table (without its dash), and the
 * value it is given (NULL for an option that takes none). */
struct spelling_step {
    const char *option;
    const char *value;
};

/* The number of names the table holds: the rows spellings_rows fills. */
int spellings_count(void);

/* Fills 'rows[0 .. spellings_count())' with getopt_long_only rows, one per name, each with
 * the id 'id': a name takes a value, except that a refused name takes one only when it
 * is written -name=VALUE (so that it is refused however it is written). */
void spellings_rows(struct option *rows, int id);

/* What the name 'name' (as in its row, without its dash) with the value 'arg' (NULL when
 * none was given) stands for: fills 'steps' with w2v's options in the order they apply
 * and returns how many (0 to SPELLINGS_MAX_STEPS; 0: nothing to change), their values
 * pointing into the table or to 'arg'. Returns -1 with 'err' set to a usage message
 * naming the spelling when it is refused (an option w2v has no counterpart for, saying
 * what to use instead if anything) or its value is not one it accepts. */
int spellings_expand(const char *name, const char *arg, struct spelling_step *steps,
                     struct w2v_err *err);

/* word2vec's way of giving a flag its value apart ("-cbow 1", "-hs 0"), which getopt does
 * not take: returns a copy of the list 'argv[0 .. argc)' in which each -cbow or -hs
 * followed by a number or a boolean word (yes, no, true, false, on, off, in any case) is
 * joined with it into one "-cbow=1" (up to a "--"), and sets '*out_argc' to its length
 * and '*owned' to a NULL-ended list of the joined strings. The caller frees the strings
 * of '*owned', '*owned' and the copy; the other strings are those of 'argv'. */
char **spellings_join_values(int argc, char **argv, int *out_argc, char ***owned);

#endif
