// Reproducible output (issue #9): the same site builds to byte-identical files and
// bundles whatever the machine's time zone, locale, umask, thread count and the order
// in which the file system lists directories.
//
// Directory order: read through Debian's disorderfs (FUSE) with shuffled entries when it
// can be mounted; otherwise (no FUSE, e.g. in a container) from a copy whose entries
// were created in reverse order, which changes the listing order on tmpfs and most file
// systems but not on ext4, whose listing follows name hashes. The test prints which one
// it used.
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/types.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cli_runner.h"

using namespace cypp::testing;
namespace stdfs = std::filesystem;

namespace {

std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

int shell(const std::string& command) { return std::system(("/bin/sh -c " + shell_quote(command)).c_str()); }

// Everything that may differ between two machines building the same commit.
struct Machine {
    std::string tz;      // POSIX TZ strings: no dependence on the tzdata package
    std::string locale;  // LC_ALL
    mode_t umask;
    std::string jobs;    // for --jobs, when cypp build has it
};

// UTC, and UTC+14 (commits made at 23:30 UTC fall on the next day there).
const Machine first{"UTC0", "C", 022, "1"};
const Machine second{"XST-14", "C.UTF-8", 077, "2"};

class ScopedUmask {
public:
    explicit ScopedUmask(mode_t mask) : previous_(::umask(mask)) {}
    ~ScopedUmask() { ::umask(previous_); }

private:
    mode_t previous_;
};

bool build_has_jobs_option() {
    static const bool has = run_cypp({"build", "--help"}).out.find("--jobs") != std::string::npos;
    return has;
}

// Builds site into out (whose folder name is the bundles' top-level folder) and bundles
// it, as `machine` would. Returns the files and both bundles, by name.
std::map<std::string, std::string> build_and_bundle(const stdfs::path& site, const stdfs::path& out,
                                                    const Machine& machine, std::vector<std::string> options) {
    const std::map<std::string, std::string> environment{
        {"TZ", machine.tz}, {"LC_ALL", machine.locale}, {"LANG", "\x01"}, {"SOURCE_DATE_EPOCH", "\x01"}};
    const ScopedUmask umask(machine.umask);
    std::vector<std::string> arguments{"build", site.string(), "-o", out.string()};
    arguments.insert(arguments.end(), options.begin(), options.end());
    if (build_has_jobs_option()) arguments.insert(arguments.end(), {"--jobs", machine.jobs});
    RunResult built = run_cypp(arguments, environment, out.parent_path());
    INFO(built.err);
    REQUIRE(built.exit_code == 0);
    RunResult bundled = run_cypp({"bundle", out.filename().string()}, environment, out.parent_path());
    INFO(bundled.err);
    REQUIRE(bundled.exit_code == 0);
    std::map<std::string, std::string> result = read_tree(out);
    for (const char* extension : {".tar.gz", ".zip"})
        result["(bundle)" + std::string(extension)] = read_file(out.string() + extension);
    return result;
}

// Names of the files that differ (or exist on one side only).
std::vector<std::string> differences(const std::map<std::string, std::string>& a,
                                     const std::map<std::string, std::string>& b) {
    std::vector<std::string> names;
    for (const auto& [name, content] : a) {
        auto other = b.find(name);
        if (other == b.end() || other->second != content) names.push_back(name);
    }
    for (const auto& [name, content] : b)
        if (!a.count(name)) names.push_back(name + " (only in the second)");
    return names;
}

// Copies from into to, creating the entries of each folder in reverse name order.
void copy_in_reverse_order(const stdfs::path& from, const stdfs::path& to) {
    stdfs::create_directories(to);
    std::vector<stdfs::directory_entry> entries{stdfs::directory_iterator(from), stdfs::directory_iterator()};
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.path().filename() > b.path().filename(); });
    for (const auto& entry : entries) {
        const stdfs::path target = to / entry.path().filename();
        if (entry.is_symlink()) stdfs::copy_symlink(entry.path(), target);
        else if (entry.is_directory()) copy_in_reverse_order(entry.path(), target);
        else stdfs::copy_file(entry.path(), target);
    }
}

// How many folders (below a and the same place below b, .git excluded) the file system
// lists in a different order, and how many were compared.
std::pair<int, int> folders_listed_differently(const stdfs::path& a, const stdfs::path& b) {
    const auto listing = [](const stdfs::path& folder) {
        std::vector<std::string> names;
        for (const auto& entry : stdfs::directory_iterator(folder)) names.push_back(entry.path().filename().string());
        return names;
    };
    std::pair<int, int> counts{listing(a) != listing(b) ? 1 : 0, 1};
    for (const auto& entry : stdfs::directory_iterator(a)) {
        if (!entry.is_directory() || entry.is_symlink() || entry.path().filename() == ".git") continue;
        const auto [differ, compared] = folders_listed_differently(entry.path(), b / entry.path().filename());
        counts.first += differ;
        counts.second += compared;
    }
    return counts;
}

