/* fixture: the shared helpers of the unit tests. */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/corpus.h"

/* Longest scratch path, in bytes. */
#define FX_PATH_MAX 512

static char scratch[] = "/tmp/w2v-unit-XXXXXX";
static bool made;

static void remove_scratch(void)
{
    char cmd[FX_PATH_MAX + 16];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    if (system(cmd) != 0) {
        fprintf(stderr, "fixture: could not remove %s\n", scratch);
    }
}

const char *fx_dir(void)
{
    if (!made) {
        if (mkdtemp(scratch) == NULL) {
            perror("fixture: mkdtemp");
            exit(1);
        }
        made = true;
        atexit(remove_scratch);
    }
    return scratch;
}

const char *fx_path(const char *name)
{
    static char buf[FX_PATHS][FX_PATH_MAX];
    static int next;
    char *p = buf[next];
    next = (next + 1) % FX_PATHS;
    snprintf(p, FX_PATH_MAX, "%s/%s", fx_dir(), name);
    return p;
}

const char *fx_write(const char *name, const void *data, size_t n)
{
    const char *p = fx_path(name);
    FILE *f = fopen(p, "wb");
    if (f == NULL || fwrite(data, 1, n, f) != n || fclose(f) != 0) {
        fprintf(stderr, "fixture: cannot write %s\n", p);
        exit(1);
    }
    return p;
}

const char *fx_write_text(const char *name, const char *text)
{
    return fx_write(name, text, strlen(text));
}

char *fx_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 1 << 12;
    size_t len = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf != NULL && (got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            cap *= 2;
            char *more = realloc(buf, cap + 1);
            if (more == NULL) {
                free(buf);
                buf = NULL;
            }
            buf = more;
        }
    }
    fclose(f);
    if (buf != NULL) {
        buf[len] = '\0';
    }
    if (n != NULL) {
        *n = len;
    }
    return buf;
}

struct train_config fx_config(enum model_kind kind, int dim, int negative, bool hs)
{
    struct train_config c;
    memset(&c, 0, sizeof c);
    c.kind = kind;
    c.dim = dim;
    c.window = 3;
    c.negative = negative;
    c.hs = hs;
    c.iter = 1;
    c.alpha = kind == MODEL_CBOW ? 0.05 : 0.025;
    c.threads = 1;
    c.seed = 1;
    c.ns_exponent = 0.75;
    return c;
}

int fx_read_corpus(const char *path, int64_t min_count, struct vocab *v, struct idstream *s,
                   struct w2v_err *err)
{
    vocab_init(v);
    idstream_init(s, SIZE_MAX, NULL);
    struct corpus_stats st;
    memset(&st, 0, sizeof st);
    if (corpus_read(path, v, false, s, NULL, &st, err) != 0 || idstream_finish(s, err) != 0) {
        return -1;
    }
    int32_t *map = NULL;
    vocab_prune(v, min_count, 0, &map);
    int rc = idstream_remap(s, map, err);
    free(map);
    return rc;
}
