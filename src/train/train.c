/* train: starts the workers (worker.h) and supervises them: progress, signals,
 * checkpoints, the hook of a job of several processes, and the divergence watch. */
#include "train/train.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/progress.h"
#include "base/sig.h"
#include "base/util.h"
#include "train/replica.h"
#include "train/watch.h"
#include "train/worker.h"

/* Stack bytes a training thread writes (a measured bound: its frames are small), and the
 * size of its stack, ample for that (under the sanitizers too). */
#define TRAIN_STACK_TOUCHED (64u << 10)
#define TRAIN_STACK_BYTES (1u << 20)
/* How often the supervising thread wakes up, in nanoseconds. */
#define TRAIN_TICK_NS 100000000L

/* Fills 'st' with the state of the 'count' workers, which are paused or have ended. */
static void snapshot(struct shared *sh, struct worker *ws, int count, struct ckpt_state *st)
{
    int neg = sh->m->cfg.negative;
    st->done = atomic_load(&sh->done);
    st->next_epoch = sh->cursor.next_epoch;
    st->next_piece = sh->cursor.next_piece;
    st->nthreads = count;
    st->thread = xcalloc((size_t)count, sizeof *st->thread);
    for (int t = 0; t < count; t++) {
        const struct worker *w = &ws[t];
        struct ckpt_thread *th = &st->thread[t];
        if (w->ended) {
            st->done -= w->pending;
        }
        th->rng = w->st.rng.state;
        th->epoch = w->epoch;
        th->pos = w->pos;
        th->end = w->end;
        th->pending = w->pending;
        th->trained = w->trained;
        th->lr = w->lr;
        if (w->st.primed && neg > 0) {
            th->nahead = (uint32_t)neg;
            th->ahead = xmalloc((size_t)neg * sizeof *th->ahead);
            memcpy(th->ahead, w->st.targets + (size_t)w->st.half * (size_t)neg,
                   (size_t)neg * sizeof *th->ahead);
        }
    }
}

/* Pauses every running worker, saves a checkpoint and lets them go on. Returns 0, or -1
 * with 'err' set when saving failed. */
static int take_checkpoint(struct shared *sh, struct worker *ws, int started,
                           const struct train_ckpt *ck, struct w2v_err *err)
{
    pthread_mutex_lock(&sh->lock);
    atomic_store(&sh->pause, true);
    while (sh->paused + sh->finished < started) {
        pthread_cond_wait(&sh->cond, &sh->lock);
    }
    pthread_mutex_unlock(&sh->lock);
    struct ckpt_state st = *ck->base;
    snapshot(sh, ws, started, &st);
    int rc = ck->save(ck->ctx, &st, err);
    ckpt_state_free(&st);
    pthread_mutex_lock(&sh->lock);
    atomic_store(&sh->pause, false);
    pthread_cond_broadcast(&sh->resume);
    pthread_mutex_unlock(&sh->lock);
    return rc;
}

/* Saves the final state of a run that stopped ('finished': it ran to its end). */
static int save_final(struct shared *sh, struct worker *ws, int count,
                      const struct train_ckpt *ck, bool finished, struct w2v_err *err)
{
    struct ckpt_state st = *ck->base;
    st.finished = finished;
    snapshot(sh, ws, count, &st);
    int rc = ck->save(ck->ctx, &st, err);
    ckpt_state_free(&st);
    return rc;
}

static void sum_loss(struct worker *ws, int count, double *loss, int64_t *pairs)
{
    *loss = 0.0;
    *pairs = 0;
    for (int t = 0; t < count; t++) {
        *loss += atomic_load_explicit(&ws[t].loss, memory_order_relaxed);
        *pairs += atomic_load_explicit(&ws[t].pairs, memory_order_relaxed);
    }
}

/* Sleeps until the next tick or until a worker ends (when all have ended, returns at once
 * unless 'keep_ticking'); true when all 'started' have ended ('*diverged' tells whether
 * one diverged). */
static bool wait_tick(struct shared *sh, int started, long tick_ns, bool keep_ticking,
                      bool *diverged)
{
    pthread_mutex_lock(&sh->lock);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts); /* sh->cond's clock */
    ts.tv_nsec += tick_ns;
    while (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    if (sh->finished < started || keep_ticking) {
        /* Woken early by a worker that ended: wait again unless all have. */
        while (pthread_cond_timedwait(&sh->cond, &sh->lock, &ts) == 0 &&
               sh->finished < started) {
        }
    }
    bool all = sh->finished >= started;
    *diverged = sh->diverged;
    pthread_mutex_unlock(&sh->lock);
    return all;
}

/* Waits until every started worker has finished (and, with a hook, until the hook says
 * training is over everywhere), showing progress and turning a signal into a stop request.
 * Returns 0, or -1 with 'err' set when the hook stops training. */
