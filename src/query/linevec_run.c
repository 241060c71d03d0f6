/* linevec_run: the passes over the inputs. The calling thread reads a batch of whole lines
 * (or, of a line longer than a batch, the next piece), cuts it into one share of lines per
 * thread, runs the shares (the first on the calling thread) and passes their rows on in
 * order. Every share but a piece of a long line ends at a line end, so a worker starts
 * each share with no word or line open, except worker 0, which takes the first share of
 * every batch and so goes on with the long line. SIF's first pass writes the lines'
 * vectors to an unlinked file of $TMPDIR and sums X^T X; its second pass reads them back,
 * removes the top direction and writes the text. */
#include "query/linevec.h"
#include "query/linevec_work.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "io/input.h"

/* Bytes asked of the input at a time while a batch fills. */
#define LV_READ_CHUNK ((size_t)1 << 18)
/* The temporary file of SIF, in $TMPDIR, and what its messages call it. */
#define LV_SPILL_NAME "/w2v-embed-XXXXXX"
#define LV_SPILL_WHAT "embed -sif's temporary file"

/* The bytes of one input as batches of lines. */
struct batch {
    unsigned char *buf;       /* 'cap' bytes and one for a line end added at the end */
    size_t cap;
    size_t end;               /* bytes held */
    size_t take;              /* bytes of the current batch, from buf[0] */
    int64_t *ends;            /* offsets just past each line end of the batch */
    int64_t nends;
    int64_t max_lines;
    bool eof;
    bool open;                /* the last batch taken ended inside a line */
    int64_t lineno;           /* line ends before buf[0] in this input */
};

/* One share of a batch: text, or (SIF's second pass) vectors to project. */
struct share {
    struct lv_worker *w;
    const unsigned char *text;
    size_t len;
    const float *rows;
    int64_t nrows;
    const double *u;
};

/* A pass: the workers and their threads, where the rows go. */
struct pass {
    const struct linevec *lv;
    int nw;
    struct lv_worker *w;
    struct share *sh;
    pthread_t *tid;
    bool *running;
    linevec_emit_fn emit;
    void *ctx;
    int spill;                /* SIF: the temporary file, or -1 */
    int64_t spilled;          /* rows in it */
};

/* ------------------------------------------------------------------------------------ */
/* Batches. */

/* Takes the next batch of the input 'in' ('path' for messages): 1 with b->take bytes and
 * b->nends line ends (none for a piece of a long line), 0 at the end of the input, -1
 * with 'err' set. */
static int next_batch(struct batch *b, struct input *in, const char *path, bool *binary,
                      struct w2v_err *err)
{
    memmove(b->buf, b->buf + b->take, b->end - b->take);
    b->end -= b->take;
    b->take = 0;
    b->nends = 0;
    size_t scanned = 0;
    for (;;) {
        while (b->nends < b->max_lines && scanned < b->end) {
            const unsigned char *nl = memchr(b->buf + scanned, '\n', b->end - scanned);
            if (nl == NULL) {
                scanned = b->end;
                break;
            }
            scanned = (size_t)(nl - b->buf) + 1;
            b->ends[b->nends++] = (int64_t)scanned;
        }
        if (b->nends == b->max_lines || b->end == b->cap || b->eof) {
            break;
        }
        size_t want = b->cap - b->end < LV_READ_CHUNK ? b->cap - b->end : LV_READ_CHUNK;
        int64_t got = input_read(in, b->buf + b->end, want, err);
        if (got < 0) {
            return -1;
        }
        b->end += (size_t)got;
        if (got == 0) {
            b->eof = true;
            /* the last line of an input needs no line end: one is added (room for it is
             * kept beyond 'cap') */
            if (b->end > 0 ? b->buf[b->end - 1] != '\n' : b->open) {
                b->buf[b->end++] = '\n';
            }
        }
    }
    b->take = b->nends > 0 ? (size_t)b->ends[b->nends - 1] : b->end;
    if (b->take == 0) {
        return 0;
    }
    const unsigned char *nul = memchr(b->buf, 0, b->take);
    if (nul != NULL) {
        int64_t line = b->lineno + 1;
        for (const unsigned char *p = b->buf; (p = memchr(p, '\n', (size_t)(nul - p))) != NULL;
             p++) {
            line++;
        }
        err_set(err, "%s:%lld: binary data (a NUL byte), not text", path, (long long)line);
        *binary = true;
        return -1;
    }
    b->open = b->buf[b->take - 1] != '\n';
    b->lineno += b->nends;
    return 1;
}

/* ------------------------------------------------------------------------------------ */
/* Shares on threads. */

static void *run_share(void *arg)
{
    struct share *s = arg;
    if (s->rows != NULL) {
        lv_worker_project(s->w, s->rows, s->nrows, s->u);
    } else {
        lv_worker_text(s->w, s->text, s->len);
    }
    return NULL;
}

/* Runs the first 'n' shares, share 0 on the calling thread, as is any share whose thread
 * fails to start. */
