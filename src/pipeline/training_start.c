/* training_start: the model a run starts from. -resume reads a w2v model file and goes on
 * with it. -init reads a w2v model file, a fastText model or any vectors file into a
 * 'struct start': its words (with their counts where the file has them), its rows, and its
 * settings where the file records them. The corpus is then read as by a fresh run, and
 * training_merge_start makes the vocabulary: the file's words, and with -grow-vocab the
 * corpus's other words that reach -min-count, in descending count. Once the model is set
 * up, training_apply_start gives each of the file's words its row. */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "io/fasttext.h"
#include "io/input.h"
#include "io/vecfile.h"
#include "pipeline/training_parts.h"

/* Rows of a vectors file read at first; the room doubles as more come. */
#define START_FIRST_ROWS 1024

/* Sets in 'c' (a model file's settings) the TRAINING_GIVEN_RUN settings of 'o', the
 * command line's or their defaults; the learning rate's default follows c's kind. */
static void take_run(const struct train_opts *o, struct train_config *c)
{
    c->iter = o->cfg.iter;
    c->alpha = o->cfg.alpha;
    c->threads = o->cfg.threads;
    c->seed = o->cfg.seed;
    c->ordered = o->cfg.ordered;
    c->batch = o->cfg.batch;
    training_kind_defaults(o, c);
}

/* ------------------------------------------------------------------------------------ */
/* Reading the file of -init. */

/* Room for the row map of 'n' words, every word without a row. */
static void start_rows_init(struct start *s, int64_t n)
{
    s->row = xmalloc((size_t)(n > 0 ? n : 1) * sizeof *s->row);
    for (int64_t i = 0; i < n; i++) {
        s->row[i] = -1;
    }
}

/* A w2v model file: its vocabulary, settings and matrices, taken over whole. */
static int start_from_model(struct start *s, struct input *in, struct w2v_err *err)
{
    struct model m;
    struct ckpt_state st;
    if (ckpt_load_input(in, &m, &s->v, &st, err) != 0) {
        vocab_init(&s->v);
        return -1;
    }
    s->counted = true;
    s->configured = true;
    s->cfg = m.cfg;
    s->min_count = st.min_count;
    s->dim = m.cfg.dim;
    s->word_rows = m.n;
    s->buckets = m.rows_in - m.n;
    s->minn = m.cfg.minn;
    s->maxn = m.cfg.maxn;
    s->in = m.in;
    s->out = m.out_ns;
    s->out_hs = m.out_hs;
    m.in = NULL;
    m.out_ns = NULL;
    m.out_hs = NULL;
    s->bytes = model_weight_bytes(&m.cfg, m.n);
    start_rows_init(s, m.n);
    for (int64_t i = 0; i < m.n; i++) {
        s->row[i] = i;
    }
    model_free(&m);
    ckpt_state_free(&st);
    return 0;
}

/* The settings of a fastText model in w2v's terms, the others as 'o' has them. Fails
 * for what w2v does not train the same way. */
static int fasttext_config(const struct ft_args *a, const struct train_opts *o,
                           const char *path, struct train_config *c, struct w2v_err *err)
{
    if (a->loss != FT_LOSS_NS) {
        err_set(err, "%s: -init: the model was trained with %s; w2v goes on only with "
                "negative sampling (fastText's -loss ns)", path_label(path, false),
                a->loss == FT_LOSS_HS ? "hierarchical softmax, whose tree w2v builds its own way"
                                      : "a full softmax");
        return -1;
    }
    *c = o->cfg;
    c->kind = a->model == FT_CBOW ? MODEL_CBOW : MODEL_SKIPGRAM;
    c->dim = a->dim;
    c->window = a->ws;
    c->negative = a->neg;
    c->hs = false;
    c->sample = a->t;
    c->fixed_window = false;
    c->minn = a->maxn > 0 ? a->minn : TRAINING_MINN;
    c->maxn = a->maxn;
    c->bucket = a->maxn > 0 ? a->bucket : TRAINING_BUCKET;
    return 0;
}

/* A fastText model: "</s>" first (fastText's row for it when the model has one, as
 * fastText counts line ends), then fastText's words in its order, with their counts. */
