/* Unit tests of how training hands out its work: an epoch's pieces cover the stream once,
 * in the text's order or shuffled afresh each epoch; every checkpoint accounts for each position handed out
 * exactly once (published, read but not yet published, or still ahead in a thread's
 * piece); a run resumed from a checkpoint taken mid-run trains every remaining position
 * once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "text/idstream.h"
#include "train/model.h"
#include "base/rng.h"
#include "train/train.h"

#define WORDS 50
#define TOKENS 400003 /* not a multiple of the piece count */
#define EPOCHS 3
#define THREADS 3
#define SEED 5

/* A stream of TOKENS ids: random words 1..WORDS-1, with a line end (id 0) now and then. */
static void make_stream(struct idstream *s, int64_t *counts)
{
    idstream_init(s, SIZE_MAX, NULL);
    struct rng r;
    rng_seed(&r, 7, 0);
    struct w2v_err err;
    for (int i = 0; i < TOKENS; i++) {
        uint32_t id = i % 97 == 96 ? 0 : 1 + (uint32_t)(rng_uniform(&r) * (WORDS - 1));
        counts[id]++;
        CHECK_EQ(idstream_push(s, id, &err), 0);
    }
    CHECK_EQ(idstream_finish(s, &err), 0);
}

static void make_model(struct model *m, const int64_t *counts)
{
    struct train_config c;
    memset(&c, 0, sizeof c);
    c.kind = MODEL_SKIPGRAM;
    c.dim = 8;
    c.window = 2;
    c.negative = 2;
    c.sample = 0.0;
    c.iter = EPOCHS;
    c.alpha = 0.025;
    c.threads = THREADS;
    c.seed = SEED;
    c.ns_exponent = 0.75;
    struct w2v_err err;
    CHECK_EQ(model_new(m, &c, counts, WORDS, NULL, &err), 0);
}

/* What the checkpoints of one run saw. */
struct seen {
    int64_t n;            /* stream length */
    int saves;
    int wrong;            /* saves whose positions did not add up */
    int pieces_held;      /* thread records that held part of a piece */
    struct ckpt_state mid; /* a copy of the first save with a piece in hand */
    bool have_mid;
    struct ckpt_state mid_last; /* ... and of one in the last epoch */
    bool have_mid_last;
    struct ckpt_state last;
};

static void copy_state(struct ckpt_state *to, const struct ckpt_state *from)
{
    *to = *from;
    to->thread = calloc((size_t)from->nthreads, sizeof *to->thread);
    for (int t = 0; t < from->nthreads; t++) {
        to->thread[t] = from->thread[t];
        if (from->thread[t].nahead > 0) {
            size_t bytes = from->thread[t].nahead * sizeof(int32_t);
            to->thread[t].ahead = malloc(bytes);
            memcpy(to->thread[t].ahead, from->thread[t].ahead, bytes);
        }
    }
}

/* Every position handed out (the cursor) is published, read but not yet published, or
 * still ahead in its thread's piece. */
static int save(void *ctx, const struct ckpt_state *st, struct w2v_err *err)
{
    (void)err;
    struct seen *s = ctx;
    int64_t accounted = st->done;
    bool held = false;
    for (int t = 0; t < st->nthreads; t++) {
        const struct ckpt_thread *th = &st->thread[t];
        accounted += th->pending + (th->end - th->pos);
        held = held || th->pos < th->end;
        s->pieces_held += th->pos < th->end;
    }
    int64_t handed = (int64_t)st->next_epoch * s->n;
    bool last = st->next_epoch == EPOCHS - 1;
    for (int64_t k = 0; k < st->next_piece; k++) {
        int64_t begin;
        int64_t end;
        train_piece(s->n, false, SEED, st->next_epoch, k, &begin, &end);
        handed += end - begin;
    }
    s->wrong += accounted != handed;
    s->saves++;
    if (held && !s->have_mid && !st->finished) {
        copy_state(&s->mid, st);
        s->have_mid = true;
    }
    /* ... and one deep in the last epoch. */
    if (held && !s->have_mid_last && !st->finished && last && st->next_piece > THREADS) {
        copy_state(&s->mid_last, st);
        s->have_mid_last = true;
    }
    ckpt_state_free(&s->last);
    copy_state(&s->last, st);
    return 0;
}

