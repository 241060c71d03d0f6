/* fasttext: fastText's subword model and its .bin model files. A word's input vector is
 * the average of its own row (when it is in the vocabulary) and of the rows of its
 * character n-grams: the word is wrapped in '<' and '>', its n-grams of 'minn' to 'maxn'
 * UTF-8 characters are hashed (32-bit FNV-1a as fastText computes it) and each hash
 * modulo 'bucket' picks one of 'bucket' rows stored after the 'nwords' word rows.
 * The file reader and writer handle the layout of fastText 0.9 (version 12) for word
 * vector models (skip-gram and CBOW); quantized (.ftz), pruned and supervised models are
 * refused with one line that says so. Values are little-endian on any host. */
#ifndef W2V_FASTTEXT_H
#define W2V_FASTTEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "base/strindex.h"

/* The first int32 of every fastText model file (fastText's FASTTEXT_FILEFORMAT_MAGIC_INT32). */
#define FT_MAGIC 793712314
/* The file version fastText 0.9 writes, the only one read here. */
#define FT_VERSION 12

/* Bytes of the fixed parts of the layout: magic and version (two int32), the arguments
 * (twelve int32 and one float64), the dictionary header (three int32, two int64), a
 * dictionary entry after its word's NUL (int64 count, int8 type), a prune index pair (two
 * int32), a matrix header (two int64). */
#define FT_HEAD_BYTES 8
#define FT_ARGS_BYTES (12 * 4 + 8)
#define FT_DICT_BYTES (3 * 4 + 2 * 8)
#define FT_ENTRY_TAIL (8 + 1)
#define FT_PRUNE_PAIR 8
#define FT_MATRIX_HEAD 16

/* pruneidx_size of a dictionary that was never pruned. */
#define FT_NOT_PRUNED (-1)

/* 32-bit FNV-1a: the offset basis and the prime. */
#define FT_HASH_BASIS 2166136261u
#define FT_HASH_PRIME 16777619u

/* The marks fastText puts around a word before taking its n-grams. */
#define FT_BOW '<'
#define FT_EOW '>'
/* fastText's end-of-line token: it never has n-grams. */
#define FT_EOS "</s>"

/* Longest vocabulary word accepted in a model file, in bytes (fastText sets no limit;
 * this one only bounds what a corrupt file can make the reader buffer). */
#define FT_MAX_WORD (1 << 16)
/* Largest vector dimension accepted. */
#define FT_MAX_DIM 1000000

/* fastText's loss_name and model_name values, as stored in the arguments block. */
enum ft_loss { FT_LOSS_HS = 1, FT_LOSS_NS = 2, FT_LOSS_SOFTMAX = 3, FT_LOSS_OVA = 4 };
enum ft_kind { FT_CBOW = 1, FT_SKIPGRAM = 2, FT_SUPERVISED = 3 };
/* fastText's entry_type values, one int8 per dictionary entry. */
enum ft_entry { FT_ENTRY_WORD = 0, FT_ENTRY_LABEL = 1 };

/* The arguments block of a model file, in file order (int32 each, then 't' as float64). */
struct ft_args {
    int32_t dim;            /* vector dimension */
    int32_t ws;             /* context window */
    int32_t epoch;
    int32_t min_count;
    int32_t neg;            /* negatives per positive */
    int32_t word_ngrams;    /* word n-grams (supervised only) */
    int32_t loss;           /* enum ft_loss */
    int32_t model;          /* enum ft_kind */
    int32_t bucket;         /* n-gram rows */
    int32_t minn;           /* shortest n-gram, in characters */
    int32_t maxn;           /* longest n-gram, in characters; 0: no n-grams */
    int32_t lr_update_rate; /* tokens between learning-rate updates */
    double t;               /* subsampling threshold */
};

/* A word vectors model as read from a file. Word i of 'words' owns input row i and
 * output row i; n-gram bucket b owns input row nwords + b. */
