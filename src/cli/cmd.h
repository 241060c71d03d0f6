/* cmd: the subcommands of the w2v program. Each takes the arguments after its own name
 * (argv[0] is the command name), prints its own errors and returns the exit status. */
#ifndef W2V_CMD_H
#define W2V_CMD_H

/* w2v train: builds the vocabulary and trains vectors (cmd_train.c). */
int cmd_train(int argc, char **argv);

/* w2v similar / analogy / similarity: queries over a vectors file (cmd_query.c). */
int cmd_similar(int argc, char **argv);
int cmd_analogy(int argc, char **argv);
int cmd_similarity(int argc, char **argv);
int cmd_vector(int argc, char **argv);

/* w2v embed: one vector per line of text (cmd_embed.c). */
int cmd_embed(int argc, char **argv);

/* w2v eval analogy / similarity: the standard benchmarks (cmd_eval.c). */
int cmd_eval(int argc, char **argv);

/* w2v phrases: joins frequent word pairs with '_' (cmd_phrases.c). */
int cmd_phrases(int argc, char **argv);

/* w2v classes: k-means word classes of a vectors file (cmd_classes.c). */
int cmd_classes(int argc, char **argv);

/* w2v plot: an SVG picture of words projected on two principal components (cmd_plot.c). */
int cmd_plot(int argc, char **argv);

/* w2v convert: rewrites a vectors file in another format (cmd_convert.c). */
int cmd_convert(int argc, char **argv);

#endif
