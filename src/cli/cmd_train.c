/* cmd_train: 'w2v train'. Reads the corpus once into an id stream, builds the vocabulary,
 * trains, writes the vectors; reports every failure as one line and picks the exit code. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checkpoint.h"
#include "cmd.h"
#include "corpus.h"
#include "model.h"
#include "opts.h"
#include "outfile.h"
#include "progress.h"
#include "sig.h"
#include "train.h"
#include "util.h"
#include "vecio.h"
#include "vocab.h"
#include "w2v.h"

/* Resident bytes of the process before the run allocates anything of its own: program,
 * C library, zlib, the output's buffers (measured with a corpus of a few words). */
#define TRAIN_BASE_BYTES (2u << 20)
/* Seconds between reading progress lines when stderr is not a terminal and the input's
 * size is unknown (a pipe). */
#define READ_LINE_SEC 30.0

/* Everything a run owns, so that one function can release it on any path. */
struct run {
    struct train_opts o;
    struct vocab v;
    struct idstream ids;
    struct corpus_stats st;
    size_t reading_peak;    /* bytes at the end of the reading pass */
    size_t pruning_peak;    /* bytes while the vocabulary is sorted and pruned */
    struct model m;
    bool have_model;
    struct outfile out;
    bool out_open;
    struct ckpt_state from;     /* -resume: where the run goes on from */
    struct ckpt_state base;     /* what each saved model file records of the corpus */
};

/* The reading progress display: the training progress's rules (a redrawn line at most
 * PROGRESS_HZ times a second on a terminal, else a line at each tenth of an input). */
struct read_progress {
    bool tty;
    bool drawn;
    double t0;
    double last;
    int decile;
    uint64_t base;          /* st->bytes when the current input was opened */
    const char *path;
};

static void show_reading(void *ctx, const struct corpus_stats *st, const struct vocab *v,
                         bool done)
{
    struct read_progress *rp = ctx;
    double now = now_sec();
    if (log_get_level() < LOG_NORMAL || done) {
        return;
    }
    uint64_t in_file = st->bytes - rp->base;
    int decile = st->input_size > 0 ? (int)(10.0 * (double)in_file / (double)st->input_size) : 0;
    if (rp->tty ? now - rp->last < 1.0 / PROGRESS_HZ
                : (st->input_size > 0 ? decile <= rp->decile || decile >= 10
                                      : now - rp->last < READ_LINE_SEC)) {
        return;
    }
    rp->decile = decile;
    rp->last = now;
    char mb[32];
    char tok[32];
    char words[32];
    char pct[16] = "";
    if (st->input_size > 0) {
        snprintf(pct, sizeof pct, " (%d%%)", (int)(100.0 * (double)in_file /
                                                   (double)st->input_size));
    }
    double secs = now - rp->t0 > 0 ? now - rp->t0 : 1e-9;
    log_raw(LOG_NORMAL, "%sreading %s%s: %s read, %s tokens, %s distinct, %.1f MB/s%s",
            rp->tty ? "\r" : "w2v: ", rp->path, pct,
            fmt_bytes(mb, sizeof mb, (double)st->bytes), fmt_count(tok, sizeof tok,
            (double)st->tokens), fmt_count(words, sizeof words, (double)v->n),
            (double)st->bytes / 1e6 / secs, rp->tty ? "\033[K" : "\n");
    rp->drawn = rp->tty;
}

