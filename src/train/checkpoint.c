/* checkpoint: writing and reading the model file. Every byte goes through one writer and
 * one reader that keep the running CRC-32, so the checksum covers exactly what is stored. */
#include "train/checkpoint.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "io/input.h"
#include "io/outfile.h"
#include "base/util.h"

/* Longest word a model file may hold (lengths are stored in 16 bits). */
#define CKPT_MAX_WORD 65535
/* Floats converted per write or read of a matrix. */
#define CKPT_CHUNK 4096
/* The oldest version read (4 has no subwords and no merge phases), the first with them,
 * and the first whose batch may exceed 1 (written only for such a run, so that the files
 * of other runs stay readable by the w2v of version 5); bounds of the subword settings a
 * file may hold. */
#define CKPT_OLDEST 4u
#define CKPT_SUBWORDS 5u
#define CKPT_BATCH 6u
#define CKPT_MAX_NGRAM 257
#define CKPT_MAX_BUCKET (INT32_MAX / 2)

struct writer {
    struct outfile of;
    uLong crc;
    struct w2v_err *err;
    int rc;
};

static void put(struct writer *w, const void *p, size_t n)
{
    if (w->rc != 0) {
        return;
    }
    w->crc = crc32(w->crc, p, (uInt)n);
    w->rc = outfile_write(&w->of, p, n, w->err);
}

static void put_le(struct writer *w, uint64_t v, int bytes)
{
    unsigned char b[8];
    for (int i = 0; i < bytes; i++) {
        b[i] = (unsigned char)(v >> (8 * i));
    }
    put(w, b, (size_t)bytes);
}

static void put_u32(struct writer *w, uint32_t v)
{
    put_le(w, v, 4);
}

static void put_i64(struct writer *w, int64_t v)
{
    put_le(w, (uint64_t)v, 8);
}

static void put_f64(struct writer *w, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    put_le(w, u, 8);
}

static void put_floats(struct writer *w, const float *x, size_t n)
{
    unsigned char buf[CKPT_CHUNK * 4];
    while (n > 0 && w->rc == 0) {
        size_t take = n < CKPT_CHUNK ? n : CKPT_CHUNK;
        /* cppcheck-suppress knownConditionTrueFalse ; cppcheck 2.10 misreads the minimum */
        for (size_t i = 0; i < take; i++) {
            uint32_t u;
            memcpy(&u, &x[i], 4);
            buf[4 * i] = (unsigned char)u;
            buf[4 * i + 1] = (unsigned char)(u >> 8);
            buf[4 * i + 2] = (unsigned char)(u >> 16);
            buf[4 * i + 3] = (unsigned char)(u >> 24);
        }
        put(w, buf, take * 4);
        x += take;
        n -= take;
    }
}

static void put_settings(struct writer *w, const struct train_config *c,
                         const struct ckpt_state *st)
{
    put_u32(w, c->kind == MODEL_CBOW ? 1u : 0u);
    put_u32(w, (uint32_t)c->dim);
    put_u32(w, (uint32_t)c->window);
    put_u32(w, (uint32_t)c->negative);
    put_u32(w, c->hs ? 1u : 0u);
    put_u32(w, (uint32_t)c->iter);
    put_u32(w, (uint32_t)c->threads);
    put_u32(w, c->fixed_window ? 1u : 0u);
    put_u32(w, (uint32_t)c->batch);
    put_u32(w, c->ordered ? 1u : 0u);
    put_u32(w, (uint32_t)c->minn);
    put_u32(w, (uint32_t)c->maxn);
    put_i64(w, c->bucket);
    put_f64(w, c->sample);
    put_f64(w, c->alpha);
    put_f64(w, c->ns_exponent);
    put_le(w, c->seed, 8);
    put_i64(w, st->min_count);
    put_i64(w, st->max_vocab);
}

static void put_threads(struct writer *w, const struct ckpt_state *st)
{
    put_u32(w, (uint32_t)st->nthreads);
    put_u32(w, (uint32_t)st->next_epoch);
    put_i64(w, st->next_piece);
    for (int t = 0; t < st->nthreads; t++) {
        const struct ckpt_thread *th = &st->thread[t];
        put_le(w, th->rng, 8);
        put_u32(w, (uint32_t)th->epoch);
        put_i64(w, th->pos);
        put_i64(w, th->end);
        put_i64(w, th->pending);
        put_i64(w, th->trained);
        float lr = th->lr;
        put_floats(w, &lr, 1);
        put_u32(w, th->nahead);
        for (uint32_t i = 0; i < th->nahead; i++) {
            put_u32(w, (uint32_t)th->ahead[i]);
        }
    }
}