static void run_shares(struct pass *p, int n)
{
    for (int t = 1; t < n; t++) {
        p->running[t] = pthread_create(&p->tid[t], NULL, run_share, &p->sh[t]) == 0;
    }
    for (int t = 0; t < n; t++) {
        if (t == 0 || !p->running[t]) {
            run_share(&p->sh[t]);
        }
    }
    for (int t = 1; t < n; t++) {
        if (p->running[t]) {
            pthread_join(p->tid[t], NULL);
            p->running[t] = false;
        }
    }
}

/* Sets 'err' for a failure 'e' of the temporary file ('what' failed). */
static void spill_error(const struct linevec *lv, const char *what, int e, struct w2v_err *err)
{
    const char *origin;
    const char *dir = tmp_dir(lv->tmpdir, &origin);
    err_set(err, "%s%s: %s%s%s (%s)", origin, dir, what != NULL ? what : "",
            what != NULL ? ": " : "", e != 0 ? strerror(e) : "unexpected end of file",
            LV_SPILL_WHAT);
}

static int spill_open(struct pass *p, struct w2v_err *err)
{
    const char *origin;
    const char *dir = tmp_dir(p->lv->tmpdir, &origin);
    size_t n = strlen(dir) + sizeof LV_SPILL_NAME;
    char *name = xmalloc(n);
    snprintf(name, n, "%s%s", dir, LV_SPILL_NAME);
    p->spill = mkstemp(name);
    int e = errno;
    if (p->spill >= 0) {
        unlink(name);
    }
    free(name);
    if (p->spill < 0) {
        spill_error(p->lv, NULL, e, err);
        return -1;
    }
    return 0;
}

static int spill_write(struct pass *p, const float *rows, int64_t n, struct w2v_err *err)
{
    const char *at = (const char *)rows;
    size_t left = (size_t)n * (size_t)p->lv->e->dim * sizeof *rows;
    while (left > 0) {
        ssize_t w = write(p->spill, at, left);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0) {
            spill_error(p->lv, "write failed", errno, err);
            return -1;
        }
        at += w;
        left -= (size_t)w;
    }
    p->spilled += n;
    return 0;
}

/* Reads 'n' rows of the temporary file into 'rows'. */
static int spill_read(struct pass *p, float *rows, int64_t n, struct w2v_err *err)
{
    char *at = (char *)rows;
    size_t left = (size_t)n * (size_t)p->lv->e->dim * sizeof *rows;
    while (left > 0) {
        ssize_t r = read(p->spill, at, left);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            spill_error(p->lv, "read failed", r < 0 ? errno : 0, err);
            return -1;
        }
        at += r;
        left -= (size_t)r;
    }
    return 0;
}

/* Passes the shares' outputs on in order: text to 'emit', vectors to the temporary file. */
static int put_shares(struct pass *p, int n, struct w2v_err *err)
{
    for (int t = 0; t < n; t++) {
        struct lv_worker *w = &p->w[t];
        int rc = w->output == LV_TEXT ? (w->text_len > 0 ? p->emit(p->ctx, w->text,
                                                                    w->text_len, err) : 0)
                                      : spill_write(p, w->rows, w->nrows, err);
        lv_worker_clear(w);
        if (rc != 0) {
            return -1;
        }
    }
    return 0;
}

/* Runs the batch 'b' on the workers: lines cut into shares of equal line counts. */
static int run_batch(struct pass *p, const struct batch *b, struct w2v_err *err)
{
    int64_t lines = b->nends;
    int n = lines < p->nw ? (int)(lines > 0 ? lines : 1) : p->nw;
    for (int t = 0; t < n; t++) {
        int64_t lo = lines * t / n;
        int64_t hi = lines * (t + 1) / n;
        size_t from = lo > 0 ? (size_t)b->ends[lo - 1] : 0;
        size_t to = lines > 0 ? (size_t)b->ends[hi - 1] : b->take;
        p->sh[t] = (struct share){.w = &p->w[t], .text = b->buf + from, .len = to - from};
    }
    run_shares(p, n);
    return put_shares(p, n, err);
}

/* Reads the input 'path' batch by batch. */
static int read_input(struct pass *p, struct batch *b, const char *path, bool *binary,
                      struct w2v_err *err)
{
    struct input in;
    if (input_open(&in, path, err) != 0) {
        return -1;
    }
    b->end = 0;
    b->take = 0;
    b->eof = false;
    b->open = false;
    b->lineno = 0;
    int rc;
    while ((rc = next_batch(b, &in, in.path, binary, err)) == 1) {
        if (run_batch(p, b, err) != 0) {
            rc = -1;
            break;
        }
    }
    input_close(&in);
    return rc;
}

/* ------------------------------------------------------------------------------------ */
/* The passes. */

static int64_t batch_lines(const struct linevec *lv)
{
    if (lv->batch_lines > 0) {
        return lv->batch_lines;
    }
    int64_t n = LINEVEC_BATCH_VALUES / lv->e->dim;
    return n < 1 ? 1 : n > LINEVEC_BATCH_MAX_LINES ? LINEVEC_BATCH_MAX_LINES : n;
}

