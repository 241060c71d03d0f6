/* spellings: the table of the other names of w2v train's options. A name's rows may be
 * for given values (-loss ns, -loss hs) or for any value (the value then goes to the one
 * w2v option the row stands for); a refused row says why and what to use instead. */
#include "cli/spellings.h"

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/util.h"

struct spelling {
    const char *name;    /* as typed, without its dash */
    const char *value;   /* the value the row is for; NULL: any, given to to[0] */
    struct spelling_step to[SPELLINGS_MAX_STEPS]; /* w2v's options, in order; unused: NULL */
    const char *refusal; /* not NULL: the spelling is refused, and this says why */
};

/* A name for w2v's option 'opt', with the value typed. */
#define SP_SAME(name, opt) {name, NULL, {{opt, NULL}, {NULL, NULL}}, NULL}
/* A name with the value 'value', standing for w2v's option 'opt' with no value. */
#define SP_FLAG(name, value, opt) {name, value, {{opt, NULL}, {NULL, NULL}}, NULL}
/* A name refused with the reason 'why', for the value 'value' or for any (NULL). */
#define SP_REFUSED(name, value, why) {name, value, {{NULL, NULL}, {NULL, NULL}}, why}

/* Reasons that several of fastText's options share. */
#define SP_LABELS "labels are for fastText's supervised classifiers; w2v trains word vectors"
#define SP_QUANTIZE "quantization (fastText's quantize, which compresses supervised " \
    "classifiers) is not supported"
#define SP_AUTOTUNE "autotuning is for fastText's supervised classifiers; to compare " \
    "settings, score each run's vectors with w2v eval"

/* Every other name, and what it stands for. The values are read as w2v reads its own
 * options; only the defaults differ (fastText's -t is 1e-4 and -lr 0.05, w2v's 1e-3 and
 * 0.025), and w2v's apply when a name is not given. */
static const struct spelling spellings[] = {
    /* gensim's and fastText's */
    SP_SAME("epochs", "iter"),
    SP_SAME("epoch", "iter"),
    SP_SAME("dim", "size"),
    /* word2vec's and fastText's */
    SP_SAME("output", "o"),
    /* fastText's; -minn, -maxn, -bucket and -seed are w2v's own names too */
    SP_SAME("input", "train"),
    SP_SAME("lr", "alpha"),
    SP_SAME("ws", "window"),
    SP_SAME("minCount", "min-count"),
    SP_SAME("t", "sample"),
    SP_SAME("thread", "threads"),
    SP_SAME("neg", "negative"),
    {"loss", "ns", {{"hs", "0"}, {NULL, NULL}}, NULL},
    {"loss", "hs", {{"hs", "1"}, {"negative", "0"}}, NULL},
    SP_REFUSED("loss", "softmax", "a softmax over the whole vocabulary is not supported; "
               "use -loss hs (hierarchical softmax) or -loss ns (negative sampling)"),
    SP_REFUSED("loss", "ova", "one-vs-all is for fastText's supervised classifiers; w2v "
               "trains word vectors with -loss ns or -loss hs"),
    /* word2vec's -debug and fastText's -verbose: 1 is w2v's default output */
    SP_FLAG("debug", "0", "q"),
    SP_FLAG("debug", "1", NULL),
    SP_FLAG("debug", "2", "v"),
    SP_FLAG("verbose", "0", "q"),
    SP_FLAG("verbose", "1", NULL),
    SP_FLAG("verbose", "2", "v"),
    /* fastText's options that w2v has no counterpart for */
    SP_REFUSED("wordNgrams", NULL, "word n-grams are for fastText's supervised classifiers; "
               "w2v trains word vectors (see w2v phrases for multi-word units)"),
    SP_REFUSED("pretrainedVectors", NULL, "use -init FILE (any vectors file) to start from "
               "vectors"),
    SP_REFUSED("saveOutput", NULL, "-save-context FILE writes the output vectors"),
    SP_REFUSED("label", NULL, SP_LABELS " (a __label__ word is a word like any other)"),
    SP_REFUSED("minCountLabel", NULL, SP_LABELS " (-min-count N drops rare words)"),
    SP_REFUSED("lrUpdateRate", NULL, "not supported: the learning rate falls linearly from "
               "-alpha X (-lr X) at w2v's own pace"),
    SP_REFUSED("cutoff", NULL, SP_QUANTIZE "; -max-vocab N keeps the N most frequent words"),
    SP_REFUSED("retrain", NULL, SP_QUANTIZE),
    SP_REFUSED("qnorm", NULL, SP_QUANTIZE),
    SP_REFUSED("qout", NULL, SP_QUANTIZE),
    SP_REFUSED("dsub", NULL, SP_QUANTIZE),
    SP_REFUSED("autotune-validation", NULL, SP_AUTOTUNE),
    SP_REFUSED("autotune-metric", NULL, SP_AUTOTUNE),
    SP_REFUSED("autotune-predictions", NULL, SP_AUTOTUNE),
    SP_REFUSED("autotune-duration", NULL, SP_AUTOTUNE),
    SP_REFUSED("autotune-modelsize", NULL, SP_AUTOTUNE),
};

#define SP_ROWS (sizeof spellings / sizeof spellings[0])
/* Room for the list of the values a name takes ("0, 1 or 2"): a few short words. */
#define SP_LIST_BYTES 128

