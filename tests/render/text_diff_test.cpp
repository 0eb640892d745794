#include <catch2/catch.hpp>

#include <string>

#include "render/text_diff.h"

using cypp::render::describe;
using cypp::render::diff_markdown;
using cypp::render::DiffStats;

namespace {

const std::string kIns = "<ins><span class=\"visually-hidden\">Added: </span>";
const std::string kDel = "<del><span class=\"visually-hidden\">Removed: </span>";

std::string context(const std::string& text) { return "<div class=\"diff-block diff-context\">" + text + "</div>\n"; }

std::string changed(const std::string& inner) {
    return "<div class=\"diff-block diff-changed\"><strong class=\"diff-label\">Changed</strong> " + inner + "</div>\n";
}

const std::string kGap = "<p class=\"diff-gap\">\xE2\x80\xA6</p>\n";

std::string paragraphs(int from, int to) {
    std::string text;
    for (int i = from; i <= to; ++i) text += "Paragraph " + std::to_string(i) + " about early help.\n\n";
    return text;
}

}  // namespace

TEST_CASE("identical texts give no diff", "[diff]") {
    const std::string text = "# Our priorities\n\nWe will reduce child poverty.\n\n- Item one\n- Item two\n";
    auto diff = diff_markdown(text, text);
    CHECK(diff.html.empty());
    CHECK_FALSE(diff.stats.any());
    CHECK(diff.stats.blocks_added == 0);
    CHECK(diff.stats.blocks_removed == 0);
    CHECK(diff.stats.blocks_changed == 0);

    CHECK(diff_markdown("", "").html.empty());
    // Re-wrapping and re-spacing is not a change.
    auto rewrapped = diff_markdown("We will reduce\nchild poverty.\n", "We will  reduce child\r\npoverty.\n\n\n");
    CHECK(rewrapped.html.empty());
    CHECK_FALSE(rewrapped.stats.any());
}

TEST_CASE("one word changed in a paragraph", "[diff]") {
    auto diff = diff_markdown("# Priorities\n\nWe will reduce child poverty.\n\nThird paragraph.\n",
                              "# Priorities\n\nWe will halve child poverty.\n\nThird paragraph.\n");
    CHECK(diff.html == context("# Priorities") +
                           changed("We will " + kDel + "reduce</del> " + kIns + "halve</ins> child poverty.") +
                           context("Third paragraph."));
    CHECK(diff.stats.blocks_changed == 1);
    CHECK(diff.stats.blocks_added == 0);
    CHECK(diff.stats.blocks_removed == 0);
    CHECK(diff.stats.any());
}

TEST_CASE("adjacent changed words merge into one ins and one del", "[diff]") {
    auto diff = diff_markdown("We will reduce child poverty by 2020.", "We will end all child poverty by 2020.");
    CHECK(diff.html == changed("We will " + kDel + "reduce</del> " + kIns + "end all</ins> child poverty by 2020."));
    auto appended = diff_markdown("Keep children safe.", "Keep children safe and well at home.");
    CHECK(appended.html == changed("Keep children " + kDel + "safe.</del> " + kIns + "safe and well at home.</ins>"));
}

TEST_CASE("a paragraph added", "[diff]") {
    auto diff = diff_markdown("First.\n\nSecond.\n\nThird.\n", "First.\n\nSecond.\n\nNew one here.\n\nThird.\n");
    CHECK(diff.html == context("Second.") +
                           "<div class=\"diff-block diff-added\"><strong class=\"diff-label\">Added</strong> " + kIns +
                           "New one here.</ins></div>\n" + context("Third."));
    CHECK(diff.stats.blocks_added == 1);
    CHECK(diff.stats.blocks_removed == 0);
    CHECK(diff.stats.blocks_changed == 0);
}