/* Reads every corpus in order into the stream, counting words unless 'fixed'. */
static int read_inputs(struct run *r, bool fixed, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    size_t own = TRAIN_BASE_BYTES + corpus_read_bytes(0);
    struct read_progress rp = {.tty = isatty(STDERR_FILENO) != 0, .t0 = now_sec()};
    struct corpus_limits lim = {.min_count = o->min_count, .progress = show_reading,
                                .ctx = &rp};
    lim.budget = o->memory > own ? o->memory - own : 1;
    lim.table_bytes = fixed ? 0 : lim.budget / 2;
    int rc = 0;
    for (int i = 0; i < o->ncorpora && rc == 0; i++) {
        rp.path = o->corpora[i];
        rp.base = r->st.bytes;
        rp.decile = 0;
        rc = corpus_read(o->corpora[i], &r->v, fixed, &r->ids, &lim, &r->st, err);
    }
    if (rp.drawn) {
        log_raw(LOG_NORMAL, "\n");
    }
    if (rc == 0) {
        rc = idstream_finish(&r->ids, err);
    }
    r->reading_peak = own + r->st.table_peak + idstream_mem_bytes(&r->ids) +
                      (r->st.prunes > 0 ? corpus_read_bytes(r->v.n) - corpus_read_bytes(0) : 0);
    return rc;
}

/* Before vocab_prune: spills enough of the stream that the sort fits in the budget, and
 * records the peak it will reach. */
static int before_prune(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    int64_t kept = 0;
    size_t arena = 0;
    for (int64_t id = 1; id < r->v.n; id++) {
        if (r->v.count[id] >= o->min_count) {
            kept++;
            arena += strlen(vocab_word(&r->v, (int32_t)id)) + 1;
        }
    }
    size_t need = TRAIN_BASE_BYTES + vocab_bytes_used(&r->v) +
                  vocab_prune_bytes(r->v.n, kept, arena);
    size_t room = o->memory > need ? o->memory - need : 0;
    if (idstream_set_limit(&r->ids, room, err) != 0) {
        return -1;
    }
    r->pruning_peak = need + idstream_mem_bytes(&r->ids);
    return 0;
}

/* What training will hold in memory. */
struct mem_plan {
    size_t fixed;     /* the process, the vocabulary, the stream's remap */
    size_t model;     /* weights and tables */
    size_t extra;     /* the larger of model set-up work and the training threads' buffers */
    size_t stream;    /* id stream blocks in memory */
    size_t training;  /* all of it */
};

