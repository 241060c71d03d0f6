/* qopts: getopt_long_only over one table of every query option, checked against the
 * options the command accepts. */
#include "cli/qopts.h"
#include "cli/report.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/util.h"
#include "base/w2v.h"
#include "io/outfile.h"

/* Column where the query commands' option descriptions start. */
#define QOPT_HELP_COL 17

enum { QO_MODEL = 256, QO_K, QO_LIMIT, QO_METHOD, QO_RESTRICT, QO_THREADS, QO_FORMAT, QO_OOV,
       QO_SIF, QO_SIF_A, QO_HELP };

/* Largest -sif-a: with a = 1 every weight a / (a + p) is already between 1/2 and 1. */
#define QOPT_SIF_A_MAX 1.0

static const struct option long_opts[] = {
    {"m", required_argument, NULL, QO_MODEL},
    {"model", required_argument, NULL, QO_MODEL},
    {"k", required_argument, NULL, QO_K},
    {"limit", required_argument, NULL, QO_LIMIT},
    {"method", required_argument, NULL, QO_METHOD},
    {"restrict", required_argument, NULL, QO_RESTRICT},
    {"threads", required_argument, NULL, QO_THREADS},
    {"oov", required_argument, NULL, QO_OOV},
    {"format", required_argument, NULL, QO_FORMAT},
    {"sif", required_argument, NULL, QO_SIF},
    {"sif-a", required_argument, NULL, QO_SIF_A},
    {"h", no_argument, NULL, QO_HELP},
    {"help", no_argument, NULL, QO_HELP},
    {NULL, 0, NULL, 0},
};

/* The enum qopt bit an option needs, 0 for the options every command takes. */
static unsigned needed(int id)
{
    switch (id) {
    case QO_K:
        return QOPT_K_OPT;
    case QO_METHOD:
        return QOPT_METHOD;
    case QO_RESTRICT:
        return QOPT_RESTRICT;
    case QO_THREADS:
        return QOPT_THREADS;
    case QO_OOV:
        return QOPT_OOV;
    case QO_SIF:
    case QO_SIF_A:
        return QOPT_SIF;
    default:
        return 0;
    }
}

void qopts_init(struct qopts *o, const char *name, unsigned accepted)
{
    *o = (struct qopts){.name = name, .accepted = accepted, .model = QOPT_MODEL, .k = QOPT_K,
                        .restrict_rows = -1, .threads = online_cpus(), .sif_a = QOPT_SIF_A};
}

int qopts_usage_error(const struct qopts *o, const char *msg)
{
    return report_usage(o->name, "%s", msg);
}

/* Sets the option 'id' from 'arg'; returns 0, or -1 with 'why' set. */
static int set_option(struct qopts *o, int id, const char *arg, struct w2v_err *why)
{
    int64_t v = 0;
    int bad = 0;
    switch (id) {
    case QO_MODEL:
        o->model = arg;
        break;
    case QO_K:
        bad = parse_i64(arg, 1, INT32_MAX, &o->k, why);
        break;
    case QO_LIMIT:
        bad = parse_i64(arg, 1, INT64_MAX, &o->limit, why);
        break;
    case QO_RESTRICT:
        bad = parse_i64(arg, 1, INT64_MAX, &o->restrict_rows, why);
        break;
    case QO_THREADS:
        bad = parse_i64(arg, 1, UTIL_MAX_THREADS, &v, why);
        o->threads = (int)v;
        break;
    case QO_METHOD:
        if (strcmp(arg, "add") == 0 || strcmp(arg, "mul") == 0) {
            o->mul = arg[0] == 'm';
        } else {
            bad = -1;
            err_set(why, "expected add or mul, got '%s'", arg);
        }
        break;
    case QO_FORMAT:
        bad = vec_format_parse(arg, &o->format, why);
        break;
    case QO_OOV:
        if (strcmp(arg, "skip") == 0 || strcmp(arg, "ngrams") == 0) {
            o->oov = arg[0] == 'n';
        } else {
            bad = -1;
            err_set(why, "expected skip or ngrams, got '%s'", arg);
        }
        break;
    case QO_SIF:
        o->sif = arg;
        if (*arg == '\0') {
            bad = -1;
            err_set(why, "expected a file name, got an empty string");
        }
        break;
    case QO_SIF_A:
        o->sif_a_set = true;
        bad = parse_f64(arg, 0.0, QOPT_SIF_A_MAX, &o->sif_a, why);
        if (bad == 0 && !(o->sif_a > 0.0)) {
            bad = -1;
            err_set(why, "must be greater than 0");
        }
        break;
    case QO_HELP:
        o->help = true;
        break;
    default:
        break;
    }
    return bad;
}

int qopts_parse(struct qopts *o, int argc, char **argv, int *first_arg)
{
    opterr = 0;
    optind = 0;
    for (;;) {
        int index = -1;
        int id = getopt_long_only(argc, argv, ":", long_opts, &index);
        if (id == -1) {
            break;
        }
        char msg[600];
        char cut[QOPT_ECHO_MAX + 4];
        const char *given = qopts_echo(argv[optind - 1], cut);
        if (id == '?' || id == ':') {
            snprintf(msg, sizeof msg, "%s: %s", given,
                     id == '?' ? "unknown or ambiguous option" : "missing value");
            return qopts_usage_error(o, msg);
        }
        const char *name = long_opts[index].name;
        if ((needed(id) & ~o->accepted) != 0) {
            snprintf(msg, sizeof msg, "-%s: not an option of 'w2v %s'", name, o->name);
            return qopts_usage_error(o, msg);
        }
        struct w2v_err why;
        if (set_option(o, id, optarg, &why) != 0) {
            snprintf(msg, sizeof msg, "-%s: %s", name, why.msg);
            return qopts_usage_error(o, msg);
        }
    }
    if (o->model[0] == '\0') {
        return qopts_usage_error(o, "-m: expected a file name, got an empty string");
    }
    *first_arg = optind;
    return 0;
}

