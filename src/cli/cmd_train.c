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
#include "sig.h"
#include "train.h"
#include "update.h"
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

static void report_settings(const struct train_opts *o)
{
    const struct train_config *c = &o->cfg;
    log_info(LOG_VERBOSE,
             "settings: %s, size %d, window %d%s, negative %d, hs %d, sample %g, iter %d, "
             "alpha %g, threads %d, seed %llu, min-count %lld, batch %d",
             c->kind == MODEL_CBOW ? "cbow" : "skip-gram", c->dim, c->window,
             c->fixed_window ? " (fixed)" : "", c->negative, c->hs ? 1 : 0, c->sample, c->iter,
             c->alpha, c->threads, (unsigned long long)c->seed, (long long)o->min_count,
             c->batch);
}

/* The kernel variant: the best this CPU runs, unless W2V_KERNELS names one. */
static int pick_kernels(struct train_opts *o, struct w2v_err *err)
{
    struct w2v_err why;
    o->cfg.simd = getenv("W2V_KERNELS");
    const struct update_kernels *k = update_kernels_pick(o->cfg.simd, &why);
    if (k == NULL) {
        err_set(err, "W2V_KERNELS: %s", why.msg);
        return -1;
    }
    log_info(LOG_VERBOSE, "kernels: %s (best on this CPU: %s)", simd_name(k->level),
             simd_name(simd_best()));
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

static int run_train(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    double t0 = now_sec();
    struct corpus_stats st;
    report_settings(o);
    if (pick_kernels(&r->o, err) != 0) {
        return -1;
    }
    /* The output is created first, so that a bad path fails before hours of training. */
    if (outfile_open(&r->out, o->output, ends_with(o->output, ".gz"), err) != 0) {
        return -1;
    }
    r->out_open = true;
    if (load_corpus(r, &st, err) != 0) {
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
    log_info(LOG_NORMAL, "read %s tokens in %.1f s: vocabulary %lld words, %s tokens kept",
             fmt_count(a, sizeof a, (double)st.tokens), now_sec() - t0, (long long)r->v.n,
             fmt_count(b, sizeof b, (double)r->ids.n));
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
    if (model_new(&r->m, &o->cfg, r->v.count, r->v.n, err) != 0) {
        return -1;
    }
    r->have_model = true;
    struct train_result res;
    if (train_run(&r->m, r->ids.ids, r->ids.n, &res, err) != 0) {
        return -1;
    }
    if (o->classes > 0 ? write_classes(r, err) != 0
                       : vec_write(&r->out, &r->v, r->m.in, o->cfg.dim, opts_binary_output(o), err) != 0) {
        return -1;
    }
    r->out_open = false;
    if (outfile_commit(&r->out, err) != 0) {
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
    if (opts_parse(&r->o, argc, argv, &err) != 0) {
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
    int rc = run_train(r, &err);
    int status = W2V_EXIT_OK;
    if (rc != 0) {
        int signo = sig_caught();
        if (signo != 0) {
            log_error("interrupted by signal %d; no output written", signo);
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
