/* Unit tests of eval: accuracies and correlations worked out by hand, on loaded and mapped
 * files; comment lines, files without questions, and Unicode case folding as gensim
 * applies it (Python's str.upper). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "query/embed.h"
#include "query/eval.h"
#include "harness.h"
#include "toyvec.h"

static const char questions[] = ": royal\n"
                                "MAN KING WOMAN QUEEN\n"
                                "man king woman prince\n"
                                "man king woman unknownword\n"
                                "\n"
                                "# a comment line, skipped\n"
                                ": gram-test\n"
                                "  # an indented one\n"
                                "king queen man woman\n";

static void eval_analogy_on(bool mapped)
{
    struct embed e;
    struct w2v_err err;
    CHECK_EQ(toy_load(&e, mapped, true), 0);
    CHECK((e.map != NULL) == mapped);
    const char *q = put_str("q.txt", questions);
    for (int mul = 0; mul <= 1; mul++) {
        struct eval_analogies r;
        CHECK_EQ(eval_analogy(&e, q, 30000, mul, false, 2, &r, &err), 0);
        CHECK_EQ(r.nsections, 2);
        CHECK_EQ(r.total, 4);
        CHECK_EQ(r.used, 3);
        CHECK_EQ(r.correct, 2);
        CHECK_EQ(r.sem_used, 2);
        CHECK_EQ(r.sem_correct, 1);
        CHECK_EQ(r.syn_used, 1);
        CHECK_EQ(r.syn_correct, 1);
        CHECK(r.nsections == 2 && strcmp(r.sections[1].name, "gram-test") == 0);
        eval_analogies_free(&r);
    }
    /* restricted to the first 4 rows, the question naming prince is skipped */
    struct eval_analogies r;
    CHECK_EQ(eval_analogy(&e, q, 4, false, false, 1, &r, &err), 0);
    CHECK_EQ(r.used, 2);
    CHECK_EQ(r.correct, 2);
    eval_analogies_free(&r);
    embed_free(&e);
}

static void test_eval_analogy(void)
{
    eval_analogy_on(false);
    eval_analogy_on(true);
}

static void test_eval_analogy_errors(void)
{
    struct embed e;
    struct w2v_err err;
    CHECK_EQ(embed_load(&e, put_str("ev.vec", toy_text), VEC_AUTO, 0, EMBED_COPY, &err), 0);
    struct eval_analogies r;
    CHECK_EQ(eval_analogy(&e, put_str("bad1.txt", ": s\na b c\n"), 0, false, false, 1, &r, &err), -1);
    CHECK(strstr(err.msg, "bad1.txt:2: expected 4 words") != NULL);
    CHECK_EQ(eval_analogy(&e, put_str("bad2.txt", "a b c d\n"), 0, false, false, 1, &r, &err), -1);
    CHECK(strstr(err.msg, "bad2.txt:1: question before the first ': section' line") != NULL);
    /* no question at all: an error, not an accuracy of 0 */
    static const char *const empty[] = {"", "\n\n", "# only a comment\n", ": lonely section\n"};
    for (size_t i = 0; i < sizeof empty / sizeof empty[0]; i++) {
        err.msg[0] = '\0';
        CHECK_EQ(eval_analogy(&e, put_str("empty.txt", empty[i]), 0, false, false, 1, &r, &err), -1);
        CHECK(strstr(err.msg, "empty.txt: no questions") != NULL);
    }
    CHECK_EQ(eval_analogy(&e, path_of("absent.txt"), 0, false, false, 1, &r, &err), -1);
    CHECK(strstr(err.msg, "absent.txt: No such file or directory") != NULL);
    embed_free(&e);
}

