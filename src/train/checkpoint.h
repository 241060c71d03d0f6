/* checkpoint: the model file of -save-model, -checkpoint, -resume and -init. It holds what
 * a run needs to go on exactly where it stopped: the settings, the vocabulary and its
 * counts, every weight matrix, a record of the corpus (token count and checksum of the id
 * stream), where the next piece of work starts, and the piece each training thread holds
 * and how far it got, with its random state.
 *
 * Format, version 6, all integers and floats little-endian. Version 5 is the same with
 * batch 0 or 1 only, and is what a run of batch 0 or 1 writes; version 4, also read,
 * lacks the minn, maxn, bucket and trained fields:
 *   "w2vmodel" (8 bytes), u32 version, u32 flags (bit 0: training finished)
 *   settings: u32 kind (0 skip-gram, 1 CBOW), dim, window, negative, hs, iter, threads,
 *     fixed_window, batch, ordered, minn, maxn; i64 bucket; f64 sample, alpha, ns_exponent;
 *     u64 seed; i64 min_count, max_vocab
 *   corpus: i64 stream length (tokens and line ends), u64 checksum of the stream's ids
 *   progress: i64 stream positions done over all epochs
 *   vocabulary: i64 rows, then per row u16 length, the word's bytes, i64 count
 *   matrices: input vectors ((rows + bucket with subwords) x dim f32: the words', then the
 *     n-gram buckets'), then the negative-sampling output vectors if
 *     negative > 0 (rows x dim), then the hierarchical-softmax ones if hs ((rows-1) x dim)
 *   threads: u32 count, i32 epoch and i64 number of the next piece to hand out (in the
 *     layout of schedule_piece, which version 4 changed to shuffled pieces), then
 *     per thread u64 random state, i32 epoch, i64 position and i64 end of its piece,
 *     i64 positions not yet published, i64 positions trained (the merge tiers' phase), f32
 *     learning rate, u32 negatives drawn ahead,
 *     then those i32 ids
 *   u32 CRC-32 (zlib's) of every byte before it. */
#ifndef W2V_CHECKPOINT_H
#define W2V_CHECKPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/log.h"
#include "train/model.h"
#include "text/vocab.h"

/* The file's magic bytes and the version this build writes and reads. */
#define CKPT_MAGIC "w2vmodel"
#define CKPT_VERSION 6u

/* Where one training thread stands. */
struct ckpt_thread {
    uint64_t rng;       /* random state */
    int32_t epoch;      /* the epoch of its piece (iter when done) */
    int64_t pos;        /* the next stream position of its piece */
    int64_t end;        /* the end of its piece (pos == end: no piece in hand) */
    int64_t pending;    /* positions read but not yet added to the shared count */
    int64_t trained;    /* positions it has trained, the phase of its merges (replica.h) */
    float lr;           /* learning rate in force */
    uint32_t nahead;    /* negatives already drawn for the next prediction */
    int32_t *ahead;     /* those ids (malloc'ed; NULL when nahead is 0) */
};

/* Everything in a model file besides the model's matrices and the vocabulary. */
struct ckpt_state {
    bool finished;
    int64_t min_count;
    int64_t max_vocab;
    int64_t stream_len;       /* the corpus record */
    uint64_t stream_sum;
    int64_t done;             /* positions done over all epochs */
    int32_t next_epoch;       /* the next piece of work to hand out (see schedule.h) */
    int64_t next_piece;
    int nthreads;
    struct ckpt_thread *thread;
};

/* Checksum of a stream of ids, for the corpus record: feed ids in order to
 * ckpt_sum_add, starting from CKPT_SUM_INIT. */
#define CKPT_SUM_INIT 1469598103934665603ULL
static inline uint64_t ckpt_sum_add(uint64_t sum, uint32_t id)
{
    return (sum ^ id) * 1099511628211ULL; /* FNV-1a over whole ids */
}

/* Writes the model file 'path' atomically (a temporary file renamed when complete).
 * Returns 0, or -1 with 'err' set; a failure leaves any earlier file at 'path' as it was. */
int ckpt_save(const char *path, const struct model *m, const struct vocab *v,
              const struct ckpt_state *st, struct w2v_err *err);

/* Reads the model file 'path': fills 'v' (initialised by this call), builds 'm' with its
 * settings and counts (model_new) and then loads its matrices, and fills 'st' (free with
 * ckpt_state_free). Returns 0, or -1 with 'err' set: not a model file, another version,
 * truncated, a checksum mismatch, or inconsistent contents. */
int ckpt_load(const char *path, struct model *m, struct vocab *v, struct ckpt_state *st,
              struct w2v_err *err);

struct input;

/* ckpt_load from an input already opened at the start of the file (io/input.h); the
 * caller closes it. */
int ckpt_load_input(struct input *in, struct model *m, struct vocab *v, struct ckpt_state *st,
                    struct w2v_err *err);

/* Frees the thread records of 'st'. */
void ckpt_state_free(struct ckpt_state *st);

#endif
