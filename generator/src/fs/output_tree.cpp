#include "fs/output_tree.h"

#include <cstdio>
#include <algorithm>
#include <fcntl.h>
#include <sys/stat.h>
#include <fstream>
#include <system_error>
#include <unistd.h>

namespace cypp::fs {

namespace stdfs = std::filesystem;

ReadResult read_file(const stdfs::path& path, std::uintmax_t max_bytes) {
    std::error_code ec;
    auto status = stdfs::status(path, ec);
    if (ec || !stdfs::exists(status)) return {ReadStatus::missing, {}};
    if (!stdfs::is_regular_file(status)) return {ReadStatus::not_a_file, {}};
    auto size = stdfs::file_size(path, ec);
    if (ec) return {ReadStatus::unreadable, {}};
    if (size > max_bytes) return {ReadStatus::too_large, {}};
    std::ifstream in(path, std::ios::binary);
    if (!in) return {ReadStatus::unreadable, {}};
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(size));
    if (static_cast<std::uintmax_t>(in.gcount()) != size) return {ReadStatus::unreadable, {}};
    return {ReadStatus::ok, std::move(text)};
}

void OutputTree::add(const std::string& relative_path, std::string content) {
    files_[relative_path] = std::move(content);
}

// True when previous holds a regular file with exactly this content.
static bool same_file(const stdfs::path& previous, const std::string& content) {
    struct stat status {};
    if (::lstat(previous.c_str(), &status) != 0 || !S_ISREG(status.st_mode) ||
        static_cast<std::uintmax_t>(status.st_size) != content.size())
        return false;
    const int fd = ::open(previous.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return false;
    std::string buffer(64 * 1024, '\0');
    std::size_t offset = 0;
    bool same = true;
    while (same && offset < content.size()) {
        const ssize_t got = ::read(fd, buffer.data(), std::min(buffer.size(), content.size() - offset));
        if (got <= 0) same = false;
        else same = buffer.compare(0, static_cast<std::size_t>(got), content, offset, static_cast<std::size_t>(got)) == 0;
        offset += got > 0 ? static_cast<std::size_t>(got) : 0;
    }
    ::close(fd);
    return same;
}

// previous: the output being replaced (empty when none). A file whose content it
// already holds is hard-linked from it instead of written again: no data is rewritten,
// and mirrors that compare times (rsync) see the file unchanged.
static std::optional<std::string> write_all(const OutputTree& tree, const stdfs::path& root, const stdfs::path& previous) {
    std::error_code ec;
    std::string created_folder;
    for (const auto& [relative, content] : tree.files()) {
        stdfs::path destination = root / relative;
        const std::string folder = destination.parent_path().string();
        if (folder != created_folder) {
            stdfs::create_directories(destination.parent_path(), ec);
            if (ec) return "cannot create folder " + folder + ": " + ec.message();
            created_folder = folder;
        }
        if (!previous.empty() && same_file(previous / relative, content) &&
            ::link((previous / relative).c_str(), destination.c_str()) == 0)
            continue;
        std::ofstream out(destination, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        out.close();
        if (!out) return "cannot write " + destination.string();
    }
    std::ofstream marker(root / output_marker, std::ios::trunc);
    marker << "This folder is written by cypp build and is replaced on every build.\n";
    if (!marker) return "cannot write " + (root / output_marker).string();
    return std::nullopt;
}

static bool may_replace(const stdfs::path& target) {
    std::error_code ec;
    if (!stdfs::exists(target, ec)) return true;
    if (!stdfs::is_directory(target, ec)) return false;
    if (stdfs::is_empty(target, ec)) return true;
    return stdfs::exists(target / output_marker, ec);
}

std::optional<std::string> commit_output(const OutputTree& tree, const stdfs::path& target_in) {
    std::error_code ec;
    const stdfs::path target = stdfs::absolute(target_in, ec).lexically_normal();
    const stdfs::path parent = target.parent_path();
    const std::string name = target.filename().string();
    if (!may_replace(target))
        return target_in.string() + " exists and was not written by cypp; refusing to replace it "
               "(choose another output folder with -o, or empty this one)";
    stdfs::create_directories(parent, ec);
    if (ec) return "cannot create folder " + parent.string() + ": " + ec.message();

    // A build killed half-way leaves its temporary folder behind: clear those first.
    const std::string leftover_prefix = "." + name + ".cypp-";
    for (auto it = stdfs::directory_iterator(parent, ec); !ec && it != stdfs::directory_iterator(); it.increment(ec))
        if (it->path().filename().string().starts_with(leftover_prefix)) {
            std::error_code ignored;
            stdfs::remove_all(it->path(), ignored);
        }
    const std::string suffix = ".cypp-" + std::to_string(::getpid());
    const stdfs::path fresh = parent / ("." + name + suffix + ".new");
    const stdfs::path old = parent / ("." + name + suffix + ".old");
    stdfs::remove_all(fresh, ec);
    const stdfs::path previous = stdfs::exists(target / output_marker, ec) ? target : stdfs::path();
    if (auto failure = write_all(tree, fresh, previous)) {
        stdfs::remove_all(fresh, ec);
        return failure;
    }
    if (stdfs::exists(target)) {
        // An atomic exchange where the kernel offers one; readers never see a missing folder.
        if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
            stdfs::remove_all(fresh, ec);
            return std::nullopt;
        }
        stdfs::rename(target, old, ec);
        if (ec) {
            stdfs::remove_all(fresh);
            return "cannot replace " + target_in.string() + ": " + ec.message();
        }
    }
    stdfs::rename(fresh, target, ec);
    if (ec) {
        std::error_code ignored;
        if (stdfs::exists(old)) stdfs::rename(old, target, ignored);
        stdfs::remove_all(fresh, ignored);
        return "cannot move the new site into " + target_in.string() + ": " + ec.message();
    }
    stdfs::remove_all(old, ec);
    return std::nullopt;
}

}  // namespace cypp::fs
