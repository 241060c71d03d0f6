/* opts: option table, parsing and help for 'w2v train'. */
#include "cli/opts.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "cli/spellings.h"
#include "io/vecfile.h"

#define OPT_MAX_SYNC_RARE 1000
#define OPT_MAX_SYNC_SECONDS 3600.0
/* Smallest -memory accepted: below this not even the reading buffers fit. */
#define OPT_MIN_MEMORY (4u << 20)

/* Longest interval between checkpoints, in minutes (a year). */
#define OPT_MAX_CHECKPOINT_MIN 525600.0
/* Upper bounds that keep sizes and loops sane; each is far above any useful setting. */
#define OPT_MAX_DIM 100000
#define OPT_MAX_WINDOW 1000
#define OPT_MAX_NEGATIVE 1000
#define OPT_MAX_ITER 1000000
#define OPT_MAX_ALPHA 10.0
#define OPT_MAX_EXPONENT 10.0
/* Longest character n-gram (a word has at most W2V_MAX_WORD bytes, and '<' and '>'), and
 * the most n-gram rows (the input matrix's rows are int32, and the vocabulary's share it). */
#define OPT_MAX_NGRAM 257
#define OPT_MAX_BUCKET (INT32_MAX / 2)

/* What parsing learns beyond the settings themselves. */
struct seen {
    bool alpha;     /* -alpha was given */
    bool help;      /* -h was given */
    bool subwords;  /* -minn or -bucket was given */
};

enum opt_id {
    O_CBOW = 256, O_DIM, O_WINDOW, O_NEGATIVE, O_HS, O_SAMPLE, O_MIN_COUNT, O_MAX_VOCAB,
    O_ITER, O_ALPHA, O_THREADS, O_SEED, O_NS_EXPONENT, O_FIXED_WINDOW, O_SAVE_VOCAB,
    O_READ_VOCAB, O_OUTPUT, O_BINARY, O_CLASSES, O_TRAIN, O_QUIET, O_VERBOSE, O_HELP,
    O_SYNC_INTERVAL, O_SYNC_RARE, O_MEMORY, O_TMPDIR, O_BATCH, O_SHUFFLE, O_SAVE_MODEL,
    O_CHECKPOINT, O_RESUME, O_INIT, O_MINN, O_MAXN, O_BUCKET, O_SAVE_FASTTEXT, O_GROW_VOCAB,
    O_SAVE_CONTEXT,
    O_SPELLING /* every other name (cli/spellings.h) */
};

/* w2v's own names, one per option; opts_parse adds the other names after them. */
static const struct option long_opts[] = {
    {"cbow", optional_argument, NULL, O_CBOW},
    {"size", required_argument, NULL, O_DIM},
    {"window", required_argument, NULL, O_WINDOW},
    {"negative", required_argument, NULL, O_NEGATIVE},
    {"hs", optional_argument, NULL, O_HS},
    {"sample", required_argument, NULL, O_SAMPLE},
    {"min-count", required_argument, NULL, O_MIN_COUNT},
    {"max-vocab", required_argument, NULL, O_MAX_VOCAB},
    {"iter", required_argument, NULL, O_ITER},
    {"alpha", required_argument, NULL, O_ALPHA},
    {"threads", required_argument, NULL, O_THREADS},
    {"seed", required_argument, NULL, O_SEED},
    {"ns-exponent", required_argument, NULL, O_NS_EXPONENT},
    {"fixed-window", no_argument, NULL, O_FIXED_WINDOW},
    {"batch", required_argument, NULL, O_BATCH},
    {"shuffle", required_argument, NULL, O_SHUFFLE},
    {"save-vocab", required_argument, NULL, O_SAVE_VOCAB},
    {"read-vocab", required_argument, NULL, O_READ_VOCAB},
    {"o", required_argument, NULL, O_OUTPUT},
    {"binary", required_argument, NULL, O_BINARY},
    {"classes", required_argument, NULL, O_CLASSES},
    {"train", required_argument, NULL, O_TRAIN},
    {"memory", required_argument, NULL, O_MEMORY},
    {"tmpdir", required_argument, NULL, O_TMPDIR},
    {"save-model", required_argument, NULL, O_SAVE_MODEL},
    {"checkpoint", required_argument, NULL, O_CHECKPOINT},
    {"resume", required_argument, NULL, O_RESUME},
    {"init", required_argument, NULL, O_INIT},
    {"minn", required_argument, NULL, O_MINN},
    {"maxn", required_argument, NULL, O_MAXN},
    {"bucket", required_argument, NULL, O_BUCKET},
    {"save-fasttext", required_argument, NULL, O_SAVE_FASTTEXT},
    {"grow-vocab", no_argument, NULL, O_GROW_VOCAB},
    {"save-context", required_argument, NULL, O_SAVE_CONTEXT},
    {"q", no_argument, NULL, O_QUIET},
    {"v", no_argument, NULL, O_VERBOSE},
    {"sync-interval", required_argument, NULL, O_SYNC_INTERVAL},
    {"sync-rare", required_argument, NULL, O_SYNC_RARE},
    {"h", no_argument, NULL, O_HELP},
    {"help", no_argument, NULL, O_HELP},
    {NULL, 0, NULL, 0},
};

