/* cmd_train: 'w2v train'. Reads the corpus once into an id stream, builds the vocabulary,
 * trains, writes the vectors; reports every failure as one line and picks the exit code.
 * Under mpirun every process runs this with its share of the corpus (src/dist): each step
 * that can fail on one process ends in an agreement, so that all stop together; rank 0
 * alone prints progress and writes files, and only the failing rank prints its error. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "train/checkpoint.h"
#include "cli/cmd.h"
#include "text/corpus.h"
#include "mpi/dist.h"
#include "mpi/merge.h"
#include "query/kmeans.h"
#include "train/model.h"
#include "cli/opts.h"
#include "io/outfile.h"
#include "base/progress.h"
#include "mpi/shard.h"
#include "base/sig.h"
#include "mpi/sync.h"
#include "train/train.h"
#include "train/update.h"
#include "base/utf8.h"
#include "base/util.h"
#include "io/vecfile.h"
#include "text/vocab.h"
#include "base/w2v.h"

/* Resident bytes of the process before the run allocates anything of its own: program,
 * C library, zlib, the output's buffers (measured with a corpus of a few words). */
#define TRAIN_BASE_BYTES (2u << 20)
/* Allocations at least this large get mappings of their own, returned to the system when
 * freed (below the id stream's blocks and the reader's chunks). */
#define TRAIN_MMAP_THRESHOLD (256u << 10)
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
    struct dist d;
    struct shard_plan plan;
    struct dist_sync sync;
    bool broken;   /* the processes are out of step: abort the job (see also d.broken) */
    int64_t job_ids; /* ids kept over the job */
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

/* Reads this process's share of every corpus, in order, into the stream, counting words
 * unless 'fixed'. */
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
    for (int i = 0; i < r->plan.n && rc == 0; i++) {
        const struct shard_part *part = &r->plan.parts[i];
        rp.path = part->path;
        rp.base = r->st.bytes;
        rp.decile = 0;
        rc = corpus_read_share(part->path, &part->share, &r->v, fixed, &r->ids, &lim, &r->st,
                               err);
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
    for (int64_t id = 1; id < r->v.n; id++) {
        kept += r->v.count[id] >= o->min_count;
    }
    int64_t rows = first_n(o->max_vocab > 0 ? o->max_vocab - 1 : 0, kept);
    /* The spellings of the rows kept: their share of the arena, as an estimate. */
    size_t arena = r->v.n > 1 ? (size_t)((double)r->v.words.arena_len * (double)rows /
                                         (double)(r->v.n - 1)) : 0;
    size_t need = TRAIN_BASE_BYTES + vocab_bytes_used(&r->v) +
                  vocab_prune_bytes(r->v.n, kept, rows, arena);
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
    size_t threads = (size_t)c->threads * train_thread_bytes(c, r->v.n, &r->ids);
    p->extra = setup > threads ? setup : threads;
    if (r->o.classes > 0) {
        /* -classes: a unit-length copy of the vectors and a class per word, at the end */
        size_t kmeans = (size_t)r->v.n * ((size_t)c->dim * sizeof(float) + sizeof(int32_t));
        p->extra = kmeans > p->extra ? kmeans : p->extra;
    }
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
    int64_t pieces = train_pieces(r->ids.n);
    if (pieces > 1) {
        log_info(LOG_VERBOSE, "order: each epoch goes out in %lld pieces of about %lld words, "
                 "%s, each to the next thread that is free", (long long)pieces,
                 (long long)(r->ids.n / pieces),
                 o->cfg.ordered ? "in the text's order" : "in a random order (-shuffle)");
    }
    int32_t hot = train_hot_rows(&o->cfg, r->v.n);
    if (hot > 0) {
        /* The tiers as "every N words (the R most frequent), ..., every N words (all)". */
        char tiers[256];
        size_t at = 0;
        for (int t = 0; t <= TRAIN_MERGE_TIERS && at < sizeof tiers; t++) {
            int32_t rows = train_merge_tier_rows(t);
            long long every = (long long)train_merge_every(o->cfg.threads, t);
            if (rows >= hot) {
                snprintf(tiers + at, sizeof tiers - at, "%severy %lld words (all)",
                         at > 0 ? " and " : "", every);
                break;
            }
            at += (size_t)snprintf(tiers + at, sizeof tiers - at,
                                   "%severy %lld words (the %d most frequent)",
                                   at > 0 ? ", " : "", every, (int)rows);
        }
        log_info(LOG_VERBOSE, "threads: each keeps its own copy of the rows of the %lld most "
                 "frequent words%s (%s), merged into the model %s", (long long)hot,
                 o->cfg.hs ? " and of as many tree nodes nearest the root" : "",
                 fmt_bytes(a, sizeof a, (double)update_replica_bytes(&o->cfg, hot)), tiers);
    }
}

