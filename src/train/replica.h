/* replica: a training thread's own copies of the rows that every thread writes. The rows of
 * the most frequent words, and of the hierarchical softmax's inner nodes nearest the root
 * (the root is on every word's path), are written by every thread many times a second;
 * each write takes the cache line away from the other cores, so that sharing them costs
 * more than the arithmetic. With two threads or more, each keeps its own copy of those
 * rows and merges it into the model now and then (in tiers: the more frequent the word,
 * the more often); between merges a thread does not see the others' changes to its copies,
 * as Hogwild's other races lose some. DESIGN.md gives the measurements behind the sizes. */
#ifndef W2V_REPLICA_H
#define W2V_REPLICA_H

#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "train/model.h"
#include "train/update.h"

/* cfg.copies for no copies at all. */
#define REPLICA_NONE (-1)

/* Rows of the most frequent words a thread of a run with settings 'cfg' and 'n' words
 * copies: cfg->copies when it is set (cut to the vocabulary; none for REPLICA_NONE), else
 * none with one thread, otherwise as many as fit in REPLICA_BYTES (input and output rows,
 * as many tree nodes with -hs, and the same again as of the last merge) and at most n /
 * threads, so that all the threads' copies together hold no more rows than the model. */
int32_t replica_rows(const struct train_config *cfg, int64_t n);

/* The bytes replica_alloc allocates for 'hot' rows. */
size_t replica_bytes(const struct train_config *cfg, int32_t hot);

/* Gives 'st' room for its own copies of the rows of words [0, hot) of m->in and m->out_ns
 * (hot is cut to the vocabulary), and of the last 'hot' inner nodes of m->out_hs (cut to
 * the n - 1 nodes; nodes are numbered from the leaves up, so these are the ones nearest
 * the root), and for their base; replica_fill gives them the model's values. Returns 0 or
 * -1 with 'err' set. update_state_free releases them. */
int replica_alloc(struct update_state *st, const struct model *m, int32_t hot,
                  struct w2v_err *err);

/* Writes zeros over all of st's copies and their base: the first write of their fresh
 * pages, which the kernel clears then. A worker calls it before it takes the locks under
 * which it fills its copies (replica_fill), so that the threads clear their pages side by
 * side rather than one after the other. */
void replica_touch(struct update_state *st, const struct model *m);

/* Copies the model's rows of the words [from, to) (cut to what is copied), and its inner
 * nodes [from, to) places from the root, into the thread's copies and their base. The
 * thread that trains with the copies fills them before its first step, so that the
 * threads set up their copies side by side rather than the caller alone. */
void replica_fill(struct update_state *st, struct model *m, int32_t from, int32_t to);

/* For the words [from, to) and the inner nodes [from, to) places from the root (cut to
 * what is copied): adds what this thread changed in its copies of their rows since their
 * last merge to the model, then takes the model's rows (with the other threads' merged
 * changes) as its copies. Call it when replica_due says so, and with every row before the
 * model is read (checkpoint, end of training). Two threads must not merge or fill the same
 * rows at once (the caller serialises them, a tier's rows at a time). */
void replica_merge(struct update_state *st, struct model *m, int32_t from, int32_t to);

/* The merge tiers. A merge adds what the thread changed since its last merge, changes
 * made without seeing the other threads' changes in between; the further a row moves in
 * that time, the further the sum of the threads' changes overshoots where training would
 * have taken it. A row moves as often as its word is drawn, so tier t (t < REPLICA_TIERS)
 * holds the REPLICA_TIER_ROWS << 2t most frequent words (and with -hs as many tree nodes)
 * and merges each time a thread has trained (REPLICA_TIER_WORDS << 2t) / threads more
 * positions; every copied row merges at least every REPLICA_ALL_WORDS / threads. */
#define REPLICA_TIERS 4
#define REPLICA_TIER_ROWS 64
#define REPLICA_TIER_WORDS 2500
#define REPLICA_ALL_WORDS 200000

/* Positions a thread of 'threads' trains between two merges of tier 'tier' (0 to
 * REPLICA_TIERS, the last being every copied row); at least 1. */
int64_t replica_every(int threads, int tier);

/* Rows of tier 'tier' (INT32_MAX for the last, every copied row): the words [0, rows).
 * A tier's own rows are those not in the tier below it. */
int32_t replica_tier_rows(int tier);

/* The rows that a thread of 'threads' merges when its count of positions trained goes
 * from 'before' to 'after': those of the largest tier due, or 0. */
int32_t replica_due(int threads, int64_t before, int64_t after);

#endif
