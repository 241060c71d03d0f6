/* Unit tests of idstream: the byte code round trip at every code length, slices read back
 * from memory and from the spill file alike, in-place remapping (by one thread and by
 * several), spilling after the fact, and a spill directory that cannot be used. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "text/idstream.h"
#include "base/rng.h"

/* Enough ids for several blocks. */
#define N_IDS 3000000

static char dir[] = "/tmp/w2v-idstream-XXXXXX";

/* Ids of every code length: mostly small, as in a corpus, a few up to 2^31 - 1. */
static uint32_t id_at(struct rng *r)
{
    uint64_t x = rng_next(r);
    switch (x % 8) {
    case 0: return (uint32_t)(x >> 33);        /* up to 2^31 - 1: 5 bytes */
    case 1: return (uint32_t)(x >> 40) % 3000000;
    case 2: return (uint32_t)(x >> 40) % 16384;
    default: return (uint32_t)(x >> 40) % 128;
    }
}

static void fill(struct idstream *s, uint64_t seed)
{
    struct rng r;
    rng_seed(&r, seed, 0);
    struct w2v_err err;
    for (int64_t i = 0; i < N_IDS; i++) {
        CHECK_EQ(idstream_push(s, id_at(&r), &err), 0);
    }
    CHECK_EQ(idstream_finish(s, &err), 0);
}

/* Reads the slice [begin, end) and compares it with the ids the seed gives. */
static void expect_slice(const struct idstream *s, uint64_t seed, int64_t begin, int64_t end)
{
    struct rng r;
    rng_seed(&r, seed, 0);
    for (int64_t i = 0; i < begin; i++) {
        id_at(&r);
    }
    struct idreader rd = {0};
    struct w2v_err err;
    CHECK_EQ(idreader_open(&rd, s, begin, end, &err), 0);
    int64_t bad = 0;
    for (int64_t i = begin; i < end; i++) {
        bad += idreader_next(&rd) != (int64_t)id_at(&r);
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(idreader_next(&rd), -1);
    idreader_close(&rd);
}

static int files_in_dir(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
        n += e->d_name[0] != '.';
    }
    if (d != NULL) {
        closedir(d);
    }
    return n;
}

static void test_memory_and_spilled_agree(void)
{
    struct idstream mem;
    struct idstream disk;
    idstream_init(&mem, SIZE_MAX, dir);
    idstream_init(&disk, 0, dir);
    fill(&mem, 5);
    fill(&disk, 5);
    CHECK(!idstream_spilled(&mem));
    CHECK(idstream_spilled(&disk));
    CHECK(disk.nblk > 3);
    CHECK_EQ(mem.n, N_IDS);
    CHECK_EQ(disk.n, N_IDS);
    CHECK_EQ(mem.bytes, disk.bytes);
    /* the spill file is unlinked as soon as it exists */
    CHECK_EQ(files_in_dir(), 0);
    /* a whole stream, and slices cut anywhere (inside blocks and at their edges) */
    const struct idstream *both[2] = {&mem, &disk};
    for (int k = 0; k < 2; k++) {
        expect_slice(both[k], 5, 0, N_IDS);
        expect_slice(both[k], 5, N_IDS / 3, 2 * N_IDS / 3);
        expect_slice(both[k], 5, both[k]->blk[2].first, both[k]->blk[2].first + 1);
        expect_slice(both[k], 5, N_IDS - 1, N_IDS);
        expect_slice(both[k], 5, 7, 7);
        expect_slice(both[k], 5, both[k]->blk[1].first - 1, both[k]->blk[1].first + 1);
        for (int64_t at = 1; at < N_IDS; at = at * 3 + 1) {
            expect_slice(both[k], 5, at, at + 1000 < N_IDS ? at + 1000 : N_IDS);
        }
    }
    idstream_free(&mem);
    idstream_free(&disk);
}

/* The id pushed at position i of test_remap_threads: the first half of the stream takes
 * ids below 100, the second half ids from 100. */
static uint32_t half_id(int64_t i)
{
    return (uint32_t)((i < N_IDS / 2 ? 0 : 100) + i * 13 % 100);
}

/* Remapping with several threads gives the stream one thread gives, on a stream whose
 * first 40 blocks stay in memory and the rest are spilled, under a map that drops ids,
 * keeps the codes of the first half's ids the same length (their blocks are recoded by
 * the threads) and lengthens the second half's (recoded by the calling thread, in memory
 * and in the spill file). */
