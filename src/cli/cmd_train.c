/* cmd_train: 'w2v train'. Reads the corpus once into an id stream, builds the vocabulary,
 * trains, writes the vectors; reports every failure as one line and picks the exit code. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "corpus.h"
#include "kmeans.h"
#include "model.h"
#include "opts.h"
#include "outfile.h"
#include "progress.h"
#include "sig.h"
#include "train.h"
#include "util.h"
#include "vecfile.h"
#include "vocab.h"
#include "w2v.h"

/* Everything a run owns, so that one function can release it on any path. */
struct run {
    struct train_opts o;
    struct vocab v;
    struct idstream ids;
    struct model m;
    bool have_model;
    struct outfile out;
    bool out_open;
};

/* Builds the vocabulary and the id stream, from the corpus alone or from -read-vocab. */
static int load_corpus(struct run *r, struct corpus_stats *st, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    if (o->read_vocab != NULL) {
        if (vocab_read(&r->v, o->read_vocab, err) != 0) {
            return -1;
        }
        vocab_prune(&r->v, o->min_count, o->max_vocab, NULL);
        if (r->v.n <= 1) {
            err_set(err, "%s: empty vocabulary: no word has a count of at least %lld "
                    "(-min-count)", o->read_vocab, (long long)o->min_count);
            return -1;
        }
        return corpus_read(o->corpus, &r->v, true, &r->ids, st, err);
    }
    if (corpus_read(o->corpus, &r->v, false, &r->ids, st, err) != 0) {
        return -1;
    }
    if (st->tokens == 0) {
        err_set(err, "%s: no words in the corpus", o->corpus);
        return -1;
    }
    int32_t *map = NULL;
    vocab_prune(&r->v, o->min_count, o->max_vocab, &map);
    idstream_remap(&r->ids, map);
    free(map);
    if (r->v.n <= 1) {
        err_set(err, "%s: empty vocabulary: no word occurs at least %lld times (-min-count)",
                o->corpus, (long long)o->min_count);
        return -1;
    }
    return 0;
}

/* A file the run reads or writes, for the checks below. */
struct named_file {
    const char *path;
    const char *option; /* how the user named it: "the corpus", "-o", ... */
    bool output;
};

/* Refuses, before anything is read or created, an output that is the same file as an
 * input or as another output (it would be overwritten while being read, or by the other
 * output), two outputs on standard output and two inputs from standard input. */
static int check_files(const struct train_opts *o, struct w2v_err *err)
{
    struct named_file f[4];
    int n = 0;
    f[n++] = (struct named_file){o->corpus, "the corpus", false};
    if (o->read_vocab != NULL) {
        f[n++] = (struct named_file){o->read_vocab, "-read-vocab", false};
    }
    f[n++] = (struct named_file){o->output, "-o", true};
    if (o->save_vocab != NULL) {
        f[n++] = (struct named_file){o->save_vocab, "-save-vocab", true};
    }
    for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
            if (!f[i].output && !f[j].output) {
                if (strcmp(f[i].path, "-") == 0 && strcmp(f[j].path, "-") == 0) {
                    err_set(err, "%s and %s are both standard input", f[i].option,
                            f[j].option);
                    return -1;
                }
                continue;
            }
            bool both_std = strcmp(f[i].path, "-") == 0 && strcmp(f[j].path, "-") == 0;
            if (both_std && f[i].output == f[j].output) {
                err_set(err, "%s and %s are both standard output", f[i].option, f[j].option);
                return -1;
            }
            if (!both_std && strcmp(f[i].path, "-") != 0 && strcmp(f[j].path, "-") != 0 &&
                same_file(f[i].path, f[j].path)) {
                err_set(err, "%s: %s and %s name the same file", f[j].path, f[i].option,
                        f[j].option);
                return -1;
            }
        }
    }
    return 0;
}

/* After reading the corpus against a -read-vocab vocabulary: none of its words in the
 * vocabulary is an error (nothing would be trained), fewer than half a warning. */
