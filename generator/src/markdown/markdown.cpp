#include "markdown/markdown.h"

#include "html/escape.h"
#include "markdown/cmark_arena.h"
#include "markdown/concurrent_cmark.h"

#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

namespace cypp::markdown {

// The parser and document live in arena and go with it: they are not freed node by
// node. Every call into cmark on them is made with the arena in use (cmark_arena.h).
struct ParsedMarkdown::Tree {
    CmarkArena arena;
    cmark_parser* parser = nullptr;
    cmark_node* document = nullptr;
    std::vector<cmark_node*> link_nodes;  // of document, one per link of links_, in order
};

ParsedMarkdown::ParsedMarkdown() = default;
ParsedMarkdown::~ParsedMarkdown() = default;
ParsedMarkdown::ParsedMarkdown(ParsedMarkdown&&) noexcept = default;
ParsedMarkdown& ParsedMarkdown::operator=(ParsedMarkdown&&) noexcept = default;
bool ParsedMarkdown::usable() const { return tree_ && tree_->document && !refused_; }

namespace {

// Safe by default: no CMARK_OPT_UNSAFE, so cmark itself also omits raw HTML and
// blanks dangerous URLs; the diagnostics tell the author why their text vanished.
// No CMARK_OPT_VALIDATE_UTF8: text_is_utf8() refuses a text that is not well-formed
// UTF-8 (the same sequences cmark's check accepts) before cmark sees it, so cmark's own
// check could never replace a byte; it was 1.5 % of a large build.
constexpr int parse_options = CMARK_OPT_DEFAULT;
constexpr int render_options = CMARK_OPT_DEFAULT;

std::string text_of(cmark_node* node) {
    std::string text;
    cmark_iter* iter = cmark_iter_new(node);
    cmark_event_type event;
    while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        cmark_node* current = cmark_iter_get_node(iter);
        if (event != CMARK_EVENT_ENTER) continue;
        auto type = cmark_node_get_type(current);
        if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
            if (const char* literal = cmark_node_get_literal(current)) text += literal;
        } else if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
            text += ' ';
        }
    }
    cmark_iter_free(iter);
    return text;
}

