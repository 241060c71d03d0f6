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
    p->fixed = TRAINING_BASE_BYTES + vocab_bytes_used(&r->v);
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
int training_check_fits(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    struct mem_plan p;
    plan_training(r, &p);
    size_t need = sat_add(sat_add(p.fixed, p.model), p.extra + IDSTREAM_BLOCK * o->cfg.threads);
    if (need > o->memory) {
        char a[32];
        char b[32];
        char m[32];
        err_set(err, "%s%s is too small: the model of %lld words x %d %s needs %s, "
                "%s in all; raise -memory, or shrink the model (-size, -min-count, "
                "-max-vocab)", o->memory_set ? "-memory " : "the default memory bound ",
                fmt_bytes(m, sizeof m, (double)o->memory), (long long)r->v.n, o->cfg.dim,
                plural(o->cfg.dim, "dimension", "dimensions"),
                fmt_bytes(a, sizeof a, (double)p.model), fmt_bytes(b, sizeof b, (double)need));
        return -1;
    }
    return idstream_set_limit(&r->ids, o->memory - need, err);
}

void training_report_memory(const struct run *r)
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
             fmt_bytes(d, sizeof d, (double)(p.fixed - TRAINING_BASE_BYTES)),
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
    int64_t pieces = schedule_pieces(r->ids.n);
    if (pieces > 1) {
        log_info(LOG_VERBOSE, "order: each epoch goes out in %lld pieces of about %lld words, "
                 "%s, each to the next thread that is free", (long long)pieces,
                 (long long)(r->ids.n / pieces),
                 o->cfg.ordered ? "in the text's order" : "in a random order (-shuffle)");
    }
    int32_t hot = replica_rows(&o->cfg, r->v.n);
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
