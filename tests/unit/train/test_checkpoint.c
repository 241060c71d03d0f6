/* Unit tests of checkpoint: a model file round-trips settings, vocabulary, matrices and
 * thread records exactly; damaged, truncated and foreign files are refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "train/checkpoint.h"
#include "harness.h"

static char dir[] = "/tmp/w2v-test-XXXXXX";

/* A model of four words; 'maxn' > 0 gives it subwords (n-grams of 2 to maxn characters
 * in 50 buckets). */
static void make_model_sub(struct model *m, struct vocab *v, bool hs, int negative, int maxn)
{
    vocab_init(v);
    const char *words[] = {"alpha", "beta", "gamma", "\xc3\xa9t\xc3\xa9"};
    for (int i = 0; i < 4; i++) {
        const char *w = words[i];
        int32_t id = vocab_intern_h(v, w, strlen(w), strindex_hash(w, strlen(w)));
        v->count[id] = 40 - 9 * i;
    }
    v->count[0] = 7;
    struct train_config c;
    memset(&c, 0, sizeof c);
    c.kind = MODEL_CBOW;
    c.dim = 5;
    c.window = 4;
    c.negative = negative;
    c.hs = hs;
    c.sample = 1e-3;
    c.iter = 3;
    c.alpha = 0.05;
    c.threads = 2;
    c.seed = 11;
    c.ns_exponent = 0.75;
    c.batch = MODEL_MAX_BATCH;
    c.minn = 2;
    c.maxn = maxn;
    c.bucket = 50;
    CHECK(model_new(m, &c, v->count, &v->words, v->n, NULL, NULL) == 0);
    size_t cells = (size_t)m->n * (size_t)c.dim;
    for (size_t i = 0; i < cells; i++) {
        if (m->out_ns != NULL) {
            m->out_ns[i] = (float)i * 0.25f - 3.0f;
        }
        if (m->out_hs != NULL && i + (size_t)c.dim < cells) {
            m->out_hs[i] = -(float)i / 7.0f;
        }
    }
}

static void make_model(struct model *m, struct vocab *v, bool hs, int negative)
{
    make_model_sub(m, v, hs, negative, 0);
}

static void make_state(struct ckpt_state *st, int negative)
{
    memset(st, 0, sizeof *st);
    st->min_count = 2;
    st->max_vocab = 0;
    st->stream_len = 1234;
    st->stream_sum = 0xfeedbeefcafe1234ULL;
    st->done = 999;
    st->next_epoch = 2;
    st->next_piece = 60;
    st->nthreads = 2;
    st->thread = calloc(2, sizeof *st->thread);
    st->thread[0] = (struct ckpt_thread){.rng = 42, .epoch = 1, .pos = 10, .end = 321,
                                         .pending = 3, .lr = 0.0421f,
                                         .nahead = negative > 0 ? 2 : 0};
    st->thread[0].ahead = malloc(2 * sizeof(int32_t));
    st->thread[0].ahead[0] = 3;
    st->thread[0].ahead[1] = 1;
    st->thread[1] = (struct ckpt_thread){.rng = UINT64_MAX, .epoch = 2, .pos = 1234,
                                         .end = 1234, .lr = 5e-6f};
}

