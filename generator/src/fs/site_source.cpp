#include "fs/site_source.h"

#include <algorithm>

namespace cypp::fs {

// A path that resolves (through symlinks or "..") outside the site folder is treated as
// missing: nothing outside the folder an author gave is ever read.
bool DiskSource::inside(const std::string& relative) const {
    std::error_code ec;
    const auto root = std::filesystem::weakly_canonical(root_, ec);
    const auto target = std::filesystem::weakly_canonical(root_ / relative, ec);
    if (ec) return false;
    auto [root_end, target_at] = std::mismatch(root.begin(), root.end(), target.begin(), target.end());
    return root_end == root.end();
}

ReadResult DiskSource::read(const std::string& relative, std::uintmax_t max_bytes) const {
    if (!inside(relative)) return {ReadStatus::outside_site, {}};
    return read_file(root_ / relative, max_bytes);
}

bool DiskSource::is_file(const std::string& relative) const {
    std::error_code ec;
    return std::filesystem::is_regular_file(root_ / relative, ec);
}

bool DiskSource::is_directory(const std::string& relative) const {
    std::error_code ec;
    return std::filesystem::is_directory(root_ / relative, ec);
}

}  // namespace cypp::fs
