#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <thread>
#include <fcntl.h>
#include <unistd.h>

#include <sys/stat.h>

#include "fs/read_cache.h"
#include "fs/site_source.h"

namespace stdfs = std::filesystem;
using namespace cypp::fs;

namespace {

struct Folder {
    stdfs::path root = stdfs::temp_directory_path() / ("cypp-read-cache-test-" + std::to_string(::getpid()));
    Folder() {
        stdfs::remove_all(root);
        stdfs::create_directories(root / "plans");
    }
    ~Folder() { stdfs::remove_all(root); }
    void write(const std::string& relative, const std::string& text) const {
        std::ofstream(root / relative, std::ios::binary | std::ios::trunc) << text;
    }
};

// Writes text into the file without changing its size or modification time: only its
// change time (which no one can set) tells the two apart. It waits first for the file
// system's clock to tick (a coarse clock: a few milliseconds at most), as settling does.
void overwrite_keeping_mtime(const stdfs::path& path, const std::string& text) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    struct stat before {};
    REQUIRE(::stat(path.c_str(), &before) == 0);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    const timespec times[2] = {before.st_atim, before.st_mtim};
    REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

}  // namespace

TEST_CASE("ReadCache gives back a settled file's text without reading it again", "[fs]") {
    Folder folder;
    folder.write("plans/page.md", "first");
    ReadCache cache(std::chrono::nanoseconds(0));  // every file counts as settled
    DiskSource source(folder.root, &cache);
    cache.start_build();
    REQUIRE(source.read("plans/page.md", 1024).text == "first");
    REQUIRE(cache.hits() == 0);
    REQUIRE(cache.size() == 1);
    cache.start_build();
    REQUIRE(source.read("plans/page.md", 1024).text == "first");
    REQUIRE(cache.hits() == 1);

    SECTION("a file changed to the same size with its old modification time is read again") {
        overwrite_keeping_mtime(folder.root / "plans/page.md", "other");
        cache.start_build();
        REQUIRE(source.read("plans/page.md", 1024).text == "other");
        REQUIRE(cache.hits() == 0);
    }
    SECTION("a file replaced by another is read again") {
        folder.write("plans/new.md", "newer text");
        stdfs::rename(folder.root / "plans/new.md", folder.root / "plans/page.md");
        cache.start_build();
        REQUIRE(source.read("plans/page.md", 1024).text == "newer text");
        REQUIRE(cache.hits() == 0);
    }
    SECTION("a deleted file is missing, and texts no build asked for are dropped") {
        stdfs::remove(folder.root / "plans/page.md");
        cache.start_build();
        REQUIRE(source.read("plans/page.md", 1024).status == ReadStatus::missing);
        cache.start_build();
        REQUIRE(cache.size() == 0);
    }
    SECTION("a file now larger than the reader allows is refused, not taken from the cache") {
        cache.start_build();
        REQUIRE(source.read("plans/page.md", 3).status == ReadStatus::too_large);
    }
}

TEST_CASE("ReadCache keeps no text of a file changed a moment ago", "[fs]") {
    Folder folder;
    folder.write("plans/page.md", "just saved");
    ReadCache cache;  // two seconds to settle: the file was written just now
    DiskSource source(folder.root, &cache);
    REQUIRE(source.read("plans/page.md", 1024).text == "just saved");
    REQUIRE(cache.size() == 0);
    REQUIRE(source.read("plans/page.md", 1024).text == "just saved");
    REQUIRE(cache.hits() == 0);
}

TEST_CASE("ReadCache does not keep files reached through a symbolic link", "[fs]") {
    Folder folder;
    folder.write("plans/page.md", "page");
    stdfs::create_symlink("page.md", folder.root / "plans/linked.md");
    ReadCache cache(std::chrono::nanoseconds(0));
    DiskSource source(folder.root, &cache);
    REQUIRE(source.read("plans/linked.md", 1024).text == "page");
    REQUIRE(cache.size() == 0);
}
