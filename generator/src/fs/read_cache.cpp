#include "fs/read_cache.h"

#include <sys/stat.h>

namespace cypp::fs {

ReadCache::Identity ReadCache::identity_of(const struct stat& status) {
    auto nanoseconds = [](const timespec& time) { return std::int64_t{time.tv_sec} * 1'000'000'000 + time.tv_nsec; };
    return {static_cast<std::uintmax_t>(status.st_dev), static_cast<std::uintmax_t>(status.st_ino),
            static_cast<std::uintmax_t>(status.st_size), nanoseconds(status.st_mtim), nanoseconds(status.st_ctim)};
}

std::optional<std::string> ReadCache::find(const std::string& path, const struct stat& status) {
    std::lock_guard lock(mutex_);
    auto found = entries_.find(path);
    if (found == entries_.end()) return std::nullopt;
    if (!(found->second.identity == identity_of(status))) {
        entries_.erase(found);
        return std::nullopt;
    }
    found->second.used = true;
    ++hits_;
    return found->second.text;
}

void ReadCache::keep(const std::string& path, const struct stat& status, const std::string& text) {
    const Identity identity = identity_of(status);
    if (identity.size != text.size()) return;  // changed while it was read
    // The file system stamps changes from the real-time clock.
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    if (std::chrono::nanoseconds(identity.changed_ns) + settle_ > now ||
        std::chrono::nanoseconds(identity.modified_ns) + settle_ > now)
        return;
    std::lock_guard lock(mutex_);
    entries_.insert_or_assign(path, Entry{identity, text});
}

void ReadCache::start_build() {
    std::lock_guard lock(mutex_);
    std::erase_if(entries_, [](const auto& entry) { return !entry.second.used; });
    for (auto& [path, entry] : entries_) entry.used = false;
    hits_ = 0;
}

std::size_t ReadCache::size() const {
    std::lock_guard lock(mutex_);
    return entries_.size();
}

std::size_t ReadCache::hits() const {
    std::lock_guard lock(mutex_);
    return hits_;
}

}  // namespace cypp::fs
