/* fasttext_ngrams: fastText's subword arithmetic: its arguments' defaults, the hash, the
 * n-grams of a word, a word's rows and their mean. */
#include "io/fasttext.h"

#include <string.h>

/* UTF-8: a byte whose top two bits are 10 continues a character. */
#define FT_UTF8_TOP 0xc0
#define FT_UTF8_CONT 0x80

void ft_args_default(struct ft_args *a)
{
    /* fastText's Args() defaults, with model sg (the skipgram command) */
    a->dim = 100;
    a->ws = 5;
    a->epoch = 5;
    a->min_count = 5;
    a->neg = 5;
    a->word_ngrams = 1;
    a->loss = FT_LOSS_NS;
    a->model = FT_SKIPGRAM;
    a->bucket = 2000000;
    a->minn = 3;
    a->maxn = 6;
    a->lr_update_rate = 100;
    a->t = 1e-4;
}

uint32_t ft_hash(const char *bytes, size_t len)
{
    uint32_t h = FT_HASH_BASIS;
    for (size_t i = 0; i < len; i++) {
        h = ft_hash_byte(h, (unsigned char)bytes[i]);
    }
    return h;
}

/* Byte 'p' of the wrapped word "<" word ">". */
static unsigned char wrapped_at(const struct ft_ngrams *it, size_t p)
{
    if (p == 0) {
        return FT_BOW;
    }
    if (p == it->len + 1) {
        return FT_EOW;
    }
    return it->word[p - 1];
}

static bool continues(unsigned char c)
{
    return (c & FT_UTF8_TOP) == FT_UTF8_CONT;
}

void ft_ngrams_begin(struct ft_ngrams *it, const char *word, size_t len, int minn, int maxn)
{
    memset(it, 0, sizeof *it);
    it->word = (const unsigned char *)word;
    it->len = len;
    it->minn = minn > 0 ? (size_t)minn : 0;
    it->maxn = maxn > 0 ? (size_t)maxn : 0;
}

bool ft_ngrams_next(struct ft_ngrams *it)
{
    size_t total = it->len + 2;
    for (;;) {
        if (!it->open) {
            while (it->start < total && continues(wrapped_at(it, it->start))) {
                it->start++;
            }
            if (it->start >= total || it->maxn == 0) {
                return false;
            }
            it->end = it->start;
            it->chars = 0;
            it->hash = FT_HASH_BASIS;
            it->open = true;
        }
        if (it->end >= total || it->chars >= it->maxn) {
            it->open = false;
            it->start++;
            continue;
        }
        /* one more character: its first byte and the continuation bytes after it */
        do {
            it->hash = ft_hash_byte(it->hash, wrapped_at(it, it->end));
            it->end++;
        } while (it->end < total && continues(wrapped_at(it, it->end)));
        it->chars++;
        bool lone_mark = it->chars == 1 && (it->start == 0 || it->end == total);
        if (it->chars >= it->minn && !lone_mark) {
            return true;
        }
    }
}

size_t ft_ngram_copy(const struct ft_ngrams *it, char *out)
{
    for (size_t p = it->start; p < it->end; p++) {
        out[p - it->start] = (char)wrapped_at(it, p);
    }
    return it->end - it->start;
}

static bool is_eos(const char *word, size_t len)
{
    return len == strlen(FT_EOS) && memcmp(word, FT_EOS, len) == 0;
}

/* Whether the word's n-grams are used at all. */
static bool has_ngrams(const char *word, size_t len, const struct ft_args *a)
{
    return a->bucket > 0 && a->maxn > 0 && !is_eos(word, len);
}

static int32_t ngram_row(const struct ft_ngrams *it, int64_t nwords, const struct ft_args *a)
{
    return (int32_t)(nwords + (int64_t)(it->hash % (uint32_t)a->bucket));
}

size_t ft_word_rows(const char *word, size_t len, int64_t id, int64_t nwords,
                    const struct ft_args *a, int32_t *rows, size_t cap)
{
    size_t n = 0;
    if (id >= 0) {
        if (n < cap) {
            rows[n] = (int32_t)id;
        }
        n++;
    }
    if (!has_ngrams(word, len, a)) {
        return n;
    }
    struct ft_ngrams it;
    ft_ngrams_begin(&it, word, len, a->minn, a->maxn);
    while (ft_ngrams_next(&it)) {
        if (n < cap) {
            rows[n] = ngram_row(&it, nwords, a);
        }
        n++;
    }
    return n;
}

void ft_rows_mean(const float *matrix, int dim, const int32_t *rows, size_t n, float *out)
{
    memset(out, 0, (size_t)dim * sizeof *out);
    for (size_t k = 0; k < n; k++) {
        const float *r = matrix + (size_t)rows[k] * (size_t)dim;
        for (int j = 0; j < dim; j++) {
            out[j] += r[j];
        }
    }
    if (n > 0) {
        /* fastText scales by a float: Vector::mul(real) of 1.0 / count */
        float scale = (float)(1.0 / (double)n);
        for (int j = 0; j < dim; j++) {
            out[j] *= scale;
        }
    }
}
