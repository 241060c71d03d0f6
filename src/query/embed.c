/* embed: the row store and the word index over vecfile's readers. Every row's length is
 * found by one function, vec_inv_length (vecfile.h), whether the row is copied or mapped;
 * mapped rows whose values a float dot product cannot take in place (huge or denormal)
 * get their unit rows copied aside. */
/* MAP_POPULATE is a Linux extension, outside POSIX. */
#define _DEFAULT_SOURCE
#include "query/embed.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mapguard.h"
#include "base/utf8.h"
#include "base/util.h"
#include "base/vec.h"

/* Squared lengths outside [EMBED_TINY, EMBED_HUGE] make a mapped row "extreme": its float
 * products with a unit query would underflow into denormals or overflow. */
#define EMBED_TINY VEC_TINY
#define EMBED_HUGE VEC_HUGE
/* Bytes of values allocated at first when the input's size is unknown (see first_capacity). */
#define EMBED_FIRST_BLOCK ((int64_t)1 << 20)
/* Average bytes per word assumed when sizing the word arena. */
#define EMBED_WORD_BYTES 8
/* Bytes of the first buffer for an upper-cased word (it grows for a longer one). */
#define EMBED_UPPER_BUF 256
/* First rows of vectors made from n-grams for words outside the vocabulary. */
#define EMBED_OOV_ROWS 16

int64_t embed_find(const struct embed *e, const char *word)
{
    return strindex_find(&e->words, word);
}

static bool is_extreme(double inv)
{
    return inv > 0.0 && (inv * inv < 1.0 / EMBED_HUGE || inv * inv > 1.0 / EMBED_TINY);
}

/* Adds the word of 'row' to the index; returns 1 when added, 0 for a duplicate (counted),
 * -1 when the index is full. */
static int add_word(struct embed *e, const struct vec_row *row, const char *path,
                    struct w2v_err *err)
{
    int added = 0;
    int64_t id = strindex_intern_h(&e->words, row->word, row->len, row->hash, &added);
    if (id < 0) {
        err_set(err, "%s: more than %d distinct words", path, STRINDEX_MAX);
        return -1;
    }
    e->dups += !added;
    return added;
}

/* Rows to allocate before reading any: all 'keep' when the input is a plain file that
 * could hold them (a row takes at least 2 * dim + 1 bytes), otherwise a first block that
 * grow_rows doubles as rows arrive. A header promising more rows than a gzip stream, a
 * pipe or a short file holds then costs no more memory than the rows actually read. */
static int64_t first_capacity(const struct vec_reader *r, int64_t keep)
{
    struct stat st;
    int64_t dim = r->dim;
    if (input_mappable(&r->in) && fstat(r->in.fd, &st) == 0 &&
        st.st_size / (2 * dim + 1) >= keep) {
        return keep;
    }
    int64_t block = EMBED_FIRST_BLOCK / (dim * (int64_t)sizeof(float)) + 1;
    return block < keep ? block : keep;
}

/* Grows the unit rows of a copied 'e' from '*cap' rows to 'first' rows, then doubling
 * (at most to 'keep'). */
static int grow_rows(struct embed *e, int64_t *cap, int64_t first, int64_t keep,
                     const char *path, struct w2v_err *err)
{
    int64_t n = *cap == 0 ? first : *cap < keep / 2 ? *cap * 2 : keep;
    size_t cells;
    size_t bytes;
    if (!mul_size((size_t)n, (size_t)e->dim, &cells) ||
        !mul_size(cells, sizeof(float), &bytes)) {
        err_set(err, "%s: %lld x %d values do not fit in memory", path, (long long)n, e->dim);
        return -1;
    }
    float *unit = alloc_big(bytes, path, err);
    if (unit == NULL) {
        return -1;
    }
    if (e->unit != NULL) {
        memcpy(unit, e->unit, (size_t)e->rows * (size_t)e->dim * sizeof(float));
    }
    free(e->unit);
    e->unit = unit;
    *cap = n;
    return 0;
}

