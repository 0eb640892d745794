#include "publish/bundle.h"

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <fstream>
#include <memory>
#include <set>
#include <system_error>
#include <unistd.h>
#include <vector>

#include "fs/output_tree.h"
#include "publish/archive_support.h"

namespace cypp::publish {

namespace stdfs = std::filesystem;

namespace {

struct FileToBundle {
    std::string relative;  // '/'-separated
    stdfs::path source;
};

std::optional<std::string> list_files(const stdfs::path& folder, std::vector<FileToBundle>& files) {
    std::error_code ec;
    if (!stdfs::is_directory(folder, ec)) return folder.string() + " is not a folder";
    stdfs::recursive_directory_iterator it(folder, stdfs::directory_options::none, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        // symlink_status: a link is never followed, so nothing outside folder gets in.
        auto status = it->symlink_status(ec);
        if (ec) break;
        if (!stdfs::is_regular_file(status)) continue;
        std::string relative = it->path().lexically_relative(folder).generic_string();
        if (relative == fs::output_marker) continue;
        files.push_back({std::move(relative), it->path()});
    }
    if (ec) return "cannot list " + folder.string() + ": " + ec.message();
    std::sort(files.begin(), files.end(),
              [](const FileToBundle& a, const FileToBundle& b) { return a.relative < b.relative; });
    return std::nullopt;
}

ArchiveEntry make_entry(const std::string& name, mode_t type, mode_t permissions, long long mtime) {
    ArchiveEntry entry(archive_entry_new());
    archive_entry_set_pathname_utf8(entry.get(), name.c_str());
    archive_entry_set_filetype(entry.get(), type);
    archive_entry_set_perm(entry.get(), permissions);
    archive_entry_set_mtime(entry.get(), static_cast<time_t>(mtime), 0);
    archive_entry_set_uid(entry.get(), 0);
    archive_entry_set_gid(entry.get(), 0);
    return entry;
}

std::optional<std::string> write_directory(struct archive* a, const std::string& name, long long mtime) {
    ArchiveEntry entry = make_entry(name + "/", AE_IFDIR, 0755, mtime);
    archive_entry_set_size(entry.get(), 0);
    if (archive_write_header(a, entry.get()) < ARCHIVE_WARN) return "cannot add " + name + ": " + archive_message(a);
    return std::nullopt;
}

std::optional<std::string> write_file(struct archive* a, const std::string& name, const stdfs::path& source,
                                      long long mtime) {
    std::error_code ec;
    const auto size = stdfs::file_size(source, ec);
    if (ec) return "cannot read " + source.string() + ": " + ec.message();
    std::ifstream in(source, std::ios::binary);
    if (!in) return "cannot read " + source.string();
    ArchiveEntry entry = make_entry(name, AE_IFREG, 0644, mtime);
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(size));
    if (archive_write_header(a, entry.get()) < ARCHIVE_WARN) return "cannot add " + name + ": " + archive_message(a);
    std::vector<char> buffer(1 << 16);
    std::uintmax_t written = 0;
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        if (got == 0) break;
        if (written + got > size) return source.string() + " grew while it was being bundled";
        if (archive_write_data(a, buffer.data(), got) < 0) return "cannot add " + name + ": " + archive_message(a);
        written += got;
    }
    if (in.bad()) return "cannot read " + source.string();
    // The header already promised `size` bytes; a shorter file would misalign the archive.
    if (written != size) return source.string() + " changed while it was being bundled";
    return std::nullopt;
}

bool inside(const stdfs::path& candidate, const stdfs::path& folder) {
    std::error_code ec;
    const auto c = stdfs::weakly_canonical(candidate, ec);
    const auto f = stdfs::weakly_canonical(folder, ec);
    auto [folder_end, candidate_it] = std::mismatch(f.begin(), f.end(), c.begin(), c.end());
    return folder_end == f.end();
}

std::optional<std::string> write_archive(struct archive* a, const std::vector<FileToBundle>& files,
                                         const std::string& root_name, long long mtime) {
    if (auto failure = write_directory(a, root_name, mtime)) return failure;
    std::set<std::string> directories;
    for (const auto& file : files) {
        // Each folder gets its own entry just before its first file, so extractors
        // create it with 0755 and the fixed mtime rather than their own defaults.
        for (auto slash = file.relative.find('/'); slash != std::string::npos;
             slash = file.relative.find('/', slash + 1)) {
            std::string directory = file.relative.substr(0, slash);
            if (directories.insert(directory).second)
                if (auto failure = write_directory(a, root_name + "/" + directory, mtime)) return failure;
        }
        if (auto failure = write_file(a, root_name + "/" + file.relative, file.source, mtime)) return failure;
    }
    return std::nullopt;
}