static size_t sat_add(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static void plan_training(const struct run *r, struct mem_plan *p)
{
    const struct train_config *c = &r->o.cfg;
    p->fixed = TRAIN_BASE_BYTES + vocab_bytes_used(&r->v);
    p->model = model_bytes(c, r->v.count, r->v.n);
    size_t setup = model_setup_bytes(c, r->v.n);
    size_t threads = (size_t)c->threads * train_thread_bytes(c, &r->ids);
    p->extra = setup > threads ? setup : threads;
    p->stream = idstream_mem_bytes(&r->ids);
    p->training = sat_add(sat_add(p->fixed, p->model), sat_add(p->extra, p->stream));
}

/* Fails when the model does not fit in -memory; otherwise lets the id stream keep in
 * memory what the model leaves of the budget, spilling the rest. */
static int check_model_fits(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    struct mem_plan p;
    plan_training(r, &p);
    size_t need = sat_add(sat_add(p.fixed, p.model), p.extra + IDSTREAM_BLOCK * o->cfg.threads);
    if (need > o->memory) {
        char a[32];
        char b[32];
        char m[32];
        err_set(err, "%s%s is too small: the model of %lld words x %d dimensions needs %s, "
                "%s in all; raise -memory, or shrink the model (-size, -min-count, "
                "-max-vocab)", o->memory_set ? "-memory " : "the default memory bound ",
                fmt_bytes(m, sizeof m, (double)o->memory), (long long)r->v.n, o->cfg.dim,
                fmt_bytes(a, sizeof a, (double)p.model), fmt_bytes(b, sizeof b, (double)need));
        return -1;
    }
    return idstream_set_limit(&r->ids, o->memory - need, err);
}

static void report_memory(const struct run *r)
{
    const struct train_opts *o = &r->o;
    struct mem_plan p;
    plan_training(r, &p);
    size_t peak = p.training;
    peak = r->reading_peak > peak ? r->reading_peak : peak;
    peak = r->pruning_peak > peak ? r->pruning_peak : peak;
    char a[32], b[32], c[32], d[32], e[32], f[32];
    double per = r->ids.n > 0 ? (double)r->ids.bytes / (double)r->ids.n : 0.0;
    log_info(LOG_NORMAL, "memory: about %s at the peak (-memory %s): model %s, "
             "vocabulary %s, id stream %s (%.2f bytes/token), reading pass %s",
             fmt_bytes(a, sizeof a, (double)peak), fmt_bytes(b, sizeof b, (double)o->memory),
             fmt_bytes(c, sizeof c, (double)p.model),
             fmt_bytes(d, sizeof d, (double)(p.fixed - TRAIN_BASE_BYTES)),
             fmt_bytes(e, sizeof e, (double)r->ids.bytes), per,
             fmt_bytes(f, sizeof f, (double)(r->reading_peak > r->pruning_peak ?
                                                 r->reading_peak : r->pruning_peak)));
    if (idstream_spilled(&r->ids)) {
        log_info(LOG_NORMAL, "memory: the id stream keeps %s in memory and %s in an "
                 "unlinked temporary file in %s", fmt_bytes(a, sizeof a, (double)p.stream),
                 fmt_bytes(b, sizeof b, (double)r->ids.file_len), idstream_dir(&r->ids));
    } else {
        log_info(LOG_VERBOSE, "memory: the id stream is in memory");
    }
}

/* Builds the vocabulary and the id stream, from the corpus alone or from -read-vocab. */
static int load_corpus(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    const char *first = o->corpora[0];
    idstream_init(&r->ids, o->memory, o->tmpdir);
    if (r->have_model) {
        return check_model_fits(r, err) != 0 ? -1 : read_inputs(r, true, err);
    }
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
        if (check_model_fits(r, err) != 0) {
            return -1;
        }
        return read_inputs(r, true, err);
    }
    if (read_inputs(r, false, err) != 0) {
        return -1;
    }
    if (r->st.tokens == 0) {
        err_set(err, "%s: no words in the corpus", o->ncorpora > 1 ? "corpora" : first);
        return -1;
    }
    if (before_prune(r, err) != 0) {
        return -1;
    }
    int32_t *map = NULL;
    vocab_prune(&r->v, o->min_count, o->max_vocab, &map);
    int rc = idstream_remap(&r->ids, map, err);
    free(map);
    if (rc == 0 && r->v.n <= 1) {
        err_set(err, "%s: empty vocabulary: no word occurs at least %lld times (-min-count)",
                o->ncorpora > 1 ? "corpora" : first, (long long)o->min_count);
        return -1;
    }
    return rc;
}

