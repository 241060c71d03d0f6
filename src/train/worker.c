/* worker: a training thread's loop. */
#include "train/worker.h"

#include <string.h>

#include "train/replica.h"
#include "train/train.h"

float worker_rate(const struct shared *sh, int64_t done)
{
    double left = 1.0 - (double)done / (double)(sh->total + 1);
    if (left < TRAIN_MIN_ALPHA) {
        left = TRAIN_MIN_ALPHA;
    }
    return (float)(sh->m->cfg.alpha * left);
}

/* What by_tier does to a range of copied rows: replica_merge or replica_fill. */
typedef void tier_op(struct update_state *st, struct model *m, int32_t from, int32_t to);

/* Takes 'lock', waiting for it when 'wait'; otherwise returns false at once when another
 * thread holds it. */
static bool take_lock(pthread_mutex_t *lock, bool wait)
{
    if (wait) {
        pthread_mutex_lock(lock);
        return true;
    }
    return pthread_mutex_trylock(lock) == 0;
}

/* Applies 'op' to w's copies of the rows of the words [0, rows) and to the tiers in
 * w->owed, one tier's own rows at a time, each under that tier's lock: no change merged is
 * lost to another thread's merge of the same row, and a thread merging its most frequent
 * rows need not wait while another merges the rows of a larger tier, which takes far
 * longer. A tier another thread holds is waited for when 'wait' or when it was owed
 * already, else put off (its bit set in w->owed) to the next stretch (merge_due), so that
 * a thread seldom waits and is never more than a stretch late. */
static void by_tier(struct worker *w, tier_op *op, int32_t rows, bool wait)
{
    uint32_t owed = 0;
    int32_t from = 0;
    for (int tier = 0; tier <= REPLICA_TIERS && from < w->st.hot; tier++) {
        int32_t to = replica_tier_rows(tier);
        uint32_t bit = 1u << tier;
        bool was_owed = (w->owed & bit) != 0;
        if (from < rows || was_owed) {
            pthread_mutex_t *lock = &w->sh->merging[tier];
            if (take_lock(lock, wait || was_owed)) {
                op(&w->st, w->sh->m, from, to);
                pthread_mutex_unlock(lock);
            } else {
                owed |= bit;
            }
        }
        from = to;
    }
    w->owed = owed;
}

/* Counts 'taken' more positions and merges the tiers that are due or owed. */
static void merge_due(struct worker *w, int64_t taken)
{
    if (w->st.hot <= 0) {
        return;
    }
    int64_t before = w->trained;
    w->trained += taken;
    int32_t rows = replica_due(w->sh->m->cfg.threads, before, w->trained);
    if (rows > 0 || w->owed != 0) {
        by_tier(w, replica_merge, rows, false);
    }
}

/* Trains the sentence in w->sentence ('len' words, 'taken' stream positions) in stretches
 * of TRAIN_STRETCH words, counting each stretch's share of the positions toward the merges
 * before it (the shares add up to 'taken'). With one thread this is the same sequence of
 * steps as one call for the whole sentence. */
static void train_sentence(struct worker *w, int len, int64_t taken, float lr)
{
    const struct update_kernels *k = w->sh->kern;
    int from = 0;
    do {
        int to = len - from > TRAIN_STRETCH ? from + TRAIN_STRETCH : len;
        int64_t share = to == len ? taken : taken * (to - from) / (len - from);
        taken -= share;
        merge_due(w, share);
        k->sentence(w->sh->m, &w->st, w->sentence, len, from, to, lr);
        from = to;
    } while (from < len);
}

static float publish(struct worker *w, int64_t *pending)
{
    struct shared *sh = w->sh;
    int64_t done = atomic_fetch_add_explicit(&sh->done, *pending, memory_order_relaxed) + *pending;
    *pending = 0;
    done += atomic_load_explicit(&sh->others, memory_order_relaxed);
    atomic_store_explicit(&w->loss, w->st.loss, memory_order_relaxed);
    atomic_store_explicit(&w->pairs, w->st.pairs, memory_order_relaxed);
    return worker_rate(sh, done);
}

void worker_diverged(struct shared *sh)
{
    pthread_mutex_lock(&sh->lock);
    sh->diverged = true;
    pthread_mutex_unlock(&sh->lock);
    atomic_store(&sh->stop, true);
}

