// load: a page's Markdown prepared once — parsed, checked and rendered by cmark — and a
// cache of prepared pages shared by every load of one build (and by cypp serve across
// rebuilds), so archived versions and rebuilds never parse an unchanged text again.
// Link addresses depend on where the targets are in each load, so the HTML keeps a
// placeholder for each and the load fills them in: no cmark tree is kept anywhere.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "markdown/markdown.h"

namespace cypp::load {

// A page's headings and links, their strings kept together in one buffer: a site holds
// them for every page at once, and a string each was a fifth of a large build's memory.
class PageOutline {
public:
    struct Heading {
        int level;
        std::string_view text;
        std::string_view id;
    };
    struct Link {
        std::string_view url;
        int line;
        int column;
    };
    PageOutline() = default;
    PageOutline(const std::vector<markdown::Heading>& headings, const std::vector<markdown::Link>& links);
    std::size_t heading_count() const { return headings_.size(); }
    Heading heading(std::size_t index) const;
    std::size_t link_count() const { return links_.size(); }
    Link link(std::size_t index) const;

private:
    struct Span {
        std::uint32_t at = 0;
        std::uint32_t size = 0;
    };
    std::string_view view(Span span) const { return std::string_view(strings_).substr(span.at, span.size); }
    Span keep(const std::string& text);
    struct HeadingAt {
        Span text, id;
        int level;
    };
    struct LinkAt {
        Span url;
        int line, column;
    };
    std::string strings_;
    std::vector<HeadingAt> headings_;
    std::vector<LinkAt> links_;
};

struct PreparedMarkdown {
    bool usable = false;  // false when the text was refused (reported while preparing)
    std::size_t markdown_bytes = 0;
    PageOutline outline;
    // The page's HTML with the address of outline.link(i) written as url_placeholder(i);
    // empty when the HTML was refused for its size (CY311).
    std::string html_template;
    std::optional<std::string> plain_text;  // when it was asked for (readability)
    std::vector<diag::Diagnostic> reported;  // while preparing: reported again on every load
};

// Placeholders can be found again without doubt: in cmark's safe HTML a double quote
// in text is always written as &quot;, so `="cypp-url:` only occurs as an attribute.
std::string url_placeholder(std::size_t index);

// The HTML of a prepared page with the addresses filled in (escaped as cmark escapes
// an href), urls[i] for outline.link(i).
std::string fill_urls(const std::string& html_template, const std::vector<std::string>& urls);

// cmark-gfm's escaping of a link address inside an HTML attribute.
std::string escape_href(const std::string& url);

class MarkdownCache {
public:
    // The preparation of text when there is one, counted as a hit.
    std::shared_ptr<const PreparedMarkdown> reuse(const std::string& text);
    // The same without counting: to see what is left to prepare before asking. Safe
    // from several threads while nothing is stored.
    std::shared_ptr<const PreparedMarkdown> peek(const std::string& text) const;
    // Counts a preparation that peek() found as reused.
    void count_reuse() { ++parse_hits_; }
    // Replaces the entry for text (e.g. prepared again with its plain text).
    void store(const std::string& text, std::shared_ptr<const PreparedMarkdown> prepared);

    std::size_t size() const { return prepared_.size(); }
    void clear() { prepared_.clear(); }
    int parse_hits() const { return parse_hits_; }

private:
    // By text: a hash and one comparison per lookup (texts are long and often alike).
    std::unordered_map<std::string, std::shared_ptr<const PreparedMarkdown>> prepared_;
    int parse_hits_ = 0;
};

}  // namespace cypp::load
