/* cmd_convert: 'w2v convert IN OUT'. Streams rows from one vector file to another: text,
 * binary, gzip and GloVe, or to an export (.npy, .tsv: io/export.h), with a row limit, a
 * word list and normalisation. Rows are read and written one at a time. When a text or
 * binary output needs a header but the row count is only known at the end (a headerless
 * input, or -vocab), the rows first go to an unlinked temporary file in $TMPDIR, then
 * follow the header. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/report.h"
#include "io/export.h"
#include "io/input.h"
#include "io/outfile.h"
#include "base/sig.h"
#include "base/strindex.h"
#include "base/util.h"
#include "io/vecfile.h"
#include "base/w2v.h"

/* Longest line of a -vocab file, in bytes. */
#define CV_MAX_LINE 65536
/* Bytes copied at a time from the temporary file. */
#define CV_COPY (1 << 16)

struct cvopts {
    const char *in;
    const char *out;
    enum vec_format format;  /* of the input */
    int binary;              /* 1, 0, or -1 to decide from the output name */
    bool glove;
    int64_t limit;
    bool normalize;
    const char *vocab;
    bool help;
    enum export_kind export; /* from OUT's name */
    char *words;             /* an export's words file, or NULL */
};

enum { CO_FORMAT = 256, CO_BINARY, CO_GLOVE, CO_LIMIT, CO_NORMALIZE, CO_VOCAB, CO_HELP };

static const struct option convert_long_opts[] = {
    {"format", required_argument, NULL, CO_FORMAT},
    {"binary", required_argument, NULL, CO_BINARY},
    {"glove", no_argument, NULL, CO_GLOVE},
    {"limit", required_argument, NULL, CO_LIMIT},
    {"normalize", no_argument, NULL, CO_NORMALIZE},
    {"vocab", required_argument, NULL, CO_VOCAB},
    {"h", no_argument, NULL, CO_HELP},
    {"help", no_argument, NULL, CO_HELP},
    {NULL, 0, NULL, 0},
};

static void convert_usage(void)
{
    printf("usage: w2v convert [options] IN OUT\n"
           "Converts a vectors file between text, binary, gzip and GloVe (headerless text),\n"
           "or exports it for NumPy or TensorBoard.\n"
           "IN or OUT may be - (standard input or output).\n"
           "options:\n"
           "  -format F      IN's format: text, binary or glove [detected from the first rows]\n"
           "  -binary 0|1    1 for binary OUT, 0 for text [binary, text if OUT ends in .txt\n"
           "                 or .vec or is -]; an OUT ending in .gz is gzip-compressed\n"
           "  -glove         write GloVe: text rows without the 'COUNT DIM' header\n"
           "  -limit N       convert only the first N rows of IN [all]\n"
           "  -normalize     write unit-length rows [the values as they are]\n"
           "  -vocab FILE    keep only the words of FILE: one per line, or 'word count' lines\n"
           "  -h             this help\n"
           "Rows keep their order and their words, duplicates included; text values have 6\n"
           "decimals. With a headerless IN (GloVe) or -vocab, the rows wait in a temporary\n"
           "file in $TMPDIR (else /tmp) until the header's row count is known.\n"
           "Exports, chosen by OUT's name, are two files, both written or neither (not -):\n"
           "  NAME.npy       a NumPy float32 array (rows, dims); the words, one a line, in\n"
           "                 NAME.vocab\n"
           "  NAME.tsv       TensorBoard's projector: tab-separated values with 6 decimals;\n"
           "                 the words, one a line, in NAME.metadata.tsv\n"
           "Without -binary or -glove, an OUT named like a format w2v does not write (.npz,\n"
           ".csv, .parquet, .h5, .json, .pkl, .pt...) is refused; other names are vectors.\n");
}

/* Parses one option; returns 0, or -1 with 'why' set. */
static int convert_option(struct cvopts *o, int id, struct w2v_err *why)
{
    int64_t b = 0;
    switch (id) {
    case CO_FORMAT:
        return vec_format_parse(optarg, &o->format, why);
    case CO_BINARY:
        if (parse_i64(optarg, 0, 1, &b, why) != 0) {
            return -1;
        }
        o->binary = (int)b;
        return 0;
    case CO_GLOVE:
        o->glove = true;
        return 0;
    case CO_LIMIT:
        return parse_i64(optarg, 1, INT64_MAX, &o->limit, why);
    case CO_NORMALIZE:
        o->normalize = true;
        return 0;
    case CO_VOCAB:
        o->vocab = optarg;
        return 0;
    default:
        o->help = true;
        return 0;
    }
}