static int check_overlap(const struct train_opts *o, const struct corpus_stats *st,
                         struct w2v_err *err)
{
    if (o->read_vocab == NULL || st->tokens == 0) {
        return 0;
    }
    int64_t known = st->tokens - st->dropped;
    if (known == 0) {
        err_set(err, "%s: none of the %lld words of %s is in the vocabulary (-read-vocab)",
                o->read_vocab, (long long)st->tokens, o->corpus);
        return -1;
    }
    if (known < st->tokens - known) {
        log_info(LOG_NORMAL, "warning: only %.1f%% of the corpus's words are in the "
                 "vocabulary of -read-vocab %s", 100.0 * (double)known / (double)st->tokens,
                 o->read_vocab);
    }
    return 0;
}

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

/* Writing speed, for the time left shown during training: nanoseconds per value in text
 * ("-0.123456 ", formatted) and in binary (4 bytes copied). Measured on a shared 2-core
 * AMD EPYC: 383 MB of text (40M values) in 27 s, 160 MB of binary in 0.4 s. */
#define WRITE_NS_TEXT 700.0
#define WRITE_NS_BINARY 10.0
/* Bytes per value in the output: 4 in binary, about 10 as text. */
#define WRITE_BYTES_TEXT 10.0
#define WRITE_BYTES_BINARY 4.0

/* Estimated seconds to write 'rows' vectors with the options' format. */
static double write_estimate(const struct train_opts *o, int64_t rows)
{
    if (o->classes > 0) {
        return 0.0; /* 'word class' lines: short next to the vectors */
    }
    double values = (double)rows * o->cfg.dim;
    return values * (opts_binary_output(o) ? WRITE_NS_BINARY : WRITE_NS_TEXT) * 1e-9;
}

static void show_writing(void *ctx, uint64_t written)
{
    progress_step(ctx, "writing", (int64_t)written);
}

/* Writes and commits the vectors; a large output is announced and shows its progress. */
static int write_vectors(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    bool binary = opts_binary_output(o);
    double bytes = (double)r->v.n * o->cfg.dim * (binary ? WRITE_BYTES_BINARY : WRITE_BYTES_TEXT);
    char a[32];
    struct progress pr;
    if (bytes >= BIG_OUTPUT_BYTES) {
        log_info(LOG_NORMAL, "writing about %s of vectors to %s",
                 fmt_bytes(a, sizeof a, bytes), o->output);
        progress_start(&pr, (int64_t)bytes, 1, 0.0);
        r->out.on_flush = show_writing;
        r->out.flush_ctx = &pr;
    }
    double t0 = now_sec();
    int rc = vec_write(&r->out, &r->v, r->m.in, o->cfg.dim, binary, err);
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
             o->output, secs);
    return 0;
}

static void report_settings(const struct train_opts *o)
{
    const struct train_config *c = &o->cfg;
    log_info(LOG_VERBOSE,
             "settings: %s, size %d, window %d%s, negative %d, hs %d, sample %g, iter %d, "
             "alpha %g, threads %d, seed %llu, min-count %lld",
             c->kind == MODEL_CBOW ? "cbow" : "skip-gram", c->dim, c->window,
             c->fixed_window ? " (fixed)" : "", c->negative, c->hs ? 1 : 0, c->sample, c->iter,
             c->alpha, c->threads, (unsigned long long)c->seed, (long long)o->min_count);
}

static const char *vocab_word_at(const void *ctx, int64_t row)
{
    return vocab_word(ctx, (int32_t)row);
}

/* -classes: k-means on a normalised copy of the trained vectors, 'word class' lines out. */
static int write_classes(struct run *r, struct w2v_err *err)
{
    const struct train_config *c = &r->o.cfg;
    float *unit = kmeans_unit_copy(r->m.in, r->v.n, c->dim, err);
    int32_t *cls = unit == NULL ? NULL : alloc_big((size_t)r->v.n * sizeof *cls, "classes", err);
    struct kmeans_opts ko = {.k = (int)r->o.classes, .iter = KMEANS_DEFAULT_ITER,
                             .seed = c->seed, .threads = c->threads};
    struct kmeans_stats st;
    int rc = cls == NULL ? -1 : kmeans_run(unit, r->v.n, c->dim, &ko, cls, &st, err);
    if (rc == 0) {
        rc = kmeans_write(&r->out, cls, r->v.n, ko.k, vocab_word_at, &r->v, err);
        log_info(LOG_NORMAL, "%d classes: %d rounds, mean cosine to centroid %.4f", ko.k,
                 st.rounds, st.mean_cos);
    }
    free(cls);
    free(unit);
    return rc;
}

