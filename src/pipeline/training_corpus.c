/* training_corpus: the reading pass of a training run and the vocabulary it builds. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/progress.h"
#include "base/utf8.h"
#include "base/util.h"
#include "base/w2v.h"
#include "mpi/merge.h"
#include "pipeline/training_parts.h"

/* The reading progress display, paced as every stage (progress.h); the fraction done is
 * that of the current input when its size is known. */
struct read_progress {
    struct progress_pace pace;
    uint64_t base;          /* st->bytes when the current input was opened */
    const char *path;
};

static void show_reading(void *ctx, const struct corpus_stats *st, const struct vocab *v,
                         bool done)
{
    struct read_progress *rp = ctx;
    double now = now_sec();
    uint64_t in_file = st->bytes - rp->base;
    double frac = st->input_size > 0 ? (double)in_file / (double)st->input_size : -1.0;
    if (done || !progress_due(&rp->pace, frac, now)) {
        return;
    }
    char mb[32];
    char tok[32];
    char words[32];
    char pct[16] = "";
    if (frac >= 0.0) {
        snprintf(pct, sizeof pct, " (%d%%)", (int)(100.0 * frac));
    }
    double secs = now - rp->pace.t0 > 0 ? now - rp->pace.t0 : 1e-9;
    bool tty = rp->pace.tty;
    log_raw(LOG_NORMAL, "%sreading %s%s: %s read, %s %s, %s distinct, %.1f MB/s%s",
            tty ? "\r" : "w2v: ", rp->path, pct,
            fmt_bytes(mb, sizeof mb, (double)st->bytes), fmt_count(tok, sizeof tok,
            (double)st->tokens), plural(st->tokens, "token", "tokens"),
            fmt_count(words, sizeof words, (double)v->n), (double)st->bytes / 1e6 / secs,
            tty ? "\033[K" : "\n");
    rp->pace.drawn = tty;
}

/* Reads this process's share of every corpus, in order, into the stream, counting words
 * unless 'fixed'. */
static int read_inputs(struct run *r, bool fixed, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    size_t own = TRAINING_BASE_BYTES + corpus_read_bytes(0) + r->start.bytes;
    struct read_progress rp;
    progress_pace_start(&rp.pace);
    struct corpus_limits lim = {.min_count = o->min_count, .progress = show_reading,
                                .ctx = &rp};
    lim.budget = o->memory > own ? o->memory - own : 1;
    lim.table_bytes = fixed ? 0 : lim.budget / 2;
    int rc = 0;
    for (int i = 0; i < r->plan.n && rc == 0; i++) {
        const struct shard_part *part = &r->plan.parts[i];
        rp.path = path_label(part->path, false);
        rp.base = r->st.bytes;
        progress_pace_part(&rp.pace);
        rc = corpus_read_share(part->path, &part->share, &r->v, fixed, &r->ids, &lim, &r->st,
                               err);
    }
    if (rp.pace.drawn) {
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
    size_t need = TRAINING_BASE_BYTES + vocab_bytes_used(&r->v) +
                  vocab_prune_bytes(r->v.n, kept, rows, arena);
    size_t room = o->memory > need ? o->memory - need : 0;
    if (idstream_set_limit(&r->ids, room, err) != 0) {
        return -1;
    }
    r->pruning_peak = need + idstream_mem_bytes(&r->ids);
    return 0;
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
                    "(-min-count)", path_label(o->read_vocab, false), (long long)o->min_count);
            rc = -1;
        }
    }
    if (rc == 0) {
        rc = training_check_fits(r, err);
    }
    if (rc == 0) {
        rc = read_inputs(r, true, err);
    }
    if (dist_agree(r->d, rc, err) != 0 ||
        dist_agree(r->d, shard_check_same(r->d, &r->plan, &r->st, err), err) != 0) {
        return -1;
    }
    if (merge_stats(r->d, &r->st, err) != 0) {
        r->d->broken = true;
        return -1;
    }
    return 0;
}

/* Builds the vocabulary and the id stream, from the corpus alone or from -read-vocab, and
 * fails when the model of that vocabulary does not fit in -memory (check_model_fits). */
