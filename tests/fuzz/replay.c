/* replay: runs a fuzz target over files named on the command line, so that the seeds and
 * past crashers are tested by the ordinary (sanitized) build without libFuzzer. Prints
 * "<target>: N passed, 0 failed" when every input ran; a failure aborts. */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"

int main(int argc, char **argv)
{
    int ran = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (f == NULL) {
            perror(argv[i]);
            return 1;
        }
        size_t cap = 1 << 16;
        size_t n = 0;
        uint8_t *buf = malloc(cap);
        size_t got;
        while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
            n += got;
            if (n == cap) {
                cap *= 2;
                buf = realloc(buf, cap);
            }
        }
        fclose(f);
        if (buf == NULL) {
            return 1;
        }
        LLVMFuzzerTestOneInput(buf, n);
        free(buf);
        ran++;
    }
    printf("%s: %d passed, 0 failed\n", argc > 0 ? argv[0] : "replay", ran);
    return 0;
}