void qopts_help_model(const char *model, int col)
{
    printf("  %-*svectors file: text, binary or GloVe, gzipped or not, or a\n"
           "%*sfastText .bin model [%s]\n", col - 2, "-m FILE", col, "", model);
}

void qopts_help_format(int col)
{
    printf("  %-*sthe vectors file's format: text, binary, glove (headerless\n"
           "%*stext) or fasttext [detected from the first bytes]\n", col - 2, "-format F",
           col, "");
}

void qopts_help(const struct qopts *o, int64_t restrict_analogy, int64_t restrict_pairs)
{
    printf("options:\n");
    qopts_help_model(QOPT_MODEL, QOPT_HELP_COL);
    if (o->accepted & QOPT_K_OPT) {
        printf("  -k N           results per query [%d]\n", QOPT_K);
    }
    if (o->accepted & QOPT_METHOD) {
        printf("  -method M      add (3CosAdd) or mul (3CosMul) [add]\n");
    }
    printf("  -limit N       load only the first N rows (the most frequent words) [all]\n");
    qopts_help_format(QOPT_HELP_COL);
    if (o->accepted & QOPT_RESTRICT) {
        printf("  -restrict N    search and questions among the N most frequent words\n"
               "                 [%lld for analogy, %lld for similarity]\n",
               (long long)restrict_analogy, (long long)restrict_pairs);
    }
    if (o->accepted & QOPT_THREADS) {
        printf("  -threads N     threads for analogy [online CPUs: %d]\n", online_cpus());
    }
    if (o->accepted & QOPT_OOV) {
        printf("  -oov skip|ngrams  words not among the -restrict most frequent: skip\n"
               "                 their questions or pairs, as gensim does, or (a fastText\n"
               "                 model) answer them from their character n-grams, as\n"
               "                 fastText's evaluations do; the output says which [skip]\n");
    }
    printf("  -h             this help\n");
}

int qopts_load(struct embed *e, const struct qopts *o, enum embed_mode mode)
{
    struct w2v_err err;
    if (embed_load(e, o->model, o->format, o->limit, mode, &err) != 0) {
        report_failure(&err);
        return -1;
    }
    if (e->dups > 0) {
        log_info(LOG_NORMAL, "warning: %s: %lld duplicate %s; the first row of each is kept",
                 path_label(o->model, false), (long long)e->dups,
                 plural(e->dups, "word", "words"));
    }
    return 0;
}

void qwords_init(struct qwords *q, struct embed *e)
{
    memset(q, 0, sizeof *q);
    q->e = e;
}

/* A row whose word differs from 'word' only in case, or -1. */
static int64_t other_case(struct qwords *q, const char *word)
{
    size_t len = strlen(word);
    char *low = xmalloc(len + 1);
    bool ascii = true;
    for (size_t i = 0; i <= len; i++) {
        unsigned char c = (unsigned char)word[i];
        ascii &= c < 0x80;
        low[i] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    /* the usual miss ("King" for "king") costs one look-up more */
    int64_t row = ascii && strcmp(low, word) != 0 ? embed_find(q->e, low) : -1;
    free(low);
    if (row >= 0) {
        return row;
    }
    if (!q->built) {
        embed_upper_build(&q->upper, q->e, q->e->rows);
        q->built = true;
    }
    return embed_upper_find(&q->upper, word);
}

int64_t qwords_find(struct qwords *q, const char *word, struct w2v_err *err)
{
    int64_t row = embed_lookup(q->e, word);
    if (row >= 0) {
        return row;
    }
    char cut[QOPT_ECHO_MAX + 4];
    char cut_other[QOPT_ECHO_MAX + 4];
    const char *shown = qopts_echo(word, cut);
    int64_t other = other_case(q, word);
    const char *alt = other >= 0 ? qopts_echo(embed_word(q->e, other), cut_other) : NULL;
    long long limit = (long long)q->e->cut;
    if (limit > 0 && alt != NULL) {
        err_set(err, "%s: not among the first %lld %s (-limit %lld), but '%s' is", shown,
                limit, plural(limit, "row", "rows"), limit, alt);
    } else if (limit > 0) {
        err_set(err, "%s: not among the first %lld %s (-limit %lld)", shown, limit,
                plural(limit, "row", "rows"), limit);
    } else if (alt != NULL) {
        err_set(err, "%s: not in vocabulary (but '%s' is)", shown, alt);
    } else {
        err_set(err, "%s: not in vocabulary", shown);
    }
    return -1;
}

void qwords_free(struct qwords *q)
{
    if (q->built) {
        embed_upper_free(&q->upper);
    }
    memset(q, 0, sizeof *q);
}

const char *qopts_echo(const char *word, char *buf)
{
    size_t n = strlen(word);
    if (n <= QOPT_ECHO_MAX) {
        return word;
    }
    n = QOPT_ECHO_MAX;
    while (n > 0 && ((unsigned char)word[n] & 0xC0) == 0x80) {
        n--; /* word[n] continues a character: cut before that character */
    }
    snprintf(buf, QOPT_ECHO_MAX + 4, "%.*s...", (int)n, word);
    return buf;
}

int qopts_flush(int status)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        int e = errno;
        struct w2v_err err;
        err_set(&err, "standard output: write failed%s%s", e ? ": " : "", e ? strerror(e) : "");
        if (outfile_stdout_gone(e)) {
            err_code(&err, W2V_ERR_STDOUT_CLOSED);
        }
        return report_failure(&err);
    }
    return status;
}
