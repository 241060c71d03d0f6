/* cmd_train: 'w2v train'. Reads the corpus once into an id stream, builds the vocabulary,
 * trains, writes the vectors; reports every failure as one line and picks the exit code.
 * Under mpirun every process runs this with its share of the corpus (src/dist): each step
 * that can fail on one process ends in an agreement, so that all stop together; rank 0
 * alone prints progress and writes files, and only the failing rank prints its error. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "corpus.h"
#include "dist.h"
#include "merge.h"
#include "kmeans.h"
#include "model.h"
#include "opts.h"
#include "outfile.h"
#include "shard.h"
#include "sig.h"
#include "sync.h"
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
    struct dist d;
    struct shard_plan plan;
    struct dist_sync sync;
    bool broken;   /* the processes are out of step: abort the job (see also d.broken) */
    int64_t job_ids; /* ids kept over the job */
};

/* Builds the vocabulary and the id stream from -read-vocab: every process reads the file. */
static int load_fixed(struct run *r, struct corpus_stats *st, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    int rc = vocab_read(&r->v, o->read_vocab, err);
    if (rc == 0) {
        vocab_prune(&r->v, o->min_count, o->max_vocab, NULL);
        if (r->v.n <= 1) {
            err_set(err, "%s: empty vocabulary: no word has a count of at least %lld "
                    "(-min-count)", o->read_vocab, (long long)o->min_count);
            rc = -1;
        }
    }
    if (rc == 0) {
        rc = shard_read(&r->plan, &r->v, true, &r->ids, st, err);
    }
    if (dist_agree(&r->d, rc, err) != 0 ||
        dist_agree(&r->d, shard_check_same(&r->d, &r->plan, st, err), err) != 0) {
        return -1;
    }
    r->broken = merge_stats(&r->d, st, err) != 0;
    return r->broken ? -1 : 0;
}

/* Builds the vocabulary and the id stream, from the corpus alone or from -read-vocab. */
static int load_corpus(struct run *r, struct corpus_stats *st, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    int rc = shard_plan(&r->plan, o->corpora, o->ncorpora, r->d.rank, r->d.size, err);
    if (o->read_vocab != NULL) {
        return dist_agree(&r->d, rc, err) != 0 ? -1 : load_fixed(r, st, err);
    }
    if (rc == 0) {
        rc = shard_read(&r->plan, &r->v, false, &r->ids, st, err);
    }
    if (dist_agree(&r->d, rc, err) != 0 ||
        dist_agree(&r->d, shard_check_same(&r->d, &r->plan, st, err), err) != 0) {
        return -1;
    }
    rc = merge_vocab(&r->d, &r->v, &r->ids, st, o->min_count, o->max_vocab,
                     o->ncorpora == 1 ? o->corpora[0] : "the corpus",
                     &r->broken, err);
    return r->broken ? -1 : dist_agree(&r->d, rc, err);
}

