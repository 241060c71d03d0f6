/* mkvectors: writes a word2vec binary vectors file of ROWS x DIM pseudo-random values with
 * words "w0", "w1", ..., for load benchmarks (tests/bench_load.sh).
 *
 * usage: mkvectors ROWS DIM > file.bin */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: mkvectors ROWS DIM\n");
        return 2;
    }
    long rows = strtol(argv[1], NULL, 10);
    long dim = strtol(argv[2], NULL, 10);
    if (rows < 1 || dim < 1) {
        fprintf(stderr, "mkvectors: ROWS and DIM must be positive\n");
        return 2;
    }
    float *row = malloc((size_t)dim * sizeof *row);
    if (row == NULL) {
        return 1;
    }
    uint64_t s = 88172645463325252ULL;
    printf("%ld %ld\n", rows, dim);
    for (long r = 0; r < rows; r++) {
        for (long d = 0; d < dim; d++) {
            /* xorshift64 (Marsaglia 2003), scaled to [-0.5, 0.5) */
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            row[d] = (float)(s >> 40) / 16777216.0f - 0.5f;
        }
        printf("w%ld ", r);
        fwrite(row, sizeof *row, (size_t)dim, stdout);
        putchar('\n');
    }
    free(row);
    return ferror(stdout) ? 1 : 0;
}
