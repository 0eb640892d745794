#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <stdexcept>
#include <string>
#include <vector>

#include "fs/output_tree.h"
#include "parallel/for_each.h"

namespace stdfs = std::filesystem;
using namespace cypp::fs;

namespace {

stdfs::path fresh_folder(const std::string& name) {
    stdfs::path folder = stdfs::temp_directory_path() / ("cypp-fs-test-" + std::to_string(::getpid()) + "-" + name);
    stdfs::remove_all(folder);
    stdfs::create_directories(folder);
    return folder;
}

std::string slurp(const stdfs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

}  // namespace

TEST_CASE("a path is joined to its folder as std::filesystem joins it", "[fs]") {
    REQUIRE(joined_path("site", "plans/a.md") == "site/plans/a.md");
    REQUIRE(joined_path("/tmp/site/", "plans/a.md") == "/tmp/site/plans/a.md");
    REQUIRE(joined_path("site", "") == "site/");
    REQUIRE(joined_path("", "a.md") == "a.md");
    REQUIRE(joined_path("site", "/etc/passwd") == "/etc/passwd");  // as operator/ does: never below site
}

TEST_CASE("read_file reports missing, oversized and good files", "[fs]") {
    auto folder = fresh_folder("read");
    std::ofstream(folder / "a.txt") << "hello";
    REQUIRE(read_file(folder / "a.txt", 100).text == "hello");
    REQUIRE(read_file(folder / "a.txt", 4).status == ReadStatus::too_large);
    REQUIRE(read_file(folder / "nope.txt", 100).status == ReadStatus::missing);
    REQUIRE(read_file(folder, 100).status == ReadStatus::not_a_file);
    stdfs::remove_all(folder);
}

TEST_CASE("commit_output writes the whole tree and replaces an earlier build", "[fs]") {
    auto folder = fresh_folder("commit");
    OutputTree first;
    first.add("index.html", "one");
    first.add("plan/a/index.html", "a");
    REQUIRE_FALSE(commit_output(first, folder / "out"));
    REQUIRE(slurp(folder / "out/plan/a/index.html") == "a");

    OutputTree second;
    second.add("index.html", "two");
    REQUIRE_FALSE(commit_output(second, folder / "out"));
    REQUIRE(slurp(folder / "out/index.html") == "two");
    REQUIRE_FALSE(stdfs::exists(folder / "out/plan/a/index.html"));
    // No temporary folders left beside the output.
    int entries = 0;
    for (auto& entry : stdfs::directory_iterator(folder)) entries += entry.path().filename() != "out";
    REQUIRE(entries == 0);
    stdfs::remove_all(folder);
}

TEST_CASE("an output folder named with a final slash or a final dot is that folder", "[fs]") {
    auto folder = fresh_folder("named");
    REQUIRE(folder_named(folder / "out/") == folder / "out");
    REQUIRE(folder_named(folder / "out/.") == folder / "out");
    REQUIRE(folder_named(folder / "out/../out//") == folder / "out");
    REQUIRE(folder_named("/") == "/");
    for (const std::string named : {"out/", "out/."}) {
        INFO(named);
        OutputTree tree;
        tree.add("index.html", named);
        REQUIRE_FALSE(commit_output(tree, folder.string() + "/" + named));
        REQUIRE(slurp(folder / "out/index.html") == named);
    }
    std::vector<std::string> beside;
    for (const auto& entry : stdfs::directory_iterator(folder)) beside.push_back(entry.path().filename().string());
    REQUIRE(beside == std::vector<std::string>{"out"});
    stdfs::remove_all(folder);
}

TEST_CASE("an output folder named through a symbolic link is replaced where the link leads", "[fs]") {
    auto folder = fresh_folder("linked");
    stdfs::create_directories(folder / "www");
    OutputTree first;
    first.add("index.html", "first");
    REQUIRE_FALSE(commit_output(first, folder / "www/cypp"));
    stdfs::create_directory_symlink("www/cypp", folder / "public");
    REQUIRE(output_folder(folder / "public") == folder / "www/cypp");
    OutputTree second;
    second.add("index.html", "second");
    REQUIRE_FALSE(commit_output(second, folder / "public"));
    REQUIRE(stdfs::is_symlink(folder / "public"));  // the link stays a link
    REQUIRE(slurp(folder / "www/cypp/index.html") == "second");
    REQUIRE(slurp(folder / "public/index.html") == "second");
    stdfs::remove_all(folder);
}

TEST_CASE("a failed commit leaves the previous output as it was", "[fs]") {
    auto folder = fresh_folder("failed");
    OutputTree good;
    good.add("index.html", "good");
    REQUIRE_FALSE(commit_output(good, folder / "out"));

    OutputTree impossible;  // "x" is a file, so "x/y" cannot be written
    impossible.add("index.html", "bad");
    impossible.add("x", "file");
    impossible.add("x/y", "under a file");
    auto failure = commit_output(impossible, folder / "out");
    REQUIRE(failure);
    REQUIRE(slurp(folder / "out/index.html") == "good");
    int entries = 0;
    for (auto& entry : stdfs::directory_iterator(folder)) entries += entry.path().filename() != "out";
    REQUIRE(entries == 0);
    stdfs::remove_all(folder);
}

TEST_CASE("commit_output refuses to replace a folder cypp did not write", "[fs]") {
    auto folder = fresh_folder("foreign");
    stdfs::create_directories(folder / "docs");
    std::ofstream(folder / "docs/precious.txt") << "keep me";
    OutputTree tree;
    tree.add("index.html", "x");
    auto failure = commit_output(tree, folder / "docs");
    REQUIRE(failure);
    REQUIRE(failure->find("was not written by cypp") != std::string::npos);
    REQUIRE(slurp(folder / "docs/precious.txt") == "keep me");
    stdfs::remove_all(folder);
}

TEST_CASE("a rebuild keeps the files whose content did not change and writes only the others", "[fs]") {
    const stdfs::path folder = fresh_folder("unchanged");
    const stdfs::path target = folder / "public";
    OutputTree first;
    first.add("index.html", "<p>home</p>");
    first.add("plan/a/index.html", "<p>a</p>");
    first.add("plan/b/index.html", "<p>b</p>");
    REQUIRE_FALSE(commit_output(first, target));
    auto link_count = [&](const std::string& relative) { return stdfs::hard_link_count(target / relative); };
    struct stat before_a {}, before_b {};
    REQUIRE(::stat((target / "plan/a/index.html").c_str(), &before_a) == 0);
    REQUIRE(::stat((target / "plan/b/index.html").c_str(), &before_b) == 0);

    OutputTree second;
    for (const auto& [path, content] : first.files()) second.add(path, content);
    second.add("plan/b/index.html", "<p>b, changed</p>");
    second.add("plan/c/index.html", "<p>a</p>");  // same bytes as a, but not a's file
    REQUIRE_FALSE(commit_output(second, target));
    struct stat after_a {}, after_b {};
    REQUIRE(::stat((target / "plan/a/index.html").c_str(), &after_a) == 0);
    REQUIRE(::stat((target / "plan/b/index.html").c_str(), &after_b) == 0);
    REQUIRE(after_a.st_ino == before_a.st_ino);  // not written again
    REQUIRE(after_b.st_ino != before_b.st_ino);
    REQUIRE(slurp(target / "plan/b/index.html") == "<p>b, changed</p>");
    REQUIRE(slurp(target / "plan/c/index.html") == "<p>a</p>");
    REQUIRE(link_count("plan/a/index.html") == 1);  // the previous build's folder is gone
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& entry : stdfs::directory_iterator(folder)) ++entries;
    REQUIRE(entries == 1);
    stdfs::remove_all(folder);
}

