/* cmd_classes: 'w2v classes'. Loads a vectors file, clusters its words with spherical
 * k-means and writes word2vec's "word class" lines, sorted by class, all or nothing. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/qopts.h"
#include "cli/report.h"
#include "query/embed.h"
#include "query/kmeans.h"
#include "io/outfile.h"
#include "base/sig.h"
#include "base/util.h"
#include "base/w2v.h"

/* Defaults: the query commands' model name, the project's seed, standard output. */
#define C_MODEL "vectors.bin"
#define C_SEED 1
#define C_OUTPUT "-"

struct copts {
    const char *model;
    const char *output;
    int64_t k;
    int64_t iter;
    int64_t seed;
    int64_t threads;
    int64_t limit;
    enum vec_format format;
    bool quiet;
    bool help;
};

enum { CO_MODEL = 256, CO_K, CO_ITER, CO_SEED, CO_THREADS, CO_LIMIT, CO_OUT, CO_FORMAT,
       CO_QUIET, CO_HELP };

static const struct option classes_long_opts[] = {
    {"m", required_argument, NULL, CO_MODEL},   {"model", required_argument, NULL, CO_MODEL},
    {"k", required_argument, NULL, CO_K},       {"iter", required_argument, NULL, CO_ITER},
    {"seed", required_argument, NULL, CO_SEED}, {"threads", required_argument, NULL, CO_THREADS},
    {"limit", required_argument, NULL, CO_LIMIT}, {"o", required_argument, NULL, CO_OUT},
    {"format", required_argument, NULL, CO_FORMAT},
    {"q", no_argument, NULL, CO_QUIET},         {"h", no_argument, NULL, CO_HELP},
    {"help", no_argument, NULL, CO_HELP},       {NULL, 0, NULL, 0},
};

/* Column where the option descriptions start. */
#define C_HELP_COL 17

static void classes_usage(void)
{
    printf("usage: w2v classes -k K [options]\n"
           "Clusters the words of a vectors file with k-means on cosine similarity and\n"
           "writes 'word class' lines (classes 0..K-1), sorted by class, each class's\n"
           "words in file order. Prints the mean cosine of a word to its class's centroid.\n"
           "options:\n");
    qopts_help_model(C_MODEL, C_HELP_COL);
    qopts_help_format(C_HELP_COL);
    printf("  -k K           number of classes (required)\n"
           "  -iter N        most rounds of k-means; it stops sooner once no word moves [%d]\n"
           "  -seed S        seed of the k-means++ initialisation [%d]\n"
           "  -threads N     threads [online CPUs]; the output does not depend on it\n"
           "  -limit N       cluster only the first N rows (the most frequent words) [all]\n"
           "  -o FILE        output file, '-' for standard output, .gz compresses [-]\n"
           "  -q             quiet: no summary on standard error\n"
           "  -h             this help\n",
           KMEANS_DEFAULT_ITER, C_SEED);
}

static int64_t *classes_field(struct copts *o, int id)
{
    switch (id) {
    case CO_K: return &o->k;
    case CO_ITER: return &o->iter;
    case CO_SEED: return &o->seed;
    case CO_THREADS: return &o->threads;
    case CO_LIMIT: return &o->limit;
    default: return NULL;
    }
}