std::string lower_scheme(std::string_view url) {
    std::string scheme;
    for (char c : url) {
        if (c == ':') return scheme;
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return {};
        scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return {};
}

bool is_delimiter_row(std::string_view line) {
    bool has_dash = false, has_pipe = false;
    for (char c : line) {
        if (c == '-') has_dash = true;
        else if (c == '|') has_pipe = true;
        else if (c != ':' && c != ' ' && c != '\t' && c != '\r') return false;
    }
    return has_dash && has_pipe;
}

int count_cells(std::string_view line) {
    int pipes = 0;
    for (char c : line) pipes += c == '|';
    std::string_view trimmed = line;
    while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.remove_prefix(1);
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\r')) trimmed.remove_suffix(1);
    int cells = pipes + 1;
    if (!trimmed.empty() && trimmed.front() == '|') --cells;
    if (trimmed.size() > 1 && trimmed.back() == '|') --cells;
    return cells;
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

// How many times c occurs in text. Each occurrence is found with memchr: the characters
// counted here are rare in prose, so a page is skipped through rather than read byte by byte.
std::size_t occurrences(std::string_view text, char c) {
    std::size_t count = 0;
    for (const char *at = text.data(), *end = at + text.size();
         (at = static_cast<const char*>(std::memchr(at, c, static_cast<std::size_t>(end - at)))) != nullptr; ++at)
        ++count;
    return count;
}

// The line of text that starts at start (without its '\n'); the next starts after it.
std::string_view line_at(std::string_view text, std::size_t start) {
    const std::size_t end = text.find('\n', start);
    return text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

// Checked before cmark sees the text, because the cost is in cmark itself. A table's
// rows are the lines from its delimiter row to the next blank line: each run of lines
// is read twice (to find its end, then for its delimiter rows), never once per row.
bool tables_within_limits(std::string_view text, const std::string& file, const Limits& limits,
                          diag::Diagnostics& diagnostics) {
    // A table has no more columns than the text has "|" plus one, and no more rows than
    // it has lines: most pages are within the limits by that bound alone.
    const std::size_t most_columns = occurrences(text, '|') + 1;
    if (most_columns == 1) return true;  // no delimiter row without a "|"
    if (most_columns <= static_cast<std::size_t>(limits.max_table_columns) &&
        most_columns * (occurrences(text, '\n') + 1) <= static_cast<std::size_t>(limits.max_table_cells))
        return true;
    int line_number = 1;
    for (std::size_t start = 0; start <= text.size();) {
        std::string_view line = line_at(text, start);
        if (is_blank(line)) {
            start += line.size() + 1;
            ++line_number;
            continue;
        }
        long run_lines = 0;
        for (std::size_t at = start; at <= text.size() && !is_blank(line_at(text, at)); ++run_lines)
            at += line_at(text, at).size() + 1;
        for (long i = 0; i < run_lines; ++i, ++line_number) {
            line = line_at(text, start);
            start += line.size() + 1;
            if (!is_delimiter_row(line)) continue;
            const int columns = count_cells(line);
            const long rows = run_lines - i;
            if (columns > limits.max_table_columns) {
                diagnostics.error("CY306", file, line_number, 1,
                                  "table has " + std::to_string(columns) + " columns; the limit is " +
                                      std::to_string(limits.max_table_columns),
                                  "split the table into narrower tables");
                return false;
            }
            if (rows * columns > limits.max_table_cells) {
                diagnostics.error("CY306", file, line_number, 1,
                                  "table has " + std::to_string(rows * columns) + " cells; the limit is " +
                                      std::to_string(limits.max_table_cells),
                                  "split the table into smaller tables");
                return false;
            }
        }
    }
    return true;
}

// 1-based line and column (in bytes) of offset in text.
std::pair<int, int> position_of(std::string_view text, std::size_t offset) {
    int line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i)
        if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    return {line, static_cast<int>(offset - line_start) + 1};
}

// The length of the UTF-8 sequence at text[i], or 0 when it is not valid UTF-8
// (overlong forms, surrogates and code points past U+10FFFF included).
std::size_t utf8_sequence(std::string_view text, std::size_t i) {
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char lead = byte(i);
    if (lead < 0x80) return 1;
    std::size_t length = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
    if (length == 0 || i + length > text.size()) return 0;
    for (std::size_t k = 1; k < length; ++k)
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
    const unsigned char second = byte(i + 1);
    if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) || (lead == 0xF0 && second < 0x90) ||
        (lead == 0xF4 && second > 0x8F))
        return 0;
    return length;
}

// Markdown is UTF-8 text: a NUL byte or a byte that is not UTF-8 means a binary file
// or another encoding, which cmark would turn into replacement characters silently.
bool text_is_utf8(std::string_view text, const std::string& file, diag::Diagnostics& diagnostics) {
    constexpr std::uint64_t high_bits = 0x8080808080808080u, low_bits = 0x0101010101010101u;
    for (std::size_t i = 0; i < text.size();) {
        if (const auto byte = static_cast<unsigned char>(text[i]); byte != 0 && byte < 0x80) {
            ++i;  // most of any page is ASCII: eight bytes at a time while none is NUL or over 0x7F
            for (std::uint64_t word; i + 8 <= text.size(); i += 8) {
                std::memcpy(&word, text.data() + i, 8);
                if ((word & high_bits) != 0 || ((word - low_bits) & ~word & high_bits) != 0) break;
            }
            continue;
        }
        const std::size_t length = text[i] == '\0' ? 0 : utf8_sequence(text, i);
        if (length) {
            i += length;
            continue;
        }
        auto [line, column] = position_of(text, i);
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(text[i]));
        diagnostics.error("CY314", file, line, column,
                          text[i] == '\0' ? std::string("the file has a NUL byte: it is not text (an image, a PDF or a "
                                                         "word-processor document saved as .md?)")
                                           : "byte " + std::string(hex) + " is not UTF-8: the file is in another "
                                             "encoding, or is not text",
                          "save the file as UTF-8 text (in most editors: Save with encoding, UTF-8)");
        return false;
    }
    return true;
}