/* Tells an export from OUT's name and refuses the names w2v cannot write: an export with
 * -binary or -glove, an export to standard output or a special file (it is two files, and
 * one written in place could not be undone if the other failed), and, when neither
 * -binary nor -glove chooses a format, a name of a format of another tool. Any other name
 * is a vectors file, as before exports existed. Returns 0, or the status of a usage error. */
static int check_output_name(struct cvopts *o)
{
    o->export = export_kind_of(o->out);
    bool chosen = o->glove || o->binary >= 0;
    if (o->export == EXPORT_NONE) {
        const char *ending = chosen ? NULL : export_refused_suffix(o->out);
        if (ending != NULL) {
            return report_usage("convert", "%s: w2v does not write %s files; it writes word2vec "
                                "text or binary (-binary 0|1, any name), GloVe (-glove), .npy "
                                "and .tsv", o->out, ending);
        }
        return 0;
    }
    if (chosen) {
        return report_usage("convert", "-%s: %s names %s; -binary and -glove write word2vec's "
                            "formats", o->glove ? "glove" : "binary", o->out,
                            export_label(o->export));
    }
    o->words = export_words_path(o->out, o->export);
    if (outfile_in_place(o->out) || outfile_in_place(o->words)) {
        return report_usage("convert", "%s: %s is two files, %s and %s, which standard output "
                            "or a special file cannot hold", o->out, export_label(o->export),
                            o->out, o->words);
    }
    return 0;
}

/* Parses the command line; returns 0, or an exit status after printing a usage error. */
static int parse_convert_opts(struct cvopts *o, int argc, char **argv)
{
    *o = (struct cvopts){.format = VEC_AUTO, .binary = -1};
    opt_begin();
    char msg[600];
    for (;;) {
        int index;
        struct w2v_err why;
        int id = opt_next(argc, argv, convert_long_opts, &index, &why);
        if (id == -1) {
            break;
        }
        if (id == '?') {
            return report_usage("convert", "%s", why.msg);
        }
        if (convert_option(o, id, &why) != 0) {
            snprintf(msg, sizeof msg, "-%s: %s", convert_long_opts[index].name, why.msg);
            return report_usage("convert", "%s", msg);
        }
    }
    if (o->help) {
        return 0;
    }
    if (argc - optind != 2) {
        return report_usage("convert", "%s", argc - optind < 2 ? "expected IN and OUT"
                                                     : "unexpected argument after OUT");
    }
    o->in = argv[optind];
    o->out = argv[optind + 1];
    if (o->glove && o->binary == 1) {
        return report_usage("convert", "%s", "-glove: GloVe files are text; drop -binary 1");
    }
    int status = check_output_name(o);
    if (status != 0) {
        return status;
    }
    /* OUT may be IN: the input is read through the descriptor opened first, and the
     * output replaces it by a rename once complete (never in place). */
    struct outfile_name files[4] = {{o->in, "the input", false, NULL}};
    int n = 1;
    if (o->vocab != NULL) {
        files[n++] = (struct outfile_name){o->vocab, "-vocab", false, NULL};
    }
    files[n++] = (struct outfile_name){o->out, "the output", true, "the input"};
    if (o->words != NULL) {
        files[n++] = (struct outfile_name){o->words, "the words file", true, "the input"};
    }
    struct w2v_err why;
    if (outfile_check_names(files, n, &why) != 0) {
        return report_usage("convert", "%s", why.msg);
    }
    return 0;
}

/* Binary output unless -binary 0, -glove, or a text name as 'w2v train' decides. */
static bool binary_output(const struct cvopts *o)
{
    return !o->glove && vec_binary_name(o->out, o->binary);
}

/* Reads the words of a -vocab file (the first field of each line that is not blank). */
static int read_word_list(const char *path, struct strindex *words, struct w2v_err *err)
{
    struct input in;
    if (input_open(&in, path, err) != 0) {
        return -1;
    }
    strindex_init(words, 0, 0);
    char *line;
    size_t len;
    const unsigned char *p;
    int rc = (int)input_peek(&in, 1, &p, err); /* sets up input_line's buffer */
    while (rc > 0 && (rc = input_line(&in, &line, &len, CV_MAX_LINE, err)) == 1) {
        char *w = line + strspn(line, " \t");
        size_t n = strcspn(w, " \t\r");
        if (n > 0 && strindex_intern_h(words, w, n, strindex_hash(w, n), NULL) < 0) {
            err_set(err, "%s: too many words", path_label(path, false));
            rc = -1;
            break;
        }
    }
    input_close(&in);
    return rc;
}