void opts_free(struct train_opts *o)
{
    free(o->corpora);
    o->corpora = NULL;
    o->ncorpora = 0;
}

void opts_usage(FILE *out)
{
    char mem[32];
    const char *which = NULL;
    fmt_bytes(mem, sizeof mem, (double)training_default_memory(&which));
    fprintf(out,
"usage: w2v train [options] CORPUS...\n"
"\n"
"Trains word vectors on CORPUS: text files, gzip files, or - for standard input (once),\n"
"read in the order given as one corpus. Words are separated by whitespace; each line\n"
"end and the end of each file is a sentence end. A number or yes/no/true/false/on/off\n"
"right after -cbow or -hs is their value (only 0 and 1 are accepted), never a corpus:\n"
"a corpus named so is given as ./NAME.\n"
"\n"
"A second name of an option below is word2vec's, fastText's or gensim's: it takes the\n"
"same values, but the defaults stay w2v's (fastText's -t is 1e-4, -lr 0.05 and -maxn 6,\n"
"w2v's 1e-3, 0.025 and 0: no subwords). A fastText option w2v has no counterpart for is\n"
"refused with the w2v way to the same end, if there is one.\n"
"\n"
"model:\n"
"  -cbow              continuous bag of words instead of skip-gram (also -cbow 1/0)\n"
"  -size N, -dim N    vector dimensions [%d]\n"
"  -window N, -ws N   maximum context distance [%d]\n"
"  -fixed-window      always use the whole window (default: random 1..N per word)\n"
"  -negative N, -neg N  negative samples per prediction, 0 for none [%d]\n"
"  -ns-exponent X     power of the counts for drawing negatives [%.2f]\n"
"  -batch N           with -negative, not -hs: N >= 1 scores a prediction's output\n"
"                     rows from the weights as they were, then updates them together,\n"
"                     skip-gram draws the negatives once per centre word for all its\n"
"                     context words, and one draw serves N centre words in a row (with\n"
"                     -maxn, skip-gram: N context words), up to %d (faster); 0 updates\n"
"                     one row at a time and draws them for every context word, as\n"
"                     word2vec [%d]\n"
"  -hs                hierarchical softmax (also -hs 1/0); may be combined with -negative\n"
"  -loss ns|hs        fastText's objectives: ns is negative sampling alone (-hs 0), hs is\n"
"                     hierarchical softmax alone (-hs 1 -negative 0)\n"
"  -sample T, -t T    subsampling threshold for frequent words, 0 for none [%g]\n"
"  -iter N, -epochs N, -epoch N  passes over the corpus [%d]\n"
"  -shuffle 0|1       1 takes each epoch's pieces of 10,000 words in a random order\n"
"                     (drawn from -seed, new each epoch), 0 in the text's order [1]\n"
"  -alpha X, -lr X    starting learning rate [%g for skip-gram, %g for CBOW]\n"
"subwords (fastText's model: a word's vector is the mean of its own row and of the\n"
"rows of its character n-grams, so that unseen words get vectors too):\n"
"  -maxn N            longest character n-gram; 0 for no subwords [0]\n"
"  -minn N            shortest character n-gram, with -maxn [%d]\n"
"  -bucket N          rows the n-grams are hashed into, with -maxn [%d]\n"
"vocabulary:\n"
"  -min-count N, -minCount N  drop words seen fewer than N times [%d]\n"
"  -max-vocab N       keep only the N most frequent rows (</s> included), 0 for no\n"
"                     limit, else at least 2 [0]\n"
"  -save-vocab FILE   write the vocabulary as 'word count' lines (- for stdout)\n"
"  -read-vocab FILE   take the vocabulary and counts from FILE instead of the corpus\n"
"                     (- for stdin)\n",
            TRAINING_DIM, TRAINING_WINDOW, TRAINING_NEGATIVE, TRAINING_NS_EXPONENT,
            MODEL_MAX_BATCH, TRAINING_BATCH, TRAINING_SAMPLE, TRAINING_ITER,
            TRAINING_ALPHA_SG, TRAINING_ALPHA_CBOW, TRAINING_MINN, TRAINING_BUCKET,
            TRAINING_MIN_COUNT);
    /* In two parts: C11 compilers need only take string literals up to 4095 bytes. */
    fprintf(out,
"run:\n"
"  -threads N, -thread N  training threads, lock-free, each taking the next piece of the\n"
"                     text when free, so that they end together; each also keeps\n"
"                     its own copy of the most frequent words' rows (and with -hs\n"
"                     of the tree nodes nearest the root); as many (up to 8) set up\n"
"                     the weights and renumber the corpus's ids after reading\n"
"                     [online CPUs, here %d]\n"
"  -seed N            random seed; with -threads 1 the output is reproducible [%d]\n"
"  -train FILE, -input FILE  a corpus file, as an option (word2vec's, fastText's names)\n"
"  -memory SIZE       bound on the run's memory: model, tables, vocabulary, the\n"
"                     corpus's id stream and the threads; MiB, or with K, M, G, T\n"
"                     [3/4 of the least of RAM, ulimit -v and the cgroup's limit:\n"
"                     here %s, from %s]; beyond it the id stream goes to a temporary\n"
"                     file and the threads copy fewer frequent rows, and rare words are\n"
"                     dropped while counting when the vocabulary outgrows half\n"
"  -tmpdir DIR        where the id stream goes beyond -memory [$TMPDIR, else /tmp]\n"
"distributed (mpirun -np N w2v train ..., with a build made by 'make MPI=1'):\n"
"  -sync-interval T   average the processes' models every T seconds, or every N words\n"
"                     over the job written Nw (e.g. 2000000w) [%gs]\n"
"  -sync-rare K       average the rare words only every K-th time [%d]\n"
"model files:\n"
"  -save-fasttext FILE  also write the model as a fastText .bin (fastText 0.9's format:\n"
"                     'fasttext print-word-vectors', 'nn' and gensim load it)\n"
"  -save-context FILE also write the context (output) vectors of negative sampling, in\n"
"                     the format -o's name and -binary choose\n"
"  -save-model FILE   also write the whole model (settings, vocabulary, both weight\n"
"                     matrices, position) to FILE when training ends\n"
"  -checkpoint MIN    rewrite the -save-model FILE every MIN minutes while training, and\n"
"                     when SIGINT or SIGTERM stops the run\n"
"  -resume FILE       go on with the run FILE was saved from, on the same corpus, with its\n"
"                     settings; with -threads 1 the result equals an uninterrupted run\n"
"  -init FILE         train the vectors of FILE further on CORPUS: a -save-model file, a\n"
"                     fastText .bin trained with negative sampling, or any vectors\n"
"                     file (text, binary, GloVe; its output side starts at zero);\n"
"                     its words keep their rows, other words are dropped; -iter,\n"
"                     -alpha, -threads, -seed, -shuffle and -batch apply, and with a\n"
"                     vectors file the model's settings too\n"
"  -grow-vocab        with -init: the corpus's words that reach -min-count and are not\n"
"                     in FILE get rows too, started as a fresh run's\n"
"output:\n"
"  -o FILE, -output FILE  vectors file, - for standard output (text); the file's name,\n"
"                     not a prefix as fastText's -output [%s]\n"
"  -binary 0|1        1 for binary, 0 for text [binary, text if FILE ends in .txt or .vec]\n"
"                     a name ending in .gz is gzip-compressed (suffixes in any case)\n"
"                     an output may not be an input or another output (but\n"
"                     -save-model may rewrite the -resume FILE)\n"
"  -classes K         write 'word class' lines (k-means, as 'w2v classes') instead of\n"
"                     vectors, 0 for vectors [0]\n"
"  -q                 quiet: errors only\n"
"  -v                 verbose: also settings and vocabulary details\n"
"  -debug 0|1|2, -verbose 0|1|2  word2vec's and fastText's levels: 0 is -q, 2 is -v,\n"
"                     and 1 changes nothing (w2v's default output)\n"
"  -h                 this help\n"
"\n"
"example: w2v train -cbow -size 200 -window 8 -o vectors.bin corpus.txt.gz\n",
            online_cpus(), TRAINING_SEED, mem, which, TRAINING_SYNC_SECONDS, TRAINING_SYNC_RARE,
            TRAINING_OUTPUT);
}

