#include <catch2/catch.hpp>

#include "readability/readability.h"

using namespace cypp::readability;

TEST_CASE("syllables are estimated from spelling", "[readability]") {
    struct Case { const char* word; int syllables; };
    const Case cases[] = {{"cat", 1},     {"make", 1},      {"table", 2},    {"whale", 1},    {"wanted", 2},
                          {"jumped", 1},  {"boxes", 2},     {"likes", 1},    {"children", 2}, {"young", 1},
                          {"people", 2},  {"family", 3},    {"education", 4}, {"safeguarding", 4},
                          {"happy", 2},   {"be", 1},        {"tree", 1},     {"Plan's", 1},   {"", 0}};
    for (const Case& c : cases) {
        INFO(c.word);
        REQUIRE(count_syllables(c.word) == c.syllables);
    }
}

TEST_CASE("Flesch scores of easy and hard text", "[readability]") {
    Score easy = score_text("We will help you. You can talk to us. The youth club is open on Friday.");
    REQUIRE(easy.words == 16);
    REQUIRE(easy.sentences == 3);
    REQUIRE(easy.grade < 3.0);
    REQUIRE(easy.reading_ease > 90.0);

    Score hard = score_text(
        "The Board partners will co-operate to commission integrated multi-agency provision addressing "
        "the identified safeguarding priorities, consistent with statutory responsibilities.");
    REQUIRE(hard.sentences == 1);
    REQUIRE(hard.grade > 18.0);
    REQUIRE(hard.reading_ease < 10.0);
}

TEST_CASE("lines are sentences and empty text scores nothing", "[readability]") {
    REQUIRE(score_text("Being safe\nWe listen to you").sentences == 2);
    Score empty = score_text("  \n ");
    REQUIRE(empty.words == 0);
    REQUIRE(empty.grade == 0);
}
