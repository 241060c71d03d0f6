/* fuzz.h: shared by the fuzz targets. The readers under test take file names, so each
 * input is first written to a temporary file of the process, removed at exit. Every target
 * defines LLVMFuzzerTestOneInput; libFuzzer drives it (make fuzz), and replay.c drives it
 * over the seed files in the ordinary test build. */
#ifndef W2V_FUZZ_H
#define W2V_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Temporary files of this process, "$TMPDIR/w2v-fuzz-PID-SLOT" (or under /tmp), named on
 * first use and removed at exit, so that neither replays in `make test` nor fuzzing
 * sessions leave files behind. */
#define FUZZ_MAX_TEMPS 2
static char fuzz_temps[FUZZ_MAX_TEMPS][256];

static void fuzz_remove_temps(void)
{
    for (int i = 0; i < FUZZ_MAX_TEMPS; i++) {
        remove(fuzz_temps[i]);
    }
}

static void fuzz_name_temps(void)
{
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0') {
        dir = "/tmp";
    }
    for (int i = 0; i < FUZZ_MAX_TEMPS; i++) {
        int n = snprintf(fuzz_temps[i], sizeof fuzz_temps[i], "%s/w2v-fuzz-%ld-%d", dir,
                         (long)getpid(), i);
        if (n < 0 || (size_t)n >= sizeof fuzz_temps[i]) {
            abort();
        }
    }
    atexit(fuzz_remove_temps);
}

/* Writes 'size' bytes to temporary file 'slot' (below FUZZ_MAX_TEMPS); returns its name. */
static inline const char *fuzz_write(int slot, const void *data, size_t size)
{
    if (fuzz_temps[0][0] == '\0') {
        fuzz_name_temps();
    }
    const char *path = fuzz_temps[slot];
    FILE *f = fopen(path, "wb");
    if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        abort();
    }
    return path;
}

/* Writes the input to this process's temporary file and returns its name. */
static inline const char *fuzz_file(const uint8_t *data, size_t size)
{
    return fuzz_write(0, data, size);
}

#endif