static int train_and_write(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    double t0 = now_sec();
    struct corpus_stats st;
    report_settings(o);
    /* The output is created first, so that a bad path fails before hours of training. */
    if (outfile_open(&r->out, o->output, ends_with(o->output, ".gz"), err) != 0) {
        return -1;
    }
    r->out_open = true;
    if (load_corpus(r, &st, err) != 0 || check_overlap(o, &st, err) != 0) {
        return -1;
    }
    if (o->classes > r->v.n) {
        err_set(err, "-classes: %lld classes for a vocabulary of %lld words",
                (long long)o->classes, (long long)r->v.n);
        return -1;
    }
    char a[32];
    char b[32];
    if (st.truncated > 0) {
        log_info(LOG_NORMAL, "warning: %lld tokens longer than %d bytes were cut",
                 (long long)st.truncated, W2V_MAX_WORD);
    }
    /* Kept tokens: the stream also holds one "</s>" per line end, not counted here. */
    log_info(LOG_NORMAL, "read %s tokens in %.1f s: vocabulary %lld words, %s tokens kept",
             fmt_count(a, sizeof a, (double)st.tokens), now_sec() - t0, (long long)r->v.n,
             fmt_count(b, sizeof b, (double)(r->ids.n - st.lines)));
    if (st.dropped > 0) {
        log_info(LOG_VERBOSE, "%lld tokens not in the vocabulary file were dropped",
                 (long long)st.dropped);
    }
    if (o->save_vocab != NULL && vocab_save(&r->v, o->save_vocab, err) != 0) {
        return -1;
    }
    size_t need = model_bytes(&o->cfg, r->v.n);
    log_info(LOG_NORMAL, "memory: %s for the model, %s for the id stream",
             fmt_bytes(a, sizeof a, (double)need),
             fmt_bytes(b, sizeof b, (double)r->ids.n * (double)sizeof(int32_t)));
    double t_setup = now_sec();
    if (model_new(&r->m, &o->cfg, r->v.count, r->v.n, err) != 0) {
        return -1;
    }
    r->have_model = true;
    report_model(o, &r->m, now_sec() - t_setup);
    struct train_result res;
    if (train_run(&r->m, r->ids.ids, r->ids.n, write_estimate(o, r->v.n), &res, err) != 0) {
        return -1;
    }
    if (o->classes > 0) {
        if (write_classes(r, err) != 0) {
            return -1;
        }
        r->out_open = false;
        if (outfile_commit(&r->out, err) != 0) {
            return -1;
        }
    } else if (write_vectors(r, err) != 0) {
        return -1;
    }
    double wall = now_sec() - t0;
    log_info(LOG_NORMAL,
             "done: %s tokens x %d epochs in %.1f s (%s words/s), vocabulary %lld, loss %.4f",
             fmt_count(a, sizeof a, (double)st.tokens), o->cfg.iter, wall,
             fmt_count(b, sizeof b, (double)st.tokens * o->cfg.iter / (wall > 0 ? wall : 1)),
             (long long)r->v.n, res.loss);
    return 0;
}

int cmd_train(int argc, char **argv)
{
    struct run *r = xcalloc(1, sizeof *r);
    struct w2v_err err;
    opts_defaults(&r->o);
    if (opts_parse(&r->o, argc, argv, &err) != 0 ||
        (!r->o.help && check_files(&r->o, &err) != 0)) {
        log_error("%s", err.msg);
        fprintf(stderr, "Try 'w2v train -h'.\n");
        free(r);
        return W2V_EXIT_USAGE;
    }
    if (r->o.help) {
        opts_usage(stdout);
        free(r);
        return W2V_EXIT_OK;
    }
    log_set_level(r->o.verbosity);
    sig_install();
    vocab_init(&r->v);
    int rc = train_and_write(r, &err);
    int status = W2V_EXIT_OK;
    if (rc != 0) {
        int signo = sig_caught();
        if (signo != 0) {
            log_error("interrupted by signal %d (%s); no output written", signo,
                      strsignal(signo));
            status = sig_exit_status(signo);
        } else {
            log_error("%s", err.msg);
            status = W2V_EXIT_ERR;
        }
    }
    if (r->out_open) {
        outfile_abort(&r->out);
    }
    if (r->have_model) {
        model_free(&r->m);
    }
    idstream_free(&r->ids);
    vocab_free(&r->v);
    free(r);
    return status;
}
