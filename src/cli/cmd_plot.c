/* cmd_plot: 'w2v plot'. Projects the normalised vectors of some words (and of their
 * nearest neighbours, or of an analogy and its answer) onto their first two principal
 * components and writes a labelled SVG scatter plot, all or nothing. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/qopts.h"
#include "cli/report.h"
#include "query/embed.h"
#include "query/knn.h"
#include "io/outfile.h"
#include "query/pca.h"
#include "query/plot.h"
#include "base/sig.h"
#include "base/util.h"
#include "base/w2v.h"

/* Defaults: the query commands' model name, and the output of the usual example. */
#define P_MODEL "vectors.bin"
#define P_OUTPUT "plot.svg"
/* Most neighbours per word, and the canvas size limits in pixels. */
#define P_MAX_NEIGHBOURS 100
#define P_MIN_SIZE 200
#define P_MAX_SIZE 10000

struct popts {
    const char *model;
    const char *output;
    int64_t neighbours;
    int64_t limit;
    int64_t width, height;
    enum vec_format format;
    bool analogy;
    bool quiet;
    bool help;
};

enum { PO_MODEL = 256, PO_NEIGHBOURS, PO_LIMIT, PO_WIDTH, PO_HEIGHT, PO_OUT, PO_ANALOGY,
       PO_FORMAT, PO_QUIET, PO_HELP };

static const struct option plot_long_opts[] = {
    {"neighbours", required_argument, NULL, PO_NEIGHBOURS},
    {"neighbors", required_argument, NULL, PO_NEIGHBOURS},
    {"limit", required_argument, NULL, PO_LIMIT},
    {"width", required_argument, NULL, PO_WIDTH},
    {"height", required_argument, NULL, PO_HEIGHT},
    {"m", required_argument, NULL, PO_MODEL},
    {"model", required_argument, NULL, PO_MODEL},
    {"o", required_argument, NULL, PO_OUT},
    {"format", required_argument, NULL, PO_FORMAT},
    {"analogy", no_argument, NULL, PO_ANALOGY},
    {"q", no_argument, NULL, PO_QUIET},
    {"h", no_argument, NULL, PO_HELP},
    {"help", no_argument, NULL, PO_HELP},
    {NULL, 0, NULL, 0},
};

/* Column where the option descriptions start. */
#define P_HELP_COL 19

static void plot_usage(void)
{
    printf("usage: w2v plot [options] WORD...\n"
           "       w2v plot [options] -analogy A B C\n"
           "Projects the words' normalised vectors onto their first two principal\n"
           "components (of the plotted rows, centred) and draws them as an SVG picture.\n"
           "With -analogy, also draws D, the answer of A - B + C, and arrows B -> A and\n"
           "C -> D: for a good analogy they are parallel and of the same length.\n"
           "Words are matched case included (a missing word is reported with a loaded\n"
           "word that differs only in case).\n"
           "options:\n");
    qopts_help_model(P_MODEL, P_HELP_COL);
    qopts_help_format(P_HELP_COL);
    printf("  -o FILE          SVG output, '-' for standard output [%s]\n"
           "  -neighbours N    also plot each word's N nearest neighbours, lighter [0]\n"
           "  -limit N         load only the first N rows (the most frequent words) [all]\n"
           "  -width W         canvas width in pixels [%d]\n"
           "  -height H        canvas height in pixels [%d]\n"
           "  -q               quiet: no summary on standard error\n"
           "  -h               this help\n",
           P_OUTPUT, PLOT_WIDTH, PLOT_HEIGHT);
}