/* Parses the optional 0/1 of a flag such as -cbow; NULL means 1. */
static int flag_value(const char *name, const char *arg, bool *out, struct w2v_err *err)
{
    if (arg == NULL || strcmp(arg, "1") == 0) {
        *out = true;
    } else if (strcmp(arg, "0") == 0) {
        *out = false;
    } else {
        err_set(err, "-%s: expected 0 or 1, got '%s'", name, arg);
        return -1;
    }
    return 0;
}

static int int_arg(const char *name, const char *arg, int64_t lo, int64_t hi, int64_t *out,
                   struct w2v_err *err)
{
    struct w2v_err why;
    if (parse_i64(arg, lo, hi, out, &why) != 0) {
        err_set(err, "-%s: %s", name, why.msg);
        return -1;
    }
    return 0;
}

static int num_arg(const char *name, const char *arg, double lo, double hi, double *out,
                   struct w2v_err *err)
{
    struct w2v_err why;
    if (parse_f64(arg, lo, hi, out, &why) != 0) {
        err_set(err, "-%s: %s", name, why.msg);
        return -1;
    }
    return 0;
}

/* A size (parse_size) of at least 'min' bytes. */
static int size_arg(const char *name, const char *arg, size_t min, size_t *out,
                    struct w2v_err *err)
{
    struct w2v_err why;
    if (parse_size(arg, out, &why) != 0) {
        err_set(err, "-%s: %s", name, why.msg);
        return -1;
    }
    if (*out < min) {
        err_set(err, "-%s: must be at least %zuM", name, min >> 20);
        return -1;
    }
    return 0;
}

