#include "render/text_diff.h"

#include "html/escape.h"

#include <algorithm>
#include <cstddef>
#include <dtl/dtl.hpp>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cypp::render {

bool DiffStats::any() const { return blocks_added > 0 || blocks_removed > 0 || blocks_changed > 0; }

namespace {

// Above this many blocks plus words (both texts together), no diff is computed.
constexpr std::size_t kMaxTokens = 200000;
// A changed block pair with more words than this is not diffed word by word.
constexpr std::size_t kMaxPairWords = 20000;
// Above this many words, pairing similarity uses the word multiset instead of the LCS.
constexpr std::size_t kMaxSimilarityWords = 2000;
// Runs of removed x added blocks up to this size are paired optimally, larger ones greedily.
constexpr std::size_t kMaxPairingMatrix = 400;
constexpr std::size_t kGreedyWindow = 8;
// A removed and an added block are one changed block when their longest common
// subsequence of words is at least half the shorter block and a fifth of the longer.
constexpr std::size_t kMinSharedOfLonger = 5;

const std::string kInsOpen = "<ins><span class=\"visually-hidden\">Added: </span>";
const std::string kDelOpen = "<del><span class=\"visually-hidden\">Removed: </span>";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim_left(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size() && is_space(s[i])) ++i;
    return s.substr(i);
}

enum class LineKind { blank, single, list_item, text };

LineKind classify(std::string_view line) {
    std::string_view t = trim_left(line);
    if (t.empty()) return LineKind::blank;
    if (t[0] == '#' || t[0] == '|') return LineKind::single;
    if (t.size() >= 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ') return LineKind::list_item;
    std::size_t digits = 0;
    while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
    if (digits > 0 && digits + 1 < t.size() && t[digits] == '.' && t[digits + 1] == ' ') return LineKind::list_item;
    return LineKind::text;
}

using Words = std::vector<std::string_view>;  // views into the caller's text

void split_words(std::string_view text, Words& out) {
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_space(text[i])) ++i;
        std::size_t start = i;
        while (i < text.size() && !is_space(text[i])) ++i;
        if (i > start) out.push_back(text.substr(start, i - start));
    }
}

// Splits text into blocks, each a list of words.
std::vector<Words> split_blocks(std::string_view text) {
    std::vector<Words> blocks;
    bool open = false;  // the last block may take continuation lines
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        switch (classify(line)) {
            case LineKind::blank: open = false; break;
            case LineKind::single:
                blocks.emplace_back();
                split_words(line, blocks.back());
                open = false;
                break;
            case LineKind::list_item:
                blocks.emplace_back();
                split_words(line, blocks.back());
                open = true;
                break;
            case LineKind::text:
                if (!open) blocks.emplace_back();
                split_words(line, blocks.back());
                open = true;
                break;
        }
    }
    return blocks;
}

std::size_t count_tokens(const std::vector<Words>& blocks) {
    std::size_t n = blocks.size();
    for (const auto& b : blocks) n += b.size();
    return n;
}

void append_words(std::string& out, const Words& words) {
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) out += ' ';
        html::append_escaped(out, words[i]);
    }
}

// Interns words and blocks as integers, so that dtl compares ints.
class Interner {
public:
    int word(std::string_view w) { return words_.try_emplace(w, static_cast<int>(words_.size())).first->second; }
    int block(const std::vector<int>& ids) {
        std::string key(reinterpret_cast<const char*>(ids.data()), ids.size() * sizeof(int));
        return blocks_.try_emplace(std::move(key), static_cast<int>(blocks_.size())).first->second;
    }

private:
    std::unordered_map<std::string_view, int> words_;
    std::unordered_map<std::string, int> blocks_;
};

struct Side {
    std::vector<Words> blocks;
    std::vector<std::vector<int>> word_ids;
    std::vector<int> block_ids;
};

