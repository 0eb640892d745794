// fs: reading author files with a size cap, and writing a build's output so that it
// either appears whole or not at all.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

struct stat;

namespace cypp::fs {

enum class ReadStatus { ok, missing, not_a_file, too_large, unreadable, outside_site };

struct ReadResult {
    ReadStatus status = ReadStatus::ok;
    std::string text;
};

ReadResult read_file(const std::string& path, std::uintmax_t max_bytes);
// read_file's work on a file opened already, whose fstat status is known; closes fd.
ReadResult read_opened_file(int fd, const struct stat& status, std::uintmax_t max_bytes);

// folder / relative, joined on the string: every file a build reads or writes passes
// here, and a path object splits itself into parts on each join.
std::string joined_path(const std::filesystem::path& folder, const std::string& relative);

// A folder as a user named it ("out", "out/", "."): absolute, without "." or ".." or a
// final "/", so that its filename() is its name.
std::filesystem::path folder_named(const std::filesystem::path& named);
// The folder a build replaces when told named: folder_named(named), and where a symbolic
// link there leads (a link to a web root: the web root is replaced, not the link).
std::filesystem::path output_folder(const std::filesystem::path& named);

// The files of one build. Paths are relative, '/'-separated, sorted for stable output.
// Nothing reaches the output folder before commit_output(), so a build that fails
// half-way changes nothing there. A tree holds its files in memory (check, preview,
// tests) unless start_staging() was called: then every file goes straight into a
// hidden staging folder beside the target as it is added, and the tree keeps only
// its name, so a build holds one page at a time however large the site.
class OutputTree {
public:
    OutputTree();
    ~OutputTree();  // a staging folder never committed is removed
    OutputTree(OutputTree&&) noexcept;
    OutputTree& operator=(OutputTree&&) noexcept;

    // On an empty tree: stage its files for target. Clears what killed builds left
    // there. Returns why not when target may not be replaced (nothing is created then).
    std::optional<std::string> start_staging(const std::filesystem::path& target);
    bool staged() const { return staging_ != nullptr; }

    // Called with every file as it is added, before it is stored or written: a build
    // looks at each file once, while it is in memory (checks, checksums). A file added
    // whole is one piece, first and last; one added in pieces is seen piece by piece as
    // they come (views of the producer's text), then as an empty last piece, all on the
    // adding thread. A Batch calls it for several whole files at once.
    struct Piece {
        std::string_view content;
        bool first = true;
        bool last = true;
    };
    using Observer = std::function<void(const std::string& path, const Piece& piece)>;
    void observe(Observer observer) { observer_ = std::move(observer); }

    // Adding a path again replaces its content.
    void add(const std::string& relative_path, std::string content);
    // Files added together from several threads (a batch of rendered pages): the batch
    // takes their paths in order, then each file's content once, from any thread, where
    // it is observed, compared with the previous output and written at once; finish()
    // leaves the tree as if they had been added one by one in order. When a path comes
    // twice, the files are kept and added one by one by finish().
    class Batch {
    public:
        Batch(OutputTree& tree, std::vector<std::string> paths);
        void put(std::size_t index, std::string content);  // any thread, once per index
        void finish();                                      // the adding thread, after every put

    private:
        OutputTree& tree_;
        std::vector<std::string> paths_;
        bool one_by_one_ = false;
        std::vector<char> replacing_;
        std::vector<std::string> kept_;                     // in memory, or one by one
        std::vector<std::optional<std::string>> failures_;  // staged
    };
    // A file too large to hold whole (the print edition is the whole plan on one page):
    // produce calls put with its content piece by piece, and a staged tree writes each
    // piece at once, so only one piece is in memory at a time.
    // expected_size: about how large the file will be, so that a tree in memory makes
    // room for it once instead of growing it piece by piece (room not used costs nothing).
    using PieceSink = std::function<void(std::string_view piece)>;
    void add_in_pieces(const std::string& relative_path, const std::function<void(const PieceSink& put)>& produce,
                       std::size_t expected_size = 0);
    bool contains(const std::string& relative_path) const { return paths_.count(relative_path) > 0; }
    const std::set<std::string>& paths() const { return paths_; }
    std::size_t size() const { return paths_.size(); }
    // The content of a file of the tree (read back from the staging folder when staged).
    std::string read(const std::string& relative_path) const;
    // Every file in path order, one at a time.
    void for_each(const std::function<void(const std::string& path, const std::string& content)>& visit) const;
    // In-memory trees only (throws for a staged tree): path → content.
    const std::map<std::string, std::string>& files() const;

private:
    friend std::optional<std::string> commit_output(OutputTree& tree, const std::filesystem::path& target);
    struct Staging;
    std::set<std::string> paths_;
    std::map<std::string, std::string> contents_;  // in memory only
    std::unique_ptr<Staging> staging_;
    Observer observer_;
};

// The marker file that says a folder was written by cypp (and may be replaced by it).
inline constexpr const char* output_marker = ".cypp-output";
// What the marker file says, all of it.
inline constexpr const char* output_marker_text = "This folder is written by cypp build and is replaced on every build.\n";

// Puts the tree in place of target in one step (an atomic exchange where the kernel
// offers one). The previous content of target stays untouched unless the new tree was
// completely written. Refuses to replace a non-empty folder that cypp did not create.
// A file whose content the previous output already holds is hard-linked from it, not
// written again. Returns an error message on failure.
std::optional<std::string> commit_output(OutputTree& tree, const std::filesystem::path& target);

}  // namespace cypp::fs
