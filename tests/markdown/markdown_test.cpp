#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include <cmark-gfm.h>
#include <cstdlib>

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

TEST_CASE("a table's rows run from its delimiter row to the next blank line", "[markdown][limits]") {
    Limits limits;
    limits.max_table_cells = 10;
    auto table = [](int rows) {
        std::string text = "| a |\n|---|\n";
        for (int i = 0; i < rows; ++i) text += "| x |\n";
        return text;
    };
    Diagnostics fits;
    REQUIRE(parse_markdown("intro\n\n" + table(9) + "\n" + table(9), "a.md", limits, fits).usable());
    REQUIRE(fits.all().empty());

    Diagnostics second;
    REQUIRE_FALSE(parse_markdown("intro\n\n" + table(9) + "\n" + table(10), "a.md", limits, second).usable());
    REQUIRE(codes_and_places(second) == "CY306@16:1 ");
    REQUIRE(second.all()[0].message == "table has 11 cells; the limit is 10");

    // A delimiter row in the middle of a run counts the rows after it only.
    Diagnostics middle;
    REQUIRE(parse_markdown(table(5) + "|---|\n" + "| y |\n", "a.md", limits, middle).usable());
    REQUIRE(middle.all().empty());
}

TEST_CASE("a text of delimiter rows is checked in one pass, not once per row", "[markdown][limits]") {
    // 10,000-row runs under the cell limit: counting each row's table again would read
    // 50 million lines.
    std::string text;
    for (int run = 0; run < 10; ++run) {
        for (int i = 0; i < 10000; ++i) text += "|-|\n";
        text += "\n";
    }
    Limits limits;
    limits.max_table_cells = 10000;
    Diagnostics diagnostics;
    parse_markdown(text, "a.md", limits, diagnostics);
    for (const auto& diagnostic : diagnostics.all()) REQUIRE(diagnostic.code != "CY306");
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
    // Pages are held as HTML from load to render: made with no room left over.
    REQUIRE(html.capacity() == html.size());
    Diagnostics two;
    auto headed = parse_markdown("## A & B\n\n| x & y | z |\n|---|---|\n| 1 | 2 |\n\n## C\n\n| q |\n|---|\n| 3 |\n", "b.md", {}, two);
    REQUIRE(two.all().empty());
    const std::string headed_html = render_html(headed, [](const Link& link) { return link.url; });
    REQUIRE(headed_html.find("<h2 id=\"a-b\">") != std::string::npos);
    REQUIRE(headed_html.find("aria-label=\"Table: x &amp; y, z\"") != std::string::npos);
    REQUIRE(headed_html.capacity() == headed_html.size());
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

TEST_CASE("a text still to write is a warning, also when the page spells it with an entity", "[markdown]") {
    Diagnostics plain, entity, none;
    parse_markdown("## Aims\n\nWe will TO DO write this.\n", "a.md", {}, plain);
    REQUIRE(codes_and_places(plain) == "CY310@3:1 ");
    REQUIRE(plain.all()[0].message == "still to write: \"We will TO DO write this.\"");
    // The page itself never says "TO DO"; its text does.
    parse_markdown("## Aims\n\nA *start*, TO&#32;DO.\n", "a.md", {}, entity);
    REQUIRE(codes_and_places(entity) == "CY310@3:10 ");
    REQUIRE(entity.all()[0].message == "still to write: \", TO DO.\"");
    parse_markdown("## Aims\n\nTo do: nothing, TO\nDO.\n", "a.md", {}, none);
    REQUIRE(codes_and_places(none).empty());
}

TEST_CASE("plain text has one line per block", "[markdown]") {
    Diagnostics diagnostics;
    auto parsed = parse_markdown("## Being safe\n\nWe *listen* to you.\nAlways.\n\n- one\n- two\n\n| a | b |\n|---|---|\n| c | d |\n",
                                 "a.md", {}, diagnostics);
    REQUIRE(plain_text(parsed) == "Being safe\nWe listen to you. Always.\none\ntwo\na\nb\nc\nd\n");
}

TEST_CASE("a page whose HTML outgrows its Markdown many times over is refused", "[markdown][limits]") {
    // 64 columns over 300 one-cell rows: inside the table caps, but cmark-gfm fills out
    // every row to the header's width.
    std::string table = "|";
    for (int i = 0; i < 64; ++i) table += "a|";
    table += "\n|";
    for (int i = 0; i < 64; ++i) table += "-|";
    table += "\n";
    for (int i = 0; i < 300; ++i) table += "a\n";
    Diagnostics diagnostics;
    auto parsed = parse_markdown(table, "a.md", {}, diagnostics);
    REQUIRE(diagnostics.all().empty());
    REQUIRE(parsed.usable());
    REQUIRE(render_html(parsed, [](const Link& link) { return link.url; }, &diagnostics).empty());
    REQUIRE(codes_and_places(diagnostics) == "CY311@0:0 ");
    REQUIRE(diagnostics.all()[0].message ==
            "the page would be 196,366 or more bytes of HTML from 860 bytes of Markdown, over the limit of 120,576, "
            "so nothing is rendered for it");
    REQUIRE_FALSE(parsed.usable());  // a cached parse is refused again
    REQUIRE(render_unchanged(parsed).empty());

    // Under a higher limit the same page renders.
    Limits generous;
    generous.max_html_per_markdown_byte = 1000;
    Diagnostics quiet;
    auto allowed = parse_markdown(table, "a.md", generous, quiet);
    REQUIRE(render_html(allowed, [](const Link& link) { return link.url; }, &quiet).size() > 196000);
    REQUIRE(quiet.all().empty());
}

TEST_CASE("a long link reference used many times is refused before cmark copies it into every link", "[markdown][limits]") {
    std::string text = "Intro.\n\n[r]: https://example.org/" + std::string(100000, 'a') + "\n\n";
    for (int i = 0; i < 40000; ++i) text += "[x][r] ";
    Diagnostics diagnostics;
    REQUIRE_FALSE(parse_markdown(text, "a.md", {}, diagnostics).usable());
    REQUIRE(codes_and_places(diagnostics) == "CY311@3:1 ");

    // Addresses rewritten longer are counted again before cmark renders.
    std::string links;
    for (int i = 0; i < 40; ++i) links += "[x](a.pdf) ";
    Limits tight;
    tight.max_html_per_markdown_byte = 1;
    tight.max_html_extra_bytes = 100000;
    Diagnostics counted;
    auto parsed = parse_markdown(links, "a.md", tight, counted);
    REQUIRE(parsed.usable());
    int rewritten = 0;
    const std::string long_url(5000, 'u');
    REQUIRE(render_html(parsed, [&](const Link&) { ++rewritten; return long_url; }, &counted).empty());
    REQUIRE(rewritten == 40);
    REQUIRE(codes_and_places(counted) == "CY311@0:0 ");
}

TEST_CASE("ordinary pages stay far below the output limit", "[markdown][limits]") {
    Diagnostics diagnostics;
    auto parsed = parse_markdown("## Aims\n\n- *a*\n- **b**\n\n> quote\n\n| x | y |\n|---|---|\n| 1 | 2 |\n", "a.md", {}, diagnostics);
    REQUIRE_FALSE(render_html(parsed, [](const Link& link) { return link.url; }, &diagnostics).empty());
    REQUIRE(diagnostics.all().empty());
}

TEST_CASE("a line starting with <img swallows the text up to the next blank line: a warning says so", "[markdown]") {
    Diagnostics diagnostics;
    auto parsed = parse_markdown("Intro.\n\n<img src=\"photo.png\" alt=\"The Board\">\nThe Board met in May.\nIt agreed the plan.\n\nNext.\n",
                                 "a.md", {}, diagnostics);
    REQUIRE(codes_and_places(diagnostics) == "CY302@3:1 CY312@3:1 ");
    REQUIRE(diagnostics.all()[1].message ==
            "the line starting <img opens a block of raw HTML that runs to the next blank line, so the text on lines 4-5 "
            "is left out of the page with it");
    REQUIRE(diagnostics.all()[1].hint ==
            "put a blank line after it, or better, write the image in Markdown: ![what it shows](photo.png)");
    // Safe mode leaves a comment where the block was; the rest of the page reads on.
    REQUIRE(render_unchanged(parsed) == "<p>Intro.</p>\n<!-- raw HTML omitted -->\n<p>Next.</p>\n");

    Diagnostics one_line;
    parse_markdown("<div>\nText.\n", "a.md", {}, one_line);
    REQUIRE(codes_and_places(one_line) == "CY302@1:1 CY312@1:1 ");
    REQUIRE(one_line.all()[1].message ==
            "the line starting <div opens a block of raw HTML that runs to the next blank line, so the text on line 2 is "
            "left out of the page with it");
    REQUIRE(one_line.all()[1].hint == "put a blank line after it, or better, write it in Markdown");

    // Followed by a blank line, or inline in a paragraph, it swallows nothing.
    Diagnostics separate;
    parse_markdown("<img src=\"photo.png\" alt=\"x\">\n\nThe Board met.\n\nSee <img src=x> here.\n", "a.md", {}, separate);
    REQUIRE(codes_and_places(separate) == "CY302@1:1 CY302@5:5 ");
}

TEST_CASE("heading ids stay unique when a heading's own text ends in a repeat's number", "[markdown]") {
    Diagnostics diagnostics;
    auto parsed = parse_markdown("## A\n\n## A 2\n\n## A\n\n## A\n\n## A 2\n", "a.md", {}, diagnostics);
    std::vector<std::string> ids;
    for (const auto& heading : parsed.headings()) ids.push_back(heading.id);
    REQUIRE(ids == std::vector<std::string>{"a", "a-2", "a-3", "a-4", "a-2-2"});

    // The same past the first few dozen headings, where the ids are kept another way.
    for (const int before : {30, 31, 32, 33, 40}) {
        std::string text;
        for (int i = 0; i < before; ++i) text += "## A\n\n";
        text += "## A 2\n\n## A\n\n## A 2\n\n## B\n\n## B\n";
        std::vector<std::string> expected{"a"};
        for (int i = 2; i <= before; ++i) expected.push_back("a-" + std::to_string(i));
        expected.push_back("a-2-2");
        expected.push_back("a-" + std::to_string(before + 1));
        expected.insert(expected.end(), {"a-2-3", "b", "b-2"});
        Diagnostics many;
        auto long_page = parse_markdown(text, "a.md", {}, many);
        ids.clear();
        for (const auto& heading : long_page.headings()) ids.push_back(heading.id);
        INFO(before << " headings before");
        REQUIRE(ids == expected);
    }
}

TEST_CASE("text that is not UTF-8 is refused with the place of the first bad byte", "[markdown]") {
    Diagnostics latin1;
    auto parsed = parse_markdown("## Caf\xe9s\n\nok\n", "a.md", {}, latin1);
    REQUIRE_FALSE(parsed.usable());
    REQUIRE(codes_and_places(latin1) == "CY314@1:7 ");
    REQUIRE(latin1.all()[0].message == "byte 0xE9 is not UTF-8: the file is in another encoding, or is not text");

    Diagnostics binary;
    parse_markdown(std::string("## A\n\nx\0y", 9), "a.md", {}, binary);
    REQUIRE(codes_and_places(binary) == "CY314@3:2 ");

    for (const char* bad : {"\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\xff"}) {
        Diagnostics diagnostics;
        parse_markdown(std::string("x ") + bad, "a.md", {}, diagnostics);
        REQUIRE(codes_and_places(diagnostics) == "CY314@1:3 ");
    }
    Diagnostics fine;
    REQUIRE(parse_markdown("\xef\xbb\xbf## \xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n", "a.md", {}, fine).usable());
    REQUIRE(fine.all().empty());
}

TEST_CASE("a bad byte is found at any place in a long ASCII text (read eight bytes at a time)", "[markdown]") {
    const std::string ascii = "## Heading\n\nPlain text that runs on for a while.\n";
    for (std::size_t at = 0; at <= ascii.size(); ++at) {
        for (const std::string& bad : {std::string("\xe9"), std::string(1, '\0'), std::string("\x80")}) {
            std::string text = ascii;
            text.insert(at, bad);
            Diagnostics diagnostics;
            REQUIRE_FALSE(parse_markdown(text, "a.md", {}, diagnostics).usable());
            const std::size_t line_start = text.rfind('\n', at == 0 ? 0 : at - 1);
            const std::size_t line = 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
            const std::size_t column = at == 0 || line_start == std::string::npos ? at + 1 : at - line_start;
            INFO("bad byte at " << at);
            REQUIRE(codes_and_places(diagnostics) ==
                    "CY314@" + std::to_string(line) + ":" + std::to_string(column) + " ");
        }
    }
}

TEST_CASE("many | outside any table, or a table with many rows, is within the limits", "[markdown][limits]") {
    // More "|" than a table may have columns, none in a delimiter row: no table, no problem.
    std::string prose = "intro\n\n";
    for (int i = 0; i < 100; ++i) prose += "a | b ";
    Diagnostics diagnostics;
    REQUIRE(parse_markdown(prose + "\n", "a.md", {}, diagnostics).usable());
    REQUIRE(diagnostics.all().empty());

    // 4 columns: 20,000 cells would need 5,000 rows; 4,999 fit.
    std::string rows = "| a | b | c | d |\n|---|---|---|---|\n";
    for (int i = 0; i < 4998; ++i) rows += "|x\n";
    Diagnostics fits;
    REQUIRE(parse_markdown(rows, "b.md", {}, fits).usable());
    REQUIRE(fits.all().empty());
    Diagnostics over;
    REQUIRE_FALSE(parse_markdown(rows + "|x\n|x\n", "b.md", {}, over).usable());
    REQUIRE(codes_and_places(over) == "CY306@2:1 ");
}

TEST_CASE("a word with hundreds of @ is refused before cmark-gfm's autolinker sees it", "[markdown][limits]") {
    std::string word;
    for (int i = 0; i < 257; ++i) word += "a@";
    Diagnostics diagnostics;
    REQUIRE_FALSE(parse_markdown("## Contacts\n\nWrite to " + word + "\n", "a.md", {}, diagnostics).usable());
    REQUIRE(codes_and_places(diagnostics) == "CY313@3:10 ");
    std::string spaced;
    for (int i = 0; i < 2000; ++i) spaced += "a@b.example ";
    Diagnostics fine;
    REQUIRE(parse_markdown(spaced, "a.md", {}, fine).usable());
    REQUIRE(fine.all().empty());
}

TEST_CASE("thousands of unclosed <? are refused before cmark-gfm rereads the paragraph for each", "[markdown][limits]") {
    std::string text = "## Notes\n\nText ";
    for (int i = 0; i < 20000; ++i) text += "<?x";
    Diagnostics diagnostics;
    REQUIRE_FALSE(parse_markdown(text, "a.md", {}, diagnostics).usable());
    REQUIRE(codes_and_places(diagnostics) == "CY313@3:6 ");
    REQUIRE(diagnostics.all()[0].message == "too many \"<?\" without \"?>\": reading them would take cmark-gfm too long");

    std::string cdata = "Text ";
    for (int i = 0; i < 20000; ++i) cdata += "<![CDATA[";
    Diagnostics unclosed;
    REQUIRE_FALSE(parse_markdown(cdata, "a.md", {}, unclosed).usable());
    REQUIRE(codes_and_places(unclosed) == "CY313@1:6 ");

    // Both over the limit: "<?" is named.
    Diagnostics both;
    REQUIRE_FALSE(parse_markdown(text + cdata, "a.md", {}, both).usable());
    REQUIRE(codes_and_places(both) == "CY313@3:6 ");
    Diagnostics closed_cdata;
    std::string closed_sections = "Text ";
    for (int i = 0; i < 20000; ++i) closed_sections += "<![CDATA[x]]> ";
    REQUIRE(parse_markdown(closed_sections, "a.md", {}, closed_cdata).usable());

    // Closed ones cost nothing more than their length.
    std::string closed = "Text ";
    for (int i = 0; i < 20000; ++i) closed += "<?x?> ";
    Diagnostics fine;
    REQUIRE(parse_markdown(closed, "a.md", {}, fine).usable());
}

TEST_CASE("pages parsed on several threads at once come out as on one thread", "[markdown]") {
    // cmark-gfm 0.29 keeps the extensions' special characters ("~", ":", "w", "@") in a
    // table shared by every parser: without care, one parse finishing drops another's
    // strikethrough and autolinks.
    const std::string text = "## Notes\n\nThe target was ~~40 per cent~~ and is on www.example.org/plan and "
                             "https://example.org/x; write to plan@example.org.\n\n| a | b |\n|---|---|\n| ~~c~~ | d |\n";
    Diagnostics alone_diagnostics;
    auto alone_parsed = parse_markdown(text, "a.md", {}, alone_diagnostics);
    const std::string alone = render_unchanged(alone_parsed);
    REQUIRE(alone.find("<del>40 per cent</del>") != std::string::npos);
    REQUIRE(alone.find("<a href=\"http://www.example.org/plan\">") != std::string::npos);
    REQUIRE(alone.find("<a href=\"mailto:plan@example.org\">") != std::string::npos);
    std::vector<int> different(8, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 300; ++i) {
                Diagnostics diagnostics;
                auto parsed = parse_markdown(text, "a.md", {}, diagnostics);
                different[t] += render_unchanged(parsed) != alone;
            }
        });
    for (std::thread& thread : threads) thread.join();
    REQUIRE(different == std::vector<int>(8, 0));
}

