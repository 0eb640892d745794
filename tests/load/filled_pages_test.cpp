#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

#include "fs/site_source.h"
#include "load/filled_pages.h"
#include "load/load_site.h"
#include "load/markdown_cache.h"

#include "editable_fixture.h"

using namespace cypp;
namespace stdfs = std::filesystem;

TEST_CASE("FilledPages gives a page back only for the same source, place and preparation", "[load]") {
    load::FilledPages filled;
    auto prepared = std::make_shared<load::PreparedMarkdown>();
    auto other = std::make_shared<load::PreparedMarkdown>();
    filled.start_load(7);
    filled.keep("plans/p/chapters/a.md", "plan/a/index.html", prepared, "<p>a</p>");
    const std::string* found = filled.find("plans/p/chapters/a.md", "plan/a/index.html", prepared.get());
    REQUIRE(found);
    REQUIRE(*found == "<p>a</p>");
    REQUIRE_FALSE(filled.find("plans/p/chapters/a.md", "plan/a/index.html", other.get()));
    REQUIRE_FALSE(filled.find("plans/p/chapters/a.md", "plans/p/plan/a/index.html", prepared.get()));
    REQUIRE_FALSE(filled.find("plans/p/chapters/b.md", "plan/a/index.html", prepared.get()));
    // The same link map: kept; another: every page let go.
    filled.start_load(7);
    REQUIRE(filled.find("plans/p/chapters/a.md", "plan/a/index.html", prepared.get()));
    filled.start_load(8);
    REQUIRE_FALSE(filled.find("plans/p/chapters/a.md", "plan/a/index.html", prepared.get()));
    REQUIRE(filled.size() == 0);
}

namespace {

std::string codes(const diag::Diagnostics& diagnostics) {
    std::string text;
    for (const auto& diagnostic : diagnostics.all()) text += diagnostic.code + "@" + diagnostic.file + " ";
    return text;
}

}  // namespace

TEST_CASE("a load fills in again only pages whose links may have changed, and reports every problem every time",
          "[load]") {
    const stdfs::path folder = test::copy_fixture("minimal", "filled-pages-test");
    const stdfs::path chapters = folder / "plans/2011-2014/chapters";
    load::MarkdownCache markdown;
    load::FilledPages filled;
    load::Limits limits;
    limits.filled_pages = &filled;
    auto load_once = [&](diag::Diagnostics& diagnostics) {
        return load::load_site(fs::DiskSource(folder), folder, limits, diagnostics, &markdown);
    };
    auto body = [](const model::Site& site, std::size_t chapter) { return site.plans[0].chapters[chapter].page.body_html; };

    diag::Diagnostics first;
    auto site = load_once(first);
    REQUIRE(site);
    REQUIRE(first.all().empty());
    REQUIRE(filled.hits() == 0);
    const std::string introduction = body(*site, 0);
    REQUIRE(introduction.find("href=\"../needs/index.html#what-we-found\"") != std::string::npos);

    // Nothing changed: every page (two chapters, one child page) is taken as it was.
    diag::Diagnostics second;
    site = load_once(second);
    REQUIRE(second.all().empty());
    REQUIRE(filled.hits() == 3);
    REQUIRE(body(*site, 0) == introduction);

    // The text of one page changed: that page alone is filled in again.
    test::replace_in(chapters / "introduction.md", "We meet every month.", "We meet every week.");
    diag::Diagnostics edited;
    site = load_once(edited);
    REQUIRE(edited.all().empty());
    REQUIRE(filled.hits() == 2);
    REQUIRE(body(*site, 0).find("We meet every week.") != std::string::npos);

    // A heading another page links to is renamed: the link map changed, so the unchanged
    // introduction is checked again and its broken link reported, on every load.
    test::replace_in(chapters / "needs.md", "## What we found", "## What we learned");
    for (int load = 0; load < 2; ++load) {
        diag::Diagnostics renamed;
        load_once(renamed);
        REQUIRE(codes(renamed) == "CY402@" + (folder / "plans/2011-2014/chapters/introduction.md").string() + " ");
        REQUIRE(filled.hits() == (load == 0 ? 0 : 2));  // the two pages without a problem
    }
    test::replace_in(chapters / "needs.md", "## What we learned", "## What we found");

    // A link to a file is looked for on disk on every load.
    std::ofstream(chapters / "data.csv") << "a,b\n";
    test::replace_in(chapters / "needs.md", "Back to", "See [the figures](data.csv). Back to");
    diag::Diagnostics with_file;
    site = load_once(with_file);
    REQUIRE(with_file.all().empty());
    diag::Diagnostics again;
    site = load_once(again);
    REQUIRE(again.all().empty());
    REQUIRE(filled.hits() == 2);  // not the page with the file link
    REQUIRE(site->linked_files == std::vector<std::string>{"plans/2011-2014/chapters/data.csv"});
    stdfs::remove(chapters / "data.csv");
    diag::Diagnostics removed;
    load_once(removed);
    REQUIRE(codes(removed) == "CY401@" + (folder / "plans/2011-2014/chapters/needs.md").string() + " ");
    stdfs::remove_all(folder);
}
