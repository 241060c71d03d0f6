/* training_output: the model's set-up, and the outputs of a training run: the vectors or
 * the k-means classes. */
#include <stdlib.h>
#include <string.h>

#include "base/progress.h"
#include "base/util.h"
#include "io/fasttext.h"
#include "io/vecfile.h"
#include "pipeline/training_parts.h"
#include "query/kmeans.h"

/* Share of the corpus's words that subsampling keeps, below which a warning is printed:
 * training then sees too little of the corpus to learn from it. */
#define SUBSAMPLE_WARN_KEPT 0.05

/* Phases (model set-up, writing) at least this long, in seconds, are reported even
 * without -v, so that a large vocabulary never leaves the terminal silent. */
#define SLOW_PHASE_SEC 1.0
/* Outputs at least this large, in bytes, are announced before they are written. */
#define BIG_OUTPUT_BYTES (64.0 * 1024 * 1024)

static void report_model(const struct train_opts *o, const struct model *m, double secs)
{
    log_info(secs >= SLOW_PHASE_SEC ? LOG_NORMAL : LOG_VERBOSE,
             "model set up in %.1f s; untrained loss %.4f per prediction", secs,
             m->untrained_loss);
    if (o->cfg.sample > 0.0 && m->kept_fraction < SUBSAMPLE_WARN_KEPT) {
        log_info(LOG_NORMAL, "warning: -sample %g keeps about %.2g%% of the corpus's words; "
                 "raise it, or use -sample 0 for none", o->cfg.sample,
                 100.0 * m->kept_fraction);
    }
}

/* Models with weights at least this large show the progress of their set-up (the first
 * touch of every page, about 2 ns a byte: a second or more); with -v every model shows it. */
#define SETUP_SHOWN_BYTES (512.0 * 1024 * 1024)

/* Sets up the model; a large one is announced and its set-up shows a time left. */
int training_setup_model(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    double bytes = (double)model_weight_bytes(&o->cfg, r->v.n);
    struct progress pr;
    bool show = bytes >= SETUP_SHOWN_BYTES || log_get_level() >= LOG_VERBOSE;
    if (show) {
        char a[32];
        log_info(LOG_NORMAL, "setting up %s of weights", fmt_bytes(a, sizeof a, bytes));
        progress_start(&pr, (int64_t)bytes, 1, 0.0);
    }
    double t0 = now_sec();
    int rc = model_new(&r->m, &o->cfg, r->v.count, &r->v.words, r->v.n, show ? &pr : NULL,
                       err);
    if (show) {
        progress_finish(&pr, 0.0, 0);
    }
    r->have_model = rc == 0;
    if (rc == 0) {
        report_model(o, &r->m, now_sec() - t0);
    }
    return rc;
}

/* Writing speed, for the time left shown during training: nanoseconds per value in text
 * ("-0.123456 ", formatted) and in binary (4 bytes copied), rounded up from DESIGN.md's
 * measurements. */
#define WRITE_NS_TEXT 700.0
#define WRITE_NS_BINARY 10.0
/* Bytes per value in the output: 4 in binary, about 10 as text. */
#define WRITE_BYTES_TEXT 10.0
#define WRITE_BYTES_BINARY 4.0

/* Estimated seconds to write 'rows' vectors with the options' format. */
double training_write_estimate(const struct train_opts *o, int64_t rows)
{
    if (o->classes > 0) {
        return 0.0; /* 'word class' lines: short next to the vectors */
    }
    double values = (double)rows * o->cfg.dim;
    return values * (training_binary_output(o) ? WRITE_NS_BINARY : WRITE_NS_TEXT) * 1e-9;
}

/* Row 'i' of the vectors: the word's input row, or with subwords the mean of its rows. */
static const float *word_row(void *ctx, int64_t i, float *scratch)
{
    const struct model *m = ctx;
    if (m->sub.start == NULL) {
        return m->in + (size_t)i * (size_t)m->cfg.dim;
    }
    model_word_vector(m, i, scratch);
    return scratch;
}

static void show_writing(void *ctx, uint64_t written)
{
    progress_step(ctx, "writing", (int64_t)written);
}

/* Creates the output (-o), when its writing starts. */
static int open_output(struct run *r, struct w2v_err *err)
{
    const char *path = r->o.output;
    if (outfile_open(&r->out, path, ends_with(path, ".gz"), err) != 0) {
        return -1;
    }
    r->out_open = true;
    return 0;
}

/* Writes and commits the vectors; a large output is announced and shows its progress. */
static int write_vectors(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    bool binary = training_binary_output(o);
    double bytes = (double)r->v.n * o->cfg.dim * (binary ? WRITE_BYTES_BINARY : WRITE_BYTES_TEXT);
    struct progress pr;
    if (open_output(r, err) != 0) {
        return -1;
    }
    if (bytes >= BIG_OUTPUT_BYTES) {
        char a[32];
        log_info(LOG_NORMAL, "writing about %s of vectors to %s",
                 fmt_bytes(a, sizeof a, bytes), path_label(o->output, true));
        progress_start(&pr, (int64_t)bytes, 1, 0.0);
        r->out.on_flush = show_writing;
        r->out.flush_ctx = &pr;
    }
    double t0 = now_sec();
    int rc = vec_write_rows(&r->out, &r->v.words, word_row, &r->m, o->cfg.dim, binary, err);
    r->out.on_flush = NULL;
    if (bytes >= BIG_OUTPUT_BYTES) {
        progress_finish(&pr, 0.0, 0);
    }
    if (rc != 0) {
        return -1;
    }
    r->out_open = false;
    if (outfile_commit(&r->out, err) != 0) {
        return -1;
    }
    double secs = now_sec() - t0;
    log_info(secs >= SLOW_PHASE_SEC ? LOG_NORMAL : LOG_VERBOSE, "wrote %s in %.1f s",
             path_label(o->output, true), secs);
    return 0;
}

