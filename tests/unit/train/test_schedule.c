/* Unit tests of the schedule: an epoch's pieces cover the stream once, in the text's order
 * or shuffled afresh each epoch (an order drawn from the seed and the epoch), and the
 * cursor hands out every piece of every epoch once. */
#include <stdlib.h>

#include "harness.h"
#include "train/schedule.h"

/* A piece as handed out: its place in the order, and where it lies. */
struct piece {
    int64_t k;
    int64_t begin;
    int64_t end;
};

static int by_begin(const void *a, const void *b)
{
    const struct piece *x = a;
    const struct piece *y = b;
    return (x->begin > y->begin) - (x->begin < y->begin);
}

/* The pieces of epoch 'epoch', in the order handed out, cover [0, n) once, each of
 * n / pieces positions or one more; in the text's order with 'ordered', else in an
 * order that depends on the seed and the epoch and jumps about the text (consecutive
 * pieces lie a third of the text apart on average, as for a random order; at least a
 * quarter is asked). Returns the first piece's start. */
static int64_t check_cover(int64_t n, bool ordered, uint64_t seed, int epoch,
                           int64_t want_pieces)
{
    int64_t pieces = schedule_pieces(n);
    CHECK_EQ(pieces, want_pieces);
    struct piece *p = calloc((size_t)pieces, sizeof *p);
    for (int64_t k = 0; k < pieces; k++) {
        p[k].k = k;
        schedule_piece(n, ordered, seed, epoch, k, &p[k].begin, &p[k].end);
    }
    int64_t first = p[0].begin;
    qsort(p, (size_t)pieces, sizeof *p, by_begin);
    int64_t *place = calloc((size_t)pieces, sizeof *place); /* k -> j, its rank in the text */
    bool tiled = true;
    bool in_order = true;
    int64_t at = 0;
    for (int64_t j = 0; j < pieces; j++) {
        int64_t len = p[j].end - p[j].begin;
        tiled = tiled && p[j].begin == at && (len == n / pieces || len == n / pieces + 1);
        at = p[j].end;
        place[p[j].k] = j;
        in_order = in_order && p[j].k == j;
    }
    CHECK(tiled);
    CHECK_EQ(at, n);
    if (ordered || pieces < 2) {
        CHECK(in_order);
    } else if (pieces >= 100) {
        double jumps = 0.0;
        for (int64_t k = 1; k < pieces; k++) {
            int64_t d = place[k] - place[k - 1];
            jumps += (double)(d > 0 ? d : -d);
        }
        CHECK(!in_order);
        CHECK(jumps / (double)(pieces - 1) > (double)pieces / 4.0);
    }
    free(place);
    free(p);
    return first;
}

static void test_piece_layout(void)
{
    check_cover(0, false, 1, 0, 1);         /* an empty stream: one empty piece */
    check_cover(2, false, 1, 0, 1);
    check_cover(19999, false, 1, 0, 1);      /* under two pieces' worth: one */
    check_cover(20000, false, 1, 0, 2);
    check_cover(400003, true, 1, 0, 40);     /* the stream of test_pieces_and_resume */
    check_cover(400003, false, 5, 2, 40);
    check_cover(16900000, true, 3, 0, 1690); /* text8like's length */
    int64_t a = check_cover(16900000, false, 3, 0, 1690);
    int64_t b = check_cover(16900000, false, 3, 1, 1690);
    int64_t c = check_cover(16900000, false, 4, 0, 1690);
    CHECK(a != b); /* another epoch, another order */
    CHECK(a != c); /* another seed, another order */
    CHECK_EQ(check_cover(16900000, false, 3, 0, 1690), a); /* the same seed and epoch */
    check_cover(65537 * 10000, false, 9, 7, 65537); /* just over a power of 4 */
}

/* The cursor hands out every piece of every epoch once, epochs in order, from the start
 * or from a point in the middle. */
static void test_cursor(void)
{
    enum { N = 123457, ITER = 3 };
    int64_t pieces = schedule_pieces(N);
    struct schedule s;
    schedule_init(&s, N, ITER, false, 9, 0, 0);
    int64_t covered = 0;
    int last_epoch = 0;
    int epoch;
    int64_t begin;
    int64_t end;
    int taken = 0;
    bool ordered = true;
    while (schedule_take(&s, &epoch, &begin, &end)) {
        covered += end - begin;
        ordered = ordered && epoch >= last_epoch;
        last_epoch = epoch;
        taken++;
    }
    CHECK_EQ(covered, (int64_t)N * ITER);
    CHECK_EQ(taken, pieces * ITER);
    CHECK(ordered);
    CHECK_EQ(s.next_epoch, ITER);
    schedule_init(&s, N, ITER, false, 9, 1, pieces - 1);
    taken = 0;
    while (schedule_take(&s, &epoch, &begin, &end)) {
        taken++;
    }
    CHECK_EQ(taken, 1 + pieces); /* the last piece of epoch 1, then all of epoch 2 */
}

int main(void)
{
    RUN(test_piece_layout);
    RUN(test_cursor);
    TEST_MAIN("schedule");
}