TEST_CASE("a paragraph removed", "[diff]") {
    auto diff = diff_markdown("First.\n\nSecond.\n\nOld one here.\n\nThird.\n", "First.\n\nSecond.\n\nThird.\n");
    CHECK(diff.html == context("Second.") +
                           "<div class=\"diff-block diff-removed\"><strong class=\"diff-label\">Removed</strong> " +
                           kDel + "Old one here.</del></div>\n" + context("Third."));
    CHECK(diff.stats.blocks_removed == 1);
    CHECK(diff.stats.blocks_added == 0);
    CHECK(diff.stats.blocks_changed == 0);

    auto all_gone = diff_markdown("Only paragraph.", "");
    CHECK(all_gone.stats.blocks_removed == 1);
    auto all_new = diff_markdown("", "Only paragraph.");
    CHECK(all_new.stats.blocks_added == 1);
}

TEST_CASE("a list item changed", "[diff]") {
    auto diff = diff_markdown("Our aims:\n- Item one\n- Item two\n- Item three\n",
                              "Our aims:\n- Item one\n- Item 2 revised\n- Item three\n");
    CHECK(diff.html == context("- Item one") + changed("- Item " + kDel + "two</del> " + kIns + "2 revised</ins>") +
                           context("- Item three"));
    CHECK(diff.stats.blocks_changed == 1);
    CHECK(diff.stats.blocks_added == 0);
    CHECK(diff.stats.blocks_removed == 0);
}

TEST_CASE("list items, table rows and headings are blocks of their own", "[diff]") {
    const std::string before = "## Targets\n| Year | Target |\n|---|---|\n| 2011 | 18% |\n1. First step\n   continued\n2. Second\n";
    const std::string after = "## Targets\n| Year | Target |\n|---|---|\n| 2011 | 17% |\n1. First step\n   continued\n2. Second\n";
    auto diff = diff_markdown(before, after);
    CHECK(diff.html == context("|---|---|") +
                           changed("| 2011 | " + kDel + "18%</del> " + kIns + "17%</ins> |") +
                           context("1. First step continued"));
    CHECK(diff.stats.blocks_changed == 1);
}

TEST_CASE("unrelated replacement is shown as removed and added", "[diff]") {
    auto diff = diff_markdown("A.\n\nAlpha beta gamma delta.\n\nZ.\n", "A.\n\nCompletely different words here.\n\nZ.\n");
    CHECK(diff.stats.blocks_removed == 1);
    CHECK(diff.stats.blocks_added == 1);
    CHECK(diff.stats.blocks_changed == 0);
    CHECK(diff.html.find("diff-removed") < diff.html.find("diff-added"));
}

TEST_CASE("an edited block is paired with its new version next to an insertion", "[diff]") {
    auto diff = diff_markdown("A.\n\nWe will open two new family centres.\n\nZ.\n",
                              "A.\n\nA brand new paragraph.\n\nWe will open three new family centres.\n\nZ.\n");
    CHECK(diff.html == context("A.") +
                           "<div class=\"diff-block diff-added\"><strong class=\"diff-label\">Added</strong> " + kIns +
                           "A brand new paragraph.</ins></div>\n" +
                           changed("We will open " + kDel + "two</del> " + kIns + "three</ins> new family centres.") +
                           context("Z."));
    CHECK(describe(diff.stats) == "1 paragraph changed, 1 added");
}

TEST_CASE("text is HTML-escaped", "[diff]") {
    auto diff = diff_markdown("Use <b> & \"quotes\" it's fine", "Use <i> & \"quotes\" it's fine");
    CHECK(diff.html == changed("Use " + kDel + "&lt;b&gt;</del> " + kIns +
                               "&lt;i&gt;</ins> &amp; &quot;quotes&quot; it&#39;s fine"));
    CHECK(diff.html.find("<b>") == std::string::npos);
    CHECK(diff.html.find("<i>") == std::string::npos);
}

