/* Unit tests of option parsing for 'w2v train' and of the number parsers. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "cli/opts.h"
#include "base/util.h"

/* Whether the last parse saw -h. */
static bool parsed_help;

/* Parses a space-separated command line (after "train"); returns opts_parse's result. */
static int parse(const char *line, struct train_opts *o, struct w2v_err *err)
{
    static char buf[512];
    char *argv[64];
    int argc = 0;
    snprintf(buf, sizeof buf, "train %s", line);
    for (char *tok = strtok(buf, " "); tok != NULL && argc < 63; tok = strtok(NULL, " ")) {
        argv[argc++] = tok;
    }
    argv[argc] = NULL;
    training_defaults(o);
    memset(err, 0, sizeof *err);
    parsed_help = false;
    int rc = opts_parse(o, argc, argv, &parsed_help, err);
    /* The list of corpora moves to static storage, so that callers need not free it. */
    static const char *list[64];
    for (int i = 0; i < o->ncorpora && i < 64; i++) {
        list[i] = o->corpora[i];
    }
    int n = o->ncorpora;
    opts_free(o);
    o->corpora = list;
    o->ncorpora = n;
    return rc;
}

static void expect_error(const char *line, const char *needle)
{
    struct train_opts o;
    struct w2v_err err;
    int rc = parse(line, &o, &err);
    CHECK_EQ(rc, -1);
    if (rc != -1 || strstr(err.msg, needle) == NULL) {
        fprintf(stderr, "  '%s': got '%s', want '%s'\n", line, err.msg, needle);
        CHECK(0);
    }
}

static void test_defaults(void)
{
    struct train_opts o;
    struct w2v_err err;
    CHECK_EQ(parse("corpus.txt", &o, &err), 0);
    CHECK_EQ(o.ncorpora, 1);
    CHECK(strcmp(o.corpora[0], "corpus.txt") == 0);
    CHECK(o.memory > 0);
    CHECK(o.tmpdir == NULL);
    CHECK_EQ(o.cfg.kind, MODEL_SKIPGRAM);
    CHECK_EQ(o.cfg.dim, 100);
    CHECK_EQ(o.cfg.window, 5);
    CHECK_EQ(o.cfg.negative, 5);
    CHECK(!o.cfg.hs);
    CHECK_NEAR(o.cfg.sample, 1e-3, 0);
    CHECK_EQ(o.cfg.iter, 5);
    CHECK_NEAR(o.cfg.alpha, 0.025, 0);
    CHECK_EQ(o.min_count, 5);
    CHECK(strcmp(o.output, "vectors.bin") == 0);
    CHECK(training_binary_output(&o));
    CHECK(o.cfg.threads >= 1);
}

static void test_word2vec_spellings(void)
{
    struct train_opts o;
    struct w2v_err err;
    CHECK_EQ(parse("-cbow 1 -hs 1 -negative 0 -train c.txt -size 50 -output v.txt", &o, &err), 0);
    CHECK_EQ(o.cfg.kind, MODEL_CBOW);
    CHECK(o.cfg.hs);
    CHECK_EQ(o.cfg.negative, 0);
    CHECK_NEAR(o.cfg.alpha, 0.05, 0);
    CHECK_EQ(o.cfg.dim, 50);
    CHECK(strcmp(o.corpora[0], "c.txt") == 0);
    CHECK(!training_binary_output(&o));
    CHECK_EQ(parse("-cbow 0 -hs 0 c.txt", &o, &err), 0);
    CHECK_EQ(o.cfg.kind, MODEL_SKIPGRAM);
    CHECK(!o.cfg.hs);
    CHECK_EQ(parse("c.txt -cbow -dim 7 -epochs 3 -alpha 0.1 --window 2 -o - -binary 1", &o, &err),
             0);
    CHECK_EQ(o.cfg.kind, MODEL_CBOW);
    CHECK_EQ(o.cfg.dim, 7);
    CHECK_EQ(o.cfg.iter, 3);
    CHECK_EQ(o.cfg.window, 2);
    CHECK_NEAR(o.cfg.alpha, 0.1, 0);
    CHECK(training_binary_output(&o));
    /* a corpus named like a boolean is given as a path after a bare flag */
    CHECK_EQ(parse("-cbow ./yes", &o, &err), 0);
    CHECK_EQ(o.cfg.kind, MODEL_CBOW);
    CHECK(strcmp(o.corpora[0], "./yes") == 0);
    CHECK_EQ(parse("-cbow -train yes", &o, &err), 0);
    CHECK(strcmp(o.corpora[0], "yes") == 0);
    CHECK_EQ(parse("-hs -negative 0 yesterday.txt", &o, &err), 0);
    CHECK(strcmp(o.corpora[0], "yesterday.txt") == 0);
    CHECK_EQ(parse("-o out.vec.gz -", &o, &err), 0);
    CHECK(strcmp(o.corpora[0], "-") == 0);
    CHECK(!training_binary_output(&o));
    CHECK_EQ(parse("-h", &o, &err), 0);
    CHECK(parsed_help);
}

