/* model: allocation and initialisation of the weights and tables. */
#include "train/model.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "base/util.h"
#include "io/fasttext.h"

/* Random stream reserved for weight initialisation (threads use 0..threads-1). */
#define MODEL_INIT_STREAM 0x5eedULL
/* The first id that is a word: id 0, the sentence end, is never predicted, so it is not
 * drawn as a negative either (as in word2vec, whose training never uses it). */
#define MODEL_FIRST_WORD 1
/* The loss of one binary decision when the output vectors are zero: -log s(0) = ln 2. */
#define MODEL_LN2 0.69314718055994531
/* Floats set up as one piece: the unit a set-up thread takes, and between two reports to
 * the progress display (4 MiB: a matrix of 27 MB, 68,000 words at -size 100, is seven
 * pieces, so that the threads end near each other). */
#define MODEL_SETUP_PIECE ((size_t)1 << 20)
/* Rows a word has with subwords, for an estimate without the words: its own and the
 * n-grams of 3 to 6 characters of an English word of about 8 letters. */
#define MODEL_ROWS_PER_WORD 24

static size_t rows_bytes(int64_t rows, int dim)
{
    size_t cells;
    size_t bytes;
    if (rows < 0 || !mul_size((size_t)rows, (size_t)dim, &cells) ||
        !mul_size(cells, sizeof(float), &bytes)) {
        return SIZE_MAX;
    }
    return bytes;
}