void intern(Side& side, Interner& interner) {
    side.word_ids.reserve(side.blocks.size());
    side.block_ids.reserve(side.blocks.size());
    for (const auto& block : side.blocks) {
        std::vector<int> ids;
        ids.reserve(block.size());
        for (auto w : block) ids.push_back(interner.word(w));
        side.block_ids.push_back(interner.block(ids));
        side.word_ids.push_back(std::move(ids));
    }
}

struct Edit {
    dtl::edit_t type;
    std::size_t before;  // index into the before sequence (deletes, commons)
    std::size_t after;   // index into the after sequence (adds, commons)
};

// The shortest edit script from a to b, in order.
std::vector<Edit> edit_script(const std::vector<int>& a, const std::vector<int>& b) {
    std::vector<Edit> edits;
    if (a.empty() || b.empty()) {
        for (std::size_t i = 0; i < a.size(); ++i) edits.push_back({dtl::SES_DELETE, i, 0});
        for (std::size_t j = 0; j < b.size(); ++j) edits.push_back({dtl::SES_ADD, 0, j});
        return edits;
    }
    dtl::Diff<int> diff(a, b);
    diff.compose();
    std::size_t i = 0, j = 0;
    for (const auto& [elem, info] : diff.getSes().getSequence()) {
        (void)elem;
        if (info.type == dtl::SES_COMMON) {
            edits.push_back({dtl::SES_COMMON, i++, j++});
        } else if (info.type == dtl::SES_DELETE) {
            edits.push_back({dtl::SES_DELETE, i++, 0});
        } else {
            edits.push_back({dtl::SES_ADD, 0, j++});
        }
    }
    return edits;
}

// Words shared by a and b counted as a multiset: an upper bound of their LCS length.
std::size_t shared_words(const std::vector<int>& a, const std::vector<int>& b) {
    std::vector<int> x(a), y(b);
    std::sort(x.begin(), x.end());
    std::sort(y.begin(), y.end());
    std::size_t i = 0, j = 0, common = 0;
    while (i < x.size() && j < y.size()) {
        if (x[i] < y[j]) {
            ++i;
        } else if (y[j] < x[i]) {
            ++j;
        } else {
            ++common, ++i, ++j;
        }
    }
    return common;
}

bool similar_enough(std::size_t common, std::size_t la, std::size_t lb) {
    return common > 0 && 2 * common >= std::min(la, lb) && common * kMinSharedOfLonger >= std::max(la, lb);
}

// How alike two blocks are, 0 when not similar enough to be shown as one changed block:
// otherwise 2 * LCS / (total words), the LCS from dtl's edit distance.
double similarity(const std::vector<int>& a, const std::vector<int>& b) {
    std::size_t la = a.size(), lb = b.size();
    std::size_t common = shared_words(a, b);
    if (!similar_enough(common, la, lb)) return 0.0;
    if (la + lb <= kMaxSimilarityWords) {
        dtl::Diff<int> diff(a, b);
        diff.onOnlyEditDistance();
        diff.compose();
        common = (la + lb - static_cast<std::size_t>(diff.getEditDistance())) / 2;
        if (!similar_enough(common, la, lb)) return 0.0;
    }
    return 2.0 * static_cast<double>(common) / static_cast<double>(la + lb);
}

