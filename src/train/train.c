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
    _Atomic bool pause;         /* workers wait at their next sentence (a checkpoint) */
    pthread_mutex_t lock;       /* guards 'finished', 'paused', 'diverged' and 'read_err' */
    pthread_cond_t cond;        /* a worker finished or paused */
    pthread_cond_t resume;      /* the pause is over */
    int finished;
    int paused;
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
    /* Where the worker stands, kept up to date when it pauses or stops (a checkpoint's
     * thread record), and where it starts. */
    int epoch;
    int64_t pos;                /* next stream position; -1: the start of its slice */
    int64_t pending;            /* positions read but not yet added to sh->done */
    float lr;
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

static void publish_loss(struct worker *w)
{
    atomic_store_explicit(&w->loss, w->st.loss, memory_order_relaxed);
    atomic_store_explicit(&w->pairs, w->st.pairs, memory_order_relaxed);
}

static float publish(struct worker *w, int64_t *pending)
{
    struct shared *sh = w->sh;
    int64_t done = atomic_fetch_add_explicit(&sh->done, *pending, memory_order_relaxed) + *pending;
    *pending = 0;
    publish_loss(w);
    return rate_at(sh, done);
}

/* Records where the worker stands, for a checkpoint. */
static void record(struct worker *w, int epoch, int64_t pending, float lr)
{
    w->epoch = epoch;
    w->pos = epoch < w->sh->m->cfg.iter ? w->end - w->rd.left : w->end;
    w->pending = pending;
    w->lr = lr;
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

/* Trains on one sentence; returns false when training diverged. */
static bool train_sentence(struct worker *w, int len, float lr)
{
    struct model *m = w->sh->m;
    for (int i = 0; i < len; i++) {
        if (m->cfg.kind == MODEL_CBOW) {
            update_cbow(m, &w->st, w->sentence, len, i, lr);
        } else {
            update_skipgram(m, &w->st, w->sentence, len, i, lr);
        }
    }
    if (w->st.diverged) {
        struct shared *sh = w->sh;
        pthread_mutex_lock(&sh->lock);
        sh->diverged = true;
        pthread_mutex_unlock(&sh->lock);
        atomic_store(&sh->stop, true);
        return false;
    }
    return true;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct shared *sh = w->sh;
    struct model *m = sh->m;
    int64_t pending = w->pending;
    float lr = w->lr;
    int epoch = w->epoch;
    for (; epoch < m->cfg.iter; epoch++) {
        struct w2v_err why;
        int64_t from = w->pos >= 0 ? w->pos : w->begin;
        w->pos = -1;
        if (idreader_open(&w->rd, sh->ids, from, w->end, &why) != 0) {
            read_failed(sh, &why);
            goto out;
        }
        w->at_end = false;
        while (!w->at_end) {
            if (atomic_load_explicit(&sh->pause, memory_order_relaxed)) {
                record(w, epoch, pending, lr);
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
            if (!train_sentence(w, len, lr)) {
                goto out;
            }
        }
    }
out:
    /* The unpublished positions stay in the record, so that a run resumed from it
     * changes its learning rate where this one would have. */
    record(w, epoch, pending, lr);
    publish_loss(w);
    pthread_mutex_lock(&sh->lock);
    sh->finished++;
    pthread_cond_broadcast(&sh->cond);
    pthread_mutex_unlock(&sh->lock);
    return NULL;
}

/* Fills 'st' with the state of the 'count' workers, which are paused or finished. */
static void snapshot(struct shared *sh, struct worker *ws, int count, struct ckpt_state *st)
{
    int neg = sh->m->cfg.negative;
    st->done = atomic_load(&sh->done);
    st->nthreads = count;
    st->thread = xcalloc((size_t)count, sizeof *st->thread);
    for (int t = 0; t < count; t++) {
        const struct worker *w = &ws[t];
        struct ckpt_thread *th = &st->thread[t];
        th->rng = w->st.rng.state;
        th->epoch = w->epoch;
        th->pos = w->pos;
        th->pending = w->pending;
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

static void sum_loss(struct worker *ws, int count, double *loss, int64_t *pairs)
{
    *loss = 0.0;
    *pairs = 0;
    for (int t = 0; t < count; t++) {
        *loss += atomic_load_explicit(&ws[t].loss, memory_order_relaxed);
        *pairs += atomic_load_explicit(&ws[t].pairs, memory_order_relaxed);
    }
}

/* Waits until every started worker has finished, showing progress, turning a signal
 * into a stop request and taking the periodic checkpoints. Returns 0, or -1 with 'err' set
 * when a checkpoint could not be saved (the workers are then stopped). */
static int supervise(struct shared *sh, struct worker *ws, int started, struct progress *pr,
                     const struct train_ckpt *ck, struct w2v_err *err)
{
    int rc = 0;
    double last_save = now_sec();
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
        if (rc == 0 && ck != NULL && ck->every > 0 && now_sec() - last_save >= ck->every &&
            !atomic_load(&sh->stop)) {
            rc = take_checkpoint(sh, ws, started, ck, err);
            if (rc != 0) {
                atomic_store(&sh->stop, true);
            }
            last_save = now_sec();
        }
        double loss;
        int64_t pairs;
        sum_loss(ws, started, &loss, &pairs);
        int64_t done = atomic_load_explicit(&sh->done, memory_order_relaxed);
        progress_update(pr, done, (double)rate_at(sh, done), loss, pairs);
        pthread_mutex_lock(&sh->lock);
    }
    pthread_mutex_unlock(&sh->lock);
    return rc;
}

/* Sets worker 'w' to start from its thread record in 'from', or from the beginning. */
static void start_from(struct worker *w, const struct ckpt_state *from, int t)
{
    struct shared *sh = w->sh;
    if (from == NULL) {
        w->epoch = 0;
        w->pos = -1;
        w->pending = 0;
        w->lr = rate_at(sh, 0);
        return;
    }
    const struct ckpt_thread *th = &from->thread[t];
    w->st.rng.state = th->rng;
    w->epoch = th->epoch;
    w->pos = th->pos >= w->begin && th->pos <= w->end ? th->pos : w->begin;
    w->pending = th->pending;
    w->lr = th->lr;
    if (th->nahead == (uint32_t)sh->m->cfg.negative && th->nahead > 0) {
        memcpy(w->st.targets, th->ahead, th->nahead * sizeof *th->ahead);
        w->st.half = 0;
        w->st.primed = true;
    }
}

int train_run(struct model *m, const struct idstream *s, const struct train_ckpt *ck,
              struct train_result *res, struct w2v_err *err)
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
    const struct ckpt_state *from = ck != NULL ? ck->from : NULL;
    atomic_init(&sh.done, from != NULL ? from->done : 0);
    atomic_init(&sh.stop, false);
    atomic_init(&sh.pause, false);
    pthread_mutex_init(&sh.lock, NULL);
    pthread_cond_init(&sh.cond, NULL);
    pthread_cond_init(&sh.resume, NULL);

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
        start_from(w, from, t);
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
    int saved = supervise(&sh, ws, started, &pr, ck, err);
    for (int t = 0; t < started; t++) {
        pthread_join(ws[t].tid, NULL);
    }
    if (saved != 0) {
        rc = -1;
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
        if (ck != NULL && ck->on_signal && started == threads) {
            struct ckpt_state st = *ck->base;
            snapshot(&sh, ws, started, &st);
            if (ck->save(ck->ctx, &st, err) == 0) {
                err_set(err, "training interrupted; its state was saved");
            }
            ckpt_state_free(&st);
        }
    }
    if (rc == 0 && ck != NULL && ck->at_end) {
        struct ckpt_state st = *ck->base;
        st.finished = true;
        snapshot(&sh, ws, started, &st);
        rc = ck->save(ck->ctx, &st, err);
        ckpt_state_free(&st);
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
    pthread_cond_destroy(&sh.resume);
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
