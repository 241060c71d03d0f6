/* fuzz.h: shared by the fuzz targets. The readers under test take file names, so each
 * input is written to one temporary file per process first. Every target defines
 * LLVMFuzzerTestOneInput; libFuzzer drives it (make fuzz), and replay.c drives it over the
 * seed files in the ordinary test build. */
#ifndef W2V_FUZZ_H
#define W2V_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes the input to this process's temporary file and returns its name. */
static inline const char *fuzz_file(const uint8_t *data, size_t size)
{
    static char path[64];
    if (path[0] == '\0') {
        snprintf(path, sizeof path, "/tmp/w2v-fuzz-%ld", (long)getpid());
    }
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        abort();
    }
    return path;
}

#endif
