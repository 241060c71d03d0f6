/* Unit tests of shard and of the vocabulary merge it feeds: for jobs of 1 to 5 processes,
 * reading every process's planned share and merging their counts gives exactly the
 * vocabulary and the token count of one process reading everything, for one plain file,
 * several plain files, gzip files dealt whole and one gzip file dealt by lines (also a
 * corpus without line ends); every token goes to exactly one process. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "text/corpus.h"
#include "harness.h"
#include "base/rng.h"
#include "mpi/shard.h"
#include "text/vocab.h"

static char dir[] = "/tmp/w2v-test-shard-XXXXXX";

static const char *path_of(const char *name)
{
    static char buf[16][256]; /* rotating: the paths of one test stay valid */
    static int k;
    k = (k + 1) % 16;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

/* Writes 'lines' lines of random words from a Zipf-like vocabulary ('lines' 0: one line
 * of 'words' words without a line end). */
static void write_corpus(const char *name, int lines, int words, uint64_t seed, bool gz)
{
    struct rng r;
    rng_seed(&r, seed, 0);
    FILE *f = gz ? NULL : fopen(path_of(name), "wb");
    gzFile g = gz ? gzopen(path_of(name), "wb") : NULL;
    CHECK(f != NULL || g != NULL);
    int n = lines > 0 ? lines : 1;
    for (int l = 0; l < n; l++) {
        int len = lines > 0 ? 1 + (int)(rng_uniform(&r) * 30.0f) : words;
        for (int i = 0; i < len; i++) {
            /* id ~ 1/u: a few words are frequent, most are rare */
            int id = (int)(1.0f / (rng_uniform(&r) + 0.002f));
            char w[32];
            int wl = snprintf(w, sizeof w, "%sw%d", i > 0 ? (id % 3 ? " " : "\t ") : "", id);
            if (g != NULL) {
                gzwrite(g, w, (unsigned)wl);
            } else {
                fwrite(w, 1, (size_t)wl, f);
            }
        }
        if (lines > 0) {
            if (g != NULL) {
                gzputc(g, '\n');
            } else {
                fputc('\n', f);
            }
        }
    }
    if (g != NULL) {
        gzclose(g);
    } else {
        fclose(f);
    }
}

/* The vocabulary (pruned at 'min_count') and token count of a job of 'size' processes. */
static void job_vocab(const char *const *paths, int n, int size, int64_t min_count,
                      struct vocab *out, int64_t *tokens)
{
    vocab_init(out);
    out->count[0] = 0;
    *tokens = 0;
    for (int rank = 0; rank < size; rank++) {
        struct shard_plan p;
        struct w2v_err err;
        CHECK_EQ(shard_plan(&p, paths, n, rank, size, &err), 0);
        struct vocab v;
        vocab_init(&v);
        struct idstream s;
        idstream_init(&s, SIZE_MAX, NULL);
        struct corpus_stats st;
        memset(&st, 0, sizeof st);
        CHECK_EQ(shard_read(&p, &v, false, &s, NULL, &st, &err), 0);
        CHECK_EQ(idstream_finish(&s, &err), 0);
        CHECK_EQ(s.n, st.tokens + st.lines);
        *tokens += st.tokens;
        size_t len;
        char *buf = vocab_pack(&v, &len);
        CHECK_EQ(vocab_merge_packed(out, buf, len, &err), 0);
        free(buf);
        idstream_free(&s);
        vocab_free(&v);
        shard_free(&p);
    }
    vocab_prune(out, min_count, 0, NULL);
}

static void same_vocab(const struct vocab *a, const struct vocab *b)
{
    CHECK_EQ(a->n, b->n);
    for (int64_t id = 0; id < a->n && id < b->n; id++) {
        CHECK(strcmp(vocab_word(a, (int32_t)id), vocab_word(b, (int32_t)id)) == 0);
        CHECK_EQ(a->count[id], b->count[id]);
    }
}

static void check_jobs(const char *const *paths, int n)
{
    struct vocab one;
    int64_t tokens1;
    job_vocab(paths, n, 1, 2, &one, &tokens1);
    CHECK(one.n > 50);
    for (int size = 2; size <= 5; size++) {
        struct vocab job;
        int64_t tokens;
        job_vocab(paths, n, size, 2, &job, &tokens);
        CHECK_EQ(tokens, tokens1);
        same_vocab(&one, &job);
        vocab_free(&job);
    }
    vocab_free(&one);
}

static void test_modes(void)
{
    write_corpus("a.txt", 3000, 0, 1, false);
    write_corpus("b.txt", 500, 0, 2, false);
    write_corpus("c.txt", 1500, 0, 3, false);
    write_corpus("long.txt", 0, 60000, 4, false);
    write_corpus("a.gz", 3000, 0, 1, true);
    write_corpus("b.gz", 700, 0, 5, true);
    const char *one[] = {path_of("a.txt")};
    check_jobs(one, 1);
    const char *several[] = {path_of("a.txt"), path_of("b.txt"), path_of("c.txt")};
    check_jobs(several, 3);
    const char *gz[] = {path_of("a.gz")};
    check_jobs(gz, 1);
    const char *mixed[] = {path_of("a.gz"), path_of("b.txt"), path_of("b.gz"),
                           path_of("c.txt"), path_of("long.txt")};
    check_jobs(mixed, 5);
    const char *lng[] = {path_of("long.txt")};
    check_jobs(lng, 1);
    struct shard_plan p;
    struct w2v_err err;
    CHECK_EQ(shard_plan(&p, one, 1, 1, 3, &err), 0);
    CHECK_EQ(p.mode, SHARD_RANGES);
    shard_free(&p);
    CHECK_EQ(shard_plan(&p, gz, 1, 1, 3, &err), 0);
    CHECK_EQ(p.mode, SHARD_LINES);
    shard_free(&p);
    CHECK_EQ(shard_plan(&p, mixed, 5, 1, 3, &err), 0);
    CHECK_EQ(p.mode, SHARD_FILES);
    shard_free(&p);
}

static void test_errors(void)
{
    struct shard_plan p;
    struct w2v_err err;
    const char *missing[] = {path_of("a.txt"), path_of("nope.txt")};
    CHECK_EQ(shard_plan(&p, missing, 2, 0, 2, &err), -1);
    CHECK(strstr(err.msg, "nope.txt: No such file or directory") != NULL);
    shard_free(&p);
    const char *in[] = {"-"};
    CHECK_EQ(shard_plan(&p, in, 1, 0, 2, &err), -1);
    CHECK(strstr(err.msg, "standard input") != NULL);
    shard_free(&p);
    CHECK_EQ(shard_plan(&p, in, 1, 0, 1, &err), 0);
    CHECK_EQ(p.n, 1);
    shard_free(&p);
}

int main(void)
{
    harness_scratch(dir);
    RUN(test_modes);
    RUN(test_errors);
    harness_scratch_remove(dir);
    TEST_MAIN("shard");
}
