/* cmd_embed: 'w2v embed', one vector per line of text (query/linevec.h). Options, the
 * checks made before the vectors are loaded (so that a misspelt input fails at once, not
 * after a large model has been read), the rows written to standard output, and the
 * messages. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "base/w2v.h"
#include "cli/cmd.h"
#include "cli/qopts.h"
#include "cli/report.h"
#include "io/outfile.h"
#include "query/linevec.h"
#include "text/vocab.h"

/* Column where the option descriptions start, as in the other query commands. */
#define EMB_HELP_COL 17

static void embed_usage(void)
{
    printf("usage: w2v embed [options] [FILE...]\n"
           "One vector per line of the FILEs, one after the other (standard input when none\n"
           "is given, and for -; gzip is read by content): the mean of the unit vectors of\n"
           "the line's words, as fastText's print-sentence-vectors computes it. Words are\n"
           "split on ASCII whitespace as 'w2v train' splits its corpus and matched case\n"
           "included; a word without a vector (not in the file, or a zero vector) is not\n"
           "counted, and a line without a word counted gets a row of zeros (how many is\n"
           "said on standard error at the end; not an error). With a fastText model (.bin)\n"
           "a word outside the vocabulary gets the vector of its character n-grams.\n"
           "Each row is one line of values with 6 decimals (\"v1 v2 ... vD\"), in input\n"
           "order, on standard output, a batch of lines (thousands) at a time.\n\n");
    printf("options:\n");
    qopts_help_model(QOPT_MODEL, EMB_HELP_COL);
    qopts_help_format(EMB_HELP_COL);
    printf("  -limit N       load only the first N rows (the most frequent words) [all]\n"
           "  -sif FILE      smooth inverse frequency (Arora et al. 2017): FILE has 'word\n"
           "                 count' lines, as 'w2v train -save-vocab' writes them; each\n"
           "                 word's raw vector is weighted by a / (a + count / total), and\n"
           "                 the first singular vector of all the lines' vectors is\n"
           "                 removed from every row\n"
           "  -sif-a A       SIF's a, above 0 and at most 1 [%g]\n"
           "  -threads N     threads [online CPUs: %d]\n"
           "  -h             this help\n\n",
           QOPT_SIF_A, online_cpus());
    printf("With -sif every input is read before the first row is written: the lines'\n"
           "vectors wait in a temporary file in $TMPDIR (else /tmp), 4 x D bytes a line,\n"
           "removed at once so that nothing is left behind. An input holding a NUL byte is\n"
           "binary, not text, and an error (a vectors file is given with -m).\n\n"
           "example: w2v embed -m vectors.bin sentences.txt > rows.txt\n");
}

/* Checks that the named inputs can be read before the vectors are loaded: a regular file
 * is opened (and closed), a missing one or a directory is reported; pipes and devices
 * are left alone, since opening them would take their data. Returns 0, or -1 with 'err'
 * set ("PATH: No such file or directory"). */
static int check_inputs(const char *const *paths, int n, struct w2v_err *err)
{
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") == 0) {
            continue;
        }
        if (stat(paths[i], &st) != 0) {
            err_set(err, "%s: %s", paths[i], strerror(errno));
            return -1;
        }
        if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
            int fd = open_input(paths[i], err);
            if (fd < 0) {
                return -1;
            }
            close(fd);
        }
    }
    return 0;
}

/* Standard input read by two of the model, -sif and the inputs: a usage error. */
static int stdin_twice(const struct qopts *o, const char *const *paths, int n)
{
    int uses = strcmp(o->model, "-") == 0;
    uses += o->sif != NULL && strcmp(o->sif, "-") == 0;
    for (int i = 0; i < n; i++) {
        uses += strcmp(paths[i], "-") == 0;
    }
    return uses > 1;
}

/* Refuses standard output when it is one of the files read ('w2v embed a.txt >> a.txt'
 * would read its own rows). Returns 0, or -1 with 'err' set. */