/* Other programs' names set what w2v's own names set; -loss and -debug stand for several
 * of w2v's options, applied where they are written. */
static void test_other_spellings(void)
{
    struct train_opts o;
    struct w2v_err err;
    CHECK_EQ(parse("-input a.txt -output v.txt -lr 0.5 -ws 3 -minCount 7 -t 1e-4 -thread 3 "
                   "-epoch 4 -dim 9 -neg 2 b.txt", &o, &err), 0);
    CHECK_EQ(o.ncorpora, 2);
    CHECK(strcmp(o.corpora[0], "a.txt") == 0 && strcmp(o.corpora[1], "b.txt") == 0);
    CHECK(strcmp(o.output, "v.txt") == 0);
    CHECK_NEAR(o.cfg.alpha, 0.5, 0);
    CHECK(o.alpha_given);
    CHECK_EQ(o.cfg.window, 3);
    CHECK_EQ(o.min_count, 7);
    CHECK_NEAR(o.cfg.sample, 1e-4, 0);
    CHECK_EQ(o.cfg.threads, 3);
    CHECK_EQ(o.cfg.iter, 4);
    CHECK_EQ(o.cfg.dim, 9);
    CHECK_EQ(o.cfg.negative, 2);
    CHECK(o.given == (TRAINING_GIVEN_MODEL | TRAINING_GIVEN_DIM | TRAINING_GIVEN_MIN_COUNT |
                      TRAINING_GIVEN_RUN));
    CHECK_EQ(parse("-hs -loss ns c.txt", &o, &err), 0);
    CHECK(!o.cfg.hs);
    CHECK_EQ(o.cfg.negative, 5);
    CHECK_EQ(parse("-loss hs c.txt", &o, &err), 0);
    CHECK(o.cfg.hs);
    CHECK_EQ(o.cfg.negative, 0);
    CHECK_EQ(parse("-loss hs -neg 4 c.txt", &o, &err), 0);
    CHECK(o.cfg.hs);
    CHECK_EQ(o.cfg.negative, 4);
    CHECK_EQ(parse("-debug 0 c.txt", &o, &err), 0);
    CHECK_EQ(o.verbosity, LOG_QUIET);
    CHECK_EQ(parse("-verbose 2 c.txt", &o, &err), 0);
    CHECK_EQ(o.verbosity, LOG_VERBOSE);
    CHECK_EQ(parse("-debug 1 c.txt", &o, &err), 0);
    CHECK_EQ(o.verbosity, LOG_NORMAL);
    CHECK_EQ(parse("-v -debug 0 c.txt", &o, &err), 0);
    CHECK_EQ(o.verbosity, LOG_QUIET);
    /* -cbow 1 written apart still joins before another program's name */
    CHECK_EQ(parse("-cbow 1 -lr 0.2 c.txt", &o, &err), 0);
    CHECK_EQ(o.cfg.kind, MODEL_CBOW);
    CHECK_NEAR(o.cfg.alpha, 0.2, 0);
}

static void test_refused_spellings(void)
{
    expect_error("-lr 0 c.txt", "-lr: must be greater than 0");
    expect_error("-dim abc c.txt", "-dim: expected a whole number, got 'abc'");
    expect_error("c.txt -ws", "-ws: missing value");
    expect_error("-debug 3 c.txt", "-debug: expected 0, 1 or 2, got '3'");
    expect_error("-loss x c.txt", "-loss: expected ns or hs, got 'x'");
    expect_error("-loss softmax c.txt", "-loss softmax: a softmax over the whole vocabulary");
    expect_error("-wordNgrams 2 c.txt", "-wordNgrams: word n-grams are for fastText's");
    expect_error("-wordNgrams=2 c.txt", "-wordNgrams: word n-grams are for fastText's");
    expect_error("c.txt -saveOutput", "-saveOutput: -save-context FILE");
    expect_error("-pretrainedVectors v.vec c.txt", "-pretrainedVectors: use -init FILE");
    expect_error("-init m.bin -minCount 3 c.txt", "with -init the vocabulary is FILE's");
    expect_error("-resume m.bin -thread 2 c.txt", "-resume: the model file decides");
    expect_error("-loss hs -negative 0 -hs 0 c.txt", "no training objective");
}

