#include "fs/site_source.h"

#include <algorithm>
#include <cerrno>

#include <sys/stat.h>

namespace cypp::fs {

namespace stdfs = std::filesystem;

namespace {

std::optional<stdfs::path> resolve(const stdfs::path& path) {
    std::error_code ec;
    stdfs::path resolved = stdfs::weakly_canonical(path, ec);
    if (ec) return std::nullopt;
    return resolved;
}

}  // namespace

DiskSource::DiskSource(stdfs::path root, ReadCache* cache)
    : root_(std::move(root)), cache_(cache), resolved_root_(resolve(root_)) {}

// Both are absolute and resolved, so comparing the strings up to a "/" compares them
// folder by folder (and costs no path object per folder, for every file read).
bool DiskSource::resolves_inside(const std::optional<stdfs::path>& resolved) const {
    if (!resolved || !resolved_root_) return false;
    std::string_view root = resolved_root_->native();
    while (root.size() > 1 && root.ends_with('/')) root.remove_suffix(1);
    const std::string_view path = resolved->native();
    if (!path.starts_with(root)) return false;
    return path.size() == root.size() || root.ends_with('/') || path[root.size()] == '/';
}

std::optional<stdfs::path> DiskSource::resolved_folder(const stdfs::path& folder) const {
    std::lock_guard lock(folders_mutex_);
    auto found = resolved_folders_.find(folder.native());
    if (found == resolved_folders_.end()) found = resolved_folders_.emplace(folder.native(), resolve(folder)).first;
    return found->second;
}

// A path that resolves (through symlinks or "..") outside the site folder is treated as
// missing: nothing outside the folder an author gave is ever read. A file that is not
// itself a symbolic link (or does not exist) resolves to where its folder resolves plus
// its name, so only its folder, shared by many files, needs following.
bool DiskSource::inside(const std::string& relative, struct stat& status) const {
    status.st_mode = 0;
    const stdfs::path path = root_ / relative;
    const stdfs::path name = path.filename();
    if (!name.empty() && name != "." && name != "..") {
        const bool plain = ::lstat(path.c_str(), &status) == 0 ? !S_ISLNK(status.st_mode) : errno == ENOENT;
        if (!plain || !S_ISREG(status.st_mode)) status.st_mode = 0;
        if (plain) {
            std::optional<stdfs::path> resolved = resolved_folder(path.parent_path());
            if (resolved) *resolved /= name;
            return resolves_inside(resolved);
        }
    }
    return resolves_inside(resolve(path));
}

ReadResult DiskSource::read(const std::string& relative, std::uintmax_t max_bytes) const {
    struct stat status {};
    if (!inside(relative, status)) return {ReadStatus::outside_site, {}};
    const bool cacheable = cache_ && S_ISREG(status.st_mode) && static_cast<std::uintmax_t>(status.st_size) <= max_bytes;
    const std::string path = cacheable ? (root_ / relative).native() : std::string();
    if (cacheable)
        if (std::optional<std::string> text = cache_->find(path, status)) return {ReadStatus::ok, std::move(*text)};
    ReadResult result = read_file(root_ / relative, max_bytes);
    // Kept under the status seen before reading: a file changed meanwhile differs from it.
    if (cacheable && result.status == ReadStatus::ok) cache_->keep(path, status, result.text);
    return result;
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
