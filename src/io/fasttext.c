/* fasttext: the vectors of a model read from a file, and the .bin reader and writer (the
 * subword arithmetic is fasttext_ngrams.c). The file is read in order through input.h and every count it states is checked
 * before it is trusted: arrays grow with the entries actually read, and a matrix is given
 * memory only once the data can hold it (see read_matrix). */
#include "io/fasttext.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/endian.h"
#include "base/util.h"
#include "io/input.h"
#include "io/vecfile.h"
#include "io/outfile.h"

/* Rows of a word listed on the stack before the list goes to the heap (a word of 60
 * characters has about 230 n-grams of 3 to 6). */
#define FT_ROWS_ON_STACK 256

/* First look-ahead for a dictionary word, in bytes; doubled up to FT_MAX_WORD + 1. */
#define FT_WORD_PEEK 256
/* Most words the vocabulary arrays are sized for before the words are read (they grow
 * past it with the words); average bytes per word for the arena hint. */
#define FT_VOCAB_HINT (1 << 16)
#define FT_WORD_BYTES_HINT 8
/* First allocation for a matrix read from a pipe or gzip data, in bytes (doubled as the
 * data arrives). */
#define FT_STAGE ((size_t)64 << 20)
/* Prune index pairs skipped per read. */
#define FT_PRUNE_CHUNK 512

/* ------------------------------------------------------------------------------------ */
/* Vectors                                                                              */

int64_t ft_find(const struct ft_model *m, const char *word, size_t len)
{
    return strindex_find_h(&m->words, word, len, strindex_hash(word, len));
}

/* ft_word_vector for a word whose id ('id', or -1) is known. */
static void word_vector_id(const struct ft_model *m, const char *word, size_t len, int64_t id,
                           float *out)
{
    int32_t stack[FT_ROWS_ON_STACK];
    size_t n = ft_word_rows(word, len, id, m->words.n, &m->args, stack, FT_ROWS_ON_STACK);
    int32_t *rows = stack;
    if (n > FT_ROWS_ON_STACK) {
        rows = xmalloc(n * sizeof *rows);
        ft_word_rows(word, len, id, m->words.n, &m->args, rows, n);
    }
    ft_rows_mean(m->input, m->args.dim, rows, n, out);
    if (rows != stack) {
        free(rows);
    }
}

void ft_id_vector(const struct ft_model *m, int64_t id, float *out)
{
    const char *w = strindex_str(&m->words, id);
    word_vector_id(m, w, strlen(w), id, out);
}

void ft_word_vector(const struct ft_model *m, const char *word, size_t len, float *out)
{
    word_vector_id(m, word, len, ft_find(m, word, len), out);
}

int ft_vocab_vectors(const struct ft_model *m, float **out, struct w2v_err *err)
{
    int64_t n = m->words.n;
    int dim = m->args.dim;
    size_t bytes;
    char what[96];
    snprintf(what, sizeof what, "word vectors (%" PRId64 " x %d)", n, dim);
    if (!mul_size((size_t)n, (size_t)dim * sizeof(float), &bytes)) {
        err_set(err, "%s: too large", what);
        return -1;
    }
    float *v = alloc_big(bytes, what, err);
    if (v == NULL) {
        return -1;
    }
    for (int64_t i = 0; i < n; i++) {
        const char *w = strindex_str(&m->words, i);
        word_vector_id(m, w, strlen(w), i, v + (size_t)i * (size_t)dim);
    }
    *out = v;
    return 0;
}

