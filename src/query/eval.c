/* eval: question and pair files read through the input layer, the upper-cased index of the
 * searched rows (embed_upper), analogies scored in batches by knn_batch. */
#include "query/eval.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/input.h"
#include "query/knn.h"
#include "base/strindex.h"
#include "base/util.h"

/* Longest line accepted in a question or pair file. */
#define EVAL_MAX_LINE 4096
/* Candidates gensim inspects: its top 5 after dropping the 3 question rows. */
#define EVAL_TOPN 5
#define EVAL_CANDIDATES (EVAL_TOPN + 3)
/* Questions scored together: each block of rows is read once for all of them. */
#define EVAL_BATCH 256

/* ------------------------------------------------------------------------------------ */
/* Question and pair files. */

struct source {
    struct input in;
    struct embed_upper u;
    char *line;       /* the current line, its leading blanks skipped */
};

/* Opens the evaluation file 'path' ("-" is standard input) and indexes the first
 * 'restrict_rows' rows of 'e' (all when 0 or more than there are). Returns 0 or -1. */
static int source_open(struct source *s, const struct embed *e, const char *path,
                       int64_t restrict_rows, struct w2v_err *err)
{
    if (input_open(&s->in, path, err) != 0) {
        input_close(&s->in);
        return -1;
    }
    embed_upper_build(&s->u, e, first_n(restrict_rows, e->rows));
    return 0;
}

/* The next line that is neither blank nor a '#' comment: 1, 0 at the end, -1 on error. */
static int source_next(struct source *s, struct w2v_err *err)
{
    for (;;) {
        size_t len;
        int rc = input_line(&s->in, &s->line, &len, EVAL_MAX_LINE, err);
        if (rc != 1) {
            return rc;
        }
        s->line += strspn(s->line, " \t\r");
        if (*s->line != '\0' && *s->line != '#') {
            return 1;
        }
    }
}

static void source_close(struct source *s)
{
    input_close(&s->in);
    embed_upper_free(&s->u);
}

/* Splits 's' in place on blanks into at most 'max' fields; returns the count (max + 1 if
 * there are more). */
static int split_fields(char *s, char **field, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(s, " \t\r", &save); t != NULL; t = strtok_r(NULL, " \t\r", &save)) {
        if (n == max) {
            return max + 1;
        }
        field[n++] = t;
    }
    return n;
}

/* ------------------------------------------------------------------------------------ */
/* Analogies. */

/* The answer row of a question whose answer has no row (-oov ngrams): none matches it. */
#define EVAL_NO_ROW (-2)

struct question {
    int64_t a, b, c, d;   /* canonical rows (d is EVAL_NO_ROW when it has none) */
    int section;
    bool oov;             /* a word was answered from n-grams (eval_analogy's 'oov') */
};

/* With 'oov', the row of a word outside the restricted rows: its own further down the
 * file, or one made from its n-grams (embed_lookup); -1 without. */
static int64_t lookup_oov(struct embed *e, bool oov, const char *word)
{
    return oov ? embed_lookup(e, word) : -1;
}

/* Applies gensim's choice to the best candidates of one question (best first). */
static bool judge(const struct embed_upper *u, const struct question *q, const struct hit *cand,
                  int ncand)
{
    int64_t predicted = -1;
    int seen = 0;
    for (int i = 0; i < ncand && seen < EVAL_TOPN; i++) {
        int64_t r = cand[i].row;
        if (r == q->a || r == q->b || r == q->c) {
            continue; /* the question's own rows are never answers */
        }
        seen++;
        predicted = u->canon[r];
        if (predicted != q->a && predicted != q->b && predicted != q->c) {
            break;
        }
    }
    return predicted == q->d;
}

/* Scores questions in batches over the first 'n' rows; sets correct[i]. */
static void answer_questions(const struct embed *e, const struct embed_upper *u,
                             const struct question *qs, int64_t nq, int64_t n, bool mul,
                             int threads, bool *correct)
{
    size_t dim = (size_t)e->dim;
    float *vec = xmalloc((size_t)EVAL_BATCH * 3 * dim * sizeof *vec);
    float *tmp = xmalloc(dim * sizeof *tmp);
    struct hit cand[EVAL_BATCH][EVAL_CANDIDATES];
    struct knn_query kq[EVAL_BATCH];
    for (int64_t q0 = 0; q0 < nq; q0 += EVAL_BATCH) {
        int m = (int)(nq - q0 < EVAL_BATCH ? nq - q0 : EVAL_BATCH);
        for (int i = 0; i < m; i++) {
            const struct question *q = &qs[q0 + i];
            /* b - a + c; for 3CosMul the positive, negative, positive order of knn */
            const int64_t rows[3] = {q->b, q->a, q->c};
            float *v = vec + (size_t)i * 3 * dim;
            kq[i] = (struct knn_query){.mul = mul, .k = EVAL_CANDIDATES, .out = cand[i]};
            for (int x = 0; x < 3; x++) {
                float *slot = v + (size_t)x * dim;
                memcpy(slot, embed_unit(e, rows[x], tmp), dim * sizeof *slot);
                kq[i].v[x] = slot;
            }
            if (!mul) {
                /* the order of cosines with b - a + c is that of its normalised form */
                for (size_t d = 0; d < dim; d++) {
                    v[d] = v[d] + v[2 * dim + d] - v[dim + d];
                }
            }
        }
        knn_batch(e, n, kq, m, threads);
        for (int i = 0; i < m; i++) {
            correct[q0 + i] = judge(u, &qs[q0 + i], cand[i], kq[i].n);
        }
    }
    free(vec);
    free(tmp);
}

