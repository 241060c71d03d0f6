/* cmd_query: 'w2v similar', 'analogy', 'similarity' and 'vector'. Loads a vectors file,
 * then answers the query given as arguments, or one query per line of standard input. Lines are read in
 * batches (as many as are waiting, up to Q_BATCH) and a batch is answered by one scan of
 * the rows; answers are printed in input order, each non-blank line getting exactly one
 * block ended by a blank line, empty when the query fails. Query errors (an unknown word, a
 * zero vector, an over-long line) are reported per query and make the exit status 1.
 * 'vector' prints each word's row as the file has it (with a fastText model, a word outside
 * the vocabulary gets the mean of its n-grams' rows), one line per word and no blank
 * lines, as fastText's print-word-vectors does; an unknown word is an error of its own. */
#define _DEFAULT_SOURCE /* poll's POLLIN on every libc */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "io/vecfile.h"
#include "query/embed.h"
#include "query/knn.h"
#include "cli/qopts.h"
#include "base/util.h"
#include "base/vec.h"
#include "base/w2v.h"

/* Longest query line read from standard input, and most words in one query. */
#define Q_MAX_LINE 65536
#define Q_MAX_WORDS 1024
/* Most queries answered by one scan of the rows, and most hits a batch may hold (16 bytes
 * each: 64 MiB per thread), which bounds the batch when -k is large. */
#define Q_BATCH 256
#define Q_BATCH_HITS (1 << 22)

enum query_kind { Q_SIMILAR, Q_ANALOGY, Q_SIMILARITY };

/* Words per query: any number (at least 1) for similar, 3 and 2 for the others. */
static const int arity[] = {0, 3, 2};

/* ------------------------------------------------------------------------------------ */
/* Standard input as lines, with a look at whether more are waiting. */

struct lines {
    char *buf;
    size_t start, end;   /* unread bytes */
    bool eof;
    int64_t lineno;
};

/* Reads more bytes; returns 0, or -1 with errno set. */
static int lines_fill(struct lines *l)
{
    if (l->start > 0) {
        memmove(l->buf, l->buf + l->start, l->end - l->start);
        l->end -= l->start;
        l->start = 0;
    }
    if (l->end == Q_MAX_LINE + 1) {
        l->end = 0; /* the front of an over-long line, dropped */
    }
    ssize_t n;
    do {
        n = read(STDIN_FILENO, l->buf + l->end, Q_MAX_LINE + 1 - l->end);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return -1;
    }
    l->eof = n == 0;
    l->end += (size_t)n;
    return 0;
}

/* The next line in '*line' (NUL-terminated, valid until the next call): 1, 0 at the end,
 * -1 on a read error (errno set). An over-long line is skipped whole and given as 1 with
 * '*too_long' set. */
static int lines_next(struct lines *l, char **line, bool *too_long)
{
    *too_long = false;
    for (;;) {
        char *s = l->buf + l->start;
        char *nl = memchr(s, '\n', l->end - l->start);
        if (nl != NULL || (l->eof && l->end > l->start)) {
            size_t n = nl != NULL ? (size_t)(nl - s) : l->end - l->start;
            s[n] = '\0';
            l->start += nl != NULL ? n + 1 : n;
            l->lineno++;
            *line = s;
            return 1;
        }
        if (l->eof) {
            return 0;
        }
        if (l->end - l->start > Q_MAX_LINE) {
            *too_long = true; /* the buffer is full and holds no line end */
        }
        if (lines_fill(l) != 0) {
            return -1;
        }
    }
}

/* True if a whole line is buffered or the descriptor has bytes (or its end) waiting. */
static bool lines_waiting(const struct lines *l)
{
    if (l->eof || memchr(l->buf + l->start, '\n', l->end - l->start) != NULL) {
        return true;
    }
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    return poll(&p, 1, 0) > 0;
}

/* ------------------------------------------------------------------------------------ */
/* One query: its words' rows, its vectors, its answer or its error. */

struct query {
    bool failed;
    struct w2v_err err;       /* why, when 'failed' */
    int64_t rows[Q_MAX_WORDS];
    int nrows;
    float *vec;               /* room for 3 rows */
    struct knn_query kq;
    double similarity;
};

