#include "fs/output_tree.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <signal.h>
#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace cypp::fs {

namespace stdfs = std::filesystem;

ReadResult read_file(const stdfs::path& path, std::uintmax_t max_bytes) {
    // One open and one fstat: this reads every page of a site and, for checks, of its output.
    // O_NONBLOCK: opening a FIFO someone named as a page must not wait for a writer.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return {ReadStatus::missing, {}};
        std::error_code ec;
        return {stdfs::exists(path, ec) ? ReadStatus::unreadable : ReadStatus::missing, {}};
    }
    struct stat status {};
    ReadResult result;
    if (::fstat(fd, &status) != 0) result.status = ReadStatus::unreadable;
    else if (!S_ISREG(status.st_mode)) result.status = ReadStatus::not_a_file;
    else if (static_cast<std::uintmax_t>(status.st_size) > max_bytes) result.status = ReadStatus::too_large;
    else {
        result.text.resize(static_cast<std::size_t>(status.st_size));
        std::size_t offset = 0;
        while (offset < result.text.size()) {
            const ssize_t got = ::read(fd, result.text.data() + offset, result.text.size() - offset);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) break;
            offset += static_cast<std::size_t>(got);
        }
        // A file that changed size while read is read again by the next build.
        if (offset != result.text.size()) result = {ReadStatus::unreadable, {}};
    }
    ::close(fd);
    return result;
}

namespace {

// True when previous holds a regular file with exactly this content.
bool same_file(const stdfs::path& previous, const std::string& content) {
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

bool write_whole(const stdfs::path& path, const std::string& content) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd < 0) return false;
    std::size_t offset = 0;
    while (offset < content.size()) {
        const ssize_t wrote = ::write(fd, content.data() + offset, content.size() - offset);
        if (wrote < 0 && errno == EINTR) continue;
        if (wrote <= 0) break;
        offset += static_cast<std::size_t>(wrote);
    }
    return ::close(fd) == 0 && offset == content.size();
}

bool may_replace(const stdfs::path& target) {
    std::error_code ec;
    if (!stdfs::exists(target, ec)) return true;
    if (!stdfs::is_directory(target, ec)) return false;
    if (stdfs::is_empty(target, ec)) return true;
    return stdfs::exists(target / output_marker, ec);
}

}  // namespace

struct OutputTree::Staging {
    stdfs::path target;    // absolute, normal
    stdfs::path folder;    // the hidden sibling the files are written into
    stdfs::path previous;  // the output being replaced, empty when there is none
    std::string created_folder;  // the last folder made (files come mostly folder by folder)
    std::optional<std::string> failure;  // the first write that failed: reported by commit_output
    bool committed = false;

    ~Staging() {
        if (committed) return;
        std::error_code ignored;
        stdfs::remove_all(folder, ignored);
    }

    // previous: a file whose content the output being replaced already holds is
    // hard-linked from it: no data is rewritten, and mirrors that compare times
    // (rsync) see the file unchanged.
    void write(const std::string& relative, const std::string& content, bool replacing) {
        if (failure) return;
        const stdfs::path destination = folder / relative;
        std::error_code ec;
        const std::string parent = destination.parent_path().string();
        if (parent != created_folder) {
            // Most folders hold one page and sit in a folder made just before: one mkdir.
            if (::mkdir(parent.c_str(), 0777) != 0) stdfs::create_directories(destination.parent_path(), ec);
            if (ec) {
                failure = "cannot create folder " + parent + ": " + ec.message();
                return;
            }
            created_folder = parent;
        }
        // A file added before may be a hard link into the previous output: never written through.
        if (replacing) ::unlink(destination.c_str());
        if (!previous.empty() && same_file(previous / relative, content) &&
            ::link((previous / relative).c_str(), destination.c_str()) == 0)
            return;
        if (!write_whole(destination, content)) failure = "cannot write " + destination.string() + ": " + std::strerror(errno);
    }
};

OutputTree::OutputTree() = default;
OutputTree::~OutputTree() = default;
OutputTree::OutputTree(OutputTree&&) noexcept = default;
OutputTree& OutputTree::operator=(OutputTree&&) noexcept = default;