static void round_trip(bool hs, int negative, int maxn)
{
    char path[300];
    snprintf(path, sizeof path, "%s/m.w2v", dir);
    struct model m;
    struct vocab v;
    struct ckpt_state st;
    make_model_sub(&m, &v, hs, negative, maxn);
    make_state(&st, negative);
    struct w2v_err err;
    CHECK(ckpt_save(path, &m, &v, &st, &err) == 0);
    struct model m2;
    struct vocab v2;
    struct ckpt_state st2;
    if (ckpt_load(path, &m2, &v2, &st2, &err) != 0) {
        fprintf(stderr, "%s\n", err.msg);
        CHECK(0);
        return;
    }
    CHECK_EQ(v2.n, v.n);
    for (int64_t i = 0; i < v.n; i++) {
        CHECK(strcmp(vocab_word(&v, (int32_t)i), vocab_word(&v2, (int32_t)i)) == 0);
        CHECK_EQ(v.count[i], v2.count[i]);
    }
    CHECK(memcmp(&m.cfg, &m2.cfg, sizeof m.cfg) == 0);
    size_t cells = (size_t)m.n * (size_t)m.cfg.dim;
    CHECK_EQ(m2.rows_in, m.rows_in);
    CHECK_EQ(m.rows_in, maxn > 0 ? m.n + 50 : m.n);
    CHECK(memcmp(m.in, m2.in, (size_t)m.rows_in * (size_t)m.cfg.dim * sizeof(float)) == 0);
    if (maxn > 0) {
        /* the words' rows lists are rebuilt the same from the settings */
        CHECK(m2.sub.start != NULL);
        CHECK(m2.sub.start != NULL &&
              memcmp(m.sub.start, m2.sub.start, (size_t)(m.n + 1) * sizeof *m.sub.start) == 0);
        CHECK(m2.sub.start != NULL &&
              memcmp(m.sub.rows, m2.sub.rows, (size_t)m.sub.start[m.n] * sizeof *m.sub.rows) == 0);
        /* its own row and the n-grams of "<alpha>": 6 of 2 characters, 5 of 3, 4 of 4 */
        CHECK_EQ(m.sub.start[2] - m.sub.start[1], 1 + 6 + 5 + (maxn == 4 ? 4 : 0));
    }
    if (negative > 0) {
        CHECK(memcmp(m.out_ns, m2.out_ns, cells * sizeof(float)) == 0);
    }
    if (hs) {
        CHECK(memcmp(m.out_hs, m2.out_hs, (cells - 5) * sizeof(float)) == 0);
    }
    CHECK_EQ(st2.stream_len, 1234);
    CHECK(st2.stream_sum == st.stream_sum);
    CHECK_EQ(st2.done, 999);
    CHECK_EQ(st2.min_count, 2);
    CHECK_EQ(st2.nthreads, 2);
    CHECK(st2.thread[0].rng == 42 && st2.thread[1].rng == UINT64_MAX);
    CHECK(st2.thread[0].epoch == 1 && st2.thread[0].pos == 10 && st2.thread[0].end == 321 &&
          st2.thread[0].pending == 3);
    CHECK(st2.thread[1].pos == 1234 && st2.thread[1].end == 1234);
    CHECK(st2.next_epoch == 2 && st2.next_piece == 60);
    CHECK(st2.thread[0].lr == 0.0421f && st2.thread[1].lr == 5e-6f);
    CHECK(negative == 0 || (st2.thread[0].nahead == 2 && st2.thread[0].ahead[1] == 1));
    CHECK(st2.thread[1].nahead == 0);
    model_free(&m);
    model_free(&m2);
    vocab_free(&v);
    vocab_free(&v2);
    ckpt_state_free(&st);
    ckpt_state_free(&st2);
}

static void test_round_trip(void)
{
    round_trip(false, 5, 0);
    round_trip(true, 0, 0);
    round_trip(true, 3, 0);
    round_trip(false, 5, 3);
    round_trip(true, 0, 4);
}

/* Saves to 'path' the model of make_model (hierarchical softmax and 5 negatives) with
 * cfg.batch 'batch' and the state of make_state, which 'bad' (if not NULL) alters first. */
static void save_sample(const char *path, int batch, void (*bad)(struct ckpt_state *))
{
    struct model m;
    struct vocab v;
    struct ckpt_state st;
    make_model(&m, &v, true, 5);
    m.cfg.batch = batch;
    make_state(&st, 5);
    if (bad != NULL) {
        bad(&st);
    }
    struct w2v_err err;
    CHECK(ckpt_save(path, &m, &v, &st, &err) == 0);
    model_free(&m);
    vocab_free(&v);
    ckpt_state_free(&st);
}

/* Saves a model whose state 'bad' has made inconsistent (the file itself sound), or whose
 * file 'damage' then rewrites (either may be NULL); returns the load error. */
