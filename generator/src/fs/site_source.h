// Where a site's files are read from: the folder on disk, or (for archived versions)
// a git tree. The load stage reads only through this interface.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "fs/output_tree.h"

namespace cypp::fs {

class SiteSource {
public:
    virtual ~SiteSource() = default;
    // relative: '/'-separated path inside the site folder.
    virtual ReadResult read(const std::string& relative, std::uintmax_t max_bytes) const = 0;
    virtual bool is_file(const std::string& relative) const = 0;
    virtual bool is_directory(const std::string& relative) const = 0;
};

class DiskSource final : public SiteSource {
public:
    explicit DiskSource(std::filesystem::path root) : root_(std::move(root)) {}
    ReadResult read(const std::string& relative, std::uintmax_t max_bytes) const override;
    bool is_file(const std::string& relative) const override;
    bool is_directory(const std::string& relative) const override;
    const std::filesystem::path& root() const { return root_; }

private:
    bool inside(const std::string& relative) const;
    std::filesystem::path root_;
};

}  // namespace cypp::fs
