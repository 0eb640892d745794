#include "fs/output_tree.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <signal.h>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <stdexcept>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace cypp::fs {

namespace stdfs = std::filesystem;

std::string joined_path(const stdfs::path& folder, const std::string& relative) {
    // A path object for the rare cases it treats specially (nothing to join, or a
    // relative path that is absolute after all).
    if (relative.empty() || relative.front() == '/' || folder.empty()) return (folder / relative).native();
    const std::string& root = folder.native();
    return root.ends_with('/') ? root + relative : root + '/' + relative;
}

stdfs::path folder_named(const stdfs::path& named) {
    std::error_code ec;
    stdfs::path folder = stdfs::absolute(named, ec).lexically_normal();
    if (folder.filename().empty() && folder != folder.root_path()) folder = folder.parent_path();
    return folder;
}

stdfs::path output_folder(const stdfs::path& named) {
    std::error_code ec;
    stdfs::path folder = folder_named(named);
    if (stdfs::is_symlink(folder, ec))
        if (stdfs::path resolved = stdfs::weakly_canonical(folder, ec); !ec) folder = resolved;
    return folder;
}

ReadResult read_file(const std::string& path, std::uintmax_t max_bytes) {
    // One open and one fstat: this reads every page of a site and, for checks, of its output.
    // O_NONBLOCK: opening a FIFO someone named as a page must not wait for a writer.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ENOENT || errno == ENOTDIR) return {ReadStatus::missing, {}};
        std::error_code ec;
        return {stdfs::exists(path, ec) ? ReadStatus::unreadable : ReadStatus::missing, {}};
    }
    struct stat status {};
    if (::fstat(fd, &status) != 0) {
        ::close(fd);
        return {ReadStatus::unreadable, {}};
    }
    return read_opened_file(fd, status, max_bytes);
}

