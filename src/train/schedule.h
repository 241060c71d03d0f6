/* schedule: the order in which the epochs go out to the training threads. Each epoch of a
 * stream of n positions is cut into schedule_pieces(n) pieces of about SCHEDULE_PIECE
 * positions, which go out in a random order, new each epoch and drawn from the seed alone
 * (unless 'ordered', the text's order), each to the next thread that is free, so that the
 * threads end within a piece of each other and -threads 1 runs are reproducible. Why the
 * random order: a text keeps the articles of one subject together, and the vectors learn
 * best when each stretch of the falling learning rate sees all of the text (DESIGN.md). */
#ifndef W2V_SCHEDULE_H
#define W2V_SCHEDULE_H

#include <stdbool.h>
#include <stdint.h>

/* Stream positions in a piece of work. */
#define SCHEDULE_PIECE 10000

/* Pieces an epoch of a stream of 'n' positions is cut into: n / SCHEDULE_PIECE, at least 1;
 * they hold n / pieces positions, the first n % pieces one more. */
int64_t schedule_pieces(int64_t n);

/* The stream positions [*begin, *end) of the piece handed out k-th (0 <= k <
 * schedule_pieces(n)) in epoch 'epoch': the k-th of a permutation drawn from ('seed',
 * 'epoch'), or the k-th in the text's order when 'ordered'. */
void schedule_piece(int64_t n, bool ordered, uint64_t seed, int epoch, int64_t k,
                    int64_t *begin, int64_t *end);

/* The cursor of a run: the next piece to hand out. Not thread-safe: its owner locks. */
struct schedule {
    int64_t n;          /* stream positions in an epoch */
    int iter;           /* epochs */
    bool ordered;
    uint64_t seed;
    int next_epoch;     /* the next piece: epoch and rank in that epoch's order */
    int64_t next_piece;
};

/* Sets the cursor of a run of 'iter' epochs over 'n' positions at piece 'piece' of epoch
 * 'epoch' (0, 0 for a new run; a checkpoint's for a resumed one). */
void schedule_init(struct schedule *s, int64_t n, int iter, bool ordered, uint64_t seed,
                   int epoch, int64_t piece);

/* Hands out the next piece: its epoch and positions [*begin, *end). Returns false when
 * every epoch has been handed out. */
bool schedule_take(struct schedule *s, int *epoch, int64_t *begin, int64_t *end);

#endif