/* After the rows a limit kept: whether the file has more (the header says so, or, without
 * a header, one more row can be read; a malformed one counts as a row). */
static bool more_rows(struct vec_reader *r)
{
    if (r->rows >= 0) {
        return r->done < r->rows;
    }
    struct vec_row row;
    struct w2v_err ignored;
    float *values = xmalloc((size_t)r->dim * sizeof *values);
    bool more = vec_next(r, &row, values, &ignored) != 0;
    free(values);
    return more;
}

/* Reads the rows through the streaming reader, copying and normalising them. */
static int load_copied(struct embed *e, struct vec_reader *r, int64_t limit,
                       struct w2v_err *err)
{
    e->dim = r->dim;
    int64_t keep = r->rows >= 0 ? first_n(limit, r->rows) : (limit > 0 ? limit : INT64_MAX);
    int64_t cap = 0;
    int64_t want = first_capacity(r, keep);
    strindex_init(&e->words, want, (size_t)want * EMBED_WORD_BYTES);
    int64_t read = 0;
    for (;;) {
        if (e->rows == cap && read < keep &&
            grow_rows(e, &cap, want, keep, r->path, err) != 0) {
            return -1;
        }
        struct vec_row row;
        float *slot = e->unit + (size_t)e->rows * (size_t)e->dim;
        /* The last vec_next of a complete read checks the rest against the header. */
        int rc = read < keep || keep == r->rows ? vec_next(r, &row, slot, err) : 0;
        if (rc <= 0 || read == keep) {
            e->cut = rc == 0 && limit > 0 && read == limit && more_rows(r) ? limit : 0;
            return rc;
        }
        read++;
        int added = add_word(e, &row, r->path, err);
        if (added < 0) {
            return -1;
        }
        if (added) {
            if (!e->raw) {
                vec_unit_row(slot, vec_inv_length(slot, e->dim), e->dim, slot);
            }
            e->rows++;
        }
    }
}

/* Reads the rows of a mapped binary file in place from byte 'at': records where each
 * row's values start and its inverse length, and indexes the words. */
static int scan_mapped(struct embed *e, size_t at, int64_t keep, int64_t promised,
                       const char *path, struct w2v_err *err)
{
    const unsigned char *p = e->map;
    size_t size = e->map_size;
    for (int64_t read = 0; read < keep; read++) {
        struct vec_row row;
        int64_t used = vec_binary_row(p + at, size - at, true, e->dim, &row);
        if (used == VEC_ROW_END) {
            err_set(err, "%s: %lld %s, but the header says %lld", path, (long long)read,
                    plural(read, "row", "rows"), (long long)promised);
            return -1;
        }
        if (used < 0) {
            vec_row_error(used, &row, path, read + 1, err);
            return -1;
        }
        at += (size_t)used;
        strindex_prefetch(&e->words, row.hash);
        double inv = vec_inv_length(row.values, e->dim);
        if (isnan(inv)) {
            int d = 0;
            for (float x = 0.0f; isfinite(x); d++) {
                memcpy(&x, row.values + 4 * (size_t)d, sizeof x);
            }
            err_set(err, "%s: row %lld: value %d is not finite", path, (long long)read + 1, d);
            return -1;
        }
        int added = add_word(e, &row, path, err);
        if (added <= 0) {
            if (added < 0) {
                return -1;
            }
            continue;
        }
        e->vec_off[e->rows] = (size_t)(row.values - p);
        e->inv_norm[e->rows] = inv;
        if (is_extreme(inv)) {
            int64_t k = e->nextreme;
            if ((k & (k - 1)) == 0) { /* doubles at each power of two */
                e->extreme = xrealloc(e->extreme, (size_t)(k > 0 ? 2 * k : 1) *
                                                      (size_t)e->dim * sizeof(float));
            }
            vec_unit_row(row.values, inv, e->dim, e->extreme + (size_t)e->nextreme * e->dim);
            e->inv_norm[e->rows] = -(double)++e->nextreme;
        }
        e->rows++;
    }
    while (keep == promised && at < size) {
        if (p[at] != '\n' && p[at] != '\r' && p[at] != ' ' && p[at] != '\t') {
            err_set(err, "%s:1: the header promises %lld %s, but the file has more", path,
                    (long long)promised, plural(promised, "row", "rows"));
            return -1;
        }
        at++;
    }
    return 0;
}

