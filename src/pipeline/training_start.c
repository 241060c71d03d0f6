/* training_start: the model a run starts from. -resume and -init read a w2v model file;
 * -init also takes a fastText model (.bin), recognised by its magic number, whose
 * vocabulary, settings and rows become the model trained further. */
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "io/fasttext.h"
#include "io/input.h"
#include "pipeline/training_parts.h"

/* Sets in 'c' (a model file's settings) the TRAINING_GIVEN_RUN settings of 'o', the
 * command line's or their defaults; the learning rate's default follows c's kind. How
 * -init trains a model file further. */
static void take_run(const struct train_opts *o, struct train_config *c)
{
    c->iter = o->cfg.iter;
    c->alpha = o->alpha_given ? o->cfg.alpha : c->kind == MODEL_CBOW ? TRAINING_ALPHA_CBOW
                                                                      : TRAINING_ALPHA_SG;
    c->threads = o->cfg.threads;
    c->seed = o->cfg.seed;
    c->ordered = o->cfg.ordered;
    c->batch = o->cfg.batch;
}

/* The settings of a fastText model in w2v's terms, the rest as 'o' has them. Fails for
 * what w2v does not train the same way. */
static int fasttext_config(const struct ft_model *f, const struct train_opts *o,
                           const char *path, struct train_config *c, struct w2v_err *err)
{
    const struct ft_args *a = &f->args;
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

/* -init from the fastText model read into 'f': w2v's vocabulary keeps "</s>" first (with
 * fastText's row for it when the model has one, as fastText counts line ends; a fresh
 * row otherwise), then fastText's words in its order; the model is built with those
 * counts and takes fastText's rows: each word's input and output row, and the n-gram
 * buckets. */
static int start_from_fasttext(struct run *r, struct ft_model *f, const char *path,
                               struct w2v_err *err)
{
    struct train_config c;
    if (fasttext_config(f, &r->o, path, &c, err) != 0) {
        return -1;
    }
    int64_t nf = f->words.n;
    int64_t *ours = xmalloc((size_t)(nf > 0 ? nf : 1) * sizeof *ours);
    for (int64_t i = 0; i < nf; i++) {
        const char *w = strindex_str(&f->words, i);
        size_t len = strlen(w);
        int32_t id = vocab_intern_h(&r->v, w, len, strindex_hash(w, len));
        if (id < 0) {
            free(ours);
            err_set(err, "%s: more than %d words", path_label(path, false), VOCAB_MAX_WORDS);
            return -1;
        }
        r->v.count[id] = f->counts[i];
        ours[i] = id;
    }
    int rc = -1;
    if (r->v.n < 2) {
        err_set(err, "%s: -init: the model has no words to train", path_label(path, false));
    } else if (model_new(&r->m, &c, r->v.count, &r->v.words, r->v.n, NULL, err) == 0) {
        size_t row = (size_t)c.dim * sizeof(float);
        for (int64_t i = 0; i < nf; i++) {
            memcpy(r->m.in + (size_t)ours[i] * (size_t)c.dim,
                   f->input + (size_t)i * (size_t)c.dim, row);
            memcpy(r->m.out_ns + (size_t)ours[i] * (size_t)c.dim,
                   f->output + (size_t)i * (size_t)c.dim, row);
        }
        if (model_subwords(&c)) {
            memcpy(r->m.in + (size_t)r->v.n * (size_t)c.dim,
                   f->input + (size_t)nf * (size_t)c.dim, (size_t)c.bucket * row);
        }
        /* both copies at once, for a moment */
        size_t theirs = ((size_t)(nf + f->args.bucket) + (size_t)nf) * row;
        r->start_peak = TRAINING_BASE_BYTES + model_weight_bytes(&c, r->v.n) + theirs;
        r->from.min_count = f->args.min_count;
        r->from.max_vocab = 0;
        rc = 0;
    }
    free(ours);
    return rc;
}

int training_open_start(struct run *r, struct w2v_err *err)
{
    struct train_opts *o = &r->o;
    const char *path = o->resume != NULL ? o->resume : o->init;
    if (path == NULL) {
        return 0;
    }
    vocab_free(&r->v);
    struct input in;
    if (input_open(&in, path, err) != 0) {
        vocab_init(&r->v);
        return -1;
    }
    const unsigned char *p;
    int64_t have = input_peek(&in, 4, &p, err);
    bool fasttext = have >= 4 && ft_is_magic(p);
    int rc;
    if (have < 0) {
        vocab_init(&r->v);
        rc = -1;
    } else if (fasttext && o->resume != NULL) {
        vocab_init(&r->v);
        err_set(err, "%s: a fastText model goes on with -init, not -resume (it records no "
                "position in a corpus)", path_label(path, false));
        rc = -1;
    } else if (fasttext) {
        struct ft_model f;
        vocab_init(&r->v);
        memset(&r->from, 0, sizeof r->from);
        rc = ft_read_input(&in, &f, err);
        if (rc == 0) {
            rc = start_from_fasttext(r, &f, path, err);
            ft_free(&f);
        }
    } else {
        rc = ckpt_load_input(&in, &r->m, &r->v, &r->from, err);
        if (rc != 0) {
            vocab_init(&r->v); /* emptied by the failed read */
        }
    }
    input_close(&in);
    if (rc != 0) {
        return -1;
    }
    r->have_model = true;
    struct train_config *c = &r->m.cfg;
    c->simd = o->cfg.simd; /* the kernels are this machine's, not the saving one's */
    if (o->resume != NULL) {
        if (r->from.finished) {
            err_set(err, "%s: this model file is of a finished run; use -init to train it "
                    "further", path_label(path, false));
            return -1;
        }
        o->cfg = *c;
        o->min_count = r->from.min_count;
        o->max_vocab = r->from.max_vocab;
        return 0;
    }
    take_run(o, c);
    o->cfg = *c;
    o->min_count = r->from.min_count;
    o->max_vocab = r->from.max_vocab;
    ckpt_state_free(&r->from);
    return 0;
}
