// Throwaway git repositories for the history tests, made with libgit2 (never the git
// command) in fresh temporary folders that are removed again afterwards.
#pragma once

#include <filesystem>
#include <string>

struct git_repository;

namespace cypp::testing {

// A new repository in a new temporary folder. The site lives in site_folder inside it
// ("" = the repository root). Commits are signed by a fixed author and committer at
// 12:00 UTC (offset 0) on the given date, so commit ids are reproducible.
class GitFixture {
public:
    explicit GitFixture(std::string site_folder = "site");
    ~GitFixture();
    GitFixture(const GitFixture&) = delete;
    GitFixture& operator=(const GitFixture&) = delete;

    const std::filesystem::path& root() const { return root_; }        // the working folder
    std::filesystem::path site() const;                                // the site folder
    git_repository* repository() const { return repo_; }

    // Copies tests/fixtures/<fixture> into the site folder.
    void add_fixture(const std::string& fixture) const;

    // Files, relative to the site folder ("../x" reaches outside it).
    std::string read(const std::string& relative) const;
    void write(const std::string& relative, const std::string& content) const;
    void replace(const std::string& relative, const std::string& from, const std::string& to) const;  // throws if absent
    void remove(const std::string& relative) const;
    void rename(const std::string& from, const std::string& to) const;
    // Adds one file's current content to the index (without committing).
    void stage(const std::string& relative) const;

    // Stages every change in the working folder (additions, edits, deletions) and
    // commits on HEAD. date is "YYYY-MM-DD"; change_note, when not empty, becomes a
    // "Change-note: ..." trailer after a blank line. Returns the commit's hex id.
    std::string commit(const std::string& subject, const std::string& date, const std::string& change_note = {}) const;
    // An annotated tag on a commit (hex id).
    void tag(const std::string& name, const std::string& commit, const std::string& message, const std::string& date) const;
    // A lightweight tag (a plain reference, no tag object).
    void lightweight_tag(const std::string& name, const std::string& commit) const;
    // Writes the site folder as it was at commit into a new folder dest (blobs only).
    void export_site(const std::string& commit, const std::filesystem::path& dest) const;

private:
    std::filesystem::path root_;
    std::string site_folder_;
    git_repository* repo_ = nullptr;
};

// A new empty temporary folder, removed by the destructor.
class TempFolder {
public:
    TempFolder();
    ~TempFolder();
    TempFolder(const TempFolder&) = delete;
    TempFolder& operator=(const TempFolder&) = delete;
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// Seconds since 1970-01-01 for 12:00 UTC on "YYYY-MM-DD".
long long noon_utc(const std::string& date);

}  // namespace cypp::testing