static void test_eval_pairs(void)
{
    struct embed e;
    struct w2v_err err;
    CHECK_EQ(embed_load(&e, put_str("p.vec", toy_text), VEC_AUTO, 0, EMBED_COPY, &err), 0);
    const char *p = put_str("pairs.txt", "# a comment\n"
                                         "king\tqueen\t5\n"
                                         "KING man 5\n"
                                         "king\tprince\t9\n"
                                         "king apple 1\n"
                                         "king paris 7\n"
                                         "king nothing 3\n");
    struct eval_pairs r;
    CHECK_EQ(eval_pairs(&e, p, 300000, false, &r, &err), 0);
    CHECK_EQ(r.used, 5);
    CHECK_EQ(r.total, 6);
    /* ranks (gold ties averaged): gold 2.5 2.5 5 1 4, model 1 3 5 2 4: r = 8 / sqrt(9.5 * 10) */
    CHECK_NEAR(r.spearman, 8 / sqrt(95.0), 1e-9);
    /* Pearson of the raw values, worked out by hand: 4.02347 / sqrt(35.2 * 0.660015) */
    CHECK_NEAR(r.pearson, 0.834742, 1e-5);
    CHECK_EQ(eval_pairs(&e, put_str("bad.txt", "king queen high\n"), 0, false, &r, &err), -1);
    CHECK(strstr(err.msg, "bad.txt:1: expected 'word word score'") != NULL);
    CHECK_EQ(eval_pairs(&e, put_str("nopairs.txt", "# nothing\n"), 0, false, &r, &err), -1);
    CHECK(strstr(err.msg, "nopairs.txt: no word pairs") != NULL);
    double x[] = {1, 2, 3, 4};
    double y[] = {4, 3, 2, 1};
    CHECK_NEAR(eval_spearman(x, y, 4), -1.0, 1e-12);
    CHECK(isnan(eval_spearman(x, y, 1)));
    embed_free(&e);
}

/* Words that differ only in non-ASCII case are the same word, as for gensim: the question
 * "österreich wien deutschland berlin" is asked of rows spelt Österreich, Wien, ... */
static void test_eval_case_folding(void)
{
    struct embed e;
    struct w2v_err err;
    const char *v = put_str("de.vec", "6 3\n"
                                      "\xc3\x96sterreich 1 1 0\n" /* Österreich */
                                      "Wien 1 1 1\n"
                                      "Deutschland 0 1 0\n"
                                      "Berlin 0 1 1\n"
                                      "\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1 5 0 1\n" /* Αθήνα */
                                      "stra\xc3\x9f" "e -1 2 0\n"); /* straße */
    CHECK_EQ(embed_load(&e, v, VEC_AUTO, 0, EMBED_COPY, &err), 0);
    struct eval_analogies r;
    const char *q = put_str("de.txt", ": capitals\n"
                                      "\xc3\xb6sterreich wien deutschland berlin\n"
                                      "DEUTSCHLAND BERLIN \xc3\x96STERREICH WIEN\n");
    CHECK_EQ(eval_analogy(&e, q, 0, false, false, 1, &r, &err), 0);
    CHECK_EQ(r.total, 2);
    CHECK_EQ(r.used, 2);
    CHECK_EQ(r.correct, 2);
    eval_analogies_free(&r);
    /* pairs: ΑΘΉΝΑ (upper-case eta with tonos) and STRASSE (ß becomes SS) */
    const char *p = put_str("de-pairs.txt", "\xce\x91\xce\x98\xce\x89\xce\x9d\xce\x91 wien 1\n"
                                            "STRASSE berlin 2\n"
                                            "\xc3\xb6sterreich berlin 3\n");
    struct eval_pairs pr;
    CHECK_EQ(eval_pairs(&e, p, 0, false, &pr, &err), 0);
    CHECK_EQ(pr.total, 3);
    CHECK_EQ(pr.used, 3);
    embed_free(&e);
}

int main(void)
{
    harness_scratch(toy_dir);
    RUN(test_eval_analogy);
    RUN(test_eval_analogy_errors);
    RUN(test_eval_pairs);
    RUN(test_eval_case_folding);
    harness_scratch_remove(toy_dir);
    TEST_MAIN("eval");
}