static int supervise(struct shared *sh, struct worker *ws, int started, bool start_failed,
                     struct progress *pr, const struct train_hook *hook,
                     const struct train_ckpt *ck, struct watch *watch, struct w2v_err *err)
{
    long tick_ns = hook != NULL && hook->tick_ns < TRAIN_TICK_NS ? hook->tick_ns : TRAIN_TICK_NS;
    double last_save = now_sec();
    for (;;) {
        bool diverged = false;
        bool finished = wait_tick(sh, started, tick_ns, hook != NULL, &diverged);
        if (finished && hook == NULL) {
            return 0;
        }
        if (sig_caught()) {
            atomic_store(&sh->stop, true);
        }
        if (!finished && ck != NULL && ck->every > 0 && now_sec() - last_save >= ck->every &&
            !atomic_load(&sh->stop)) {
            if (take_checkpoint(sh, ws, started, ck, err) != 0) {
                atomic_store(&sh->stop, true);
                return -1;
            }
            last_save = now_sec();
        }
        int64_t done = atomic_load_explicit(&sh->done, memory_order_relaxed);
        if (hook != NULL) {
            struct train_tick t = {done, finished, diverged || start_failed || sig_caught(), 0,
                                   false};
            if (hook->tick(hook->ctx, &t, err) != 0) {
                atomic_store(&sh->stop, true);
                return -1;
            }
            atomic_store_explicit(&sh->others, t.others, memory_order_relaxed);
            if (t.end) {
                return 0;
            }
            done += t.others;
        }
        double loss;
        int64_t pairs;
        sum_loss(ws, started, &loss, &pairs);
        if (watch_tick(watch, loss, pairs)) {
            worker_diverged(sh);
        }
        progress_update(pr, done, (double)worker_rate(sh, done), loss, pairs);
    }
}

static void shared_init(struct shared *sh, struct model *m, const struct idstream *ids,
                        int64_t total, const struct ckpt_state *from)
{
    memset(sh, 0, sizeof *sh);
    sh->m = m;
    sh->ids = ids;
    sh->total = total;
    int64_t done = 0;
    const struct train_config *c = &m->cfg;
    schedule_init(&sh->cursor, ids->n, c->iter, c->ordered, c->seed,
                  from != NULL ? from->next_epoch : 0, from != NULL ? from->next_piece : 0);
    if (from != NULL) {
        done = from->done;
    }
    atomic_init(&sh->done, done);
    atomic_init(&sh->others, 0);
    atomic_init(&sh->stop, false);
    atomic_init(&sh->pause, false);
    pthread_mutex_init(&sh->lock, NULL);
    for (int t = 0; t <= REPLICA_TIERS; t++) {
        pthread_mutex_init(&sh->merging[t], NULL);
    }
    /* The supervisor's ticks (wait_tick) are timed on the monotonic clock, so that a step
     * of the system's clock neither stalls progress nor, in a job, the counters' exchange. */
    pthread_condattr_t monotonic;
    pthread_condattr_init(&monotonic);
    pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
    pthread_cond_init(&sh->cond, &monotonic);
    pthread_condattr_destroy(&monotonic);
    pthread_cond_init(&sh->resume, NULL);
}

/* Sets worker 'w' to start from its thread record in 'from' (it may hold a piece), or
 * from the beginning (no piece in hand). */
static void start_from(struct worker *w, const struct ckpt_state *from, int t)
{
    struct shared *sh = w->sh;
    if (from == NULL || t >= from->nthreads) {
        w->epoch = 0;
        w->pos = 0;
        w->end = 0;
        w->pending = 0;
        w->lr = worker_rate(sh, from != NULL ? from->done : 0);
        return;
    }
    const struct ckpt_thread *th = &from->thread[t];
    w->st.rng.state = th->rng;
    w->epoch = th->epoch;
    w->pos = th->pos;
    w->end = th->end;
    w->pending = th->pending;
    w->trained = th->trained;
    w->lr = th->lr;
    if (th->nahead == (uint32_t)sh->m->cfg.negative && th->nahead > 0) {
        memcpy(w->st.targets, th->ahead, th->nahead * sizeof *th->ahead);
        w->st.half = 0;
        w->st.primed = true;
    }
}

/* Gives each of the 'threads' workers its random stream (numbered from 'stream0'), its
 * buffers and its starting point. Returns 0 or -1 with 'err' set. */
