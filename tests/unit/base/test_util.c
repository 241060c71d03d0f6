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

/* Writes 'text' to 'path' under the scratch directory, making its directories. */
static void put(const char *path, const char *text)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mkdir -p \"$(dirname '%s/%s')\"", dir, path);
    CHECK_EQ(system(cmd), 0);
    char full[512];
    snprintf(full, sizeof full, "%s/%s", dir, path);
    FILE *f = fopen(full, "w");
    CHECK(f != NULL);
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
}

static size_t cgroup_limit(const char *self, const char *root)
{
    char s[512];
    char r[512];
    snprintf(s, sizeof s, "%s/%s", dir, self);
    snprintf(r, sizeof r, "%s/%s", dir, root);
    return memory_cgroup_limit(s, r);
}

/* The cgroup's memory limit: v2 (the smallest of the group's and its parents' memory.max,
 * "max" for none), v1's memory controller, systemd's hybrid layout; none when unreadable. */
static void test_cgroup_limit(void)
{
    put("v2/self", "0::/a/b\n");
    put("v2/fs/memory.max", "max\n");
    put("v2/fs/a/memory.max", "3000000\n");
    put("v2/fs/a/b/memory.max", "max\n");
    CHECK_EQ(cgroup_limit("v2/self", "v2/fs"), 3000000);
    put("v2/fs/a/b/memory.max", "2000000\n");
    CHECK_EQ(cgroup_limit("v2/self", "v2/fs"), 2000000);
    put("v1/self", "9:name=systemd:/\n4:memory:/job/x\n0::/\n");
    put("v1/fs/memory/job/x/memory.limit_in_bytes", "9223372036854771712\n");
    put("v1/fs/memory/job/memory.limit_in_bytes", "1000000\n");
    CHECK_EQ(cgroup_limit("v1/self", "v1/fs"), 1000000);
    put("hy/self", "4:memory:/\n0::/svc\n");
    put("hy/fs/unified/svc/memory.max", "5000000\n");
    CHECK_EQ(cgroup_limit("hy/self", "hy/fs"), 5000000);
    put("none/self", "0::/\n");
    CHECK(cgroup_limit("none/self", "none/fs") == SIZE_MAX);
    CHECK(cgroup_limit("absent/self", "absent/fs") == SIZE_MAX);
    put("bad/self", "0::/g\n");
    put("bad/fs/g/memory.max", "lots\n");
    CHECK(cgroup_limit("bad/self", "bad/fs") == SIZE_MAX);
    const char *which = NULL;
    CHECK(memory_limit(&which) > 0);
    CHECK(which != NULL);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/w2v-test-util-XXXXXX");
    harness_scratch(dir);
    RUN(test_same_file);
    RUN(test_follow_links);
    RUN(test_formatting);
    RUN(test_cgroup_limit);
    harness_scratch_remove(dir);
    TEST_MAIN("util");
}
