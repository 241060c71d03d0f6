/* Unit tests of how training hands out its work: an epoch's pieces cover the stream once,
 * threads start a lane apart; every checkpoint accounts for each position handed out
 * exactly once (published, read but not yet published, or still ahead in a thread's
 * piece); a run resumed from a checkpoint taken mid-run trains every remaining position
 * once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "idstream.h"
#include "model.h"
#include "rng.h"
#include "train.h"

#define WORDS 50
#define TOKENS 400003 /* not a multiple of the piece count */
#define EPOCHS 3
#define THREADS 3

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
    c.seed = 5;
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
    struct ckpt_state mid_last; /* ... and of one in the last epoch's smaller pieces */
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
        train_piece(THREADS, s->n, last, k, &begin, &end);
        handed += end - begin;
    }
    s->wrong += accounted != handed;
    s->saves++;
    if (held && !s->have_mid && !st->finished) {
        copy_state(&s->mid, st);
        s->have_mid = true;
    }
    /* ... and one deep in the last epoch, where the pieces halve. */
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

/* The pieces of an epoch ('last': the run's last), in the order handed out, cover [0, n)
 * once: taken in turn from the lanes, each lane's pieces follow one another from where the
 * lane starts to where it ends. In the last epoch they do not grow along a lane, and
 * when a lane has several, none is shorter than 10,000 positions. */
static void check_cover(int threads, int64_t n, bool last, int64_t want_pieces)
{
    int64_t pieces = train_pieces(threads, n, last);
    CHECK_EQ(pieces, want_pieces);
    CHECK_EQ(pieces % threads, 0);
    int64_t *at = calloc((size_t)threads, sizeof *at);   /* where each lane has got to */
    int64_t *size = calloc((size_t)threads, sizeof *size); /* its last piece's length */
    for (int t = 0; t < threads; t++) {
        at[t] = n * t / threads;
    }
    for (int64_t k = 0; k < pieces; k++) {
        int64_t begin;
        int64_t end;
        train_piece(threads, n, last, k, &begin, &end);
        int t = (int)(k % threads);
        CHECK_EQ(begin, at[t]);
        CHECK(begin <= end);
        if (last && k >= threads) {
            CHECK(end - begin <= size[t]);
        }
        if (pieces > threads) {
            CHECK(end - begin >= 10000);
        }
        at[t] = end;
        size[t] = end - begin;
    }
    for (int t = 0; t < threads; t++) {
        CHECK_EQ(at[t], n * (t + 1) / threads);
    }
    free(at);
    free(size);
}

static void test_piece_layout(void)
{
    check_cover(1, 1000003, false, 1);    /* one thread: the epoch whole */
    check_cover(1, 1000003, true, 1);
    check_cover(2, 16900000, false, 8);   /* 4 a thread */
    check_cover(2, 16900000, true, 20);   /* 4.2M, 2.1M, ... 16,503 and 16,504 a thread */
    check_cover(2, 20000000000, true, 32); /* at most 16 a thread */
    check_cover(3, 50000, false, 3);      /* 1 a thread of at least 10,000 positions */
    check_cover(3, 50000, true, 3);
    check_cover(3, 70000, false, 6);      /* 2 a thread */
    check_cover(3, 70000, true, 6);
    check_cover(3, 400003, true, 12);     /* the stream of test_pieces_and_resume */
    check_cover(4, 5000, false, 4);       /* small: one per thread */
    check_cover(4, 5000, true, 4);
    check_cover(3, 2, false, 3);          /* fewer positions than threads: empty pieces */
    check_cover(3, 2, true, 3);
    check_cover(2, 0, true, 2);
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
    check_resumed(counts, &s, &seen.mid_last); /* from the last epoch's smaller pieces */
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
