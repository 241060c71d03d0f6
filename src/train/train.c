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
/* Stack bytes a training thread writes (a measured bound: its frames are small). */
#define TRAIN_STACK_TOUCHED (64u << 10)
/* How often the supervising thread wakes up, in nanoseconds. */
#define TRAIN_TICK_NS 100000000L

struct shared {
    struct model *m;
    const struct idstream *ids;
    int64_t n;
    int64_t total;              /* n * epochs */
    _Atomic int64_t done;       /* stream positions processed, all threads */
    _Atomic bool stop;
    pthread_mutex_t lock;       /* guards 'finished', 'diverged' and 'read_err' */
    pthread_cond_t cond;
    int finished;
    bool diverged;
    bool read_failed;
    struct w2v_err read_err;
};

/* Each worker's state is written on every training step (random state, loss), so each
 * starts on its own cache line: neighbours in one line would make the cores fight over it
 * (false sharing), which costs more than the training itself. */
struct worker {
    _Alignas(TRAIN_CACHE_LINE) struct shared *sh;
    int64_t begin;
    int64_t end;
    struct idreader rd;         /* this worker's slice of the stream */
    bool at_end;                /* the slice is used up for this epoch */
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
    atomic_store_explicit(&w->loss, w->st.loss, memory_order_relaxed);
    atomic_store_explicit(&w->pairs, w->st.pairs, memory_order_relaxed);
    return rate_at(sh, done);
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

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;
    struct model *m = sh->m;
    int64_t pending = 0;
    float lr = rate_at(sh, 0);
    for (int epoch = 0; epoch < m->cfg.iter; epoch++) {
        struct w2v_err why;
        if (idreader_open(&w->rd, sh->ids, w->begin, w->end, &why) != 0) {
            read_failed(sh, &why);
            goto out;
        }
        w->at_end = false;
        while (!w->at_end) {
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
            for (int i = 0; i < len; i++) {
                if (m->cfg.kind == MODEL_CBOW) {
                    update_cbow(m, &w->st, w->sentence, len, i, lr);
                } else {
                    update_skipgram(m, &w->st, w->sentence, len, i, lr);
                }
            }
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

/* Waits until every started worker has finished, showing progress and turning a signal
 * into a stop request. */
static void supervise(struct shared *sh, struct worker *ws, int started, struct progress *pr)
{
    pthread_mutex_lock(&sh->lock);
    while (sh->finished < started) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += TRAIN_TICK_NS;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&sh->cond, &sh->lock, &ts);
        if (sh->finished >= started) {
            break;
        }
        pthread_mutex_unlock(&sh->lock);
        if (sig_caught()) {
            atomic_store(&sh->stop, true);
        }
        double loss;
        int64_t pairs;
        sum_loss(ws, started, &loss, &pairs);
        int64_t done = atomic_load_explicit(&sh->done, memory_order_relaxed);
        progress_update(pr, done, (double)rate_at(sh, done), loss, pairs);
        pthread_mutex_lock(&sh->lock);
    }
    pthread_mutex_unlock(&sh->lock);
}

int train_run(struct model *m, const struct idstream *s, struct train_result *res,
              struct w2v_err *err)
{
    int64_t n = s->n;
    int threads = m->cfg.threads;
    int dim = m->cfg.dim;
    struct worker *ws = alloc_big((size_t)threads * sizeof *ws, "thread state", err);
    if (ws == NULL) {
        return -1;
    }
    memset(ws, 0, (size_t)threads * sizeof *ws);
    struct shared sh;
    memset(&sh, 0, sizeof sh);
    sh.m = m;
    sh.ids = s;
    sh.n = n;
    sh.total = n * m->cfg.iter;
    atomic_init(&sh.done, 0);
    atomic_init(&sh.stop, false);
    pthread_mutex_init(&sh.lock, NULL);
    pthread_cond_init(&sh.cond, NULL);

    int rc = 0;
    int started = 0;
    for (int t = 0; t < threads; t++) {
        struct worker *w = &ws[t];
        w->sh = &sh;
        w->begin = n * t / threads;
        w->end = n * (t + 1) / threads;
        rng_seed(&w->st.rng, m->cfg.seed, (uint64_t)t);
        w->st.neu1 = alloc_big((size_t)dim * 2 * sizeof(float), "thread buffers", err);
        if (w->st.neu1 == NULL) {
            rc = -1;
            break;
        }
        w->st.neu1e = w->st.neu1 + dim;
        w->sentence = xmalloc(TRAIN_MAX_SENTENCE * sizeof *w->sentence);
        w->st.targets = xmalloc(((size_t)m->cfg.negative * 2 + 1) * sizeof *w->st.targets);
        atomic_init(&w->loss, 0.0);
        atomic_init(&w->pairs, 0);
    }
    struct progress pr;
    progress_start(&pr, sh.total, threads);
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
    supervise(&sh, ws, started, &pr);
    for (int t = 0; t < started; t++) {
        pthread_join(ws[t].tid, NULL);
    }
    double loss;
    int64_t pairs;
    sum_loss(ws, started, &loss, &pairs);
    res->loss = progress_finish(&pr, loss, pairs);
    res->words = atomic_load(&sh.done);
    if (rc == 0 && sh.read_failed) {
        *err = sh.read_err;
        rc = -1;
    } else if (rc == 0 && sh.diverged) {
        err_set(err, "training diverged (non-finite weights); lower -alpha");
        rc = -1;
    } else if (rc == 0 && sig_caught()) {
        err_set(err, "training interrupted");
        rc = -1;
    }
    for (int t = 0; t < threads; t++) {
        idreader_close(&ws[t].rd);
        free(ws[t].st.neu1);
        free(ws[t].sentence);
        free(ws[t].st.targets);
    }
    free(ws);
    pthread_mutex_destroy(&sh.lock);
    pthread_cond_destroy(&sh.cond);
    return rc;
}

size_t train_thread_bytes(const struct train_config *cfg, const struct idstream *s)
{
    /* neu1 and neu1e, the sentence, the targets, the reader's buffer, and the pages of
     * the thread's stack that training touches. */
    return (size_t)cfg->dim * 2 * sizeof(float) + TRAIN_MAX_SENTENCE * sizeof(int32_t) +
           ((size_t)cfg->negative * 2 + 1) * sizeof(int32_t) + idreader_bytes(s) +
           TRAIN_STACK_TOUCHED + sizeof(struct worker);
}