static int workers_init(struct worker *ws, int threads, struct shared *sh, uint64_t stream0,
                        const struct ckpt_state *from, struct w2v_err *err)
{
    const struct model *m = sh->m;
    for (int t = 0; t < threads; t++) {
        struct worker *w = &ws[t];
        w->sh = sh;
        if (update_state_init(&w->st, &m->cfg, m->cfg.seed, stream0 + (uint64_t)t, err) != 0) {
            return -1;
        }
        if (replica_alloc(&w->st, m, replica_rows(&m->cfg, m->n), err) != 0) {
            return -1;
        }
        w->sentence = xmalloc(TRAIN_MAX_SENTENCE * sizeof *w->sentence);
        start_from(w, from, t);
        atomic_init(&w->loss, 0.0);
        atomic_init(&w->pairs, 0);
    }
    return 0;
}

int train_run(struct model *m, const struct idstream *s, double after,
              const struct train_hook *hook, const struct train_ckpt *ck,
              struct train_result *res, struct w2v_err *err)
{
    int64_t n = s->n;
    int threads = m->cfg.threads;
    const struct update_kernels *kern = update_kernels_named(m->cfg.simd, err);
    if (kern == NULL) {
        return -1;
    }
    struct worker *ws = alloc_big((size_t)threads * sizeof *ws, "thread state", err);
    if (ws == NULL) {
        return -1;
    }
    memset(ws, 0, (size_t)threads * sizeof *ws);
    struct shared sh;
    const struct ckpt_state *from = ck != NULL ? ck->from : NULL;
    shared_init(&sh, m, s, hook != NULL ? hook->total : n * m->cfg.iter, from);
    sh.kern = kern;

    int rc = workers_init(ws, threads, &sh, hook != NULL ? hook->stream : 0, from, err);
    int started = 0;
    struct progress pr;
    progress_start(&pr, sh.total, threads * (hook != NULL ? hook->processes : 1), after);
    if (from != NULL) {
        progress_from(&pr, from->done);
    }
    for (int t = 0; t < threads && rc == 0; t++) {
        int e = thread_start(&ws[t].tid, TRAIN_STACK_BYTES, worker_main, &ws[t]);
        if (e != 0) {
            err_set(err, "cannot start training thread %d of %d: %s", t + 1, threads,
                    strerror(e));
            atomic_store(&sh.stop, true);
            rc = -1;
            break;
        }
        started++;
    }
    struct watch watch;
    watch_init(&watch, m->untrained_loss);
    struct w2v_err hook_err;
    int hook_rc = supervise(&sh, ws, started, rc != 0, &pr, hook, ck, &watch, &hook_err);
    for (int t = 0; t < started; t++) {
        pthread_join(ws[t].tid, NULL);
    }
    double loss;
    int64_t pairs;
    sum_loss(ws, started, &loss, &pairs);
    res->loss = progress_finish(&pr, loss, pairs);
    res->pairs = pairs;
    res->saved = false;
    if (rc == 0 && sh.read_failed) {
        *err = sh.read_err;
        rc = -1;
    } else if (rc == 0 && sig_caught()) {
        err_set(err, "training interrupted");
        rc = -1;
    } else if (rc == 0) {
        rc = watch_verdict(&watch, loss, pairs, sh.diverged, m->in,
                           (size_t)m->n * (size_t)m->cfg.dim, err);
    }
    if (rc == 0 && hook_rc != 0) {
        *err = hook_err;
        rc = -1;
    }
    bool stopped = rc != 0 && sig_caught() && hook_rc == 0 && started == threads;
    if (ck != NULL && ((rc == 0 && ck->at_end) || (stopped && ck->on_signal))) {
        struct w2v_err why;
        if (save_final(&sh, ws, started, ck, rc == 0, rc == 0 ? err : &why) != 0) {
            rc = -1;
        } else if (stopped) {
            res->saved = true;
        }
    }
    for (int t = 0; t < threads; t++) {
        idreader_close(&ws[t].rd);
        update_state_free(&ws[t].st);
        free(ws[t].sentence);
    }
    free(ws);
    pthread_mutex_destroy(&sh.lock);
    for (int t = 0; t <= REPLICA_TIERS; t++) {
        pthread_mutex_destroy(&sh.merging[t]);
    }
    pthread_cond_destroy(&sh.cond);
    pthread_cond_destroy(&sh.resume);
    return rc;
}

size_t train_thread_bytes(const struct train_config *cfg, int64_t n, const struct idstream *s)
{
    /* The replicas, neu1 and neu1e, the sentence, the targets, the reader's buffer, and
     * the pages of the thread's stack that training touches. */
    return replica_bytes(cfg, replica_rows(cfg, n)) +
           (size_t)cfg->dim * 2 * sizeof(float) + TRAIN_MAX_SENTENCE * sizeof(int32_t) +
           ((size_t)cfg->negative * 2 + 1) * sizeof(int32_t) + idreader_bytes(s) +
           TRAIN_STACK_TOUCHED + sizeof(struct worker);
}