/* Parses the options into 'o'; returns 0, or the exit status after a usage error. */
static int parse_plot_opts(struct popts *o, int argc, char **argv)
{
    *o = (struct popts){.model = P_MODEL, .output = P_OUTPUT, .width = PLOT_WIDTH,
                        .height = PLOT_HEIGHT};
    opt_begin();
    char msg[600];
    struct w2v_err why = {{0}, 0};
    for (int id, ix; (id = opt_next(argc, argv, plot_long_opts, &ix, &why)) != -1;) {
        int bad = 0;
        if (id == '?') {
            return report_usage("plot", "%s", why.msg);
        } else if (id == PO_NEIGHBOURS) {
            bad = parse_i64(optarg, 0, P_MAX_NEIGHBOURS, &o->neighbours, &why);
        } else if (id == PO_LIMIT) {
            bad = parse_i64(optarg, 1, INT64_MAX, &o->limit, &why);
        } else if (id == PO_WIDTH || id == PO_HEIGHT) {
            bad = parse_i64(optarg, P_MIN_SIZE, P_MAX_SIZE, id == PO_WIDTH ? &o->width
                                                                             : &o->height, &why);
        } else if (id == PO_FORMAT) {
            bad = vec_format_parse(optarg, &o->format, &why);
        } else if (id == PO_MODEL || id == PO_OUT) {
            *(id == PO_MODEL ? &o->model : &o->output) = optarg;
        } else {
            o->analogy |= id == PO_ANALOGY;
            o->quiet |= id == PO_QUIET;
            o->help |= id == PO_HELP;
        }
        if (bad != 0) {
            snprintf(msg, sizeof msg, "-%s: %s", plot_long_opts[ix].name, why.msg);
            return report_usage("plot", "%s", msg);
        }
    }
    int nwords = argc - optind;
    if (o->help) {
        return 0;
    }
    if (o->model[0] == '\0' || o->output[0] == '\0') {
        return report_usage("plot", "%s", "-m, -o: expected a file name, got an empty string");
    }
    const struct outfile_name files[] = {{o->model, "-m", false, NULL},
                                         {o->output, "-o", true, NULL}};
    if (outfile_check_names(files, 2, &why) != 0) {
        return report_usage("plot", "%s", why.msg);
    }
    if (o->analogy && nwords != 3) {
        snprintf(msg, sizeof msg, "-analogy: expected 3 words (A B C), got %d", nwords);
        return report_usage("plot", "%s", msg);
    }
    if (nwords < 1 || (nwords < 2 && o->neighbours == 0)) {
        return report_usage("plot", "%s", "expected at least 2 words, or 1 word and -neighbours");
    }
    if ((int64_t)nwords * (1 + o->neighbours) + 1 > PCA_MAX_ROWS) {
        snprintf(msg, sizeof msg, "too many points (most %d)", PCA_MAX_ROWS);
        return report_usage("plot", "%s", msg);
    }
    return 0;
}

/* The rows to plot, their kinds and arrows, built from the words and options. */
struct scene {
    int64_t *rows;
    enum plot_kind *kind;
    int n;
    struct plot_arrow arrows[2];
    int narrows;
};

static bool scene_has(const struct scene *s, int64_t row)
{
    for (int i = 0; i < s->n; i++) {
        if (s->rows[i] == row) {
            return true;
        }
    }
    return false;
}

static void scene_add(struct scene *s, int64_t row, enum plot_kind kind)
{
    if (!scene_has(s, row)) {
        s->rows[s->n] = row;
        s->kind[s->n++] = kind;
    }
}

/* The unit sum of signed unit rows into 'q' (dim floats; 'scratch' holds one row). */
static void unit_sum(const struct embed *e, const int64_t *rows, const float *sign, int n,
                     float *q, float *scratch)
{
    memset(q, 0, (size_t)e->dim * sizeof *q);
    for (int i = 0; i < n; i++) {
        const float *r = embed_unit(e, rows[i], scratch);
        for (int d = 0; d < e->dim; d++) {
            q[d] += sign[i] * r[d];
        }
    }
    double ss = 0.0;
    for (int d = 0; d < e->dim; d++) {
        ss += (double)q[d] * (double)q[d];
    }
    float inv = ss > 0.0 ? (float)(1.0 / sqrt(ss)) : 0.0f;
    for (int d = 0; d < e->dim; d++) {
        q[d] *= inv;
    }
}

/* Adds the words (all must be known), the analogy's answer and the neighbours. Returns 0,
 * or -1 with 'err' set. */
static int build_scene(const struct popts *o, struct embed *e, char **words, int nwords,
                       struct scene *s, struct w2v_err *err)
{
    int64_t *query = xmalloc((size_t)nwords * sizeof *query);
    struct qwords qw;
    qwords_init(&qw, e);
    for (int i = 0; i < nwords; i++) {
        query[i] = qwords_find(&qw, words[i], err);
        if (query[i] < 0) {
            qwords_free(&qw);
            free(query);
            return -1;
        }
        scene_add(s, query[i], PLOT_WORD);
    }
    qwords_free(&qw);
    float *q = xmalloc((size_t)e->dim * 2 * sizeof *q);
    int k = (int)(o->neighbours + nwords + 1 < e->rows ? o->neighbours + nwords + 1 : e->rows);
    struct hit *hits = xmalloc((size_t)(k > 0 ? k : 1) * sizeof *hits);
    int nq = s->n;
    if (o->analogy) {
        static const float sign[3] = {1.0f, -1.0f, 1.0f};
        unit_sum(e, query, sign, 3, q, q + e->dim);
        if (knn_search(e, 0, q, 1, query, 3, hits) == 1) {
            scene_add(s, hits[0].row, PLOT_ANSWER);
            s->arrows[0] = (struct plot_arrow){1, 0};
            s->arrows[1] = (struct plot_arrow){2, s->n - 1};
            s->narrows = s->n == 4 && nq == 3 ? 2 : 0;
        }
    }
    for (int i = 0; i < nq && o->neighbours > 0; i++) {
        static const float one = 1.0f;
        unit_sum(e, &s->rows[i], &one, 1, q, q + e->dim);
        int got = knn_search(e, 0, q, (int)o->neighbours, s->rows, nq, hits);
        for (int j = 0; j < got; j++) {
            scene_add(s, hits[j].row, PLOT_NEIGHBOUR);
        }
    }
    free(hits);
    free(q);
    free(query);
    return 0;
}

