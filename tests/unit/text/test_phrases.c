/* Unit tests of phrases: the two scores, a generated corpus with planted pairs (exactly the
 * pairs above the threshold are joined, never across a line end, the text otherwise kept
 * byte for byte), the memory budget, and tokens identical to training's. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/corpus.h"
#include "harness.h"
#include "text/phrases.h"
#include "base/rng.h"

static char dir[] = "/tmp/w2v-phrases-XXXXXX";

/* The generated corpus: lines of random filler words with planted pairs. */
#define GEN_LINES 3000
#define GEN_FILLER_TYPES 300
#define GEN_WORDS_PER_LINE 9
#define GEN_PLANTED 5          /* pairs pa<i> pb<i>, each GEN_PLANTED_TIMES times */
#define GEN_PLANTED_TIMES (GEN_LINES / 100)
#define GEN_WEAK_TIMES 20      /* qa qb together; qa and qb also GEN_WEAK_ALONE times alone */
#define GEN_WEAK_ALONE 400
#define GEN_RARE_TIMES 4       /* ra rb: below -min-count */
#define GEN_SEED 7

static const char *path_of(const char *name)
{
    static char buf[4][512];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 512, "%s/%s", dir, name);
    return p;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return calloc(1, 1);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = calloc(1, (size_t)n + 1);
    if (fread(s, 1, (size_t)n, f) != (size_t)n) {
        s[0] = '\0';
    }
    fclose(f);
    return s;
}

static void write_file(const char *path, const char *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(data, 1, n, f) == n);
    fclose(f);
}

/* Appends to 'f' one line: "lb" first if 'lead', GEN_WORDS_PER_LINE filler words with
 * 'extra' (if not NULL) at a random place among them, and 'last' (if not NULL) last. */
static void gen_line(FILE *f, struct rng *r, bool lead, const char *extra, const char *last)
{
    uint32_t at = rng_below(r, GEN_WORDS_PER_LINE + 1);
    const char *sep = "";
    if (lead) {
        fputs("lb", f);
        sep = " ";
    }
    for (uint32_t i = 0; i <= GEN_WORDS_PER_LINE; i++) {
        if (i == at && extra != NULL) {
            fprintf(f, "%s%s", sep, extra);
            sep = " ";
        }
        if (i < GEN_WORDS_PER_LINE) {
            fprintf(f, "%sf%u", sep, rng_below(r, GEN_FILLER_TYPES));
            sep = " ";
        }
    }
    if (last != NULL) {
        fprintf(f, "%s%s", sep, last);
    }
    fputc('\n', f);
}

/* Writes the planted corpus to 'path'. Line k carries one planted item chosen by k; "la"
 * ends GEN_PLANTED_TIMES lines that are followed by a line starting with "lb". */
static void gen_corpus(const char *path, bool frequent_pair)
{
    FILE *f = fopen(path, "wb");
    struct rng r;
    rng_seed(&r, GEN_SEED, 0);
    char extra[64];
    bool lb_next = false;
    for (int k = 0; k < GEN_LINES; k++) {
        const char *e = NULL;
        int slot = k % 100;
        if (slot < GEN_PLANTED) {
            snprintf(extra, sizeof extra, "pa%d pb%d", slot, slot);
            e = extra;
        } else if (slot == 10 && k / 100 < GEN_WEAK_TIMES) {
            e = "qa qb";
        } else if (slot >= 20 && slot < 20 + 2 * GEN_WEAK_ALONE / (GEN_LINES / 100)) {
            e = slot % 2 ? "qa" : "qb";
        } else if (slot == 80 && k / 100 < GEN_RARE_TIMES) {
            e = "ra rb";
        }
        bool lead = lb_next;
        lb_next = slot == 90 || slot == 91;
        gen_line(f, &r, lead, frequent_pair && e == NULL ? "za zb" : e, lb_next ? "la" : NULL);
    }
    fclose(f);
}

/* Runs both passes on 'in' with 'cfg'; returns the output text (or NULL on failure) and
 * leaves the finder in '*pp' for inspection. */
static char *run(const struct phrases_config *cfg, const char *in, struct phrases **pp)
{
    struct phrases *p = phrases_new(cfg);
    struct w2v_err err = {{0}, 0};
    struct outfile of;
    char *text = NULL;
    if (phrases_count(p, in, NULL, &err) == 0 &&
        outfile_open(&of, path_of("out.txt"), false, &err) == 0) {
        if (phrases_write(p, &of, NULL, &err) == 0 && outfile_commit(&of, &err) == 0) {
            text = slurp(path_of("out.txt"));
        } else {
            outfile_abort(&of);
        }
    }
    if (text == NULL) {
        fprintf(stderr, "  phrases failed: %s\n", err.msg);
    }
    if (pp != NULL) {
        *pp = p;
    } else {
        phrases_free(p);
    }
    return text;
}