static void test_remap_threads(void)
{
    enum { IDS = 200 };
    static int32_t map[IDS];
    for (int i = 0; i < IDS; i++) {
        map[i] = i % 5 == 2 ? -1 : (i < 100 ? 99 - i : 20000 + i * 37);
    }
    struct idstream s[2];
    struct w2v_err err;
    for (int k = 0; k < 2; k++) {
        idstream_init(&s[k], (size_t)40 * IDSTREAM_BLOCK, dir);
        idstream_set_threads(&s[k], k == 0 ? 1 : 3);
        for (int64_t i = 0; i < N_IDS; i++) {
            CHECK_EQ(idstream_push(&s[k], half_id(i), &err), 0);
        }
        CHECK_EQ(idstream_finish(&s[k], &err), 0);
        CHECK(idstream_spilled(&s[k]));
        CHECK(s[k].blk[0].mem != NULL);
        CHECK_EQ(idstream_remap(&s[k], map, &err), 0);
    }
    CHECK_EQ(s[0].n, s[1].n);
    CHECK_EQ(s[0].bytes, s[1].bytes);
    CHECK_EQ(s[0].mem_bytes, s[1].mem_bytes);
    struct idreader rd[2] = {{0}, {0}};
    CHECK_EQ(idreader_open(&rd[0], &s[0], 0, s[0].n, &err), 0);
    CHECK_EQ(idreader_open(&rd[1], &s[1], 0, s[1].n, &err), 0);
    int64_t bad = 0;
    int64_t wrong = 0;
    for (int64_t i = 0; i < N_IDS; i++) {
        int32_t want = map[half_id(i)];
        if (want >= 0) {
            int64_t a = idreader_next(&rd[0]);
            bad += idreader_next(&rd[1]) != a;
            wrong += a != want;
        }
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(wrong, 0);
    CHECK_EQ(idreader_next(&rd[1]), -1);
    for (int k = 0; k < 2; k++) {
        idreader_close(&rd[k]);
        idstream_free(&s[k]);
    }
}

static void test_remap_in_place(void)
{
    static int32_t map[200];
    for (int i = 0; i < 200; i++) {
        map[i] = i % 3 == 1 ? -1 : i - i / 3; /* drops every third id, the rest move down */
    }
    for (int spill = 0; spill < 2; spill++) {
        struct idstream s;
        idstream_init(&s, spill ? 0 : SIZE_MAX, dir);
        struct w2v_err err;
        int64_t kept = 0;
        for (int64_t i = 0; i < N_IDS; i++) {
            uint32_t id = (uint32_t)(i * 7 % 200);
            kept += map[id] >= 0;
            CHECK_EQ(idstream_push(&s, id, &err), 0);
        }
        /* remapped while the last block is still open, then appended to */
        CHECK_EQ(idstream_remap(&s, map, &err), 0);
        CHECK_EQ(s.n, kept);
        CHECK_EQ(idstream_push(&s, 150, &err), 0);
        CHECK_EQ(idstream_finish(&s, &err), 0);
        struct idreader rd = {0};
        CHECK_EQ(idreader_open(&rd, &s, 0, s.n, &err), 0);
        int64_t bad = 0;
        for (int64_t i = 0; i < N_IDS; i++) {
            int32_t want = map[i * 7 % 200];
            if (want >= 0) {
                bad += idreader_next(&rd) != want;
            }
        }
        CHECK_EQ(bad, 0);
        CHECK_EQ(idreader_next(&rd), 150);
        CHECK_EQ(idreader_next(&rd), -1);
        idreader_close(&rd);
        idstream_free(&s);
    }
}

static void test_spill_later(void)
{
    struct idstream s;
    idstream_init(&s, SIZE_MAX, dir);
    fill(&s, 9);
    size_t before = idstream_mem_bytes(&s);
    struct w2v_err err;
    CHECK_EQ(idstream_set_limit(&s, 2 * IDSTREAM_BLOCK, &err), 0);
    CHECK(idstream_spilled(&s));
    CHECK(idstream_mem_bytes(&s) < before);
    CHECK(s.mem_bytes <= 2 * IDSTREAM_BLOCK);
    expect_slice(&s, 9, 0, N_IDS);
    idstream_free(&s);
}

static void test_bad_spill_dir(void)
{
    char missing[600];
    snprintf(missing, sizeof missing, "%s/missing", dir);
    struct idstream s;
    idstream_init(&s, 0, missing);
    struct w2v_err err = {{0}, 0};
    int rc = 0;
    for (int64_t i = 0; i < N_IDS && rc == 0; i++) {
        rc = idstream_push(&s, 1, &err);
    }
    CHECK_EQ(rc, -1);
    CHECK(strstr(err.msg, missing) == err.msg);
    CHECK(strstr(err.msg, "No such file or directory") != NULL);
    idstream_free(&s);
    CHECK_EQ(files_in_dir(), 0);
}

int main(void)
{
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    RUN(test_memory_and_spilled_agree);
    RUN(test_remap_in_place);
    RUN(test_remap_threads);
    RUN(test_spill_later);
    RUN(test_bad_spill_dir);
    rmdir(dir);
    TEST_MAIN("idstream");
}