/* Builds the vocabulary from -read-vocab and reads the corpus against it; every process
 * reads the vocabulary file. */
static int load_fixed(struct run *r, struct w2v_err *err)
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
        rc = check_model_fits(r, err);
    }
    if (rc == 0) {
        rc = read_inputs(r, true, err);
    }
    if (dist_agree(&r->d, rc, err) != 0 ||
        dist_agree(&r->d, shard_check_same(&r->d, &r->plan, &r->st, err), err) != 0) {
        return -1;
    }
    r->broken = merge_stats(&r->d, &r->st, err) != 0;
    return r->broken ? -1 : 0;
}

/* Builds the vocabulary and the id stream, from the corpus alone or from -read-vocab, and
 * fails when the model of that vocabulary does not fit in -memory (check_model_fits). */
static int load_corpus(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    idstream_init(&r->ids, o->memory, o->tmpdir);
    int rc = shard_plan(&r->plan, o->corpora, o->ncorpora, r->d.rank, r->d.size, err);
    if (dist_agree(&r->d, rc, err) != 0) {
        return -1;
    }
    if (r->have_model) {
        rc = check_model_fits(r, err) != 0 ? -1 : read_inputs(r, true, err);
        return dist_agree(&r->d, rc, err);
    }
    if (o->read_vocab != NULL) {
        return load_fixed(r, err);
    }
    rc = read_inputs(r, false, err);
    if (dist_agree(&r->d, rc, err) != 0 ||
        dist_agree(&r->d, shard_check_same(&r->d, &r->plan, &r->st, err), err) != 0) {
        return -1;
    }
    if (dist_agree(&r->d, before_prune(r, err), err) != 0) {
        return -1;
    }
    rc = merge_vocab(&r->d, &r->v, &r->ids, &r->st, o->min_count, o->max_vocab,
                     o->ncorpora == 1 ? o->corpora[0] : "the corpora", &r->broken, err);
    if (r->broken || dist_agree(&r->d, rc, err) != 0) {
        return -1;
    }
    return dist_agree(&r->d, check_model_fits(r, err), err);
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
    c->simd = o->cfg.simd; /* the kernels are this machine's, not the saving one's */
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
    opts_take_run(o, c);
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

static double write_estimate(const struct train_opts *o, int64_t rows);

/* Trains, alone or as one process of a job whose models are averaged (src/dist/sync.h). */
static int train(struct run *r, struct train_result *res, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    if (r->d.size <= 1) {
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
        return train_run_hooked(&r->m, &r->ids, write_estimate(o, r->v.n), NULL,
                                files ? &ck : NULL, res, err);
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
    rc = train_run_hooked(&r->m, &r->ids, write_estimate(o, r->v.n), &hook, NULL, res, err);
    char a[32];
    log_info(LOG_VERBOSE, "model averaging: %lld rounds, %s sent per round, %.2f s in all",
             (long long)r->sync.rounds, fmt_bytes(a, sizeof a, (double)sync_round_bytes(&r->sync)),
             r->sync.busy);
    return rc;
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
    struct named_file *f = xcalloc((size_t)o->ncorpora + 3, sizeof *f);
    int n = 0;
    for (int i = 0; i < o->ncorpora; i++) {
        f[n++] = (struct named_file){o->corpora[i], "the corpus", false};
    }
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
                    free(f);
                    return -1;
                }
                continue;
            }
            bool both_std = strcmp(f[i].path, "-") == 0 && strcmp(f[j].path, "-") == 0;
            if (both_std && f[i].output == f[j].output) {
                err_set(err, "%s and %s are both standard output", f[i].option, f[j].option);
                free(f);
                return -1;
            }
            if (!both_std && strcmp(f[i].path, "-") != 0 && strcmp(f[j].path, "-") != 0 &&
                same_file(f[i].path, f[j].path)) {
                err_set(err, "%s: %s and %s name the same file", f[j].path, f[i].option,
                        f[j].option);
                free(f);
                return -1;
            }
        }
    }
    free(f);
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
                o->read_vocab, (long long)st->tokens,
                o->ncorpora > 1 ? "the corpora" : o->corpora[0]);
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