/* -sync-interval: seconds ("0.5", "0.5s") or words over the job ("2000000w"). */
static int sync_arg(struct train_opts *o, const char *name, const char *arg,
                    struct w2v_err *err)
{
    size_t len = strlen(arg);
    char num[64];
    if (len == 0 || len >= sizeof num) {
        err_set(err, "-%s: expected seconds (0.5) or words (2000000w), got '%s'", name, arg);
        return -1;
    }
    memcpy(num, arg, len + 1);
    char unit = num[len - 1];
    if (unit == 'w' || unit == 's') {
        num[len - 1] = '\0';
    }
    if (unit == 'w') {
        o->sync_seconds = 0.0;
        return int_arg(name, num, 1, INT64_MAX, &o->sync_words, err);
    }
    o->sync_words = 0;
    if (num_arg(name, num, 0.0, OPT_MAX_SYNC_SECONDS, &o->sync_seconds, err) != 0) {
        return -1;
    }
    if (!(o->sync_seconds > 0.0)) {
        err_set(err, "-%s: must be greater than 0", name);
        return -1;
    }
    return 0;
}

/* The options of model files: -save-model, -checkpoint, -resume, -init. */
static int apply_model_file(struct train_opts *o, int id, const char *name, const char *arg,
                            struct w2v_err *err)
{
    double minutes = 0.0;
    switch (id) {
    case O_SAVE_MODEL:
        o->save_model = arg;
        break;
    case O_SAVE_FASTTEXT:
        o->save_fasttext = arg;
        break;
    case O_CHECKPOINT:
        if (num_arg(name, arg, 0.0, OPT_MAX_CHECKPOINT_MIN, &minutes, err) != 0) {
            return -1;
        }
        if (!(minutes > 0.0)) {
            err_set(err, "-%s: must be greater than 0 (minutes)", name);
            return -1;
        }
        o->checkpoint_sec = minutes * 60.0;
        break;
    case O_RESUME:
        o->resume = arg;
        break;
    case O_INIT:
        o->init = arg;
        break;
    case O_GROW_VOCAB:
        o->grow_vocab = true;
        break;
    case O_SAVE_CONTEXT:
        o->save_context = arg;
        break;
    default:
        err_set(err, "internal error: option %d", id);
        return -1;
    }
    if (arg != NULL && *arg == '\0' && id != O_CHECKPOINT) {
        err_set(err, "-%s: expected a file name, got an empty string", name);
        return -1;
    }
    return 0;
}