static size_t add_bytes(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* Sum of the Huffman path lengths of 'n' words, estimated by -log2 of each word's
 * probability (at least 1, at most HUFFMAN_MAX_CODE); without counts, by n log2 n. */
static double huffman_nodes(const int64_t *counts, int64_t n)
{
    if (counts == NULL) {
        return (double)n * (log2((double)n + 1.0) + 1.0);
    }
    double total = 0.0;
    for (int64_t i = 0; i < n; i++) {
        total += (double)counts[i];
    }
    double sum = 0.0;
    for (int64_t i = 0; i < n; i++) {
        double len = counts[i] > 0 ? log2(total / (double)counts[i]) : HUFFMAN_MAX_CODE;
        sum += len < 1.0 ? 1.0 : (len > HUFFMAN_MAX_CODE ? HUFFMAN_MAX_CODE : len);
    }
    return sum;
}

int64_t model_in_rows(const struct train_config *cfg, int64_t n)
{
    return model_subwords(cfg) ? n + cfg->bucket : n;
}

/* fastText's arguments for the subwords of 'cfg'. */
static struct ft_args subword_args(const struct train_config *cfg)
{
    struct ft_args a;
    ft_args_default(&a);
    a.minn = cfg->minn;
    a.maxn = cfg->maxn;
    a.bucket = (int32_t)cfg->bucket;
    return a;
}

/* The number of input rows of all the 'words' (estimated from 'n' without them). */
static int64_t subword_rows(const struct train_config *cfg, const struct strindex *words,
                            int64_t n)
{
    if (words == NULL) {
        return n * MODEL_ROWS_PER_WORD;
    }
    struct ft_args a = subword_args(cfg);
    int64_t total = 0;
    for (int64_t i = 0; i < words->n; i++) {
        const char *w = strindex_str(words, i);
        total += (int64_t)ft_word_rows(w, strlen(w), i, words->n, &a, NULL, 0);
    }
    return total;
}

/* Lists each word's input rows (struct subwords). Returns 0, or -1 with 'err' set. */
static int build_subwords(struct model *m, const struct strindex *words, struct w2v_err *err)
{
    struct ft_args a = subword_args(&m->cfg);
    int64_t total = subword_rows(&m->cfg, words, m->n);
    m->sub.start = alloc_big((size_t)(m->n + 1) * sizeof *m->sub.start, "subword lists", err);
    m->sub.rows = m->sub.start == NULL ? NULL
                  : alloc_big((size_t)total * sizeof *m->sub.rows, "subword lists", err);
    if (m->sub.rows == NULL) {
        return -1;
    }
    int64_t at = 0;
    for (int64_t i = 0; i < m->n; i++) {
        const char *w = strindex_str(words, i);
        m->sub.start[i] = at;
        at += (int64_t)ft_word_rows(w, strlen(w), i, m->n, &a, m->sub.rows + at,
                                    (size_t)(total - at));
    }
    m->sub.start[m->n] = at;
    return 0;
}

void model_word_vector(const struct model *m, int64_t id, float *out)
{
    size_t dim = (size_t)m->cfg.dim;
    if (m->sub.start == NULL) {
        memcpy(out, m->in + (size_t)id * dim, dim * sizeof *out);
        return;
    }
    int nr;
    const int32_t *rows = model_word_rows(m, id, &nr);
    ft_rows_mean(m->in, m->cfg.dim, rows, (size_t)nr, out);
}

size_t model_weight_bytes(const struct train_config *cfg, int64_t n)
{
    size_t total = rows_bytes(model_in_rows(cfg, n), cfg->dim);
    if (cfg->negative > 0) {
        total = add_bytes(total, rows_bytes(n, cfg->dim));
    }
    if (cfg->hs) {
        total = add_bytes(total, rows_bytes(n - 1, cfg->dim));
    }
    return total;
}

size_t model_bytes(const struct train_config *cfg, const int64_t *counts,
                   const struct strindex *words, int64_t n)
{
    size_t total = rows_bytes(model_in_rows(cfg, n), cfg->dim);
    if (model_subwords(cfg)) {
        total = add_bytes(total, (size_t)(n + 1) * sizeof(int64_t));
        total = add_bytes(total, (size_t)subword_rows(cfg, words, n) * sizeof(int32_t));
    }
    if (cfg->negative > 0) {
        total = add_bytes(total, rows_bytes(n, cfg->dim));
        total = add_bytes(total, (size_t)n * sizeof(struct alias_entry));
    }
    if (cfg->hs) {
        total = add_bytes(total, rows_bytes(n - 1, cfg->dim));
        /* start and len per word; code and point per node of each path */
        total = add_bytes(total, (size_t)n * (sizeof(int64_t) + sizeof(uint8_t)));
        double nodes = huffman_nodes(counts, n) * (sizeof(uint8_t) + sizeof(int32_t));
        total = add_bytes(total, nodes < (double)SIZE_MAX ? (size_t)nodes : SIZE_MAX);
    }
    total = add_bytes(total, sizeof(struct sigmoid));
    return add_bytes(total, (size_t)n * sizeof(float));
}

/* 'a' - 'b', or 0 when 'b' is larger. */
static size_t sub_bytes(size_t a, size_t b)
{
    return a > b ? a - b : 0;
}

size_t model_setup_bytes(const struct train_config *cfg, int64_t n)
{
    /* model_new writes each output matrix only after building its table, so while the
     * work arrays of a table live, the matrices not yet written are not resident: the
     * extra is the work beyond them (and beyond the subsampling table, allocated last). */
    size_t later = (size_t)n * sizeof(float);
    if (cfg->hs) {
        later = add_bytes(later, rows_bytes(n - 1, cfg->dim));
    }
    size_t alias = 0;
    if (cfg->negative > 0) {
        /* unigram_build: a probability and two work lists per word */
        size_t work = (size_t)n * (sizeof(double) + 2 * sizeof(int64_t));
        alias = sub_bytes(work, add_bytes(later, rows_bytes(n, cfg->dim)));
    }
    size_t tree = 0;
    if (cfg->hs) {
        /* huffman_build: a sorted leaf per word; weight, parent and branch per node */
        size_t work = (size_t)n * 2 * sizeof(int64_t) +
                      (size_t)(2 * n) * (2 * sizeof(int64_t) + sizeof(uint8_t));
        tree = sub_bytes(work, later);
    }
    return alias > tree ? alias : tree;
}

static float *alloc_rows(int64_t rows, int dim, const char *what, struct w2v_err *err)
{
    size_t bytes = rows_bytes(rows, dim);
    if (bytes == SIZE_MAX) {
        err_set(err, "%s: %lld x %d floats is too large", what, (long long)rows, dim);
        return NULL;
    }
    return alloc_big(bytes, what, err);
}

/* Fills the subsampling table, and from it the expected kept fraction and the loss of
 * the untrained model (per prediction, averaged over the kept words). */
static void set_keep(struct model *m, const int64_t *counts)
{
    int64_t total = 0;
    for (int64_t i = 0; i < m->n; i++) {
        total += counts[i];
    }
    double words = 0.0;
    double kept = 0.0;
    double path = 0.0;
    for (int64_t i = 0; i < m->n; i++) {
        m->keep[i] = (float)subsample_keep(counts[i], total, m->cfg.sample);
        if (i >= MODEL_FIRST_WORD) {
            double k = (double)counts[i] * (double)m->keep[i];
            words += (double)counts[i];
            kept += k;
            path += m->cfg.hs ? k * (double)m->huff.len[i] : 0.0;
        }
    }
    m->kept_fraction = words > 0.0 ? kept / words : 1.0;
    double decisions = m->cfg.negative > 0 ? 1.0 + m->cfg.negative : 0.0;
    decisions += kept > 0.0 ? path / kept : 0.0;
    m->untrained_loss = decisions * MODEL_LN2;
}

/* Weight set-up as the display sees it: the bytes written so far. */
struct setup_show {
    struct progress *pr;
    int64_t done;
};

/* One matrix being set up by several threads: they take pieces of MODEL_SETUP_PIECE
 * floats in turn from 'next'. A random cell's value depends only on its index (the
 * generator skipped to it), so the floats do not depend on which thread wrote them. */
struct fill_job {
    float *rows;
    size_t cells;
    int dim;
    bool random;
    struct rng start;      /* the generator before the first cell */
    _Atomic size_t next;   /* the first cell of the next piece to take */
    _Atomic size_t filled; /* cells written, by every thread */
};

/* Takes and fills one piece; returns its size, 0 when none is left. */
static size_t fill_piece(struct fill_job *j)
{
    size_t at = atomic_fetch_add(&j->next, MODEL_SETUP_PIECE);
    if (at >= j->cells) {
        return 0;
    }
    size_t end = j->cells - at < MODEL_SETUP_PIECE ? j->cells : at + MODEL_SETUP_PIECE;
    if (j->random) {
        struct rng r = j->start;
        rng_skip(&r, at);
        for (size_t i = at; i < end; i++) {
            j->rows[i] = (rng_uniform(&r) - 0.5f) / (float)j->dim;
        }
    } else {
        memset(j->rows + at, 0, (end - at) * sizeof *j->rows);
    }
    atomic_fetch_add(&j->filled, end - at);
    return end - at;
}

static void *fill_helper(void *arg)
{
    while (fill_piece(arg) > 0) {
    }
    return NULL;
}

/* Sets the 'cells' floats of 'rows' (the first touch of their pages, most of the set-up
 * time of a large model) with a team of up to 'threads' threads (team_size): uniform in
 * +-0.5/dim from 'r' when it is given, zero otherwise. The calling thread fills pieces too
 * and reports each of its pieces to the display. */
static void fill_rows(float *rows, size_t cells, int dim, const struct rng *r, int threads,
                      struct setup_show *s)
{
    struct fill_job j = {rows, cells, dim, r != NULL, {0}, 0, 0};
    if (r != NULL) {
        j.start = *r;
    }
    size_t pieces = (cells + MODEL_SETUP_PIECE - 1) / MODEL_SETUP_PIECE;
    pthread_t tid[TEAM_MAX];
    int started = team_start(tid, team_size(threads, (int64_t)pieces) - 1, fill_helper, &j, 0);
    int64_t base = s->done;
    while (fill_piece(&j) > 0) {
        s->done = base + (int64_t)(atomic_load(&j.filled) * sizeof *rows);
        if (s->pr != NULL) {
            progress_step(s->pr, "setting up", s->done);
        }
    }
    team_join(tid, started);
    s->done = base + (int64_t)(cells * sizeof *rows);
}

int model_new(struct model *m, const struct train_config *cfg, const int64_t *counts,
              const struct strindex *words, int64_t n, struct progress *show,
              struct w2v_err *err)
{
    memset(m, 0, sizeof *m);
    m->cfg = *cfg;
    m->n = n;
    m->rows_in = model_in_rows(cfg, n);
    int dim = cfg->dim;
    struct setup_show s = {show, 0};
    sigmoid_init(&m->sigmoid);
    if (model_subwords(cfg) && build_subwords(m, words, err) != 0) {
        goto fail;
    }
    m->in = alloc_rows(m->rows_in, dim, "input vectors", err);
    if (m->in == NULL) {
        goto fail;
    }
    struct rng r;
    rng_seed(&r, cfg->seed, MODEL_INIT_STREAM);
    size_t cells = (size_t)n * (size_t)dim;
    fill_rows(m->in, (size_t)m->rows_in * (size_t)dim, dim, &r, cfg->threads, &s);
    if (cfg->negative > 0) {
        m->out_ns = alloc_rows(n, dim, "output vectors", err);
        if (m->out_ns == NULL ||
            unigram_build(counts, n, MODEL_FIRST_WORD, cfg->ns_exponent, &m->uni, err) != 0) {
            goto fail;
        }
        fill_rows(m->out_ns, cells, dim, NULL, cfg->threads, &s);
    }
    if (cfg->hs) {
        m->out_hs = alloc_rows(n - 1, dim, "hierarchical softmax vectors", err);
        if (m->out_hs == NULL || huffman_build(counts, n, &m->huff, err) != 0) {
            goto fail;
        }
        fill_rows(m->out_hs, (size_t)(n - 1) * (size_t)dim, dim, NULL, cfg->threads, &s);
    }
    m->keep = alloc_big((size_t)n * sizeof *m->keep, "subsampling table", err);
    if (m->keep == NULL) {
        goto fail;
    }
    set_keep(m, counts);
    return 0;
fail:
    model_free(m);
    return -1;
}

void model_free(struct model *m)
{
    free(m->sub.start);
    free(m->sub.rows);
    m->sub.start = NULL;
    m->sub.rows = NULL;
    free(m->in);
    free(m->out_ns);
    free(m->out_hs);
    free(m->keep);
    unigram_free(&m->uni);
    huffman_free(&m->huff);
    m->in = NULL;
    m->out_ns = NULL;
    m->out_hs = NULL;
    m->keep = NULL;
}
