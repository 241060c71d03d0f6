/* cmd_query: 'w2v similar', 'analogy', 'similarity' and 'eval'. Loads a vectors file, then
 * answers the queries given as arguments, or one query per line of standard input. Query
 * errors (an unknown word) are reported per query and make the exit status 1. */
#include <getopt.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "embed.h"
#include "eval.h"
#include "knn.h"
#include "util.h"
#include "w2v.h"

/* Defaults of the query options. */
#define Q_MODEL "vectors.bin"
#define Q_K 10
#define Q_ANALOGY_RESTRICT 30000
#define Q_PAIRS_RESTRICT 300000
/* Longest query line read from standard input, and most words in one query. */
#define Q_MAX_LINE 65536
#define Q_MAX_WORDS 1024

enum query_kind { Q_SIMILAR, Q_ANALOGY, Q_SIMILARITY, Q_EVAL };

struct qopts {
    const char *name;      /* command name for messages */
    const char *model;
    int64_t k;
    int64_t limit;
    int64_t restrict_rows; /* eval: -1 until set */
    bool mul;
    int64_t threads;
    enum vec_format format;
    bool help;
};

enum { QO_MODEL = 256, QO_K, QO_LIMIT, QO_METHOD, QO_RESTRICT, QO_THREADS, QO_FORMAT, QO_HELP };

static const struct option query_long_opts[] = {
    {"m", required_argument, NULL, QO_MODEL},
    {"model", required_argument, NULL, QO_MODEL},
    {"k", required_argument, NULL, QO_K},
    {"limit", required_argument, NULL, QO_LIMIT},
    {"method", required_argument, NULL, QO_METHOD},
    {"restrict", required_argument, NULL, QO_RESTRICT},
    {"threads", required_argument, NULL, QO_THREADS},
    {"format", required_argument, NULL, QO_FORMAT},
    {"h", no_argument, NULL, QO_HELP},
    {"help", no_argument, NULL, QO_HELP},
    {NULL, 0, NULL, 0},
};

static void query_usage(enum query_kind kind)
{
    static const char *const synopsis[] = {
        "w2v similar [options] [WORD...]\n"
        "Nearest neighbours by cosine of the normalised sum of the words' vectors.\n",
        "w2v analogy [options] [A B C]\n"
        "Words closest to A - B + C: 'w2v analogy king man woman' gives queen.\n",
        "w2v similarity [options] [WORD1 WORD2]\n"
        "Cosine similarity of two words.\n",
        "w2v eval analogy [options] QUESTIONS...\n"
        "w2v eval similarity [options] PAIRS...\n"
        "Analogy accuracy ('a b c d' lines, b - a + c = d, under ': section' lines) and\n"
        "word-pair correlation ('w1 w2 score' lines), case-insensitive.\n",
    };
    printf("usage: %s\n", synopsis[kind]);
    printf("options:\n"
           "  -m FILE        vectors file, text or binary, gzipped or not [%s]\n",
           Q_MODEL);
    if (kind != Q_EVAL && kind != Q_SIMILARITY) {
        printf("  -k N           results per query [%d]\n", Q_K);
    }
    if (kind == Q_ANALOGY || kind == Q_EVAL) {
        printf("  -method M      add (3CosAdd) or mul (3CosMul) [add]\n");
    }
    printf("  -limit N       load only the first N rows (the most frequent words) [all]\n"
           "  -format F      the vectors file's format: text, binary or glove (headerless\n"
           "                 text) [detected from the first rows]\n");
    if (kind == Q_EVAL) {
        printf("  -restrict N    search and questions among the N most frequent words\n"
               "                 [%d for analogy, %d for similarity]\n"
               "  -threads N     threads for analogy [online CPUs]\n",
               Q_ANALOGY_RESTRICT, Q_PAIRS_RESTRICT);
    }
    printf("  -h             this help\n");
    if (kind != Q_EVAL) {
        printf("\nWithout words, one query per line is read from standard input;\n"
               "each answer ends with a blank line.\n");
    }
}

static int usage_error(const struct qopts *o, const char *msg)
{
    log_error("%s", msg);
    fprintf(stderr, "Try 'w2v %s -h'.\n", o->name);
    return W2V_EXIT_USAGE;
}