void ft_free(struct ft_model *m)
{
    strindex_free(&m->words);
    free(m->counts);
    free(m->types);
    free(m->input);
    free(m->output);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------------------------------ */
/* Checks shared by the reader and the writer                                           */

int ft_check_args(const struct ft_args *a, int64_t nwords, const char *path,
                  struct w2v_err *err)
{
    if (a->dim < 1 || a->dim > FT_MAX_DIM) {
        err_set(err, "%s: dimension %" PRId32 " out of range (1 to %d)", path, a->dim,
                FT_MAX_DIM);
        return -1;
    }
    if (a->bucket < 0 || a->minn < 0 || a->maxn < 0) {
        err_set(err, "%s: bad n-gram arguments (bucket %" PRId32 ", minn %" PRId32
                ", maxn %" PRId32 "): none may be negative", path, a->bucket, a->minn, a->maxn);
        return -1;
    }
    if (a->maxn > 0 && a->bucket == 0) {
        err_set(err, "%s: n-grams of up to %" PRId32 " characters but no bucket for them",
                path, a->maxn);
        return -1;
    }
    if (nwords + a->bucket > INT32_MAX) {
        err_set(err, "%s: %" PRId64 " words and %" PRId32 " buckets exceed %" PRId32
                " input rows", path, nwords, a->bucket, INT32_MAX);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------ */
/* Reader                                                                               */

struct ft_reader {
    struct input *in;
    const char *path;
    uint64_t off;       /* bytes consumed */
    int64_t size;       /* the file's size when it is a plain regular file, else -1 */
};

static void truncated(const struct ft_reader *r, uint64_t at, const char *where,
                      struct w2v_err *err)
{
    err_set(err, "%s: truncated file: it ends after %" PRIu64 " bytes, inside %s", r->path,
            at, where);
}

/* Reads exactly 'n' bytes into 'dst'; the data ending first is a truncation inside
 * 'where'. Returns 0 or -1. */
static int take(struct ft_reader *r, void *dst, size_t n, const char *where,
                struct w2v_err *err)
{
    int64_t got = input_read(r->in, dst, n, err);
    if (got < 0) {
        return -1;
    }
    r->off += (uint64_t)got;
    if ((size_t)got < n) {
        truncated(r, r->off, where, err);
        return -1;
    }
    return 0;
}

static int read_head(struct ft_reader *r, struct w2v_err *err)
{
    unsigned char b[FT_HEAD_BYTES];
    int64_t got = input_read(r->in, b, sizeof b, err);
    if (got < 0) {
        return -1;
    }
    r->off += (uint64_t)got;
    if (got < 4 || le_get_i32(b) != FT_MAGIC) {
        err_set(err, "%s: not a fastText model (wrong magic number)", r->path);
        return -1;
    }
    if (got < FT_HEAD_BYTES) {
        truncated(r, r->off, "the header", err);
        return -1;
    }
    int32_t version = le_get_i32(b + 4);
    if (version != FT_VERSION) {
        err_set(err, "%s: fastText file format version %" PRId32 "; w2v reads version %d",
                r->path, version, FT_VERSION);
        return -1;
    }
    return 0;
}

static int read_args(struct ft_reader *r, struct ft_args *a, struct w2v_err *err)
{
    unsigned char b[FT_ARGS_BYTES];
    if (take(r, b, sizeof b, "the arguments", err) != 0) {
        return -1;
    }
    /* file order */
    int32_t *fields[] = {&a->dim,    &a->ws,   &a->epoch, &a->min_count,
                         &a->neg,    &a->word_ngrams, &a->loss, &a->model,
                         &a->bucket, &a->minn, &a->maxn,  &a->lr_update_rate};
    size_t nfields = sizeof fields / sizeof fields[0];
    for (size_t i = 0; i < nfields; i++) {
        *fields[i] = le_get_i32(b + 4 * i);
    }
    a->t = le_get_f64(b + 4 * nfields);
    if (a->model < FT_CBOW || a->model > FT_SUPERVISED) {
        err_set(err, "%s: unknown model kind %" PRId32 " (1 cbow, 2 skipgram, 3 supervised)",
                r->path, a->model);
        return -1;
    }
    if (a->loss < FT_LOSS_HS || a->loss > FT_LOSS_OVA) {
        err_set(err, "%s: unknown loss %" PRId32 " (1 hs, 2 ns, 3 softmax, 4 ova)", r->path,
                a->loss);
        return -1;
    }
    return 0;
}

/* The dictionary's header fields. */
struct ft_dict_head {
    int32_t size;
    int32_t nwords;
    int32_t nlabels;
    int64_t ntokens;
    int64_t pruned;     /* pruneidx_size */
};

static int read_dict_head(struct ft_reader *r, const struct ft_args *a,
                          struct ft_dict_head *d, struct w2v_err *err)
{
    unsigned char b[FT_DICT_BYTES];
    if (take(r, b, sizeof b, "the dictionary header", err) != 0) {
        return -1;
    }
    d->size = le_get_i32(b);
    d->nwords = le_get_i32(b + 4);
    d->nlabels = le_get_i32(b + 8);
    d->ntokens = le_get_i64(b + 12);
    d->pruned = le_get_i64(b + 20);
    if (d->nwords < 0 || d->nlabels < 0 || (int64_t)d->nwords + d->nlabels != d->size) {
        err_set(err, "%s: bad dictionary header: %" PRId32 " entries, %" PRId32 " words, %"
                PRId32 " labels", r->path, d->size, d->nwords, d->nlabels);
        return -1;
    }
    if (d->ntokens < 0 || d->pruned < FT_NOT_PRUNED) {
        err_set(err, "%s: bad dictionary header: %" PRId64 " tokens, prune index size %" PRId64,
                r->path, d->ntokens, d->pruned);
        return -1;
    }
    return ft_check_args(a, d->nwords, r->path, err);
}

/* Reads the NUL-terminated word of entry 'i' and appends it to the vocabulary. */
static int read_word(struct ft_reader *r, struct ft_model *m, int64_t i, int64_t n,
                     struct w2v_err *err)
{
    char where[96];
    snprintf(where, sizeof where, "dictionary entry %" PRId64 " of %" PRId64, i + 1, n);
    size_t want = FT_WORD_PEEK;
    for (;;) {
        const unsigned char *p;
        int64_t have = input_peek(r->in, want, &p, err);
        if (have < 0) {
            return -1;
        }
        const unsigned char *nul = memchr(p, 0, (size_t)have);
        size_t len = nul != NULL ? (size_t)(nul - p) : (size_t)have;
        if (len > FT_MAX_WORD) {
            err_set(err, "%s: %s: word longer than %d bytes", r->path, where, FT_MAX_WORD);
            return -1;
        }
        if (nul == NULL && (size_t)have < want) {
            truncated(r, r->off + (uint64_t)have, where, err);
            return -1;
        }
        if (nul == NULL) {
            want *= 2;
            continue;
        }
        if (len == 0) {
            err_set(err, "%s: %s: empty word", r->path, where);
            return -1;
        }
        unsigned char bad;
        if (vec_has_control((const char *)p, len, &bad)) {
            /* fastText's words never hold one (it splits text at them); every vectors file
             * written from such a word would be broken */
            err_set(err, "%s: %s: word contains control byte 0x%02x", r->path, where, bad);
            return -1;
        }
        int added;
        const char *w = (const char *)p;
        int64_t id = strindex_intern_h(&m->words, w, len, strindex_hash(w, len), &added);
        if (!added) {
            /* the word itself is not quoted: a corrupt file may put any byte in it */
            err_set(err, "%s: %s: the same word as entry %" PRId64, r->path, where, id + 1);
            return -1;
        }
        input_skip(r->in, len + 1);
        r->off += len + 1;
        return 0;
    }
}

static int read_dict(struct ft_reader *r, struct ft_model *m, const struct ft_dict_head *d,
                     struct w2v_err *err)
{
    int64_t hint = d->size < FT_VOCAB_HINT ? d->size : FT_VOCAB_HINT;
    strindex_init(&m->words, hint, (size_t)hint * FT_WORD_BYTES_HINT);
    int64_t cap = 0;
    for (int64_t i = 0; i < d->size; i++) {
        if (i == cap) {
            /* grown with the entries read, so a lying size costs nothing */
            cap = cap == 0 ? hint : 2 * cap;
            cap = cap < d->size ? cap : d->size;
            m->counts = xrealloc_as("fastText vocabulary", m->counts,
                                    (size_t)cap * sizeof *m->counts);
            m->types = xrealloc_as("fastText vocabulary", m->types,
                                   (size_t)cap * sizeof *m->types);
        }
        if (read_word(r, m, i, d->size, err) != 0) {
            return -1;
        }
        unsigned char b[FT_ENTRY_TAIL];
        char where[96];
        snprintf(where, sizeof where, "dictionary entry %" PRId64 " of %" PRId32, i + 1,
                 d->size);
        if (take(r, b, sizeof b, where, err) != 0) {
            return -1;
        }
        m->counts[i] = le_get_i64(b);
        /* the type is an int8: bytes from 0x80 up are negative */
        m->types[i] = (int8_t)(b[8] < 0x80 ? b[8] : b[8] - 0x100);
        /* the words come first, then the labels */
        int type = i < d->nwords ? FT_ENTRY_WORD : FT_ENTRY_LABEL;
        if (m->counts[i] < 0 || m->types[i] != type) {
            err_set(err, "%s: %s: bad count %" PRId64 " or type %d (expected %d)", r->path,
                    where, m->counts[i], m->types[i], type);
            return -1;
        }
    }
    m->ntokens = d->ntokens;
    /* The prune index is read past (its pairs matter only to quantized models, which are
     * refused once the flag after it is read). */
    unsigned char pairs[FT_PRUNE_CHUNK * FT_PRUNE_PAIR];
    for (int64_t left = d->pruned; left > 0;) {
        int64_t n = left < FT_PRUNE_CHUNK ? left : FT_PRUNE_CHUNK;
        if (take(r, pairs, (size_t)n * FT_PRUNE_PAIR, "the prune index", err) != 0) {
            return -1;
        }
        left -= n;
    }
    return 0;
}

/* Reads the one-byte flag before a matrix; a set flag means a quantized matrix. */
static int read_quant_flag(struct ft_reader *r, const char *where, struct w2v_err *err)
{
    unsigned char flag;
    if (take(r, &flag, 1, where, err) != 0) {
        return -1;
    }
    if (flag != 0) {
        err_set(err, "%s: quantized fastText models are not supported yet", r->path);
        return -1;
    }
    return 0;
}

/* Reads a matrix header and checks it against the 'rows' x 'dim' expected ('rows_why'
 * says where that count comes from). */
static int read_matrix_head(struct ft_reader *r, const char *name, int64_t rows,
                            const char *rows_why, int dim, struct w2v_err *err)
{
    unsigned char b[FT_MATRIX_HEAD];
    char where[64];
    snprintf(where, sizeof where, "the %s matrix header", name);
    if (take(r, b, sizeof b, where, err) != 0) {
        return -1;
    }
    int64_t m = le_get_i64(b);
    int64_t n = le_get_i64(b + 8);
    if (m != rows) {
        err_set(err, "%s: the %s matrix has %" PRId64 " rows, but %s is %" PRId64, r->path,
                name, m, rows_why, rows);
        return -1;
    }
    if (n != dim) {
        err_set(err, "%s: the %s matrix has %" PRId64 " columns, but the dimension is %d",
                r->path, name, n, dim);
        return -1;
    }
    return 0;
}

/* Where the data ends 'got' bytes into a matrix of rows of 'row_bytes'. */
static void matrix_truncated(const struct ft_reader *r, const char *name, size_t got,
                             size_t row_bytes, int64_t rows, struct w2v_err *err)
{
    char where[96];
    snprintf(where, sizeof where, "the %s matrix (row %" PRIu64 " of %" PRId64 ")", name,
             (uint64_t)(got / row_bytes) + 1, rows);
    truncated(r, r->off + got, where, err);
}

/* Reads 'rows' x 'dim' little-endian floats into one allocation. In a regular file the
 * bytes left are checked first; from other sources the allocation starts at FT_STAGE
 * bytes and doubles as the data comes, so a lying header never costs more memory than
 * twice the data that is really there. */
static float *read_matrix(struct ft_reader *r, const char *name, int64_t rows, int dim,
                          struct w2v_err *err)
{
    size_t row_bytes = (size_t)dim * sizeof(float);
    size_t bytes;
    char what[600];
    snprintf(what, sizeof what, "%s: %s matrix (%" PRId64 " x %d)", r->path, name, rows, dim);
    if (!mul_size((size_t)rows, row_bytes, &bytes)) {
        err_set(err, "%s: too large", what);
        return NULL;
    }
    size_t cap = bytes;
    if (r->size >= 0) {
        uint64_t left = (uint64_t)r->size > r->off ? (uint64_t)r->size - r->off : 0;
        if (bytes > left) {
            matrix_truncated(r, name, (size_t)left, row_bytes, rows, err);
            return NULL;
        }
    } else if (cap > FT_STAGE) {
        cap = FT_STAGE;
    }
    void *p = alloc_big(cap, what, err);
    if (p == NULL || bytes == 0) {
        return p;
    }
    size_t have = 0;
    for (;;) {
        int64_t got = input_read(r->in, (unsigned char *)p + have, cap - have, err);
        if (got < 0) {
            free(p);
            return NULL;
        }
        have += (size_t)got;
        if (have < cap) {
            matrix_truncated(r, name, have, row_bytes, rows, err);
            free(p);
            return NULL;
        }
        if (have == bytes) {
            break;
        }
        /* 0 < cap < bytes here */
        size_t next = bytes - cap > cap ? 2 * cap : bytes;
        void *q = realloc(p, next);
        if (q == NULL) {
            char size[32];
            err_set(err, "%s: cannot allocate %s", what, fmt_bytes(size, sizeof size,
                                                                   (double)next));
            free(p);
            return NULL;
        }
        p = q;
        cap = next;
    }
    r->off += bytes;
    if (!host_little_endian()) {
        swap4(p, bytes / sizeof(float));
    }
    return p;
}

static int read_body(struct ft_reader *r, struct ft_model *m, struct w2v_err *err)
{
    if (read_head(r, err) != 0 || read_args(r, &m->args, err) != 0) {
        return -1;
    }
    struct ft_dict_head d;
    if (read_dict_head(r, &m->args, &d, err) != 0 || read_dict(r, m, &d, err) != 0) {
        return -1;
    }
    /* A quantized model is named as such first: every .ftz fastText makes is also a
     * supervised one. */
    if (read_quant_flag(r, "the input quantization flag", err) != 0) {
        return -1;
    }
    if (d.nlabels > 0 || m->args.model == FT_SUPERVISED) {
        char labels[48] = "";
        if (d.nlabels > 0) {
            snprintf(labels, sizeof labels, " (%" PRId32 " label%s)", d.nlabels,
                     d.nlabels == 1 ? "" : "s");
        }
        err_set(err, "%s: a supervised fastText model%s, not a word vectors model", r->path,
                labels);
        return -1;
    }
    if (d.pruned != FT_NOT_PRUNED) {
        err_set(err, "%s: a pruned dictionary (%" PRId64 " n-grams kept) in a model that is "
                "not quantized", r->path, d.pruned);
        return -1;
    }
    int dim = m->args.dim;
    int64_t in_rows = (int64_t)d.nwords + m->args.bucket;
    if (read_matrix_head(r, "input", in_rows, "nwords + bucket", dim, err) != 0) {
        return -1;
    }
    m->input = read_matrix(r, "input", in_rows, dim, err);
    if (m->input == NULL || read_quant_flag(r, "the output quantization flag", err) != 0) {
        return -1;
    }
    if (read_matrix_head(r, "output", d.nwords, "nwords", dim, err) != 0) {
        return -1;
    }
    m->output = read_matrix(r, "output", d.nwords, dim, err);
    if (m->output == NULL) {
        return -1;
    }
    const unsigned char *p;
    int64_t more = input_peek(r->in, 1, &p, err);
    if (more < 0) {
        return -1;
    }
    if (more > 0) {
        err_set(err, "%s: unexpected data after the output matrix (from byte %" PRIu64 ")",
                r->path, r->off);
        return -1;
    }
    return 0;
}

int ft_read_input(struct input *in, struct ft_model *m, struct w2v_err *err)
{
    memset(m, 0, sizeof *m);
    struct ft_reader r;
    memset(&r, 0, sizeof r);
    r.in = in;
    r.path = in->path;
    r.size = -1;
    struct stat st;
    if (input_mappable(in) && fstat(in->fd, &st) == 0) {
        r.size = (int64_t)st.st_size;
    }
    int rc = read_body(&r, m, err);
    if (rc != 0) {
        ft_free(m);
    }
    return rc;
}

bool ft_is_magic(const unsigned char *p)
{
    return le_get_i32(p) == FT_MAGIC;
}

int ft_read(const char *path, struct ft_model *m, struct w2v_err *err)
{
    struct input in;
    if (input_open(&in, path, err) != 0) {
        memset(m, 0, sizeof *m);
        return -1;
    }
    int rc = ft_read_input(&in, m, err);
    input_close(&in);
    return rc;
}
