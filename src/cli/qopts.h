/* qopts: the options of the query commands (similar, analogy, similarity, eval), parsed by
 * one loop. Each command names the options that mean something to it; any other option is
 * a usage error. Also the pieces the query commands share: loading the vectors, cutting
 * long words for messages and checking standard output at the end. */
#ifndef W2V_QOPTS_H
#define W2V_QOPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "query/embed.h"

/* Defaults of the query options. */
#define QOPT_MODEL "vectors.bin"
#define QOPT_K 10

/* Options beyond -m, -limit, -format and -h, which every query command takes. */
enum qopt {
    QOPT_K_OPT = 1u << 0,    /* -k N */
    QOPT_METHOD = 1u << 1,   /* -method add|mul */
    QOPT_RESTRICT = 1u << 2, /* -restrict N */
    QOPT_THREADS = 1u << 3,  /* -threads N */
};

struct qopts {
    const char *name;        /* the command, for messages: "similar", "eval analogy" */
    unsigned accepted;       /* enum qopt bits */
    const char *model;
    int64_t k;
    int64_t limit;           /* 0: every row */
    int64_t restrict_rows;   /* -1 until set */
    bool mul;
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

/* Loads the vectors file of 'o' (mapped in place when 'may_map' allows); returns 0, or -1
 * after printing the error. Repeated words are reported in one warning. */
int qopts_load(struct embed *e, const struct qopts *o, bool may_map);

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
