/* linevec: a line's words to its vector (the plain mean of unit vectors, or SIF's weighted
 * mean of raw vectors), the rows as text, and SIF's algebra: X^T X accumulated row by row,
 * its top eigenvector, and the removal of that direction. */
#include "query/linevec.h"
#include "query/linevec_work.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/strindex.h"
#include "base/util.h"
#include "io/fasttext.h"
#include "io/vecfile.h"

/* Power iteration: at most this many steps, stopping once a step moves the unit vector by
 * less than LV_POWER_TOL (the error shrinks by the ratio of the two largest eigenvalues
 * each step; double precision's rounding stays far below the tolerance). */
#define LV_POWER_STEPS 10000
#define LV_POWER_TOL 1e-12
/* Rows of the first text buffer of a worker (it doubles as needed). */
#define LV_FIRST_ROWS 64

void linevec_init(struct linevec *lv, const struct embed *e, int threads)
{
    memset(lv, 0, sizeof *lv);
    lv->e = e;
    lv->threads = threads > 0 ? threads : 1;
}

double linevec_sif_weight(int64_t count, double total, double a)
{
    double p = total > 0.0 ? (double)count / total : 0.0;
    return a / (a + p);
}

int linevec_sif(struct linevec *lv, const struct vocab *v, const char *path, double a,
                struct w2v_err *err)
{
    /* p(w) = count / the sum of every count of the file, as Arora et al.'s code takes it
     * ("</s>" included when the file lists it: word2vec's and w2v's files do) */
    double total = 0.0;
    for (int64_t id = 0; id < v->n; id++) {
        total += (double)v->count[id];
    }
    if (!(total > 0.0)) {
        err_set(err, "%s: the counts add up to 0", path);
        return -1;
    }
    const struct embed *e = lv->e;
    float *weight = alloc_big((size_t)(e->rows > 0 ? e->rows : 1) * sizeof *weight,
                              "SIF weights", err);
    if (weight == NULL) {
        return -1;
    }
    for (int64_t row = 0; row < e->rows; row++) {
        const char *w = embed_word(e, row);
        size_t len = strlen(w);
        int32_t id = vocab_find_h(v, w, len, strindex_hash(w, len));
        weight[row] = (float)linevec_sif_weight(id >= 0 ? v->count[id] : 0, total, a);
    }
    lv->weight = weight;
    lv->counts = v;
    lv->a = a;
    lv->total = total;
    return 0;
}

void linevec_free(struct linevec *lv)
{
    free(lv->weight);
    lv->weight = NULL;
}

/* ------------------------------------------------------------------------------------ */
/* One thread's lines. */

int lv_worker_init(struct lv_worker *w, const struct linevec *lv, enum lv_output output,
                   struct w2v_err *err)
{
    memset(w, 0, sizeof *w);
    w->lv = lv;
    w->dim = lv->e->dim;
    w->output = output;
    corpus_tok_init(&w->tk);
    size_t dim = (size_t)w->dim;
    w->sum = xcalloc(dim, sizeof *w->sum);
    w->vec = xmalloc(dim * sizeof *w->vec);
    w->dvec = xmalloc(dim * sizeof *w->dvec);
    if (output == LV_ROWS) {
        size_t bytes;
        if (!mul_size(dim * dim, sizeof *w->xtx, &bytes)) {
            err_set(err, "X^T X (%d x %d): too large", w->dim, w->dim);
            return -1;
        }
        w->xtx = alloc_big(bytes, "X^T X", err);
        if (w->xtx == NULL) {
            return -1;
        }
        memset(w->xtx, 0, bytes);
    }
    return 0;
}

void lv_worker_free(struct lv_worker *w)
{
    free(w->sum);
    free(w->vec);
    free(w->dvec);
    free(w->xtx);
    free(w->text);
    free(w->rows);
    memset(w, 0, sizeof *w);
}

void lv_worker_clear(struct lv_worker *w)
{
    w->text_len = 0;
    w->nrows = 0;
}

