/* main: dispatches "w2v COMMAND ..." to the command's function and handles the top-level
 * options -h/--help and --version. */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/report.h"
#include "mpi/dist.h"
#include "base/log.h"
#include "base/w2v.h"

struct cmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
};

static const struct cmd commands[] = {
    {"train", cmd_train, "train word vectors on a corpus (plain text, gzip or stdin)"},
    {"similar", cmd_similar, "nearest neighbours of one or more words"},
    {"analogy", cmd_analogy, "A - B + C: 'w2v analogy king man woman' gives queen"},
    {"similarity", cmd_similarity, "cosine similarity of two words"},
    {"vector", cmd_vector, "print words' vectors (from n-grams for unseen words of a fastText model)"},
    {"embed", cmd_embed, "one vector per line of text: its words' mean unit vector, or SIF"},
    {"eval", cmd_eval, "analogy accuracy and word-pair correlation benchmarks"},
    {"phrases", cmd_phrases, "join frequent word pairs with '_' (new_york), as word2phrase"},
    {"classes", cmd_classes, "k-means word classes: 'word class' lines, as word2vec -classes"},
    {"plot", cmd_plot, "a 2-D picture (PCA) of some words and their neighbours, as SVG"},
    {"convert", cmd_convert, "convert vectors: text, binary, gzip, GloVe; .npy and .tsv exports"},
};

/* The commands of the table, for messages. */
#define COMMAND_NAMES \
    "train, similar, analogy, similarity, vector, embed, eval, phrases, classes, plot or convert"

static void usage(FILE *out)
{
    fprintf(out, "usage: w2v COMMAND [options] [args]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(out, "\n'w2v COMMAND -h' lists a command's options; 'man w2v' has the details.\n"
                 "example: w2v train -o vectors.bin corpus.txt.gz && w2v similar france\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        return report_usage(NULL, "missing command (%s)", COMMAND_NAMES);
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return W2V_EXIT_OK;
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-version") == 0) {
        char mpi[128];
        printf("w2v %s\n%s\n", W2V_VERSION, dist_describe(mpi, sizeof mpi));
        return W2V_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(name, commands[i].name) == 0) {
            return commands[i].fn(argc - 1, argv + 1);
        }
    }
    return report_usage(NULL, "%s: unknown command (expected %s)", name, COMMAND_NAMES);
}