TEST_CASE("context and gap separators between distant changes", "[diff]") {
    std::string before = paragraphs(1, 8);
    std::string after = before;
    after.replace(after.find("Paragraph 2 about"), 17, "Paragraph 2 on");
    after.replace(after.find("Paragraph 7 about"), 17, "Paragraph 7 on");
    auto diff = diff_markdown(before, after);
    auto changed_paragraph = [&](int n) {
        return changed("Paragraph " + std::to_string(n) + " " + kDel + "about</del> " + kIns + "on</ins> early help.");
    };
    CHECK(diff.html == context("Paragraph 1 about early help.") + changed_paragraph(2) +
                           context("Paragraph 3 about early help.") + kGap + context("Paragraph 6 about early help.") +
                           changed_paragraph(7) + context("Paragraph 8 about early help."));
    CHECK(diff.stats.blocks_changed == 2);

    // Hunks whose context touches are not separated.
    std::string near = before;
    near.replace(near.find("Paragraph 2 about"), 17, "Paragraph 2 on");
    near.replace(near.find("Paragraph 5 about"), 17, "Paragraph 5 on");
    auto close = diff_markdown(before, near);
    CHECK(close.html == context("Paragraph 1 about early help.") + changed_paragraph(2) +
                            context("Paragraph 3 about early help.") + context("Paragraph 4 about early help.") +
                            changed_paragraph(5) + context("Paragraph 6 about early help."));
}

TEST_CASE("output is deterministic", "[diff]") {
    std::string before = paragraphs(1, 30);
    std::string after = paragraphs(3, 12) + "Inserted text.\n\n" + paragraphs(14, 32);
    auto first = diff_markdown(before, after);
    auto second = diff_markdown(before, after);
    CHECK(first.html == second.html);
    CHECK(first.stats.blocks_removed == 3);  // 1, 2 and 13: "Inserted text." is not similar enough
    CHECK(first.stats.blocks_added == 3);    // inserted, 31, 32
    CHECK(first.stats.blocks_changed == 0);
}

TEST_CASE("describe summarises the stats", "[diff]") {
    CHECK(describe(DiffStats{}) == "No changes");
    CHECK(describe(DiffStats{1, 2, 3}) == "3 paragraphs changed, 1 added, 2 removed");
    CHECK(describe(DiffStats{1, 0, 0}) == "1 paragraph added");
    CHECK(describe(DiffStats{0, 2, 0}) == "2 paragraphs removed");
    CHECK(describe(DiffStats{0, 0, 1}) == "1 paragraph changed");
    CHECK(describe(DiffStats{2, 1, 1}) == "1 paragraph changed, 2 added, 1 removed");
    CHECK(describe(DiffStats{0, 1, 5}) == "5 paragraphs changed, 1 removed");
}

TEST_CASE("a 50 KB chapter against a slightly edited copy", "[diff]") {
    std::string before, after;
    for (int i = 0; i < 400; ++i) {
        std::string n = std::to_string(i);
        std::string paragraph = "Paragraph " + n + " sets out how the Children's Trust will improve outcomes for "
                                "children and young people in area " + n + " over the plan period.\n\n";
        before += paragraph;
        if (i == 10 || i == 200 || i == 390) {
            after += "Paragraph " + n + " sets out how the Children's Trust will sharply improve outcomes for "
                     "children and young people in area " + n + " over the plan period.\n\n";
        } else if (i == 100) {
            // removed
        } else {
            after += paragraph;
        }
        if (i == 300) after += "A wholly new commitment on youth services.\n\n";
    }
    REQUIRE(before.size() > 50000);
    auto diff = diff_markdown(before, after);
    CHECK(diff.stats.blocks_changed == 3);
    CHECK(diff.stats.blocks_added == 1);
    CHECK(diff.stats.blocks_removed == 1);
    CHECK(describe(diff.stats) == "3 paragraphs changed, 1 added, 1 removed");
}

TEST_CASE("pathological input falls back to one changed block", "[diff]") {
    std::string before, after;
    for (int i = 0; i < 60000; ++i) before += "w" + std::to_string(i) + " x\n\n";
    for (int i = 0; i < 60000; ++i) after += "v" + std::to_string(i) + " y\n\n";
    auto diff = diff_markdown(before, after);
    CHECK(diff.stats.blocks_changed == 1);
    CHECK(diff.stats.blocks_added == 0);
    CHECK(diff.stats.blocks_removed == 0);
    CHECK(diff.html.rfind("<div class=\"diff-block diff-changed\"><strong class=\"diff-label\">Changed</strong> v0 y v1 y", 0) == 0);
    CHECK(diff_markdown(before, before).html.empty());
}
