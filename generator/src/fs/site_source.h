// Where a site's files are read from: the folder on disk, or (for archived versions)
// a git tree. The load stage reads only through this interface.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "fs/output_tree.h"
#include "fs/read_cache.h"

namespace cypp::fs {

class SiteSource {
public:
    virtual ~SiteSource() = default;
    // relative: '/'-separated path inside the site folder.
    virtual ReadResult read(const std::string& relative, std::uintmax_t max_bytes) const = 0;
    virtual bool is_file(const std::string& relative) const = 0;
    virtual bool is_directory(const std::string& relative) const = 0;
    // True when several threads may read at once.
    virtual bool reads_in_parallel() const { return false; }
    // The names of the regular files directly in relative_folder, sorted; none when it
    // cannot be listed, or the source does not list folders (a git tree).
    virtual std::vector<std::string> files_in(const std::string& /*relative_folder*/) const { return {}; }
};

// Reads only files that resolve (through symbolic links and "..") inside root; the
// others read as ReadStatus::outside_site. Safe to use from several threads.
// cache (cypp serve): texts of files unchanged since an earlier build are taken from it.
class DiskSource final : public SiteSource {
public:
    explicit DiskSource(std::filesystem::path root, ReadCache* cache = nullptr);
    ~DiskSource() override;
    DiskSource(const DiskSource&) = delete;
    DiskSource& operator=(const DiskSource&) = delete;
    ReadResult read(const std::string& relative, std::uintmax_t max_bytes) const override;
    bool is_file(const std::string& relative) const override;
    bool is_directory(const std::string& relative) const override;
    bool reads_in_parallel() const override { return true; }
    std::vector<std::string> files_in(const std::string& relative_folder) const override;
    const std::filesystem::path& root() const { return root_; }

private:
    bool inside(const std::string& path) const;
    int folder_fd(const std::string& path, std::size_t slash) const;
    ReadResult read_plain(const std::string& path, int fd, const struct stat& status, std::uintmax_t max_bytes) const;
    bool resolves_inside(std::string_view resolved) const;

    std::filesystem::path root_;
    ReadCache* cache_;
    std::optional<std::filesystem::path> resolved_root_;
    // Folder (as joined to root_, without a trailing "/") -> it opened where it resolves,
    // or -1; a site has few folders and many files in each, so each folder's symbolic
    // links are followed once per source.
    mutable std::mutex folders_mutex_;
    mutable std::map<std::string, int, std::less<>> folders_;
};

}  // namespace cypp::fs