TEST_CASE("a rebuild under another umask gives the files it keeps the new permissions", "[fs]") {
    const stdfs::path folder = fresh_folder("umask");
    const stdfs::path target = folder / "public";
    auto build = [&](mode_t mask) {
        const mode_t before = ::umask(mask);
        OutputTree tree;
        auto refused = tree.start_staging(target);
        tree.add("index.html", "<p>home</p>");
        tree.add_in_pieces("print/index.html", [](const OutputTree::PieceSink& put) {
            put("<p>print");
            put(" edition</p>");
        }, 32);
        auto failure = commit_output(tree, target);
        ::umask(before);
        REQUIRE_FALSE(refused);
        REQUIRE_FALSE(failure);
    };
    auto status_of = [&](const char* relative) {
        struct stat status {};
        REQUIRE(::stat((target / relative).c_str(), &status) == 0);
        return status;
    };
    build(077);
    REQUIRE((status_of("index.html").st_mode & 07777) == 0600);
    REQUIRE((status_of("print/index.html").st_mode & 07777) == 0600);
    build(022);  // same content, another umask: written again, not linked
    REQUIRE((status_of("index.html").st_mode & 07777) == 0644);
    REQUIRE((status_of("print/index.html").st_mode & 07777) == 0644);
    const ino_t page = status_of("index.html").st_ino, print = status_of("print/index.html").st_ino;
    build(022);  // nothing changed at all: both linked from the previous output
    REQUIRE(status_of("index.html").st_ino == page);
    REQUIRE(status_of("print/index.html").st_ino == print);
    REQUIRE(slurp(target / "print/index.html") == "<p>print edition</p>");
    stdfs::remove_all(folder);
}

