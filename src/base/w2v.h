/* w2v.h: project-wide constants shared by every module and command.
 * Nothing here allocates or has state; it is safe to include anywhere. */
#ifndef W2V_H
#define W2V_H

#define W2V_VERSION "0.1.0"

/* Process exit statuses: success, runtime failure, bad command line. */
#define W2V_EXIT_OK 0
#define W2V_EXIT_ERR 1
#define W2V_EXIT_USAGE 2

/* Longest token kept, in bytes; longer ones are cut on a UTF-8 boundary. */
#define W2V_MAX_WORD 255

/* Name of the sentence-end token, always word id 0 (word2vec's convention). */
#define W2V_EOS "</s>"

#endif