/* Trains, alone or as one process of a job whose models are averaged (src/dist/sync.h). */
static int train(struct run *r, struct train_result *res, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    if (r->d.size <= 1) {
        return train_run(&r->m, r->ids.ids, r->ids.n, res, err);
    }
    int rc = sync_init(&r->sync, &r->d, &r->m, r->v.count, o->sync_seconds, o->sync_words,
                       o->sync_rare, err);
    if (dist_agree(&r->d, rc, err) != 0) {
        return -1;
    }
    /* Averaging N models divides each one's steps by N: each process takes N times the
     * step, so that the average moves as one model trained on all their words would. */
    r->m.cfg.alpha *= r->d.size;
    struct train_hook hook = {sync_tick, &r->sync, SYNC_TICK_NS, r->job_ids * o->cfg.iter,
                              (uint64_t)r->d.rank * (uint64_t)o->cfg.threads, r->d.size};
    rc = train_run_hooked(&r->m, r->ids.ids, r->ids.n, &hook, res, err);
    char a[32];
    log_info(LOG_VERBOSE, "model averaging: %lld rounds, %s sent per round, %.2f s in all",
             (long long)r->sync.rounds, fmt_bytes(a, sizeof a, (double)sync_round_bytes(&r->sync)),
             r->sync.busy);
    return rc;
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

/* Writes the vectors (rank 0 alone) and agrees on the outcome. */
static int write_vectors(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    int rc = 0;
    if (r->d.rank == 0) {
        rc = o->classes > 0 ? write_classes(r, err)
                            : vec_write(&r->out, &r->v, r->m.in, o->cfg.dim,
                                        opts_binary_output(o), err);
        if (rc == 0) {
            r->out_open = false;
            rc = outfile_commit(&r->out, err);
        }
    }
    return dist_agree(&r->d, rc, err);
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
    int rc = r->d.rank == 0 ? outfile_open(&r->out, o->output, ends_with(o->output, ".gz"), err)
                            : 0;
    r->out_open = r->d.rank == 0 && rc == 0;
    if (dist_agree(&r->d, rc, err) != 0 || load_corpus(r, &st, err) != 0) {
        return -1;
    }
    rc = 0;
    if (o->classes > r->v.n) {
        err_set(err, "-classes: %lld classes for a vocabulary of %lld words",
                (long long)o->classes, (long long)r->v.n);
        rc = -1;
    }
    if (dist_agree(&r->d, rc, err) != 0) {
        return -1;
    }
    char a[32];
    char b[32];
    if (st.truncated > 0) {
        log_info(LOG_NORMAL, "warning: %lld tokens longer than %d bytes were cut",
                 (long long)st.truncated, W2V_MAX_WORD);
    }
    r->job_ids = r->ids.n;
    if (dist_sum_i64(&r->d, &r->job_ids, 1, err) != 0) {
        r->broken = true;
        return -1;
    }
    log_info(LOG_NORMAL, "read %s tokens in %.1f s: vocabulary %lld words, %s tokens kept",
             fmt_count(a, sizeof a, (double)st.tokens), now_sec() - t0, (long long)r->v.n,
             fmt_count(b, sizeof b, (double)r->job_ids));
    if (r->d.size > 1) {
        log_info(LOG_VERBOSE, "%d processes: %s", r->d.size, shard_mode_name(r->plan.mode));
    }
    if (st.dropped > 0) {
        log_info(LOG_VERBOSE, "%lld tokens not in the vocabulary file were dropped",
                 (long long)st.dropped);
    }
    rc = r->d.rank == 0 && o->save_vocab != NULL ? vocab_save(&r->v, o->save_vocab, err) : 0;
    if (dist_agree(&r->d, rc, err) != 0) {
        return -1;
    }
    size_t need = model_bytes(&o->cfg, r->v.n);
    log_info(LOG_NORMAL, "memory: %s for the model, %s for the id stream",
             fmt_bytes(a, sizeof a, (double)need),
             fmt_bytes(b, sizeof b, (double)r->ids.n * (double)sizeof(int32_t)));
    rc = model_new(&r->m, &o->cfg, r->v.count, r->v.n, err);
    r->have_model = rc == 0;
    struct train_result res;
    if (dist_agree(&r->d, rc, err) != 0 || train(r, &res, err) != 0 ||
        write_vectors(r, err) != 0) {
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

/* Prints the failure of this process, if it is the one to tell; returns the exit status. */
static int report_failure(const struct run *r, const struct w2v_err *err)
{
    char rank[32] = "";
    if (r->d.size > 1) {
        snprintf(rank, sizeof rank, "rank %d: ", r->d.rank);
    }
    int signo = sig_caught();
    if (signo != 0) {
        if (dist_reports(&r->d) || r->broken || r->d.broken) {
            log_error("%sinterrupted by signal %d; no output written", rank, signo);
        }
        return sig_exit_status(signo);
    }
    if (dist_reports(&r->d) || r->broken || r->d.broken) {
        log_error("%s%s", rank, err->msg);
    }
    return W2V_EXIT_ERR;
}

static void release(struct run *r)
{
    if (r->out_open) {
        outfile_abort(&r->out);
        r->out_open = false;
    }
    if (r->have_model) {
        model_free(&r->m);
        r->have_model = false;
    }
    sync_free(&r->sync);
    shard_free(&r->plan);
    idstream_free(&r->ids);
    vocab_free(&r->v);
}

int cmd_train(int argc, char **argv)
{
    struct run *r = xcalloc(1, sizeof *r);
    struct w2v_err err;
    if (dist_init(&r->d, &err) != 0) {
        if (dist_reports(&r->d)) {
            log_error("%s", err.msg);
        }
        free(r);
        return W2V_EXIT_ERR;
    }
    opts_defaults(&r->o);
    int status = W2V_EXIT_OK;
    if (opts_parse(&r->o, argc, argv, &err) != 0) {
        /* Every process of a job has the same command line: one tells. */
        if (r->d.rank == 0) {
            log_error("%s", err.msg);
            fprintf(stderr, "Try 'w2v train -h'.\n");
        }
        status = W2V_EXIT_USAGE;
    } else if (r->o.help) {
        if (r->d.rank == 0) {
            opts_usage(stdout);
        }
    } else {
        /* Other ranks than 0 print errors only. */
        log_set_level(r->d.rank == 0 ? r->o.verbosity : LOG_QUIET);
        sig_install();
        vocab_init(&r->v);
        status = run_train(r, &err) == 0 ? W2V_EXIT_OK : report_failure(r, &err);
        release(r);
        r->broken = r->broken || r->d.broken;
    }
    opts_free(&r->o);
    if (r->broken) {
        /* Some processes may wait in an exchange this one left: end them all. */
        dist_abort(&r->d, W2V_EXIT_ERR);
    }
    dist_finish(&r->d);
    free(r);
    return status;
}