static const char *load_altered(void (*bad)(struct ckpt_state *),
                                void (*damage)(unsigned char *, size_t *))
{
    static struct w2v_err err;
    char path[300];
    snprintf(path, sizeof path, "%s/d.w2v", dir);
    save_sample(path, MODEL_MAX_BATCH, bad);
    if (damage != NULL) {
        FILE *f = fopen(path, "rb");
        unsigned char buf[1 << 16];
        size_t n = fread(buf, 1, sizeof buf, f);
        fclose(f);
        damage(buf, &n);
        f = fopen(path, "wb");
        fwrite(buf, 1, n, f);
        fclose(f);
    }
    struct model m2;
    struct vocab v2;
    struct ckpt_state st2;
    CHECK(ckpt_load(path, &m2, &v2, &st2, &err) == -1);
    return err.msg;
}

static const char *load_damaged(void (*damage)(unsigned char *, size_t *))
{
    return load_altered(NULL, damage);
}

static void flip_matrix_bit(unsigned char *b, size_t *n)
{
    b[*n - 200] ^= 0x10;
}

static void cut_half(unsigned char *b, size_t *n)
{
    (void)b;
    *n /= 2;
}

static void foreign(unsigned char *b, size_t *n)
{
    (void)n;
    memcpy(b, "2 3\nw0 1", 8);
}

static void next_version(unsigned char *b, size_t *n)
{
    (void)n;
    b[8] = CKPT_VERSION + 1;
}

/* -batch past its bound: the ninth u32 of the settings, after magic, version and flags. */
static void batch_too_large(unsigned char *b, size_t *n)
{
    (void)n;
    b[16 + 8 * 4] = MODEL_MAX_BATCH + 1;
}

static void trailing(unsigned char *b, size_t *n)
{
    b[(*n)++] = 0;
}

/* The version a model of 'batch' is saved as (byte 8, after the magic). */
static int saved_version(int batch)
{
    char path[300];
    snprintf(path, sizeof path, "%s/v.w2v", dir);
    save_sample(path, batch, NULL);
    unsigned char head[12] = {0};
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL && fread(head, 1, sizeof head, f) == sizeof head);
    if (f != NULL) {
        fclose(f);
    }
    return head[8];
}

/* A file is of version 6 only when its batch needs it; version 5 holds batch 0 or 1. */
static void test_version_by_batch(void)
{
    CHECK_EQ(saved_version(0), 5);
    CHECK_EQ(saved_version(1), 5);
    CHECK_EQ(saved_version(2), 6);
    CHECK_EQ(saved_version(MODEL_MAX_BATCH), 6);
}

/* Version 5 with a batch above 1, which no w2v writes. */
static void version_5_batch_2(unsigned char *b, size_t *n)
{
    (void)n;
    b[8] = 5;
    b[16 + 8 * 4] = 2;
}

static void test_damage(void)
{
    CHECK(strstr(load_damaged(flip_matrix_bit), "checksum mismatch") != NULL);
    CHECK(strstr(load_damaged(cut_half), "truncated model file") != NULL);
    CHECK(strstr(load_damaged(foreign), "not a w2v model file") != NULL);
    char want[64];
    snprintf(want, sizeof want, "model file version %u;", CKPT_VERSION + 1);
    CHECK(strstr(load_damaged(next_version), want) != NULL);
    CHECK(strstr(load_damaged(batch_too_large), "corrupt model file (bad settings)") != NULL);
    CHECK(strstr(load_damaged(version_5_batch_2), "corrupt model file (bad settings)") != NULL);
    CHECK(strstr(load_damaged(trailing), "data after the checksum") != NULL);
}

static const char *load_inconsistent(void (*bad)(struct ckpt_state *))
{
    return load_altered(bad, NULL);
}

static void piece_backwards(struct ckpt_state *st)
{
    st->thread[0].end = st->thread[0].pos - 1;
}

static void piece_past_stream(struct ckpt_state *st)
{
    st->thread[0].end = st->stream_len + 1;
}

static void cursor_negative(struct ckpt_state *st)
{
    st->next_piece = -1;
}

static void cursor_past_epochs(struct ckpt_state *st)
{
    st->next_epoch = 100;
}

