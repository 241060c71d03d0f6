/* cmd_train: 'w2v train': the command line, the checks of the files it names, and the
 * report of a failure; the run itself is pipeline/training.h. Under mpirun every process
 * runs this: rank 0 alone prints a usage error, and only the failing rank prints a
 * failure (training_run says which). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"
#include "base/w2v.h"
#include "cli/cmd.h"
#include "cli/opts.h"
#include "cli/report.h"
#include "io/outfile.h"
#include "mpi/dist.h"
#include "pipeline/training.h"

/* Files a run names besides its corpora: -read-vocab, -resume, -init, -o, -save-vocab,
 * -save-model, -save-fasttext and -save-context. */
#define TRAIN_NAMED_FILES 8

/* Refuses, before anything is read or created, an output that is the same file as an
 * input or as another output, two outputs on standard output and two inputs from
 * standard input (outfile_check_names). -save-model may name the -resume file: the model
 * file is read whole first and then replaced, atomically, by each save of the run that
 * goes on from it. */
static int check_files(const struct train_opts *o, struct w2v_err *err)
{
    struct outfile_name *f = xcalloc((size_t)o->ncorpora + TRAIN_NAMED_FILES, sizeof *f);
    int n = 0;
    for (int i = 0; i < o->ncorpora; i++) {
        f[n++] = (struct outfile_name){o->corpora[i], "the corpus", false, NULL};
    }
    if (o->read_vocab != NULL) {
        f[n++] = (struct outfile_name){o->read_vocab, "-read-vocab", false, NULL};
    }
    if (o->resume != NULL) {
        f[n++] = (struct outfile_name){o->resume, "-resume", false, NULL};
    }
    if (o->init != NULL) {
        f[n++] = (struct outfile_name){o->init, "-init", false, NULL};
    }
    f[n++] = (struct outfile_name){o->output, "-o", true, NULL};
    if (o->save_vocab != NULL) {
        f[n++] = (struct outfile_name){o->save_vocab, "-save-vocab", true, NULL};
    }
    if (o->save_model != NULL) {
        f[n++] = (struct outfile_name){o->save_model, "-save-model", true, "-resume"};
    }
    if (o->save_fasttext != NULL) {
        f[n++] = (struct outfile_name){o->save_fasttext, "-save-fasttext", true, NULL};
    }
    if (o->save_context != NULL) {
        f[n++] = (struct outfile_name){o->save_context, "-save-context", true, NULL};
    }
    int rc = outfile_check_names(f, n, err);
    free(f);
    return rc;
}

int cmd_train(int argc, char **argv)
{
    struct dist d;
    struct w2v_err err;
    if (dist_init(&d, &err) != 0) {
        return dist_reports(&d) ? report_failure(&err) : W2V_EXIT_ERR;
    }
    struct train_opts o;
    training_defaults(&o);
    bool help = false;
    int status = W2V_EXIT_OK;
    if (opts_parse(&o, argc, argv, &help, &err) != 0 ||
        (!help && check_files(&o, &err) != 0)) {
        /* Every process of a job has the same command line: one tells. */
        status = d.rank == 0 ? report_usage("train", "%s", err.msg) : W2V_EXIT_USAGE;
    } else if (help) {
        if (d.rank == 0) {
            opts_usage(stdout);
        }
    } else if (training_run(&d, &o, &err) != 0) {
        status = report_failure(&err);
    }
    opts_free(&o);
    if (d.broken) {
        /* Some processes may wait in an exchange this one left: end them all. */
        dist_abort(&d, W2V_EXIT_ERR);
    }
    dist_finish(&d);
    return status;
}
