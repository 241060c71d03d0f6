/* Unit tests of util: file identity (same_file, follow_links), number formatting and
 * size arithmetic. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "base/util.h"

static char dir[64];

static const char *at(const char *name)
{
    static char buf[4][256];
    static int k = 0;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void touch(const char *path)
{
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f != NULL) {
        fputs("x\n", f);
        fclose(f);
    }
}

static void test_same_file(void)
{
    touch(at("a"));
    touch(at("b"));
    CHECK(same_file(at("a"), at("a")));
    CHECK(!same_file(at("a"), at("b")));
    /* Hard and symbolic links to the same file are the same file. */
    CHECK_EQ(link(at("a"), at("hard")), 0);
    CHECK(same_file(at("a"), at("hard")));
    CHECK_EQ(symlink("a", at("soft")), 0);
    CHECK(same_file(at("soft"), at("a")));
    CHECK(same_file(at("soft"), at("hard")));
    /* Names of files that do not exist yet compare by resolved path. */
    char odd[300];
    snprintf(odd, sizeof odd, "%s/./new", dir);
    CHECK(same_file(at("new"), odd));
    CHECK(!same_file(at("new"), at("new2")));
    CHECK_EQ(symlink("new", at("dangling")), 0);
    CHECK(same_file(at("dangling"), at("new")));
    /* An existing file and a missing one differ; /dev/null may be shared. */
    CHECK(!same_file(at("a"), at("new")));
    CHECK(!same_file("/dev/null", "/dev/null"));
}

static void test_follow_links(void)
{
    char *p = follow_links(at("dangling"));
    CHECK(strcmp(p, at("new")) == 0);
    free(p);
    p = follow_links(at("a"));
    CHECK(strcmp(p, at("a")) == 0);
    free(p);
    CHECK_EQ(symlink("loop2", at("loop1")), 0);
    CHECK_EQ(symlink("loop1", at("loop2")), 0);
    p = follow_links(at("loop1")); /* a cycle stops after the hop limit */
    CHECK(p != NULL);
    free(p);
}

static void test_formatting(void)
{
    char buf[32];
    CHECK(strcmp(fmt_bytes(buf, sizeof buf, 512), "512 B") == 0);
    CHECK(strcmp(fmt_bytes(buf, sizeof buf, 1536), "1.5 KiB") == 0);
    CHECK(strcmp(fmt_count(buf, sizeof buf, 1400000), "1.4M") == 0);
    size_t out = 7;
    CHECK(!mul_size(SIZE_MAX / 2, 3, &out));
    CHECK_EQ(out, 7);
    CHECK(mul_size(6, 7, &out));
    CHECK_EQ(out, 42);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/w2v-test-util-XXXXXX");
    harness_scratch(dir);
    RUN(test_same_file);
    RUN(test_follow_links);
    RUN(test_formatting);
    harness_scratch_remove(dir);
    TEST_MAIN("util");
}