/* Parses the options; returns -1 after printing a usage error. */
static int parse_query_opts(struct qopts *o, int argc, char **argv, int *first_arg)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    o->model = Q_MODEL;
    o->k = Q_K;
    o->limit = 0;
    o->restrict_rows = -1;
    o->mul = false;
    o->format = VEC_AUTO;
    o->threads = cpus > 0 ? cpus : 1;
    o->help = false;
    opterr = 0;
    optind = 0;
    for (;;) {
        int index = -1;
        int id = getopt_long_only(argc, argv, ":", query_long_opts, &index);
        if (id == -1) {
            break;
        }
        char msg[600];
        struct w2v_err why;
        const char *name = index >= 0 ? query_long_opts[index].name : "";
        int bad = 0;
        switch (id) {
        case '?':
            snprintf(msg, sizeof msg, "%s: unknown or ambiguous option", argv[optind - 1]);
            return usage_error(o, msg), -1;
        case ':':
            snprintf(msg, sizeof msg, "%s: missing value", argv[optind - 1]);
            return usage_error(o, msg), -1;
        case QO_MODEL:
            o->model = optarg;
            break;
        case QO_K:
            bad = parse_i64(optarg, 1, INT32_MAX, &o->k, &why);
            break;
        case QO_LIMIT:
            bad = parse_i64(optarg, 1, INT64_MAX, &o->limit, &why);
            break;
        case QO_RESTRICT:
            bad = parse_i64(optarg, 1, INT64_MAX, &o->restrict_rows, &why);
            break;
        case QO_THREADS:
            bad = parse_i64(optarg, 1, 1024, &o->threads, &why);
            break;
        case QO_METHOD:
            if (strcmp(optarg, "add") == 0 || strcmp(optarg, "mul") == 0) {
                o->mul = optarg[0] == 'm';
            } else {
                bad = -1;
                err_set(&why, "expected add or mul, got '%s'", optarg);
            }
            break;
        case QO_FORMAT:
            bad = vec_format_parse(optarg, &o->format, &why);
            break;
        case QO_HELP:
            o->help = true;
            break;
        default:
            break;
        }
        if (bad != 0) {
            snprintf(msg, sizeof msg, "-%s: %s", name, why.msg);
            return usage_error(o, msg), -1;
        }
    }
    if (o->model[0] == '\0') {
        return usage_error(o, "-m: expected a file name, got an empty string"), -1;
    }
    *first_arg = optind;
    return 0;
}

/* Loads the vectors file of 'o'; returns 0, or -1 after reporting the error. Duplicate
 * words are reported once. */
static int load_vectors(struct embed *e, const struct qopts *o, bool may_map)
{
    struct w2v_err err;
    if (embed_load(e, o->model, o->format, o->limit, may_map, &err) != 0) {
        log_error("%s", err.msg);
        return -1;
    }
    if (e->dups > 0) {
        log_info(LOG_NORMAL, "warning: %s: %lld duplicate words; the first row of each is kept",
                 o->model, (long long)e->dups);
    }
    return 0;
}

/* Rows of 'n' words, or -1 after reporting the first unknown one. */
static int lookup(const struct embed *e, char **words, int n, int64_t *rows)
{
    for (int i = 0; i < n; i++) {
        rows[i] = embed_find(e, words[i]);
        if (rows[i] < 0) {
            log_error("%s: not in vocabulary", words[i]);
            return -1;
        }
    }
    return 0;
}

static void print_hits(const struct embed *e, const struct hit *h, int n)
{
    for (int i = 0; i < n; i++) {
        printf("%s\t%.6f\n", embed_word(e, h[i].row), (double)h[i].score);
    }
}

