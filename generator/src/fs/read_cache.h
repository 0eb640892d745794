// fs/read_cache: the texts of a site's files as last read, kept by cypp serve between
// rebuilds so that a rebuild after one edit opens only the files that changed.
// A file is known to be unchanged by its status: device, inode, size, and the times of
// its last modification and last change. A text is kept only once its file has been
// left alone for a while (settle): a file changed twice within one tick of the file
// system's clock, keeping its size, would otherwise look unchanged the second time
// (git's "racily clean" index entries). A file just saved is simply read again.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

struct stat;

namespace cypp::fs {

class ReadCache {
public:
    explicit ReadCache(std::chrono::nanoseconds settle = std::chrono::seconds(2)) : settle_(settle) {}

    // The text read from path when it had this status, if the file still has it.
    // Thread-safe, as are the others.
    std::optional<std::string> find(const std::string& path, const struct stat& status);
    // Keeps text, read from path while it had this status (when the file has settled).
    void keep(const std::string& path, const struct stat& status, const std::string& text);
    // Called before each build: texts the previous build did not ask for are dropped
    // (files deleted or renamed since).
    void start_build();

    std::size_t size() const;
    std::size_t hits() const;  // texts given back without reading the file, since start_build

private:
    struct Identity {
        std::uintmax_t device = 0, inode = 0, size = 0;
        std::int64_t modified_ns = 0, changed_ns = 0;
        bool operator==(const Identity&) const = default;
    };
    static Identity identity_of(const struct stat& status);
    struct Entry {
        Identity identity;
        std::string text;
        bool used = true;
    };
    const std::chrono::nanoseconds settle_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::size_t hits_ = 0;
};

}  // namespace cypp::fs