namespace {

// The hidden folders beside target (staging folders of builds).
std::vector<std::string> hidden_beside(const stdfs::path& folder) {
    std::vector<std::string> names;
    for (const auto& entry : stdfs::directory_iterator(folder))
        if (entry.path().filename().string().starts_with(".")) names.push_back(entry.path().filename().string());
    return names;
}

}  // namespace

TEST_CASE("a staged tree writes each file as it is added and holds none of them", "[fs]") {
    const stdfs::path folder = fresh_folder("staged");
    OutputTree tree;
    REQUIRE_FALSE(tree.start_staging(folder / "out"));
    REQUIRE(tree.staged());
    tree.add("index.html", "<p>home</p>");
    tree.add("plan/a/index.html", "<p>a</p>");
    const auto staging = hidden_beside(folder);
    REQUIRE(staging.size() == 1);
    REQUIRE(staging[0] == ".out.cypp-" + std::to_string(::getpid()) + ".new");
    REQUIRE(slurp(folder / staging[0] / "plan/a/index.html") == "<p>a</p>");  // already on disk
    REQUIRE_FALSE(stdfs::exists(folder / "out"));                             // but not yet the output
    REQUIRE(tree.read("index.html") == "<p>home</p>");
    REQUIRE_THROWS_AS(tree.files(), std::logic_error);
    std::vector<std::string> visited;
    tree.for_each([&](const std::string& path, const std::string& content) { visited.push_back(path + "=" + content); });
    REQUIRE(visited == std::vector<std::string>{"index.html=<p>home</p>", "plan/a/index.html=<p>a</p>"});

    REQUIRE_FALSE(commit_output(tree, folder / "out"));
    REQUIRE(slurp(folder / "out/index.html") == "<p>home</p>");
    REQUIRE(stdfs::exists(folder / "out" / output_marker));
    REQUIRE(hidden_beside(folder).empty());
    stdfs::remove_all(folder);
}

TEST_CASE("a staged tree that is never committed leaves the previous output and nothing else", "[fs]") {
    const stdfs::path folder = fresh_folder("abandoned");
    OutputTree first;
    first.add("index.html", "first");
    REQUIRE_FALSE(commit_output(first, folder / "out"));
    {
        OutputTree abandoned;
        REQUIRE_FALSE(abandoned.start_staging(folder / "out"));
        abandoned.add("index.html", "second");
        REQUIRE(hidden_beside(folder).size() == 1);
    }  // e.g. the content had errors
    REQUIRE(hidden_beside(folder).empty());
    REQUIRE(slurp(folder / "out/index.html") == "first");
    stdfs::remove_all(folder);
}