std::uint32_t get_le(const std::string& bytes, std::size_t at, int width) {
    std::uint32_t value = 0;
    for (int i = width - 1; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
    return value;
}

void put_le16(std::string& bytes, std::size_t at, std::uint32_t value) {
    bytes[at] = static_cast<char>(value & 0xff);
    bytes[at + 1] = static_cast<char>((value >> 8) & 0xff);
}

// MS-DOS date and time of mtime in UTC, clamped to the range it can express as libarchive does.
std::pair<std::uint32_t, std::uint32_t> dos_date_time_utc(long long mtime) {
    const time_t seconds = static_cast<time_t>(mtime);
    struct tm t {};
    gmtime_r(&seconds, &t);
    if (t.tm_year < 80) return {(1 << 5) | 1, 0};  // 1980-01-01 00:00:00
    if (t.tm_year > 2107 - 1900) return {0xff9f, 0xbf7d};
    return {static_cast<std::uint32_t>(((t.tm_year - 80) << 9) | ((t.tm_mon + 1) << 5) | t.tm_mday),
            static_cast<std::uint32_t>((t.tm_hour << 11) | (t.tm_min << 5) | (t.tm_sec / 2))};
}

// libarchive writes each zip entry's MS-DOS date and time in the machine's local time
// zone. Rewriting them as UTC (in the central directory and in each local header) makes
// the bytes the same on every machine; extractors prefer the UTC "UT" field anyway.
std::optional<std::string> pin_zip_times_to_utc(const stdfs::path& zip, long long mtime) {
    std::fstream file(zip, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(0, std::ios::end);
    const auto size = static_cast<std::uint64_t>(file.tellg());
    const auto failed = [&zip] { return std::optional<std::string>("cannot set the times in " + zip.string()); };
    if (!file || size < 22) return failed();
    std::string end(22, '\0');
    file.seekg(static_cast<std::streamoff>(size - 22));
    file.read(end.data(), 22);
    // libarchive writes no archive comment, so the end record is the last 22 bytes.
    if (!file || get_le(end, 0, 4) != 0x06054b50) return failed();
    const std::uint32_t count = get_le(end, 10, 2), directory_size = get_le(end, 12, 4),
                        directory_offset = get_le(end, 16, 4);
    if (count == 0xffff || directory_offset == 0xffffffff) return std::nullopt;  // zip64: left as written
    if (std::uint64_t{directory_offset} + directory_size > size) return failed();
    std::string directory(directory_size, '\0');
    file.seekg(directory_offset);
    file.read(directory.data(), directory_size);
    if (!file) return failed();
    const auto [date, time] = dos_date_time_utc(mtime);
    std::size_t at = 0;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (at + 46 > directory.size() || get_le(directory, at, 4) != 0x02014b50) return failed();
        put_le16(directory, at + 12, time);
        put_le16(directory, at + 14, date);
        const std::uint32_t local = get_le(directory, at + 42, 4);
        std::string header(14, '\0');
        file.seekg(local);
        file.read(header.data(), 14);
        if (!file || get_le(header, 0, 4) != 0x04034b50) return failed();
        put_le16(header, 10, time);
        put_le16(header, 12, date);
        file.seekp(local);
        file.write(header.data(), 14);
        at += 46 + get_le(directory, at + 28, 2) + get_le(directory, at + 30, 2) + get_le(directory, at + 32, 2);
    }
    file.seekp(directory_offset);
    file.write(directory.data(), directory_size);
    file.close();
    if (!file) return failed();
    return std::nullopt;
}

}  // namespace

std::optional<std::string> write_bundle(const stdfs::path& folder, const stdfs::path& archive_path,
                                        BundleFormat format, const std::string& root_name, long long mtime) {
    if (root_name.empty() || root_name == "." || root_name == ".." ||
        root_name.find_first_of("/\\") != std::string::npos)
        return "the bundle's top-level folder name \"" + root_name + "\" must be a single plain name";
    if (mtime < 0) return "the bundle's file time must not be before 1970";
    std::vector<FileToBundle> files;
    if (auto failure = list_files(folder, files)) return failure;
    if (inside(archive_path, folder))
        return "the bundle " + archive_path.string() + " must not be written inside the folder it bundles";

    const ScopedUtf8Locale utf8;
    ArchiveWriter a(archive_write_new());
    int status = ARCHIVE_OK;
    if (format == BundleFormat::tar_gz) {
        // pax_restricted is plain ustar unless a name needs more (long or non-ASCII).
        status = archive_write_set_format_pax_restricted(a.get());
        if (status == ARCHIVE_OK) status = archive_write_add_filter_gzip(a.get());
        if (status == ARCHIVE_OK) status = archive_write_set_options(a.get(), "gzip:!timestamp");
    } else {
        status = archive_write_set_format_zip(a.get());
        if (status == ARCHIVE_OK) status = archive_write_set_options(a.get(), "zip:hdrcharset=UTF-8");
    }
    if (status != ARCHIVE_OK) return "cannot set up the bundle: " + archive_message(a.get());

    // Written beside the target and renamed, so a failed run never leaves half a bundle.
    std::error_code ec;
    const stdfs::path temporary = archive_path.parent_path() /
                                  ("." + archive_path.filename().string() + ".cypp-" + std::to_string(::getpid()));
    if (archive_write_open_filename(a.get(), temporary.c_str()) != ARCHIVE_OK) {
        std::string message = "cannot write " + archive_path.string() + ": " + archive_message(a.get());
        stdfs::remove(temporary, ec);
        return message;
    }
    auto failure = write_archive(a.get(), files, root_name, mtime);
    if (archive_write_close(a.get()) != ARCHIVE_OK && !failure)
        failure = "cannot write " + archive_path.string() + ": " + archive_message(a.get());
    if (!failure && format == BundleFormat::zip) failure = pin_zip_times_to_utc(temporary, mtime);
    if (!failure) {
        stdfs::rename(temporary, archive_path, ec);
        if (ec) failure = "cannot write " + archive_path.string() + ": " + ec.message();
    }
    if (failure) stdfs::remove(temporary, ec);
    return failure;
}

}  // namespace cypp::publish