/* Each distinct joined token of 'text', space-separated and sorted, and the number of
 * joined tokens in '*joined'. */
static char *joined_types(const char *text, int *joined)
{
    char *copy = strdup(text);
    char *types[1024];
    int n = 0;
    *joined = 0;
    for (char *t = strtok(copy, " \n"); t != NULL; t = strtok(NULL, " \n")) {
        if (strchr(t, '_') == NULL) {
            continue;
        }
        (*joined)++;
        int i = 0;
        while (i < n && strcmp(types[i], t) != 0) {
            i++;
        }
        if (i == n && n < 1024) {
            types[n++] = t;
        }
    }
    for (int i = 1; i < n; i++) {
        for (int j = i; j > 0 && strcmp(types[j - 1], types[j]) > 0; j--) {
            char *x = types[j];
            types[j] = types[j - 1];
            types[j - 1] = x;
        }
    }
    char *out = calloc(1, 16384);
    for (int i = 0; i < n; i++) {
        strcat(out, i ? " " : "");
        strcat(out, types[i]);
    }
    free(copy);
    return out;
}

/* The output is the input with some spaces turned into '_'. */
static bool only_spaces_joined(const char *in, const char *out)
{
    if (strlen(in) != strlen(out)) {
        return false;
    }
    for (size_t i = 0; in[i] != '\0'; i++) {
        if (in[i] != out[i] && !(in[i] == ' ' && out[i] == '_')) {
            return false;
        }
    }
    return true;
}

static bool is_minus_inf(double x)
{
    return isinf(x) && x < 0;
}

static const char planted[] = "pa0_pb0 pa1_pb1 pa2_pb2 pa3_pb3 pa4_pb4";

static void test_scores(void)
{
    struct phrases_config c = {.scoring = PHRASES_WORD2VEC, .threshold = 100, .min_count = 5};
    CHECK_NEAR(phrases_score(&c, 100, 50, 20, 10000), 15.0 / 100 / 50 * 10000, 1e-12);
    CHECK(is_minus_inf(phrases_score(&c, 100, 50, 4, 10000)));
    CHECK(is_minus_inf(phrases_score(&c, 4, 50, 5, 10000)));
    CHECK_NEAR(phrases_score(&c, 100, 50, 5, 10000), 0.0, 1e-12);
    c.scoring = PHRASES_NPMI;
    CHECK_NEAR(phrases_score(&c, 40, 40, 40, 30000), 1.0, 1e-12);
    /* independent words: p(ab) = p(a) p(b) */
    CHECK_NEAR(phrases_score(&c, 100, 100, 5, 2000), 0.0, 1e-12);
    CHECK_NEAR(phrases_score(&c, 100, 200, 10, 1000),
               log((10.0 / 1000) / (0.1 * 0.2)) / -log(10.0 / 1000), 1e-12);
    CHECK(is_minus_inf(phrases_score(&c, 100, 100, 4, 1000)));
}

static void test_planted(void)
{
    const char *in = path_of("planted.txt");
    gen_corpus(in, false);
    char *src = slurp(in);
    struct phrases_config c = {.scoring = PHRASES_WORD2VEC, .threshold = 100, .min_count = 5,
                               .memory = 64 << 20};
    struct phrases *p = NULL;
    char *out = run(&c, in, &p);
    CHECK(out != NULL);
    if (out != NULL) {
        int joined = 0;
        char *types = joined_types(out, &joined);
        if (strcmp(types, planted) != 0) {
            fprintf(stderr, "  joined '%s', want '%s'\n", types, planted);
            CHECK(0);
        }
        CHECK_EQ(joined, GEN_PLANTED * GEN_PLANTED_TIMES);
        CHECK(only_spaces_joined(src, out));
        free(types);
    }
    const struct phrases_stats *st = phrases_get_stats(p);
    CHECK_EQ(st->lines, GEN_LINES);
    CHECK_EQ(st->prunes, 0);
    CHECK_EQ(st->joined, GEN_PLANTED * GEN_PLANTED_TIMES);
    CHECK_EQ(phrases_pair_count(p, "pa0", "pb0"), GEN_PLANTED_TIMES);
    CHECK_EQ(phrases_pair_count(p, "qa", "qb"), GEN_WEAK_TIMES);
    CHECK_EQ(phrases_pair_count(p, "ra", "rb"), GEN_RARE_TIMES);
    /* "la" ends a line, "lb" starts the next: never a pair */
    CHECK(phrases_word_count(p, "la") >= GEN_PLANTED_TIMES);
    CHECK_EQ(phrases_pair_count(p, "la", "lb"), 0);
    phrases_free(p);
    /* npmi: the planted pairs score 1, the weak pair about 0.17 */
    c.scoring = PHRASES_NPMI;
    c.threshold = 0.5;
    free(out);
    out = run(&c, in, NULL);
    if (out != NULL) {
        int joined = 0;
        char *types = joined_types(out, &joined);
        CHECK(strcmp(types, planted) == 0);
        CHECK(only_spaces_joined(src, out));
        free(types);
    }
    free(out);
    free(src);
}

