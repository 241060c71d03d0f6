/* sigmoid: the logistic function and its log from precomputed tables over
 * [-SIGMOID_MAX, SIGMOID_MAX]; arguments outside are clamped to the ends. The index scale
 * is a float (word2vec's integer division shifted every entry), and the nearest entry is
 * taken, so the error is at most a quarter of a table step. */
#ifndef W2V_SIGMOID_H
#define W2V_SIGMOID_H

/* Range of the table (beyond it sigmoid is within 0.25 % of 0 or 1) and its entries. */
#define SIGMOID_MAX 6.0f
#define SIGMOID_SIZE 1024

struct sigmoid {
    float scale;                     /* entries per unit of x */
    float value[SIGMOID_SIZE + 1];   /* 1 / (1 + exp(-x)) */
    float logv[SIGMOID_SIZE + 1];    /* -log(1 / (1 + exp(-x))), the logistic loss */
};

/* Fills the tables. */
void sigmoid_init(struct sigmoid *t);

/* Index of the entry nearest to x; NaN maps to the lower end. */
static inline int sigmoid_index(const struct sigmoid *t, float x)
{
    if (!(x > -SIGMOID_MAX)) {
        return 0;
    }
    if (x >= SIGMOID_MAX) {
        return SIGMOID_SIZE;
    }
    return (int)((x + SIGMOID_MAX) * t->scale + 0.5f);
}

#endif