static const char *vocab_word_at(const void *ctx, int64_t row)
{
    return vocab_word(ctx, (int32_t)row);
}

/* -classes: k-means on a normalised copy of the trained vectors, 'word class' lines out. */
static int write_classes(struct run *r, struct w2v_err *err)
{
    const struct train_config *c = &r->o.cfg;
    const float *vecs = r->m.in;
    float *composed = NULL;
    if (r->m.sub.start != NULL) {
        /* with subwords, each word's vector is the mean of its rows */
        composed = alloc_big((size_t)r->v.n * (size_t)c->dim * sizeof *composed,
                             "word vectors", err);
        if (composed == NULL) {
            return -1;
        }
        for (int64_t i = 0; i < r->v.n; i++) {
            model_word_vector(&r->m, i, composed + (size_t)i * (size_t)c->dim);
        }
        vecs = composed;
    }
    float *unit = kmeans_unit_copy(vecs, r->v.n, c->dim, err);
    free(composed);
    int32_t *cls = unit == NULL ? NULL : alloc_big((size_t)r->v.n * sizeof *cls, "classes", err);
    struct kmeans_opts ko = {.k = (int)r->o.classes, .iter = KMEANS_DEFAULT_ITER,
                             .seed = c->seed, .threads = c->threads};
    struct kmeans_stats st;
    int rc = cls == NULL ? -1 : kmeans_run(unit, r->v.n, c->dim, &ko, cls, &st, err);
    if (rc == 0) {
        rc = open_output(r, err);
    }
    if (rc == 0) {
        rc = kmeans_write(&r->out, cls, r->v.n, ko.k, vocab_word_at, &r->v, err);
        log_info(LOG_NORMAL, "%d %s: %d %s, mean cosine to centroid %.4f", ko.k,
                 plural(ko.k, "class", "classes"), st.rounds,
                 plural(st.rounds, "round", "rounds"), st.mean_cos);
    }
    free(cls);
    free(unit);
    return rc;
}

/* Writes the vectors or the classes (rank 0 alone) and agrees on the outcome. */
/* fastText's learning-rate update interval (its -lrUpdateRate default), which its .bin
 * records; w2v's own interval is TRAIN_PUBLISH words. */
#define FASTTEXT_LR_UPDATE 100

/* -save-fasttext: the model in fastText's .bin layout. The input matrix is the model's
 * own (words, then the n-gram buckets, as fastText lays them out); the output matrix is
 * the negative-sampling one, or with hierarchical softmax alone its inner nodes and a row
 * of zeros (fastText keeps one row a word). */
static int write_fasttext(struct run *r, struct w2v_err *err)
{
    const struct train_config *c = &r->m.cfg;
    bool sub = model_subwords(c);
    struct ft_args a;
    ft_args_default(&a);
    a.dim = c->dim;
    a.ws = c->window;
    a.epoch = c->iter;
    a.min_count = r->o.min_count < INT32_MAX ? (int32_t)r->o.min_count : INT32_MAX;
    a.neg = c->negative;
    a.loss = c->negative > 0 ? FT_LOSS_NS : FT_LOSS_HS;
    a.model = c->kind == MODEL_CBOW ? FT_CBOW : FT_SKIPGRAM;
    a.bucket = sub ? (int32_t)c->bucket : 0;
    a.minn = sub ? c->minn : 0;
    a.maxn = sub ? c->maxn : 0;
    a.lr_update_rate = FASTTEXT_LR_UPDATE;
    a.t = c->sample;
    const float *out = r->m.out_ns;
    float *padded = NULL;
    if (out == NULL) {
        size_t row = (size_t)c->dim * sizeof(float);
        padded = alloc_big((size_t)r->v.n * row, "fastText output matrix", err);
        if (padded == NULL) {
            return -1;
        }
        memcpy(padded, r->m.out_hs, (size_t)(r->v.n - 1) * row);
        memset(padded + (size_t)(r->v.n - 1) * (size_t)c->dim, 0, row);
        out = padded;
    }
    int rc = ft_write(r->o.save_fasttext, &a, &r->v.words, r->v.count,
                      r->st.tokens + r->st.lines, r->m.in, out, err);
    free(padded);
    return rc;
}

/* -save-context: negative sampling's output vectors, one a word, in the format -o's name
 * and -binary choose for the vectors. */
static int write_context(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    struct outfile of;
    const char *path = o->save_context;
    if (outfile_open(&of, path, ends_with(path, ".gz"), err) != 0) {
        return -1;
    }
    bool binary = vec_binary_name(path, o->binary);
    if (vec_write(&of, &r->v.words, r->m.out_ns, o->cfg.dim, binary, err) != 0) {
        outfile_abort(&of);
        return -1;
    }
    return outfile_commit(&of, err);
}

int training_finish_output(struct run *r, struct w2v_err *err)
{
    int rc = 0;
    if (r->d->rank == 0 && r->o.classes > 0) {
        rc = write_classes(r, err);
        if (rc == 0) {
            r->out_open = false;
            rc = outfile_commit(&r->out, err);
        }
    } else if (r->d->rank == 0) {
        rc = write_vectors(r, err);
    }
    if (rc == 0 && r->d->rank == 0 && r->o.save_fasttext != NULL) {
        rc = write_fasttext(r, err);
    }
    if (rc == 0 && r->d->rank == 0 && r->o.save_context != NULL) {
        rc = write_context(r, err);
    }
    return dist_agree(r->d, rc, err);
}
