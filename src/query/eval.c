/* eval: question and pair files, the case-insensitive vocabulary, batched scoring. */
#include "eval.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "knn.h"
#include "util.h"
#include "vec.h"

/* Longest line accepted in a question or pair file. */
#define EVAL_MAX_LINE 4096
/* Candidates gensim inspects: its top 5 after dropping the 3 question rows. */
#define EVAL_TOPN 5
#define EVAL_CANDIDATES (EVAL_TOPN + 3)
/* Blocking of the batched scoring: questions per block and rows per block. */
#define EVAL_QBLOCK 32
#define EVAL_RBLOCK 1024

/* ------------------------------------------------------------------------------------ */
/* The case-insensitive vocabulary: upper-cased words of the first N rows, each mapped to
 * the first (most frequent) row with that spelling, as gensim's ok_vocab. */

struct upper_index {
    int64_t n;
    char *arena;
    size_t *offset;   /* upper-cased word of row i */
    int64_t *slots;
    uint64_t mask;
    int64_t *canon;   /* row i -> the first row with the same upper-cased word */
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h = (h ^ *p) * 1099511628211ULL;
    }
    return h;
}

/* ASCII upper-casing; other bytes are kept (gensim also folds non-ASCII letters). */
static void upper_ascii(char *s)
{
    for (; *s; s++) {
        if (*s >= 'a' && *s <= 'z') {
            *s = (char)(*s - 'a' + 'A');
        }
    }
}

static int64_t upper_find(const struct upper_index *u, const char *upper)
{
    for (uint64_t i = hash_str(upper) & u->mask;; i = (i + 1) & u->mask) {
        int64_t row = u->slots[i];
        if (row < 0 || strcmp(u->arena + u->offset[row], upper) == 0) {
            return row;
        }
    }
}

static void upper_build(struct upper_index *u, const struct embed *e, int64_t n)
{
    u->n = n;
    size_t bytes = 0;
    for (int64_t r = 0; r < n; r++) {
        bytes += strlen(embed_word(e, r)) + 1;
    }
    u->arena = xmalloc(bytes ? bytes : 1);
    u->offset = xmalloc((size_t)(n ? n : 1) * sizeof *u->offset);
    u->canon = xmalloc((size_t)(n ? n : 1) * sizeof *u->canon);
    size_t at = 0;
    for (int64_t r = 0; r < n; r++) {
        size_t len = strlen(embed_word(e, r)) + 1;
        memcpy(u->arena + at, embed_word(e, r), len);
        upper_ascii(u->arena + at);
        u->offset[r] = at;
        at += len;
    }
    uint64_t slots = 16;
    while (slots < (uint64_t)n * 2) {
        slots *= 2;
    }
    u->slots = xmalloc(slots * sizeof *u->slots);
    memset(u->slots, 0xff, slots * sizeof *u->slots);
    u->mask = slots - 1;
    for (int64_t r = 0; r < n; r++) {
        const char *w = u->arena + u->offset[r];
        uint64_t i = hash_str(w) & u->mask;
        while (u->slots[i] >= 0 && strcmp(u->arena + u->offset[u->slots[i]], w) != 0) {
            i = (i + 1) & u->mask;
        }
        if (u->slots[i] < 0) {
            u->slots[i] = r;
        }
        u->canon[r] = u->slots[i];
    }
}

static void upper_free(struct upper_index *u)
{
    free(u->arena);
    free(u->offset);
    free(u->slots);
    free(u->canon);
}

/* ------------------------------------------------------------------------------------ */
/* Reading question and pair files line by line, with line numbers for errors. */

struct lines {
    gzFile f;
    const char *path;
    int64_t lineno;
    char buf[EVAL_MAX_LINE];
};

static int lines_open(struct lines *l, const char *path, struct w2v_err *err)
{
    l->path = path;
    l->lineno = 0;
    errno = 0;
    l->f = gzopen(path, "rb");
    if (l->f == NULL) {
        err_set(err, "%s: %s", path, errno ? strerror(errno) : "cannot open");
        return -1;
    }
    return 0;
}