static int start_from_fasttext(struct start *s, struct input *in, const char *path,
                               const struct train_opts *o, struct w2v_err *err)
{
    struct ft_model f;
    if (ft_read_input(in, &f, err) != 0) {
        return -1;
    }
    int rc = fasttext_config(&f.args, o, path, &s->cfg, err);
    int64_t nf = f.words.n;
    start_rows_init(s, nf + 1);
    for (int64_t i = 0; i < nf && rc == 0; i++) {
        const char *w = strindex_str(&f.words, i);
        size_t len = strlen(w);
        int32_t id = vocab_intern_h(&s->v, w, len, strindex_hash(w, len));
        if (id < 0) {
            err_set(err, "%s: more than %d words", path_label(path, false), VOCAB_MAX_WORDS);
            rc = -1;
            break;
        }
        s->v.count[id] = f.counts[i];
        s->row[id] = i;
    }
    if (rc == 0) {
        s->counted = true;
        s->configured = true;
        s->min_count = f.args.min_count;
        s->dim = f.args.dim;
        s->word_rows = nf;
        s->buckets = f.args.maxn > 0 ? f.args.bucket : 0;
        s->minn = f.args.minn;
        s->maxn = f.args.maxn;
        s->in = f.input;
        s->out = f.output;
        f.input = NULL;
        f.output = NULL;
        s->bytes = ((size_t)(nf + f.args.bucket) + (size_t)nf) * (size_t)s->dim * sizeof(float);
    }
    ft_free(&f);
    return rc;
}

/* A vectors file (word2vec text or binary, GloVe, gzipped or not): its words and rows; a
 * repeated word keeps its first row. Such a file records no counts and no settings. */
static int start_from_vectors(struct start *s, const char *path, struct w2v_err *err)
{
    struct vec_reader r;
    if (vec_open(&r, path, VEC_AUTO, err) != 0) {
        vec_close(&r);
        return -1;
    }
    s->dim = r.dim;
    int64_t cap = 0;
    int64_t n = 0; /* rows kept */
    int rc;
    for (;;) {
        if (n == cap) {
            cap = cap > 0 ? 2 * cap : START_FIRST_ROWS;
            s->in = xrealloc(s->in, (size_t)cap * (size_t)s->dim * sizeof *s->in);
            /* one word a row kept, and "</s>" */
            s->row = xrealloc(s->row, (size_t)(cap + 1) * sizeof *s->row);
            if (n == 0) {
                s->row[0] = -1; /* "</s>" has no row until the file gives it one */
            }
        }
        struct vec_row row;
        rc = vec_next(&r, &row, s->in + (size_t)n * (size_t)s->dim, err);
        if (rc <= 0) {
            break;
        }
        int64_t before = s->v.n;
        int32_t id = vocab_intern_h(&s->v, row.word, row.len, row.hash);
        if (id < 0) {
            err_set(err, "%s: more than %d words", r.path, VOCAB_MAX_WORDS);
            rc = -1;
            break;
        }
        if (s->v.n > before || (id == 0 && s->row[0] < 0)) {
            s->row[id] = n++; /* a new word, or the first "</s>" */
        } else {
            s->dups++; /* a repeated word: its row is overwritten by the next one */
        }
    }
    vec_close(&r);
    s->word_rows = n;
    s->bytes = (size_t)n * (size_t)s->dim * sizeof(float);
    return rc;
}

/* Reads the file of -init into r->start: a w2v model file or a fastText model, told by
 * their magic numbers, or else a vectors file. */
static int read_start(struct run *r, const char *path, struct w2v_err *err)
{
    struct start *s = &r->start;
    memset(s, 0, sizeof *s);
    vocab_init(&s->v);
    s->present = true;
    struct input in;
    if (input_open(&in, path, err) != 0) {
        return -1;
    }
    const unsigned char *p;
    int64_t have = input_peek(&in, strlen(CKPT_MAGIC), &p, err);
    int rc;
    if (have < 0) {
        rc = -1;
    } else if ((size_t)have >= strlen(CKPT_MAGIC) && memcmp(p, CKPT_MAGIC, strlen(CKPT_MAGIC)) == 0) {
        vocab_free(&s->v);
        rc = start_from_model(s, &in, err);
    } else if (have >= 4 && ft_is_magic(p)) {
        rc = start_from_fasttext(s, &in, path, &r->o, err);
    } else if (strcmp(path, "-") == 0) {
        err_set(err, "-init -: standard input may hold a w2v model file or a fastText model; "
                "give a vectors file by its name");
        rc = -1;
    } else {
        input_close(&in);
        return start_from_vectors(s, path, err);
    }
    input_close(&in);
    return rc;
}

/* The settings of a run from the file of -init: those it records, or (a vectors file) the
 * command line's with the file's dimensions. Refuses settings the file decides. */
