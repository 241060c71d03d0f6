/* training: the run of 'w2v train', from the settings to the files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "base/sig.h"
#include "base/simd.h"
#include "base/util.h"
#include "io/vecfile.h"
#include "pipeline/training_parts.h"
#include "train/train.h"
#include "train/update.h"

/* Allocations at least this large get mappings of their own, returned to the system when
 * freed (below the id stream's blocks and the reader's chunks). */
#define TRAINING_MMAP_THRESHOLD (256u << 10)
/* Heap arenas glibc may create for the threads: the training threads allocate little, and
 * only while they start. */
#define TRAINING_ARENAS 2

size_t training_default_memory(const char **which)
{
    size_t all = memory_limit(which);
    return all == SIZE_MAX ? SIZE_MAX : (size_t)((double)all * TRAINING_MEMORY_SHARE);
}

void training_defaults(struct train_opts *o)
{
    memset(o, 0, sizeof *o);
    o->cfg.kind = MODEL_SKIPGRAM;
    o->cfg.dim = TRAINING_DIM;
    o->cfg.window = TRAINING_WINDOW;
    o->cfg.negative = TRAINING_NEGATIVE;
    o->cfg.sample = TRAINING_SAMPLE;
    o->cfg.iter = TRAINING_ITER;
    o->cfg.alpha = TRAINING_ALPHA_SG;
    o->cfg.threads = online_cpus();
    o->cfg.seed = TRAINING_SEED;
    o->cfg.ns_exponent = TRAINING_NS_EXPONENT;
    o->cfg.batch = TRAINING_BATCH;
    o->cfg.minn = TRAINING_MINN;
    o->cfg.bucket = TRAINING_BUCKET;
    o->output = TRAINING_OUTPUT;
    o->binary = -1;
    o->min_count = TRAINING_MIN_COUNT;
    o->verbosity = LOG_NORMAL;
    o->sync_seconds = TRAINING_SYNC_SECONDS;
    o->sync_rare = TRAINING_SYNC_RARE;
    o->memory = training_default_memory(NULL);
}

void training_kind_defaults(const struct train_opts *o, struct train_config *c)
{
    if (!o->alpha_given) {
        c->alpha = c->kind == MODEL_CBOW ? TRAINING_ALPHA_CBOW : TRAINING_ALPHA_SG;
    }
}

bool training_binary_output(const struct train_opts *o)
{
    return vec_binary_name(o->output, o->binary);
}

/* The corpus record of a model file: the stream's length and checksum. */
static int stream_record(struct run *r, struct w2v_err *err)
{
    struct idreader rd;
    memset(&rd, 0, sizeof rd);
    if (idreader_open(&rd, &r->ids, 0, r->ids.n, err) != 0) {
        return -1;
    }
    uint64_t sum = CKPT_SUM_INIT;
    int64_t id;
    while ((id = idreader_next(&rd)) >= 0) {
        sum = ckpt_sum_add(sum, (uint32_t)id);
    }
    idreader_close(&rd);
    if (id == -2) {
        *err = rd.err;
        return -1;
    }
    r->base.min_count = r->o.min_count;
    r->base.max_vocab = r->o.max_vocab;
    r->base.stream_len = r->ids.n;
    r->base.stream_sum = sum;
    if (r->o.resume != NULL &&
        (r->from.stream_len != r->ids.n || r->from.stream_sum != sum)) {
        err_set(err, "%s: not the corpus %s was saved from (%lld positions, checksum "
                "%016llx; the model file records %lld, %016llx)",
                r->o.ncorpora > 1 ? "corpora" : path_label(r->o.corpora[0], false), r->o.resume,
                (long long)r->ids.n, (unsigned long long)sum,
                (long long)r->from.stream_len, (unsigned long long)r->from.stream_sum);
        return -1;
    }
    return 0;
}

static int save_model(void *ctx, const struct ckpt_state *st, struct w2v_err *err)
{
    struct run *r = ctx;
    return ckpt_save(r->o.save_model, &r->m, &r->v, st, err);
}