/* Next line without its line end in l->buf: 1, or 0 at the end, or -1 on an error. */
static int lines_next(struct lines *l, struct w2v_err *err)
{
    if (gzgets(l->f, l->buf, sizeof l->buf) == NULL) {
        int code = Z_OK;
        const char *msg = gzerror(l->f, &code);
        if (code != Z_OK) {
            err_set(err, "%s: %s", l->path, code == Z_ERRNO ? strerror(errno) : msg);
            return -1;
        }
        return 0;
    }
    l->lineno++;
    size_t n = strlen(l->buf);
    if (n == sizeof l->buf - 1 && l->buf[n - 1] != '\n' && !gzeof(l->f)) {
        err_set(err, "%s:%lld: line longer than %d bytes", l->path, (long long)l->lineno,
                EVAL_MAX_LINE - 2);
        return -1;
    }
    while (n > 0 && (l->buf[n - 1] == '\n' || l->buf[n - 1] == '\r')) {
        l->buf[--n] = '\0';
    }
    return 1;
}

/* Splits 's' in place on blanks into at most 'max' fields; returns the count (max + 1 if
 * there are more). */
static int split_fields(char *s, char **field, int max)
{
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(s, " \t", &save); t != NULL; t = strtok_r(NULL, " \t", &save)) {
        if (n == max) {
            return max + 1;
        }
        field[n++] = t;
    }
    return n;
}

/* ------------------------------------------------------------------------------------ */
/* Analogies. */

struct question {
    int64_t a, b, c, d;   /* canonical rows */
    int section;
};

struct job {
    const struct embed *e;
    const struct upper_index *u;
    const struct question *q;
    int64_t begin, end;
    bool mul;
    bool *correct;        /* per question */
};

