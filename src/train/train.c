/* train: worker threads and the supervising loop. Shared state is the model's weights
 * (Hogwild, see update.h) plus the atomics below; everything else is per thread. */
#include "train.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "progress.h"
#include "sig.h"
#include "update.h"
#include "util.h"

/* Words a worker processes between updates of the shared counter and learning rate. */
#define TRAIN_PUBLISH 10000
/* Bytes in a cache line, the unit in which cores share memory. */
#define TRAIN_CACHE_LINE 64
/* How often the supervising thread wakes up, in nanoseconds. */
#define TRAIN_TICK_NS 100000000L

struct shared {
    struct model *m;
    const struct update_kernels *kern;
    const int32_t *ids;
    int64_t n;
    int64_t total;              /* n * epochs, over every process of a job */
    _Atomic int64_t done;       /* stream positions processed, all threads */
    _Atomic int64_t others;     /* ... and by the other processes of a job */
    _Atomic bool stop;
    pthread_mutex_t lock;       /* guards 'finished' and 'error' */
    pthread_cond_t cond;
    int finished;
    bool diverged;
};

/* Each worker's state is written on every training step (random state, loss), so each
 * starts on its own cache line: neighbours in one line would make the cores fight over it
 * (false sharing), which costs more than the training itself. */
struct worker {
    _Alignas(TRAIN_CACHE_LINE) struct shared *sh;
    int64_t begin;
    int64_t end;
    struct update_state st;
    int32_t *sentence;
    _Atomic double loss;        /* published copies of st.loss and st.pairs */
    _Atomic int64_t pairs;
    pthread_t tid;
};

static float rate_at(const struct shared *sh, int64_t done)
{
    double left = 1.0 - (double)done / (double)(sh->total + 1);
    if (left < TRAIN_MIN_ALPHA) {
        left = TRAIN_MIN_ALPHA;
    }
    return (float)(sh->m->cfg.alpha * left);
}

static float publish(struct worker *w, int64_t *pending)
{
    struct shared *sh = w->sh;
    int64_t done = atomic_fetch_add_explicit(&sh->done, *pending, memory_order_relaxed) + *pending;
    *pending = 0;
    done += atomic_load_explicit(&sh->others, memory_order_relaxed);
    atomic_store_explicit(&w->loss, w->st.loss, memory_order_relaxed);
    atomic_store_explicit(&w->pairs, w->st.pairs, memory_order_relaxed);
    return rate_at(sh, done);
}