/* Fails 'q' with a message naming 'word' (cut to a readable length). */
static int fail(struct query *q, const char *word, const char *reason)
{
    char cut[QOPT_ECHO_MAX + 4];
    err_set(&q->err, "%s: %s", qopts_echo(word, cut), reason);
    q->failed = true;
    return -1;
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

/* Sets q->vec to the normalised sum of the words' unit rows, b negated for analogy
 * (a - b + c). Fails on a zero word vector (similar) or a zero sum. */
static int sum_vector(enum query_kind kind, const struct embed *e, struct query *q,
                      char **words)
{
    int dim = e->dim;
    float *sum = q->vec;
    float *tmp = q->vec + dim;
    memset(sum, 0, (size_t)dim * sizeof *sum);
    for (int i = 0; i < q->nrows; i++) {
        float sign = kind == Q_ANALOGY && i == 1 ? -1.0f : 1.0f;
        const float *r = embed_unit(e, q->rows[i], tmp);
        if (kind == Q_SIMILAR && is_zero(r, dim)) {
            return fail(q, words[i], "vector is zero; no similarities");
        }
        for (int d = 0; d < dim; d++) {
            sum[d] += sign * r[d];
        }
    }
    double ss = 0.0;
    for (int d = 0; d < dim; d++) {
        ss += (double)sum[d] * (double)sum[d];
    }
    if (!(ss > 0.0)) {
        /* named by its words: the first three, each cut to a readable length */
        char cut[3][QOPT_ECHO_MAX + 4];
        err_set(&q->err, "%s%s%s%s%s%s: %s", qopts_echo(words[0], cut[0]),
                q->nrows > 1 ? " " : "", q->nrows > 1 ? qopts_echo(words[1], cut[1]) : "",
                q->nrows > 2 ? " " : "", q->nrows > 2 ? qopts_echo(words[2], cut[2]) : "",
                q->nrows > 3 ? " ..." : "",
                kind == Q_ANALOGY ? "query vector (A - B + C) is zero; no similarities"
                                  : "query vector is zero; no similarities");
        q->failed = true;
        return -1;
    }
    vec_scale(sum, (float)(1.0 / sqrt(ss)), dim);
    return 0;
}

/* Cosine of the two words, in double; fails if a vector is zero. */
static int similarity(const struct embed *e, struct query *q, char **words)
{
    int dim = e->dim;
    memcpy(q->vec, embed_unit(e, q->rows[0], q->vec + dim), (size_t)dim * sizeof *q->vec);
    const float *b = embed_unit(e, q->rows[1], q->vec + dim);
    for (int i = 0; i < 2; i++) {
        if (is_zero(i == 0 ? q->vec : b, dim)) {
            return fail(q, words[i], "vector is zero; no similarity");
        }
    }
    double s = 0.0;
    for (int d = 0; d < dim; d++) {
        s += (double)q->vec[d] * (double)b[d];
    }
    q->similarity = s;
    return 0;
}

/* Looks the 'n' words up and prepares the search of 'q' (or answers a similarity).
 * Returns 0, or -1 with q->failed and q->err set. */
static int prepare(enum query_kind kind, const struct qopts *o, struct qwords *qw,
                   char **words, int n, struct query *q, int k)
{
    const struct embed *e = qw->e;
    q->failed = false;
    q->nrows = n;
    if (kind != Q_SIMILAR && n != arity[kind]) {
        err_set(&q->err, "%s: expected %d words, got %d", o->name, arity[kind], n);
        q->failed = true;
        return -1;
    }
    for (int i = 0; i < n; i++) {
        q->rows[i] = qwords_find(qw, words[i], &q->err);
        if (q->rows[i] < 0) {
            q->failed = true;
            return -1;
        }
    }
    if (kind == Q_SIMILARITY) {
        return similarity(e, q, words);
    }
    struct hit *out = q->kq.out;
    q->kq = (struct knn_query){.v = {q->vec}, .excl = q->rows, .nexcl = n, .k = k, .out = out};
    if (sum_vector(kind, e, q, words) != 0) {
        return -1;
    }
    if (kind == Q_ANALOGY && o->mul) {
        /* 3CosMul reads the three unit rows; the sum only checked that it is not zero */
        q->kq.mul = true;
        for (int i = 0; i < 3; i++) {
            float *slot = q->vec + (size_t)i * (size_t)e->dim;
            memmove(slot, embed_unit(e, q->rows[i], slot), (size_t)e->dim * sizeof *slot);
            q->kq.v[i] = slot;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Batches. */

struct batch {
    struct query *q;
    int cap;                  /* queries per batch */
    int k;                    /* answers per query */
    struct knn_query *kq;     /* the searches of the queries that did not fail */
};

static void batch_init(struct batch *b, const struct qopts *o, const struct embed *e, int cap)
{
    b->cap = cap;
    b->k = (int)(o->k < e->rows ? o->k : e->rows);
    b->q = xcalloc((size_t)cap, sizeof *b->q);
    b->kq = xcalloc((size_t)cap, sizeof *b->kq);
    for (int i = 0; i < cap; i++) {
        b->q[i].vec = xmalloc((size_t)e->dim * 3 * sizeof(float));
        b->q[i].kq.out = xmalloc((size_t)(b->k ? b->k : 1) * sizeof(struct hit));
    }
}

static void batch_free(struct batch *b)
{
    for (int i = 0; i < b->cap; i++) {
        free(b->q[i].vec);
        free(b->q[i].kq.out);
    }
    free(b->q);
    free(b->kq);
}

/* Searches for the 'n' prepared queries, all in one scan, then prints their blocks in
 * order ('blank': each followed by a blank line) and their errors. Returns the number of
 * queries that failed. */
static int batch_answer(enum query_kind kind, const struct qopts *o, const struct embed *e,
                        struct batch *b, int n, bool blank)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (!b->q[i].failed && kind != Q_SIMILARITY) {
            b->kq[m++] = b->q[i].kq;
        }
    }
    if (m > 0) {
        knn_batch(e, 0, b->kq, m, o->threads);
    }
    int failed = 0;
    m = 0;
    for (int i = 0; i < n; i++) {
        const struct query *q = &b->q[i];
        if (q->failed) {
            fflush(stdout); /* the answers before it come first on a shared terminal */
            log_error("%s", q->err.msg);
            failed++;
        } else if (kind == Q_SIMILARITY) {
            printf("%.6f\n", q->similarity);
        } else {
            const struct knn_query *kq = &b->kq[m++];
            for (int h = 0; h < kq->n; h++) {
                printf("%s\t%.6f\n", embed_word(e, kq->out[h].row), (double)kq->out[h].score);
            }
        }
        if (blank) {
            printf("\n");
        }
    }
    return failed;
}

/* Splits 'line' in place into words; returns how many (at most Q_MAX_WORDS + 1, which
 * means too many). */
static int split_words(char *line, char **words)
{
    int n = 0;
    char *save = NULL;
    for (char *t = strtok_r(line, " \t\r\n", &save); t != NULL && n <= Q_MAX_WORDS;
         t = strtok_r(NULL, " \t\r\n", &save)) {
        if (n < Q_MAX_WORDS) {
            words[n] = t;
        }
        n++;
    }
    return n;
}

/* Reads one non-blank line into query 'q': 1, 0 at the end of the input, -1 on a read
 * error (reported). */
static int read_query(enum query_kind kind, const struct qopts *o, struct qwords *qw,
                      struct lines *l, struct query *q, int k)
{
    for (;;) {
        char *line;
        bool too_long;
        int rc = lines_next(l, &line, &too_long);
        if (rc <= 0) {
            if (rc < 0) {
                log_error("standard input: %s", strerror(errno));
            }
            return rc;
        }
        char *words[Q_MAX_WORDS];
        int n = too_long ? 0 : split_words(line, words);
        if (too_long || n > Q_MAX_WORDS) {
            err_set(&q->err, "%s: line %lld: %s %d %s", o->name, (long long)l->lineno,
                    too_long ? "query longer than" : "more than",
                    too_long ? Q_MAX_LINE : Q_MAX_WORDS, too_long ? "bytes" : "words");
            q->failed = true;
            return 1;
        }
        if (n > 0) {
            prepare(kind, o, qw, words, n, q, k);
            return 1;
        }
    }
}

/* Answers the queries of standard input until its end. Returns the exit status. */
static int answer_stdin(enum query_kind kind, const struct qopts *o, struct qwords *qw)
{
    const struct embed *e = qw->e;
    bool tty = isatty(STDIN_FILENO) != 0;
    struct batch b;
    int64_t k = o->k < e->rows ? o->k : e->rows;
    int64_t cap = tty ? 1 : Q_BATCH_HITS / (k > 0 ? k : 1);
    batch_init(&b, o, e, (int)(cap < 1 ? 1 : cap > Q_BATCH ? Q_BATCH : cap));
    struct lines l = {.buf = xmalloc(Q_MAX_LINE + 2)};
    int status = W2V_EXIT_OK;
    for (int rc = 1; rc == 1;) {
        int n = 0;
        if (tty) {
            fprintf(stderr, "%s> ", o->name);
            fflush(stderr);
        }
        while (n < b.cap && (n == 0 || lines_waiting(&l)) &&
               (rc = read_query(kind, o, qw, &l, &b.q[n], b.k)) == 1) {
            n++;
        }
        if (batch_answer(kind, o, e, &b, n, true) > 0) {
            status = W2V_EXIT_ERR;
        }
        int flushed = qopts_flush(W2V_EXIT_OK);
        if (flushed != W2V_EXIT_OK) {
            status = flushed;
            break; /* reported (or the reader went away); nobody reads the answers */
        }
        status = rc < 0 ? W2V_EXIT_ERR : status;
    }
    if (tty) {
        fputc('\n', stderr);
    }
    free(l.buf);
    batch_free(&b);
    return status;
}

/* ------------------------------------------------------------------------------------ */
/* Vectors printed. */

/* A growing buffer for one printed row. */
struct rowbuf {
    char *p;
    size_t cap;
};

/* Prints the row of 'word' on a line of its own, or reports that it has none. Returns 0,
 * or 1 for a word without a vector. */
static int print_vector(struct qwords *qw, const char *word, struct rowbuf *b)
{
    const struct embed *e = qw->e;
    struct w2v_err err;
    int64_t row = qwords_find(qw, word, &err);
    if (row < 0) {
        fflush(stdout); /* the rows before it come first on a shared terminal */
        log_error("%s", err.msg);
        return 1;
    }
    size_t len = strlen(word);
    if (vec_row_room(len, e->dim) > b->cap) {
        b->cap = vec_row_room(len, e->dim);
        b->p = xrealloc(b->p, b->cap);
    }
    size_t used = vec_format_row(b->p, word, len, embed_row(e, row), e->dim, false);
    fwrite(b->p, 1, used, stdout);
    return 0;
}

/* Prints the vectors of the words of standard input, any number per line, until its end.
 * Returns the exit status. */
static int vectors_stdin(const struct qopts *o, struct qwords *qw)
{
    bool tty = isatty(STDIN_FILENO) != 0;
    struct lines l = {.buf = xmalloc(Q_MAX_LINE + 2)};
    struct rowbuf b = {0};
    int status = W2V_EXIT_OK;
    for (;;) {
        if (tty) {
            fprintf(stderr, "%s> ", o->name);
            fflush(stderr);
        }
        char *line;
        bool too_long;
        int rc = lines_next(&l, &line, &too_long);
        if (rc <= 0) {
            if (rc < 0) {
                log_error("standard input: %s", strerror(errno));
                status = W2V_EXIT_ERR;
            }
            break;
        }
        if (too_long) {
            fflush(stdout);
            log_error("%s: line %lld: longer than %d bytes", o->name, (long long)l.lineno,
                      Q_MAX_LINE);
            status = W2V_EXIT_ERR;
            continue;
        }
        char *save = NULL;
        for (char *w = strtok_r(line, " \t\r\n", &save); w != NULL;
             w = strtok_r(NULL, " \t\r\n", &save)) {
            status = print_vector(qw, w, &b) != 0 ? W2V_EXIT_ERR : status;
        }
        /* flushed when no more lines are waiting: a reader in a pipe gets each answer */
        if (!lines_waiting(&l)) {
            int flushed = qopts_flush(W2V_EXIT_OK);
            if (flushed != W2V_EXIT_OK) {
                status = flushed;
                break;
            }
        }
    }
    if (tty) {
        fputc('\n', stderr);
    }
    free(b.p);
    free(l.buf);
    return qopts_flush(status);
}

/* ------------------------------------------------------------------------------------ */
/* The commands. */

static void query_usage(enum query_kind kind, const struct qopts *o)
{
    static const char *const synopsis[] = {
        "w2v similar [options] [WORD...]\n"
        "Nearest neighbours by cosine of the normalised sum of the words' vectors.\n",
        "w2v analogy [options] [A B C]\n"
        "Words closest to A - B + C: 'w2v analogy king man woman' gives queen.\n",
        "w2v similarity [options] [WORD1 WORD2]\n"
        "Cosine similarity of two words.\n",
    };
    printf("usage: %s", synopsis[kind]);
    qopts_help(o, 0, 0);
    printf("\nWords are matched case included; a missing word is reported with a loaded word\n"
           "that differs only in case (\"King: not in vocabulary (but 'king' is)\"), and as\n"
           "\"not among the first N rows\" when -limit N cut the file short.\n");
    printf("\nWithout words, one query per line is read from standard input; each non-blank\n"
           "line gets one answer followed by a blank line (an empty answer when the query\n"
           "fails, with the reason on standard error). Waiting lines are answered together\n"
           "(up to %d per scan of the vectors, on all CPUs).%s\n",
           Q_BATCH, kind == Q_SIMILARITY ? " A word whose vector is zero has\nno similarity: the query fails."
                                         : " A word whose vector is zero has\nno similarities: the query fails.");
}

static int run_query(enum query_kind kind, const char *name, unsigned accepted, int argc,
                     char **argv)
{
    struct qopts o;
    qopts_init(&o, name, accepted);
    int first = 0;
    if (qopts_parse(&o, argc, argv, &first) != 0) {
        return W2V_EXIT_USAGE;
    }
    if (o.help) {
        query_usage(kind, &o);
        return W2V_EXIT_OK;
    }
    int nwords = argc - first;
    if (nwords > Q_MAX_WORDS) {
        return qopts_usage_error(&o, "too many query words");
    }
    if (kind != Q_SIMILAR && nwords != 0 && nwords != arity[kind]) {
        char msg[128];
        snprintf(msg, sizeof msg, "expected %d words, got %d", arity[kind], nwords);
        return qopts_usage_error(&o, msg);
    }
    struct embed e;
    if (qopts_load(&e, &o, EMBED_MAP) != 0) {
        return W2V_EXIT_ERR;
    }
    int status;
    struct qwords qw;
    qwords_init(&qw, &e);
    if (nwords > 0) {
        struct batch b;
        batch_init(&b, &o, &e, 1);
        prepare(kind, &o, &qw, argv + first, nwords, &b.q[0], b.k);
        status = batch_answer(kind, &o, &e, &b, 1, false) > 0 ? W2V_EXIT_ERR : W2V_EXIT_OK;
        batch_free(&b);
        status = qopts_flush(status);
    } else {
        status = answer_stdin(kind, &o, &qw); /* flushes after every batch */
    }
    qwords_free(&qw);
    embed_free(&e);
    return status;
}

int cmd_similar(int argc, char **argv)
{
    return run_query(Q_SIMILAR, "similar", QOPT_K_OPT, argc, argv);
}

int cmd_analogy(int argc, char **argv)
{
    return run_query(Q_ANALOGY, "analogy", QOPT_K_OPT | QOPT_METHOD, argc, argv);
}

int cmd_similarity(int argc, char **argv)
{
    return run_query(Q_SIMILARITY, "similarity", 0, argc, argv);
}

int cmd_vector(int argc, char **argv)
{
    struct qopts o;
    qopts_init(&o, "vector", 0);
    int first = 0;
    if (qopts_parse(&o, argc, argv, &first) != 0) {
        return W2V_EXIT_USAGE;
    }
    if (o.help) {
        printf("usage: w2v vector [options] [WORD...]\n"
               "Prints the vectors of the words, one line each, in the text format of a\n"
               "vectors file (\"word v1 v2 ...\", no header), as the file holds them.\n");
        qopts_help(&o, 0, 0);
        printf("\nWithout words, the words of standard input (any number per line) are printed\n"
               "in turn. With a fastText model (.bin, w2v's or fastText's own), a word outside\n"
               "the vocabulary gets the mean of its character n-grams' rows (zero when it has\n"
               "none), as 'fasttext print-word-vectors' prints it; with any other file, an\n"
               "unknown word is reported on standard error, the others are still printed, and\n"
               "the exit status is 1.\n");
        return W2V_EXIT_OK;
    }
    struct embed e;
    if (qopts_load(&e, &o, EMBED_RAW) != 0) {
        return W2V_EXIT_ERR;
    }
    struct qwords qw;
    qwords_init(&qw, &e);
    int status = W2V_EXIT_OK;
    if (first < argc) {
        struct rowbuf b = {0};
        for (int i = first; i < argc; i++) {
            status = print_vector(&qw, argv[i], &b) != 0 ? W2V_EXIT_ERR : status;
        }
        free(b.p);
        status = qopts_flush(status);
    } else {
        status = vectors_stdin(&o, &qw);
    }
    qwords_free(&qw);
    embed_free(&e);
    return status;
}
