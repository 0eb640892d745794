#include <catch2/catch.hpp>

#include "markdown/markdown.h"

using namespace cypp::markdown;
using cypp::diag::Diagnostics;

namespace {

std::string render_unchanged(ParsedMarkdown& parsed) {
    return render_html(parsed, [](const Link& link) { return link.url; });
}

std::string codes_and_places(const Diagnostics& diagnostics) {
    std::string out;
    for (const auto& d : diagnostics.all())
        out += d.code + "@" + std::to_string(d.line) + ":" + std::to_string(d.column) + " ";
    return out;
}

}  // namespace

TEST_CASE("slugify makes stable heading ids", "[markdown]") {
    REQUIRE(slugify("Children's centres & schools") == "children-s-centres-schools");
    REQUIRE(slugify("  Be healthy  ") == "be-healthy");
    REQUIRE(slugify("R4.2.e: behaviour") == "r4-2-e-behaviour");
    REQUIRE(slugify("Ünïcode") == "n-code");
    REQUIRE(slugify("!!!") == "section");
}

TEST_CASE("headings get ids, repeats are numbered", "[markdown]") {
    Diagnostics diagnostics;
    auto parsed = parse_markdown("## Aims\n\ntext\n\n## Aims\n\n### Sub `code`\n", "a.md", {}, diagnostics);
    REQUIRE(diagnostics.all().empty());
    REQUIRE(parsed.headings().size() == 3);
    REQUIRE(parsed.headings()[1].id == "aims-2");
    REQUIRE(parsed.headings()[2].id == "sub-code");
    REQUIRE(parsed.headings()[2].line == 7);
    REQUIRE(render_unchanged(parsed) ==
            "<h2 id=\"aims\">Aims</h2>\n<p>text</p>\n<h2 id=\"aims-2\">Aims</h2>\n<h3 id=\"sub-code\">Sub <code>code</code></h3>\n");
}

TEST_CASE("raw HTML is reported and never rendered", "[markdown]") {
    Diagnostics diagnostics;
    auto parsed = parse_markdown("Hello <b>there</b>\n\n<script>alert(1)</script>\n", "a.md", {}, diagnostics);
    REQUIRE(codes_and_places(diagnostics) == "CY302@1:7 CY302@1:15 CY302@3:1 ");
    std::string html = render_unchanged(parsed);
    REQUIRE(html.find("<script") == std::string::npos);
    REQUIRE(html.find("<b>") == std::string::npos);
}

TEST_CASE("javascript: and data: links are reported and emptied", "[markdown]") {
    Diagnostics diagnostics;
    auto parsed = parse_markdown("text\nsee [x](javascript:alert(1)) and [y](DATA:text/html,hi)\n", "a.md", {}, diagnostics);
    REQUIRE(codes_and_places(diagnostics) == "CY304@2:5 CY304@2:34 ");
    REQUIRE(diagnostics.all()[0].message == "\"javascript:\" link is not allowed");
    std::string html = render_unchanged(parsed);
    REQUIRE(html.find("javascript") == std::string::npos);
    REQUIRE(html.find("DATA:") == std::string::npos);
}

TEST_CASE("images need alt text", "[markdown]") {
    Diagnostics diagnostics;
    auto parsed = parse_markdown("![](chart.png)\n\n![A bar chart of attendance](chart.png)\n", "a.md", {}, diagnostics);
    REQUIRE(codes_and_places(diagnostics) == "CY305@1:1 ");
    REQUIRE(parsed.links().size() == 2);
    REQUIRE(parsed.links()[1].is_image);
}

TEST_CASE("level-1 headings are reported with their line", "[markdown]") {
    Diagnostics diagnostics;
    parse_markdown("\n\n# Title\n", "a.md", {}, diagnostics);
    REQUIRE(codes_and_places(diagnostics) == "CY303@3:1 ");
}

TEST_CASE("wide or huge tables are refused before cmark sees them", "[markdown]") {
    std::string header = "|", delimiter = "|";
    for (int i = 0; i < 65; ++i) {
        header += " h |";
        delimiter += "---|";
    }
    Diagnostics diagnostics;
    auto parsed = parse_markdown("intro\n\n" + header + "\n" + delimiter + "\n| 1 |\n", "a.md", {}, diagnostics);
    REQUIRE_FALSE(parsed.usable());
    REQUIRE(codes_and_places(diagnostics) == "CY306@4:1 ");
    REQUIRE(diagnostics.all()[0].message == "table has 65 columns; the limit is 64");

    std::string rows = "| a | b | c | d |\n|---|---|---|---|\n";
    for (int i = 0; i < 6000; ++i) rows += "|x\n";
    Diagnostics many;
    REQUIRE_FALSE(parse_markdown(rows, "b.md", {}, many).usable());
    REQUIRE(codes_and_places(many) == "CY306@2:1 ");
}

TEST_CASE("links are rewritten by the caller, tables and strikethrough render", "[markdown]") {
    Diagnostics diagnostics;
    auto parsed = parse_markdown("[a](other.md#x) ~~old~~ https://example.org\n\n| a |\n|---|\n| 1 |\n", "a.md", {}, diagnostics);
    REQUIRE(diagnostics.all().empty());
    REQUIRE(parsed.links().size() == 2);  // the autolink is a link too
    std::string html = render_html(parsed, [](const Link& link) { return link.url == "other.md#x" ? "../other/index.html#x" : link.url; });
    REQUIRE(html.find("<a href=\"../other/index.html#x\">a</a>") != std::string::npos);
    REQUIRE(html.find("<del>old</del>") != std::string::npos);
    REQUIRE(html.find("<a href=\"https://example.org\">https://example.org</a>") != std::string::npos);
    REQUIRE(html.find("<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"Table: a\">\n<table>") !=
            std::string::npos);
    REQUIRE(html.find("</table>\n</div>") != std::string::npos);
}

TEST_CASE("skipped heading levels and vague link text are warnings", "[markdown]") {
    Diagnostics diagnostics;
    auto parsed = parse_markdown("## Aims\n\n#### Detail\n\nFor more, [click here](other.md). See [the needs assessment](needs.md).\n\n[Read more.](x.md)\n",
                                 "a.md", {}, diagnostics);
    REQUIRE(codes_and_places(diagnostics) == "CY307@3:1 CY308@5:11 CY308@7:1 ");
    REQUIRE(diagnostics.all()[0].severity == cypp::diag::Severity::warning);
    REQUIRE(diagnostics.all()[0].message == "heading level 4 follows level 2: a level is skipped");
    REQUIRE(diagnostics.all()[1].message == "link text \"click here\" does not say where the link goes");
}

TEST_CASE("plain text has one line per block", "[markdown]") {
    Diagnostics diagnostics;
    auto parsed = parse_markdown("## Being safe\n\nWe *listen* to you.\nAlways.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| c | d |\n",
                                 "a.md", {}, diagnostics);
    REQUIRE(plain_text(parsed) == "Being safe\nWe listen to you. Always.\none\ntwo\na\nb\nc\nd\n");
}