/* Models with weights at least this large show the progress of their set-up (the first
 * touch of every page: 1.5 to 2.7 ns per byte measured on a shared 2-core AMD EPYC, so a
 * second or more); with -v every model shows it. */
#define SETUP_SHOWN_BYTES (512.0 * 1024 * 1024)

/* Sets up the model; a large one is announced and its set-up shows a time left. */
static int setup_model(struct run *r, struct w2v_err *err)
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
    int rc = model_new(&r->m, &o->cfg, r->v.count, r->v.n, show ? &pr : NULL, err);
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
    int rc = vec_write(&r->out, &r->v.words, r->m.in, o->cfg.dim, binary, err);
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

/* Writes the vectors or the classes (rank 0 alone) and agrees on the outcome. */
static int finish_output(struct run *r, struct w2v_err *err)
{
    int rc = 0;
    if (r->d.rank == 0 && r->o.classes > 0) {
        rc = write_classes(r, err);
        if (rc == 0) {
            r->out_open = false;
            rc = outfile_commit(&r->out, err);
        }
    } else if (r->d.rank == 0) {
        rc = write_vectors(r, err);
    }
    return dist_agree(&r->d, rc, err);
}

/* Warns once when words of the final vocabulary are not valid UTF-8: they are written as
 * they came (as word2vec does), but a reader that decodes UTF-8 strictly, gensim's by
 * default, fails on the vectors file. */
static void report_utf8(const struct vocab *v)
{
    int64_t bad = 0;
    int32_t first = -1;
    for (int32_t id = 1; id < v->n; id++) {
        const char *w = vocab_word(v, id);
        if (!utf8_valid(w, strlen(w))) {
            first = bad++ == 0 ? id : first;
        }
    }
    if (bad > 0) {
        const char *w = vocab_word(v, first);
        char shown[UTF8_ESCAPE_GROWTH * W2V_MAX_WORD + 1];
        utf8_escape(w, strlen(w), shown);
        log_info(LOG_NORMAL, "warning: %lld %s of the vocabulary %s not valid UTF-8 (the "
                 "first: '%s'); gensim reads such a file with unicode_errors='replace'",
                 (long long)bad, bad == 1 ? "word" : "words", bad == 1 ? "is" : "are", shown);
    }
}