int ckpt_save(const char *path, const struct model *m, const struct vocab *v,
              const struct ckpt_state *st, struct w2v_err *err)
{
    struct writer w = {.crc = crc32(0L, Z_NULL, 0), .err = err};
    if (outfile_open(&w.of, path, false, err) != 0) {
        return -1;
    }
    w.of.despite_signal = true; /* the state of a stopped run is saved after its signal */
    put(&w, CKPT_MAGIC, strlen(CKPT_MAGIC));
    put_u32(&w, m->cfg.batch > 1 ? CKPT_VERSION : CKPT_BATCH - 1);
    put_u32(&w, st->finished ? 1u : 0u);
    put_settings(&w, &m->cfg, st);
    put_i64(&w, st->stream_len);
    put_le(&w, st->stream_sum, 8);
    put_i64(&w, st->done);
    put_i64(&w, v->n);
    for (int64_t i = 0; i < v->n; i++) {
        const char *word = vocab_word(v, (int32_t)i);
        size_t len = strlen(word);
        put_le(&w, len, 2);
        put(&w, word, len);
        put_i64(&w, v->count[i]);
    }
    size_t cells = (size_t)m->n * (size_t)m->cfg.dim;
    put_floats(&w, m->in, (size_t)m->rows_in * (size_t)m->cfg.dim);
    if (m->cfg.negative > 0) {
        put_floats(&w, m->out_ns, cells);
    }
    if (m->cfg.hs) {
        put_floats(&w, m->out_hs, cells - (size_t)m->cfg.dim);
    }
    put_threads(&w, st);
    put_u32(&w, (uint32_t)w.crc);
    if (w.rc != 0) {
        outfile_abort(&w.of);
        return -1;
    }
    return outfile_commit(&w.of, err);
}

struct reader {
    struct input *in;
    uint32_t version;   /* of the file being read */
    uLong crc;
    struct w2v_err *err;
    int rc;
};

static void get(struct reader *r, void *p, size_t n)
{
    if (r->rc != 0) {
        memset(p, 0, n);
        return;
    }
    int64_t got = input_read(r->in, p, n, r->err);
    if (got < 0) {
        r->rc = -1;
    } else if ((size_t)got < n) {
        err_set(r->err, "%s: truncated model file", r->in->path);
        r->rc = -1;
    } else {
        r->crc = crc32(r->crc, p, (uInt)n);
        return;
    }
    memset(p, 0, n);
}

static uint64_t get_le(struct reader *r, int bytes)
{
    unsigned char b[8];
    get(r, b, (size_t)bytes);
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) {
        v |= (uint64_t)b[i] << (8 * i);
    }
    return v;
}

static uint32_t get_u32(struct reader *r)
{
    return (uint32_t)get_le(r, 4);
}

static int64_t get_i64(struct reader *r)
{
    return (int64_t)get_le(r, 8);
}