struct ft_model {
    struct ft_args args;
    struct strindex words;  /* the vocabulary, ids in file order */
    int64_t *counts;        /* words.n occurrence counts */
    int8_t *types;          /* words.n entry types (all FT_ENTRY_WORD) */
    int64_t ntokens;        /* tokens of the training text */
    float *input;           /* (words.n + args.bucket) x args.dim, row-major */
    float *output;          /* words.n x args.dim, row-major */
};

/* fastText's arguments for a skip-gram model with its default values (dim 100, ws 5,
 * epoch 5, minCount 5, neg 5, wordNgrams 1, loss ns, bucket 2000000, minn 3, maxn 6,
 * lrUpdateRate 100, t 1e-4). */
void ft_args_default(struct ft_args *a);

/* One step of ft_hash: folds byte 'c' into 'h'. fastText converts each byte to a signed
 * 8-bit value before widening it to 32 bits, so a byte of 0x80 or more is XORed in as
 * 0xffffff00 | c (this is how its released models were made). */
static inline uint32_t ft_hash_byte(uint32_t h, unsigned char c)
{
    /* the bits a negative int8_t (a byte from 0x80 up) gets when widened to 32 bits */
    const uint32_t sign_extension = 0xffffff00u;
    uint32_t v = c >= 0x80 ? (sign_extension | c) : c;
    return (h ^ v) * FT_HASH_PRIME;
}

/* fastText's hash of the 'len' bytes at 'bytes' (FNV-1a with the byte rule above). */
uint32_t ft_hash(const char *bytes, size_t len);

/* Iterates over the n-grams of a word as fastText lists them. Positions count in the
 * wrapped word "<" word ">" (len + 2 bytes). Characters are UTF-8 characters: a byte of
 * the form 10xxxxxx continues the character before it and never starts one. From each
 * character start, in order, the n-grams of 1, 2, ... characters up to 'maxn' (and up to
 * the end) are produced when they have at least 'minn' characters, except the single
 * characters '<' (the first) and '>' (the one ending the wrapped word). */
struct ft_ngrams {
    const unsigned char *word;
    size_t len;             /* bytes of the bare word */
    size_t minn;
    size_t maxn;
    size_t start;           /* the current n-gram: wrapped bytes [start, end) */
    size_t end;
    size_t chars;           /* its length in characters */
    uint32_t hash;          /* its ft_hash */
    bool open;              /* 'start' is a character start being extended */
};

/* Starts an iteration over the n-grams of the 'len' bytes at 'word' (not wrapped).
 * A negative 'minn' or 'maxn' counts as 0; 'maxn' 0 gives no n-gram. */
void ft_ngrams_begin(struct ft_ngrams *it, const char *word, size_t len, int minn, int maxn);

/* Moves to the next n-gram: returns true with 'start', 'end', 'chars' and 'hash' set, or
 * false when there is none left. */
bool ft_ngrams_next(struct ft_ngrams *it);

/* Copies the current n-gram's bytes to 'out' (room for end - start bytes, no NUL added)
 * and returns their number. */
size_t ft_ngram_copy(const struct ft_ngrams *it, char *out);

/* The input rows of a word of 'len' bytes at 'word', in fastText's order: its own row
 * 'id' first when 'id' >= 0 (the word is in the vocabulary), then for each n-gram (none
 * for FT_EOS, nor when 'a->bucket' <= 0) the row 'nwords' + ft_hash(n-gram) % 'a->bucket'.
 * Writes the first 'cap' rows to 'rows' and returns how many there are (call with 'cap'
 * 0 to size the array). 'nwords' + 'a->bucket' must fit in an int32. */
size_t ft_word_rows(const char *word, size_t len, int64_t id, int64_t nwords,
                    const struct ft_args *a, int32_t *rows, size_t cap);

/* The mean of the 'n' rows 'rows' of 'matrix' ('dim' floats a row), summed in float in
 * that order and scaled by the float nearest 1 / n, as fastText computes a word's vector;
 * all zeros when 'n' is 0. Writes 'dim' floats to 'out'. */