/* The group of option 'id' for opts.given (0: none). */
static unsigned group_of(int id)
{
    switch (id) {
    case O_DIM:
        return TRAINING_GIVEN_MODEL | TRAINING_GIVEN_DIM;
    case O_CBOW: case O_WINDOW: case O_FIXED_WINDOW: case O_NEGATIVE: case O_HS:
    case O_SAMPLE: case O_NS_EXPONENT: case O_MINN: case O_MAXN: case O_BUCKET:
        return TRAINING_GIVEN_MODEL;
    case O_MIN_COUNT:
        return TRAINING_GIVEN_MIN_COUNT;
    case O_MAX_VOCAB: case O_READ_VOCAB:
        return TRAINING_GIVEN_VOCAB;
    case O_ITER: case O_ALPHA: case O_THREADS: case O_SEED: case O_SHUFFLE: case O_BATCH:
        return TRAINING_GIVEN_RUN;
    default:
        return 0;
    }
}

/* The options of the model and of its training schedule. */
static int apply_model(struct train_opts *o, int id, const char *name, const char *arg,
                       struct seen *seen, struct w2v_err *err)
{
    int64_t i = 0;
    double x = 0.0;
    bool flag = false;
    int rc = 0;
    switch (id) {
    case O_CBOW:
        rc = flag_value(name, arg, &flag, err);
        o->cfg.kind = flag ? MODEL_CBOW : MODEL_SKIPGRAM;
        break;
    case O_HS:
        rc = flag_value(name, arg, &o->cfg.hs, err);
        break;
    case O_FIXED_WINDOW:
        o->cfg.fixed_window = true;
        break;
    case O_BATCH:
        rc = int_arg(name, arg, 0, MODEL_MAX_BATCH, &i, err);
        o->cfg.batch = (int)i;
        break;
    case O_SHUFFLE: {
        bool shuffle = true;
        rc = flag_value(name, arg, &shuffle, err);
        o->cfg.ordered = !shuffle;
        break;
    }
    case O_DIM:
        rc = int_arg(name, arg, 1, OPT_MAX_DIM, &i, err);
        o->cfg.dim = (int)i;
        break;
    case O_WINDOW:
        rc = int_arg(name, arg, 1, OPT_MAX_WINDOW, &i, err);
        o->cfg.window = (int)i;
        break;
    case O_NEGATIVE:
        rc = int_arg(name, arg, 0, OPT_MAX_NEGATIVE, &i, err);
        o->cfg.negative = (int)i;
        break;
    case O_SAMPLE:
        rc = num_arg(name, arg, 0.0, 1.0, &o->cfg.sample, err);
        break;
    case O_MIN_COUNT:
        rc = int_arg(name, arg, 0, INT64_MAX, &o->min_count, err);
        break;
    case O_MAX_VOCAB:
        rc = int_arg(name, arg, 0, INT32_MAX, &o->max_vocab, err);
        if (rc == 0 && o->max_vocab == 1) {
            /* The rows include "</s>", so a limit of 1 would leave no word. */
            err_set(err, "-%s: must be 0 (no limit) or at least 2 (\"</s>\" and a word)", name);
            rc = -1;
        }
        break;
    case O_ITER:
        rc = int_arg(name, arg, 1, OPT_MAX_ITER, &i, err);
        o->cfg.iter = (int)i;
        break;
    case O_ALPHA:
        rc = num_arg(name, arg, 0.0, OPT_MAX_ALPHA, &x, err);
        if (rc == 0 && !(x > 0.0)) {
            err_set(err, "-%s: must be greater than 0", name);
            rc = -1;
        }
        o->cfg.alpha = x;
        seen->alpha = true;
        break;
    case O_THREADS:
        rc = int_arg(name, arg, 1, UTIL_MAX_THREADS, &i, err);
        o->cfg.threads = (int)i;
        break;
    case O_SEED:
        rc = int_arg(name, arg, 0, INT64_MAX, &i, err);
        o->cfg.seed = (uint64_t)i;
        break;
    case O_NS_EXPONENT:
        rc = num_arg(name, arg, -OPT_MAX_EXPONENT, OPT_MAX_EXPONENT, &o->cfg.ns_exponent, err);
        break;
    case O_MINN:
        rc = int_arg(name, arg, 1, OPT_MAX_NGRAM, &i, err);
        o->cfg.minn = (int)i;
        seen->subwords = true;
        break;
    case O_MAXN:
        rc = int_arg(name, arg, 0, OPT_MAX_NGRAM, &i, err);
        o->cfg.maxn = (int)i;
        break;
    case O_BUCKET:
        rc = int_arg(name, arg, 1, OPT_MAX_BUCKET, &o->cfg.bucket, err);
        seen->subwords = true;
        break;
    default:
        rc = apply_model_file(o, id, name, arg, err);
    }
    return rc;
}

