/* gencorpus: writes an English-like synthetic corpus with planted relations, for the demo
 * and the tests. People differ by gender (he/his/she/her contexts) and by rank (royal or
 * common contexts), so that king - man + woman lands on queen; countries come with their
 * capitals, languages and currencies; verbs appear in present and past tense with matching
 * time words. Output is deterministic for a given seed.
 *
 * usage: gencorpus [SENTENCES [SEED]]   (defaults 100000 and 1), text on stdout. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Number of elements of a static array. */
#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define DEFAULT_SENTENCES 100000

/* Counterparts: a male and a female word of one rank, sharing a word of their own. */
struct pair {
    const char *male, *female, *shared;
    int royal; /* 0 common, 1 royal */
};

static const struct pair pairs[] = {
    {"king", "queen", "crown", 1},        {"prince", "princess", "heir", 1},
    {"emperor", "empress", "empire", 1},  {"duke", "duchess", "duchy", 1},
    {"man", "woman", "people", 0},        {"boy", "girl", "school", 0},
    {"father", "mother", "family", 0},    {"son", "daughter", "child", 0},
    {"brother", "sister", "sibling", 0},  {"husband", "wife", "marriage", 0},
    {"uncle", "aunt", "cousin", 0},       {"monk", "nun", "abbey", 0},
};

struct person {
    const char *word;
    const char *shared;
    int female; /* 0 male, 1 female */
    int royal;
};

static struct person any_person(void);

static const char *const subject_pronoun[] = {"he", "she"};
static const char *const object_pronoun[] = {"him", "her"};
static const char *const possessive[] = {"his", "her"};
static const char *const gender_words[][4] = {
    {"himself", "gentleman", "beard", "masculine"},
    {"herself", "lady", "dress", "feminine"},
};
static const char *const rank_places[][6] = {
    {"village", "farm", "market", "street", "house", "field"},
    {"palace", "castle", "throne", "court", "kingdom", "realm"},
};
static const char *const rank_things[][6] = {
    {"bread", "cart", "tools", "sheep", "wages", "cottage"},
    {"crown", "sceptre", "jewels", "army", "subjects", "robes"},
};
static const char *const rank_verbs[][4] = {
    {"worked", "laboured", "traded", "harvested"},
    {"ruled", "reigned", "commanded", "decreed"},
};

struct country {
    const char *name, *capital, *language, *currency, *region;
};

static const struct country countries[] = {
    {"france", "paris", "french", "franc", "europe"},
    {"germany", "berlin", "german", "mark", "europe"},
    {"italy", "rome", "italian", "lira", "europe"},
    {"spain", "madrid", "spanish", "peseta", "europe"},
    {"japan", "tokyo", "japanese", "yen", "asia"},
    {"china", "beijing", "chinese", "yuan", "asia"},
    {"russia", "moscow", "russian", "rouble", "asia"},
    {"egypt", "cairo", "arabic", "pound", "africa"},
    {"greece", "athens", "greek", "drachma", "europe"},
    {"portugal", "lisbon", "portuguese", "escudo", "europe"},
    {"poland", "warsaw", "polish", "zloty", "europe"},
    {"sweden", "stockholm", "swedish", "krona", "europe"},
};

struct verb {
    const char *present, *past, *object;
};

static const struct verb verbs[] = {
    {"walks", "walked", "road"},   {"writes", "wrote", "letter"}, {"reads", "read", "book"},
    {"sings", "sang", "song"},     {"eats", "ate", "meal"},       {"drinks", "drank", "water"},
    {"sees", "saw", "bird"},       {"takes", "took", "bag"},      {"gives", "gave", "gift"},
    {"builds", "built", "wall"},   {"paints", "painted", "picture"},
    {"plays", "played", "game"},   {"swims", "swam", "lake"},     {"runs", "ran", "race"},
};

static const char *const present_time[] = {"today", "now", "always", "usually"};
static const char *const past_time[] = {"yesterday", "once", "formerly", "earlier"};
static const char *const fillers[] = {"the", "a", "and", "then", "very", "with", "of", "in",
                                      "to", "old", "young", "good", "long", "small"};

/* A small linear congruential generator (Knuth's MMIX constants); the high bits are used. */
static uint64_t rng_state;

static int pick(int n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)((rng_state >> 33) % (uint64_t)n);
}

#define ANY(a) ((a)[pick(COUNT(a))])

static struct person any_person(void)
{
    const struct pair *q = &pairs[pick(COUNT(pairs))];
    int female = pick(2);
    struct person p = {female ? q->female : q->male, q->shared, female, q->royal};
    return p;
}

static void person_sentence(void)
{
    struct person person = any_person();
    const struct person *p = &person;
    int g = p->female;
    int r = p->royal;
    switch (pick(5)) {
    case 0:
        printf("the %s %s in the %s and %s %s %s %s\n", p->word, ANY(rank_verbs[r]),
               ANY(rank_places[r]), subject_pronoun[g], ANY(rank_verbs[r]), possessive[g],
               ANY(rank_things[r]));
        break;
    case 1:
        printf("%s %s the %s %s %s and the %s gave %s %s\n", ANY(fillers), ANY(fillers), p->word,
               possessive[g], ANY(rank_things[r]), ANY(rank_places[r]), object_pronoun[g],
               ANY(gender_words[g]));
        break;
    case 2:
        printf("%s said the %s was %s %s of the %s\n", subject_pronoun[g], p->word,
               ANY(gender_words[g]), ANY(fillers), ANY(rank_places[r]));
        break;
    case 3:
        printf("the %s of the %s %s %s %s in the %s\n", p->shared, p->word, ANY(rank_verbs[r]),
               object_pronoun[g], ANY(gender_words[g]), ANY(rank_places[r]));
        break;
    default:
        printf("%s %s the %s and %s %s %s\n", ANY(fillers), p->shared, p->word,
               possessive[g], p->shared, ANY(rank_things[r]));
        break;
    }
}

static void country_sentence(void)
{
    const struct country *c = &countries[pick(COUNT(countries))];
    switch (pick(4)) {
    case 0:
        printf("the capital of %s is %s in %s\n", c->name, c->capital, c->region);
        break;
    case 1:
        printf("people in %s speak %s and pay with the %s\n", c->capital, c->language,
               c->currency);
        break;
    case 2:
        printf("%s is a %s country and %s is %s city\n", c->name, c->language, c->capital,
               c->language);
        break;
    default:
        printf("%s %s the government of %s sits in %s\n", ANY(fillers), ANY(fillers), c->name,
               c->capital);
        break;
    }
}

static void verb_sentence(void)
{
    const struct verb *v = &verbs[pick(COUNT(verbs))];
    struct person person = any_person();
    const struct person *p = &person;
    if (pick(2)) {
        printf("%s the %s %s the %s %s\n", ANY(present_time), p->word, v->present, ANY(fillers),
               v->object);
    } else {
        printf("%s the %s %s the %s %s\n", ANY(past_time), p->word, v->past, ANY(fillers),
               v->object);
    }
}

int main(int argc, char **argv)
{
    long sentences = argc > 1 ? strtol(argv[1], NULL, 10) : DEFAULT_SENTENCES;
    rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : 1;
    if (sentences <= 0) {
        fprintf(stderr, "gencorpus: SENTENCES must be a positive number\n");
        return 2;
    }
    for (long i = 0; i < sentences; i++) {
        int kind = pick(10);
        if (kind < 6) {
            person_sentence();
        } else if (kind < 8) {
            country_sentence();
        } else {
            verb_sentence();
        }
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
