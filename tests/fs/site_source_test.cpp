#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>
#include <unistd.h>

#include "fs/site_source.h"

namespace stdfs = std::filesystem;
using namespace cypp::fs;

namespace {

// outside/secret.md, outside/folder/secret.md and outside/site/ (the site folder), with
// site/plans/page.md and site/plans/other.md inside.
struct Sandbox {
    stdfs::path outside, site;
    Sandbox() {
        outside = stdfs::temp_directory_path() / ("cypp-site-source-test-" + std::to_string(::getpid()));
        stdfs::remove_all(outside);
        site = outside / "site";
        stdfs::create_directories(site / "plans");
        stdfs::create_directories(outside / "folder");
        std::ofstream(outside / "secret.md") << "secret";
        std::ofstream(outside / "folder" / "secret.md") << "secret";
        std::ofstream(site / "plans" / "page.md") << "page";
        std::ofstream(site / "plans" / "other.md") << "other";
    }
    ~Sandbox() { stdfs::remove_all(outside); }
};

ReadStatus status_of(const DiskSource& source, const std::string& relative) {
    return source.read(relative, 1024).status;
}

}  // namespace

TEST_CASE("DiskSource reads files inside the site folder", "[fs]") {
    Sandbox sandbox;
    DiskSource source(sandbox.site);
    REQUIRE(source.read("plans/page.md", 1024).text == "page");
    REQUIRE(status_of(source, "plans/missing.md") == ReadStatus::missing);
    REQUIRE(status_of(source, "missing/page.md") == ReadStatus::missing);
    REQUIRE(status_of(source, "plans") == ReadStatus::not_a_file);
    REQUIRE(source.read("plans/../plans/page.md", 1024).text == "page");
    // Out and back in again is still inside.
    REQUIRE(source.read("../site/plans/page.md", 1024).text == "page");
    // Doubled slashes, and a site folder given with a slash at its end.
    REQUIRE(source.read("plans//page.md", 1024).text == "page");
    DiskSource with_slash(sandbox.site.string() + "/");
    REQUIRE(with_slash.read("plans/page.md", 1024).text == "page");
    REQUIRE(status_of(with_slash, "../secret.md") == ReadStatus::outside_site);
}

TEST_CASE("DiskSource refuses what leads outside the site folder", "[fs]") {
    Sandbox sandbox;
    stdfs::create_symlink(sandbox.outside / "secret.md", sandbox.site / "plans" / "linked.md");
    stdfs::create_symlink(sandbox.outside / "folder", sandbox.site / "linked-folder");
    stdfs::create_symlink("../../folder", sandbox.site / "plans" / "relative-folder");
    stdfs::create_symlink(sandbox.outside / "nowhere.md", sandbox.site / "plans" / "dangling.md");
    DiskSource source(sandbox.site);
    for (const char* relative : {"plans/linked.md", "linked-folder/secret.md", "linked-folder/missing.md",
                                 "plans/relative-folder/secret.md", "../secret.md",
                                 "plans/../../secret.md", "../folder/secret.md", "linked-folder/../secret.md",
                                 "linked-folder"})
    {
        INFO(relative);
        CHECK(status_of(source, relative) == ReadStatus::outside_site);
    }
    // A link to nothing leads nowhere: nothing is read.
    CHECK(status_of(source, "plans/dangling.md") == ReadStatus::missing);
    CHECK(status_of(source, "plans/..") == ReadStatus::not_a_file);
    // An absolute path is never joined to the site folder.
    CHECK(status_of(source, (sandbox.outside / "secret.md").string()) == ReadStatus::outside_site);
    // The folder was read and remembered once; its files are still judged one by one.
    REQUIRE(source.read("plans/page.md", 1024).text == "page");
    CHECK(status_of(source, "plans/linked.md") == ReadStatus::outside_site);
}

TEST_CASE("DiskSource follows symbolic links that stay inside the site folder", "[fs]") {
    Sandbox sandbox;
    stdfs::create_symlink("page.md", sandbox.site / "plans" / "alias.md");
    stdfs::create_symlink("plans", sandbox.site / "alias-folder");
    DiskSource source(sandbox.site);
    REQUIRE(source.read("plans/alias.md", 1024).text == "page");
    REQUIRE(source.read("alias-folder/page.md", 1024).text == "page");
    REQUIRE(source.read("alias-folder/alias.md", 1024).text == "page");
}

TEST_CASE("DiskSource keeps reading a folder where it was when swapped for a link outside", "[fs]") {
    Sandbox sandbox;
    DiskSource source(sandbox.site);
    REQUIRE(source.read("plans/page.md", 1024).text == "page");
    // Swapped between two reads of one build: the folder moved away, a link outside in its place.
    stdfs::rename(sandbox.site / "plans", sandbox.site / "moved");
    std::ofstream(sandbox.outside / "folder" / "page.md") << "secret";
    stdfs::create_symlink(sandbox.outside / "folder", sandbox.site / "plans");
    CHECK(source.read("plans/page.md", 1024).text == "page");
    // A file the folder never held is looked for the careful way, which sees the link.
    CHECK(status_of(source, "plans/secret.md") == ReadStatus::outside_site);
    // A source made afterwards sees the link, and refuses it.
    DiskSource later(sandbox.site);
    CHECK(status_of(later, "plans/page.md") == ReadStatus::outside_site);
}

TEST_CASE("DiskSource gives the same answers from several threads", "[fs]") {
    Sandbox sandbox;
    stdfs::create_symlink(sandbox.outside / "folder", sandbox.site / "linked-folder");
    DiskSource source(sandbox.site);
    std::vector<int> wrong(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                wrong[t] += source.read("plans/other.md", 1024).text != "other";
                wrong[t] += status_of(source, "linked-folder/secret.md") != ReadStatus::outside_site;
            }
        });
    for (std::thread& thread : threads) thread.join();
    REQUIRE(wrong == std::vector<int>(4, 0));
}