static int apply(struct train_opts *o, int id, const char *name, const char *arg,
                 struct seen *seen, struct w2v_err *err)
{
    int64_t i = 0;
    int rc = 0;
    switch (id) {
    case O_SAVE_VOCAB:
        o->save_vocab = arg;
        break;
    case O_READ_VOCAB:
        o->read_vocab = arg;
        break;
    case O_OUTPUT:
        o->output = arg;
        break;
    case O_BINARY:
        rc = int_arg(name, arg, 0, 1, &i, err);
        o->binary = (int)i;
        break;
    case O_CLASSES:
        rc = int_arg(name, arg, 0, INT32_MAX, &o->classes, err);
        break;
    case O_TRAIN:
        o->corpora[o->ncorpora++] = arg;
        break;
    case O_MEMORY:
        rc = size_arg(name, arg, OPT_MIN_MEMORY, &o->memory, err);
        o->memory_set = true;
        break;
    case O_TMPDIR:
        o->tmpdir = arg;
        break;
    case O_QUIET:
        o->verbosity = LOG_QUIET;
        break;
    case O_VERBOSE:
        o->verbosity = LOG_VERBOSE;
        break;
    case O_HELP:
        seen->help = true;
        break;
    case O_SYNC_INTERVAL:
        rc = sync_arg(o, name, arg, err);
        break;
    case O_SYNC_RARE:
        rc = int_arg(name, arg, 1, OPT_MAX_SYNC_RARE, &i, err);
        o->sync_rare = (int)i;
        break;
    default:
        rc = apply_model(o, id, name, arg, seen, err);
    }
    if (rc == 0 && arg != NULL && *arg == '\0' &&
        (id == O_SAVE_VOCAB || id == O_READ_VOCAB || id == O_OUTPUT || id == O_TRAIN ||
         id == O_TMPDIR)) {
        err_set(err, "-%s: expected a file name, got an empty string", name);
        rc = -1;
    }
    return rc;
}

