/* cmd_train: 'w2v train': the command line, the checks of the files it names, and the
 * report of a failure; the run itself is pipeline/training.h. Under mpirun every process
 * runs this: rank 0 alone prints a usage error, and only the failing rank prints a
 * failure (training_run says which). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "base/w2v.h"
#include "cli/cmd.h"
#include "cli/opts.h"
#include "cli/report.h"
#include "mpi/dist.h"
#include "pipeline/training.h"

/* A file the run reads or writes, for the checks below. */
struct named_file {
    const char *path;
    const char *option; /* how the user named it: "the corpus", "-o", ... */
    bool output;
};

/* Refuses, before anything is read or created, an output that is the same file as an
 * input or as another output (it would be overwritten while being read, or by the other
 * output), two outputs on standard output and two inputs from standard input. */
static int check_files(const struct train_opts *o, struct w2v_err *err)
{
    struct named_file *f = xcalloc((size_t)o->ncorpora + 3, sizeof *f);
    int n = 0;
    for (int i = 0; i < o->ncorpora; i++) {
        f[n++] = (struct named_file){o->corpora[i], "the corpus", false};
    }
    if (o->read_vocab != NULL) {
        f[n++] = (struct named_file){o->read_vocab, "-read-vocab", false};
    }
    f[n++] = (struct named_file){o->output, "-o", true};
    if (o->save_vocab != NULL) {
        f[n++] = (struct named_file){o->save_vocab, "-save-vocab", true};
    }
    for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
            if (!f[i].output && !f[j].output) {
                if (strcmp(f[i].path, "-") == 0 && strcmp(f[j].path, "-") == 0) {
                    err_set(err, "%s and %s are both standard input", f[i].option,
                            f[j].option);
                    free(f);
                    return -1;
                }
                continue;
            }
            bool both_std = strcmp(f[i].path, "-") == 0 && strcmp(f[j].path, "-") == 0;
            if (both_std && f[i].output == f[j].output) {
                err_set(err, "%s and %s are both standard output", f[i].option, f[j].option);
                free(f);
                return -1;
            }
            if (!both_std && strcmp(f[i].path, "-") != 0 && strcmp(f[j].path, "-") != 0 &&
                same_file(f[i].path, f[j].path)) {
                err_set(err, "%s: %s and %s name the same file", f[j].path, f[i].option,
                        f[j].option);
                free(f);
                return -1;
            }
        }
    }
    free(f);
    return 0;
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
