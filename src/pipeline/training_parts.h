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

/* Everything a run owns, so that one function can release it on any path. */
struct run {
    struct train_opts o;
    struct vocab v;
    struct idstream ids;
    struct corpus_stats st;
    size_t reading_peak;    /* bytes at the end of the reading pass */
    size_t pruning_peak;    /* bytes while the vocabulary is sorted and pruned */
    size_t start_peak;      /* bytes while -init copies a fastText model into the model */
    struct model m;
    bool have_model;
    struct outfile out;
    bool out_open;
    struct dist *d;
    struct shard_plan plan;
    struct dist_sync sync;
    int64_t job_ids;            /* ids kept over the job */
    struct ckpt_state from;     /* -resume: where the run goes on from */
    struct ckpt_state base;     /* what each saved model file records of the corpus */
};

/* training_start.c: -resume and -init: the model, its vocabulary and settings come from
 * the model file (a w2v model file, or for -init a fastText model), the run's settings
 * from the command line as -init allows. Nothing to do without either. */
int training_open_start(struct run *r, struct w2v_err *err);

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