static int add_section(struct eval_analogies *res, const char *name)
{
    res->sections = xrealloc(res->sections, (size_t)(res->nsections + 1) * sizeof *res->sections);
    struct eval_section *s = &res->sections[res->nsections];
    memset(s, 0, sizeof *s);
    s->name = xstrdup(name);
    return res->nsections++;
}

/* Handles one non-blank line: a section header or a question. Returns 0 or -1. */
static int read_question(struct source *s, struct embed *e, bool oov,
                         struct eval_analogies *res, int *section, struct question *q,
                         bool *known, struct w2v_err *err)
{
    char *p = s->line;
    *known = false;
    if (*p == ':') {
        p += 1 + strspn(p + 1, " \t");
        size_t len = strlen(p);
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r')) {
            p[--len] = '\0';
        }
        *section = add_section(res, p);
        return 0;
    }
    char *f[4];
    long long lineno = (long long)s->in.lineno;
    if (split_fields(p, f, 4) != 4) {
        err_set(err, "%s:%lld: expected 4 words", s->in.path, lineno);
        return -1;
    }
    if (*section < 0) {
        err_set(err, "%s:%lld: question before the first ': section' line", s->in.path, lineno);
        return -1;
    }
    res->sections[*section].total++;
    res->total++;
    int64_t rows[4];
    bool looked = false;
    for (int k = 0; k < 4; k++) {
        rows[k] = embed_upper_find(&s->u, f[k]);
        if (k < 3 && rows[k] < 0) {
            rows[k] = lookup_oov(e, oov, f[k]);
            looked = true;
        }
        if ((k < 3 || !oov) && rows[k] < 0) {
            return 0;
        }
    }
    if (rows[3] < 0) {
        rows[3] = EVAL_NO_ROW; /* no candidate is ever it */
    }
    *q = (struct question){rows[0], rows[1], rows[2], rows[3], *section, looked || rows[3] < 0};
    *known = true;
    return 0;
}

/* Adds up the answers per section and per kind. */
static void tally(struct eval_analogies *res, const struct question *qs, const bool *correct,
                  int64_t nq)
{
    for (int64_t i = 0; i < nq; i++) {
        struct eval_section *s = &res->sections[qs[i].section];
        bool syn = strncmp(s->name, "gram", 4) == 0;
        s->used++;
        res->used++;
        res->oov += qs[i].oov;
        *(syn ? &res->syn_used : &res->sem_used) += 1;
        if (correct[i]) {
            s->correct++;
            res->correct++;
            *(syn ? &res->syn_correct : &res->sem_correct) += 1;
        }
    }
}

int eval_analogy(struct embed *e, const char *path, int64_t restrict_rows, bool mul, bool oov,
                 int threads, struct eval_analogies *res, struct w2v_err *err)
{
    memset(res, 0, sizeof *res);
    struct source s;
    if (source_open(&s, e, path, restrict_rows, err) != 0) {
        return -1;
    }
    struct question *qs = NULL;
    int64_t nq = 0;
    int64_t cap = 0;
    int section = -1;
    int rc;
    while ((rc = source_next(&s, err)) == 1) {
        if (nq == cap) {
            cap = cap ? cap * 2 : 1024;
            qs = xrealloc(qs, (size_t)cap * sizeof *qs);
        }
        bool known;
        rc = read_question(&s, e, oov, res, &section, &qs[nq], &known, err);
        if (rc != 0) {
            break;
        }
        nq += known;
    }
    if (rc == 0 && res->total == 0) {
        err_set(err, "%s: no questions ('a b c d' lines under ': section' lines)",
                path_label(path, false));
        rc = -1;
    }
    if (rc == 0) {
        bool *correct = xcalloc((size_t)(nq ? nq : 1), sizeof *correct);
        answer_questions(e, &s.u, qs, nq, s.u.words.n, mul, threads < 1 ? 1 : threads,
                         correct);
        tally(res, qs, correct, nq);
        free(correct);
    }
    free(qs);
    source_close(&s);
    if (rc != 0) {
        eval_analogies_free(res);
        return -1;
    }
    return 0;
}

void eval_analogies_free(struct eval_analogies *res)
{
    for (int i = 0; i < res->nsections; i++) {
        free(res->sections[i].name);
    }
    free(res->sections);
    memset(res, 0, sizeof *res);
}

/* ------------------------------------------------------------------------------------ */
/* Word pairs and correlations. */