// Pairs removed blocks dels with added blocks adds (both in order) as changed blocks:
// returns (i, j) index pairs into dels and adds, increasing in both.
std::vector<std::pair<std::size_t, std::size_t>> pair_blocks(const Side& before, const Side& after,
                                                               const std::vector<std::size_t>& dels,
                                                               const std::vector<std::size_t>& adds) {
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    std::size_t m = dels.size(), n = adds.size();
    if (m == 0 || n == 0) return pairs;
    auto sim = [&](std::size_t i, std::size_t j) {
        return similarity(before.word_ids[dels[i]], after.word_ids[adds[j]]);
    };
    if (m * n <= kMaxPairingMatrix) {
        // Best total similarity of an ordered matching (a weighted LCS).
        std::vector<std::vector<double>> best(m + 1, std::vector<double>(n + 1, 0.0));
        std::vector<std::vector<bool>> matched(m + 1, std::vector<bool>(n + 1, false));
        for (std::size_t i = 1; i <= m; ++i) {
            for (std::size_t j = 1; j <= n; ++j) {
                double value = std::max(best[i - 1][j], best[i][j - 1]);
                double s = sim(i - 1, j - 1);
                if (s > 0.0 && best[i - 1][j - 1] + s > value) {
                    value = best[i - 1][j - 1] + s;
                    matched[i][j] = true;
                }
                best[i][j] = value;
            }
        }
        std::size_t i = m, j = n;
        while (i > 0 && j > 0) {
            if (matched[i][j]) {
                pairs.emplace_back(i - 1, j - 1);
                --i, --j;
            } else if (best[i - 1][j] >= best[i][j - 1]) {
                --i;
            } else {
                --j;
            }
        }
        std::reverse(pairs.begin(), pairs.end());
        return pairs;
    }
    // Large runs: each removed block takes the first similar added block within a window.
    std::size_t j = 0;
    for (std::size_t i = 0; i < m && j < n; ++i) {
        for (std::size_t k = j; k < n && k < j + kGreedyWindow; ++k) {
            if (sim(i, k) > 0.0) {
                pairs.emplace_back(i, k);
                j = k + 1;
                break;
            }
        }
    }
    return pairs;
}

enum class Kind { context, added, removed, changed };

struct Entry {
    Kind kind;
    std::size_t before = 0;
    std::size_t after = 0;
};

void render_context(std::string& out, const Words& words) {
    out += "<div class=\"diff-block diff-context\">";
    append_words(out, words);
    out += "</div>\n";
}

void render_whole(std::string& out, const Words& words, bool added) {
    out += added ? "<div class=\"diff-block diff-added\"><strong class=\"diff-label\">Added</strong> "
                 : "<div class=\"diff-block diff-removed\"><strong class=\"diff-label\">Removed</strong> ";
    out += added ? kInsOpen : kDelOpen;
    append_words(out, words);
    out += added ? "</ins>" : "</del>";
    out += "</div>\n";
}

void render_changed(std::string& out, const Words& old_words, const std::vector<int>& old_ids,
                    const Words& new_words, const std::vector<int>& new_ids) {
    out += "<div class=\"diff-block diff-changed\"><strong class=\"diff-label\">Changed</strong> ";
    std::vector<Edit> edits;
    if (old_ids.size() + new_ids.size() <= kMaxPairWords) {
        edits = edit_script(old_ids, new_ids);
    } else {
        for (std::size_t i = 0; i < old_ids.size(); ++i) edits.push_back({dtl::SES_DELETE, i, 0});
        for (std::size_t j = 0; j < new_ids.size(); ++j) edits.push_back({dtl::SES_ADD, 0, j});
    }
    bool first = true;
    auto separate = [&] {
        if (!first) out += ' ';
        first = false;
    };
    Words dels, adds;
    auto flush = [&] {
        if (!dels.empty()) {
            separate();
            out += kDelOpen;
            append_words(out, dels);
            out += "</del>";
            dels.clear();
        }
        if (!adds.empty()) {
            separate();
            out += kInsOpen;
            append_words(out, adds);
            out += "</ins>";
            adds.clear();
        }
    };
    for (const auto& edit : edits) {
        if (edit.type == dtl::SES_COMMON) {
            flush();
            separate();
            html::append_escaped(out, new_words[edit.after]);
        } else if (edit.type == dtl::SES_DELETE) {
            dels.push_back(old_words[edit.before]);
        } else {
            adds.push_back(new_words[edit.after]);
        }
    }
    flush();
    out += "</div>\n";
}

// Too big to diff: the whole new text as one changed block.
TextDiff fallback(const std::vector<Words>& after_blocks) {
    TextDiff result;
    result.stats.blocks_changed = 1;
    result.html = "<div class=\"diff-block diff-changed\"><strong class=\"diff-label\">Changed</strong> ";
    for (std::size_t b = 0; b < after_blocks.size(); ++b) {
        if (b > 0) result.html += ' ';
        append_words(result.html, after_blocks[b]);
    }
    result.html += "</div>\n";
    return result;
}

}  // namespace

