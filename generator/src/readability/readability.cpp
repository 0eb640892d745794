#include "readability/readability.h"

#include <cctype>
#include <string>

namespace cypp::readability {

namespace {

bool is_vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y'; }

}  // namespace

// The heuristic: count groups of consecutive vowels (y counts as a vowel), then
// - a final silent "e" does not count ("make"), but "-le" after a consonant does ("table");
// - a final "-es" or "-ed" is silent unless it follows t/d ("wanted") or s/x/z/ch/sh
//   ("boxes");
// - every word has at least one syllable.
// It is within one syllable of a dictionary for most everyday words, which is what a
// reading-age estimate needs.
int count_syllables(std::string_view raw) {
    std::string word;
    for (char c : raw)
        if (std::isalpha(static_cast<unsigned char>(c))) word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (word.empty()) return 0;
    if (word.size() <= 3) return 1;
    int groups = 0;
    bool previous_vowel = false;
    for (char c : word) {
        const bool vowel = is_vowel(c);
        if (vowel && !previous_vowel) ++groups;
        previous_vowel = vowel;
    }
    const std::size_t n = word.size();
    auto ends_with = [&](std::string_view suffix) { return word.size() >= suffix.size() && word.ends_with(suffix); };
    if (ends_with("e") && !ends_with("le") && !ends_with("ee") && !is_vowel(word[n - 2])) --groups;
    else if (ends_with("le") && n > 2 && is_vowel(word[n - 3])) --groups;  // "whale": silent
    if (ends_with("es") || ends_with("ed")) {
        const char before = word[n - 3];
        const bool sounded = ends_with("ed") ? (before == 't' || before == 'd')
                                             : (before == 's' || before == 'x' || before == 'z' || ends_with("ches") ||
                                                ends_with("shes") || ends_with("ges") || ends_with("ces"));
        if (!sounded && !is_vowel(before)) --groups;
    }
    return groups < 1 ? 1 : groups;
}

Score score_text(std::string_view text) {
    Score score;
    std::string word;
    bool sentence_open = false;
    auto end_word = [&] {
        if (word.empty()) return;
        ++score.words;
        score.syllables += count_syllables(word);
        sentence_open = true;
        word.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '\'' || (c == '-' && !word.empty())) {
            word += c;
            continue;
        }
        end_word();
        // A sentence ends at . ! ? or at a line break (headings and list items are
        // sentences of their own).
        if ((c == '.' || c == '!' || c == '?' || c == '\n') && sentence_open) {
            ++score.sentences;
            sentence_open = false;
        }
    }
    end_word();
    if (sentence_open) ++score.sentences;
    if (score.words == 0) return score;
    const double words_per_sentence = static_cast<double>(score.words) / score.sentences;
    const double syllables_per_word = static_cast<double>(score.syllables) / score.words;
    score.reading_ease = 206.835 - 1.015 * words_per_sentence - 84.6 * syllables_per_word;
    score.grade = 0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59;
    if (score.grade < 0) score.grade = 0;
    return score;
}

}  // namespace cypp::readability
