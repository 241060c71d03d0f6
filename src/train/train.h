/* train: runs the epochs over the id stream with cfg.threads worker threads. The epochs
 * are handed out in order, each in pieces of about TRAIN_PIECE positions of the stream
 * (train_piece), in a shuffled order unless cfg.ordered, each to the next thread that is
 * free. A thread cuts its piece into sentences (at "</s>" or TRAIN_MAX_SENTENCE kept
 * words), subsamples afresh and calls the update kernels. The learning rate falls
 * linearly from cfg.alpha to cfg.alpha * TRAIN_MIN_ALPHA over all epochs' words, read
 * from one shared atomic counter.
 * The calling thread shows progress and watches for SIGINT/SIGTERM. */
#ifndef W2V_TRAIN_H
#define W2V_TRAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "train/checkpoint.h"
#include "text/idstream.h"
#include "base/log.h"
#include "train/model.h"

/* Longest sentence handed to the kernels, in kept words (word2vec's limit). */
#define TRAIN_MAX_SENTENCE 1000
/* Positions of a sentence trained between two checks for due merges. With many threads
 * the most frequent rows are due every few hundred positions (TRAIN_MERGE_WORDS / threads),
 * sooner than a sentence ends; merged only between sentences, the tree nodes nearest the
 * root (written at every prediction) overshot with 8 threads on text8like (skip-gram
 * with -hs: training diverged). */
#define TRAIN_STRETCH 64
/* Final learning rate as a fraction of the first (word2vec's floor). */
#define TRAIN_MIN_ALPHA 1e-4

struct train_result {
    double loss;     /* average loss per prediction over the last progress interval */
};

/* Checkpoints of a run: where it starts and when its state is saved. */
struct train_ckpt {
    const struct ckpt_state *from; /* go on from this state (same threads), or NULL */
    const struct ckpt_state *base; /* the corpus record and counts settings saved with
                                    * each checkpoint (its thread records are unused) */
    double every;                  /* seconds between saves while training; 0 for none */
    bool on_signal;                /* also save when SIGINT or SIGTERM stops the run */
    bool at_end;                   /* also save when training is done (marked finished) */
    /* Saves 'st' (the model's matrices are stable during the call: every thread waits).
     * Returns 0, or -1 with 'err' set, which stops the run with that error. */
    int (*save)(void *ctx, const struct ckpt_state *st, struct w2v_err *err);
    void *ctx;
};

/* What the supervising thread tells a train_hook about every tick, and learns from it. */
struct train_tick {
    int64_t done;     /* in: stream positions this process has processed */
    bool finished;    /* in: every worker of this process has stopped */
    bool failed;      /* in: this process stops early (divergence, signal, no thread) */
    int64_t others;   /* out: positions the other processes have processed */
    bool end;         /* out: training is over everywhere; train_run_hooked returns */
};

/* Lets this training be one of several processes of a job (see src/dist/sync.h). */
struct train_hook {
    /* Called by the supervising thread about every 'tick_ns' nanoseconds, also after this
     * process's workers have finished, until it sets 'end'. Returns 0, or -1 with 'err'
     * set to stop training (some process failed, or the exchange did). */
    int (*tick)(void *ctx, struct train_tick *t, struct w2v_err *err);
    void *ctx;
    long tick_ns;
    int64_t total;    /* stream positions x epochs over all processes, for the rate */
    uint64_t stream;  /* random stream number of this process's first worker */
    int processes;    /* processes in the job, for the words/s per thread shown */
};

/* Trains 'm' on the ids (model rows) of the finished stream 's'; 'after' is the estimated
 * seconds of work that follow training (writing the vectors), which the progress display's
 * time left includes. Returns 0, or -1 with 'err' set: a thread could not be started, the
 * stream could not be read back, a signal arrived, or training diverged ("training diverged
 * ...; lower -alpha"): a non-finite score, a loss per prediction that stays above twice the
 * untrained model's (m->untrained_loss), or word vector entries beyond +-1000. */