static bool is_zero(const float *v, int dim)
{
    for (int d = 0; d < dim; d++) {
        if (v[d] != 0.0f) {
            return false;
        }
    }
    return true;
}

/* A word of the open line: its vector (and SIF weight) added to the sum when it has one
 * that is not zero. A corpus_token_fn. */
static int take_word(void *ctx, const char *tok, size_t len, uint64_t h, bool cut)
{
    (void)cut; /* a word cut to W2V_MAX_WORD bytes is looked up as cut, as training has it */
    struct lv_worker *w = ctx;
    const struct linevec *lv = w->lv;
    const struct embed *e = lv->e;
    int dim = w->dim;
    w->st.words++;
    int64_t row = strindex_find_h(&e->words, tok, len, h);
    const float *v;
    double weight = 1.0;
    if (row >= 0) {
        v = embed_row(e, row);
        weight = lv->weight != NULL ? (double)lv->weight[row] : 1.0;
    } else if (e->ft != NULL) {
        /* fastText gives every word a vector: the mean of its n-grams' rows */
        ft_word_vector(e->ft, tok, len, w->vec);
        v = w->vec;
        if (lv->weight != NULL) {
            int32_t id = vocab_find_h(lv->counts, tok, len, h);
            weight = linevec_sif_weight(id >= 0 ? lv->counts->count[id] : 0, lv->total, lv->a);
        } else {
            double inv = vec_inv_length(v, dim);
            if (!(inv > 0.0)) {
                return 0;
            }
            vec_unit_row(v, inv, dim, w->vec);
        }
    } else {
        return 0;
    }
    if (is_zero(v, dim)) {
        return 0; /* fastText skips a word whose vector has no length, and so no direction */
    }
    for (int d = 0; d < dim; d++) {
        w->sum[d] += weight * (double)v[d];
    }
    w->nsum++;
    w->st.counted++;
    return 0;
}

/* The mean of the open line to 'out' (zeros when no word was counted); the line is closed. */
static void line_mean(struct lv_worker *w, float *out)
{
    int dim = w->dim;
    for (int d = 0; d < dim; d++) {
        out[d] = w->nsum > 0 ? (float)(w->sum[d] / (double)w->nsum) : 0.0f;
        w->sum[d] = 0.0;
    }
    w->st.lines++;
    w->st.empty += w->nsum == 0;
    w->nsum = 0;
}

/* Appends the text row of 'v' to the worker's text: vec_format_row with an empty word,
 * without the space it puts before the first value. */
static void append_text(struct lv_worker *w, const float *v)
{
    size_t room = vec_row_room(0, w->dim);
    if (w->text_len + room > w->text_cap) {
        size_t cap = w->text_cap > 0 ? 2 * w->text_cap : LV_FIRST_ROWS * room;
        w->text_cap = cap > w->text_len + room ? cap : w->text_len + room;
        w->text = xrealloc(w->text, w->text_cap);
    }
    char *at = w->text + w->text_len;
    size_t n = vec_format_row(at, "", 0, v, w->dim, false);
    memmove(at, at + 1, n - 1);
    w->text_len += n - 1;
}

/* Appends 'v' to the worker's rows and adds v v^T to the upper triangle of X^T X. */
static void append_row(struct lv_worker *w, const float *v)
{
    size_t dim = (size_t)w->dim;
    if (w->nrows == w->rows_cap) {
        w->rows_cap = w->rows_cap > 0 ? 2 * w->rows_cap : LV_FIRST_ROWS;
        w->rows = xrealloc(w->rows, (size_t)w->rows_cap * dim * sizeof *w->rows);
    }
    memcpy(w->rows + (size_t)w->nrows * dim, v, dim * sizeof *v);
    w->nrows++;
    double *x = w->dvec;
    for (size_t i = 0; i < dim; i++) {
        x[i] = (double)v[i];
    }
    for (size_t i = 0; i < dim; i++) {
        if (x[i] == 0.0) {
            continue;
        }
        double xi = x[i];
        double *row = w->xtx + i * dim;
        for (size_t j = i; j < dim; j++) {
            row[j] += xi * x[j];
        }
    }
}