/* SIF's second pass: the vectors of the temporary file, 'u' removed, as text. */
static int project_pass(struct pass *p, const double *u, struct w2v_err *err)
{
    if (lseek(p->spill, 0, SEEK_SET) != 0) {
        spill_error(p->lv, "seek failed", errno, err);
        return -1;
    }
    size_t dim = (size_t)p->lv->e->dim;
    int64_t most = batch_lines(p->lv);
    float *rows = xmalloc((size_t)most * dim * sizeof *rows);
    for (int t = 0; t < p->nw; t++) {
        p->w[t].output = LV_TEXT;
    }
    int rc = 0;
    for (int64_t done = 0; rc == 0 && done < p->spilled;) {
        int64_t lines = p->spilled - done < most ? p->spilled - done : most;
        rc = spill_read(p, rows, lines, err);
        int n = lines < p->nw ? (int)lines : p->nw;
        for (int t = 0; t < n && rc == 0; t++) {
            int64_t lo = lines * t / n;
            int64_t hi = lines * (t + 1) / n;
            p->sh[t] = (struct share){.w = &p->w[t], .rows = rows + (size_t)lo * dim,
                                      .nrows = hi - lo, .u = u};
        }
        if (rc == 0) {
            run_shares(p, n);
            rc = put_shares(p, n, err);
        }
        done += lines;
    }
    free(rows);
    return rc;
}

/* The sum of the workers' X^T X (upper triangles), made whole, to 'c'. */
static void sum_xtx(const struct pass *p, double *c)
{
    size_t dim = (size_t)p->lv->e->dim;
    memset(c, 0, dim * dim * sizeof *c);
    for (int t = 0; t < p->nw; t++) {
        for (size_t i = 0; i < dim; i++) {
            for (size_t j = i; j < dim; j++) {
                c[i * dim + j] += p->w[t].xtx[i * dim + j];
            }
        }
    }
    for (size_t i = 0; i < dim; i++) {
        for (size_t j = 0; j < i; j++) {
            c[i * dim + j] = c[j * dim + i];
        }
    }
}

/* After SIF's first pass: the top direction, then the second pass. */
static int remove_direction(struct pass *p, struct w2v_err *err)
{
    size_t dim = (size_t)p->lv->e->dim;
    double *c = alloc_big(dim * dim * sizeof *c, "X^T X", err);
    if (c == NULL) {
        return -1;
    }
    sum_xtx(p, c);
    double *u = xmalloc(dim * sizeof *u);
    linevec_top_direction(c, (int)dim, u);
    free(c);
    int rc = project_pass(p, u, err);
    free(u);
    return rc;
}

static void pass_free(struct pass *p)
{
    for (int t = 0; t < p->nw; t++) {
        lv_worker_free(&p->w[t]);
    }
    free(p->w);
    free(p->sh);
    free(p->tid);
    free(p->running);
    if (p->spill >= 0) {
        close(p->spill);
    }
}

int linevec_run(const struct linevec *lv, const char *const *paths, int n,
                linevec_emit_fn emit, void *ctx, struct linevec_stats *st,
                struct w2v_err *err)
{
    memset(st, 0, sizeof *st);
    bool sif = lv->weight != NULL;
    struct pass p = {.lv = lv, .nw = lv->threads > 0 ? lv->threads : 1, .emit = emit,
                     .ctx = ctx, .spill = -1};
    p.w = xcalloc((size_t)p.nw, sizeof *p.w);
    p.sh = xcalloc((size_t)p.nw, sizeof *p.sh);
    p.tid = xcalloc((size_t)p.nw, sizeof *p.tid);
    p.running = xcalloc((size_t)p.nw, sizeof *p.running);
    int rc = 0;
    for (int t = 0; t < p.nw && rc == 0; t++) {
        rc = lv_worker_init(&p.w[t], lv, sif ? LV_ROWS : LV_TEXT, err);
    }
    if (rc == 0 && sif) {
        rc = spill_open(&p, err);
    }
    struct batch b = {.cap = lv->batch_bytes > 0 ? lv->batch_bytes : LINEVEC_BATCH_BYTES,
                      .max_lines = batch_lines(lv)};
    b.buf = xmalloc(b.cap + 1);
    b.ends = xmalloc((size_t)b.max_lines * sizeof *b.ends);
    bool binary = false;
    for (int i = 0; i < n && rc == 0; i++) {
        rc = read_input(&p, &b, paths[i], &binary, err);
    }
    for (int t = 0; t < p.nw; t++) {
        st->lines += p.w[t].st.lines;
        st->empty += p.w[t].st.empty;
        st->words += p.w[t].st.words;
        st->counted += p.w[t].st.counted;
    }
    st->binary = binary;
    if (rc == 0 && sif) {
        rc = remove_direction(&p, err);
    }
    free(b.buf);
    free(b.ends);
    pass_free(&p);
    return rc;
}