/* Maps the binary file open in 'r' and reads it in place. Returns 1 when mapped and
 * loaded, 0 when it should be read the ordinary way, -1 on an error. */
static int load_mapped(struct embed *e, const struct vec_reader *r, int64_t limit,
                       struct w2v_err *err)
{
    struct stat st;
    if (fstat(r->in.fd, &st) != 0 || st.st_size < 1) {
        return 0;
    }
    size_t size = (size_t)st.st_size;
    int flags = MAP_PRIVATE;
#ifdef MAP_POPULATE
    /* Every page will be read: mapping them all at once costs less than a fault each. */
    flags |= limit > 0 ? 0 : MAP_POPULATE;
#endif
    void *m = mmap(NULL, size, PROT_READ, flags, r->in.fd, 0);
    if (m == MAP_FAILED) {
        return 0;
    }
    mapguard_set(m, size, r->path);
    posix_madvise(m, size, POSIX_MADV_SEQUENTIAL);
    e->map = m;
    e->map_size = size;
    e->dim = r->dim;
    /* The header as the reader saw it; the rows start after its newline. */
    const unsigned char *nl = memchr(m, '\n', size < VEC_MAX_HEADER + 1 ? size : VEC_MAX_HEADER + 1);
    size_t at = nl != NULL ? (size_t)(nl - e->map) + 1 : size;
    int64_t keep = first_n(limit, r->rows);
    e->cut = keep < r->rows ? keep : 0;
    /* A row takes at least 4 * dim + 2 bytes, so a header promising more rows than the
     * file can hold reserves only what could be there. */
    int64_t fit = (int64_t)(size / ((size_t)r->dim * 4 + 2)) + 1;
    int64_t cap = keep < fit ? keep : fit;
    e->vec_off = alloc_big((size_t)cap * sizeof *e->vec_off, r->path, err);
    e->inv_norm = e->vec_off ? alloc_big((size_t)cap * sizeof *e->inv_norm, r->path, err) : NULL;
    if (e->inv_norm == NULL) {
        return -1;
    }
    /* twice the words: a sparser table meets fewer occupied slots */
    strindex_init(&e->words, 2 * cap, (size_t)cap * EMBED_WORD_BYTES);
    return scan_mapped(e, at, keep, r->rows, r->path, err) == 0 ? 1 : -1;
}

static bool host_little_endian(void)
{
    const uint32_t one = 1;
    unsigned char b;
    memcpy(&b, &one, 1);
    return b == 1;
}

int embed_load(struct embed *e, const char *path, enum vec_format format, int64_t limit,
               enum embed_mode mode, struct w2v_err *err)
{
    memset(e, 0, sizeof *e);
    e->raw = mode == EMBED_RAW;
    struct vec_reader r;
    int rc = vec_open(&r, path, format, err);
    if (rc == 0 && mode == EMBED_MAP && r.format == VEC_BINARY && input_mappable(&r.in) &&
        host_little_endian()) {
        rc = load_mapped(e, &r, limit, err);
        rc = rc == 1 ? 0 : rc == 0 ? load_copied(e, &r, limit, err) : -1;
    } else if (rc == 0) {
        rc = load_copied(e, &r, limit, err);
        e->ft = vec_take_fasttext(&r);
    }
    vec_close(&r);
    if (rc != 0) {
        embed_free(e);
        return -1;
    }
    return 0;
}

