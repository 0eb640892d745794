#include "fs/site_source.h"

#include <algorithm>
#include <cerrno>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

DiskSource::~DiskSource() {
    for (const auto& [path, fd] : folders_)
        if (fd >= 0) ::close(fd);
}

// Both are absolute and resolved, so comparing the strings up to a "/" compares them
// folder by folder (and costs no path object per folder, for every file read).
bool DiskSource::resolves_inside(std::string_view resolved) const {
    if (!resolved_root_) return false;
    std::string_view root = resolved_root_->native();
    while (root.size() > 1 && root.ends_with('/')) root.remove_suffix(1);
    if (!resolved.starts_with(root)) return false;
    return resolved.size() == root.size() || root.ends_with('/') || resolved[root.size()] == '/';
}

// A path that resolves (through symbolic links or "..") outside the site folder is
// treated as missing: nothing outside the folder an author gave is ever read. Resolved
// afresh each time: this is the way for what is not a plain file in a folder already
// opened (rare), and a folder's resolution kept from earlier could be out of date.
bool DiskSource::inside(const std::string& path) const {
    const std::optional<stdfs::path> resolved = resolve(path);
    return resolved && resolves_inside(resolved->native());
}

// The folder of the file at path (whose name follows path[slash]) opened (O_PATH) where
// it resolves the first time a file in it is read; -1 when that is outside the site
// folder or it cannot be opened.
int DiskSource::folder_fd(const std::string& path, std::size_t slash) const {
    // The folder as parent_path() gives it: without the slashes before the name.
    std::size_t folder_end = slash;
    while (folder_end > 0 && path[folder_end - 1] == '/') --folder_end;
    const std::string_view folder = folder_end == 0 ? std::string_view("/") : std::string_view(path).substr(0, folder_end);
    std::lock_guard lock(folders_mutex_);
    if (auto found = folders_.find(folder); found != folders_.end()) return found->second;
    int fd = -1;
    if (const std::optional<stdfs::path> resolved = resolve(std::string(folder)); resolved && resolves_inside(resolved->native()))
        fd = ::open(resolved->c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    folders_.emplace(std::string(folder), fd);
    return fd;
}

ReadResult DiskSource::read(const std::string& relative, std::uintmax_t max_bytes) const {
    const std::string path = joined_path(root_, relative);
    // Nearly every file read is a plain file in a folder read from before. It is opened
    // in that folder, opened once where it resolved (the kernel walks one name, not the
    // whole path, and a folder swapped meanwhile for a link cannot lead outside), without
    // following a final symbolic link; its status is the open file's. Anything else is
    // left to the careful way below.
    const std::size_t slash = path.rfind('/');
    const std::string_view name = slash == std::string::npos ? std::string_view() : std::string_view(path).substr(slash + 1);
    if (!name.empty() && name != "." && name != "..")
        if (const int folder = folder_fd(path, slash); folder >= 0) {
            const int fd = ::openat(folder, name.data(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
            struct stat status {};
            if (fd >= 0 && ::fstat(fd, &status) == 0 && S_ISREG(status.st_mode)) return read_plain(path, fd, status, max_bytes);
            if (fd >= 0) ::close(fd);
        }
    // A symbolic link, a folder, a missing or an unreadable file: not cached.
    if (!inside(path)) return {ReadStatus::outside_site, {}};
    return read_file(path, max_bytes);
}

// Reads the regular file open as fd (closed after) whose status was seen before reading,
// through the cache when there is one.
ReadResult DiskSource::read_plain(const std::string& path, int fd, const struct stat& status, std::uintmax_t max_bytes) const {
    const bool cacheable = cache_ && static_cast<std::uintmax_t>(status.st_size) <= max_bytes;
    if (cacheable)
        if (std::optional<std::string> text = cache_->find(path, status)) {
            ::close(fd);
            return {ReadStatus::ok, std::move(*text)};
        }
    ReadResult result = read_opened_file(fd, status, max_bytes);
    // Kept under the status seen before reading: a file changed meanwhile differs from it.
    if (cacheable && result.status == ReadStatus::ok) cache_->keep(path, status, result.text);
    return result;
}

std::vector<std::string> DiskSource::files_in(const std::string& relative_folder) const {
    std::vector<std::string> names;
    const std::string folder = joined_path(root_, relative_folder);
    DIR* listing = ::opendir(folder.c_str());
    if (!listing) return names;
    while (const dirent* entry = ::readdir(listing)) {
        struct stat status {};
        if (entry->d_type == DT_REG ||
            (entry->d_type == DT_UNKNOWN && ::fstatat(::dirfd(listing), entry->d_name, &status, AT_SYMLINK_NOFOLLOW) == 0 &&
             S_ISREG(status.st_mode)))
            names.emplace_back(entry->d_name);
    }
    ::closedir(listing);
    std::sort(names.begin(), names.end());
    return names;
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