TEST_CASE("every text the UTF-8 check accepts is one cmark's own check (left off) would leave as it is", "[markdown]") {
    // Lead bytes, and the bytes after them at the edges of what each lead allows.
    const unsigned char seconds[] = {0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0};
    const unsigned char laters[] = {0x41, 0x80, 0xbf, 0xc0};
    int accepted = 0;
    for (int lead = 0x80; lead <= 0xff; ++lead)
        for (unsigned char second : seconds)
            for (unsigned char third : laters)
                for (unsigned char fourth : laters) {
                    std::string text = "a";
                    for (unsigned char byte : {static_cast<unsigned char>(lead), second, third, fourth})
                        text += static_cast<char>(byte);
                    text += "b\n";
                    Diagnostics diagnostics;
                    if (!parse_markdown(text, "a.md", {}, diagnostics).usable()) continue;
                    ++accepted;
                    char* checked = cmark_markdown_to_html(text.data(), text.size(), CMARK_OPT_VALIDATE_UTF8);
                    char* unchecked = cmark_markdown_to_html(text.data(), text.size(), CMARK_OPT_DEFAULT);
                    INFO("lead " << lead << ", then " << int(second) << " " << int(third) << " " << int(fourth));
                    REQUIRE(std::string(checked) == std::string(unchecked));
                    std::free(checked);
                    std::free(unchecked);
                }
    // 2-byte leads C2..DF before 41 or another lead, 3- and 4-byte sequences at their edges.
    REQUIRE(accepted > 300);
}