/* A budget far below the counts: the tables are cut, the text is still intact, and a pair
 * on every line keeps its count within what was dropped. */
static void test_budget(void)
{
    const char *in = path_of("frequent.txt");
    gen_corpus(in, true);
    char *src = slurp(in);
    struct phrases_config c = {.scoring = PHRASES_WORD2VEC, .threshold = 2, .min_count = 5,
                               .memory = 96 << 10};
    struct phrases *p = NULL;
    char *out = run(&c, in, &p);
    const struct phrases_stats *st = phrases_get_stats(p);
    CHECK(st->prunes > 0);
    CHECK(st->peak_bytes <= c.memory);
    CHECK(out != NULL && only_spaces_joined(src, out));
    int64_t planted_zz = 0;
    for (const char *q = strstr(src, "za zb"); q != NULL; q = strstr(q + 1, "za zb")) {
        planted_zz++;
    }
    /* cut at most once per prune while its count was still low */
    int64_t zz = phrases_pair_count(p, "za", "zb");
    CHECK(planted_zz > GEN_LINES / 2);
    CHECK(zz >= planted_zz - st->dropped_at * st->prunes && zz <= planted_zz);
    CHECK(out != NULL && strstr(out, "za_zb") != NULL);
    phrases_free(p);
    free(out);
    free(src);
}

/* Tokens as 'w2v train' reads them: the same separators and the same cut of long words. */
static void test_tokens_as_training(void)
{
    char text[700];
    size_t n = 0;
    const char head[] = "a\r\nb\tc\0d \v e\f\n\n  x  ";
    memcpy(text, head, sizeof head - 1);
    n += sizeof head - 1;
    for (int i = 0; i < 150; i++) { /* 300 bytes of 2-byte characters */
        text[n++] = (char)0xC3;
        text[n++] = (char)0xA9;
    }
    memcpy(text + n, " y", 2);
    n += 2;
    const char *in = path_of("tok.txt");
    write_file(in, text, n);
    struct phrases_config c = {.scoring = PHRASES_WORD2VEC, .threshold = 100, .min_count = 5,
                               .memory = 1 << 20};
    char *out = run(&c, in, NULL);
    struct vocab v;
    vocab_init(&v);
    struct idstream s;
    idstream_init(&s, SIZE_MAX, NULL);
    struct corpus_stats st = {0};
    struct w2v_err err;
    CHECK_EQ(corpus_read(in, &v, false, &s, NULL, &st, &err), 0);
    CHECK_EQ(idstream_finish(&s, &err), 0);
    /* Rebuild the output from training's tokens: words joined by ' ', line ends '\n'. */
    char want[700] = "";
    bool open = false;
    struct idreader rd = {0};
    CHECK_EQ(idreader_open(&rd, &s, 0, s.n, &err), 0);
    for (int64_t i = 0; i < s.n; i++) {
        int32_t id = (int32_t)idreader_next(&rd);
        if (id == 0) {
            strcat(want, "\n");
            open = false;
        } else {
            strcat(want, open ? " " : "");
            strcat(want, vocab_word(&v, id));
            open = true;
        }
    }
    idreader_close(&rd);
    /* The input ends without '\n': training ends its last sentence there all the same. */
    size_t wl = strlen(want);
    if (wl > 0 && want[wl - 1] == '\n') {
        want[wl - 1] = '\0';
    }
    CHECK(out != NULL && strcmp(out, want) == 0);
    CHECK(st.truncated == 1);
    idstream_free(&s);
    vocab_free(&v);
    free(out);
}

int main(void)
{
    harness_scratch(dir);
    RUN(test_scores);
    RUN(test_planted);
    RUN(test_budget);
    RUN(test_tokens_as_training);
    harness_scratch_remove(dir);
    TEST_MAIN("phrases");
}