/* Answers one query of 'n' words; returns 0, or -1 if it was reported as an error. */
static int answer(enum query_kind kind, const struct qopts *o, const struct embed *e,
                  char **words, int n, struct hit *hits, float *q)
{
    static const int arity[] = {0, 3, 2};
    if (kind != Q_SIMILAR && n != arity[kind]) {
        log_error("%s: expected %d words, got %d", o->name, arity[kind], n);
        return -1;
    }
    if (n == 0) {
        return 0;
    }
    int64_t rows[Q_MAX_WORDS];
    if (lookup(e, words, n, rows) != 0) {
        return -1;
    }
    int dim = e->dim;
    if (kind == Q_SIMILARITY) {
        /* the first unit row is kept in q, the second lands in the room after it */
        memmove(q, embed_unit(e, rows[0], q + dim), (size_t)dim * sizeof *q);
        const float *a = q;
        const float *b = embed_unit(e, rows[1], q + dim);
        double s = 0.0;
        for (int d = 0; d < dim; d++) {
            s += (double)a[d] * (double)b[d];
        }
        printf("%.6f\n", s);
        return 0;
    }
    int k = (int)(o->k < e->rows ? o->k : e->rows);
    int got;
    if (kind == Q_ANALOGY && o->mul) {
        got = knn_cosmul(e, 0, rows[0], rows[1], rows[2], k, hits);
    } else {
        /* similar: the sum of the unit vectors; analogy: a - b + c */
        memset(q, 0, (size_t)dim * sizeof *q);
        for (int i = 0; i < n; i++) {
            float sign = kind == Q_ANALOGY && i == 1 ? -1.0f : 1.0f;
            const float *r = embed_unit(e, rows[i], q + dim);
            for (int d = 0; d < dim; d++) {
                q[d] += sign * r[d];
            }
        }
        double ss = 0.0;
        for (int d = 0; d < dim; d++) {
            ss += (double)q[d] * (double)q[d];
        }
        float inv = ss > 0.0 ? (float)(1.0 / sqrt(ss)) : 0.0f;
        for (int d = 0; d < dim; d++) {
            q[d] *= inv;
        }
        got = knn_search(e, 0, q, k, rows, n, hits);
    }
    print_hits(e, hits, got);
    return 0;
}

/* Reads queries from standard input until its end. Returns the exit status. */
static int answer_stdin(enum query_kind kind, const struct qopts *o, const struct embed *e,
                        struct hit *hits, float *q)
{
    bool tty = isatty(STDIN_FILENO) != 0;
    char *line = xmalloc(Q_MAX_LINE);
    int status = W2V_EXIT_OK;
    for (;;) {
        if (tty) {
            fprintf(stderr, "%s> ", o->name);
            fflush(stderr);
        }
        if (fgets(line, Q_MAX_LINE, stdin) == NULL) {
            break;
        }
        size_t len = strlen(line);
        if (len == Q_MAX_LINE - 1 && line[len - 1] != '\n') {
            log_error("%s: query line longer than %d bytes", o->name, Q_MAX_LINE - 2);
            int c;
            while ((c = getchar()) != EOF && c != '\n') {
            }
            status = W2V_EXIT_ERR;
            continue;
        }
        char *words[Q_MAX_WORDS];
        int n = 0;
        char *save = NULL;
        for (char *t = strtok_r(line, " \t\r\n", &save); t != NULL && n < Q_MAX_WORDS;
             t = strtok_r(NULL, " \t\r\n", &save)) {
            words[n++] = t;
        }
        if (n == 0) {
            continue;
        }
        if (answer(kind, o, e, words, n, hits, q) != 0) {
            status = W2V_EXIT_ERR;
        }
        printf("\n");
        fflush(stdout);
    }
    if (tty) {
        fputc('\n', stderr);
    }
    free(line);
    return status;
}

static int run_query(enum query_kind kind, const char *name, int argc, char **argv)
{
    struct qopts o = {.name = name};
    int first = 0;
    if (parse_query_opts(&o, argc, argv, &first) != 0) {
        return W2V_EXIT_USAGE;
    }
    if (o.help) {
        query_usage(kind);
        return W2V_EXIT_OK;
    }
    int nwords = argc - first;
    if (nwords > Q_MAX_WORDS) {
        return usage_error(&o, "too many query words");
    }
    if (kind != Q_SIMILAR && nwords != 0 && nwords != (kind == Q_ANALOGY ? 3 : 2)) {
        char msg[128];
        snprintf(msg, sizeof msg, "expected %d words, got %d", kind == Q_ANALOGY ? 3 : 2, nwords);
        return usage_error(&o, msg);
    }
    struct embed e;
    if (load_vectors(&e, &o, true) != 0) {
        return W2V_EXIT_ERR;
    }
    struct hit *hits = xmalloc((size_t)(o.k < e.rows ? o.k : e.rows) * sizeof *hits);
    /* the query vector, then room for one row of a mapped file */
    float *q = xmalloc((size_t)e.dim * 2 * sizeof *q);
    int status;
    if (nwords > 0) {
        status = answer(kind, &o, &e, argv + first, nwords, hits, q) == 0 ? W2V_EXIT_OK
                                                                          : W2V_EXIT_ERR;
    } else {
        status = answer_stdin(kind, &o, &e, hits, q);
    }
    free(hits);
    free(q);
    embed_free(&e);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        log_error("standard output: write failed");
        status = W2V_EXIT_ERR;
    }
    return status;
}

