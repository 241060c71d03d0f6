/* Unit tests of vocab: interning, ordering, pruning, save/read round trip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "text/vocab.h"
#include "base/w2v.h"

static int32_t add(struct vocab *v, const char *w, int64_t times)
{
    int32_t id = vocab_intern_h(v, w, strlen(w), strindex_hash(w, strlen(w)));
    v->count[id] += times;
    return id;
}

static void test_eos_first(void)
{
    struct vocab v;
    vocab_init(&v);
    CHECK_EQ(v.n, 1);
    CHECK(strcmp(vocab_word(&v, 0), W2V_EOS) == 0);
    CHECK_EQ(strindex_find(&v.words, W2V_EOS), 0);
    CHECK_EQ(strindex_find(&v.words, "absent"), -1);
    vocab_free(&v);
}

static void test_order_and_prune(void)
{
    struct vocab v;
    vocab_init(&v);
    add(&v, "rare", 1);
    int32_t b = add(&v, "beta", 7);
    add(&v, "alpha", 7);
    add(&v, "gamma", 9);
    add(&v, "delta", 2);
    v.count[0] = 3;
    int32_t *map = NULL;
    vocab_prune(&v, 2, 0, &map);
    CHECK_EQ(v.n, 5);
    CHECK(strcmp(vocab_word(&v, 0), W2V_EOS) == 0);
    CHECK(strcmp(vocab_word(&v, 1), "gamma") == 0);
    /* equal counts: byte order decides */
    CHECK(strcmp(vocab_word(&v, 2), "alpha") == 0);
    CHECK(strcmp(vocab_word(&v, 3), "beta") == 0);
    CHECK(strcmp(vocab_word(&v, 4), "delta") == 0);
    CHECK_EQ(map[b], 3);
    CHECK_EQ(map[1], -1); /* "rare" was added first (id 1) and dropped */
    CHECK_EQ(strindex_find(&v.words, "rare"), -1);
    CHECK_EQ(strindex_find(&v.words, "delta"), 4);
    CHECK_EQ(v.count[0], 3);
    free(map);
    vocab_free(&v);
}

static void test_max_vocab(void)
{
    struct vocab v;
    vocab_init(&v);
    add(&v, "a", 5);
    add(&v, "b", 9);
    add(&v, "c", 7);
    vocab_prune(&v, 1, 3, NULL);
    CHECK_EQ(v.n, 3);
    CHECK(strcmp(vocab_word(&v, 1), "b") == 0);
    CHECK(strcmp(vocab_word(&v, 2), "c") == 0);
    vocab_free(&v);
}

static void test_many_words(void)
{
    /* Growth of the table and arena keeps every word findable. */
    struct vocab v;
    vocab_init(&v);
    char w[32];
    for (int i = 0; i < 200000; i++) {
        snprintf(w, sizeof w, "w%d", i);
        add(&v, w, 1);
    }
    CHECK_EQ(v.n, 200001);
    int bad = 0;
    for (int i = 0; i < 200000; i += 7) {
        snprintf(w, sizeof w, "w%d", i);
        bad += strindex_find(&v.words, w) != i + 1;
    }
    CHECK_EQ(bad, 0);
    vocab_free(&v);
}

static void test_save_read_roundtrip(void)
{
    char dir[] = "/tmp/w2v-test-XXXXXX";
    harness_scratch(dir);
    char path[256];
    snprintf(path, sizeof path, "%s/vocab.txt", dir);
    struct vocab v;
    vocab_init(&v);
    add(&v, "x", 4);
    add(&v, "y\xc3\xa9", 6);
    v.count[0] = 2;
    vocab_prune(&v, 1, 0, NULL);
    struct w2v_err err;
    CHECK_EQ(vocab_save(&v, path, &err), 0);
    struct vocab r;
    vocab_init(&r);
    CHECK_EQ(vocab_read(&r, path, &err), 0);
    CHECK_EQ(r.n, v.n);
    for (int64_t i = 0; i < v.n && i < r.n; i++) {
        CHECK(strcmp(vocab_word(&v, (int32_t)i), vocab_word(&r, (int32_t)i)) == 0);
        CHECK_EQ(v.count[i], r.count[i]);
    }
    vocab_free(&r);
    vocab_free(&v);
    harness_scratch_remove(dir);
}

static void expect_read_error(const char *content, const char *needle)
{
    char path[] = "/tmp/w2v-vocab-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    CHECK(write(fd, content, strlen(content)) == (ssize_t)strlen(content));
    close(fd);
    struct vocab v;
    vocab_init(&v);
    struct w2v_err err = {{0}, 0};
    CHECK_EQ(vocab_read(&v, path, &err), -1);
    if (strstr(err.msg, needle) == NULL) {
        fprintf(stderr, "  message '%s' lacks '%s'\n", err.msg, needle);
        CHECK(0);
    }
    vocab_free(&v);
    unlink(path);
}

static void test_read_errors(void)
{
    expect_read_error("a 3\nb\n", ":2: expected 'word count'");
    expect_read_error("a 3\nb x\n", ":2: expected 'word count'");
    expect_read_error("a -3\n", ":1: expected 'word count'");
    expect_read_error("a 3 4\n", ":1: expected 'word count'");
    expect_read_error("a 3\na 4\n", ":2: word 'a' is listed twice");
    expect_read_error("\n\n", "no words");
}

/* Bounded counting: the threshold rises until the target is met, never past -min-count
 * while there is room; kept words keep their order and stay findable. */
static void test_reduce(void)
{
    struct vocab v;
    vocab_init(&v);
    char w[32];
    for (int i = 0; i < 1000; i++) {
        snprintf(w, sizeof w, "w%d", i);
        add(&v, w, i % 10 + 1); /* 100 words each counted 1..10 times */
    }
    int32_t *map = malloc((size_t)v.n * sizeof *map);
    /* at most 501 rows: counts >= 6 leave 500 words and </s> */
    CHECK_EQ(vocab_reduce(&v, 501, 900, 8, map), 6);
    CHECK_EQ(v.n, 501);
    CHECK_EQ(map[0], 0);
    CHECK_EQ(map[1], -1);                       /* w0, counted once */
    CHECK_EQ(map[6], 1);                        /* w5, counted 6 times, first kept */
    CHECK_EQ(strindex_find(&v.words, "w5"), 1);
    CHECK_EQ(strindex_find(&v.words, "w999"), 500);
    CHECK_EQ(strindex_find(&v.words, "w4"), -1);
    CHECK_EQ(v.count[500], 10);
    int bad = 0;
    for (int64_t id = 1; id < 1001; id++) {
        bad += map[id] > id;                    /* ids never grow */
    }
    CHECK_EQ(bad, 0);
    /* target 101 needs a threshold of 10, past -min-count 8; counts >= 8 leave 301 rows,
     * fewer than the room of 400, so the threshold stays at 8 */
    CHECK_EQ(vocab_reduce(&v, 101, 400, 8, map), 8);
    CHECK_EQ(v.n, 301);
    /* with no room the threshold goes past -min-count */
    CHECK_EQ(vocab_reduce(&v, 101, 200, 8, map), 10);
    CHECK_EQ(v.n, 101);
    add(&v, "new", 1);
    CHECK_EQ(strindex_find(&v.words, "new"), 101);
    free(map);
    vocab_free(&v);
}

int main(void)
{
    RUN(test_eos_first);
    RUN(test_order_and_prune);
    RUN(test_max_vocab);
    RUN(test_many_words);
    RUN(test_save_read_roundtrip);
    RUN(test_read_errors);
    RUN(test_reduce);
    TEST_MAIN("vocab");
}
