/* Unit tests of strindex: ids in append order, lookups, duplicates resolve to the first,
 * growth across many strings, strings with arbitrary bytes. */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "base/strindex.h"

static int64_t append(struct strindex *x, const char *s)
{
    return strindex_append_h(x, s, strlen(s), strindex_hash(s, strlen(s)));
}

static void test_append_and_find(void)
{
    struct strindex x;
    strindex_init(&x, 0, 0);
    CHECK_EQ(append(&x, "alpha"), 0);
    CHECK_EQ(append(&x, "beta"), 1);
    CHECK_EQ(append(&x, ""), 2);
    CHECK_EQ(x.n, 3);
    CHECK_EQ(strindex_find(&x, "alpha"), 0);
    CHECK_EQ(strindex_find(&x, "beta"), 1);
    CHECK_EQ(strindex_find(&x, ""), 2);
    CHECK_EQ(strindex_find(&x, "alph"), -1);
    CHECK_EQ(strindex_find(&x, "alphabet"), -1);
    CHECK(strcmp(strindex_str(&x, 1), "beta") == 0);
    /* a prefix of a held string is a different string */
    CHECK_EQ(strindex_find_h(&x, "alphabet", 5, strindex_hash("alpha", 5)), 0);
    strindex_free(&x);
}

/* Slots hold a tag of the hash, not the string: strings whose hashes are equal (forced
 * here) are still told apart by their text, on the same probe path. */
static void test_equal_hashes(void)
{
    struct strindex x;
    strindex_init(&x, 0, 0);
    uint64_t h = strindex_hash("alpha", 5);
    CHECK_EQ(strindex_append_h(&x, "alpha", 5, h), 0);
    CHECK_EQ(strindex_find_h(&x, "gamma", 5, h), -1);
    CHECK_EQ(strindex_append_h(&x, "gamma", 5, h), 1);
    CHECK_EQ(strindex_find_h(&x, "gamma", 5, h), 1);
    CHECK_EQ(strindex_find_h(&x, "alpha", 5, h), 0);
    CHECK_EQ(strindex_find_h(&x, "delta", 5, h), -1);
    CHECK_EQ(strindex_peek(&x, h), 0);
    CHECK_EQ(strindex_peek(&x, strindex_hash("delta", 5)), -1);
    strindex_free(&x);
}

static void test_duplicates_find_first(void)
{
    struct strindex x;
    strindex_init(&x, 0, 0);
    append(&x, "a");
    append(&x, "dup");
    CHECK_EQ(append(&x, "dup"), 2);
    /* enough strings to grow the table several times: the first "dup" stays first */
    char w[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(w, sizeof w, "w%d", i);
        append(&x, w);
    }
    CHECK_EQ(append(&x, "dup"), 5003);
    CHECK_EQ(strindex_find(&x, "dup"), 1);
    int added = -1;
    CHECK_EQ(strindex_intern_h(&x, "dup", 3, strindex_hash("dup", 3), &added), 1);
    CHECK_EQ(added, 0);
    CHECK_EQ(strindex_intern_h(&x, "new", 3, strindex_hash("new", 3), &added), x.n - 1);
    CHECK_EQ(added, 1);
    strindex_free(&x);
}

static void test_many(void)
{
    struct strindex x;
    strindex_init(&x, 10, 10);
    char w[32];
    enum { N = 200000 };
    for (int i = 0; i < N; i++) {
        snprintf(w, sizeof w, "%x", i * 2654435761u);
        CHECK_EQ(append(&x, w), i);
    }
    int bad = 0;
    for (int i = 0; i < N; i++) {
        snprintf(w, sizeof w, "%x", i * 2654435761u);
        bad += strindex_find(&x, w) != i;
        bad += strcmp(strindex_str(&x, i), w) != 0;
    }
    CHECK_EQ(bad, 0);
    /* the table stays at most half full */
    CHECK((uint64_t)x.n * 2 <= x.mask + 1);
    CHECK(strindex_bytes(&x) > (size_t)N * sizeof(int32_t));
    strindex_free(&x);
}

static void test_bytes(void)
{
    struct strindex x;
    strindex_init(&x, 0, 0);
    const char odd[] = "\xc3\xa9t\xc3\xa9\x01\xff";
    CHECK_EQ(append(&x, odd), 0);
    CHECK_EQ(strindex_find(&x, odd), 0);
    CHECK_EQ(strindex_find(&x, "\xc3\xa9t\xc3\xa9"), -1);
    strindex_free(&x);
}

int main(void)
{
    RUN(test_equal_hashes);
    RUN(test_append_and_find);
    RUN(test_duplicates_find_first);
    RUN(test_many);
    RUN(test_bytes);
    TEST_MAIN("strindex");
}
