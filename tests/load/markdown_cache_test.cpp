#include <catch2/catch.hpp>

#include "diag/diagnostics.h"
#include "load/markdown_cache.h"
#include "markdown/markdown.h"

using namespace cypp;

namespace {

// What cmark-gfm itself writes for a link to url.
std::string cmark_href(const std::string& url) {
    diag::Diagnostics ignored;
    markdown::ParsedMarkdown parsed = markdown::parse_markdown("[x](http://example.org/)\n", "t.md", {}, ignored);
    const std::string html = markdown::render_html(parsed, [&](const markdown::Link&) { return url; });
    const std::size_t start = html.find("href=\"") + 6;
    return html.substr(start, html.find('"', start) - start);
}

}  // namespace

TEST_CASE("addresses are escaped exactly as cmark-gfm escapes them, byte by byte", "[load]") {
    for (int byte = 1; byte < 256; ++byte) {
        const std::string url = std::string("a") + static_cast<char>(byte) + "b";
        INFO("byte " << byte);
        REQUIRE(load::escape_href(url) == cmark_href(url));
    }
    REQUIRE(load::escape_href("../plan/needs/index.html#what-we-found") == "../plan/needs/index.html#what-we-found");
    REQUIRE(load::escape_href("https://x.example/?a=1&b='2'") == "https://x.example/?a=1&amp;b=&#x27;2&#x27;");
}

TEST_CASE("placeholders are filled with each link's address, and only placeholders", "[load]") {
    const std::string html_template = "<p><a href=\"" + load::url_placeholder(0) + "\" title=\"=&quot;cypp-url:1&quot;\">a</a> "
                                       "<img src=\"" + load::url_placeholder(1) + "\" alt=\"b\" /></p>\n";
    REQUIRE(load::fill_urls(html_template, {"one.html", "two & three.png"}) ==
            "<p><a href=\"one.html\" title=\"=&quot;cypp-url:1&quot;\">a</a> "
            "<img src=\"two%20&amp;%20three.png\" alt=\"b\" /></p>\n");
    // Every page's HTML is held from load to render: no room is left over.
    const std::string filled = load::fill_urls(html_template, {"one.html", "two & three.png"});
    REQUIRE(filled.capacity() == filled.size());
}

TEST_CASE("a cache gives back what was stored for a text and counts each reuse", "[load]") {
    load::MarkdownCache cache;
    auto a = std::make_shared<const load::PreparedMarkdown>();
    REQUIRE(cache.reuse("## A\n") == nullptr);
    cache.store("## A\n", a);
    REQUIRE(cache.peek("## A\n") == a);  // not counted
    REQUIRE(cache.parse_hits() == 0);
    REQUIRE(cache.reuse("## A\n") == a);
    REQUIRE(cache.reuse("## B\n") == nullptr);
    REQUIRE(cache.parse_hits() == 1);
    auto replaced = std::make_shared<const load::PreparedMarkdown>();
    cache.store("## A\n", replaced);  // e.g. prepared again with its plain text
    REQUIRE(cache.reuse("## A\n") == replaced);
    REQUIRE(cache.size() == 1);
}

TEST_CASE("a page outline gives back each heading and link as parsed, from one buffer", "[load]") {
    const std::vector<cypp::markdown::Heading> headings{
        {2, "Being healthy", "being-healthy", 3}, {3, "", "section", 9}, {2, "Staying safe online and offline", "staying-safe-online-and-offline", 12}};
    const std::vector<cypp::markdown::Link> links{{"c00001.md#being-healthy", false, 4, 7}, {"https://example.org/", true, 20, 1}};
    const cypp::load::PageOutline outline(headings, links);
    REQUIRE(outline.heading_count() == 3);
    for (std::size_t h = 0; h < headings.size(); ++h) {
        REQUIRE(outline.heading(h).level == headings[h].level);
        REQUIRE(outline.heading(h).text == headings[h].text);
        REQUIRE(outline.heading(h).id == headings[h].id);
    }
    REQUIRE(outline.link_count() == 2);
    REQUIRE(outline.link(0).url == "c00001.md#being-healthy");
    REQUIRE(outline.link(1).url == "https://example.org/");
    REQUIRE(outline.link(1).line == 20);
    REQUIRE(outline.link(0).column == 7);
    // A copy or a move keeps its views pointing into its own buffer.
    cypp::load::PageOutline copied = outline;
    const cypp::load::PageOutline moved = std::move(copied);
    REQUIRE(moved.heading(2).id == "staying-safe-online-and-offline");
    REQUIRE(cypp::load::PageOutline().heading_count() == 0);
}
