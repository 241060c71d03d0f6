/* linevec_work: one thread's share of a batch of lines, shared by linevec.c (the words,
 * the mean, SIF's algebra) and linevec_run.c (batches, threads and the temporary file).
 * Not for use outside src/query. */
#ifndef W2V_LINEVEC_WORK_H
#define W2V_LINEVEC_WORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/linevec.h"
#include "text/corpus.h"

/* What a share makes of its lines. */
enum lv_output {
    LV_TEXT,    /* each line's row as text */
    LV_ROWS,    /* each line's vector as floats, and X^T X accumulated (SIF's first pass) */
};

/* A thread's state. It lasts for the whole run: the line open at the end of a batch that
 * holds no line end goes on in the next batch's first share, which worker 0 always takes. */
struct lv_worker {
    const struct linevec *lv;
    int dim;
    enum lv_output output;
    struct corpus_tok tk;
    double *sum;              /* the open line's weighted sum */
    int64_t nsum;             /* words in it */
    float *vec;               /* a word's n-gram vector, then a line's vector */
    double *dvec;             /* a line's vector in double, for X^T X */
    double *xtx;              /* LV_ROWS: the upper triangle of X^T X (dim x dim) */
    char *text;               /* LV_TEXT: this batch's rows */
    size_t text_len;
    size_t text_cap;
    float *rows;              /* LV_ROWS: this batch's vectors */
    int64_t nrows;
    int64_t rows_cap;
    struct linevec_stats st;
};

/* Starts worker 'w' of 'lv' making 'output'. Returns 0, or -1 with 'err' set when X^T X
 * (LV_ROWS only) cannot be allocated. */
int lv_worker_init(struct lv_worker *w, const struct linevec *lv, enum lv_output output,
                   struct w2v_err *err);

void lv_worker_free(struct lv_worker *w);

/* Empties the batch outputs (text, rows); the open line, the counts and X^T X stay. */
void lv_worker_clear(struct lv_worker *w);

/* Takes the 'n' bytes at 'text': words, and a row at each line end. */
void lv_worker_text(struct lv_worker *w, const unsigned char *text, size_t n);

/* Ends the open line as if a line end came. */
void lv_worker_end_line(struct lv_worker *w);

/* Appends the text row of the 'n' vectors 'v' (n x dim floats), each with 'u' (dim
 * doubles) removed, to the worker's text (SIF's second pass). */
void lv_worker_project(struct lv_worker *w, const float *v, int64_t n, const double *u);

#endif