/* A hook, only for its fast ticks: a checkpoint can be taken at every tick. */
static int tick(void *ctx, struct train_tick *t, struct w2v_err *err)
{
    (void)ctx;
    (void)err;
    t->others = 0;
    t->end = t->finished;
    return 0;
}

static void run(struct model *m, const struct idstream *s, const struct ckpt_state *from,
                struct seen *seen)
{
    struct ckpt_state base;
    memset(&base, 0, sizeof base);
    base.stream_len = s->n;
    struct train_ckpt ck = {.from = from, .base = &base, .every = 1e-9, .at_end = true,
                            .save = save, .ctx = seen};
    struct train_hook hook = {.tick = tick, .tick_ns = 1000000L,
                              .total = s->n * m->cfg.iter, .processes = 1};
    struct train_result res;
    struct w2v_err err;
    CHECK_EQ(train_run_hooked(m, s, 0.0, &hook, &ck, &res, &err), 0);
}

/* The final save of a finished run: every epoch handed out and trained, no piece left. */
static void check_finished(const struct seen *seen, int64_t n)
{
    const struct ckpt_state *st = &seen->last;
    CHECK(st->finished);
    CHECK_EQ(st->next_epoch, EPOCHS);
    CHECK_EQ(st->next_piece, 0);
    int64_t trained = st->done;
    for (int t = 0; t < st->nthreads; t++) {
        CHECK_EQ(st->thread[t].epoch, EPOCHS);
        CHECK(st->thread[t].pos == st->thread[t].end);
        trained += st->thread[t].pending;
    }
    CHECK_EQ(trained, n * EPOCHS);
}

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
    int64_t pieces = train_pieces(n);
    CHECK_EQ(pieces, want_pieces);
    struct piece *p = calloc((size_t)pieces, sizeof *p);
    for (int64_t k = 0; k < pieces; k++) {
        p[k].k = k;
        train_piece(n, ordered, seed, epoch, k, &p[k].begin, &p[k].end);
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
    check_cover(400003, false, SEED, 2, 40);
    check_cover(16900000, true, 3, 0, 1690); /* text8like's length */
    int64_t a = check_cover(16900000, false, 3, 0, 1690);
    int64_t b = check_cover(16900000, false, 3, 1, 1690);
    int64_t c = check_cover(16900000, false, 4, 0, 1690);
    CHECK(a != b); /* another epoch, another order */
    CHECK(a != c); /* another seed, another order */
    CHECK_EQ(check_cover(16900000, false, 3, 0, 1690), a); /* the same seed and epoch */
    check_cover(65537 * 10000, false, 9, 7, 65537); /* just over a power of 4 */
}

static void seen_free(struct seen *seen)
{
    ckpt_state_free(&seen->mid);
    ckpt_state_free(&seen->mid_last);
    ckpt_state_free(&seen->last);
}

/* A run resumed from 'from' trains each remaining position once. */
static void check_resumed(const int64_t *counts, const struct idstream *s,
                          const struct ckpt_state *from)
{
    struct model m;
    make_model(&m, counts);
    struct seen again;
    memset(&again, 0, sizeof again);
    again.n = s->n;
    run(&m, s, from, &again);
    CHECK_EQ(again.wrong, 0);
    check_finished(&again, s->n);
    seen_free(&again);
    model_free(&m);
}