/* The end of a line: its row. A corpus_line_fn. */
static int end_line(void *ctx)
{
    struct lv_worker *w = ctx;
    line_mean(w, w->vec);
    if (w->output == LV_TEXT) {
        append_text(w, w->vec);
    } else {
        append_row(w, w->vec);
    }
    return 0;
}

void lv_worker_text(struct lv_worker *w, const unsigned char *text, size_t n)
{
    corpus_tokenize(&w->tk, text, n, take_word, end_line, w);
}

void lv_worker_end_line(struct lv_worker *w)
{
    corpus_tok_flush(&w->tk, take_word, w);
    end_line(w);
}

void lv_worker_project(struct lv_worker *w, const float *v, int64_t n, const double *u)
{
    size_t dim = (size_t)w->dim;
    for (int64_t i = 0; i < n; i++) {
        linevec_remove(v + (size_t)i * dim, u, w->dim, w->vec);
        append_text(w, w->vec);
    }
}

/* A line end inside linevec_line's text: ignored (the text is one line). */
static int no_line(void *ctx)
{
    (void)ctx;
    return 0;
}

int64_t linevec_line(const struct linevec *lv, const char *text, size_t len, float *out)
{
    struct lv_worker w;
    lv_worker_init(&w, lv, LV_TEXT, NULL); /* LV_TEXT allocates nothing that can fail */
    corpus_tokenize(&w.tk, (const unsigned char *)text, len, take_word, no_line, &w);
    corpus_tok_flush(&w.tk, take_word, &w);
    int64_t n = w.nsum;
    line_mean(&w, out);
    lv_worker_free(&w);
    return n;
}

/* ------------------------------------------------------------------------------------ */
/* SIF's direction. */

int linevec_top_direction(const double *c, int dim, double *u)
{
    size_t n = (size_t)dim;
    /* The largest column C e_j has the component lambda_1 u_1j along the top eigenvector,
     * not zero for the j where |u_1j| is largest unless eigenvalues tie. */
    size_t best = n;
    double best_norm = 0.0;
    for (size_t j = 0; j < n; j++) {
        double s = 0.0;
        for (size_t i = 0; i < n; i++) {
            s += c[i * n + j] * c[i * n + j];
        }
        if (s > best_norm) {
            best_norm = s;
            best = j;
        }
    }
    if (best == n) {
        memset(u, 0, n * sizeof *u);
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        u[i] = c[i * n + best] / sqrt(best_norm);
    }
    double *y = xmalloc(n * sizeof *y);
    int steps = 0;
    while (steps < LV_POWER_STEPS) {
        steps++;
        double norm = 0.0;
        for (size_t i = 0; i < n; i++) {
            double s = 0.0;
            for (size_t j = 0; j < n; j++) {
                s += c[i * n + j] * u[j];
            }
            y[i] = s;
            norm += s * s;
        }
        if (!(norm > 0.0)) {
            break; /* cannot happen for a start in C's column space; kept for safety */
        }
        norm = sqrt(norm);
        double moved = 0.0;
        for (size_t i = 0; i < n; i++) {
            double next = y[i] / norm;
            moved += (next - u[i]) * (next - u[i]);
            u[i] = next;
        }
        if (sqrt(moved) < LV_POWER_TOL) {
            break;
        }
    }
    free(y);
    return steps;
}

void linevec_remove(const float *v, const double *u, int dim, float *out)
{
    double dot = 0.0;
    for (int d = 0; d < dim; d++) {
        dot += u[d] * (double)v[d];
    }
    for (int d = 0; d < dim; d++) {
        out[d] = (float)((double)v[d] - dot * u[d]);
    }
}
