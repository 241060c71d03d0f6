/* cmd_phrases: 'w2v phrases'. Options, the progress display and the messages around the
 * two passes of src/train/phrases.c; reports every failure as one line. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/report.h"
#include "io/outfile.h"
#include "text/phrases.h"
#include "base/progress.h"
#include "base/sig.h"
#include "base/util.h"
#include "base/w2v.h"

/* Defaults: word2phrase's threshold and min-count; for npmi a middle of its 0..1 range of
 * positive association. */
#define PH_THRESHOLD 100.0
#define PH_THRESHOLD_NPMI 0.5
#define PH_MIN_COUNT 5
/* Memory for the counts, in MiB, and the least and most accepted, in bytes (1 MiB, 1 PiB). */
#define PH_MEMORY_MIB 1024
#define PH_MIN_MEMORY ((size_t)1 << 20)
#define PH_MAX_MEMORY ((size_t)1 << 50)
/* Largest word2vec-score threshold accepted (far above any useful setting). */
#define PH_MAX_THRESHOLD 1e300

struct ph_opts {
    struct phrases_config cfg;
    const char *input;
    const char *output;
    const char *input_name;  /* how the user gave them: "the input" or "-train", "-o"... */
    const char *output_name;
    bool threshold_set;
    int verbosity;
    bool help;
};

enum { PO_THRESHOLD = 256, PO_MIN_COUNT, PO_SCORE, PO_MEMORY, PO_OUTPUT, PO_TRAIN, PO_QUIET,
       PO_VERBOSE, PO_HELP };

static const struct option ph_long_opts[] = {
    {"threshold", required_argument, NULL, PO_THRESHOLD},
    {"min-count", required_argument, NULL, PO_MIN_COUNT},
    {"score", required_argument, NULL, PO_SCORE},
    {"memory", required_argument, NULL, PO_MEMORY},
    {"o", required_argument, NULL, PO_OUTPUT},
    {"output", required_argument, NULL, PO_OUTPUT},
    {"train", required_argument, NULL, PO_TRAIN},
    {"q", no_argument, NULL, PO_QUIET},
    {"v", no_argument, NULL, PO_VERBOSE},
    {"h", no_argument, NULL, PO_HELP},
    {"help", no_argument, NULL, PO_HELP},
    {NULL, 0, NULL, 0},
};

static void ph_usage(void)
{
    printf(
"usage: w2v phrases [options] INPUT [-o OUTPUT]\n"
"\n"
"Joins frequent word pairs with '_' (\"new york\" -> new_york), as word2vec's word2phrase.\n"
"INPUT is a text file, a gzip file, or - for standard input (copied to $TMPDIR, since\n"
"it is read twice). Words are split as 'w2v train' splits them; a pair never spans a\n"
"line end and the output has one line per input line. Run it again on its own output\n"
"for longer phrases:\n"
"  w2v phrases corpus.gz | w2v phrases - | w2v train -o vectors.bin -\n"
"\n"
"options:\n"
"  -threshold X       join a pair whose score is above X [%g; %g with -score npmi]\n"
"  -min-count N       never join a pair, or a word, seen fewer than N times [%d]\n"
"  -score S           word2vec: (count(ab) - min-count) / (count(a) count(b)) * words\n"
"                     npmi: normalised pointwise mutual information, -1..1 [word2vec]\n"
"  -memory SIZE       memory for the counts, in MiB or with a suffix K, M, G [%d]; when\n"
"                     full, the rarest words and pairs are dropped (with a warning)\n"
"  -o FILE, -output FILE  the joined text, - for standard output; a name ending in .gz\n"
"                     is gzip-compressed [-]\n"
"  -train FILE        the input, as an option (word2phrase's spelling)\n"
"  -q                 quiet: errors only\n"
"  -v                 verbose: also the memory of the counts, and whether the input was\n"
"                     copied to be read again\n"
"  -h                 this help\n"
"\n"
"example: w2v phrases -threshold 200 -o corpus-phrases.gz corpus.gz\n",
        PH_THRESHOLD, PH_THRESHOLD_NPMI, PH_MIN_COUNT, PH_MEMORY_MIB);
}

/* -memory: a size (parse_size) between PH_MIN_MEMORY and PH_MAX_MEMORY. */
static int parse_memory(const char *arg, size_t *out, struct w2v_err *err)
{
    struct w2v_err why;
    if (parse_size(arg, out, &why) != 0) {
        err_set(err, "-memory: %s", why.msg);
        return -1;
    }
    if (*out < PH_MIN_MEMORY || *out > PH_MAX_MEMORY) {
        err_set(err, "-memory: '%s' is out of range (%lluM to %lluT)", arg,
                (unsigned long long)(PH_MIN_MEMORY >> 20),
                (unsigned long long)(PH_MAX_MEMORY >> 40));
        return -1;
    }
    return 0;
}