/* Trains, alone or as one process of a job whose models are averaged (mpi/sync.h). */
static int train(struct run *r, struct train_result *res, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    if (r->d->size <= 1) {
        bool files = o->save_model != NULL || o->resume != NULL;
        if (files && stream_record(r, err) != 0) {
            return -1;
        }
        struct train_ckpt ck = {
            .from = o->resume != NULL ? &r->from : NULL,
            .base = &r->base,
            .every = o->checkpoint_sec,
            .on_signal = o->checkpoint_sec > 0.0,
            .at_end = o->save_model != NULL,
            .save = save_model,
            .ctx = r,
        };
        return train_run(&r->m, &r->ids, training_write_estimate(o, r->v.n), NULL,
                         files ? &ck : NULL, res, err);
    }
    int rc = sync_init(&r->sync, r->d, &r->m, r->v.count, o->sync_seconds, o->sync_words,
                       o->sync_rare, err);
    if (dist_agree(r->d, rc, err) != 0) {
        return -1;
    }
    /* Averaging N models divides each one's steps by N: each process takes N times the
     * step, so that the average moves as one model trained on all their words would. */
    r->m.cfg.alpha *= r->d->size;
    struct train_hook hook = {sync_tick, &r->sync, SYNC_TICK_NS, r->job_ids * o->cfg.iter,
                              (uint64_t)r->d->rank * (uint64_t)o->cfg.threads, r->d->size};
    rc = train_run(&r->m, &r->ids, training_write_estimate(o, r->v.n), &hook, NULL, res, err);
    char a[32];
    log_info(LOG_VERBOSE, "model averaging: %lld %s, %s sent per round, %.2f s in all",
             (long long)r->sync.rounds, plural(r->sync.rounds, "round", "rounds"), fmt_bytes(a, sizeof a, (double)sync_round_bytes(&r->sync)),
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
    const struct update_kernels *k = update_kernels_named(o->cfg.simd, &why);
    if (k == NULL) {
        err_set(err, "W2V_KERNELS: %s", why.msg);
        return -1;
    }
    log_info(LOG_VERBOSE, "kernels: %s (best on this CPU: %s)", k->name,
             simd_name(simd_best()));
    return 0;
}

/* Checks that each output could be written (outfile_check), creating none. */
static int check_outputs(const struct train_opts *o, struct w2v_err *err)
{
    const char *outputs[] = {o->output, o->save_vocab, o->save_model, o->save_fasttext,
                             o->save_context};
    for (size_t i = 0; i < sizeof outputs / sizeof outputs[0]; i++) {
        if (outputs[i] != NULL && outfile_check(outputs[i], err) != 0) {
            return -1;
        }
    }
    return 0;
}

static int train_and_write(struct run *r, bool *saved, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    double t0 = now_sec();
    report_settings(o);
    if (pick_kernels(&r->o, err) != 0) {
        return -1;
    }
    /* The outputs are checked first, so that a bad path fails before hours of training;
     * each is created only when it is written. */
    int rc = r->d->rank == 0 ? check_outputs(o, err) : 0;
    if (rc == 0 && (o->resume != NULL || o->init != NULL || o->save_model != NULL) &&
        r->d->size > 1) {
        err_set(err, "-save-model, -resume and -init: not in a job of several processes");
        rc = -1;
    }
    if (rc == 0) {
        rc = training_open_start(r, err);
    }
    if (dist_agree(r->d, rc, err) != 0 || training_load_corpus(r, err) != 0 ||
        dist_agree(r->d, training_check_overlap(o, &r->st, err), err) != 0) {
        return -1;
    }
    if (o->classes > r->v.n) {
        err_set(err, "-classes: %lld classes for a vocabulary of %lld words",
                (long long)o->classes, (long long)r->v.n);
        rc = -1;
    }
    if (dist_agree(r->d, rc, err) != 0) {
        return -1;
    }
    r->job_ids = r->ids.n;
    if (dist_sum_i64(r->d, &r->job_ids, 1, err) != 0) {
        r->d->broken = true;
        return -1;
    }
    training_report_reading(r, now_sec() - t0);
    rc = r->d->rank == 0 && o->save_vocab != NULL ? vocab_save(&r->v, o->save_vocab, err) : 0;
    if (dist_agree(r->d, rc, err) != 0) {
        return -1;
    }
    training_report_memory(r);
    rc = r->have_model ? 0 : training_setup_model(r, err);
    if (rc == 0 && r->start.present) {
        training_apply_start(r);
    }
    if (dist_agree(r->d, rc, err) != 0) {
        return -1;
    }
    struct train_result res = {0.0, 0, false};
    rc = train(r, &res, err);
    *saved = res.saved;
    if (rc != 0 || training_finish_output(r, err) != 0) {
        return -1;
    }
    double wall = now_sec() - t0;
    /* A resumed run trains only what its model file had left. */
    double total = (double)r->ids.n * o->cfg.iter;
    double share = o->resume != NULL && total > 0 ? (total - (double)r->from.done) / total : 1.0;
    char a[32];
    char b[32];
    char part[48] = "";
    if (share < 1.0) {
        snprintf(part, sizeof part, " (%.1f%% of them in this run)", 100.0 * share);
    }
    log_info(LOG_NORMAL,
             "done: %s %s x %d %s%s in %.1f s (%s words/s), vocabulary %lld, "
             "loss %.4f", fmt_count(a, sizeof a, (double)r->st.tokens),
             plural(r->st.tokens, "token", "tokens"), o->cfg.iter,
             plural(o->cfg.iter, "epoch", "epochs"), part, wall,
             fmt_count(b, sizeof b,
                       (double)r->st.tokens * o->cfg.iter * share / (wall > 0 ? wall : 1)),
             (long long)r->v.n, res.loss);
    /* what a run's arithmetic can be estimated from (tests/bench.sh does, for the share of
     * the CPU's multiply-add peak) */
    log_info(LOG_VERBOSE, "work: %lld predictions of this process, %.3f per token and epoch",
             (long long)res.pairs, total > 0 ? (double)res.pairs / total : 0.0);
    return 0;
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
    ckpt_state_free(&r->from);
    training_start_free(&r->start);
}

/* Turns the error of a failed run into the one line to print: in a job, prefixed with the
 * rank that failed, and silent (W2V_ERR_ELSEWHERE) on the others; after a signal, the
 * signal and whether the run's state was saved ('saved'). */
static void compose_failure(const struct run *r, bool saved, struct w2v_err *err)
{
    char rank[32] = "";
    if (r->d->size > 1) {
        snprintf(rank, sizeof rank, "rank %d: ", r->d->rank);
    }
    if (!dist_reports(r->d) && !r->d->broken) {
        err_code(err, W2V_ERR_ELSEWHERE);
        return;
    }
    if (err->code == W2V_ERR_STDOUT_CLOSED) {
        return; /* not a failure to tell (cli/report.h) */
    }
    int signo = sig_caught();
    struct w2v_err why = *err;
    if (signo != 0) {
        err_set(err, "%sinterrupted by signal %d (%s); no output written%s%s", rank, signo,
                strsignal(signo), saved ? "; the run's state is in " : "",
                saved ? r->o.save_model : "");
        err_code(err, W2V_ERR_SIGNAL);
        return;
    }
    err_set(err, "%s%s", rank, why.msg);
}

int training_run(struct dist *d, const struct train_opts *o, struct w2v_err *err)
{
    struct run *r = xcalloc(1, sizeof *r);
    r->o = *o;
    r->d = d;
    log_set_level(d->rank == 0 ? o->verbosity : LOG_QUIET);
    sig_install();
#ifdef __GLIBC__
    /* glibc raises its mapping threshold after the first large free, and would then keep
     * spilled id stream blocks in its heap, resident, beyond what -memory allows; and it
     * would give each thread that allocates an arena of its own, reserving 64 MiB of
     * address space each, which an address-space limit (ulimit -v) does not allow. */
    mallopt(M_MMAP_THRESHOLD, TRAINING_MMAP_THRESHOLD);
    mallopt(M_ARENA_MAX, TRAINING_ARENAS);
#endif
    vocab_init(&r->v);
    bool saved = false;
    int rc = train_and_write(r, &saved, err);
    if (rc != 0) {
        compose_failure(r, saved, err);
    }
    release(r);
    free(r);
    return rc;
}