/* The summary of the reading pass, with its warnings. */
static void report_reading(const struct run *r, double secs)
{
    const struct train_opts *o = &r->o;
    const struct corpus_stats *st = &r->st;
    char a[32];
    char b[32];
    if (st->truncated > 0) {
        log_info(LOG_NORMAL, "warning: %lld tokens longer than %d bytes were cut",
                 (long long)st->truncated, W2V_MAX_WORD);
    }
    /* Kept tokens: the stream also holds one "</s>" per line end, not counted here. */
    log_info(LOG_NORMAL, "read %s tokens in %.1f s (%.1f MB/s): vocabulary %lld words, %s "
             "tokens kept", fmt_count(a, sizeof a, (double)st->tokens), secs,
             (double)st->bytes / 1e6 / (secs > 0 ? secs : 1e-9), (long long)r->v.n,
             fmt_count(b, sizeof b, (double)(r->job_ids - st->lines)));
    report_utf8(&r->v);
    if (r->d.size > 1) {
        log_info(LOG_VERBOSE, "%d processes: %s", r->d.size, shard_mode_name(r->plan.mode));
    }
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
                 o->init != NULL || o->resume != NULL ? "model's" : "-read-vocab");
    }
}

static int train_and_write(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    double t0 = now_sec();
    report_settings(o);
    if (pick_kernels(&r->o, err) != 0) {
        return -1;
    }
    /* The output is created first, so that a bad path fails before hours of training. */
    int rc = r->d.rank == 0 ? outfile_open(&r->out, o->output, ends_with(o->output, ".gz"), err)
                            : 0;
    r->out_open = r->d.rank == 0 && rc == 0;
    if (rc == 0 && (o->resume != NULL || o->init != NULL || o->save_model != NULL) &&
        r->d.size > 1) {
        err_set(err, "-save-model, -resume and -init: not in a job of several processes");
        rc = -1;
    }
    if (rc == 0) {
        rc = open_model_file(r, err);
    }
    if (dist_agree(&r->d, rc, err) != 0 || load_corpus(r, err) != 0 ||
        dist_agree(&r->d, check_overlap(o, &r->st, err), err) != 0) {
        return -1;
    }
    if (o->classes > r->v.n) {
        err_set(err, "-classes: %lld classes for a vocabulary of %lld words",
                (long long)o->classes, (long long)r->v.n);
        rc = -1;
    }
    if (dist_agree(&r->d, rc, err) != 0) {
        return -1;
    }
    r->job_ids = r->ids.n;
    if (dist_sum_i64(&r->d, &r->job_ids, 1, err) != 0) {
        r->broken = true;
        return -1;
    }
    report_reading(r, now_sec() - t0);
    rc = r->d.rank == 0 && o->save_vocab != NULL ? vocab_save(&r->v, o->save_vocab, err) : 0;
    if (dist_agree(&r->d, rc, err) != 0) {
        return -1;
    }
    report_memory(r);
    rc = r->have_model ? 0 : setup_model(r, err);
    if (dist_agree(&r->d, rc, err) != 0) {
        return -1;
    }
    struct train_result res;
    if (train(r, &res, err) != 0 || finish_output(r, err) != 0) {
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
             "done: %s tokens x %d epochs%s in %.1f s (%s words/s), vocabulary %lld, "
             "loss %.4f", fmt_count(a, sizeof a, (double)r->st.tokens), o->cfg.iter, part, wall,
             fmt_count(b, sizeof b,
                       (double)r->st.tokens * o->cfg.iter * share / (wall > 0 ? wall : 1)),
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
            bool saved = strstr(err->msg, "state was saved") != NULL;
            log_error("%sinterrupted by signal %d (%s); no output written%s%s", rank, signo,
                      strsignal(signo), saved ? "; the run's state is in " : "",
                      saved ? r->o.save_model : "");
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
    ckpt_state_free(&r->from);
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
    if (opts_parse(&r->o, argc, argv, &err) != 0 ||
        (!r->o.help && check_files(&r->o, &err) != 0)) {
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
#ifdef __GLIBC__
        /* glibc raises its mapping threshold after the first large free, and would then
         * keep spilled id stream blocks in its heap, resident, beyond what -memory allows. */
        mallopt(M_MMAP_THRESHOLD, TRAIN_MMAP_THRESHOLD);
#endif
        vocab_init(&r->v);
        status = train_and_write(r, &err) == 0 ? W2V_EXIT_OK : report_failure(r, &err);
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