/* True if row 'i' is the first of its name (getopt takes one row per name). */
static bool first_of_name(size_t i)
{
    for (size_t j = 0; j < i; j++) {
        if (strcmp(spellings[j].name, spellings[i].name) == 0) {
            return false;
        }
    }
    return true;
}

int spellings_count(void)
{
    int n = 0;
    for (size_t i = 0; i < SP_ROWS; i++) {
        n += first_of_name(i) ? 1 : 0;
    }
    return n;
}

void spellings_rows(struct option *rows, int id)
{
    int n = 0;
    for (size_t i = 0; i < SP_ROWS; i++) {
        if (first_of_name(i)) {
            const struct spelling *s = &spellings[i];
            bool refused_whole = s->refusal != NULL && s->value == NULL;
            rows[n++] = (struct option){s->name, refused_whole ? optional_argument
                                                               : required_argument, NULL, id};
        }
    }
}

/* The row of 'name' for the value 'arg', or NULL when the name takes other values. */
static const struct spelling *find(const char *name, const char *arg)
{
    for (size_t i = 0; i < SP_ROWS; i++) {
        const struct spelling *s = &spellings[i];
        if (strcmp(s->name, name) == 0 &&
            (s->value == NULL || (arg != NULL && strcmp(s->value, arg) == 0))) {
            return s;
        }
    }
    return NULL;
}

/* True if row 'i' is one of 'name' that is taken, not refused. */
static bool taken(size_t i, const char *name)
{
    return strcmp(spellings[i].name, name) == 0 && spellings[i].refusal == NULL;
}

/* Sets 'err' to "-NAME: expected A, B or C, got 'ARG'", listing the values 'name' takes. */
static void bad_value(const char *name, const char *arg, struct w2v_err *err)
{
    size_t n = 0;
    for (size_t i = 0; i < SP_ROWS; i++) {
        n += taken(i, name) ? 1 : 0;
    }
    char list[SP_LIST_BYTES] = "";
    size_t k = 0;
    for (size_t i = 0; i < SP_ROWS; i++) {
        if (taken(i, name)) {
            const char *sep = k == 0 ? "" : k + 1 < n ? ", " : " or ";
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s%s", sep, spellings[i].value);
            k++;
        }
    }
    err_set(err, "-%s: expected %s, got '%s'", name, list, arg != NULL ? arg : "");
}

int spellings_expand(const char *name, const char *arg, struct spelling_step *steps,
                     struct w2v_err *err)
{
    const struct spelling *s = find(name, arg);
    if (s == NULL) {
        bad_value(name, arg, err);
        return -1;
    }
    if (s->refusal != NULL) {
        if (s->value != NULL) {
            err_set(err, "-%s %s: %s", name, s->value, s->refusal);
        } else {
            err_set(err, "-%s: %s", name, s->refusal);
        }
        return -1;
    }
    int n = 0;
    while (n < SPELLINGS_MAX_STEPS && s->to[n].option != NULL) {
        steps[n] = s->to[n];
        if (s->value == NULL) {
            steps[n].value = arg;
        }
        n++;
    }
    return n;
}

/* Words that other programs take as booleans; after -cbow or -hs they are meant as the
 * flag's value (and refused as such), not as a corpus. */
static const char *const bool_words[] = {"yes", "no", "true", "false", "on", "off"};

/* True if 'a' is meant as the value of a flag such as -cbow: all digits ("0", "1", "2")
 * or a boolean word in any case ("yes", "Off"). It is then never the corpus: a corpus
 * named "2" or "yes" is given as ./2, ./yes or -train yes. */
static bool looks_like_value(const char *a)
{
    if (*a != '\0' && strspn(a, "0123456789") == strlen(a)) {
        return true;
    }
    for (size_t i = 0; i < sizeof bool_words / sizeof bool_words[0]; i++) {
        if (strcasecmp(a, bool_words[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* word2vec scripts write "-cbow 1" and "-hs 0"; getopt only attaches an optional argument
 * written as "-cbow=1", so a flag followed by a value (looks_like_value) is joined before
 * parsing, and a value other than 0 and 1 is then refused as the flag's value. */
char **spellings_join_values(int argc, char **argv, int *out_argc, char ***owned)
{
    char **v = xcalloc((size_t)argc + 1, sizeof *v);
    char **joined = xcalloc((size_t)argc + 1, sizeof *joined);
    int n = 0;
    int nj = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const char *name = a + (a[0] == '-' && a[1] == '-' ? 2 : 1);
        bool is_flag = a[0] == '-' && (strcmp(name, "cbow") == 0 || strcmp(name, "hs") == 0);
        if (i > 0 && is_flag && i + 1 < argc && looks_like_value(argv[i + 1])) {
            size_t len = strlen(a) + strlen(argv[i + 1]) + 2; /* "=" and the NUL */
            char *j = xmalloc(len);
            snprintf(j, len, "%s=%s", a, argv[i + 1]);
            joined[nj++] = j;
            v[n++] = j;
            i++;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            while (i < argc) {
                v[n++] = argv[i++];
            }
            break;
        }
        v[n++] = argv[i];
    }
    *out_argc = n;
    *owned = joined;
    return v;
}
