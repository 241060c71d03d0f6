/* training: 'w2v train' as one library call. It reads the corpora once into a vocabulary
 * and an id stream (text/), sets up the model or loads it from a model file (train/),
 * trains it, alone or as one process of an MPI job (mpi/), and writes the vectors or the
 * classes, the vocabulary and the model file (io/, query/kmeans.h). Under mpirun every
 * process makes this call with the same settings and reads its share of the corpus; each
 * step that can fail on one process ends in an agreement, so that all stop together; rank
 * 0 alone shows progress and writes files. The command line (cli/opts.c) only fills the
 * settings; the tests call training_run too. */
#ifndef W2V_TRAINING_H
#define W2V_TRAINING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/log.h"
#include "mpi/dist.h"
#include "train/model.h"

/* Defaults, as in word2vec except where the help says otherwise. */
#define TRAINING_DIM 100
#define TRAINING_WINDOW 5
#define TRAINING_NEGATIVE 5
#define TRAINING_SAMPLE 1e-3
#define TRAINING_MIN_COUNT 5
#define TRAINING_ITER 5
#define TRAINING_SEED 1
#define TRAINING_NS_EXPONENT 0.75
#define TRAINING_BATCH 1
#define TRAINING_OUTPUT "vectors.bin"
/* Learning rates of skip-gram and CBOW (word2vec's). */
#define TRAINING_ALPHA_SG 0.025
#define TRAINING_ALPHA_CBOW 0.05
/* Model averaging of a job of several processes (mpi/sync.h): every 0.2 s, rare words
 * every 4th round (DESIGN.md gives the measurements). */
#define TRAINING_SYNC_SECONDS 0.2
#define TRAINING_SYNC_RARE 4
/* Share of the memory the process may use (memory_limit) the default -memory allows. */
#define TRAINING_MEMORY_SHARE 0.75

/* Subwords, when -maxn turns them on: fastText's shortest n-gram and bucket count. */
#define TRAINING_MINN 3
#define TRAINING_BUCKET 2000000

/* Groups of settings, to tell which ones a model file decides (-resume, -init). */
#define TRAINING_GIVEN_MODEL 1u /* -cbow -size -window -fixed-window -negative -hs -sample
                                 * -ns-exponent */
#define TRAINING_GIVEN_VOCAB 2u /* -max-vocab -read-vocab */
#define TRAINING_GIVEN_RUN 4u   /* -iter -alpha -threads -seed -shuffle -batch */
#define TRAINING_GIVEN_MIN_COUNT 8u /* -min-count */
#define TRAINING_GIVEN_DIM 16u  /* -size (also in TRAINING_GIVEN_MODEL) */

/* The settings of a training run. */
struct train_opts {
    struct train_config cfg;
    const char **corpora;    /* inputs in order (paths, "-" at most once) */
    int ncorpora;
    size_t memory;           /* bound on the run's memory, bytes */
    bool memory_set;         /* -memory was given (the default is a share of RAM) */
    const char *tmpdir;      /* where the id stream spills, or NULL for $TMPDIR or /tmp */
    const char *output;      /* path or "-" */
    int binary;              /* 1, 0, or -1 to decide from the output name */
    const char *save_vocab;
    const char *read_vocab;
    int64_t min_count;
    int64_t max_vocab;       /* 0 = no limit */
    int64_t classes;         /* > 0: write k-means word classes instead of vectors */
    int verbosity;           /* a log_level */
    double sync_seconds;     /* model averaging interval of a job, in seconds, or 0 */
    int64_t sync_words;      /* ... in words over the job, or 0 */
    int sync_rare;           /* rounds between two averagings of a rare word */
    const char *save_model;  /* -save-model: the model file written, or NULL */
    const char *save_fasttext; /* -save-fasttext: the fastText .bin written, or NULL */
    double checkpoint_sec;   /* -checkpoint: seconds between saves, 0 for none */
    const char *resume;      /* -resume: the model file to go on from, or NULL */
    const char *init;        /* -init: the model or vectors file to start from, or NULL */
    const char *save_context; /* -save-context: the output vectors written, or NULL */
    unsigned given;          /* TRAINING_GIVEN_* groups of settings given by the user */
    bool alpha_given;        /* cfg.alpha was given (else it follows cfg.kind) */
    bool grow_vocab;         /* -grow-vocab: -init's vocabulary takes the corpus's new words */
};

/* Sets every setting to its default: threads = online CPUs, memory = the default bound
 * (training_default_memory), no corpus. */
void training_defaults(struct train_opts *o);

/* Sets c->alpha to the default of c->kind unless 'o' gave it. */
void training_kind_defaults(const struct train_opts *o, struct train_config *c);

/* The default bound on a run's memory: TRAINING_MEMORY_SHARE of what the process may use,
 * the smallest of the physical memory, ulimit -v and the cgroup's limit (memory_limit);
 * '*which' (if not NULL) names the one that binds. */
size_t training_default_memory(const char **which);

/* True if the vectors are written in binary, from o->binary or the output's name. */
bool training_binary_output(const struct train_opts *o);

/* Runs the training 'o' describes as process d->rank of the job 'd' (a job of one process
 * when not under mpirun). Sets the log level from o->verbosity (rank 0; the others print
 * errors only), shows progress and a summary on stderr, and writes the outputs
 * atomically. Returns 0, or -1 with 'err' set to the one line to print: its code is
 * W2V_ERR_SIGNAL after SIGINT, SIGTERM and the like (the message says whether the run's
 * state was saved), W2V_ERR_ELSEWHERE on a process of a job whose failure another
 * process reports; d->broken tells that the job's processes are out of step and must
 * be ended (dist_abort). */
int training_run(struct dist *d, const struct train_opts *o, struct w2v_err *err);

#endif