static int ph_apply(struct ph_opts *o, int id, const char *name, const char *arg,
                    struct w2v_err *err)
{
    struct w2v_err why;
    int rc = 0;
    switch (id) {
    case PO_THRESHOLD:
        rc = parse_f64(arg, -PH_MAX_THRESHOLD, PH_MAX_THRESHOLD, &o->cfg.threshold, &why);
        o->threshold_set = true;
        break;
    case PO_MIN_COUNT:
        rc = parse_i64(arg, 1, INT64_MAX, &o->cfg.min_count, &why);
        break;
    case PO_SCORE:
        if (strcmp(arg, "word2vec") == 0 || strcmp(arg, "default") == 0) {
            o->cfg.scoring = PHRASES_WORD2VEC;
        } else if (strcmp(arg, "npmi") == 0) {
            o->cfg.scoring = PHRASES_NPMI;
        } else {
            err_set(err, "-score: expected word2vec or npmi, got '%s'", arg);
            return -1;
        }
        break;
    case PO_MEMORY:
        return parse_memory(arg, &o->cfg.memory, err);
    case PO_OUTPUT:
    case PO_TRAIN:
        if (*arg == '\0') {
            err_set(err, "-%s: expected a file name, got an empty string", name);
            return -1;
        }
        if (id == PO_TRAIN && o->input != NULL) {
            err_set(err, "-train: the input is given twice");
            return -1;
        }
        if (id == PO_OUTPUT) {
            o->output = arg;
            o->output_name = strcmp(name, "o") == 0 ? "-o" : "-output";
        } else {
            o->input = arg;
            o->input_name = "-train";
        }
        break;
    case PO_QUIET:
        o->verbosity = LOG_QUIET;
        break;
    case PO_VERBOSE:
        o->verbosity = LOG_VERBOSE;
        break;
    default:
        o->help = true;
        break;
    }
    if (rc != 0) {
        err_set(err, "-%s: %s", name, why.msg);
    }
    return rc;
}

/* Settings that depend on each other, checked once all options are read. */
static int ph_check(struct ph_opts *o, struct w2v_err *err)
{
    if (o->cfg.scoring == PHRASES_NPMI) {
        if (!o->threshold_set) {
            o->cfg.threshold = PH_THRESHOLD_NPMI;
        } else if (o->cfg.threshold < -1.0 || o->cfg.threshold > 1.0) {
            err_set(err, "-threshold: %g is outside -1..1, the range of -score npmi",
                    o->cfg.threshold);
            return -1;
        }
    }
    if (o->input == NULL) {
        err_set(err, "missing input (a file name, or - for standard input)");
        return -1;
    }
    const struct outfile_name files[] = {{o->input, o->input_name, false, NULL},
                                         {o->output, o->output_name, true, NULL}};
    return outfile_check_names(files, 2, err);
}

static int ph_parse(struct ph_opts *o, int argc, char **argv, struct w2v_err *err)
{
    opt_begin();
    for (;;) {
        int index;
        int id = opt_next(argc, argv, ph_long_opts, &index, err);
        if (id == -1) {
            break;
        }
        if (id == '?') {
            return -1;
        }
        if (ph_apply(o, id, ph_long_opts[index].name, optarg, err) != 0) {
            return -1;
        }
    }
    if (o->help) {
        return 0;
    }
    for (int i = optind; i < argc; i++) {
        if (o->input != NULL) {
            err_set(err, "%s: unexpected argument (the input is '%s')", argv[i], o->input);
            return -1;
        }
        o->input = argv[i];
    }
    return ph_check(o, err);
}

/* The progress display of the two passes, each paced as a stage (progress.h). */
struct ph_progress {
    struct progress_pace pace;
    double t0;          /* start of the run */
    int pass;
};

static void ph_tick(void *ctx, int pass, uint64_t done, uint64_t total)
{
    struct ph_progress *pr = ctx;
    static const char *const what[] = {"", "counting", "writing"};
    double now = now_sec();
    if (pass != pr->pass) {
        pr->pass = pass;
        progress_pace_start(&pr->pace);
    }
    double frac = total > 0 ? (double)done / (double)total : -1.0;
    if (!progress_due(&pr->pace, frac, now)) {
        return;
    }
    bool tty = pr->pace.tty;
    if (total > 0) {
        log_raw(LOG_NORMAL, "%sw2v: %s %5.1f%%  %.0f s%s", tty ? "\r" : "", what[pass],
                100.0 * frac, now - pr->t0, tty ? " " : "\n");
    } else {
        char buf[32];
        log_raw(LOG_NORMAL, "%sw2v: %s %s read  %.0f s%s", tty ? "\r" : "", what[pass],
                fmt_bytes(buf, sizeof buf, (double)done), now - pr->t0, tty ? " " : "\n");
    }
    pr->pace.drawn = tty;
}