/* The combinations of -save-model, -checkpoint, -resume and -init that make sense. */
static int check_model_file_opts(const struct train_opts *o, struct w2v_err *err)
{
    if (o->checkpoint_sec > 0.0 && o->save_model == NULL) {
        err_set(err, "-checkpoint: needs -save-model FILE, the file it rewrites");
        return -1;
    }
    if (o->resume != NULL && o->init != NULL) {
        err_set(err, "-resume and -init: give one model file to start from");
        return -1;
    }
    if (o->grow_vocab && o->init == NULL) {
        err_set(err, "-grow-vocab: adds words to the vectors of -init FILE; give -init");
        return -1;
    }
    if (o->resume != NULL && (o->given & (TRAINING_GIVEN_MODEL | TRAINING_GIVEN_VOCAB |
                                          TRAINING_GIVEN_MIN_COUNT | TRAINING_GIVEN_RUN)) != 0) {
        err_set(err, "-resume: the model file decides the model, vocabulary and run "
                "settings; leave out -size, -iter, -threads and the like");
        return -1;
    }
    /* -init: the file's kind decides whether the model's settings may be given (a vectors
     * file records none); training_open_start checks them */
    if (o->init != NULL && (o->given & TRAINING_GIVEN_VOCAB) != 0) {
        err_set(err, "-init: the vocabulary is FILE's (and with -grow-vocab the corpus's); "
                "leave out -max-vocab and -read-vocab");
        return -1;
    }
    if (o->init != NULL && !o->grow_vocab && (o->given & TRAINING_GIVEN_MIN_COUNT) != 0) {
        err_set(err, "-min-count: with -init the vocabulary is FILE's; it applies to the "
                "words -grow-vocab adds");
        return -1;
    }
    if (o->save_context != NULL && o->init == NULL && o->resume == NULL &&
        o->cfg.negative == 0) {
        err_set(err, "-save-context: hierarchical softmax alone has no context vector a word "
                "(its rows are the tree's nodes); use -negative N");
        return -1;
    }
    return 0;
}

/* -minn, -maxn and -bucket: subwords need -maxn, and -minn at most -maxn. */
static int check_subwords(const struct train_opts *o, const struct seen *seen,
                          struct w2v_err *err)
{
    if (o->cfg.maxn == 0 && seen->subwords) {
        err_set(err, "-minn, -bucket: subwords are off (-maxn 0); give -maxn N, the longest "
                "character n-gram, to train them");
        return -1;
    }
    if (o->cfg.maxn > 0 && o->cfg.minn > o->cfg.maxn) {
        err_set(err, "-minn %d is above -maxn %d: the shortest n-gram must not be longer than "
                "the longest", o->cfg.minn, o->cfg.maxn);
        return -1;
    }
    return 0;
}