std::optional<std::string> OutputTree::start_staging(const stdfs::path& target_in) {
    if (staging_ || !paths_.empty()) throw std::logic_error("OutputTree::start_staging on a tree that has files");
    std::error_code ec;
    const stdfs::path target = stdfs::absolute(target_in, ec).lexically_normal();
    const stdfs::path parent = target.parent_path();
    const std::string name = target.filename().string();
    if (!may_replace(target))
        return target_in.string() + " exists and was not written by cypp; refusing to replace it "
               "(choose another output folder with -o, or empty this one)";
    stdfs::create_directories(parent, ec);
    if (ec) return "cannot create folder " + parent.string() + ": " + ec.message();

    // A build killed half-way leaves its staging folder behind: clear those first, but
    // not the one of a build still running (its process id is in the name).
    const std::string leftover_prefix = "." + name + ".cypp-";
    for (auto it = stdfs::directory_iterator(parent, ec); !ec && it != stdfs::directory_iterator(); it.increment(ec)) {
        const std::string entry = it->path().filename().string();
        if (!entry.starts_with(leftover_prefix)) continue;
        const long pid = std::strtol(entry.c_str() + leftover_prefix.size(), nullptr, 10);
        if (pid > 0 && pid != ::getpid() && (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM)) continue;
        std::error_code ignored;
        stdfs::remove_all(it->path(), ignored);
    }
    auto staging = std::make_unique<Staging>();
    staging->target = target;
    staging->folder = parent / ("." + name + ".cypp-" + std::to_string(::getpid()) + ".new");
    staging->previous = stdfs::exists(target / output_marker, ec) ? target : stdfs::path();
    stdfs::create_directories(staging->folder, ec);
    if (ec) return "cannot create folder " + staging->folder.string() + ": " + ec.message();
    staging_ = std::move(staging);
    return std::nullopt;
}

void OutputTree::add(const std::string& relative_path, std::string content) {
    if (observer_) observer_(relative_path, content);
    const bool replacing = !paths_.insert(relative_path).second;
    if (staging_) staging_->write(relative_path, content, replacing);
    else contents_[relative_path] = std::move(content);
}

std::string OutputTree::read(const std::string& relative_path) const {
    if (!staging_) {
        auto found = contents_.find(relative_path);
        return found == contents_.end() ? std::string() : found->second;
    }
    if (!contains(relative_path)) return {};
    return read_file(staging_->folder / relative_path, UINTMAX_MAX).text;
}

void OutputTree::for_each(const std::function<void(const std::string&, const std::string&)>& visit) const {
    if (!staging_) {
        for (const auto& [path, content] : contents_) visit(path, content);
        return;
    }
    for (const std::string& path : paths_) visit(path, read(path));
}

const std::map<std::string, std::string>& OutputTree::files() const {
    if (staging_) throw std::logic_error("OutputTree::files() on a staged tree");
    return contents_;
}

std::optional<std::string> commit_output(OutputTree& tree, const stdfs::path& target_in) {
    if (!tree.staging_) {
        // An in-memory tree is staged now, in one go.
        OutputTree staged;
        if (auto refused = staged.start_staging(target_in)) return refused;
        for (const auto& [path, content] : tree.contents_) staged.add(path, content);
        return commit_output(staged, target_in);
    }
    OutputTree::Staging& staging = *tree.staging_;
    std::error_code ec;
    const stdfs::path target = stdfs::absolute(target_in, ec).lexically_normal();
    if (target != staging.target) return "the files were staged for " + staging.target.string() + ", not " + target.string();
    if (staging.failure) return staging.failure;
    const stdfs::path fresh = staging.folder;
    {
        std::ofstream marker(fresh / output_marker, std::ios::trunc);
        marker << "This folder is written by cypp build and is replaced on every build.\n";
        if (!marker) return "cannot write " + (fresh / output_marker).string();
    }
    const stdfs::path old = fresh.parent_path() / (fresh.stem().string() + ".old");
    if (stdfs::exists(target)) {
        // An atomic exchange where the kernel offers one; readers never see a missing folder.
        if (::renameat2(AT_FDCWD, fresh.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
            stdfs::remove_all(fresh, ec);  // now the previous output
            staging.committed = true;
            return std::nullopt;
        }
        stdfs::rename(target, old, ec);
        if (ec) return "cannot replace " + target_in.string() + ": " + ec.message();
    }
    stdfs::rename(fresh, target, ec);
    if (ec) {
        std::error_code ignored;
        if (stdfs::exists(old)) stdfs::rename(old, target, ignored);
        return "cannot move the new site into " + target_in.string() + ": " + ec.message();
    }
    staging.committed = true;
    stdfs::remove_all(old, ec);
    return std::nullopt;
}

}  // namespace cypp::fs
