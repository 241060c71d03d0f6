/* qopts: the options of the query commands (similar, analogy, similarity, vector, eval,
 * embed), parsed by one loop. Each command names the options that mean something to it;
 * any other option is a usage error. Also the pieces the query commands share: loading
 * the vectors, cutting long words for messages and checking standard output at the end. */
#ifndef W2V_QOPTS_H
#define W2V_QOPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/embed.h"
#include "query/linevec.h"

/* Defaults of the query options. */
#define QOPT_MODEL "vectors.bin"
#define QOPT_K 10
#define QOPT_SIF_A LINEVEC_SIF_A

/* Options beyond -m, -limit, -format and -h, which every query command takes. */
enum qopt {
    QOPT_K_OPT = 1u << 0,    /* -k N */
    QOPT_METHOD = 1u << 1,   /* -method add|mul */
    QOPT_RESTRICT = 1u << 2, /* -restrict N */
    QOPT_THREADS = 1u << 3,  /* -threads N */
    QOPT_OOV = 1u << 4,      /* -oov skip|ngrams */
    QOPT_SIF = 1u << 5,      /* -sif FILE, -sif-a A */
};

struct qopts {
    const char *name;        /* the command, for messages: "similar", "eval analogy" */
    unsigned accepted;       /* enum qopt bits */
    const char *model;
    int64_t k;
    int64_t limit;           /* 0: every row */
    int64_t restrict_rows;   /* -1 until set */
    bool mul;
    bool oov;                /* -oov ngrams: words outside the vocabulary from n-grams */
    const char *sif;         /* -sif: a 'word count' file, or NULL */
    double sif_a;
    bool sif_a_set;
    int threads;             /* online CPUs unless set */
    enum vec_format format;  /* of the vectors file: VEC_AUTO detects it */
    bool help;
};

/* Sets the defaults of command 'name' accepting the 'accepted' options. */
void qopts_init(struct qopts *o, const char *name, unsigned accepted);

/* Parses the options of argv[0 .. argc) (argv[0] is the command name) and sets
 * '*first_arg' to the first operand. Returns 0, or W2V_EXIT_USAGE after printing the usage
 * error (an unknown option, an option the command does not take, a bad value). */
int qopts_parse(struct qopts *o, int argc, char **argv, int *first_arg);

/* Prints "w2v: MSG" and the hint to ask for help; returns W2V_EXIT_USAGE. */
int qopts_usage_error(const struct qopts *o, const char *msg);

/* Prints the help lines of the options 'o' accepts to standard output. */
void qopts_help(const struct qopts *o, int64_t restrict_analogy, int64_t restrict_pairs);

/* Prints the help lines of -m FILE (default 'model') and of -format F, which every
 * command that reads a vectors file takes, with their descriptions from column 'col'. */
void qopts_help_model(const char *model, int col);
void qopts_help_format(int col);

/* Loads the vectors file of 'o' as 'mode' says (embed.h); returns 0, or -1
 * after printing the error. Repeated words are reported in one warning. */
int qopts_load(struct embed *e, const struct qopts *o, enum embed_mode mode);

/* The look-up of query words (similar, analogy, similarity, plot), which explains a miss:
 * a word beyond -limit, a word known in another case. */
struct qwords {
    struct embed *e;
    struct embed_upper upper;   /* built at the first miss that needs it */
    bool built;
};

/* Starts the look-ups of words in 'e' (which must outlive 'q'). */
void qwords_init(struct qwords *q, struct embed *e);

/* The row of 'word' (embed_lookup: with a fastText model, a word outside the vocabulary
 * gets a row from its n-grams), or -1 with 'err' set to "WORD: not in vocabulary", or
 * "WORD: not among
 * the first N rows (-limit N)" when a row limit cut the file short; either followed by
 * "but 'WORD2' is" when a word of another case is loaded (an ASCII word is looked for in
 * lower case first; otherwise the upper-cased words of every row are indexed once, on the
 * first such miss, so that a word found costs one look-up as before). */
int64_t qwords_find(struct qwords *q, const char *word, struct w2v_err *err);

void qwords_free(struct qwords *q);

/* Longest word echoed whole in a message, in bytes; longer ones are cut and end in "...". */
#define QOPT_ECHO_MAX 64

/* 'word' as echoed in messages: itself, or its first QOPT_ECHO_MAX bytes (not splitting a
 * UTF-8 character) and "...". 'buf' has room for QOPT_ECHO_MAX + 4 bytes. */
const char *qopts_echo(const char *word, char *buf);

/* Flushes standard output. Returns 'status'; if a write failed, the status of
 * report_failure after "standard output: write failed: REASON", or quietly 141 when the
 * reader of standard output went away (cli/report.h). */
int qopts_flush(int status);

#endif
