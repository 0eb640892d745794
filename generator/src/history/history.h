// history: the one place that touches libgit2. Reads the site's revision history in a
// single walk: which commits are published revisions (a "Change-note:" trailer, an
// annotated tag, or the first commit holding a plan), what each changed, and the site
// as it was at any revision, read from git trees without checking anything out.
// Content is site.json, plans/ and theme/: other files in the site folder are not news.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "fs/site_source.h"
#include "model/date.h"

namespace cypp::history {

struct Revision {
    std::string id;      // stable URL segment: "<date>-<first 7 hex digits of the commit>"
    std::string commit;  // full hex id
    model::Date date;
    std::string note;    // the change note (first publication: generated)
    bool first_publication = false;
    std::string plan_id;  // the plan it belongs to ("" if none)
    std::string review;   // the review year it belongs to, if the change is a review
    // Site-relative paths changed since the previous revision (minor commits included).
    std::set<std::string> changed;
    std::set<std::string> added;
    std::set<std::string> removed;
};

enum class Availability { available, not_a_repository, failed };

class History {
public:
    History();
    ~History();
    History(History&&) noexcept;
    History& operator=(History&&) noexcept;

    Availability availability() const { return availability_; }
    const std::vector<Revision>& revisions() const { return revisions_; }  // oldest first
    // Index of the last revision that changed path, if any.
    std::optional<std::size_t> last_change(const std::string& path) const;
    // Site-relative paths that differ between the working folder and HEAD.
    const std::set<std::string>& uncommitted() const { return uncommitted_; }
    // The site folder as it was at a revision.
    std::unique_ptr<fs::SiteSource> source_at(const Revision& revision) const;
    // A file as it was at a revision (nullopt if absent).
    std::optional<std::string> read_at(const Revision& revision, const std::string& path) const;

    struct Repository;  // libgit2 handles, private to history.cpp

private:
    friend History read_history(const std::filesystem::path&, const std::string&, diag::Diagnostics&);
    Availability availability_ = Availability::not_a_repository;
    std::vector<Revision> revisions_;
    std::map<std::string, std::size_t> last_change_;
    std::set<std::string> uncommitted_;
    std::unique_ptr<Repository> repository_;
};

// Discovers the repository upwards from site_dir and walks it once. Reports CY701 (not a
// repository: warning), CY702 (shallow clone), CY703 (repository owned by another
// user), CY704 (content changed since the last revision without a change note:
// warning), CY705 (any other git failure).
History read_history(const std::filesystem::path& site_dir, const std::string& display_root,
                     diag::Diagnostics& diagnostics);

// The folders of the repository holding a site whose changes change its history. A
// commit, checkout or tag rewrites HEAD, a file below refs/ or packed-refs, never the
// site's own files.
struct GitFolders {
    std::filesystem::path git_dir;     // holds HEAD
    std::filesystem::path common_dir;  // holds refs/ and packed-refs: git_dir, except in a linked worktree
};

// Discovers the repository upwards from site_dir as read_history does; nullopt when there
// is none or it cannot be opened (read_history reports why).
std::optional<GitFolders> find_git_folders(const std::filesystem::path& site_dir);

}  // namespace cypp::history
