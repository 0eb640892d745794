#include "markdown/concurrent_cmark.h"

#include <catch2/catch.hpp>
#include <cmark-gfm-extension_api.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

using namespace cypp::markdown;

namespace {

std::string to_html(const std::string& text) {
    cmark_parser* parser = new_parser(CMARK_OPT_DEFAULT);
    cmark_parser_feed(parser, text.data(), text.size());
    cmark_node* document = finish_parse(parser);
    char* raw = cmark_render_html(document, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
    std::string html = raw;
    std::free(raw);
    cmark_node_free(document);
    cmark_parser_free(parser);
    return html;
}

}  // namespace

TEST_CASE("with Debian's cmark-gfm, parses run side by side", "[markdown]") {
    // One at a time is also correct; this pins that the faster way is the one taken.
    REQUIRE(parses_run_side_by_side());
}

TEST_CASE("parses finished side by side keep their strikethrough and autolinks", "[markdown]") {
    const std::string text = "~~struck~~ and www.example.org and plan@example.org\n\n| a | b |\n|---|---|\n| ~~c~~ | d |\n";
    const std::string expected =
        "<p><del>struck</del> and <a href=\"http://www.example.org\">www.example.org</a> and "
        "<a href=\"mailto:plan@example.org\">plan@example.org</a></p>\n"
        "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td><del>c</del></td>\n<td>d</td>\n</tr>\n</tbody>\n</table>\n";
    REQUIRE(to_html(text) == expected);
    std::vector<int> different(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 2000; ++i) different[t] += to_html(text) != expected;
        });
    for (std::thread& thread : threads) thread.join();
    REQUIRE(different == std::vector<int>(4, 0));
}