TEST_CASE("replacing a staged file that was linked from the previous output leaves that output alone", "[fs]") {
    const stdfs::path folder = fresh_folder("relinked");
    OutputTree first;
    first.add("index.html", "same");
    REQUIRE_FALSE(commit_output(first, folder / "out"));
    OutputTree second;
    REQUIRE_FALSE(second.start_staging(folder / "out"));
    second.add("index.html", "same");  // hard-linked from out/index.html
    const auto staging = folder / hidden_beside(folder).at(0);
    REQUIRE(stdfs::hard_link_count(staging / "index.html") == 2);
    second.add("index.html", "changed");
    REQUIRE(slurp(folder / "out/index.html") == "same");
    REQUIRE(slurp(staging / "index.html") == "changed");
    REQUIRE_FALSE(commit_output(second, folder / "out"));
    REQUIRE(slurp(folder / "out/index.html") == "changed");
    stdfs::remove_all(folder);
}

TEST_CASE("staging refuses a folder cypp did not write and creates nothing", "[fs]") {
    const stdfs::path folder = fresh_folder("stage-foreign");
    stdfs::create_directories(folder / "docs");
    std::ofstream(folder / "docs/precious.txt") << "keep me";
    OutputTree tree;
    const auto refused = tree.start_staging(folder / "docs");
    REQUIRE(refused);
    REQUIRE(refused->find("was not written by cypp") != std::string::npos);
    REQUIRE_FALSE(tree.staged());
    REQUIRE(hidden_beside(folder).empty());
    stdfs::remove_all(folder);
}

TEST_CASE("a staged write that fails is reported by commit_output, which then writes nothing", "[fs]") {
    const stdfs::path folder = fresh_folder("stage-fail");
    OutputTree good;
    good.add("index.html", "good");
    REQUIRE_FALSE(commit_output(good, folder / "out"));
    OutputTree tree;
    REQUIRE_FALSE(tree.start_staging(folder / "out"));
    tree.add("x", "file");
    tree.add("x/y", "under a file");
    const auto failure = commit_output(tree, folder / "out");
    REQUIRE(failure);
    // Named where the file was going, not in the hidden staging folder.
    REQUIRE(failure->starts_with("cannot create folder " + (folder / "out/x").string() + ": "));
    REQUIRE(slurp(folder / "out/index.html") == "good");
    stdfs::remove_all(folder);
}

TEST_CASE("a build clears the staging folders of killed builds, not of running ones", "[fs]") {
    const stdfs::path folder = fresh_folder("leftovers");
    const pid_t exited = ::fork();
    if (exited == 0) ::_exit(0);
    ::waitpid(exited, nullptr, 0);  // a process id no longer in use: a killed build's
    const std::string killed = ".out.cypp-" + std::to_string(exited) + ".new";
    const std::string running = ".out.cypp-" + std::to_string(::getppid()) + ".new";  // a live process
    stdfs::create_directories(folder / killed);
    stdfs::create_directories(folder / running);
    OutputTree tree;
    REQUIRE_FALSE(tree.start_staging(folder / "out"));
    REQUIRE_FALSE(stdfs::exists(folder / killed));
    REQUIRE(stdfs::exists(folder / running));
    tree.add("index.html", "x");
    REQUIRE_FALSE(commit_output(tree, folder / "out"));
    REQUIRE(stdfs::exists(folder / running));
    stdfs::remove_all(folder);
}