// Checked before cmark sees the text, because the cost is in cmark-gfm's autolink
// extension: a word (a run without white space) with thousands of "@" takes seconds.
bool at_signs_within_limits(std::string_view text, const std::string& file, const Limits& limits,
                            diag::Diagnostics& diagnostics) {
    // No word can hold more "@" than the whole text: most pages stop here.
    if (occurrences(text, '@') <= static_cast<std::size_t>(limits.max_at_signs_per_word)) return true;
    int at_signs = 0;
    std::size_t word_start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        const char c = i < text.size() ? text[i] : ' ';
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            at_signs = 0;
            word_start = i + 1;
        } else if (c == '@' && ++at_signs > limits.max_at_signs_per_word) {
            auto [line, column] = position_of(text, word_start);
            diagnostics.error("CY313", file, line, column,
                              "more than " + std::to_string(limits.max_at_signs_per_word) +
                                  " \"@\" in one word: e-mail address detection would take too long",
                              "put spaces between e-mail addresses; if this is pasted data, leave it out");
            return false;
        }
    }
    return true;
}

// cmark-gfm 0.29.0.gfm.6 reads each inline "<?" on to the next "?>" (and "<![CDATA["
// to "]]>"), and again for the next one: thousands never closed take minutes. Sums
// what it would read, from the end of the text backwards, in one pass for both; only
// the bytes that can start an opener or a closer are looked at more closely.
bool raw_html_scans_within_limits(std::string_view text, const std::string& file, const Limits& limits,
                                  diag::Diagnostics& diagnostics) {
    struct Scan {
        std::string_view open, close;
        std::size_t next_close, read = 0;
    };
    Scan scans[] = {{"<?", "?>", text.size()}, {"<![CDATA[", "]]>", text.size()}};
    // Without an opener nothing is read (and most pages have neither).
    if (std::none_of(std::begin(scans), std::end(scans),
                     [&](const Scan& scan) { return text.find(scan.open) != std::string_view::npos; }))
        return true;
    for (std::size_t i = text.size(); i-- > 0;) {
        const char c = text[i];
        if (c != '<' && c != '?' && c != ']') continue;
        const std::string_view rest = text.substr(i);
        for (Scan& scan : scans) {
            if (rest.starts_with(scan.close)) scan.next_close = i;
            else if (rest.starts_with(scan.open)) scan.read += scan.next_close - i;
        }
    }
    for (const Scan& scan : scans) {
        if (scan.read <= limits.max_raw_html_scan_bytes) continue;
        auto [line, column] = position_of(text, text.find(scan.open));  // the first of them
        diagnostics.error("CY313", file, line, column,
                          "too many \"" + std::string(scan.open) + "\" without \"" + std::string(scan.close) +
                              "\": reading them would take cmark-gfm too long",
                          "write \\" + std::string(scan.open) + " for the characters themselves, or leave the text out");
        return false;
    }
    return true;
}

std::string with_commas(std::size_t number) {
    std::string digits = std::to_string(number), text;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
        text += digits[i];
    }
    return text;
}