static int check_output(const struct qopts *o, const char *const *paths, int n,
                        struct w2v_err *err)
{
    struct outfile_name *f = xcalloc((size_t)n + 3, sizeof *f);
    int k = 0;
    f[k++] = (struct outfile_name){o->model, "-m", false, NULL};
    if (o->sif != NULL) {
        f[k++] = (struct outfile_name){o->sif, "-sif", false, NULL};
    }
    for (int i = 0; i < n; i++) {
        f[k++] = (struct outfile_name){paths[i], "the input", false, NULL};
    }
    f[k++] = (struct outfile_name){"-", "the output", true, NULL};
    int rc = outfile_check_names(f, k, err);
    free(f);
    return rc;
}

/* The rows to standard output (a linevec_emit_fn). */
static int emit_stdout(void *ctx, const char *text, size_t len, struct w2v_err *err)
{
    (void)ctx;
    errno = 0;
    if (fwrite(text, 1, len, stdout) == len) {
        return 0;
    }
    int e = errno;
    err_set(err, "standard output: write failed%s%s", e ? ": " : "", e ? strerror(e) : "");
    if (outfile_stdout_gone(e)) {
        err_code(err, W2V_ERR_STDOUT_CLOSED);
    }
    return -1;
}

/* Loads what the run needs and writes the rows. Returns the exit status. */
static int embed_run(const struct qopts *o, const char *const *paths, int n)
{
    struct w2v_err err;
    if (check_inputs(paths, n, &err) != 0) {
        return report_failure(&err);
    }
    struct vocab v;
    vocab_init(&v);
    if (o->sif != NULL && vocab_read(&v, o->sif, &err) != 0) {
        vocab_free(&v);
        return report_failure(&err);
    }
    struct embed e;
    if (qopts_load(&e, o, o->sif != NULL ? EMBED_RAW : EMBED_COPY) != 0) {
        vocab_free(&v);
        return W2V_EXIT_ERR;
    }
    struct linevec lv;
    linevec_init(&lv, &e, o->threads);
    struct linevec_stats st = {0};
    int rc = o->sif != NULL ? linevec_sif(&lv, &v, path_label(o->sif, false), o->sif_a, &err) : 0;
    if (rc == 0) {
        rc = linevec_run(&lv, paths, n, emit_stdout, NULL, &st, &err);
    }
    int status = W2V_EXIT_OK;
    if (rc != 0) {
        fflush(stdout); /* the rows before the failure come first on a shared terminal */
        if (st.binary) {
            char msg[sizeof err.msg];
            memcpy(msg, err.msg, sizeof msg);
            err_set(&err, "%s (a vectors file is given with -m)", msg);
        }
        status = report_failure(&err);
    } else {
        status = qopts_flush(W2V_EXIT_OK);
    }
    if (status == W2V_EXIT_OK && st.empty > 0) {
        log_info(LOG_NORMAL, "%lld of %lld %s had no word with a vector: %s",
                 (long long)st.empty, (long long)st.lines, plural(st.lines, "line", "lines"),
                 plural(st.empty, "its row is zeros", "their rows are zeros"));
    }
    linevec_free(&lv);
    embed_free(&e);
    vocab_free(&v);
    return status;
}

int cmd_embed(int argc, char **argv)
{
    struct qopts o;
    qopts_init(&o, "embed", QOPT_THREADS | QOPT_SIF);
    int first = 0;
    if (qopts_parse(&o, argc, argv, &first) != 0) {
        return W2V_EXIT_USAGE;
    }
    if (o.help) {
        embed_usage();
        return W2V_EXIT_OK;
    }
    if (o.sif_a_set && o.sif == NULL) {
        return qopts_usage_error(&o, "-sif-a: needs -sif");
    }
    static const char *const std_in[] = {"-"};
    const char *const *paths = first < argc ? (const char *const *)(argv + first) : std_in;
    int n = first < argc ? argc - first : 1;
    if (stdin_twice(&o, paths, n)) {
        return qopts_usage_error(&o, "standard input (-) can be read only once");
    }
    struct w2v_err err;
    if (check_output(&o, paths, n, &err) != 0) {
        return qopts_usage_error(&o, err.msg);
    }
    return embed_run(&o, paths, n);
}