void ft_rows_mean(const float *matrix, int dim, const int32_t *rows, size_t n, float *out);

/* The id of 'word' ('len' bytes) in the model's vocabulary, or -1. */
int64_t ft_find(const struct ft_model *m, const char *word, size_t len);

/* The vector fastText gives 'word' ('len' bytes), in or out of the vocabulary: the
 * average of the input rows ft_word_rows lists, summed in float in that order and scaled
 * by the float nearest 1 / count, as fastText does; all zeros when there is no row.
 * Writes args.dim floats to 'out'. */
void ft_word_vector(const struct ft_model *m, const char *word, size_t len, float *out);

/* The vector of vocabulary word 'id' (0 <= id < words.n): 'dim' floats to 'out'. */
void ft_id_vector(const struct ft_model *m, int64_t id, float *out);

/* The vector of every vocabulary word (what fastText writes to its .vec file): allocates
 * words.n x args.dim floats into '*out' (free with free()). Returns 0, or -1 with 'err'
 * set when the memory cannot be had ("word vectors (N x D): cannot allocate SIZE"). */
int ft_vocab_vectors(const struct ft_model *m, float **out, struct w2v_err *err);

/* Reads the model file 'path' ("-" is standard input; gzip-compressed data is read too)
 * into 'm'. Returns 0, or -1 with 'err' set to one line and 'm' left empty:
 *   "PATH: not a fastText model (wrong magic number)"
 *   "PATH: fastText file format version V; w2v reads version 12"
 *   "PATH: quantized fastText models are not supported yet"
 *   "PATH: a supervised fastText model (N labels), not a word vectors model"
 *   "PATH: truncated file: it ends at byte B, inside WHAT"
 *   "PATH: the input matrix has R rows, but nwords + bucket is N" (and the like for the
 *   dimension, the output matrix and out-of-range values)
 *   "PATH: input matrix (R x D): cannot allocate SIZE"
 * Nothing is allocated for a matrix before the data could hold it: in a regular file its
 * size is checked against the bytes left, and from a pipe or gzip data the matrix grows
 * as its bytes arrive. The caller frees a successful read with ft_free. */
int ft_read(const char *path, struct ft_model *m, struct w2v_err *err);

struct input;

/* ft_read from an input already opened at the start of the model (input.h); the caller
 * closes it. */
int ft_read_input(struct input *in, struct ft_model *m, struct w2v_err *err);

/* True when the 4 bytes at 'p' are fastText's magic number. */
bool ft_is_magic(const unsigned char *p);

/* Writes a word vectors model to 'path' all or nothing (see outfile.h): the arguments
 * 'a' (model FT_SKIPGRAM or FT_CBOW, loss FT_LOSS_HS, FT_LOSS_NS or FT_LOSS_SOFTMAX), the
 * words of 'words' with their 'counts' (>= 0) and 'ntokens', the (words->n + a->bucket) x
 * a->dim matrix 'input' and the words->n x a->dim matrix 'output', in the layout ft_read
 * reads and fastText loads. Returns 0, or -1 with 'err' set (bad arguments, an empty word,
 * a write error). */
int ft_write(const char *path, const struct ft_args *a, const struct strindex *words,
             const int64_t *counts, int64_t ntokens, const float *input, const float *output,
             struct w2v_err *err);

/* Checks the arguments of a word vectors model of 'nwords' words that the arithmetic here
 * relies on (the reader and the writer both ask). Returns 0, or -1 with 'err' set to
 * "PATH: reason". Supervised models are refused by the callers, each in its own words. */
int ft_check_args(const struct ft_args *a, int64_t nwords, const char *path,
                  struct w2v_err *err);

/* Frees what ft_read allocated and empties 'm'. Safe on an emptied model. */
void ft_free(struct ft_model *m);

#endif
