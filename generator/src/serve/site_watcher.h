// SiteWatcher: what wakes cypp serve to rebuild, with inotify.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>

namespace cypp::serve {

// Watches every folder of the site with inotify (not public/ or hidden folders such as
// .git): any write, creation, deletion or rename below them wakes the preview.
class SiteWatcher {
public:
    explicit SiteWatcher(const std::filesystem::path& site);
    ~SiteWatcher();
    SiteWatcher(const SiteWatcher&) = delete;
    SiteWatcher& operator=(const SiteWatcher&) = delete;
    // Waits up to timeout for changes; true when something changed.
    bool wait(std::chrono::milliseconds timeout);

private:
    void watch_tree(const std::filesystem::path& root);
    void add(const std::filesystem::path& folder);
    int fd_;
    std::map<int, std::filesystem::path> folders_;
};

}  // namespace cypp::serve
