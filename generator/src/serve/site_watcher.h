// SiteWatcher: what wakes cypp serve to rebuild, with inotify.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>

#include "history/history.h"

namespace cypp::serve {

// Watches every folder of the site (not public/ or hidden folders such as .git): any
// write, creation, deletion or rename below them wakes the preview. Given the site's git
// folders, it also wakes it when the history each rebuild reads changes: HEAD,
// packed-refs or anything below refs/ (a commit, a checkout, a tag), never the objects
// or the index, which change on every git add.
class SiteWatcher {
public:
    SiteWatcher(const std::filesystem::path& site, const std::optional<history::GitFolders>& git);
    ~SiteWatcher();
    SiteWatcher(const SiteWatcher&) = delete;
    SiteWatcher& operator=(const SiteWatcher&) = delete;
    // Waits up to timeout for changes; true when something changed.
    bool wait(std::chrono::milliseconds timeout);

private:
    enum class Role {
        site_folder,  // the site's files: every change counts
        git_folder,   // .git itself (or a worktree's): only HEAD and packed-refs count
        git_refs,     // refs/ and below: every reference counts, not its lock file
    };
    struct Watched {
        std::filesystem::path folder;
        Role role;
    };
    static bool counts(Role role, const std::string& name);
    void watch_tree(const std::filesystem::path& root, Role role);
    void add(const std::filesystem::path& folder, Role role);
    int fd_;
    std::map<int, Watched> watched_;
};

}  // namespace cypp::serve