static void test_inconsistent(void)
{
    CHECK(strstr(load_inconsistent(piece_backwards), "corrupt model file (thread 0)") != NULL);
    CHECK(strstr(load_inconsistent(piece_past_stream), "corrupt model file (thread 0)") != NULL);
    CHECK(strstr(load_inconsistent(cursor_negative), "corrupt model file (thread records)") !=
          NULL);
    CHECK(strstr(load_inconsistent(cursor_past_epochs), "corrupt model file (thread records)") !=
          NULL);
}

/* A model file of version 4 (no subwords, no merge phases), written by the w2v of that
 * version: "w2v train -threads 1 -size 3 -iter 1 -min-count 1 -save-model F" on the two
 * lines "alpha beta alpha gamma beta alpha" and "beta gamma alpha". */
static const unsigned char model_v4[] = {
  0x77, 0x32, 0x76, 0x6d, 0x6f, 0x64, 0x65, 0x6c, 0x04, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
  0x05, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xfc, 0xa9, 0xf1, 0xd2,
  0x4d, 0x62, 0x50, 0x3f, 0x9a, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x3f,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe8, 0x3f, 0x01, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0xa9, 0x57, 0xa0, 0x0b, 0xfc, 0xbd, 0x1b, 0xba,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x3c, 0x2f, 0x73, 0x3e, 0x02, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00, 0x61, 0x6c, 0x70, 0x68,
  0x61, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x62,
  0x65, 0x74, 0x61, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05,
  0x00, 0x67, 0x61, 0x6d, 0x6d, 0x61, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x55, 0x6d, 0x34, 0xbc, 0x93, 0xf8, 0xb6, 0xbd, 0xbc, 0x19,
  0x29, 0xbe, 0x04, 0x34, 0x22, 0xbe, 0x44, 0xe1, 0x12, 0x3e, 0x00, 0x92,
  0xcf, 0xba, 0x4f, 0x26, 0x16, 0x3e, 0xeb, 0xaf, 0x28, 0x3e, 0x7b, 0x59,
  0x27, 0x3d, 0xb5, 0xb9, 0xf5, 0x3d, 0x10, 0x4a, 0x1a, 0xbe, 0x55, 0x67,
  0xe3, 0x3b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x9f, 0xb3, 0xa5, 0x0c, 0x54,
  0x8c, 0x31, 0x01, 0x00, 0x00, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x0b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0b, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xcd, 0xcc, 0xcc, 0x3c, 0x05, 0x00,
  0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x00,
  0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x27, 0xa3,
  0xff, 0xeb
};

/* A version 4 file still loads, as a model without subwords whose threads start their
 * merges afresh; its vectors are the ones its run wrote. */
static void test_version_4(void)
{
    char path[256];
    snprintf(path, sizeof path, "%s/v4.w2vm", dir);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL && fwrite(model_v4, 1, sizeof model_v4, f) == sizeof model_v4);
    fclose(f);
    struct model m;
    struct vocab v;
    struct ckpt_state st;
    struct w2v_err err;
    CHECK_EQ(ckpt_load(path, &m, &v, &st, &err), 0);
    CHECK_EQ(v.n, 4);
    CHECK(strcmp(vocab_word(&v, 1), "alpha") == 0);
    CHECK_EQ(m.cfg.dim, 3);
    CHECK_EQ(m.cfg.maxn, 0);
    CHECK_EQ(m.rows_in, 4);
    CHECK(st.finished);
    CHECK_EQ(st.thread[0].trained, 0);
    /* "alpha -0.158402 0.143437 -0.001584" in the text vectors of that run */
    CHECK_NEAR(m.in[3], -0.158402, 1e-6);
    CHECK_NEAR(m.in[4], 0.143437, 1e-6);
    CHECK_NEAR(m.in[5], -0.001584, 1e-6);
    model_free(&m);
    vocab_free(&v);
    ckpt_state_free(&st);
}

int main(void)
{
    harness_scratch(dir);
    RUN(test_round_trip);
    RUN(test_inconsistent);
    RUN(test_damage);
    RUN(test_version_4);
    RUN(test_version_by_batch);
    harness_scratch_remove(dir);
    TEST_MAIN("checkpoint");
}