/* Everything one conversion owns, released in one place. */
struct conversion {
    const struct cvopts *o;
    bool binary;
    struct vec_reader r;
    struct outfile of;
    bool of_open;
    struct export_writer ex; /* for an export, instead of 'of' */
    bool ex_open;
    FILE *spill;             /* rows waiting for the header, or NULL */
    struct strindex vocab;   /* -vocab words (when o->vocab) */
    struct strindex seen;    /* words written, to count duplicates */
    int64_t written;
    int64_t dups;
    float *values;
    char *buf;
    size_t room;
};

/* What the temporary file is, after the reason of its errors. */
#define CV_SPILL_WHAT "convert's temporary file"

/* Sets 'err' for an error 'e' of the temporary file ('what' failed, or NULL): the message
 * names the directory and says that it comes from $TMPDIR, or that TMPDIR is not set. */
static void spill_error(const char *what, int e, struct w2v_err *err)
{
    const char *origin;
    const char *dir = tmp_dir(NULL, &origin);
    err_set(err, "%s%s: %s%s%s (%s%s)", origin, dir, what != NULL ? what : "",
            what != NULL ? ": " : "", e != 0 ? strerror(e) : "unexpected end of file",
            CV_SPILL_WHAT, *origin != '\0' ? "" : "; TMPDIR is not set");
}

/* An unlinked temporary file in $TMPDIR (or /tmp) for the rows. */
static FILE *open_spill(struct w2v_err *err)
{
    const char *origin;
    const char *dir = tmp_dir(NULL, &origin);
    size_t n = strlen(dir) + sizeof "/w2v-convert-XXXXXX";
    char *name = xmalloc(n);
    snprintf(name, n, "%s/w2v-convert-XXXXXX", dir);
    int fd = mkstemp(name);
    int e = errno;
    FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
    if (fd >= 0) {
        e = errno;
        unlink(name);
    }
    free(name);
    if (f == NULL) {
        spill_error(NULL, e, err);
        if (fd >= 0) {
            close(fd);
        }
    }
    return f;
}

static int put(struct conversion *c, const char *p, size_t n, struct w2v_err *err)
{
    if (c->spill == NULL) {
        return outfile_write(&c->of, p, n, err);
    }
    if (fwrite(p, 1, n, c->spill) != n) {
        spill_error("write failed", errno, err);
        return -1;
    }
    return 0;
}

/* Writes the header, then the rows held in the temporary file. */
static int copy_spill(struct conversion *c, struct w2v_err *err)
{
    if (fflush(c->spill) != 0 || fseek(c->spill, 0, SEEK_SET) != 0) {
        spill_error("write failed", errno, err);
        return -1;
    }
    if (vec_write_header(&c->of, c->written, c->r.dim, err) != 0) {
        return -1;
    }
    char *chunk = xmalloc(CV_COPY);
    size_t got;
    int rc = 0;
    errno = 0;
    while (rc == 0 && (got = fread(chunk, 1, CV_COPY, c->spill)) > 0) {
        rc = outfile_write(&c->of, chunk, got, err);
    }
    if (rc == 0 && ferror(c->spill)) {
        spill_error("read failed", errno, err);
        rc = -1;
    }
    free(chunk);
    return rc;
}

/* Writes one row (normalised if asked). */
static int put_row(struct conversion *c, const struct vec_row *row, struct w2v_err *err)
{
    int dim = c->r.dim;
    int added = 0;
    if (strindex_intern_h(&c->seen, row->word, row->len, row->hash, &added) < 0) {
        err_set(err, "%s: too many words", path_label(c->o->in, false));
        return -1;
    }
    c->dups += !added;
    if (c->o->normalize) {
        vec_unit_row(c->values, vec_inv_length(c->values, dim), dim, c->values);
    }
    if (c->ex_open) {
        c->written++;
        return export_row(&c->ex, row->word, row->len, c->values, err);
    }
    if (vec_row_room(row->len, dim) > c->room) {
        c->room = vec_row_room(row->len, dim);
        c->buf = xrealloc(c->buf, c->room);
    }
    size_t n = vec_format_row(c->buf, row->word, row->len, c->values, dim, c->binary);
    c->written++;
    return put(c, c->buf, n, err);
}