// The folder to build from, listed in another order than source: a disorderfs view of
// a reversed copy when FUSE works, else the reversed copy itself.
class ReorderedCopy {
public:
    ReorderedCopy(const stdfs::path& source, const stdfs::path& work) {
        copy_in_reverse_order(source, work / "reversed");
        path_ = work / "reversed";
        const stdfs::path mountpoint = work / "disorderfs";
        stdfs::create_directories(mountpoint);
        if (shell("command -v disorderfs >/dev/null 2>&1 && disorderfs --quiet --shuffle-dirents=yes " +
                  shell_quote(path_.string()) + " " + shell_quote(mountpoint.string()) + " >/dev/null 2>&1") == 0) {
            mounted_ = mountpoint;
            path_ = mountpoint;
            method_ = "disorderfs (FUSE), entries shuffled, over a copy made in reverse order";
        } else {
            method_ = "a copy made in reverse order (disorderfs is missing or FUSE is unusable here)";
            std::cout << "WARN: disorderfs cannot be mounted; directory order varied by creating the copy's "
                         "entries in reverse order only\n";
        }
    }
    ~ReorderedCopy() {
        if (!mounted_.empty()) shell("fusermount -u " + shell_quote(mounted_.string()) + " >/dev/null 2>&1");
    }
    const stdfs::path& path() const { return path_; }
    const std::string& method() const { return method_; }

private:
    stdfs::path path_, mounted_;
    std::string method_;
};

// Returns the first build's files (and bundles).
std::map<std::string, std::string> compare_builds(const stdfs::path& source, std::vector<std::string> options,
                                                  const std::string& folder_in_source) {
    TempSite work = TempSite::copy_of(CYPP_FIXTURES "/minimal");  // only for its temporary folder
    const stdfs::path root = work.path().parent_path();
    const ReorderedCopy reordered(source, root / "second-source");

    const stdfs::path site_a = source / folder_in_source, site_b = reordered.path() / folder_in_source;
    const auto [differ, compared] = folders_listed_differently(site_a, site_b);
    std::cout << "Reproducibility: directory order varied by " << reordered.method() << " (" << differ << " of "
              << compared << " folders listed in another order); thread counts "
              << (build_has_jobs_option() ? "1 and 2" : "not compared (cypp build has no --jobs option)") << "\n";

    stdfs::create_directories(root / "a");
    stdfs::create_directories(root / "b");
    const auto a = build_and_bundle(site_a, root / "a" / "public", first, options);
    const auto b = build_and_bundle(site_b, root / "b" / "public", second, options);
    REQUIRE(a.size() > 10);
    const std::vector<std::string> differing = differences(a, b);
    CAPTURE(differing);
    REQUIRE(differing.empty());

    // The comparison can fail: a different build date is a different site.
    std::map<std::string, std::string> dated{{"SOURCE_DATE_EPOCH", "1301011200"}, {"TZ", first.tz}};
    std::vector<std::string> arguments{"build", site_a.string(), "-o", (root / "c").string()};
    arguments.insert(arguments.end(), options.begin(), options.end());
    REQUIRE(run_cypp(arguments, dated).exit_code == 0);
    auto c = read_tree(root / "c");
    auto a_files = a;
    a_files.erase("(bundle).tar.gz");
    a_files.erase("(bundle).zip");
    REQUIRE_FALSE(differences(a_files, c).empty());
    return a;
}

}  // namespace

TEST_CASE("site-example builds and bundles byte-identically across time zones, locales, umasks and directory orders",
          "[cli][reproducible]") {
    // Without history: a copy of site-example carries no git repository.
    TempSite example = TempSite::copy_of(CYPP_SITE_EXAMPLE);
    compare_builds(example.path(), {"--today", "2013-07-01", "--no-history"}, ".");
}

TEST_CASE("a site with revision history builds and bundles byte-identically across time zones, locales, umasks and "
          "directory orders",
          "[cli][reproducible]") {
    // A throwaway repository: the minimal plan, then a revision with a change note, both
    // committed at 23:30 UTC so that a time zone leaking into dates would move the day.
    TempSite repository("minimal");
    const auto commit = [&](const std::string& date, const std::string& message) {
        return shell("cd " + shell_quote(repository.path().string()) +
                     " && git add -A && GIT_AUTHOR_NAME=Clerk GIT_AUTHOR_EMAIL=clerk@testshire.example "
                     "GIT_COMMITTER_NAME=Clerk GIT_COMMITTER_EMAIL=clerk@testshire.example GIT_AUTHOR_DATE=" +
                     date + " GIT_COMMITTER_DATE=" + date + " git -c commit.gpgsign=false commit -q " + message);
    };
    REQUIRE(shell("cd " + shell_quote(repository.path().string()) + " && git init -q .") == 0);
    REQUIRE(commit("2011-03-25T23:30:00Z", "-m 'The plan as published'") == 0);
    repository.replace("plans/2011-2014/chapters/needs.md", "| Looked after | 120 |", "| Looked after | 125 |");
    REQUIRE(commit("2011-09-05T23:30:00Z",
                   "-m 'Correct a figure' -m 'Change-note: Corrected the number of looked-after children.'") == 0);
    const auto files = compare_builds(repository.path(), {"--today", "2011-12-01"}, ".");
    // The history was published: its pages are part of what is compared.
    REQUIRE(files.count("history/index.html") == 1);
    REQUIRE(files.count("feed.xml") == 1);
}