static void test_pieces_and_resume(void)
{
    int64_t counts[WORDS] = {0};
    struct idstream s;
    make_stream(&s, counts);
    struct model m;
    make_model(&m, counts);
    struct seen seen;
    memset(&seen, 0, sizeof seen);
    seen.n = s.n;
    run(&m, &s, NULL, &seen);
    CHECK(seen.saves >= 2);
    CHECK_EQ(seen.wrong, 0);
    CHECK(seen.pieces_held > 0);
    CHECK(seen.have_mid);
    CHECK(seen.have_mid_last);
    CHECK_EQ(seen.last.nthreads, THREADS);
    check_finished(&seen, s.n);
    check_resumed(counts, &s, &seen.mid);      /* from the middle of the run */
    check_resumed(counts, &s, &seen.mid_last); /* from deep in the last epoch */
    seen_free(&seen);
    model_free(&m);
    idstream_free(&s);
}

/* Merge tiers: with 2 threads the 64, 256, 1,024 and 4,096 most frequent rows merge every
 * 1,250, 5,000, 20,000 and 80,000 positions and every copied row every 100,000; the
 * largest tier due is the one merged; intervals shrink with the thread count. */
static void test_merge_tiers(void)
{
    CHECK_EQ(train_merge_every(2, 0), 1250);
    CHECK_EQ(train_merge_every(2, 1), 5000);
    CHECK_EQ(train_merge_every(2, 2), 20000);
    CHECK_EQ(train_merge_every(2, 3), 80000);
    CHECK_EQ(train_merge_every(2, TRAIN_MERGE_TIERS), 100000);
    CHECK_EQ(train_merge_every(1, 0), 2500);
    CHECK_EQ(train_merge_every(8, 0), 312);
    CHECK_EQ(train_merge_every(100000, 0), 1); /* never 0 */
    CHECK_EQ(train_merge_rows(2, 0, 1249), 0);
    CHECK_EQ(train_merge_rows(2, 1249, 1250), 64);
    CHECK_EQ(train_merge_rows(2, 1250, 2499), 0);
    CHECK_EQ(train_merge_rows(2, 4999, 5000), 256);
    CHECK_EQ(train_merge_rows(2, 19000, 20001), 1024);
    CHECK_EQ(train_merge_rows(2, 79999, 80000), 4096);
    CHECK_EQ(train_merge_rows(2, 99999, 100000), INT32_MAX);
    CHECK_EQ(train_merge_rows(2, 0, 1000000), INT32_MAX);
    for (int threads = 2; threads <= 64; threads++) {
        for (int t = 0; t <= TRAIN_MERGE_TIERS; t++) {
            CHECK(train_merge_every(threads, t) <= train_merge_every(threads - 1, t));
            if (t > 0) {
                CHECK(train_merge_tier_rows(t) > train_merge_tier_rows(t - 1));
            }
        }
    }
    /* Counting in uneven steps (sentences) of at most 1,000 positions, every tier's rows
     * are merged at least once in any stretch of its interval plus one step. */
    for (int threads = 2; threads <= 16; threads *= 2) {
        int64_t last[TRAIN_MERGE_TIERS + 1] = {0};
        int64_t at = 0;
        uint64_t s = 7;
        bool kept = true;
        while (at < 3000000) {
            s = s * 6364136223846793005u + 1442695040888963407u;
            int64_t step = 1 + (int64_t)((s >> 33) % 1000);
            int32_t rows = train_merge_rows(threads, at, at + step);
            at += step;
            for (int t = 0; t <= TRAIN_MERGE_TIERS; t++) {
                if (rows >= train_merge_tier_rows(t)) {
                    last[t] = at;
                }
                kept = kept && at - last[t] <= train_merge_every(threads, t) + 1000;
            }
        }
        CHECK(kept);
    }
}

int main(void)
{
    log_set_level(LOG_QUIET);
    RUN(test_piece_layout);
    RUN(test_merge_tiers);
    RUN(test_pieces_and_resume);
    TEST_MAIN("train");
}
