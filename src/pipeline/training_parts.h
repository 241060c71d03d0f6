/* training_parts: the steps of training_run, shared by its files (training.c: the run
 * and the model; training_start.c: the model file it starts from; training_corpus.c:
 * reading and the vocabulary; training_memory.c: the memory plan; training_output.c: the
 * model's set-up and the outputs). Not for use outside src/pipeline. */
#ifndef W2V_TRAINING_PARTS_H
#define W2V_TRAINING_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "io/outfile.h"
#include "mpi/dist.h"
#include "mpi/shard.h"
#include "mpi/sync.h"
#include "pipeline/training.h"
#include "text/corpus.h"
#include "text/idstream.h"
#include "text/vocab.h"
#include "train/checkpoint.h"
#include "train/model.h"

/* Resident bytes of the process before the run allocates anything of its own: program,
 * C library, zlib, the output's buffers (measured with a corpus of a few words). */
#define TRAINING_BASE_BYTES (2u << 20)

/* -init: the file a run starts from (training_start.c), held from before the corpus is
 * read until the model is set up. */
struct start {
    bool present;
    struct vocab v;          /* the file's words, "</s>" first, with its counts (0 where
                                the file has none) */
    bool counted;            /* the file records counts (a model file, a fastText model) */
    bool configured;         /* the file records the model's settings, in 'cfg' */
    struct train_config cfg;
    int64_t min_count;       /* ... and the minimum count it was made with */
    int dim;
    float *in;               /* the file's word rows, then its n-gram buckets' */
    int64_t word_rows;       /* word rows in 'in' */
    int64_t buckets;         /* n-gram rows after them (0: none) */
    int minn, maxn;          /* ... of n-grams of minn to maxn characters */
    int64_t *row;            /* v's word i -> its row in 'in' and 'out', or -1 */
    float *out;              /* negative sampling's output rows, or NULL */
    float *out_hs;           /* a model file's tree rows (v.n - 1 of them), or NULL */
    int64_t dups;            /* repeated words of a vectors file (the first row kept) */
    size_t bytes;            /* held by the rows */
    int32_t *to_model;       /* v's word i -> the model's id, once the vocabulary is made */
};

/* Everything a run owns, so that one function can release it on any path. */
struct run {
    struct train_opts o;
    struct vocab v;
    struct idstream ids;
    struct corpus_stats st;
    size_t reading_peak;    /* bytes at the end of the reading pass */
    size_t pruning_peak;    /* bytes while the vocabulary is sorted and pruned */
    struct model m;
    bool have_model;
    struct outfile out;
    bool out_open;
    struct dist *d;
    struct shard_plan plan;
    struct dist_sync sync;
    int64_t job_ids;            /* ids kept over the job */
    struct ckpt_state from;     /* -resume: where the run goes on from */
    struct start start;         /* -init: the file the run starts from */
    struct ckpt_state base;     /* what each saved model file records of the corpus */
};

/* training_start.c: -resume loads the model file with its vocabulary and settings;
 * -init reads its file into r->start and takes the settings the file records (the run's
 * from the command line). Nothing to do without either. */
int training_open_start(struct run *r, struct w2v_err *err);

/* training_start.c: -init, after the corpus was read as a fresh run reads it: makes the
 * vocabulary (the file's words, and with -grow-vocab the corpus's new words that reach
 * -min-count), sorted by count (the file's counts where it has them, else the corpus's,
 * at least 1), and renumbers the id stream for it. */
int training_merge_start(struct run *r, struct w2v_err *err);

/* training_start.c: -init, once the model is set up: gives the file's words their rows
 * (input, output, n-gram buckets where they fit the model) and frees r->start. */
void training_apply_start(struct run *r);

/* training_start.c: frees what r->start holds (safe when empty). */
void training_start_free(struct start *s);

/* training_corpus.c: builds the vocabulary and the id stream, from the corpus alone, from
 * -read-vocab, or against the vocabulary of a model file already loaded (r->have_model),
 * and fails when the model of that vocabulary does not fit in -memory. Collective. */
int training_load_corpus(struct run *r, struct w2v_err *err);

/* training_corpus.c: after reading against a -read-vocab vocabulary: none of its words in
 * the vocabulary is an error (nothing would be trained), fewer than half a warning. */
int training_check_overlap(const struct train_opts *o, const struct corpus_stats *st,
                           struct w2v_err *err);

/* training_corpus.c: the summary of the reading pass, with its warnings. */
void training_report_reading(const struct run *r, double secs);

/* training_memory.c: fails when the model does not fit in -memory; otherwise lets the id
 * stream keep in memory what the model leaves of the budget, spilling the rest. */
int training_check_fits(struct run *r, struct w2v_err *err);

/* training_memory.c: the "memory:" lines (and with -v the order, the threads' copies). */
void training_report_memory(const struct run *r);

/* training_output.c: sets up the model of the vocabulary; a large one is announced and its
 * set-up shows a time left. */
int training_setup_model(struct run *r, struct w2v_err *err);

/* training_output.c: estimated seconds to write 'rows' vectors with the options' format. */
double training_write_estimate(const struct train_opts *o, int64_t rows);

/* training_output.c: writes the vectors or the classes (rank 0 alone) and agrees on the
 * outcome. Collective. */
int training_finish_output(struct run *r, struct w2v_err *err);

#endif