static double get_f64(struct reader *r)
{
    uint64_t u = get_le(r, 8);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

static void get_floats(struct reader *r, float *x, size_t n)
{
    unsigned char buf[CKPT_CHUNK * 4];
    while (n > 0 && r->rc == 0) {
        size_t take = n < CKPT_CHUNK ? n : CKPT_CHUNK;
        get(r, buf, take * 4);
        /* cppcheck-suppress knownConditionTrueFalse ; cppcheck 2.10 misreads the minimum */
        for (size_t i = 0; i < take; i++) {
            uint32_t u = (uint32_t)buf[4 * i] | (uint32_t)buf[4 * i + 1] << 8 |
                         (uint32_t)buf[4 * i + 2] << 16 | (uint32_t)buf[4 * i + 3] << 24;
            memcpy(&x[i], &u, 4);
        }
        x += take;
        n -= take;
    }
}

/* Reads the settings; returns 0, or -1 with 'err' set when they are out of range. */
static int get_settings(struct reader *r, struct train_config *c, struct ckpt_state *st)
{
    memset(c, 0, sizeof *c);
    uint32_t kind = get_u32(r);
    c->kind = kind == 1 ? MODEL_CBOW : MODEL_SKIPGRAM;
    uint32_t dim = get_u32(r);
    uint32_t window = get_u32(r);
    uint32_t negative = get_u32(r);
    uint32_t hs = get_u32(r);
    uint32_t iter = get_u32(r);
    uint32_t threads = get_u32(r);
    uint32_t fixed = get_u32(r);
    uint32_t batch = get_u32(r);
    uint32_t ordered = get_u32(r);
    uint32_t minn = 0;
    uint32_t maxn = 0;
    if (r->version >= CKPT_SUBWORDS) {
        minn = get_u32(r);
        maxn = get_u32(r);
        c->bucket = get_i64(r);
    }
    c->sample = get_f64(r);
    c->alpha = get_f64(r);
    c->ns_exponent = get_f64(r);
    c->seed = get_le(r, 8);
    st->min_count = get_i64(r);
    st->max_vocab = get_i64(r);
    if (r->rc != 0) {
        return -1;
    }
    bool ok = kind <= 1 && dim >= 1 && dim <= 1000000 && window >= 1 && window <= 100000 &&
              negative <= 100000 && hs <= 1 && (negative > 0 || hs) && iter >= 1 &&
              iter <= 100000000 && threads >= 1 && threads <= 100000 && fixed <= 1 &&
              batch <= (r->version >= CKPT_BATCH ? MODEL_MAX_BATCH : 1u) && ordered <= 1 &&
              isfinite(c->sample) && c->alpha > 0.0 && isfinite(c->alpha) &&
              isfinite(c->ns_exponent) && minn <= CKPT_MAX_NGRAM && maxn <= CKPT_MAX_NGRAM &&
              (maxn == 0 || (minn >= 1 && minn <= maxn && c->bucket >= 1 &&
                             c->bucket <= CKPT_MAX_BUCKET));
    if (!ok) {
        err_set(r->err, "%s: corrupt model file (bad settings)", r->in->path);
        return -1;
    }
    c->dim = (int)dim;
    c->window = (int)window;
    c->negative = (int)negative;
    c->hs = hs == 1;
    c->iter = (int)iter;
    c->threads = (int)threads;
    c->fixed_window = fixed == 1;
    c->batch = (int)batch;
    c->ordered = ordered == 1;
    c->minn = (int)minn;
    c->maxn = (int)maxn;
    return 0;
}

static int get_vocab(struct reader *r, struct vocab *v, int64_t rows)
{
    char *word = xmalloc(CKPT_MAX_WORD + 1);
    for (int64_t i = 0; i < rows && r->rc == 0; i++) {
        size_t len = (size_t)get_le(r, 2);
        get(r, word, len);
        word[len] = '\0';
        int64_t count = get_i64(r);
        if (r->rc != 0) {
            break;
        }
        int64_t before = v->n;
        int32_t id = i == 0 ? 0 : vocab_intern_h(v, word, len, strindex_hash(word, len));
        bool bad = count < 0 || memchr(word, '\0', len) != NULL ||
                   (i == 0 ? strcmp(word, vocab_word(v, 0)) != 0 : v->n != before + 1);
        if (bad || id < 0) {
            err_set(r->err, "%s: corrupt model file (vocabulary row %lld)", r->in->path,
                    (long long)i);
            r->rc = -1;
            break;
        }
        v->count[id] = count;
    }
    free(word);
    return r->rc;
}

static int get_threads(struct reader *r, struct ckpt_state *st, const struct train_config *c)
{
    uint32_t n = get_u32(r);
    if (r->rc != 0 || n < 1 || n > (uint32_t)c->threads) {
        if (r->rc == 0) {
            err_set(r->err, "%s: corrupt model file (thread records)", r->in->path);
            r->rc = -1;
        }
        return -1;
    }
    st->next_epoch = (int32_t)get_u32(r);
    st->next_piece = get_i64(r);
    if (r->rc == 0 && (st->next_epoch < 0 || st->next_epoch > c->iter || st->next_piece < 0)) {
        err_set(r->err, "%s: corrupt model file (thread records)", r->in->path);
        r->rc = -1;
        return -1;
    }
    st->nthreads = (int)n;
    st->thread = xcalloc(n, sizeof *st->thread);
    for (uint32_t t = 0; t < n && r->rc == 0; t++) {
        struct ckpt_thread *th = &st->thread[t];
        th->rng = get_le(r, 8);
        th->epoch = (int32_t)get_u32(r);
        th->pos = get_i64(r);
        th->end = get_i64(r);
        th->pending = get_i64(r);
        th->trained = r->version >= CKPT_SUBWORDS ? get_i64(r) : 0;
        get_floats(r, &th->lr, 1);
        th->nahead = get_u32(r);
        bool ok = th->epoch >= 0 && th->epoch <= c->iter && th->pos >= 0 &&
                  th->pos <= th->end && th->end <= st->stream_len && th->pending >= 0 &&
                  th->trained >= 0 &&
                  isfinite(th->lr) && th->nahead <= 2u * (uint32_t)c->negative + 1u;
        if (r->rc == 0 && !ok) {
            err_set(r->err, "%s: corrupt model file (thread %u)", r->in->path, t);
            r->rc = -1;
            break;
        }
        th->ahead = th->nahead > 0 ? xmalloc(th->nahead * sizeof *th->ahead) : NULL;
        for (uint32_t i = 0; i < th->nahead; i++) {
            th->ahead[i] = (int32_t)get_u32(r);
        }
    }
    return r->rc;
}

static int check_magic(struct reader *r)
{
    char magic[sizeof CKPT_MAGIC - 1];
    get(r, magic, sizeof magic);
    if (r->rc != 0 || memcmp(magic, CKPT_MAGIC, sizeof magic) != 0) {
        err_set(r->err, "%s: not a w2v model file", r->in->path);
        r->rc = -1;
        return -1;
    }
    uint32_t version = get_u32(r);
    r->version = version;
    if (r->rc == 0 && (version < CKPT_OLDEST || version > CKPT_VERSION)) {
        err_set(r->err, "%s: model file version %u; this w2v reads versions %u to %u",
                r->in->path, version, CKPT_OLDEST, CKPT_VERSION);
        r->rc = -1;
        return -1;
    }
    return r->rc;
}

/* The matrices, after the vocabulary has been read and the model built from it. */
static void get_matrices(struct reader *r, struct model *m)
{
    size_t cells = (size_t)m->n * (size_t)m->cfg.dim;
    get_floats(r, m->in, (size_t)m->rows_in * (size_t)m->cfg.dim);
    if (m->cfg.negative > 0) {
        get_floats(r, m->out_ns, cells);
    }
    if (m->cfg.hs) {
        get_floats(r, m->out_hs, cells - (size_t)m->cfg.dim);
    }
}

static int check_crc(struct reader *r)
{
    uint32_t want = (uint32_t)r->crc;
    uint32_t got = get_u32(r);
    unsigned char extra;
    if (r->rc == 0 && got != want) {
        err_set(r->err, "%s: model file checksum mismatch (corrupt file)", r->in->path);
        r->rc = -1;
    } else if (r->rc == 0 && input_read(r->in, &extra, 1, r->err) != 0) {
        err_set(r->err, "%s: corrupt model file (data after the checksum)", r->in->path);
        r->rc = -1;
    }
    return r->rc;
}

int ckpt_load(const char *path, struct model *m, struct vocab *v, struct ckpt_state *st,
              struct w2v_err *err)
{
    struct input in;
    if (input_open(&in, path, err) != 0) {
        memset(st, 0, sizeof *st);
        memset(m, 0, sizeof *m);
        vocab_init(v);
        return -1;
    }
    int rc = ckpt_load_input(&in, m, v, st, err);
    input_close(&in);
    return rc;
}

int ckpt_load_input(struct input *in, struct model *m, struct vocab *v, struct ckpt_state *st,
                    struct w2v_err *err)
{
    const char *path = in->path;
    memset(st, 0, sizeof *st);
    memset(m, 0, sizeof *m);
    vocab_init(v);
    struct reader r = {.in = in, .crc = crc32(0L, Z_NULL, 0), .err = err};
    struct train_config cfg;
    bool have_model = false;
    if (check_magic(&r) == 0) {
        st->finished = (get_u32(&r) & 1u) != 0;
    }
    if (r.rc == 0 && get_settings(&r, &cfg, st) == 0) {
        st->stream_len = get_i64(&r);
        st->stream_sum = get_le(&r, 8);
        st->done = get_i64(&r);
        int64_t rows = get_i64(&r);
        if (r.rc == 0 && (rows < 2 || rows > VOCAB_MAX_WORDS || st->stream_len < 0 ||
                          st->done < 0)) {
            err_set(err, "%s: corrupt model file (header)", path_label(path, false));
            r.rc = -1;
        }
        if (r.rc == 0 && get_vocab(&r, v, rows) == 0 &&
            model_new(m, &cfg, v->count, &v->words, v->n, NULL, err) == 0) {
            have_model = true;
            get_matrices(&r, m);
            get_threads(&r, st, &cfg);
            check_crc(&r);
        }
    } else {
        r.rc = -1;
    }
    if (r.rc != 0 || !have_model) {
        if (have_model) {
            model_free(m);
        }
        ckpt_state_free(st);
        vocab_free(v);
        return -1;
    }
    return 0;
}

void ckpt_state_free(struct ckpt_state *st)
{
    for (int t = 0; t < st->nthreads; t++) {
        free(st->thread[t].ahead);
    }
    free(st->thread);
    st->thread = NULL;
    st->nthreads = 0;
}