int cmd_similar(int argc, char **argv)
{
    return run_query(Q_SIMILAR, "similar", argc, argv);
}

int cmd_analogy(int argc, char **argv)
{
    return run_query(Q_ANALOGY, "analogy", argc, argv);
}

int cmd_similarity(int argc, char **argv)
{
    return run_query(Q_SIMILARITY, "similarity", argc, argv);
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

int cmd_eval(int argc, char **argv)
{
    struct qopts o = {.name = "eval"};
    if (argc < 2 || (strcmp(argv[1], "analogy") != 0 && strcmp(argv[1], "similarity") != 0)) {
        if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
            query_usage(Q_EVAL);
            return W2V_EXIT_OK;
        }
        return usage_error(&o, argc < 2 ? "missing benchmark (analogy or similarity)"
                                        : "expected 'analogy' or 'similarity'");
    }
    bool analogy = strcmp(argv[1], "analogy") == 0;
    o.name = analogy ? "eval analogy" : "eval similarity";
    int first = 0;
    if (parse_query_opts(&o, argc - 1, argv + 1, &first) != 0) {
        return W2V_EXIT_USAGE;
    }
    if (o.help) {
        query_usage(Q_EVAL);
        return W2V_EXIT_OK;
    }
    first += 1;
    if (first >= argc) {
        return usage_error(&o, analogy ? "missing question file" : "missing word-pair file");
    }
    if (o.restrict_rows < 0) {
        o.restrict_rows = analogy ? Q_ANALOGY_RESTRICT : Q_PAIRS_RESTRICT;
    }
    struct embed e;
    struct w2v_err err;
    /* the batched evaluations read the normalised matrix: no mapping */
    if (load_vectors(&e, &o, false) != 0) {
        return W2V_EXIT_ERR;
    }
    int status = W2V_EXIT_OK;
    for (int i = first; i < argc && status == W2V_EXIT_OK; i++) {
        if (analogy) {
            struct eval_analogies r;
            if (eval_analogy(&e, argv[i], o.restrict_rows, o.mul, (int)o.threads, &r, &err) != 0) {
                log_error("%s", err.msg);
                status = W2V_EXIT_ERR;
                break;
            }
            for (int s = 0; s < r.nsections; s++) {
                const struct eval_section *sec = &r.sections[s];
                printf("%s\t%.4f\t%lld/%lld\n", sec->name, fraction(sec->correct, sec->used),
                       (long long)sec->correct, (long long)sec->used);
            }
            printf("total\t%.4f\nsemantic\t%.4f\nsyntactic\t%.4f\nseen\t%lld/%lld\n",
                   fraction(r.correct, r.used), fraction(r.sem_correct, r.sem_used),
                   fraction(r.syn_correct, r.syn_used), (long long)r.used, (long long)r.total);
            eval_analogies_free(&r);
        } else {
            struct eval_pairs r;
            char name[256];
            if (eval_pairs(&e, argv[i], o.restrict_rows, &r, &err) != 0) {
                log_error("%s", err.msg);
                status = W2V_EXIT_ERR;
                break;
            }
            printf("%s\t%.4f\t%.4f\t%lld/%lld\n", base_name(argv[i], name, sizeof name),
                   r.spearman, r.pearson, (long long)r.used, (long long)r.total);
        }
    }
    embed_free(&e);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        log_error("standard output: write failed");
        status = W2V_EXIT_ERR;
    }
    return status;
}