ReadResult read_opened_file(int fd, const struct stat& status, std::uintmax_t max_bytes) {
    ReadResult result;
    if (!S_ISREG(status.st_mode)) result.status = ReadStatus::not_a_file;
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

// True when previous holds a regular file with exactly this content and these
// permissions.
bool same_file(const stdfs::path& previous, const std::string& content, mode_t mode) {
    struct stat status {};
    if (::lstat(previous.c_str(), &status) != 0 || !S_ISREG(status.st_mode) || (status.st_mode & 07777) != mode ||
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

// folder: an open folder that path is relative to, or AT_FDCWD.
bool write_whole(int folder, const std::string& path, const std::string& content) {
    const int fd = ::openat(folder, path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
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
    // folder, open: files and folders are made relative to it, so that the kernel does
    // not look up every folder above it again for each (AT_FDCWD with absolute paths
    // when it could not be opened).
    int folder_fd = AT_FDCWD;
    stdfs::path previous;  // the output being replaced, empty when there is none
    // The permissions a file made now gets (0666 less the umask). A file of the previous
    // output is linked in only when it has them: a build under another umask would
    // otherwise keep the old permissions on every unchanged file.
    mode_t file_mode = 0644;
    std::string created_folder;  // the last folder made (files come mostly folder by folder)
    std::optional<std::string> failure;  // the first write that failed: reported by commit_output
    bool committed = false;

    ~Staging() {
        if (piece_file) {  // a file whose pieces stopped coming (its producer threw)
            ::close(piece_file->fd);
            if (piece_file->previous_fd >= 0) ::close(piece_file->previous_fd);
        }
        if (folder_fd != AT_FDCWD) ::close(folder_fd);
        if (committed) return;
        std::error_code ignored;
        stdfs::remove_all(folder, ignored);
    }

    // relative as the system calls take it: against folder_fd, or whole.
    std::string at_folder(const std::string& relative) const {
        return folder_fd == AT_FDCWD ? joined_path(folder, relative) : relative;
    }

    // Makes relative's folder and clears its place; returns its path (folder / relative),
    // or nothing after a failure. replacing: a file added before may be a hard link into
    // the previous output, which must never be written through.
    std::optional<std::string> make_room(const std::string& relative, bool replacing) {
        if (failure) return std::nullopt;
        std::string destination = joined_path(folder, relative);
        const std::string parent = destination.substr(0, destination.rfind('/'));
        if (parent != created_folder) {
            if (auto failed = make_folder(relative)) {
                failure = std::move(failed);
                return std::nullopt;
            }
            created_folder = parent;
        }
        if (replacing) ::unlinkat(folder_fd, at_folder(relative).c_str(), 0);
        return destination;
    }

    // Makes the folder that relative's file goes in. Most folders hold one page and sit
    // in a folder made just before: one mkdir. Safe from several threads (one at a time
    // makes missing ancestors).
    std::optional<std::string> make_folder(const std::string& relative) {
        const std::size_t slash = relative.rfind('/');
        if (slash == std::string::npos) return std::nullopt;  // straight in folder
        if (::mkdirat(folder_fd, at_folder(relative.substr(0, slash)).c_str(), 0777) == 0) return std::nullopt;
        const std::string parent = joined_path(folder, relative.substr(0, slash));
        const std::lock_guard<std::mutex> lock(creating_folders);
        std::error_code ec;
        stdfs::create_directories(parent, ec);
        if (ec) return "cannot create folder " + parent + ": " + ec.message();
        return std::nullopt;
    }
    std::mutex creating_folders;

    // previous: a file whose content the output being replaced already holds is
    // hard-linked from it: no data is rewritten, and mirrors that compare times
    // (rsync) see the file unchanged.
    void write(const std::string& relative, const std::string& content, bool replacing) {
        const std::optional<std::string> destination = make_room(relative, replacing);
        if (!destination) return;
        if (auto failed = put_file(relative, *destination, content)) failure = std::move(failed);
    }

    // write() for one of several files written at once on different threads: nothing
    // shared is changed, and a failure is returned instead of recorded.
    std::optional<std::string> write_beside_others(const std::string& relative, const std::string& content,
                                                   bool replacing) {
        if (auto failed = make_folder(relative)) return failed;
        if (replacing) ::unlinkat(folder_fd, at_folder(relative).c_str(), 0);
        return put_file(relative, joined_path(folder, relative), content);
    }

    // destination: folder / relative.
    std::optional<std::string> put_file(const std::string& relative, const std::string& destination,
                                        const std::string& content) {
        if (!previous.empty() && same_file(previous / relative, content, file_mode) &&
            ::link((previous / relative).c_str(), destination.c_str()) == 0)
            return std::nullopt;
        if (!write_whole(folder_fd, at_folder(relative), content))
            return "cannot write " + destination + ": " + std::strerror(errno);
        return std::nullopt;
    }

    // A file written in pieces, compared with the previous output's as it goes; when
    // they turn out the same, the previous one is linked in its place as write() does.
    struct PieceFile {
        std::string relative;
        int fd = -1;
        int previous_fd = -1;  // open while every byte so far matched
        std::uintmax_t previous_size = 0;
        std::uintmax_t written = 0;
        std::string buffer;  // for reading the previous file
        // Pieces not yet written: the print edition comes in two small pieces per chapter,
        // and one write per piece was 20,000 system calls at 10,000 chapters.
        std::string pending;
    };
    static constexpr std::size_t piece_flush_bytes = 256 * 1024;
    std::optional<PieceFile> piece_file;

    void begin_pieces(const std::string& relative, bool replacing) {
        piece_file.reset();
        const std::optional<std::string> destination = make_room(relative, replacing);
        if (!destination) return;
        PieceFile file;
        file.relative = relative;
        file.fd = ::openat(folder_fd, at_folder(relative).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
        if (file.fd < 0) {
            failure = "cannot write " + *destination + ": " + std::strerror(errno);
            return;
        }
        struct stat status {};
        if (!previous.empty() && ::lstat((previous / relative).c_str(), &status) == 0 && S_ISREG(status.st_mode) &&
            (status.st_mode & 07777) == file_mode) {
            file.previous_fd = ::open((previous / relative).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
            file.previous_size = static_cast<std::uintmax_t>(status.st_size);
        }
        piece_file = std::move(file);
    }

    void append_piece(std::string_view piece) {
        if (!piece_file || failure) return;
        PieceFile& file = *piece_file;
        if (file.pending.empty() && piece.size() >= piece_flush_bytes) return write_piece(piece);
        file.pending.append(piece);
        if (file.pending.size() >= piece_flush_bytes) flush_pieces();
    }

    void flush_pieces() {
        if (!piece_file || failure || piece_file->pending.empty()) return;
        write_piece(piece_file->pending);
        piece_file->pending.clear();
    }

    void write_piece(std::string_view piece) {
        PieceFile& file = *piece_file;
        if (file.previous_fd >= 0) {
            bool same = file.written + piece.size() <= file.previous_size;
            for (std::size_t offset = 0; same && offset < piece.size();) {
                file.buffer.resize(std::min<std::size_t>(piece.size() - offset, 64 * 1024));
                const ssize_t got = ::read(file.previous_fd, file.buffer.data(), file.buffer.size());
                same = got > 0 && piece.compare(offset, static_cast<std::size_t>(got), file.buffer.data(),
                                                static_cast<std::size_t>(got)) == 0;
                offset += got > 0 ? static_cast<std::size_t>(got) : 0;
            }
            if (!same) {
                ::close(file.previous_fd);
                file.previous_fd = -1;
            }
        }
        for (std::size_t offset = 0; offset < piece.size();) {
            const ssize_t wrote = ::write(file.fd, piece.data() + offset, piece.size() - offset);
            if (wrote < 0 && errno == EINTR) continue;
            if (wrote <= 0) {
                failure = "cannot write " + (folder / file.relative).string() + ": " + std::strerror(errno);
                return;
            }
            offset += static_cast<std::size_t>(wrote);
        }
        file.written += piece.size();
    }

    void end_pieces() {
        if (!piece_file) return;
        flush_pieces();
        PieceFile& file = *piece_file;
        const stdfs::path destination = folder / file.relative;
        if (::close(file.fd) != 0 && !failure) failure = "cannot write " + destination.string() + ": " + std::strerror(errno);
        if (file.previous_fd >= 0) {
            ::close(file.previous_fd);
            if (!failure && file.written == file.previous_size) {
                // Linked in place of the file just written: same bytes, the previous file's time.
                const stdfs::path linked = destination.string() + ".cypp-link";
                if (::link((previous / file.relative).c_str(), linked.c_str()) == 0 &&
                    ::rename(linked.c_str(), destination.c_str()) != 0)
                    ::unlink(linked.c_str());
            }
        }
        piece_file.reset();
    }
};

OutputTree::OutputTree() = default;
OutputTree::~OutputTree() = default;
OutputTree::OutputTree(OutputTree&&) noexcept = default;
OutputTree& OutputTree::operator=(OutputTree&&) noexcept = default;

std::optional<std::string> OutputTree::start_staging(const stdfs::path& target_in) {
    if (staging_ || !paths_.empty()) throw std::logic_error("OutputTree::start_staging on a tree that has files");
    std::error_code ec;
    const stdfs::path target = output_folder(target_in);
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
    if (const int fd = ::open(staging->folder.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC); fd >= 0) staging->folder_fd = fd;
    // Learnt from a file made as every output file is: reading the umask means setting it,
    // for every thread at once.
    const std::string probe = staging->at_folder(".cypp-mode");
    if (const int fd = ::openat(staging->folder_fd, probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666); fd >= 0) {
        struct stat status {};
        if (::fstat(fd, &status) == 0) staging->file_mode = status.st_mode & 07777;
        ::close(fd);
        ::unlinkat(staging->folder_fd, probe.c_str(), 0);
    }
    staging_ = std::move(staging);
    return std::nullopt;
}

void OutputTree::add(const std::string& relative_path, std::string content) {
    if (observer_) observer_(relative_path, Piece{content});
    const bool replacing = !paths_.insert(relative_path).second;
    if (staging_) staging_->write(relative_path, content, replacing);
    else contents_[relative_path] = std::move(content);
}

OutputTree::Batch::Batch(OutputTree& tree, std::vector<std::string> paths)
    : tree_(tree), paths_(std::move(paths)), kept_(paths_.size()) {
    std::set<std::string_view> in_batch;
    for (const std::string& path : paths_) one_by_one_ = one_by_one_ || !in_batch.insert(path).second;
    one_by_one_ = one_by_one_ || (tree_.staging_ && tree_.staging_->failure);
    if (one_by_one_) return;
    replacing_.resize(paths_.size());
    for (std::size_t i = 0; i < paths_.size(); ++i) replacing_[i] = !tree_.paths_.insert(paths_[i]).second;
    if (tree_.staging_) failures_.resize(paths_.size());
}

void OutputTree::Batch::put(std::size_t index, std::string content) {
    if (one_by_one_) {
        kept_[index] = std::move(content);
        return;
    }
    if (tree_.observer_) tree_.observer_(paths_[index], Piece{content});
    if (tree_.staging_) failures_[index] = tree_.staging_->write_beside_others(paths_[index], content, replacing_[index]);
    else kept_[index] = std::move(content);
}

void OutputTree::Batch::finish() {
    if (one_by_one_) {
        for (std::size_t i = 0; i < paths_.size(); ++i) tree_.add(paths_[i], std::move(kept_[i]));
    } else if (tree_.staging_) {
        // The first failure in the files' order, as adding them one by one would record.
        for (std::optional<std::string>& failure : failures_)
            if (failure && !tree_.staging_->failure) tree_.staging_->failure = std::move(failure);
    } else {
        for (std::size_t i = 0; i < paths_.size(); ++i) tree_.contents_[paths_[i]] = std::move(kept_[i]);
    }
    paths_.clear();
    kept_.clear();
}

void OutputTree::add_in_pieces(const std::string& relative_path, const std::function<void(const PieceSink& put)>& produce,
                               std::size_t expected_size) {
    const bool replacing = !paths_.insert(relative_path).second;
    std::string* whole = nullptr;
    if (staging_) {
        staging_->begin_pieces(relative_path, replacing);
    } else {
        (whole = &contents_[relative_path])->clear();
        whole->reserve(expected_size);
    }
    // Each piece is passed on as it comes; an empty last one tells the observer the file
    // is complete (an empty file is only that).
    bool first = true;
    produce([&](std::string_view piece) {
        if (piece.empty()) return;
        if (observer_) observer_(relative_path, Piece{piece, first, false});
        if (staging_) staging_->append_piece(piece);
        else whole->append(piece);
        first = false;
    });
    if (observer_) observer_(relative_path, Piece{{}, first, true});
    if (staging_) staging_->end_pieces();
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
    const stdfs::path target = output_folder(target_in);
    if (target != staging.target) return "the files were staged for " + staging.target.string() + ", not " + target.string();
    if (staging.failure) {
        // Named where the file was going, not in the hidden folder the author never sees.
        std::string failure = *staging.failure;
        const std::string hidden = staging.folder.string() + "/";
        if (const std::size_t at = failure.find(hidden); at != std::string::npos)
            failure.replace(at, hidden.size(), staging.target.string() + "/");
        return failure;
    }
    const stdfs::path fresh = staging.folder;
    {
        std::ofstream marker(fresh / output_marker, std::ios::trunc);
        marker << output_marker_text;
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