int train_run(struct model *m, const struct idstream *s, double after,
              struct train_result *res, struct w2v_err *err);

/* train_run as one process of a job described by 'hook' (NULL: the only process), from
 * the start or from 'ck->from' ('ck' NULL: no checkpoints). The learning rate follows the
 * words of every process; progress shows them all. Also returns -1 when the hook stops
 * training, with its 'err', or when a checkpoint cannot be saved; a run stopped by a
 * signal saves its state first when 'ck->on_signal'. */
int train_run_hooked(struct model *m, const struct idstream *s, double after,
                     const struct train_hook *hook, const struct train_ckpt *ck,
                     struct train_result *res, struct w2v_err *err);

/* Bytes each training thread allocates and touches for a vocabulary of 'n' words and
 * stream 's'. */
size_t train_thread_bytes(const struct train_config *cfg, int64_t n, const struct idstream *s);

/* When a thread merges its copies of the frequent words' rows into the model
 * (update_state_merge). A merge adds what the thread changed since its last merge, changes
 * made without seeing the other threads' changes in between; the further a row moves in
 * that time, the further the sum of the threads' changes overshoots where training would
 * have taken it (merging 1,024 rows every 20,000 words and the rest every 100,000, 4
 * threads diverged on text8like). A row moves as often as its word is drawn, and between
 * two merges of one thread it is moved by all of them, so the rows merge in tiers: tier t
 * (t < TRAIN_MERGE_TIERS) holds the TRAIN_MERGE_ROWS << 2t most frequent words (and with
 * -hs as many tree nodes nearest the root) and merges each time a thread has trained
 * (TRAIN_MERGE_WORDS << 2t) / threads more positions; every copied row merges at least
 * every TRAIN_MERGE_ALL / threads. */
#define TRAIN_MERGE_TIERS 4
#define TRAIN_MERGE_ROWS 64
#define TRAIN_MERGE_WORDS 2500
#define TRAIN_MERGE_ALL 200000

/* Positions a thread of 'threads' trains between two merges of tier 'tier' (0 to
 * TRAIN_MERGE_TIERS, the last being every copied row); at least 1. */
int64_t train_merge_every(int threads, int tier);

/* Rows of tier 'tier' (INT32_MAX for the last, every copied row). */
int32_t train_merge_tier_rows(int tier);

/* The rows of the most frequent words that a thread of 'threads' merges when its count of
 * positions trained goes from 'before' to 'after': those of the largest tier due, or 0. */
int32_t train_merge_rows(int threads, int64_t before, int64_t after);

/* Stream positions in a piece of work: an epoch of n positions is cut into
 * train_pieces(n) pieces of n / train_pieces(n) positions or one more. */
#define TRAIN_PIECE 10000

/* Pieces an epoch of a stream of 'n' positions is cut into: n / TRAIN_PIECE, at least 1. */
int64_t train_pieces(int64_t n);

/* The stream positions [*begin, *end) of the piece handed out k-th (0 <= k <
 * train_pieces(n)) in epoch 'epoch'. Unless 'ordered', the pieces of an epoch come in an
 * order drawn from ('seed', 'epoch'), a different one each epoch. Why: the text's order
 * keeps articles of one subject together, and the vectors learn best when each stretch
 * of the learning rate sees the whole text (measured, skip-gram, 1 thread, text8like:
 * 37.05 % analogy in the text's order, 38.62 % with its 10,000-word pieces shuffled,
 * 37.72 % with 500,000-word pieces of 4 parts taken in turn; 3 seeds each). */
void train_piece(int64_t n, bool ordered, uint64_t seed, int epoch, int64_t k,
                 int64_t *begin, int64_t *end);

/* Rows of the most frequent words each thread keeps its own copy of (see
 * update_state_replicate): none with one thread. */
int32_t train_hot_rows(const struct train_config *cfg, int64_t n);

#endif