// cmark copies a link reference's address and title into every link that uses it, while
// parsing: one 100 KB address used 40,000 times is 4 GB before anything renders. Each
// use ends in "]", so the longest definition (its whole paragraph, an upper bound)
// times the number of "]" bounds what the references can grow to (CY311).
bool references_within_limits(std::string_view text, const std::string& file, const Limits& limits,
                              diag::Diagnostics& diagnostics) {
    if (text.find("]:") == std::string_view::npos) return true;  // no definition on any line
    const std::size_t closers = occurrences(text, ']');
    std::size_t longest = 0, longest_at = 0;
    bool in_definition = false;
    std::size_t definition_start = 0;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(start, end - start);
        const std::size_t indent = line.find_first_not_of(' ');
        const bool blank = line.find_first_not_of(" \t\r") == std::string_view::npos;
        if (!in_definition && indent != std::string_view::npos && indent <= 3 && line[indent] == '[' &&
            line.find("]:") != std::string_view::npos) {
            in_definition = true;
            definition_start = start;
        }
        if (in_definition && (blank || end == text.size())) {
            if (end - definition_start > longest) {
                longest = end - definition_start;
                longest_at = definition_start;
            }
            in_definition = false;
        }
        start = end + 1;
    }
    const std::size_t limit = limits.max_html_per_markdown_byte * text.size() + limits.max_html_extra_bytes;
    if (longest == 0 || longest * closers <= limit) return true;
    auto [line, column] = position_of(text, longest_at);
    diagnostics.error("CY311", file, line, column,
                      "this link reference (" + with_commas(longest) + " bytes) may be used up to " + with_commas(closers) +
                          " times, which could make " + with_commas(longest * closers) +
                          " bytes of HTML from " + with_commas(text.size()) + " bytes of Markdown, over the limit of " +
                          with_commas(limit),
                      "shorten the address or title, or use it in fewer places");
    return false;
}

// A line that starts with an HTML tag opens a raw-HTML block that runs to the next
// blank line: the text on the lines after the tag is swallowed with it. Returns the
// number of lines after the first that hold anything.
int swallowed_lines(const char* literal) {
    if (!literal) return 0;
    std::string_view block(literal);
    std::size_t first_end = block.find('\n');
    if (first_end == std::string_view::npos) return 0;
    int lines = 0;
    for (std::size_t start = first_end + 1; start < block.size();) {
        std::size_t end = block.find('\n', start);
        if (end == std::string_view::npos) end = block.size();
        if (block.substr(start, end - start).find_first_not_of(" \t\r") != std::string_view::npos) ++lines;
        start = end + 1;
    }
    return lines;
}

std::string tag_name(const char* literal) {
    std::string name;
    for (const char* c = literal ? literal : ""; *c && *c != '\n'; ++c) {
        if (*c == '<' && name.empty()) continue;
        if (!std::isalnum(static_cast<unsigned char>(*c)) && !(name.empty() && (*c == '/' || *c == '!' || *c == '?'))) break;
        name += *c;
    }
    return name;
}

void report_output_too_large(const std::string& file, std::size_t html_bytes, std::size_t markdown_bytes,
                             std::size_t limit, diag::Diagnostics* diagnostics) {
    if (!diagnostics) return;
    diagnostics->error("CY311", file, 0, 0,
                       "the page would be " + with_commas(html_bytes) + " or more bytes of HTML from " +
                           with_commas(markdown_bytes) + " bytes of Markdown, over the limit of " + with_commas(limit) +
                           ", so nothing is rendered for it",
                       "something multiplies: a link reference with a long address or title used many times, or "
                       "table rows much shorter than the header; shorten it or split the page");
}

// Unique ids for a page's headings, in document order. Repeats are numbered; a number
// another heading's own text took is skipped ("## A", "## A 2", "## A" gives a, a-2, a-3).
// A page has a handful of headings, which are looked through one by one; from
// many_headings on (a generated page can have thousands), they are kept in sets.
class HeadingIds {
public:
    std::string id_for(const std::string& base) {
        int& repeats = repeats_of(base);
        std::string id = base;
        if (++repeats > 1 || taken(id)) {
            repeats = std::max(repeats, 2);
            while (taken(id = base + '-' + std::to_string(repeats))) ++repeats;
        }
        ids_.push_back(id);
        if (ids_.size() > many_headings) {
            ids_set_.insert(id);
        } else if (ids_.size() == many_headings) {
            ids_set_.insert(ids_.begin(), ids_.end());
            bases_map_.insert(bases_.begin(), bases_.end());
        }
        return id;
    }

private:
    static constexpr std::size_t many_headings = 32;
    bool taken(const std::string& id) const {
        if (ids_.size() >= many_headings) return ids_set_.count(id) != 0;
        return std::find(ids_.begin(), ids_.end(), id) != ids_.end();
    }
    int& repeats_of(const std::string& base) {
        if (ids_.size() >= many_headings) return bases_map_[base];
        for (auto& [seen, count] : bases_)
            if (seen == base) return count;
        return bases_.emplace_back(base, 0).second;
    }
    std::vector<std::string> ids_;
    std::vector<std::pair<std::string, int>> bases_;  // each base text with its uses, until many_headings
    std::set<std::string> ids_set_;
    std::map<std::string, int> bases_map_;
};

}  // namespace

