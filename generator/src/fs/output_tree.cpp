#include "fs/output_tree.h"

#include <cstdio>
#include <fcntl.h>
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

static std::optional<std::string> write_all(const OutputTree& tree, const stdfs::path& root) {
    std::error_code ec;
    for (const auto& [relative, content] : tree.files()) {
        stdfs::path destination = root / relative;
        stdfs::create_directories(destination.parent_path(), ec);
        if (ec) return "cannot create folder " + destination.parent_path().string() + ": " + ec.message();
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
    if (auto failure = write_all(tree, fresh)) {
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
