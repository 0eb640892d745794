// readability: how hard a text is to read, for the child-friendly version (written for
// children of about 10 to 12). Flesch reading ease and Flesch-Kincaid grade, with a
// syllable count estimated from spelling (English has no exact rule; see the .cpp).
#pragma once

#include <string_view>

namespace cypp::readability {

struct Score {
    int words = 0;
    int sentences = 0;
    int syllables = 0;
    double reading_ease = 0;  // Flesch: higher is easier; 60-70 plain English, 80+ easy
    double grade = 0;         // Flesch-Kincaid US school grade; UK year = grade + 1
};

// Estimated syllables in one word (letters only; at least 1 for any word).
int count_syllables(std::string_view word);
// Scores plain text (no markup). A text without words scores 0 words and grade 0.
Score score_text(std::string_view text);

}  // namespace cypp::readability