int64_t embed_lookup(struct embed *e, const char *word)
{
    int64_t row = embed_find(e, word);
    if (row >= 0 || e->ft == NULL) {
        return row;
    }
    if (e->noov == e->oov_cap) {
        e->oov_cap = e->oov_cap > 0 ? 2 * e->oov_cap : EMBED_OOV_ROWS;
        e->oov = xrealloc(e->oov, (size_t)e->oov_cap * (size_t)e->dim * sizeof *e->oov);
    }
    float *v = e->oov + (size_t)e->noov * (size_t)e->dim;
    ft_word_vector(e->ft, word, strlen(word), v);
    if (!e->raw) {
        double inv = vec_inv_length(v, e->dim);
        if (!(inv > 0.0)) {
            return -1; /* no n-gram, or n-grams of zero rows: no direction */
        }
        vec_unit_row(v, inv, e->dim, v);
    }
    size_t len = strlen(word);
    strindex_append_h(&e->words, word, len, strindex_hash(word, len));
    return e->rows + e->noov++;
}

const float *embed_unit(const struct embed *e, int64_t row, float *scratch)
{
    if (row >= e->rows) {
        return embed_row(e, row);
    }
    if (e->map == NULL) {
        return embed_row(e, row);
    }
    double inv = e->inv_norm[row];
    if (inv < 0.0) {
        return e->extreme + (size_t)(-inv - 1.0) * (size_t)e->dim;
    }
    vec_unit_row(e->map + e->vec_off[row], inv, e->dim, scratch);
    return scratch;
}

float embed_dot(const struct embed *e, int64_t row, const float *q)
{
    if (e->map == NULL || row >= e->rows) {
        return vec_dot(embed_row(e, row), q, e->dim);
    }
    double inv = e->inv_norm[row];
    if (inv < 0.0) {
        return vec_dot(e->extreme + (size_t)(-inv - 1.0) * (size_t)e->dim, q, e->dim);
    }
    return (float)((double)vec_dot_bytes(e->map + e->vec_off[row], q, e->dim) * inv);
}

void embed_free(struct embed *e)
{
    if (e->map != NULL) {
        mapguard_clear(e->map);
        munmap((void *)(uintptr_t)e->map, e->map_size);
    }
    free(e->unit);
    free(e->vec_off);
    free(e->inv_norm);
    free(e->extreme);
    free(e->oov);
    if (e->ft != NULL) {
        ft_free(e->ft);
        free(e->ft);
    }
    strindex_free(&e->words);
    memset(e, 0, sizeof *e);
}

/* Room for the upper-cased form of a word of 'len' bytes in u->buf. */
static char *upper_room(struct embed_upper *u, size_t len)
{
    size_t need = UTF8_UPPER_GROWTH * len + 1;
    if (need > u->buf_cap) {
        u->buf_cap = need > 2 * u->buf_cap ? need : 2 * u->buf_cap;
        free(u->buf);
        u->buf = xmalloc(u->buf_cap);
    }
    return u->buf;
}

void embed_upper_build(struct embed_upper *u, const struct embed *e, int64_t n)
{
    memset(u, 0, sizeof *u);
    strindex_init(&u->words, n, 0);
    u->canon = xmalloc((size_t)(n ? n : 1) * sizeof *u->canon);
    upper_room(u, EMBED_UPPER_BUF);
    for (int64_t r = 0; r < n; r++) {
        const char *w = embed_word(e, r);
        size_t len = strlen(w);
        char *up = upper_room(u, len);
        len = utf8_upper(w, len, up);
        uint64_t h = strindex_hash(up, len);
        int64_t first = strindex_find_h(&u->words, up, len, h);
        strindex_append_h(&u->words, up, len, h);
        u->canon[r] = first >= 0 ? first : r;
    }
}

int64_t embed_upper_find(struct embed_upper *u, const char *word)
{
    size_t len = strlen(word);
    char *up = upper_room(u, len);
    len = utf8_upper(word, len, up);
    return strindex_find_h(&u->words, up, len, strindex_hash(up, len));
}

void embed_upper_free(struct embed_upper *u)
{
    strindex_free(&u->words);
    free(u->canon);
    free(u->buf);
    memset(u, 0, sizeof *u);
}