TextDiff diff_markdown(std::string_view before_text, std::string_view after_text) {
    TextDiff result;
    if (before_text == after_text) return result;

    Side before, after;
    before.blocks = split_blocks(before_text);
    after.blocks = split_blocks(after_text);
    if (before.blocks == after.blocks) return result;  // whitespace-only differences
    if (count_tokens(before.blocks) + count_tokens(after.blocks) > kMaxTokens) return fallback(after.blocks);

    Interner interner;
    intern(before, interner);
    intern(after, interner);

    // Blocks first; then removed and added blocks between two unchanged ones are paired.
    std::vector<Edit> edits = edit_script(before.block_ids, after.block_ids);
    std::vector<Entry> entries;
    entries.reserve(edits.size());
    std::vector<std::size_t> dels, adds;
    auto flush_run = [&] {
        auto pairs = pair_blocks(before, after, dels, adds);
        std::size_t i = 0, j = 0;
        for (const auto& [pi, pj] : pairs) {
            for (; i < pi; ++i) entries.push_back({Kind::removed, dels[i], 0});
            for (; j < pj; ++j) entries.push_back({Kind::added, 0, adds[j]});
            entries.push_back({Kind::changed, dels[pi], adds[pj]});
            i = pi + 1, j = pj + 1;
        }
        for (; i < dels.size(); ++i) entries.push_back({Kind::removed, dels[i], 0});
        for (; j < adds.size(); ++j) entries.push_back({Kind::added, 0, adds[j]});
        dels.clear();
        adds.clear();
    };
    for (const auto& edit : edits) {
        if (edit.type == dtl::SES_COMMON) {
            flush_run();
            entries.push_back({Kind::context, edit.before, edit.after});
        } else if (edit.type == dtl::SES_DELETE) {
            dels.push_back(edit.before);
        } else {
            adds.push_back(edit.after);
        }
    }
    flush_run();

    // One block of context either side of each change; a gap mark between hunks.
    auto changed = [&](std::size_t k) { return entries[k].kind != Kind::context; };
    std::size_t last_shown = 0;
    bool shown_any = false;
    for (std::size_t k = 0; k < entries.size(); ++k) {
        bool show = changed(k) || (k > 0 && changed(k - 1)) || (k + 1 < entries.size() && changed(k + 1));
        if (!show) continue;
        if (shown_any && k > last_shown + 1) result.html += "<p class=\"diff-gap\">\xE2\x80\xA6</p>\n";
        shown_any = true;
        last_shown = k;
        const Entry& e = entries[k];
        switch (e.kind) {
            case Kind::context: render_context(result.html, after.blocks[e.after]); break;
            case Kind::added:
                render_whole(result.html, after.blocks[e.after], true);
                ++result.stats.blocks_added;
                break;
            case Kind::removed:
                render_whole(result.html, before.blocks[e.before], false);
                ++result.stats.blocks_removed;
                break;
            case Kind::changed:
                render_changed(result.html, before.blocks[e.before], before.word_ids[e.before],
                               after.blocks[e.after], after.word_ids[e.after]);
                ++result.stats.blocks_changed;
                break;
        }
    }
    return result;
}

std::string describe(const DiffStats& stats) {
    std::string out;
    bool first = true;
    auto part = [&](int count, const char* verb) {
        if (count <= 0) return;
        if (!first) out += ", ";
        out += std::to_string(count);
        if (first) out += count == 1 ? " paragraph" : " paragraphs";
        out += ' ';
        out += verb;
        first = false;
    };
    part(stats.blocks_changed, "changed");
    part(stats.blocks_added, "added");
    part(stats.blocks_removed, "removed");
    return first ? "No changes" : out;
}

}  // namespace cypp::render