static int start_settings(struct run *r, const char *path, struct w2v_err *err)
{
    struct train_opts *o = &r->o;
    struct start *s = &r->start;
    if (s->configured) {
        if ((o->given & TRAINING_GIVEN_MODEL) != 0) {
            err_set(err, "%s: -init: the model file decides the model's settings; leave out "
                    "-size, -window, -cbow and the like", path_label(path, false));
            return -1;
        }
        struct train_config c = s->cfg;
        c.simd = o->cfg.simd; /* the kernels are this machine's, not the saving one's */
        take_run(o, &c);
        o->cfg = c;
        if ((o->given & TRAINING_GIVEN_MIN_COUNT) == 0) {
            o->min_count = s->min_count;
        }
        return 0;
    }
    if ((o->given & TRAINING_GIVEN_DIM) != 0 && o->cfg.dim != s->dim) {
        err_set(err, "%s: -init: the vectors have %d dimensions, not %d (-size)",
                path_label(path, false), s->dim, o->cfg.dim);
        return -1;
    }
    o->cfg.dim = s->dim;
    return 0;
}

/* -save-context needs negative sampling, which the model file may have decided. */
static int check_context(const struct train_opts *o, const char *path, struct w2v_err *err)
{
    if (o->save_context != NULL && o->cfg.negative == 0) {
        err_set(err, "-save-context: the model of %s has no negative sampling, so no context "
                "vector a word (hierarchical softmax's rows are the tree's nodes)",
                path_label(path, false));
        return -1;
    }
    return 0;
}

int training_open_start(struct run *r, struct w2v_err *err)
{
    struct train_opts *o = &r->o;
    if (o->init != NULL) {
        if (read_start(r, o->init, err) != 0 || start_settings(r, o->init, err) != 0) {
            return -1;
        }
        return check_context(o, o->init, err);
    }
    if (o->resume == NULL) {
        return 0;
    }
    vocab_free(&r->v);
    struct input in;
    if (input_open(&in, o->resume, err) != 0) {
        vocab_init(&r->v);
        return -1;
    }
    const unsigned char *p;
    int64_t have = input_peek(&in, 4, &p, err);
    int rc;
    if (have >= 4 && ft_is_magic(p)) {
        err_set(err, "%s: a fastText model goes on with -init, not -resume (it records no "
                "position in a corpus)", path_label(o->resume, false));
        rc = -1;
    } else {
        rc = have < 0 ? -1 : ckpt_load_input(&in, &r->m, &r->v, &r->from, err);
    }
    input_close(&in);
    if (rc != 0) {
        vocab_init(&r->v); /* emptied by the failed read */
        return -1;
    }
    r->have_model = true;
    r->m.cfg.simd = o->cfg.simd;
    if (r->from.finished) {
        err_set(err, "%s: this model file is of a finished run; use -init to train it "
                "further", path_label(o->resume, false));
        return -1;
    }
    o->cfg = r->m.cfg;
    o->min_count = r->from.min_count;
    o->max_vocab = r->from.max_vocab;
    return check_context(o, o->resume, err);
}

/* ------------------------------------------------------------------------------------ */
/* The vocabulary of the file and of the corpus, and the file's rows in the model. */

/* The count of the file's word 'i' in the model: the file's, or the corpus's 'seen' (at
 * least 1, so that every word has a place in the tables). */
static int64_t start_count(const struct start *s, int64_t i, int64_t seen)
{
    if (s->counted && (s->v.count[i] > 0 || i > 0)) {
        return s->v.count[i];
    }
    return seen > 0 ? seen : 1;
}