/* -resume and -init: the model, its vocabulary and settings come from the model file. */
static int open_model_file(struct run *r, struct w2v_err *err)
{
    struct train_opts *o = &r->o;
    const char *path = o->resume != NULL ? o->resume : o->init;
    if (path == NULL) {
        return 0;
    }
    vocab_free(&r->v);
    if (ckpt_load(path, &r->m, &r->v, &r->from, err) != 0) {
        vocab_init(&r->v);
        return -1;
    }
    r->have_model = true;
    struct train_config *c = &r->m.cfg;
    if (o->resume != NULL) {
        if (r->from.finished) {
            err_set(err, "%s: this model file is of a finished run; use -init to train it "
                    "further", path);
            return -1;
        }
        o->cfg = *c;
        o->min_count = r->from.min_count;
        o->max_vocab = r->from.max_vocab;
        return 0;
    }
    c->iter = o->cfg.iter;
    c->alpha = o->alpha_given ? o->cfg.alpha : c->kind == MODEL_CBOW ? OPT_ALPHA_CBOW
                                                                      : OPT_ALPHA_SG;
    c->threads = o->cfg.threads;
    c->seed = o->cfg.seed;
    o->cfg = *c;
    o->min_count = r->from.min_count;
    o->max_vocab = r->from.max_vocab;
    ckpt_state_free(&r->from);
    return 0;
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
                r->o.ncorpora > 1 ? "corpora" : r->o.corpora[0], r->o.resume,
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

/* Trains, from the start or from -resume's state, saving model files as asked. */
static int train_with_files(struct run *r, struct train_result *res, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
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
    return train_run(&r->m, &r->ids, files ? &ck : NULL, res, err);
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

static int run_train(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    double t0 = now_sec();
    /* The output is created first, so that a bad path fails before hours of training. */
    if (outfile_open(&r->out, o->output, ends_with(o->output, ".gz"), err) != 0) {
        return -1;
    }
    r->out_open = true;
    if (open_model_file(r, err) != 0) {
        return -1;
    }
    report_settings(o);
    if (load_corpus(r, err) != 0 || check_model_fits(r, err) != 0) {
        return -1;
    }
    const struct corpus_stats *st = &r->st;
    char a[32];
    char b[32];
    if (st->truncated > 0) {
        log_info(LOG_NORMAL, "warning: %lld tokens longer than %d bytes were cut",
                 (long long)st->truncated, W2V_MAX_WORD);
    }
    double secs = now_sec() - t0;
    log_info(LOG_NORMAL, "read %s tokens in %.1f s (%.1f MB/s): vocabulary %lld words",
             fmt_count(a, sizeof a, (double)st->tokens), secs,
             (double)st->bytes / 1e6 / (secs > 0 ? secs : 1e-9), (long long)r->v.n);
    if (st->prunes > 0) {
        log_info(LOG_NORMAL, "warning: the vocabulary outgrew its share of -memory: %lld "
                 "distinct words counted fewer than %lld times were dropped while reading "
                 "(%s tokens); counts near that threshold may be low",
                 (long long)st->pruned_words, (long long)st->threshold,
                 fmt_count(b, sizeof b, (double)st->pruned_tokens));
    }
    if (st->pruned_min_count) {
        log_info(LOG_NORMAL, "warning: -memory %s cannot hold every word counted -min-count "
                 "(%lld) times: some of them were dropped; raise -memory",
                 fmt_bytes(b, sizeof b, (double)o->memory), (long long)o->min_count);
    }
    if (st->dropped > 0) {
        log_info(o->init != NULL ? LOG_NORMAL : LOG_VERBOSE,
                 "%lld tokens not in the %s vocabulary were dropped", (long long)st->dropped,
                 r->have_model ? "model's" : "-read-vocab");
    }
    if (o->save_vocab != NULL && vocab_save(&r->v, o->save_vocab, err) != 0) {
        return -1;
    }
    report_memory(r);
    if (!r->have_model && model_new(&r->m, &o->cfg, r->v.count, r->v.n, err) != 0) {
        return -1;
    }
    r->have_model = true;
    struct train_result res;
    if (train_with_files(r, &res, err) != 0) {
        return -1;
    }
    if (vecio_write(&r->out, &r->v, r->m.in, o->cfg.dim, opts_binary_output(o), err) != 0) {
        return -1;
    }
    r->out_open = false;
    if (outfile_commit(&r->out, err) != 0) {
        return -1;
    }
    double wall = now_sec() - t0;
    log_info(LOG_NORMAL,
             "done: %s tokens x %d epochs in %.1f s (%s words/s), vocabulary %lld, loss %.4f",
             fmt_count(a, sizeof a, (double)st->tokens), o->cfg.iter, wall,
             fmt_count(b, sizeof b, (double)st->tokens * o->cfg.iter / (wall > 0 ? wall : 1)),
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
        opts_free(&r->o);
        free(r);
        return W2V_EXIT_USAGE;
    }
    if (r->o.help) {
        opts_usage(stdout);
        opts_free(&r->o);
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
            log_error("interrupted by signal %d; no output written%s%s", signo,
                      r->o.checkpoint_sec > 0.0 && strstr(err.msg, "state was saved") != NULL
                          ? "; the run's state is in " : "",
                      r->o.checkpoint_sec > 0.0 && strstr(err.msg, "state was saved") != NULL
                          ? r->o.save_model : "");
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
    ckpt_state_free(&r->from);
    opts_free(&r->o);
    free(r);
    return status;
}
