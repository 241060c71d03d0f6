/* huffman: the binary tree of hierarchical softmax. Every word gets the path from the
 * root to its leaf: 'len' inner nodes ('point', numbered 0..n-2, the root being n-2) and
 * the branch taken at each ('code', 0 or 1). Frequent words get short paths. */
#ifndef W2V_HUFFMAN_H
#define W2V_HUFFMAN_H

#include <stdint.h>

#include "base/log.h"

/* Longest code accepted. A Huffman code of length L needs a total count of at least the
 * (L+2)-th Fibonacci number, so counts that fit in int64 never come near this. */
#define HUFFMAN_MAX_CODE 128

struct huffman {
    int64_t *start;   /* word w's path is code/point[start[w] .. start[w] + len[w]) */
    uint8_t *len;
    uint8_t *code;
    int32_t *point;
};

/* Builds the tree for 'n' >= 1 words with non-negative 'counts'. Returns 0, or -1 with
 * 'err' set when a code would exceed HUFFMAN_MAX_CODE or memory runs out ("hierarchical
 * softmax tree: cannot allocate 45.8 MiB"). Free with huffman_free. */
int huffman_build(const int64_t *counts, int64_t n, struct huffman *h, struct w2v_err *err);

void huffman_free(struct huffman *h);

#endif
