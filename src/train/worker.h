/* worker: one training thread, and the state the threads share with the thread that
 * supervises them (train.c). A worker fills its copies of the frequent rows, takes the
 * next piece of the schedule, cuts it into sentences, subsamples afresh, trains them in
 * stretches of TRAIN_STRETCH positions with the run's kernels, merges its copies as they
 * fall due, publishes its count of positions and its loss, and stops at a pause (a
 * checkpoint), a stop request or the end of the schedule. Shared state is the model's
 * weights (Hogwild, see update.h) plus the atomics and the mutex-guarded fields below;
 * everything else is per thread.
 * Private to src/train. */
#ifndef W2V_WORKER_H
#define W2V_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/log.h"
#include "text/idstream.h"
#include "train/model.h"
#include "train/replica.h"
#include "train/schedule.h"
#include "train/update.h"

/* Positions of a sentence trained between two checks for due merges. With many threads the
 * most frequent rows are due every few hundred positions, sooner than a sentence ends;
 * merged only between sentences, the tree nodes nearest the root (written at every
 * prediction) overshot with 8 threads (DESIGN.md). */
#define TRAIN_STRETCH 64
/* Final learning rate as a fraction of the first (word2vec's floor). */
#define TRAIN_MIN_ALPHA 1e-4
/* Words a worker processes between updates of the shared counter and learning rate. */
#define TRAIN_PUBLISH 10000
/* Bytes in a cache line, the unit in which cores share memory. */
#define TRAIN_CACHE_LINE 64

struct shared {
    struct model *m;
    const struct update_kernels *kern;
    const struct idstream *ids;
    int64_t total;              /* stream length * epochs, over every process of a job */
    _Atomic int64_t done;       /* stream positions processed, all threads */
    _Atomic int64_t others;     /* ... and by the other processes of a job */
    _Atomic bool stop;
    _Atomic bool pause;         /* workers wait at their next sentence (a checkpoint) */
    pthread_mutex_t lock;       /* guards 'finished', 'paused', 'diverged', 'read_err' and
                                 * the cursor */
    struct schedule cursor;     /* the next piece to hand out */
    /* One thread at a time merges or fills a tier's own rows of its copies (by_tier). */
    pthread_mutex_t merging[REPLICA_TIERS + 1];
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
    struct idreader rd;         /* this worker's piece of the stream */
    bool at_end;                /* the piece is used up */
    /* The piece in hand: 'epoch' and the positions [pos, end). 'pos' is where the piece
     * starts, and where the worker stands whenever it pauses or stops (a checkpoint's
     * thread record). No piece in hand: pos == end; epoch is cfg.iter once the worker
     * has ended. */
    int epoch;
    int64_t pos;
    int64_t end;
    int64_t pending;            /* positions read but not yet added to sh->done */
    float lr;
    int64_t trained;            /* positions this worker has trained (replica_due) */
    uint32_t owed;              /* tiers whose merge was put off while another thread
                                 * merged them: bit t for tier t */
    bool ended;                 /* the worker has stopped ('pending' was then added) */
    struct update_state st;
    int32_t *sentence;
    _Atomic double loss;        /* published copies of st.loss and st.pairs */
    _Atomic int64_t pairs;
    pthread_t tid;
};

/* The learning rate after 'done' positions of the job: falling linearly from cfg.alpha to
 * TRAIN_MIN_ALPHA of it over sh->total. */
float worker_rate(const struct shared *sh, int64_t done);

/* Marks the run diverged and asks every worker to stop. */
void worker_diverged(struct shared *sh);

/* The thread function of a worker ('arg' is its struct worker). */
void *worker_main(void *arg);

#endif
