/* sigmoid: builds the logistic and logistic-loss tables. */
#include "train/sigmoid.h"

#include <math.h>

void sigmoid_init(struct sigmoid *t)
{
    t->scale = (float)SIGMOID_SIZE / (2.0f * SIGMOID_MAX);
    for (int i = 0; i <= SIGMOID_SIZE; i++) {
        double x = ((double)i / SIGMOID_SIZE * 2.0 - 1.0) * (double)SIGMOID_MAX;
        double s = 1.0 / (1.0 + exp(-x));
        t->value[i] = (float)s;
        t->logv[i] = (float)log1p(exp(-x));
    }
}