/* Copies the rows: the first -limit rows of the input, those of the -vocab words. A read
 * that is not cut by -limit ends by checking the rows against the input's header. */
static int convert_rows(struct conversion *c, struct w2v_err *err)
{
    const struct cvopts *o = c->o;
    struct vec_reader *r = &c->r;
    int64_t keep = r->rows >= 0 ? first_n(o->limit, r->rows) : (o->limit > 0 ? o->limit : INT64_MAX);
    c->values = xmalloc((size_t)r->dim * sizeof *c->values);
    for (int64_t read = 0;; read++) {
        struct vec_row row;
        int rc = read < keep || keep == r->rows ? vec_next(r, &row, c->values, err) : 0;
        if (rc <= 0 || read == keep) {
            return rc;
        }
        if (o->vocab != NULL && strindex_find_h(&c->vocab, row.word, row.len, row.hash) < 0) {
            continue;
        }
        if (put_row(c, &row, err) != 0) {
            return -1;
        }
    }
}

/* Opens a text, binary or GloVe output and writes its header, or opens the temporary file
 * for the rows when the header must wait for their count. */
static int open_vectors_output(struct conversion *c, struct w2v_err *err)
{
    const struct cvopts *o = c->o;
    c->binary = binary_output(o);
    if (outfile_open(&c->of, o->out, ends_with(o->out, ".gz"), err) != 0) {
        return -1;
    }
    c->of_open = true;
    bool known = c->r.rows >= 0 && o->vocab == NULL;
    if (!o->glove && known &&
        vec_write_header(&c->of, first_n(o->limit, c->r.rows), c->r.dim, err) != 0) {
        return -1;
    }
    if (!o->glove && !known && (c->spill = open_spill(err)) == NULL) {
        return -1;
    }
    return 0;
}

static int run_convert(struct conversion *c, struct w2v_err *err)
{
    const struct cvopts *o = c->o;
    if (outfile_check(o->out, err) != 0 ||
        (o->words != NULL && outfile_check(o->words, err) != 0)) {
        return -1;
    }
    if (o->vocab != NULL && read_word_list(o->vocab, &c->vocab, err) != 0) {
        return -1;
    }
    if (vec_open(&c->r, o->in, o->format, err) != 0) {
        return -1;
    }
    strindex_init(&c->seen, 0, 0);
    if (o->export != EXPORT_NONE) {
        if (export_open(&c->ex, o->export, o->out, o->words, c->r.dim, err) != 0) {
            return -1;
        }
        c->ex_open = true;
    } else if (open_vectors_output(c, err) != 0) {
        return -1;
    }
    if (convert_rows(c, err) != 0) {
        return -1;
    }
    if (c->written == 0) {
        err_set(err, "%s: no rows to write%s", path_label(o->in, false),
                o->vocab != NULL ? " (no word of -vocab)" : "");
        return -1;
    }
    if (c->ex_open) {
        c->ex_open = false;
        return export_commit(&c->ex, err);
    }
    if (c->spill != NULL && copy_spill(c, err) != 0) {
        return -1;
    }
    c->of_open = false;
    return outfile_commit(&c->of, err);
}

int cmd_convert(int argc, char **argv)
{
    struct cvopts o;
    int status = parse_convert_opts(&o, argc, argv);
    if (status != 0 || o.help) {
        if (o.help) {
            convert_usage();
        }
        free(o.words);
        return status;
    }
    sig_install();
    struct conversion *c = xcalloc(1, sizeof *c);
    c->o = &o;
    c->r.in.fd = -1;
    struct w2v_err err;
    if (run_convert(c, &err) != 0) {
        status = report_failure(&err);
    } else if (c->dups > 0) {
        log_info(LOG_NORMAL, "warning: %s: %lld duplicate %s, written as they came "
                 "(readers keep the first row of each)", path_label(o.in, false),
                 (long long)c->dups,
                 plural(c->dups, "word", "words"));
    }
    if (c->of_open) {
        outfile_abort(&c->of);
    }
    if (c->ex_open) {
        export_abort(&c->ex);
    }
    if (c->spill != NULL) {
        fclose(c->spill);
    }
    vec_close(&c->r);
    strindex_free(&c->vocab);
    strindex_free(&c->seen);
    free(c->values);
    free(c->buf);
    free(c);
    free(o.words);
    return status;
}
