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

/* Temporary files of this process, removed at exit so that neither replays in `make test`
 * nor fuzzing sessions leave files behind. */
#define FUZZ_MAX_TEMPS 2
static char fuzz_temps[FUZZ_MAX_TEMPS][256];

static void fuzz_remove_temps(void)
{
    for (int i = 0; i < FUZZ_MAX_TEMPS; i++) {
        if (fuzz_temps[i][0] != '\0') {
            remove(fuzz_temps[i]);
        }
    }
}

/* Returns the name of temporary file number 'slot' (below FUZZ_MAX_TEMPS):
 * "$TMPDIR/w2v-fuzz-PID-SLOT", made on first use. */
static inline const char *fuzz_temp(int slot)
{
    char *path = fuzz_temps[slot];
    if (path[0] == '\0') {
        const char *dir = getenv("TMPDIR");
        if (dir == NULL || dir[0] == '\0') {
            dir = "/tmp";
        }
        int n = snprintf(path, sizeof fuzz_temps[slot], "%s/w2v-fuzz-%ld-%d", dir,
                         (long)getpid(), slot);
        if (n < 0 || (size_t)n >= sizeof fuzz_temps[slot]) {
            abort();
        }
        static int registered;
        if (!registered) {
            registered = 1;
            atexit(fuzz_remove_temps);
        }
    }
    return path;
}

/* Writes 'size' bytes to temporary file 'slot' and returns its name. */
static inline const char *fuzz_write(int slot, const void *data, size_t size)
{
    const char *path = fuzz_temp(slot);
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