/* Applies the option 'id' written as -'name' (the name errors give) with the value 'arg'. */
static int apply_given(struct train_opts *o, int id, const char *name, const char *arg,
                       struct seen *seen, struct w2v_err *err)
{
    o->given |= group_of(id);
    return apply(o, id, name, arg, seen, err);
}

/* Applies another program's spelling -'name' 'arg' as the w2v options it stands for. */
static int apply_spelling(struct train_opts *o, const char *name, const char *arg,
                          struct seen *seen, struct w2v_err *err)
{
    struct spelling_step steps[SPELLINGS_MAX_STEPS];
    int n = spellings_expand(name, arg, steps, err);
    for (int i = 0; i < n; i++) {
        const struct option *own = long_opts;
        while (own->name != NULL && strcmp(own->name, steps[i].option) != 0) {
            own++;
        }
        if (own->name == NULL) {
            err_set(err, "internal error: -%s stands for no option -%s", name, steps[i].option);
            return -1;
        }
        if (apply_given(o, own->val, name, steps[i].value, seen, err) != 0) {
            return -1;
        }
    }
    return n < 0 ? -1 : 0;
}

static int parse_loop(struct train_opts *o, int argc, char **argv, const struct option *table,
                      struct seen *seen, struct w2v_err *err)
{
    opt_begin();
    for (;;) {
        int index;
        int id = opt_next(argc, argv, table, &index, err);
        if (id == -1) {
            break;
        }
        if (id == '?') {
            return -1;
        }
        const char *name = table[index].name;
        if ((id == O_SPELLING ? apply_spelling(o, name, optarg, seen, err)
                              : apply_given(o, id, name, optarg, seen, err)) != 0) {
            return -1;
        }
    }
    if (seen->help) {
        return 0;
    }
    for (int i = optind; i < argc; i++) {
        o->corpora[o->ncorpora++] = argv[i];
    }
    if (o->ncorpora == 0) {
        err_set(err, "missing corpus (a file name, or - for standard input)");
        return -1;
    }
    int stdin_seen = 0;
    for (int i = 0; i < o->ncorpora; i++) {
        if (*o->corpora[i] == '\0') {
            err_set(err, "expected a corpus file name, got an empty string");
            return -1;
        }
        if (strcmp(o->corpora[i], "-") == 0 && stdin_seen++ > 0) {
            err_set(err, "standard input (-) can be read only once");
            return -1;
        }
    }
    if (o->cfg.negative == 0 && !o->cfg.hs) {
        err_set(err, "-negative 0 without -hs: no training objective; use -negative N or -hs");
        return -1;
    }
    if (check_model_file_opts(o, err) != 0 || check_subwords(o, seen, err) != 0) {
        return -1;
    }
    o->alpha_given = seen->alpha;
    training_kind_defaults(o, &o->cfg);
    return 0;
}

int opts_parse(struct train_opts *o, int argc, char **argv, bool *help, struct w2v_err *err)
{
    /* getopt takes one table: w2v's own names, then the other spellings. */
    size_t own = sizeof long_opts / sizeof long_opts[0] - 1;
    struct option *table = xcalloc(own + (size_t)spellings_count() + 1, sizeof *table);
    memcpy(table, long_opts, own * sizeof *table);
    spellings_rows(table + own, O_SPELLING);
    int n = 0;
    char **owned = NULL;
    char **v = spellings_join_values(argc, argv, &n, &owned);
    free(o->corpora);
    o->corpora = xcalloc((size_t)argc + 1, sizeof *o->corpora);
    o->ncorpora = 0;
    struct seen seen = {0};
    int rc = parse_loop(o, n, v, table, &seen, err);
    *help = seen.help;
    /* Strings kept in 'o' must point into the caller's argv, not into joined copies;
     * joined tokens are only flags, whose values were consumed above. */
    for (char **p = owned; *p != NULL; p++) {
        free(*p);
    }
    free(owned);
    free(v);
    free(table);
    return rc;
}