/* Fills w->sentence from the stream at '*pos' (not past 'end'); returns its length. */
static int next_sentence(struct worker *w, int64_t *pos)
{
    const int32_t *ids = w->sh->ids;
    const float *keep = w->sh->m->keep;
    int len = 0;
    int64_t p = *pos;
    while (p < w->end && len < TRAIN_MAX_SENTENCE) {
        int32_t id = ids[p++];
        if (id == 0) {
            break;
        }
        if (keep[id] < 1.0f && rng_uniform(&w->st.rng) >= keep[id]) {
            continue;
        }
        w->sentence[len++] = id;
    }
    *pos = p;
    return len;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;
    struct model *m = sh->m;
    int64_t pending = 0;
    float lr = rate_at(sh, 0);
    for (int epoch = 0; epoch < m->cfg.iter; epoch++) {
        int64_t pos = w->begin;
        while (pos < w->end) {
            if (atomic_load_explicit(&sh->stop, memory_order_relaxed)) {
                goto out;
            }
            int64_t from = pos;
            int len = next_sentence(w, &pos);
            pending += pos - from;
            if (pending >= TRAIN_PUBLISH) {
                lr = publish(w, &pending);
            }
            sh->kern->sentence(m, &w->st, w->sentence, len, lr);
            if (w->st.diverged) {
                pthread_mutex_lock(&sh->lock);
                sh->diverged = true;
                pthread_mutex_unlock(&sh->lock);
                atomic_store(&sh->stop, true);
                goto out;
            }
        }
    }
out:
    publish(w, &pending);
    pthread_mutex_lock(&sh->lock);
    sh->finished++;
    pthread_cond_signal(&sh->cond);
    pthread_mutex_unlock(&sh->lock);
    return NULL;
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
    clock_gettime(CLOCK_REALTIME, &ts);
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
                     struct progress *pr, const struct train_hook *hook, struct w2v_err *err)
{
    long tick_ns = hook != NULL && hook->tick_ns < TRAIN_TICK_NS ? hook->tick_ns : TRAIN_TICK_NS;
    for (;;) {
        bool diverged = false;
        bool finished = wait_tick(sh, started, tick_ns, hook != NULL, &diverged);
        if (finished && hook == NULL) {
            return 0;
        }
        if (sig_caught()) {
            atomic_store(&sh->stop, true);
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
        progress_update(pr, done, (double)rate_at(sh, done), loss, pairs);
    }
}

static void shared_init(struct shared *sh, struct model *m, const int32_t *ids, int64_t n,
                        int64_t total)
{
    memset(sh, 0, sizeof *sh);
    sh->m = m;
    sh->ids = ids;
    sh->n = n;
    sh->total = total;
    atomic_init(&sh->done, 0);
    atomic_init(&sh->others, 0);
    atomic_init(&sh->stop, false);
    pthread_mutex_init(&sh->lock, NULL);
    pthread_cond_init(&sh->cond, NULL);
}

int train_run(struct model *m, const int32_t *ids, int64_t n, struct train_result *res,
              struct w2v_err *err)
{
    return train_run_hooked(m, ids, n, NULL, res, err);
}

int train_run_hooked(struct model *m, const int32_t *ids, int64_t n,
                     const struct train_hook *hook, struct train_result *res,
                     struct w2v_err *err)
{
    int threads = m->cfg.threads;
    const struct update_kernels *kern = update_kernels_pick(m->cfg.simd, err);
    if (kern == NULL) {
        return -1;
    }
    struct worker *ws = alloc_big((size_t)threads * sizeof *ws, "thread state", err);
    if (ws == NULL) {
        return -1;
    }
    memset(ws, 0, (size_t)threads * sizeof *ws);
    struct shared sh;
    shared_init(&sh, m, ids, n, hook != NULL ? hook->total : n * m->cfg.iter);
    sh.kern = kern;

    int rc = 0;
    int started = 0;
    for (int t = 0; t < threads; t++) {
        struct worker *w = &ws[t];
        w->sh = &sh;
        w->begin = n * t / threads;
        w->end = n * (t + 1) / threads;
        uint64_t stream = (uint64_t)t + (hook != NULL ? hook->stream : 0);
        if (update_state_init(&w->st, &m->cfg, m->cfg.seed, stream, err) != 0) {
            rc = -1;
            break;
        }
        w->sentence = xmalloc(TRAIN_MAX_SENTENCE * sizeof *w->sentence);
        atomic_init(&w->loss, 0.0);
        atomic_init(&w->pairs, 0);
    }
    struct progress pr;
    progress_start(&pr, sh.total, threads * (hook != NULL ? hook->processes : 1));
    for (int t = 0; t < threads && rc == 0; t++) {
        int e = pthread_create(&ws[t].tid, NULL, worker_main, &ws[t]);
        if (e != 0) {
            err_set(err, "cannot start training thread %d of %d: %s", t + 1, threads,
                    strerror(e));
            atomic_store(&sh.stop, true);
            rc = -1;
            break;
        }
        started++;
    }
    struct w2v_err hook_err;
    int hook_rc = supervise(&sh, ws, started, rc != 0, &pr, hook, &hook_err);
    for (int t = 0; t < started; t++) {
        pthread_join(ws[t].tid, NULL);
    }
    double loss;
    int64_t pairs;
    sum_loss(ws, started, &loss, &pairs);
    res->loss = progress_finish(&pr, loss, pairs);
    res->words = atomic_load(&sh.done);
    if (rc == 0 && sh.diverged) {
        err_set(err, "training diverged (non-finite weights); lower -alpha");
        rc = -1;
    } else if (rc == 0 && sig_caught()) {
        err_set(err, "training interrupted");
        rc = -1;
    } else if (rc == 0 && hook_rc != 0) {
        *err = hook_err;
        rc = -1;
    }
    for (int t = 0; t < threads; t++) {
        update_state_free(&ws[t].st);
        free(ws[t].sentence);
    }
    free(ws);
    pthread_mutex_destroy(&sh.lock);
    pthread_cond_destroy(&sh.cond);
    return rc;
}