// Pieces are gathered and written in blocks of some hundreds of KiB: a file of many small
// pieces, pieces larger than a block, and a change after the first block written.
TEST_CASE("a large file added in many small and some large pieces is written whole, and linked when unchanged", "[fs]") {
    const stdfs::path folder = fresh_folder("many-pieces");
    std::vector<std::string> pieces;
    for (int i = 0; i < 40000; ++i) pieces.push_back("<p>" + std::to_string(i) + "</p>\n");
    pieces.insert(pieces.begin() + 20000, std::string(300 * 1024, 'a'));
    pieces.push_back(std::string(700 * 1024, 'z'));
    pieces.push_back("<p>end</p>");
    std::string whole;
    for (const std::string& piece : pieces) whole += piece;
    // Where the file differs from the text (npos: nowhere), not the megabytes of both.
    auto first_difference = [](const std::string& file, const std::string& text) {
        const auto mismatch = std::mismatch(file.begin(), file.end(), text.begin(), text.end());
        return mismatch.first == file.end() && mismatch.second == text.end() ? std::string::npos
                                                                              : std::size_t(mismatch.first - file.begin());
    };
    auto add_print = [&](const std::vector<std::string>& parts) {
        OutputTree tree;
        REQUIRE_FALSE(tree.start_staging(folder / "out"));
        tree.add_in_pieces("print/index.html", [&](const OutputTree::PieceSink& put) {
            for (const std::string& part : parts) put(part);
        });
        const bool linked = stdfs::hard_link_count(folder / hidden_beside(folder).at(0) / "print/index.html") == 2;
        REQUIRE_FALSE(commit_output(tree, folder / "out"));
        return linked;
    };
    REQUIRE_FALSE(add_print(pieces));
    REQUIRE(first_difference(slurp(folder / "out/print/index.html"), whole) == std::string::npos);
    REQUIRE(add_print(pieces));  // the same bytes: the previous file
    REQUIRE(first_difference(slurp(folder / "out/print/index.html"), whole) == std::string::npos);

    std::vector<std::string> changed = pieces;
    changed[30000] = "<p>changed</p>\n";  // past the first block
    std::string changed_whole;
    for (const std::string& piece : changed) changed_whole += piece;
    REQUIRE(changed_whole.size() == whole.size() + 2);
    REQUIRE_FALSE(add_print(changed));
    REQUIRE(first_difference(slurp(folder / "out/print/index.html"), changed_whole) == std::string::npos);
    changed.pop_back();  // shorter by the last piece only
    REQUIRE_FALSE(add_print(changed));
    const std::string shorter = changed_whole.substr(0, changed_whole.size() - 10);
    REQUIRE(first_difference(slurp(folder / "out/print/index.html"), shorter) == std::string::npos);
    REQUIRE(hidden_beside(folder).empty());
    stdfs::remove_all(folder);
}