int training_merge_start(struct run *r, struct w2v_err *err)
{
    struct start *s = &r->start;
    const struct train_opts *o = &r->o;
    struct vocab nv;
    vocab_init(&nv);
    /* the file's words first, with the same ids ("</s>" is 0 in both) */
    for (int64_t i = 1; i < s->v.n; i++) {
        const char *w = vocab_word(&s->v, (int32_t)i);
        size_t len = strlen(w);
        vocab_intern_h(&nv, w, len, s->v.words.ent[i].hash);
    }
    for (int64_t i = 0; i < s->v.n; i++) {
        const char *w = vocab_word(&s->v, (int32_t)i);
        int32_t c = vocab_find_h(&r->v, w, strlen(w), s->v.words.ent[i].hash);
        nv.count[i] = start_count(s, i, c >= 0 ? r->v.count[c] : 0);
    }
    /* the corpus's words: their ids in the new vocabulary (-1 for dropped ones) */
    int32_t *map = xmalloc((size_t)r->v.n * sizeof *map);
    int64_t dropped = 0;
    for (int64_t c = 0; c < r->v.n; c++) {
        const char *w = vocab_word(&r->v, (int32_t)c);
        uint64_t h = r->v.words.ent[c].hash;
        map[c] = vocab_find_h(&nv, w, strlen(w), h);
        if (map[c] < 0 && o->grow_vocab && r->v.count[c] >= o->min_count) {
            map[c] = vocab_intern_h(&nv, w, strlen(w), h);
            if (map[c] >= 0) {
                nv.count[map[c]] = r->v.count[c];
            }
        }
        dropped += map[c] < 0 ? r->v.count[c] : 0;
    }
    int64_t added = nv.n - s->v.n;
    /* in descending count, as every vocabulary */
    int32_t *sorted = NULL;
    vocab_prune(&nv, 0, 0, &sorted);
    for (int64_t c = 0; c < r->v.n; c++) {
        map[c] = map[c] >= 0 ? sorted[map[c]] : -1;
    }
    s->to_model = xmalloc((size_t)s->v.n * sizeof *s->to_model);
    for (int64_t i = 0; i < s->v.n; i++) {
        s->to_model[i] = sorted[i];
    }
    free(sorted);
    int rc = idstream_remap(&r->ids, map, err);
    free(map);
    vocab_free(&r->v);
    r->v = nv;
    r->st.dropped = o->grow_vocab ? 0 : dropped;
    if (s->dups > 0) {
        log_info(LOG_NORMAL, "warning: %s: %lld repeated %s; the first row of each is kept",
                 path_label(o->init, false), (long long)s->dups,
                 plural(s->dups, "word", "words"));
    }
    if (o->grow_vocab) {
        log_info(LOG_NORMAL, "vocabulary: %lld words of %s and %lld new %s of the corpus "
                 "(-grow-vocab)", (long long)(s->v.n - 1), path_label(o->init, false),
                 (long long)added, plural(added, "word", "words"));
    }
    return rc;
}

/* True when the model's words are the file's, in the same order: the file's tree rows
 * then fit the model's tree, built from the same counts. */
static bool same_words(const struct start *s, int64_t n)
{
    if (n != s->v.n || !s->counted) {
        return false;
    }
    for (int64_t i = 0; i < n; i++) {
        if (s->to_model[i] != i) {
            return false;
        }
    }
    return true;
}

void training_apply_start(struct run *r)
{
    struct start *s = &r->start;
    struct model *m = &r->m;
    const char *path = path_label(r->o.init, false);
    size_t dim = (size_t)m->cfg.dim;
    size_t row = dim * sizeof(float);
    for (int64_t i = 0; i < s->v.n; i++) {
        if (s->row[i] < 0) {
            continue; /* no row in the file ("</s>"): a fresh one */
        }
        size_t to = (size_t)s->to_model[i] * dim;
        size_t from = (size_t)s->row[i] * dim;
        memcpy(m->in + to, s->in + from, row);
        if (s->out != NULL && m->out_ns != NULL) {
            memcpy(m->out_ns + to, s->out + from, row);
        }
    }
    if (m->out_ns != NULL && s->out == NULL) {
        log_info(LOG_NORMAL, "%s has no output vectors: negative sampling's start at zero, "
                 "as a fresh run's", path);
    }
    if (model_subwords(&m->cfg)) {
        if (s->buckets == m->cfg.bucket && s->minn == m->cfg.minn && s->maxn == m->cfg.maxn) {
            memcpy(m->in + (size_t)m->n * dim, s->in + (size_t)s->word_rows * dim,
                   (size_t)s->buckets * row);
        } else {
            log_info(LOG_NORMAL, "%s has no n-gram rows of these settings: the buckets start "
                     "as a fresh run's", path);
        }
    }
    if (m->out_hs != NULL) {
        if (s->out_hs != NULL && same_words(s, m->n)) {
            memcpy(m->out_hs, s->out_hs, (size_t)(m->n - 1) * row);
        } else {
            log_info(LOG_NORMAL, "hierarchical softmax's tree is built for this vocabulary: "
                     "its rows start at zero");
        }
    }
    training_start_free(s);
}

void training_start_free(struct start *s)
{
    if (!s->present) {
        return;
    }
    free(s->in);
    free(s->out);
    free(s->out_hs);
    free(s->row);
    free(s->to_model);
    vocab_free(&s->v);
    memset(s, 0, sizeof *s);
}