static void test_errors(void)
{
    expect_error("-size abc c.txt", "-size: expected a whole number, got 'abc'");
    expect_error("-size 12x c.txt", "-size: expected a whole number, got '12x'");
    expect_error("-size 0 c.txt", "-size: '0' is out of range");
    expect_error("-size 99999999999999999999 c.txt", "-size: '99999999999999999999' is out");
    expect_error("-window -1 c.txt", "-window: '-1' is out of range");
    expect_error("-sample 2 c.txt", "-sample: '2' is out of range");
    expect_error("-sample nan c.txt", "-sample: 'nan' is out of range");
    expect_error("-alpha 0 c.txt", "-alpha: must be greater than 0");
    expect_error("-cbow 2 c.txt", "-cbow: expected 0 or 1, got '2'");
    expect_error("-hs 2 c.txt", "-hs: expected 0 or 1, got '2'");
    /* a value of several characters is refused whole (it was cut to its first one) */
    expect_error("-hs 10 c.txt", "-hs: expected 0 or 1, got '10'");
    /* a boolean word after a flag is its value, refused, not a corpus */
    expect_error("-hs yes c.txt", "-hs: expected 0 or 1, got 'yes'");
    expect_error("-cbow Off c.txt", "-cbow: expected 0 or 1, got 'Off'");
    expect_error("-cbow TRUE c.txt", "-cbow: expected 0 or 1, got 'TRUE'");
    expect_error("-max-vocab 1 c.txt", "-max-vocab: must be 0 (no limit) or at least 2");
    expect_error("-treads 4 c.txt", "-treads: unknown or ambiguous option");
    expect_error("-s 4 c.txt", "-s: unknown or ambiguous option");
    expect_error("c.txt -size", "-size: missing value");
    expect_error("-negative 0 c.txt", "no training objective");
    expect_error("", "missing corpus");
    expect_error("- a.txt -", "standard input (-) can be read only once");
    expect_error("-sync-interval 0 c.txt", "-sync-interval: must be greater than 0");
    expect_error("-sync-interval 10x c.txt", "-sync-interval: ");
    expect_error("-sync-rare 0 c.txt", "-sync-rare: '0' is out of range");
    expect_error("-memory 12Q c.txt", "-memory: expected a size");
    expect_error("-memory 1M c.txt", "-memory: must be at least 4M");
    expect_error("-o c.txt", "missing corpus");
    expect_error("-binary 2 c.txt", "-binary: '2' is out of range");
    expect_error("-threads 100000 c.txt", "-threads: '100000' is out of range");
}

/* Output names decide the format without regard to case: .TXT is text, .GZ compressed. */
static void test_output_names(void)
{
    struct train_opts o;
    struct w2v_err err;
    CHECK_EQ(parse("-o V.TXT c.txt", &o, &err), 0);
    CHECK(!training_binary_output(&o));
    CHECK_EQ(parse("-o v.Vec.GZ c.txt", &o, &err), 0);
    CHECK(!training_binary_output(&o));
    CHECK_EQ(parse("-o v.BIN c.txt", &o, &err), 0);
    CHECK(training_binary_output(&o));
    CHECK(ends_with("V.TXT.GZ", ".gz"));
    CHECK(!ends_with("gz", ".gz"));
}

static void test_inputs_and_memory(void)
{
    struct train_opts o;
    struct w2v_err err;
    CHECK_EQ(parse("a.txt b.gz - -memory 512M -tmpdir /var/tmp", &o, &err), 0);
    CHECK_EQ(o.ncorpora, 3);
    CHECK(strcmp(o.corpora[0], "a.txt") == 0);
    CHECK(strcmp(o.corpora[1], "b.gz") == 0);
    CHECK(strcmp(o.corpora[2], "-") == 0);
    CHECK_EQ(o.memory, (size_t)512 << 20);
    CHECK(o.memory_set);
    CHECK(strcmp(o.tmpdir, "/var/tmp") == 0);
    size_t n = 0;
    CHECK_EQ(parse_size("4G", &n, &err), 0);
    CHECK_EQ(n, (size_t)4 << 30);
    CHECK_EQ(parse_size("1.5k", &n, &err), 0);
    CHECK_EQ(n, 1536);
    CHECK_EQ(parse_size("100", &n, &err), 0);
    CHECK_EQ(n, (size_t)100 << 20);
    CHECK_EQ(parse_size("G", &n, &err), -1);
    CHECK_EQ(parse_size("-1M", &n, &err), -1);
    CHECK_EQ(parse_size("12 ", &n, &err), -1);
}

static void test_number_parsers(void)
{
    int64_t i = 0;
    double x = 0.0;
    struct w2v_err err;
    CHECK_EQ(parse_i64("42", 0, 100, &i, &err), 0);
    CHECK_EQ(i, 42);
    CHECK_EQ(parse_i64("", 0, 100, &i, &err), -1);
    CHECK_EQ(parse_i64(" 4", 0, 100, &i, &err), 0); /* strtoll skips leading blanks */
    CHECK_EQ(parse_i64("4 ", 0, 100, &i, &err), -1);
    CHECK_EQ(parse_i64("9223372036854775808", INT64_MIN, INT64_MAX, &i, &err), -1);
    CHECK_EQ(parse_f64("1e-3", 0, 1, &x, &err), 0);
    CHECK_NEAR(x, 1e-3, 0);
    CHECK_EQ(parse_f64("inf", 0, 1e308, &x, &err), -1);
    CHECK_EQ(parse_f64("1e999", 0, 1e308, &x, &err), -1);
    CHECK_EQ(parse_f64("0x", 0, 1, &x, &err), -1);
}

int main(void)
{
    RUN(test_defaults);
    RUN(test_word2vec_spellings);
    RUN(test_errors);
    RUN(test_other_spellings);
    RUN(test_refused_spellings);
    RUN(test_output_names);
    RUN(test_inputs_and_memory);
    RUN(test_number_parsers);
    TEST_MAIN("opts");
}