/* Parses the options; returns 0, or the exit status after printing a usage error. */
static int parse_classes_opts(struct copts *o, int argc, char **argv)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    *o = (struct copts){.model = C_MODEL, .output = C_OUTPUT, .iter = KMEANS_DEFAULT_ITER,
                        .seed = C_SEED, .threads = cpus > 0 ? cpus : 1};
    /* ranges: k and iter fit an int; threads as the other commands */
    static const int64_t lo[] = {1, 1, 0, 1, 1};
    static const int64_t hi[] = {INT32_MAX, INT32_MAX, INT64_MAX, 1024, INT64_MAX};
    opt_begin();
    char msg[600];
    struct w2v_err why;
    for (int id, ix; (id = opt_next(argc, argv, classes_long_opts, &ix, &why)) != -1;) {
        int64_t *field = classes_field(o, id);
        if (id == '?') {
            return report_usage("classes", "%s", why.msg);
        } else if (field != NULL) {
            int i = id - CO_K;
            if (parse_i64(optarg, lo[i], hi[i], field, &why) != 0) {
                snprintf(msg, sizeof msg, "-%s: %s", classes_long_opts[ix].name, why.msg);
                return report_usage("classes", "%s", msg);
            }
        } else if (id == CO_FORMAT) {
            if (vec_format_parse(optarg, &o->format, &why) != 0) {
                snprintf(msg, sizeof msg, "-%s: %s", classes_long_opts[ix].name, why.msg);
                return report_usage("classes", "%s", msg);
            }
        } else if (id == CO_MODEL) {
            o->model = optarg;
        } else if (id == CO_OUT) {
            o->output = optarg;
        } else {
            o->quiet |= id == CO_QUIET;
            o->help |= id == CO_HELP;
        }
    }
    if (o->help) {
        return 0;
    }
    if (optind < argc) {
        snprintf(msg, sizeof msg, "%s: unexpected argument", argv[optind]);
        return report_usage("classes", "%s", msg);
    }
    if (o->k == 0) {
        return report_usage("classes", "%s", "-k: missing number of classes");
    }
    if (o->model[0] == '\0' || o->output[0] == '\0') {
        return report_usage("classes", "%s", "-m, -o: expected a file name, got an empty string");
    }
    const struct outfile_name files[] = {{o->model, "-m", false, NULL},
                                         {o->output, "-o", true, NULL}};
    if (outfile_check_names(files, 2, &why) != 0) {
        return report_usage("classes", "%s", why.msg);
    }
    return 0;
}

static const char *embed_word_at(const void *ctx, int64_t row)
{
    return embed_word(ctx, row);
}

/* Clusters and writes; returns 0 or -1 with 'err' set. */
static int run_classes(const struct copts *o, struct embed *e, struct w2v_err *err)
{
    double t0 = now_sec();
    struct outfile of;
    int32_t *cls = alloc_big((size_t)e->rows * sizeof *cls, "classes", err);
    struct kmeans_opts ko = {.k = (int)o->k, .iter = (int)o->iter, .seed = (uint64_t)o->seed,
                             .threads = (int)o->threads};
    struct kmeans_stats st;
    int rc = cls == NULL ? -1 : kmeans_run(e->unit, e->rows, e->dim, &ko, cls, &st, err);
    /* The output is created only now, when its writing starts. */
    if (rc == 0 && outfile_open(&of, o->output, ends_with(o->output, ".gz"), err) == 0) {
        rc = kmeans_write(&of, cls, e->rows, ko.k, embed_word_at, e, err);
        rc = rc == 0 ? outfile_commit(&of, err) : (outfile_abort(&of), -1);
    } else {
        rc = -1;
    }
    free(cls);
    if (rc == 0 && !o->quiet) {
        log_info(LOG_NORMAL,
                 "%d %s of %lld %s: %d %s (%s), %d empty, mean cosine to "
                 "centroid %.4f, %.1f s",
                 ko.k, plural(ko.k, "class", "classes"), (long long)e->rows,
                 plural(e->rows, "word", "words"), st.rounds, plural(st.rounds, "round", "rounds"),
                 st.converged ? "converged" : "round limit reached", st.empty, st.mean_cos,
                 now_sec() - t0);
    }
    return rc;
}

int cmd_classes(int argc, char **argv)
{
    struct copts o;
    int status = parse_classes_opts(&o, argc, argv);
    if (status != 0) {
        return status;
    }
    if (o.help) {
        classes_usage();
        return W2V_EXIT_OK;
    }
    sig_install();
    struct embed e;
    struct w2v_err err;
    /* A bad output path fails before the vectors are loaded and clustered. */
    if (outfile_check(o.output, &err) != 0) {
        return report_failure(&err);
    }
    /* k-means reads the normalised matrix: no mapping */
    if (embed_load(&e, o.model, o.format, o.limit, EMBED_COPY, &err) != 0) {
        return report_failure(&err);
    }
    if (o.k > e.rows) {
        err_set(&err, "-k: %lld classes for %lld %s in %s", (long long)o.k,
                (long long)e.rows, plural(e.rows, "word", "words"), o.model);
        status = report_failure(&err);
    } else if (run_classes(&o, &e, &err) != 0) {
        status = report_failure(&err);
    }
    embed_free(&e);
    return status;
}