TEST_CASE("a file added in pieces is written as it comes, observed piece by piece, and linked when unchanged", "[fs]") {
    const stdfs::path folder = fresh_folder("pieces");
    const std::vector<std::string> pieces{"<h1>Plan</h1>", "", "<p>one</p>", "<p>two</p>\n"};
    auto add_print = [&](OutputTree& tree, const std::vector<std::string>& parts) {
        tree.add_in_pieces("print/index.html", [&](const OutputTree::PieceSink& put) {
            for (const std::string& part : parts) put(part);
        });
    };
    OutputTree in_memory;
    std::vector<std::string> seen;
    in_memory.observe([&](const std::string& path, const OutputTree::Piece& piece) {
        seen.push_back(path + ":" + std::string(piece.content) + (piece.first ? ":first" : "") + (piece.last ? ":last" : ""));
    });
    add_print(in_memory, pieces);
    in_memory.add("index.html", "<p>home</p>");
    REQUIRE(in_memory.read("print/index.html") == "<h1>Plan</h1><p>one</p><p>two</p>\n");
    REQUIRE(seen == std::vector<std::string>{"print/index.html:<h1>Plan</h1>:first", "print/index.html:<p>one</p>",
                                             "print/index.html:<p>two</p>\n", "print/index.html::last",
                                             "index.html:<p>home</p>:first:last"});
    REQUIRE_FALSE(commit_output(in_memory, folder / "out"));
    struct stat before {};
    REQUIRE(::stat((folder / "out/print/index.html").c_str(), &before) == 0);

    // Staged: the same bytes in other pieces are the previous file, linked, not rewritten.
    OutputTree same;
    REQUIRE_FALSE(same.start_staging(folder / "out"));
    add_print(same, {"<h1>Plan</h1><p>o", "ne</p><p>two</p>\n"});
    const auto staging = folder / hidden_beside(folder).at(0);
    REQUIRE(stdfs::hard_link_count(staging / "print/index.html") == 2);
    REQUIRE_FALSE(commit_output(same, folder / "out"));
    struct stat after {};
    REQUIRE(::stat((folder / "out/print/index.html").c_str(), &after) == 0);
    REQUIRE(after.st_ino == before.st_ino);

    // A change anywhere, or a longer or shorter file, is written.
    for (const std::vector<std::string>& changed :
         {std::vector<std::string>{"<h1>Plan</h1>", "<p>one</p>", "<p>TWO</p>\n"},
          std::vector<std::string>{"<h1>Plan</h1><p>one</p><p>two</p>\n", "<p>three</p>"},
          std::vector<std::string>{"<h1>Plan</h1>"}, std::vector<std::string>{}}) {
        OutputTree tree;
        REQUIRE_FALSE(tree.start_staging(folder / "out"));
        add_print(tree, changed);
        add_print(tree, changed);  // added twice: the second replaces the first
        REQUIRE_FALSE(commit_output(tree, folder / "out"));
        std::string expected;
        for (const std::string& part : changed) expected += part;
        REQUIRE(slurp(folder / "out/print/index.html") == expected);
        REQUIRE(stdfs::hard_link_count(folder / "out/print/index.html") == 1);
    }
    REQUIRE(hidden_beside(folder).empty());
    stdfs::remove_all(folder);
}

namespace {

struct File {
    std::string path;
    std::string content;
};

// A site's worth of pages in nested folders.
std::vector<File> many_pages(const std::string& variant) {
    std::vector<File> files;
    for (int i = 0; i < 200; ++i)
        files.push_back({"plan/chapters/" + std::to_string(i) + "/index.html",
                         "<p>" + std::to_string(i) + (i % 3 == 0 ? variant : std::string()) + "</p>"});
    files.push_back({"plan/deep/er/still/index.html", "<p>deep</p>"});
    return files;
}

// Puts each file from the pool's threads.
void add_together(OutputTree& tree, std::vector<File> files, cypp::parallel::Pool& pool) {
    std::vector<std::string> paths;
    for (const File& file : files) paths.push_back(file.path);
    OutputTree::Batch batch(tree, std::move(paths));
    pool.for_each(files.size(), [&](std::size_t i) { batch.put(i, std::move(files[i].content)); });
    batch.finish();
}

std::map<std::string, std::string> files_under(const stdfs::path& folder) {
    std::map<std::string, std::string> found;
    for (const auto& entry : stdfs::recursive_directory_iterator(folder))
        if (entry.is_regular_file()) found[stdfs::relative(entry.path(), folder).string()] = slurp(entry.path());
    return found;
}

}  // namespace