double eval_pearson(const double *x, const double *y, int64_t n)
{
    if (n < 2) {
        return (double)NAN;
    }
    double mx = 0.0, my = 0.0;
    for (int64_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxy = 0.0, sxx = 0.0, syy = 0.0;
    for (int64_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxx > 0.0 && syy > 0.0 ? sxy / sqrt(sxx * syy) : (double)NAN;
}

struct ranked {
    double v;
    int64_t i;
};

static int by_value(const void *a, const void *b)
{
    const struct ranked *x = a;
    const struct ranked *y = b;
    if (x->v != y->v) {
        return x->v < y->v ? -1 : 1;
    }
    return x->i < y->i ? -1 : (x->i > y->i);
}

/* Ranks from 1, equal values sharing the average of their ranks. */
static void rank(const double *v, int64_t n, double *out)
{
    struct ranked *r = xmalloc((size_t)(n ? n : 1) * sizeof *r);
    for (int64_t i = 0; i < n; i++) {
        r[i].v = v[i];
        r[i].i = i;
    }
    qsort(r, (size_t)n, sizeof *r, by_value);
    for (int64_t i = 0; i < n;) {
        int64_t j = i;
        while (j + 1 < n && r[j + 1].v == r[i].v) {
            j++;
        }
        double avg = (double)(i + j) / 2.0 + 1.0;
        for (int64_t k = i; k <= j; k++) {
            out[r[k].i] = avg;
        }
        i = j + 1;
    }
    free(r);
}

double eval_spearman(const double *x, const double *y, int64_t n)
{
    double *rx = xmalloc((size_t)(n ? n : 1) * sizeof *rx);
    double *ry = xmalloc((size_t)(n ? n : 1) * sizeof *ry);
    rank(x, n, rx);
    rank(y, n, ry);
    double s = eval_pearson(rx, ry, n);
    free(rx);
    free(ry);
    return s;
}

/* Cosine of unit rows 'a' and 'b' in double: exact ties (often between hand-made vectors)
 * stay ties. 'scratch' has room for two rows. */
static double cosine(const struct embed *e, int64_t a, int64_t b, float *scratch)
{
    const float *x = embed_unit(e, a, scratch);
    const float *y = embed_unit(e, b, scratch + e->dim);
    double dot = 0.0;
    for (int d = 0; d < e->dim; d++) {
        dot += (double)x[d] * (double)y[d];
    }
    return dot;
}

/* Parses one "w1 w2 score" line (with 'oov', a word outside the restricted rows is looked
 * up further, '*looked' telling); returns 0, or -1 with 'err' set. */
static int read_pair(struct source *s, struct embed *e, bool oov, int64_t *a, int64_t *b,
                     bool *looked, double *score, struct w2v_err *err)
{
    char *f[3];
    char *end = NULL;
    bool ok = split_fields(s->line, f, 3) == 3;
    if (ok) {
        errno = 0;
        *score = strtod(f[2], &end);
        ok = end != f[2] && *end == '\0' && errno == 0 && isfinite(*score);
    }
    if (!ok) {
        err_set(err, "%s:%lld: expected 'word word score'", s->in.path,
                (long long)s->in.lineno);
        return -1;
    }
    *a = embed_upper_find(&s->u, f[0]);
    *b = embed_upper_find(&s->u, f[1]);
    *looked = (*a < 0 || *b < 0) && oov;
    if (*a < 0) {
        *a = lookup_oov(e, oov, f[0]);
    }
    if (*b < 0) {
        *b = lookup_oov(e, oov, f[1]);
    }
    return 0;
}

int eval_pairs(struct embed *e, const char *path, int64_t restrict_rows, bool oov,
               struct eval_pairs *res, struct w2v_err *err)
{
    memset(res, 0, sizeof *res);
    struct source s;
    if (source_open(&s, e, path, restrict_rows, err) != 0) {
        return -1;
    }
    int64_t cap = 512;
    double *gold = xmalloc((size_t)cap * sizeof *gold);
    double *model = xmalloc((size_t)cap * sizeof *model);
    float *scratch = xmalloc((size_t)e->dim * 2 * sizeof *scratch);
    int rc;
    while ((rc = source_next(&s, err)) == 1) {
        int64_t a, b;
        double score;
        bool looked;
        if ((rc = read_pair(&s, e, oov, &a, &b, &looked, &score, err)) != 0) {
            break;
        }
        res->total++;
        if (a < 0 || b < 0) {
            continue;
        }
        res->oov += looked;
        if (res->used == cap) {
            cap *= 2;
            gold = xrealloc(gold, (size_t)cap * sizeof *gold);
            model = xrealloc(model, (size_t)cap * sizeof *model);
        }
        gold[res->used] = score;
        model[res->used++] = cosine(e, a, b, scratch);
    }
    if (rc == 0 && res->total == 0) {
        err_set(err, "%s: no word pairs ('word word score' lines)", path_label(path, false));
        rc = -1;
    }
    if (rc == 0) {
        res->spearman = eval_spearman(gold, model, res->used);
        res->pearson = eval_pearson(gold, model, res->used);
    }
    free(gold);
    free(model);
    free(scratch);
    source_close(&s);
    return rc == 0 ? 0 : -1;
}
