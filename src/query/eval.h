/* eval: the standard benchmarks over loaded vectors, computed as gensim's
 * evaluate_word_analogies and evaluate_word_pairs do (case-insensitive with Python's
 * str.upper, see utf8.h; restricted to the most frequent rows), so that the numbers agree
 * question for question. Both work on mapped and loaded vector files alike (rows are read
 * through embed_unit). Files are read through the input layer: "-" is standard input,
 * gzip is unpacked; blank lines and lines starting with '#' are skipped. */
#ifndef W2V_EVAL_H
#define W2V_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "query/embed.h"
#include "base/log.h"

struct eval_section {
    char *name;
    int64_t correct;
    int64_t used;    /* questions whose four words are all known */
    int64_t total;   /* questions in the section */
};

struct eval_analogies {
    struct eval_section *sections;
    int nsections;
    int64_t correct, used, total;
    int64_t sem_correct, sem_used;   /* sections not starting with "gram" */
    int64_t syn_correct, syn_used;   /* sections starting with "gram" */
    int64_t oov;                     /* questions with a word answered from n-grams */
};

/* Answers the questions of 'path' (": section" lines, then "a b c d" meaning b - a + c = d)
 * over the first 'restrict_rows' rows (all when 0) with 3CosAdd, or 3CosMul if 'mul', on
 * 'threads' threads. A question with a word outside those rows is skipped, as gensim does;
 * with 'oov', its A, B and C are looked up further (embed_lookup: their rows below, or
 * vectors from their n-grams in a fastText model) and a D outside them counts as a miss.
 * Returns 0, or -1 with 'err' set ("FILE:LINE: expected 4 words", "FILE: no questions
 * ..." for a file without a question, ...). */
int eval_analogy(struct embed *e, const char *path, int64_t restrict_rows, bool mul, bool oov,
                 int threads, struct eval_analogies *res, struct w2v_err *err);

void eval_analogies_free(struct eval_analogies *res);

struct eval_pairs {
    double spearman;
    double pearson;
    int64_t used;
    int64_t total;
    int64_t oov;     /* pairs with a word answered from n-grams */
};

/* Correlates the scores of the "w1 w2 score" lines of 'path' (tabs or spaces) with the
 * cosines of the pairs found among the first 'restrict_rows' rows; with 'oov', a word
 * outside them is looked up further as in eval_analogy. Returns 0, or -1 with 'err' set (a
 * malformed line, or a file without a pair). Correlations are NaN with fewer than two
 * pairs found. */
int eval_pairs(struct embed *e, const char *path, int64_t restrict_rows, bool oov,
               struct eval_pairs *res, struct w2v_err *err);

/* Spearman's rank correlation of 'x' and 'y' ('n' values; tied ranks averaged). */
double eval_spearman(const double *x, const double *y, int64_t n);

/* Pearson's correlation of 'x' and 'y'. */
double eval_pearson(const double *x, const double *y, int64_t n);

#endif