/* Records where the worker stands, for a checkpoint. */
static void record(struct worker *w, int64_t pending, float lr)
{
    w->pos = w->end - w->rd.left;
    w->pending = pending;
    w->lr = lr;
}

/* Gives w the next piece at the cursor: its epoch and [pos, end). Returns false when
 * every epoch has been handed out. */
static bool take_piece(struct worker *w)
{
    struct shared *sh = w->sh;
    pthread_mutex_lock(&sh->lock);
    bool got = schedule_take(&sh->cursor, &w->epoch, &w->pos, &w->end);
    pthread_mutex_unlock(&sh->lock);
    return got;
}

/* Waits while a checkpoint is taken. */
static void pause_here(struct worker *w)
{
    struct shared *sh = w->sh;
    pthread_mutex_lock(&sh->lock);
    sh->paused++;
    pthread_cond_broadcast(&sh->cond);
    while (atomic_load(&sh->pause)) {
        pthread_cond_wait(&sh->resume, &sh->lock);
    }
    sh->paused--;
    pthread_mutex_unlock(&sh->lock);
}

/* Fills w->sentence from the worker's reader; returns its length and sets '*taken' to the
 * stream positions read. Sets w->at_end at the end of the slice or on a read error. */
static int next_sentence(struct worker *w, int64_t *taken)
{
    const float *keep = w->sh->m->keep;
    int len = 0;
    int64_t n = 0;
    while (len < TRAIN_MAX_SENTENCE) {
        int64_t raw = idreader_next(&w->rd);
        if (raw < 0) {
            w->at_end = true;
            break;
        }
        n++;
        int32_t id = (int32_t)raw;
        if (id == 0) {
            break;
        }
        if (keep[id] < 1.0f && rng_uniform(&w->st.rng) >= keep[id]) {
            continue;
        }
        w->sentence[len++] = id;
    }
    *taken = n;
    return len;
}

/* Records the first read error of any worker and asks every worker to stop. */
static void read_failed(struct shared *sh, const struct w2v_err *why)
{
    pthread_mutex_lock(&sh->lock);
    if (!sh->read_failed) {
        sh->read_failed = true;
        sh->read_err = *why;
    }
    pthread_mutex_unlock(&sh->lock);
    atomic_store(&sh->stop, true);
}

void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;
    struct model *m = sh->m;
    int64_t pending = w->pending;
    float lr = w->lr;
    replica_touch(&w->st, m);
    by_tier(w, replica_fill, INT32_MAX, true);
    /* A resumed worker first finishes the piece its record holds. */
    bool held = w->epoch < m->cfg.iter && w->pos < w->end;
    while (held || take_piece(w)) {
        held = false;
        struct w2v_err why;
        if (idreader_open(&w->rd, sh->ids, w->pos, w->end, &why) != 0) {
            read_failed(sh, &why);
            goto out;
        }
        w->at_end = false;
        while (!w->at_end) {
            if (atomic_load_explicit(&sh->pause, memory_order_relaxed)) {
                record(w, pending, lr);
                by_tier(w, replica_merge, INT32_MAX, true);
                pause_here(w);
            }
            if (atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
                goto out;
            }
            int64_t taken;
            int len = next_sentence(w, &taken);
            if (w->rd.left > 0 && w->at_end) {
                read_failed(sh, &w->rd.err);
                goto out;
            }
            pending += taken;
            if (pending >= TRAIN_PUBLISH) {
                lr = publish(w, &pending);
            }
            train_sentence(w, len, taken, lr);
            if (w->st.diverged) {
                worker_diverged(sh);
                goto out;
            }
        }
    }
    w->epoch = m->cfg.iter;
out:
    by_tier(w, replica_merge, INT32_MAX, true);
    /* The record keeps the positions not yet published, so that a run resumed from it
     * changes its learning rate where this one would have (snapshot subtracts them). */
    record(w, pending, lr);
    publish(w, &pending);
    pthread_mutex_lock(&sh->lock);
    w->ended = true;
    sh->finished++;
    pthread_cond_broadcast(&sh->cond);
    pthread_mutex_unlock(&sh->lock);
    return NULL;
}