/* Applies gensim's choice to the best candidates of one question (best first). */
static bool judge(const struct upper_index *u, const struct question *q, const struct hit *cand,
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

static void *analogy_worker(void *arg)
{
    struct job *j = arg;
    const struct embed *e = j->e;
    int dim = e->dim;
    int64_t n = j->u->n;
    int per_q = j->mul ? 3 : 1;
    float *qv = xmalloc((size_t)EVAL_QBLOCK * 3 * (size_t)dim * sizeof *qv);
    float *sc = xmalloc((size_t)EVAL_QBLOCK * 3 * EVAL_RBLOCK * sizeof *sc);
    struct hit cand[EVAL_QBLOCK][EVAL_CANDIDATES];
    struct topk tk[EVAL_QBLOCK];
    for (int64_t q0 = j->begin; q0 < j->end; q0 += EVAL_QBLOCK) {
        int nq = (int)(j->end - q0 < EVAL_QBLOCK ? j->end - q0 : EVAL_QBLOCK);
        for (int i = 0; i < nq; i++) {
            const struct question *q = &j->q[q0 + i];
            topk_init(&tk[i], EVAL_CANDIDATES, cand[i]);
            if (j->mul) {
                /* knn_cosmul_score's order: positive, negative, positive (b - a + c) */
                memcpy(qv + (size_t)(3 * i) * dim, embed_row(e, q->b), (size_t)dim * 4);
                memcpy(qv + (size_t)(3 * i + 1) * dim, embed_row(e, q->a), (size_t)dim * 4);
                memcpy(qv + (size_t)(3 * i + 2) * dim, embed_row(e, q->c), (size_t)dim * 4);
            } else {
                /* b - a + c: the order of cosines with the normalised mean is the same */
                float *v = qv + (size_t)i * dim;
                const float *ra = embed_row(e, q->a);
                const float *rb = embed_row(e, q->b);
                const float *rc = embed_row(e, q->c);
                for (int d = 0; d < dim; d++) {
                    v[d] = rb[d] + rc[d] - ra[d];
                }
            }
        }
        int nv = nq * per_q;
        for (int64_t r0 = 0; r0 < n; r0 += EVAL_RBLOCK) {
            int nr = (int)(n - r0 < EVAL_RBLOCK ? n - r0 : EVAL_RBLOCK);
            for (int v = 0; v < nv; v++) {
                const float *x = qv + (size_t)v * dim;
                float *out = sc + (size_t)v * EVAL_RBLOCK;
                for (int r = 0; r < nr; r++) {
                    out[r] = vec_dot(embed_row(e, r0 + r), x, dim);
                }
            }
            for (int i = 0; i < nq; i++) {
                for (int r = 0; r < nr; r++) {
                    float s;
                    if (j->mul) {
                        const float *base = sc + (size_t)(3 * i) * EVAL_RBLOCK;
                        s = knn_cosmul_score(base[r], base[EVAL_RBLOCK + r],
                                             base[2 * EVAL_RBLOCK + r]);
                    } else {
                        s = sc[(size_t)i * EVAL_RBLOCK + r];
                    }
                    topk_offer(&tk[i], r0 + r, s);
                }
            }
        }
        for (int i = 0; i < nq; i++) {
            j->correct[q0 + i] = judge(j->u, &j->q[q0 + i], cand[i], tk[i].n);
        }
    }
    free(qv);
    free(sc);
    return NULL;
}

static int add_section(struct eval_analogies *res, const char *name)
{
    res->sections = xrealloc(res->sections, (size_t)(res->nsections + 1) * sizeof *res->sections);
    struct eval_section *s = &res->sections[res->nsections];
    memset(s, 0, sizeof *s);
    s->name = xstrdup(name);
    return res->nsections++;
}

/* Opens the evaluation file 'path' and indexes the first 'restrict_rows' rows of 'e' (all
 * of them when 'restrict_rows' is 0 or more than there are); returns 0 or -1 with 'err'. */
static int eval_open(struct lines *l, struct upper_index *u, const struct embed *e,
                     const char *path, int64_t restrict_rows, struct w2v_err *err)
{
    if (lines_open(l, path, err) != 0) {
        return -1;
    }
    upper_build(u, e, first_n(restrict_rows, e->rows));
    return 0;
}

int eval_analogy(const struct embed *e, const char *path, int64_t restrict_rows, bool mul,
                 int threads, struct eval_analogies *res, struct w2v_err *err)
{
    memset(res, 0, sizeof *res);
    struct lines l;
    struct upper_index u;
    if (eval_open(&l, &u, e, path, restrict_rows, err) != 0) {
        return -1;
    }
    struct question *qs = NULL;
    int64_t nq = 0;
    int64_t cap = 0;
    int rc;
    int section = -1;
    while ((rc = lines_next(&l, err)) == 1) {
        char *p = l.buf + strspn(l.buf, " \t");
        if (*p == '\0') {
            continue;
        }
        if (*p == ':') {
            p++;
            p += strspn(p, " \t");
            size_t len = strlen(p);
            while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t')) {
                p[--len] = '\0';
            }
            section = add_section(res, p);
            continue;
        }
        char *f[4];
        if (split_fields(p, f, 4) != 4) {
            err_set(err, "%s:%lld: expected 4 words", path, (long long)l.lineno);
            rc = -1;
            break;
        }
        if (section < 0) {
            err_set(err, "%s:%lld: question before the first ': section' line", path,
                    (long long)l.lineno);
            rc = -1;
            break;
        }
        res->sections[section].total++;
        res->total++;
        int64_t rows[4];
        bool known = true;
        for (int k = 0; k < 4; k++) {
            upper_ascii(f[k]);
            rows[k] = upper_find(&u, f[k]);
            known = known && rows[k] >= 0;
        }
        if (!known) {
            continue;
        }
        if (nq == cap) {
            cap = cap ? cap * 2 : 1024;
            qs = xrealloc(qs, (size_t)cap * sizeof *qs);
        }
        qs[nq].a = rows[0];
        qs[nq].b = rows[1];
        qs[nq].c = rows[2];
        qs[nq].d = rows[3];
        qs[nq].section = section;
        nq++;
    }
    gzclose(l.f);
    if (rc == 0) {
        bool *correct = xcalloc((size_t)(nq ? nq : 1), sizeof *correct);
        if (threads < 1) {
            threads = 1;
        }
        struct job *jobs = xcalloc((size_t)threads, sizeof *jobs);
        pthread_t *tid = xcalloc((size_t)threads, sizeof *tid);
        bool *running = xcalloc((size_t)threads, sizeof *running);
        for (int t = 0; t < threads; t++) {
            jobs[t] = (struct job){e, &u, qs, nq * t / threads, nq * (t + 1) / threads, mul,
                                   correct};
        }
        /* Thread 0's share runs here; a share whose thread cannot start runs here too. */
        for (int t = 1; t < threads; t++) {
            running[t] = pthread_create(&tid[t], NULL, analogy_worker, &jobs[t]) == 0;
        }
        for (int t = 0; t < threads; t++) {
            if (!running[t]) {
                analogy_worker(&jobs[t]);
            }
        }
        for (int t = 1; t < threads; t++) {
            if (running[t]) {
                pthread_join(tid[t], NULL);
            }
        }
        free(running);
        for (int64_t i = 0; i < nq; i++) {
            struct eval_section *s = &res->sections[qs[i].section];
            bool syn = strncmp(s->name, "gram", 4) == 0;
            s->used++;
            res->used++;
            *(syn ? &res->syn_used : &res->sem_used) += 1;
            if (correct[i]) {
                s->correct++;
                res->correct++;
                *(syn ? &res->syn_correct : &res->sem_correct) += 1;
            }
        }
        free(jobs);
        free(tid);
        free(correct);
    }
    free(qs);
    upper_free(&u);
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

int eval_pairs(const struct embed *e, const char *path, int64_t restrict_rows,
               struct eval_pairs *res, struct w2v_err *err)
{
    memset(res, 0, sizeof *res);
    struct lines l;
    struct upper_index u;
    if (eval_open(&l, &u, e, path, restrict_rows, err) != 0) {
        return -1;
    }
    int64_t cap = 512;
    int64_t used = 0;
    double *gold = xmalloc((size_t)cap * sizeof *gold);
    double *model = xmalloc((size_t)cap * sizeof *model);
    int rc;
    while ((rc = lines_next(&l, err)) == 1) {
        char *p = l.buf + strspn(l.buf, " \t");
        if (*p == '\0' || *p == '#') {
            continue;
        }
        char *f[3];
        char *end = NULL;
        double score = 0.0;
        bool ok = split_fields(p, f, 3) == 3;
        if (ok) {
            errno = 0;
            score = strtod(f[2], &end);
            ok = end != f[2] && *end == '\0' && errno == 0 && isfinite(score);
        }
        if (!ok) {
            err_set(err, "%s:%lld: expected 'word word score'", path, (long long)l.lineno);
            rc = -1;
            break;
        }
        res->total++;
        upper_ascii(f[0]);
        upper_ascii(f[1]);
        int64_t a = upper_find(&u, f[0]);
        int64_t b = upper_find(&u, f[1]);
        if (a < 0 || b < 0) {
            continue;
        }
        if (used == cap) {
            cap *= 2;
            gold = xrealloc(gold, (size_t)cap * sizeof *gold);
            model = xrealloc(model, (size_t)cap * sizeof *model);
        }
        gold[used] = score;
        /* in double: exact ties (often between hand-made vectors) stay ties */
        const float *x = embed_row(e, a);
        const float *y = embed_row(e, b);
        double dot = 0.0;
        for (int d = 0; d < e->dim; d++) {
            dot += (double)x[d] * (double)y[d];
        }
        model[used++] = dot;
    }
    gzclose(l.f);
    res->used = used;
    if (rc == 0) {
        res->spearman = eval_spearman(gold, model, used);
        res->pearson = eval_pearson(gold, model, used);
    }
    free(gold);
    free(model);
    upper_free(&u);
    return rc == 0 ? 0 : -1;
}