TEST_CASE("files put into a batch from a pool's threads give the tree, output and observations of adding them one by one", "[fs]") {
    const stdfs::path folder = fresh_folder("add-all");
    cypp::parallel::Pool pool(4);
    auto observed = [](OutputTree& tree, std::map<std::string, std::string>& seen, std::mutex& mutex) {
        tree.observe([&](const std::string& path, const OutputTree::Piece& piece) {
            const std::lock_guard<std::mutex> lock(mutex);  // called from the pool's threads: no REQUIRE here
            seen[path] += std::string(piece.content) + (piece.first && piece.last ? ";" : " in pieces;");
        });
    };
    // In memory.
    OutputTree one_by_one, together;
    std::map<std::string, std::string> seen_one, seen_together;
    std::mutex mutex;
    observed(one_by_one, seen_one, mutex);
    observed(together, seen_together, mutex);
    one_by_one.add("plan/chapters/7/index.html", "<p>replaced</p>");
    together.add("plan/chapters/7/index.html", "<p>replaced</p>");
    for (File& file : many_pages("")) one_by_one.add(file.path, file.content);
    add_together(together, many_pages(""), pool);
    REQUIRE(together.files() == one_by_one.files());
    REQUIRE(together.paths() == one_by_one.paths());
    REQUIRE(seen_together == seen_one);
    REQUIRE(seen_together.at("plan/chapters/7/index.html") == "<p>replaced</p>;<p>7</p>;");
    REQUIRE_FALSE(commit_output(one_by_one, folder / "out"));
    struct stat unchanged_before {};
    REQUIRE(::stat((folder / "out/plan/chapters/1/index.html").c_str(), &unchanged_before) == 0);

    // Staged over that output: unchanged pages are linked, changed ones written, and a
    // page added before the batch is replaced without writing through its link.
    OutputTree staged;
    REQUIRE_FALSE(staged.start_staging(folder / "out"));
    staged.add("plan/chapters/3/index.html", "<p>3</p>");  // linked from the output
    add_together(staged, many_pages(" changed"), pool);
    REQUIRE(slurp(folder / "out/plan/chapters/3/index.html") == "<p>3</p>");  // not written through the link
    REQUIRE_FALSE(commit_output(staged, folder / "out"));
    OutputTree expected;
    for (File& file : many_pages(" changed")) expected.add(file.path, file.content);
    std::map<std::string, std::string> expected_files(expected.files().begin(), expected.files().end());
    auto written = files_under(folder / "out");
    written.erase(std::string(output_marker));
    REQUIRE(written == expected_files);
    struct stat unchanged_after {}, changed_after {};
    REQUIRE(::stat((folder / "out/plan/chapters/1/index.html").c_str(), &unchanged_after) == 0);
    REQUIRE(unchanged_after.st_ino == unchanged_before.st_ino);
    REQUIRE(::stat((folder / "out/plan/chapters/3/index.html").c_str(), &changed_after) == 0);
    REQUIRE(slurp(folder / "out/plan/chapters/3/index.html") == "<p>3 changed</p>");
    stdfs::remove_all(folder);
}

TEST_CASE("a batch whose writes fail is reported by commit_output with the first failure in the batch's order", "[fs]") {
    const stdfs::path folder = fresh_folder("add-all-fail");
    cypp::parallel::Pool pool(4);
    OutputTree tree;
    REQUIRE_FALSE(tree.start_staging(folder / "out"));
    tree.add("a", "file");
    tree.add("b", "file");
    std::vector<File> files;
    for (int i = 0; i < 50; ++i) files.push_back({"ok/" + std::to_string(i), "fine"});
    files.push_back({"a/under", "cannot be written: a is a file"});
    files.push_back({"b/under", "nor this"});
    add_together(tree, std::move(files), pool);
    const auto failure = commit_output(tree, folder / "out");
    REQUIRE(failure);
    // a's, not b's, as adding them one by one reports it.
    REQUIRE(failure->starts_with("cannot create folder "));
    REQUIRE(failure->find("/a: ") != std::string::npos);
    REQUIRE(failure->find("/b: ") == std::string::npos);
    REQUIRE_FALSE(stdfs::exists(folder / "out"));
    stdfs::remove_all(folder);
}

TEST_CASE("a batch that lists a path twice adds its files one by one, in order", "[fs]") {
    cypp::parallel::Pool pool(4);
    OutputTree tree;
    std::vector<std::string> seen;
    tree.observe([&](const std::string& path, const OutputTree::Piece& piece) {
        seen.push_back(path + "=" + std::string(piece.content));  // only from finish(): one thread
    });
    add_together(tree, {{"a.html", "first"}, {"b.html", "b"}, {"a.html", "second"}}, pool);
    REQUIRE(tree.read("a.html") == "second");
    REQUIRE(seen == std::vector<std::string>{"a.html=first", "b.html=b", "a.html=second"});
}