std::string slugify(std::string_view text) {
    std::string id;
    id.reserve(text.size());
    bool pending_hyphen = false;
    for (const char c : text) {
        const bool upper = c >= 'A' && c <= 'Z';
        if (upper || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (pending_hyphen && !id.empty()) id += '-';
            pending_hyphen = false;
            id += upper ? static_cast<char>(c - 'A' + 'a') : c;
        } else {
            pending_hyphen = true;
        }
    }
    return id.empty() ? "section" : id;
}

ParsedMarkdown parse_markdown(std::string_view text, const std::string& file, const Limits& limits,
                              diag::Diagnostics& diagnostics) {
    ParsedMarkdown parsed;
    parsed.file_ = file;
    parsed.markdown_bytes_ = text.size();
    parsed.max_html_bytes_ = limits.max_html_per_markdown_byte * text.size() + limits.max_html_extra_bytes;
    if (!text_is_utf8(text, file, diagnostics) || !tables_within_limits(text, file, limits, diagnostics) ||
        !at_signs_within_limits(text, file, limits, diagnostics) ||
        !raw_html_scans_within_limits(text, file, limits, diagnostics) ||
        !references_within_limits(text, file, limits, diagnostics))
        return parsed;
    parsed.tree_ = std::make_unique<ParsedMarkdown::Tree>();
    auto& tree = *parsed.tree_;
    const ArenaInUse arena_in_use(tree.arena);
    tree.parser = new_parser(parse_options, CmarkArena::allocator());
    cmark_parser_feed(tree.parser, text.data(), text.size());
    tree.document = finish_parse(tree.parser);

    HeadingIds heading_ids;
    int previous_level = 1;  // the page title is the h1
    // A text can only say "TO DO" when the page does, or spells a character as an entity
    // ("TO&#32;DO"): most pages' texts are not searched.
    const bool may_say_to_do = text.find("TO DO") != std::string_view::npos || text.find('&') != std::string_view::npos;
    cmark_iter* iter = cmark_iter_new(tree.document);
    cmark_event_type event;
    while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        if (event != CMARK_EVENT_ENTER) continue;
        cmark_node* node = cmark_iter_get_node(iter);
        const int line = cmark_node_get_start_line(node);
        const int column = cmark_node_get_start_column(node);
        const cmark_node_type type = cmark_node_get_type(node);
        switch (type) {
        case CMARK_NODE_HEADING: {
            const int level = cmark_node_get_heading_level(node);
            std::string heading_text = text_of(node);
            std::string id = heading_ids.id_for(slugify(heading_text));
            if (level == 1)
                diagnostics.error("CY303", file, line, column,
                                  "level-1 heading \"" + heading_text + "\": the page title comes from the metadata",
                                  "start headings at level 2 (## " + heading_text + ")");
            else if (level > previous_level + 1)
                diagnostics.warning("CY307", file, line, column,
                                    "heading level " + std::to_string(level) + " follows level " +
                                        std::to_string(previous_level) + ": a level is skipped",
                                    "use " + std::string(static_cast<std::size_t>(previous_level + 1), '#') +
                                        " so screen reader users can follow the structure");
            previous_level = level;
            parsed.headings_.push_back({level, std::move(heading_text), std::move(id), line});
            break;
        }
        default:
            // Tables are the table extension's block nodes, numbered after the core blocks
            // and below the inline types: only those are asked their name.
            if (type > CMARK_NODE_FOOTNOTE_DEFINITION && type < CMARK_NODE_TYPE_INLINE &&
                std::string_view(cmark_node_get_type_string(node)) == "table") {
                std::string label;
                cmark_node* header = cmark_node_first_child(node);
                for (cmark_node* cell = header ? cmark_node_first_child(header) : nullptr; cell; cell = cmark_node_next(cell))
                    label += (label.empty() ? "" : ", ") + text_of(cell);
                parsed.table_labels_.push_back("Table: " + label);
            }
            break;
        case CMARK_NODE_TEXT:
            if (const char* literal = may_say_to_do ? cmark_node_get_literal(node) : nullptr;
                literal && std::strstr(literal, "TO DO")) {
                std::string excerpt = literal;
                if (excerpt.size() > 60) excerpt = excerpt.substr(0, 57) + "...";
                diagnostics.warning("CY310", file, line, column, "still to write: \"" + excerpt + "\"",
                                    "replace the TO DO with the text");
            }
            break;
        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_HTML_INLINE:
            diagnostics.error("CY302", file, line, column, "raw HTML is not allowed and is left out of the page",
                              "write it in Markdown instead (tables, lists, links and emphasis are available)");
            if (int swallowed = type == CMARK_NODE_HTML_BLOCK
                                    ? swallowed_lines(cmark_node_get_literal(node)) : 0) {
                const std::string tag = tag_name(cmark_node_get_literal(node));
                const std::string lines = swallowed == 1 ? "line " + std::to_string(line + 1)
                                                         : "lines " + std::to_string(line + 1) + "-" +
                                                               std::to_string(cmark_node_get_end_line(node));
                diagnostics.warning("CY312", file, line, column,
                                    "the line starting <" + tag + " opens a block of raw HTML that runs to the next blank "
                                    "line, so the text on " + lines + " is left out of the page with it",
                                    tag == "img" ? "put a blank line after it, or better, write the image in Markdown: "
                                                   "![what it shows](photo.png)"
                                                 : "put a blank line after it, or better, write it in Markdown");
            }
            break;
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE: {
            const bool is_image = type == CMARK_NODE_IMAGE;
            const char* raw_url = cmark_node_get_url(node);
            std::string url = raw_url ? raw_url : "";
            std::string scheme = lower_scheme(url);
            if (scheme == "javascript" || scheme == "vbscript" || scheme == "data" || scheme == "file") {
                diagnostics.error("CY304", file, line, column,
                                  "\"" + scheme + ":\" " + (is_image ? "image" : "link") + " is not allowed",
                                  "link to a web page (https://...) or to another page of the plan");
            }
            if (!is_image) {
                std::string label = text_of(node);
                for (char& c : label)
                    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
                while (!label.empty() && (label.back() == '.' || label.back() == ' ')) label.pop_back();
                static const char* vague[] = {"click here", "here", "read more", "more", "this link", "link", "click"};
                for (const char* phrase : vague)
                    if (label == phrase)
                        diagnostics.warning("CY308", file, line, column,
                                            "link text \"" + text_of(node) + "\" does not say where the link goes",
                                            "use words that make sense on their own, e.g. [read the needs assessment](...)");
            }
            if (is_image && text_of(node).find_first_not_of(" \t") == std::string::npos) {
                diagnostics.error("CY305", file, line, column, "image \"" + url + "\" has no alt text",
                                  "describe the image for people who cannot see it: ![what it shows](" + url + ")");
            }
            parsed.links_.push_back({std::move(url), is_image, line, column});
            tree.link_nodes.push_back(node);
            break;
        }
        }
    }
    cmark_iter_free(iter);
    return parsed;
}