int training_load_corpus(struct run *r, struct w2v_err *err)
{
    const struct train_opts *o = &r->o;
    idstream_init(&r->ids, o->memory, o->tmpdir);
    idstream_set_threads(&r->ids, o->cfg.threads);
    int rc = shard_plan(&r->plan, o->corpora, o->ncorpora, r->d->rank, r->d->size, err);
    if (dist_agree(r->d, rc, err) != 0) {
        return -1;
    }
    if (r->have_model) {
        rc = training_check_fits(r, err) != 0 ? -1 : read_inputs(r, true, err);
        return dist_agree(r->d, rc, err);
    }
    if (r->start.present) {
        /* -init: read as a fresh run reads, then merged with the file's words */
        rc = read_inputs(r, false, err);
        rc = rc == 0 ? training_merge_start(r, err) : rc;
        rc = rc == 0 ? training_check_fits(r, err) : rc;
        return dist_agree(r->d, rc, err);
    }
    if (o->read_vocab != NULL) {
        return load_fixed(r, err);
    }
    rc = read_inputs(r, false, err);
    if (dist_agree(r->d, rc, err) != 0 ||
        dist_agree(r->d, shard_check_same(r->d, &r->plan, &r->st, err), err) != 0) {
        return -1;
    }
    if (dist_agree(r->d, before_prune(r, err), err) != 0) {
        return -1;
    }
    rc = merge_vocab(r->d, &r->v, &r->ids, &r->st, o->min_count, o->max_vocab,
                     o->ncorpora == 1 ? path_label(o->corpora[0], false) : "the corpora",
                     &r->d->broken, err);
    if (r->d->broken || dist_agree(r->d, rc, err) != 0) {
        return -1;
    }
    return dist_agree(r->d, training_check_fits(r, err), err);
}


/* After reading the corpus against a fixed vocabulary (-read-vocab, or -init's without
 * -grow-vocab): none of its words in the vocabulary is an error (nothing would be
 * trained), fewer than half a warning. */
int training_check_overlap(const struct train_opts *o, const struct corpus_stats *st,
                           struct w2v_err *err)
{
    const char *fixed = o->read_vocab != NULL ? o->read_vocab
                      : o->init != NULL && !o->grow_vocab ? o->init : NULL;
    const char *opt = o->read_vocab != NULL ? "-read-vocab" : "-init";
    if (fixed == NULL || st->tokens == 0) {
        return 0;
    }
    int64_t known = st->tokens - st->dropped;
    if (known == 0) {
        err_set(err, "%s: none of the %lld %s of %s is in the vocabulary (%s)",
                path_label(fixed, false), (long long)st->tokens,
                plural(st->tokens, "word", "words"),
                o->ncorpora > 1 ? "the corpora" : path_label(o->corpora[0], false), opt);
        return -1;
    }
    if (known < st->tokens - known) {
        log_info(LOG_NORMAL, "warning: only %.1f%% of the corpus's words are in the "
                 "vocabulary of %s %s", 100.0 * (double)known / (double)st->tokens, opt,
                 path_label(fixed, false));
    }
    return 0;
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
void training_report_reading(const struct run *r, double secs)
{
    const struct train_opts *o = &r->o;
    const struct corpus_stats *st = &r->st;
    char a[32];
    char b[32];
    if (st->truncated > 0) {
        log_info(LOG_NORMAL, "warning: %lld %s longer than %d bytes %s cut",
                 (long long)st->truncated, plural(st->truncated, "token", "tokens"),
                 W2V_MAX_WORD, plural(st->truncated, "was", "were"));
    }
    /* Kept tokens: the stream also holds one "</s>" per line end, not counted here. */
    int64_t kept = r->job_ids - st->lines;
    log_info(LOG_NORMAL, "read %s %s in %.1f s (%.1f MB/s): vocabulary %lld words, %s %s "
             "kept", fmt_count(a, sizeof a, (double)st->tokens),
             plural(st->tokens, "token", "tokens"), secs,
             (double)st->bytes / 1e6 / (secs > 0 ? secs : 1e-9), (long long)r->v.n,
             fmt_count(b, sizeof b, (double)kept), plural(kept, "token", "tokens"));
    report_utf8(&r->v);
    if (r->d->size > 1) {
        log_info(LOG_VERBOSE, "%d processes: %s", r->d->size, shard_mode_name(r->plan.mode));
    }
    if (st->prunes > 0) {
        log_info(LOG_NORMAL, "warning: the vocabulary outgrew its share of -memory: %lld "
                 "distinct %s counted fewer than %lld %s %s dropped while reading "
                 "(%s %s); counts near that threshold may be low",
                 (long long)st->pruned_words, plural(st->pruned_words, "word", "words"),
                 (long long)st->threshold, plural(st->threshold, "time", "times"),
                 plural(st->pruned_words, "was", "were"),
                 fmt_count(b, sizeof b, (double)st->pruned_tokens),
                 plural(st->pruned_tokens, "token", "tokens"));
    }
    if (st->pruned_min_count) {
        log_info(LOG_NORMAL, "warning: -memory %s cannot hold every word that reaches "
                 "-min-count %lld: some of them were dropped; raise -memory",
                 fmt_bytes(b, sizeof b, (double)o->memory), (long long)o->min_count);
    }
    if (st->dropped > 0) {
        log_info(o->init != NULL ? LOG_NORMAL : LOG_VERBOSE,
                 "%lld %s not in the %s vocabulary %s dropped", (long long)st->dropped,
                 plural(st->dropped, "token", "tokens"),
                 o->init != NULL || o->resume != NULL ? "model's" : "-read-vocab",
                 plural(st->dropped, "was", "were"));
    }
}
