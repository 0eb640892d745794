#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "diag/diagnostics.h"
#include "fs/site_source.h"
#include "load/markdown_pages.h"
#include "load/read_ahead.h"
#include "load/site_files.h"

using namespace cypp;
namespace stdfs = std::filesystem;

namespace {

stdfs::path fresh_site(const std::string& name) {
    const stdfs::path folder = stdfs::temp_directory_path() / ("cypp-read-ahead-" + name + "-" + std::to_string(::getpid()));
    stdfs::remove_all(folder);
    stdfs::create_directories(folder / "plans/p/chapters/sub");
    return folder;
}

void write(const stdfs::path& file, const std::string& text) {
    std::ofstream(file, std::ios::binary) << text;
}

}  // namespace

TEST_CASE("the Markdown files of a plan's chapters folder are read ahead, each handed out once, as the source reads them", "[load]") {
    const stdfs::path site = fresh_site("files");
    write(site / "plans/p/chapters/b.md", "# B\n");
    write(site / "plans/p/chapters/a.md", "# A\n");
    write(site / "plans/p/chapters/big.md", std::string(100, 'x'));
    write(site / "plans/p/chapters/notes.txt", "not Markdown");
    write(site / "plans/p/chapters/sub/deeper.md", "# Deeper\n");
    stdfs::create_directories(site / "plans/p/chapters/folder.md");
    const fs::DiskSource source(site);
    const std::vector<std::string> files = load::likely_chapter_files(source, "plans/p/");
    REQUIRE(files == std::vector<std::string>{"plans/p/chapters/a.md", "plans/p/chapters/b.md", "plans/p/chapters/big.md"});
    REQUIRE(load::likely_chapter_files(source, "plans/none/").empty());

    load::ReadAhead ahead(source, [&] { return files; }, 50, 1 << 20);
    ahead.finish(true);
    REQUIRE(ahead.read_count() == 3);
    std::optional<fs::ReadResult> a = ahead.take("plans/p/chapters/a.md", 50);
    REQUIRE(a);
    REQUIRE(a->status == fs::ReadStatus::ok);
    REQUIRE(a->text == "# A\n");
    REQUIRE_FALSE(ahead.take("plans/p/chapters/a.md", 50));  // once only
    REQUIRE_FALSE(ahead.take("plans/p/chapters/b.md", 60));  // read with another limit
    REQUIRE(ahead.take("plans/p/chapters/b.md", 50)->text == "# B\n");
    REQUIRE(ahead.take("plans/p/chapters/big.md", 50)->status == fs::ReadStatus::too_large);
    REQUIRE_FALSE(ahead.take("plans/p/chapters/notes.txt", 50));
    stdfs::remove_all(site);
}

TEST_CASE("reading ahead stops once the texts come to its budget", "[load]") {
    const stdfs::path site = fresh_site("budget");
    std::vector<std::string> files;
    for (char name = 'a'; name <= 'j'; ++name) {
        write(site / "plans/p/chapters" / (std::string(1, name) + ".md"), std::string(100, name));
        files.push_back("plans/p/chapters/" + std::string(1, name) + ".md");
    }
    const fs::DiskSource source(site);
    load::ReadAhead ahead(source, [&] { return files; }, 1 << 20, 250);
    ahead.finish(true);
    REQUIRE(ahead.read_count() == 3);  // 300 bytes: the third passed the budget
    REQUIRE(ahead.take("plans/p/chapters/c.md", 1 << 20)->text == std::string(100, 'c'));
    REQUIRE_FALSE(ahead.take("plans/p/chapters/d.md", 1 << 20));
    stdfs::remove_all(site);
}

// The file is changed on disk after it was read ahead: a page given the read-ahead
// shows the text as it was read, one without it the text as it is now.
TEST_CASE("a load's pages take their texts from what was read ahead", "[load]") {
    const stdfs::path site = fresh_site("pages");
    write(site / "plans/p/chapters/a.md", "Read ahead.\n");
    write(site / "plans/p/chapters/b.md", "Only now.\n");
    const fs::DiskSource source(site);
    load::Limits limits;
    limits.jobs = 2;
    load::ReadAhead ahead(
        source, [] { return std::vector<std::string>{"plans/p/chapters/a.md"}; }, limits.max_markdown_bytes, 1 << 20);
    ahead.finish(true);
    write(site / "plans/p/chapters/a.md", "Changed since.\n");

    auto texts = [&](load::ReadAhead* read_ahead) {
        diag::Diagnostics diagnostics;
        load::SiteFiles files(source, site, limits, diagnostics);
        load::MarkdownPages pages(files, nullptr);
        pages.take_reads_from(read_ahead);
        std::vector<load::MarkdownPages::Request> requests;
        for (const char* name : {"a", "b"})
            requests.push_back({std::string("plans/p/chapters/") + name + ".md", std::string("plan/") + name + "/index.html",
                                {"plans/p/plan.json", nullptr, "/chapters/0/file"}, load::MarkdownPages::PlainText::keep});
        REQUIRE(pages.add_all(requests));
        REQUIRE(diagnostics.all().empty());
        return std::vector<std::string>{pages.text_of("plans/p/chapters/a.md"), pages.text_of("plans/p/chapters/b.md")};
    };
    REQUIRE(texts(&ahead) == std::vector<std::string>{"Read ahead.\n", "Only now.\n"});
    REQUIRE(texts(nullptr) == std::vector<std::string>{"Changed since.\n", "Only now.\n"});
    stdfs::remove_all(site);
}