/* Projects the scene's rows and writes the picture. Returns 0 or -1 with 'err' set. */
static int draw(const struct popts *o, const struct embed *e, const struct scene *s,
                struct w2v_err *err)
{
    size_t dim = (size_t)e->dim;
    float *m = xmalloc((size_t)s->n * dim * sizeof *m);
    double *xy = xmalloc((size_t)s->n * 2 * sizeof *xy);
    struct plot_point *pts = xmalloc((size_t)s->n * sizeof *pts);
    for (int i = 0; i < s->n; i++) {
        float *r = m + (size_t)i * dim;
        const float *u = embed_unit(e, s->rows[i], r);
        memmove(r, u, dim * sizeof *r);
    }
    double frac[2] = {0.0, 0.0};
    int rc = pca_project(m, s->n, e->dim, xy, frac, err);
    char caption[160];
    snprintf(caption, sizeof caption, "PCA of %d words: x = PC1 (%.1f%% of variance), "
             "y = PC2 (%.1f%%)", s->n, 100.0 * frac[0], 100.0 * frac[1]);
    for (int i = 0; i < s->n && rc == 0; i++) {
        size_t at = (size_t)2 * (size_t)i;
        pts[i] = (struct plot_point){.label = embed_word(e, s->rows[i]), .x = xy[at],
                                     .y = xy[at + 1], .kind = s->kind[i]};
    }
    struct plot_spec spec = {.pts = pts, .n = s->n, .arrows = s->arrows,
                             .narrows = s->narrows, .caption = caption,
                             .width = (int)o->width, .height = (int)o->height};
    struct outfile of;
    int overlaps = 0;
    if (rc == 0 && outfile_open(&of, o->output, false, err) == 0) {
        rc = plot_svg(&of, &spec, &overlaps, err);
        rc = rc == 0 ? outfile_commit(&of, err) : (outfile_abort(&of), -1);
    } else {
        rc = -1;
    }
    if (rc == 0 && !o->quiet) {
        log_info(LOG_NORMAL, "plot: %d points, PC1 %.1f%% and PC2 %.1f%% of the variance%s",
                 s->n, 100.0 * frac[0], 100.0 * frac[1],
                 overlaps > 0 ? "; some labels overlap (try a larger -width/-height)" : "");
    }
    free(pts);
    free(xy);
    free(m);
    return rc;
}

int cmd_plot(int argc, char **argv)
{
    struct popts o;
    int status = parse_plot_opts(&o, argc, argv);
    if (status != 0 || o.help) {
        if (o.help) {
            plot_usage();
        }
        return status;
    }
    int nwords = argc - optind;
    char **words = argv + optind;
    sig_install();
    struct embed e;
    struct w2v_err err;
    /* A bad output path fails before the vectors are loaded. */
    if (outfile_check(o.output, &err) != 0 ||
        embed_load(&e, o.model, o.format, o.limit, EMBED_MAP, &err) != 0) {
        return report_failure(&err);
    }
    size_t cap = (size_t)nwords * (size_t)(o.neighbours + 1) + 1;
    struct scene s = {.rows = xmalloc(cap * sizeof *s.rows), .kind = xmalloc(cap * sizeof *s.kind)};
    int rc = build_scene(&o, &e, words, nwords, &s, &err);
    if (rc == 0 && s.n < 2) {
        err_set(&err, "nothing to plot: fewer than 2 distinct words");
        rc = -1;
    }
    if (rc == 0) {
        rc = draw(&o, &e, &s, &err);
    }
    if (rc != 0) {
        status = report_failure(&err);
    }
    free(s.rows);
    free(s.kind);
    embed_free(&e);
    return status;
}