static void ph_progress_end(struct ph_progress *pr)
{
    if (pr->pace.drawn) {
        log_raw(LOG_NORMAL, "\r\033[K");
        pr->pace.drawn = false;
    }
}

static void report_counts(const struct ph_opts *o, const struct phrases_stats *st, double secs)
{
    char a[32];
    char b[32];
    log_info(LOG_NORMAL, "counted %s %s in %.1f s: %lld distinct %s, %lld distinct %s",
             fmt_count(a, sizeof a, (double)st->tokens), plural(st->tokens, "word", "words"),
             secs, (long long)st->words, plural(st->words, "word", "words"),
             (long long)st->pairs, plural(st->pairs, "pair", "pairs"));
    log_info(LOG_VERBOSE, "memory: %s for the counts (-memory %s)%s",
             fmt_bytes(a, sizeof a, (double)st->peak_bytes),
             fmt_bytes(b, sizeof b, (double)o->cfg.memory),
             st->spilled ? "; the input was copied to $TMPDIR to be read again" : "");
    if (st->truncated > 0) {
        log_info(LOG_NORMAL, "warning: %lld %s longer than %d bytes %s cut",
                 (long long)st->truncated, plural(st->truncated, "token", "tokens"),
                 W2V_MAX_WORD, plural(st->truncated, "was", "were"));
    }
    if (st->prunes > 0) {
        log_info(LOG_NORMAL,
                 "warning: the counts filled -memory %s %lld %s; each time the rarest words "
                 "and pairs were dropped (at last those seen up to %lld %s), so counts are "
                 "lower bounds: raise -memory for exact counts",
                 fmt_bytes(b, sizeof b, (double)o->cfg.memory), (long long)st->prunes,
                 plural(st->prunes, "time", "times"), (long long)st->dropped_at,
                 plural(st->dropped_at, "time", "times"));
    }
}

static int ph_run(const struct ph_opts *o, struct phrases *p, struct outfile *out,
                  bool *out_open, struct w2v_err *err)
{
    struct ph_progress pr = {.t0 = now_sec()};
    struct phrases_progress prog = {.fn = ph_tick, .ctx = &pr};
    /* The output is checked first, so that a bad path fails before the long passes, and
     * created when the second pass starts. */
    if (outfile_check(o->output, err) != 0) {
        return -1;
    }
    int rc = phrases_count(p, o->input, &prog, err);
    ph_progress_end(&pr);
    if (rc != 0) {
        return -1;
    }
    const struct phrases_stats *st = phrases_get_stats(p);
    report_counts(o, st, now_sec() - pr.t0);
    double t1 = now_sec();
    if (outfile_open(out, o->output, ends_with(o->output, ".gz"), err) != 0) {
        return -1;
    }
    *out_open = true;
    rc = phrases_write(p, out, &prog, err);
    ph_progress_end(&pr);
    if (rc != 0) {
        return -1;
    }
    *out_open = false;
    if (outfile_commit(out, err) != 0) {
        return -1;
    }
    char a[32];
    log_info(LOG_NORMAL, "done: %s %s joined in %.1f s (%.1f s in all)",
             fmt_count(a, sizeof a, (double)st->joined), plural(st->joined, "pair", "pairs"),
             now_sec() - t1, now_sec() - pr.t0);
    return 0;
}

int cmd_phrases(int argc, char **argv)
{
    struct ph_opts o = {
        .cfg = {.scoring = PHRASES_WORD2VEC, .threshold = PH_THRESHOLD,
                .min_count = PH_MIN_COUNT, .memory = (size_t)PH_MEMORY_MIB << 20},
        .output = "-",
        .input_name = "the input",
        .output_name = "-o",
        .verbosity = LOG_NORMAL,
    };
    struct w2v_err err;
    if (ph_parse(&o, argc, argv, &err) != 0) {
        return report_usage("phrases", "%s", err.msg);
    }
    if (o.help) {
        ph_usage();
        return W2V_EXIT_OK;
    }
    log_set_level(o.verbosity);
    sig_install();
    struct phrases *p = phrases_new(&o.cfg);
    struct outfile *out = xmalloc(sizeof *out);
    bool out_open = false;
    int status = W2V_EXIT_OK;
    if (ph_run(&o, p, out, &out_open, &err) != 0) {
        status = report_failure(&err);
    }
    if (out_open) {
        outfile_abort(out);
    }
    free(out);
    phrases_free(p);
    return status;
}
