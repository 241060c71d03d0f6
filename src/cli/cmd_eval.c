/* cmd_eval: 'w2v eval analogy' and 'w2v eval similarity': the standard benchmarks over a
 * vectors file, one result block per question or pair file. */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/report.h"
#include "query/eval.h"
#include "base/log.h"
#include "base/util.h"
#include "cli/qopts.h"
#include "base/w2v.h"

/* Default -restrict: gensim's defaults for the two benchmarks. */
#define EVAL_ANALOGY_RESTRICT 30000
#define EVAL_PAIRS_RESTRICT 300000

static void eval_usage(const struct qopts *o)
{
    printf("usage: w2v eval analogy [options] QUESTIONS...\n"
           "       w2v eval similarity [options] PAIRS...\n"
           "Analogy accuracy ('a b c d' lines, b - a + c = d, under ': section' lines) and\n"
           "word-pair correlation ('w1 w2 score' lines), case-insensitive (Unicode upper\n"
           "case in every script, as Python's). '-' reads a file from standard input;\n"
           "blank lines and '#' lines are skipped. -method and -threads are for analogy.\n");
    qopts_help(o, EVAL_ANALOGY_RESTRICT, EVAL_PAIRS_RESTRICT);
}

static const char *base_name(const char *path, char *buf, size_t len)
{
    const char *slash = strrchr(path, '/');
    snprintf(buf, len, "%s", slash ? slash + 1 : path);
    char *dot = strchr(buf, '.');
    if (dot != NULL && dot != buf) {
        *dot = '\0';
    }
    return buf;
}

static double fraction(int64_t a, int64_t b)
{
    return b > 0 ? (double)a / (double)b : 0.0;
}

static int eval_one_analogy(struct embed *e, const struct qopts *o, const char *path)
{
    struct eval_analogies r;
    struct w2v_err err;
    if (eval_analogy(e, path, o->restrict_rows, o->mul, o->oov, o->threads, &r, &err) != 0) {
        return report_failure(&err);
    }
    for (int s = 0; s < r.nsections; s++) {
        const struct eval_section *sec = &r.sections[s];
        printf("%s\t%.4f\t%lld/%lld\n", sec->name, fraction(sec->correct, sec->used),
               (long long)sec->correct, (long long)sec->used);
    }
    printf("total\t%.4f\nsemantic\t%.4f\nsyntactic\t%.4f\nseen\t%lld/%lld\n",
           fraction(r.correct, r.used), fraction(r.sem_correct, r.sem_used),
           fraction(r.syn_correct, r.syn_used), (long long)r.used, (long long)r.total);
    if (o->oov) {
        printf("unknown\tfrom n-grams: %lld\n", (long long)r.oov);
    } else {
        printf("unknown\tskipped\n");
    }
    eval_analogies_free(&r);
    return W2V_EXIT_OK;
}

static int eval_one_pairs(struct embed *e, const struct qopts *o, const char *path)
{
    struct eval_pairs r;
    struct w2v_err err;
    char name[256];
    if (eval_pairs(e, path, o->restrict_rows, o->oov, &r, &err) != 0) {
        return report_failure(&err);
    }
    char unknown[64] = "unknown skipped";
    if (o->oov) {
        snprintf(unknown, sizeof unknown, "unknown from n-grams: %lld", (long long)r.oov);
    }
    printf("%s\t%.4f\t%.4f\t%lld/%lld\t%s\n", base_name(path, name, sizeof name), r.spearman,
           r.pearson, (long long)r.used, (long long)r.total, unknown);
    return W2V_EXIT_OK;
}

int cmd_eval(int argc, char **argv)
{
    struct qopts o;
    qopts_init(&o, "eval", QOPT_METHOD | QOPT_RESTRICT | QOPT_THREADS);
    bool analogy = argc >= 2 && strcmp(argv[1], "analogy") == 0;
    if (!analogy && (argc < 2 || strcmp(argv[1], "similarity") != 0)) {
        if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
            eval_usage(&o);
            return W2V_EXIT_OK;
        }
        return qopts_usage_error(&o, argc < 2 ? "missing benchmark (analogy or similarity)"
                                              : "expected 'analogy' or 'similarity'");
    }
    if (analogy) {
        qopts_init(&o, "eval analogy", QOPT_METHOD | QOPT_RESTRICT | QOPT_THREADS | QOPT_OOV);
    } else {
        qopts_init(&o, "eval similarity", QOPT_RESTRICT | QOPT_OOV);
    }
    int first = 0;
    if (qopts_parse(&o, argc - 1, argv + 1, &first) != 0) {
        return W2V_EXIT_USAGE;
    }
    if (o.help) {
        eval_usage(&o);
        return W2V_EXIT_OK;
    }
    first += 1;
    if (first >= argc) {
        return qopts_usage_error(&o, analogy ? "missing question file" : "missing word-pair file");
    }
    if (o.restrict_rows < 0) {
        o.restrict_rows = analogy ? EVAL_ANALOGY_RESTRICT : EVAL_PAIRS_RESTRICT;
    }
    struct embed e;
    /* loaded, not mapped: the batched scans then read rows that are already unit rows */
    if (qopts_load(&e, &o, EMBED_COPY) != 0) {
        return W2V_EXIT_ERR;
    }
    if (o.oov && e.ft == NULL) {
        embed_free(&e);
        char msg[600];
        snprintf(msg, sizeof msg, "%s: no character n-grams for -oov ngrams (not a fastText model)",
                 path_label(o.model, false));
        return qopts_usage_error(&o, msg);
    }
    int status = W2V_EXIT_OK;
    /* A failed write (standard output closed) ends the files early: qopts_flush tells. */
    for (int i = first; i < argc && status == W2V_EXIT_OK && !ferror(stdout); i++) {
        status = analogy ? eval_one_analogy(&e, &o, argv[i]) : eval_one_pairs(&e, &o, argv[i]);
    }
    embed_free(&e);
    return qopts_flush(status);
}
