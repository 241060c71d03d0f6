/* Unit tests of the training threads: every checkpoint accounts for each position handed
 * out exactly once (published, read but not yet published, or still ahead in a thread's
 * piece); a run resumed from a checkpoint taken mid-run trains every remaining position
 * once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "text/idstream.h"
#include "train/model.h"
#include "base/rng.h"
#include "train/schedule.h"
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
    CHECK_EQ(model_new(m, &c, counts, NULL, WORDS, NULL, &err), 0);
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
        schedule_piece(s->n, false, SEED, st->next_epoch, k, &begin, &end);
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
    CHECK_EQ(train_run(m, s, 0.0, &hook, &ck, &res, &err), 0);
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

int main(void)
{
    log_set_level(LOG_QUIET);
    RUN(test_pieces_and_resume);
    TEST_MAIN("train");
}
