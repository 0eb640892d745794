#include "load/markdown_cache.h"

#include <array>

namespace cypp::load {

namespace {

constexpr std::string_view placeholder_start = "=\"cypp-url:";

// cmark-gfm's houdini_escape_href leaves letters, digits and these as they are.
constexpr auto href_safe = [] {
    std::array<bool, 256> safe{};
    for (int c = 0; c < 256; ++c) safe[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    for (const char c : std::string_view("-_.+!*(),%#@?=;:/,+$~")) safe[static_cast<unsigned char>(c)] = true;
    return safe;
}();

bool is_href_safe(unsigned char c) { return href_safe[c]; }

}  // namespace

std::string url_placeholder(std::size_t index) { return "cypp-url:" + std::to_string(index); }

std::string escape_href(const std::string& url) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string escaped;
    escaped.reserve(url.size());
    for (std::size_t at = 0; at < url.size(); ++at) {
        // Most of an address is safe: each run of it is copied whole.
        std::size_t safe_end = at;
        while (safe_end < url.size() && is_href_safe(static_cast<unsigned char>(url[safe_end]))) ++safe_end;
        escaped.append(url, at, safe_end - at);
        if ((at = safe_end) == url.size()) break;
        const char c = url[at];
        const auto byte = static_cast<unsigned char>(c);
        if (c == '&') {
            escaped += "&amp;";
        } else if (c == '\'') {
            escaped += "&#x27;";
        } else {
            escaped += '%';
            escaped += hex[byte >> 4];
            escaped += hex[byte & 0xF];
        }
    }
    return escaped;
}

std::string fill_urls(const std::string& html_template, const std::vector<std::string>& urls) {
    // The placeholders are found first, so that the page can be reserved to the byte:
    // every page is held as HTML from load to render.
    struct Slot {
        std::size_t start, end, index;  // the placeholder's text, between =" and "
    };
    std::vector<std::string> escaped;
    escaped.reserve(urls.size());
    for (const std::string& url : urls) escaped.push_back(escape_href(url));
    std::vector<Slot> slots;
    slots.reserve(urls.size());
    std::size_t size = html_template.size();
    for (std::size_t found = html_template.find(placeholder_start); found != std::string::npos;
         found = html_template.find(placeholder_start, found + 1)) {
        const std::size_t number = found + placeholder_start.size();
        const std::size_t quote = html_template.find('"', number);
        if (quote == std::string::npos) break;
        std::size_t index = 0;
        for (std::size_t i = number; i < quote; ++i) index = index * 10 + static_cast<std::size_t>(html_template[i] - '0');
        slots.push_back({found + 2, quote, index});
        size -= quote - (found + 2);
        if (index < escaped.size()) size += escaped[index].size();
    }
    std::string html;
    html.reserve(size);
    std::size_t at = 0;
    for (const Slot& slot : slots) {
        html.append(html_template, at, slot.start - at);  // up to and including ="
        if (slot.index < escaped.size()) html += escaped[slot.index];
        at = slot.end;
    }
    html.append(html_template, at, std::string::npos);
    return html;
}

PageOutline::PageOutline(const std::vector<markdown::Heading>& headings, const std::vector<markdown::Link>& links) {
    std::size_t bytes = 0;
    for (const markdown::Heading& heading : headings) bytes += heading.text.size() + heading.id.size();
    for (const markdown::Link& link : links) bytes += link.url.size();
    strings_.reserve(bytes);
    headings_.reserve(headings.size());
    for (const markdown::Heading& heading : headings) headings_.push_back({keep(heading.text), keep(heading.id), heading.level});
    links_.reserve(links.size());
    for (const markdown::Link& link : links) links_.push_back({keep(link.url), link.line, link.column});
}

PageOutline::Span PageOutline::keep(const std::string& text) {
    // A page's Markdown is capped far below 4 GiB (Limits::max_markdown_bytes).
    const Span span{static_cast<std::uint32_t>(strings_.size()), static_cast<std::uint32_t>(text.size())};
    strings_ += text;
    return span;
}

PageOutline::Heading PageOutline::heading(std::size_t index) const {
    const HeadingAt& heading = headings_[index];
    return {heading.level, view(heading.text), view(heading.id)};
}

PageOutline::Link PageOutline::link(std::size_t index) const {
    const LinkAt& link = links_[index];
    return {view(link.url), link.line, link.column};
}

std::shared_ptr<const PreparedMarkdown> MarkdownCache::reuse(const std::string& text) {
    auto found = prepared_.find(text);
    if (found == prepared_.end()) return nullptr;
    ++parse_hits_;
    return found->second;
}

std::shared_ptr<const PreparedMarkdown> MarkdownCache::peek(const std::string& text) const {
    auto found = prepared_.find(text);
    return found == prepared_.end() ? nullptr : found->second;
}

void MarkdownCache::store(const std::string& text, std::shared_ptr<const PreparedMarkdown> prepared) {
    prepared_[text] = std::move(prepared);
}

}  // namespace cypp::load
