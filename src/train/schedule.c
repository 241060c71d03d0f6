/* schedule: pieces, their shuffle and the cursor. */
#include "train/schedule.h"

#include "base/rng.h"

/* Rounds of the Feistel network that shuffles the pieces. */
#define SCHEDULE_ROUNDS 4

int64_t schedule_pieces(int64_t n)
{
    int64_t pieces = n / SCHEDULE_PIECE;
    return pieces > 1 ? pieces : 1;
}

/* A permutation of [0, 2^bits) for an even 'bits', drawn from 'key': a balanced Feistel
 * network whose round function is the generator's mixer (rng.h). */
static uint64_t feistel(uint64_t x, int bits, uint64_t key)
{
    int half = bits / 2;
    uint64_t mask = ((uint64_t)1 << half) - 1;
    uint64_t l = x >> half;
    uint64_t r = x & mask;
    for (int i = 0; i < SCHEDULE_ROUNDS; i++) {
        uint64_t f = rng_mix(r ^ (key += RNG_GAMMA)) & mask;
        uint64_t t = r;
        r = l ^ f;
        l = t;
    }
    return (l << half) | r;
}

void schedule_piece(int64_t n, bool ordered, uint64_t seed, int epoch, int64_t k,
                    int64_t *begin, int64_t *end)
{
    int64_t pieces = schedule_pieces(n);
    int64_t j = k;
    if (!ordered && pieces > 1) {
        /* The Feistel network permutes the smallest square power of two holding every
         * piece (at most 4 times as many); walking the cycle of k until it comes back
         * into [0, pieces) makes a permutation of the pieces. */
        int bits = 2;
        while (((int64_t)1 << bits) < pieces) {
            bits += 2;
        }
        struct rng epoch_rng; /* the epoch's key: the start of a stream of the seed */
        rng_seed(&epoch_rng, seed, (uint64_t)epoch);
        uint64_t key = epoch_rng.state;
        uint64_t x = (uint64_t)k;
        do {
            x = feistel(x, bits, key);
        } while (x >= (uint64_t)pieces);
        j = (int64_t)x;
    }
    int64_t base = n / pieces;
    int64_t longer = n % pieces;
    *begin = j * base + (j < longer ? j : longer);
    *end = *begin + base + (j < longer ? 1 : 0);
}

void schedule_init(struct schedule *s, int64_t n, int iter, bool ordered, uint64_t seed,
                   int epoch, int64_t piece)
{
    *s = (struct schedule){n, iter, ordered, seed, epoch, piece};
}

bool schedule_take(struct schedule *s, int *epoch, int64_t *begin, int64_t *end)
{
    int64_t pieces = schedule_pieces(s->n);
    bool got = false;
    while (!got && s->next_epoch < s->iter) {
        if (s->next_piece < pieces) {
            *epoch = s->next_epoch;
            schedule_piece(s->n, s->ordered, s->seed, s->next_epoch, s->next_piece, begin, end);
            got = *begin < *end; /* an empty stream has one empty piece */
            s->next_piece++;
        }
        if (s->next_piece >= pieces) {
            s->next_epoch++;
            s->next_piece = 0;
        }
    }
    return got;
}
