/* rule: the learning rule of w2v, stated once in plain C: skip-gram and CBOW, with
 * negative sampling and hierarchical softmax, in word2vec's per-row form and in the shared
 * form (cfg.batch). It is the specification of the training step: the fast kernels
 * (kernels_body.h) compute the same updates with vector registers, prefetches and blocked
 * loops, and the tests hold every one of them to this. It also runs as the kernels named
 * "rule" (W2V_KERNELS=rule), slowly. rule.c states the rule with its sources. */
#ifndef W2V_RULE_H
#define W2V_RULE_H

#include "train/update.h"

/* The rule as an implementation of the step (update.h). */
extern const struct update_kernels rule_kernels;

#endif