std::string plain_text(const ParsedMarkdown& parsed) {
    if (!parsed.usable()) return {};
    const ArenaInUse arena_in_use(parsed.tree_->arena);
    std::string text;
    cmark_iter* iter = cmark_iter_new(parsed.tree_->document);
    cmark_event_type event;
    while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        cmark_node* node = cmark_iter_get_node(iter);
        const auto type = cmark_node_get_type(node);
        if (event == CMARK_EVENT_ENTER && (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE)) {
            if (const char* literal = cmark_node_get_literal(node)) text += literal;
        } else if (event == CMARK_EVENT_ENTER && (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK)) {
            text += ' ';
        } else if (event == CMARK_EVENT_EXIT && (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING)) {
            text += '\n';
        } else if (event == CMARK_EVENT_EXIT && type != CMARK_NODE_TEXT && cmark_node_get_type_string(node) &&
                   std::string_view(cmark_node_get_type_string(node)) == "table_cell") {
            text += '\n';
        }
    }
    cmark_iter_free(iter);
    return text;
}

std::string render_html(ParsedMarkdown& parsed, const std::function<std::string(const Link&)>& rewrite_url,
                        diag::Diagnostics* diagnostics) {
    if (!parsed.usable()) return {};
    const ArenaInUse arena_in_use(parsed.tree_->arena);
    cmark_node* document = parsed.tree_->document;
    std::size_t link_index = 0;
    // Every link's address and title is written out at least once: when those alone are
    // over the limit (a long reference used many times), cmark is not asked to render.
    std::size_t least_html_bytes = 0;
    auto refuse = [&](std::size_t html_bytes) {
        report_output_too_large(parsed.file_, html_bytes, parsed.markdown_bytes_, parsed.max_html_bytes_, diagnostics);
        parsed.refused_ = true;
        return std::string();
    };
    // The link nodes were found while parsing: the tree is not walked again.
    for (cmark_node* node : parsed.tree_->link_nodes) {
        std::string url = rewrite_url(parsed.links_[link_index++]);
        cmark_node_set_url(node, url.c_str());
        const char* title = cmark_node_get_title(node);
        least_html_bytes += url.size() + (title ? std::strlen(title) : 0);
    }
    if (least_html_bytes > parsed.max_html_bytes_) return refuse(least_html_bytes);

    // Read where cmark wrote it: raw goes with the arena.
    const std::string_view text =
        cmark_render_html(document, render_options, cmark_parser_get_syntax_extensions(parsed.tree_->parser));
    if (text.size() > parsed.max_html_bytes_) return refuse(text.size());

    // One pass over cmark's HTML, at each "<": raw HTML never reaches the output, so
    // every "<hN>" is one of our headings, in document order, and gets its id here; a
    // table wider than a phone scrolls sideways, and keyboard users can only scroll a
    // region that takes focus (WCAG 2.1.1), whose label says what it is.
    // Reserved to the byte (pages are held as HTML from load to render: no slack).
    constexpr std::string_view table_open = "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"";
    constexpr std::string_view table_close = "</table>\n</div>";
    std::vector<std::string> labels;
    labels.reserve(parsed.table_labels_.size());
    std::size_t size = text.size();
    for (const Heading& heading : parsed.headings_) size += std::string_view(" id=\"\"").size() + heading.id.size();
    for (const std::string& label : parsed.table_labels_) {
        labels.push_back(html::escape(label));
        size += table_open.size() + labels.back().size() + std::string_view("\">\n").size() + table_close.size() -
                std::string_view("</table>").size();
    }
    std::string result;
    result.reserve(size);
    std::size_t heading_index = 0, table_index = 0, position = 0;
    for (std::size_t found = text.find('<'); found != std::string_view::npos; found = text.find('<', found + 1)) {
        const std::string_view tag = text.substr(found);
        if (tag.size() >= 4 && tag[1] == 'h' && tag[2] >= '1' && tag[2] <= '6' && tag[3] == '>' &&
            heading_index < parsed.headings_.size()) {
            result.append(text, position, found - position);
            result += "<h";
            result += tag[2];
            result.append(" id=\"").append(parsed.headings_[heading_index++].id).append("\">");
            position = found + 4;
        } else if (tag.starts_with("<table>")) {
            result.append(text, position, found - position);
            result += table_open;
            result += table_index < labels.size() ? labels[table_index] : "Table";
            ++table_index;
            result += "\">\n<table>";
            position = found + 7;
        } else if (tag.starts_with("</table>")) {
            result.append(text, position, found - position);
            result += table_close;
            position = found + 8;
        }
    }
    result.append(text, position, std::string_view::npos);
    return result;
}

}  // namespace cypp::markdown
