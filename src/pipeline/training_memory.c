/* training_memory: what a training run holds in memory, checked against -memory and
 * reported before the model is set up. */
#include <stdio.h>

#include "base/util.h"
#include "pipeline/training_parts.h"
#include "train/replica.h"
#include "train/schedule.h"
#include "train/train.h"

/* What training will hold in memory. */
struct mem_plan {
    size_t fixed;     /* the process, the vocabulary, the stream's remap */
    size_t model;     /* weights and tables */
    size_t thread;    /* one training thread: buffers, stack, its copies of frequent rows */
    size_t threads;   /* all of them */
    size_t extra;     /* the larger of model set-up work, the threads and k-means */
    size_t stream;    /* id stream blocks in memory */
    size_t training;  /* all of it */
};

static size_t sat_add(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static size_t sat_mul(size_t a, size_t b)
{
    size_t out;
    return mul_size(a, b, &out) ? out : SIZE_MAX;
}

static void plan_training(const struct run *r, struct mem_plan *p)
{
    const struct train_config *c = &r->o.cfg;
    p->fixed = TRAINING_BASE_BYTES + vocab_bytes_used(&r->v);
    p->model = model_bytes(c, r->v.count, &r->v.words, r->v.n);
    /* -init's rows are held until the model set up takes them */
    size_t setup = model_setup_bytes(c, r->v.n) + r->start.bytes;
    p->thread = train_thread_bytes(c, r->v.n, &r->ids);
    p->threads = sat_mul((size_t)c->threads, p->thread);
    p->extra = setup > p->threads ? setup : p->threads;
    if (r->o.classes > 0) {
        /* -classes: a unit-length copy of the vectors and a class per word, at the end */
        size_t kmeans = (size_t)r->v.n * ((size_t)c->dim * sizeof(float) + sizeof(int32_t));
        p->extra = kmeans > p->extra ? kmeans : p->extra;
    }
    p->stream = idstream_mem_bytes(&r->ids);
    p->training = sat_add(sat_add(p->fixed, p->model), sat_add(p->extra, p->stream));
}

/* The least memory training needs with the plan 'p': everything but the id stream, of which
 * each thread needs one block. */
static size_t least_need(const struct train_opts *o, const struct mem_plan *p)
{
    return sat_add(sat_add(p->fixed, p->model),
                   sat_add(p->extra, sat_mul(IDSTREAM_BLOCK, (size_t)o->cfg.threads)));
}

/* The threads' copies of the frequent rows make training faster but are not needed: when
 * the default number does not fit in -memory beside the whole id stream, each thread
 * copies fewer rows, down to none (the stream spills only once they are gone). */
static void fit_copies(struct run *r)
{
    struct train_config *c = &r->o.cfg;
    c->copies = 0;
    int32_t hot = replica_rows(c, r->v.n);
    if (hot > 0) {
        struct mem_plan p;
        plan_training(r, &p);
        size_t stream = sat_mul((size_t)r->ids.nblk, IDSTREAM_BLOCK); /* all in memory */
        size_t others = sat_add(sat_add(p.fixed, p.model), stream);
        if (sat_add(others, p.threads) > r->o.memory) {
            size_t per_row = replica_bytes(c, 1);
            size_t room = r->o.memory > others ? (r->o.memory - others) / (size_t)c->threads
                                               : 0;
            size_t base = p.thread - replica_bytes(c, hot);
            int64_t fit = room > base ? (int64_t)((room - base) / per_row) : 0;
            hot = fit < hot ? (int32_t)fit : hot;
            c->copies = hot > 0 ? hot : REPLICA_NONE;
        }
    }
    if (r->have_model) {
        r->m.cfg.copies = c->copies;
    }
}

int training_check_fits(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    fit_copies(r);
    struct mem_plan p;
    plan_training(r, &p);
    size_t need = least_need(o, &p);
    if (need > o->memory) {
        char a[32];
        char b[32];
        char m[32];
        char threads[96] = "";
        if (p.threads >= need / 4) {
            char t[32];
            snprintf(threads, sizeof threads, ", or use fewer -threads (%d, %s each)",
                     o->cfg.threads, fmt_bytes(t, sizeof t, (double)p.thread));
        }
        err_set(err, "%s%s is too small: the model of %lld words x %d %s needs %s, "
                "%s in all; raise -memory, or shrink the model (-size, -min-count, "
                "-max-vocab%s)%s", o->memory_set ? "-memory " : "the default memory bound ",
                fmt_bytes(m, sizeof m, (double)o->memory), (long long)r->v.n, o->cfg.dim,
                plural(o->cfg.dim, "dimension", "dimensions"),
                fmt_bytes(a, sizeof a, (double)p.model), fmt_bytes(b, sizeof b, (double)need),
                model_subwords(&o->cfg) ? ", -bucket" : "", threads);
        return -1;
    }
    return idstream_set_limit(&r->ids, o->memory - need, err);
}

/* The rows each thread would copy by default. */
static int32_t default_copies(const struct train_opts *o, int64_t n)
{
    struct train_config c = o->cfg;
    c.copies = 0;
    return replica_rows(&c, n);
}

void training_report_memory(const struct run *r)
{
    const struct train_opts *o = &r->o;
    struct mem_plan p;
    plan_training(r, &p);
    size_t peak = p.training;
    peak = r->reading_peak > peak ? r->reading_peak : peak;
    peak = r->pruning_peak > peak ? r->pruning_peak : peak;
    char a[32], b[32], c[32], d[32], e[32], f[32], g[32];
    double per = r->ids.n > 0 ? (double)r->ids.bytes / (double)r->ids.n : 0.0;
    log_info(LOG_NORMAL, "memory: about %s at the peak (-memory %s): model %s, "
             "vocabulary %s, id stream %s (%.2f bytes/token), %d training thread%s %s each, "
             "reading pass %s",
             fmt_bytes(a, sizeof a, (double)peak), fmt_bytes(b, sizeof b, (double)o->memory),
             fmt_bytes(c, sizeof c, (double)p.model),
             fmt_bytes(d, sizeof d, (double)(p.fixed - TRAINING_BASE_BYTES)),
             fmt_bytes(e, sizeof e, (double)r->ids.bytes), per, o->cfg.threads,
             o->cfg.threads == 1 ? "" : "s", fmt_bytes(g, sizeof g, (double)p.thread),
             fmt_bytes(f, sizeof f, (double)(r->reading_peak > r->pruning_peak ?
                                                 r->reading_peak : r->pruning_peak)));
    if (r->start.bytes > 0) {
        log_info(LOG_NORMAL, "memory: the rows of -init %s take %s until the model is set up",
                 path_label(o->init, false), fmt_bytes(a, sizeof a, (double)r->start.bytes));
    }
    if (model_subwords(&o->cfg)) {
        size_t buckets = (size_t)o->cfg.bucket * (size_t)o->cfg.dim * sizeof(float);
        log_info(LOG_NORMAL, "memory: the model holds %lld n-gram buckets of %d floats, %s "
                 "(-bucket sets how many)", (long long)o->cfg.bucket, o->cfg.dim,
                 fmt_bytes(a, sizeof a, (double)buckets));
    }
    if (idstream_spilled(&r->ids)) {
        log_info(LOG_NORMAL, "memory: the id stream keeps %s in memory and %s in an "
                 "unlinked temporary file in %s", fmt_bytes(a, sizeof a, (double)p.stream),
                 fmt_bytes(b, sizeof b, (double)r->ids.file_len), idstream_dir(&r->ids));
    } else {
        log_info(LOG_VERBOSE, "memory: the id stream is in memory");
    }
    int64_t pieces = schedule_pieces(r->ids.n);
    if (pieces > 1) {
        log_info(LOG_VERBOSE, "order: each epoch goes out in %lld pieces of about %lld words, "
                 "%s, each to the next thread that is free", (long long)pieces,
                 (long long)(r->ids.n / pieces),
                 o->cfg.ordered ? "in the text's order" : "in a random order (-shuffle)");
    }
    int32_t hot = replica_rows(&o->cfg, r->v.n);
    if (o->cfg.copies != 0) {
        char rows[48] = "none";
        if (hot > 0) {
            snprintf(rows, sizeof rows, "only %lld", (long long)hot);
        }
        log_info(LOG_NORMAL, "memory: each training thread copies %s of the frequent words' "
                 "rows (the default: %lld) to fit in -memory %s; more memory would train "
                 "faster", rows, (long long)default_copies(o, r->v.n),
                 fmt_bytes(a, sizeof a, (double)o->memory));
    }
    if (hot > 0) {
        /* The tiers as "every N words (the R most frequent), ..., every N words (all)". */
        char tiers[256];
        size_t at = 0;
        for (int t = 0; t <= REPLICA_TIERS && at < sizeof tiers; t++) {
            int32_t rows = replica_tier_rows(t);
            long long every = (long long)replica_every(o->cfg.threads, t);
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
                 fmt_bytes(a, sizeof a, (double)replica_bytes(&o->cfg, hot)), tiers);
    }
}
