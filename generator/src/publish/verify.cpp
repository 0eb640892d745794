#include "publish/verify.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <system_error>

#include "fs/output_tree.h"
#include "publish/archive_support.h"
#include "publish/manifest.h"
#include "publish/sha256_stream.h"

namespace cypp::publish {

namespace stdfs = std::filesystem;

bool VerifyReport::ok() const {
    return error.empty() && missing.empty() && altered.empty() && unexpected.empty() && unsafe.empty();
}

namespace {

struct Digest {
    std::uint64_t size = 0;
    std::string sha256;
};
using Listing = std::map<std::string, Digest>;  // relative '/' path → what was found

std::vector<std::string> split(const std::string& path, const char* separators) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        auto end = path.find_first_of(separators, start);
        parts.push_back(path.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) return parts;
        start = end + 1;
    }
}

// A manifest path must name a file inside the copy in exactly one way.
bool plain_relative_path(const std::string& path) {
    if (path.empty() || path.find('\0') != std::string::npos) return false;
    for (const auto& part : split(path, "/"))
        if (part.empty() || part == "." || part == "..") return false;
    return true;
}

// What an extractor could turn into a write outside its target folder, on POSIX or on
// Windows (where '\' separates folders and "C:" starts an absolute path).
bool escapes_target(const std::string& name) {
    if (name.empty() || name.front() == '/' || name.front() == '\\') return true;
    if (name.size() >= 2 && name[1] == ':') return true;
    if (name.find('\0') != std::string::npos) return true;
    for (const auto& part : split(name, "/\\"))
        if (part == "..") return true;
    return false;
}

bool is_hex_digest(const std::string& text) {
    return text.size() == 64 &&
           std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::optional<std::string> parse_manifest(const std::string& text, Listing& entries) {
    auto manifest = nlohmann::json::parse(text, nullptr, false);
    if (manifest.is_discarded()) return "manifest.json is not valid JSON";
    if (!manifest.is_object()) return "manifest.json is not a JSON object";
    auto format = manifest.find("format");
    if (format == manifest.end() || !format->is_number_integer()) return "manifest.json has no \"format\" number";
    if (*format != 1) return "manifest.json has format " + format->dump() + "; this cypp reads format 1";
    auto files = manifest.find("files");
    if (files == manifest.end() || !files->is_array()) return "manifest.json has no \"files\" list";
    for (const auto& file : *files) {
        if (!file.is_object()) return "manifest.json: an entry of \"files\" is not an object";
        auto path = file.find("path");
        auto size = file.find("size");
        auto sha256 = file.find("sha256");
        if (path == file.end() || !path->is_string()) return "manifest.json: a file has no \"path\"";
        const auto& name = path->get_ref<const std::string&>();
        if (!plain_relative_path(name)) return "manifest.json lists an unsafe path: " + name;
        if (name == manifest_name || name == sums_name) return "manifest.json lists " + name + " itself";
        if (size == file.end() || !size->is_number_unsigned()) return "manifest.json: " + name + " has no \"size\"";
        if (sha256 == file.end() || !sha256->is_string() || !is_hex_digest(sha256->get<std::string>()))
            return "manifest.json: " + name + " has no valid \"sha256\"";
        if (!entries.emplace(name, Digest{size->get<std::uint64_t>(), sha256->get<std::string>()}).second)
            return "manifest.json lists " + name + " twice";
    }
    return std::nullopt;
}

// Compares what was found with the manifest. `unsafe` holds the paths (relative to the
// copy) already reported as unsafe, so that they are not also reported missing.
// in_folder: found lists a built folder, where cypp build's marker file belongs (a
// bundle leaves it out, so there it is a file nothing accounts for).
void compare(const std::string& manifest_text, const Listing& found, const std::set<std::string>& unsafe,
             bool in_folder, VerifyReport& report) {
    Listing listed;
    if (auto failure = parse_manifest(manifest_text, listed)) {
        report.error = *failure;
        return;
    }
    report.checked = listed.size();
    for (const auto& [path, expected] : listed) {
        auto it = found.find(path);
        if (it == found.end()) {
            if (!unsafe.count(path)) report.missing.push_back(path);
        } else if (it->second.size != expected.size || it->second.sha256 != expected.sha256) {
            report.altered.push_back(path);
        }
    }
    for (const auto& [path, digest] : found) {
        if (path == manifest_name || path == sums_name) continue;
        if (in_folder && path == fs::output_marker && digest.sha256 == sha256_hex(fs::output_marker_text)) continue;
        if (!listed.count(path)) report.unexpected.push_back(path);
    }
    // SHA256SUMS carries no information of its own: it must be exactly what add_manifest
    // derives from this manifest, or someone has edited it.
    std::map<std::string, std::string> digests;
    for (const auto& [path, digest] : listed) digests.emplace(path, digest.sha256);
    digests[manifest_name] = report.manifest_sha256;
    const std::string sums = format_sha256sums(digests);
    auto it = found.find(sums_name);
    if (it == found.end()) {
        if (!unsafe.count(sums_name)) report.missing.push_back(sums_name);
    } else if (it->second.size != sums.size() || it->second.sha256 != sha256_hex(sums)) {
        report.altered.push_back(sums_name);
    }
    std::sort(report.missing.begin(), report.missing.end());
    std::sort(report.altered.begin(), report.altered.end());
}

std::optional<Digest> hash_file(const stdfs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    Sha256Stream stream;
    Digest digest;
    std::vector<char> buffer(1 << 16);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        const auto got = static_cast<std::size_t>(in.gcount());
        stream.update(std::string_view(buffer.data(), got));
        digest.size += got;
    }
    if (in.bad()) return std::nullopt;
    digest.sha256 = stream.finish_hex();
    return digest;
}

// One entry of a bundle as read, before the top-level folder is known.
struct BundleEntry {
    std::string name;  // as in the archive, trailing '/' and leading "./" removed
    bool directory = false;
    Digest digest;
};

std::string first_component(const std::string& name) { return name.substr(0, name.find('/')); }

}  // namespace

VerifyReport verify_folder(const stdfs::path& folder) {
    VerifyReport report;
    std::error_code ec;
    if (!stdfs::is_directory(folder, ec)) {
        report.error = folder.string() + " is not a folder";
        return report;
    }
    const auto manifest_status = stdfs::symlink_status(folder / manifest_name, ec);
    if (!stdfs::exists(manifest_status)) {
        report.error = "there is no manifest.json in " + folder.string();
        return report;
    }
    if (!stdfs::is_regular_file(manifest_status)) {
        report.error = "manifest.json in " + folder.string() + " is not a regular file";
        return report;
    }
    const auto manifest = fs::read_file(folder / manifest_name, BundleLimits{}.max_manifest_bytes);
    if (manifest.status != fs::ReadStatus::ok) {
        report.error = manifest.status == fs::ReadStatus::too_large ? "manifest.json is too large"
                                                                    : "cannot read manifest.json";
        return report;
    }
    report.manifest_sha256 = sha256_hex(manifest.text);

    Listing found;
    std::set<std::string> unsafe;
    stdfs::recursive_directory_iterator it(folder, stdfs::directory_options::none, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const auto status = it->symlink_status(ec);
        if (ec) break;
        if (stdfs::is_directory(status)) continue;
        std::string relative = it->path().lexically_relative(folder).generic_string();
        if (!stdfs::is_regular_file(status)) {
            // A link could make the check read (and vouch for) a file outside the copy.
            report.unsafe.push_back(relative);
            unsafe.insert(relative);
            continue;
        }
        if (relative == manifest_name) {
            found[relative] = {manifest.text.size(), report.manifest_sha256};
            continue;
        }
        auto digest = hash_file(it->path());
        if (!digest) {
            report.error = "cannot read " + it->path().string();
            return report;
        }
        found[relative] = std::move(*digest);
    }
    if (ec) {
        report.error = "cannot list " + folder.string() + ": " + ec.message();
        return report;
    }
    std::sort(report.unsafe.begin(), report.unsafe.end());
    compare(manifest.text, found, unsafe, true, report);
    return report;
}

VerifyReport verify_bundle(const stdfs::path& archive_path, const BundleLimits& limits) {
    VerifyReport report;
    const ScopedUtf8Locale utf8;
    ArchiveReader owner(archive_read_new());
    struct archive* a = owner.get();
    // Only what write_bundle produces (and plain tar): fewer decoders, less attack surface.
    archive_read_support_filter_gzip(a);
    archive_read_support_filter_none(a);
    archive_read_support_format_tar(a);
    archive_read_support_format_zip(a);
    if (archive_read_open_filename(a, archive_path.c_str(), 1 << 16) != ARCHIVE_OK) {
        report.error = "cannot open " + archive_path.string() + ": " + archive_message(a);
        return report;
    }

    std::vector<BundleEntry> entries;
    // Names of the files read so far, and of the folders named or implied (by a file
    // inside) so far: a name that is both, or a file inside a file, is extracted one way
    // by one tool and another by the next (GNU tar puts an empty folder in a page's place).
    std::set<std::string> files, folders;
    const auto folders_above = [](const std::string& name) {
        std::vector<std::string> above;
        for (std::size_t slash = name.find('/'); slash != std::string::npos; slash = name.find('/', slash + 1))
            above.push_back(name.substr(0, slash));
        return above;
    };
    std::optional<std::pair<std::string, std::string>> manifest;  // top-level folder, text
    std::uint64_t total = 0, count = 0;
    std::vector<char> buffer(1 << 16);
    const auto too_large = [&] {
        return archive_path.string() + " unpacks to more than " + std::to_string(limits.max_total_bytes) +
               " bytes; refusing to check it (a decompression bomb?)";
    };
    // An unsafe entry is reported by name; it is still decompressed on the way to the
    // next header, so its declared size counts (a bomb must not hide behind a bad name).
    // False when that takes the total over the limit.
    const auto report_unsafe = [&](struct archive_entry* unsafe, const std::string& name) {
        if (archive_entry_size_is_set(unsafe) && archive_entry_size(unsafe) > 0)
            total += static_cast<std::uint64_t>(archive_entry_size(unsafe));
        if (total > limits.max_total_bytes) {
            report.error = too_large();
            return false;
        }
        report.unsafe.push_back(name);
        return true;
    };
    struct archive_entry* entry = nullptr;
    while (true) {
        const int status = archive_read_next_header(a, &entry);
        if (status == ARCHIVE_EOF) break;
        if (status < ARCHIVE_WARN) {
            report.error = "cannot read " + archive_path.string() + ": " + archive_message(a);
            return report;
        }
        if (++count > limits.max_entries) {
            report.error = archive_path.string() + " holds more than " + std::to_string(limits.max_entries) +
                           " entries; refusing to check it (a decompression bomb?)";
            return report;
        }
        const char* utf8 = archive_entry_pathname_utf8(entry);
        const char* raw = utf8 ? utf8 : archive_entry_pathname(entry);
        const std::string original = raw ? raw : "";
        const auto type = archive_entry_filetype(entry);
        // Never followed, never extracted: links and devices are reported by name only.
        if (archive_entry_hardlink(entry) || archive_entry_symlink(entry) || (type != AE_IFREG && type != AE_IFDIR) ||
            escapes_target(original)) {
            if (!report_unsafe(entry, original)) return report;
            continue;
        }
        BundleEntry item;
        item.name = original;
        while (item.name.rfind("./", 0) == 0) item.name.erase(0, 2);
        while (!item.name.empty() && item.name.back() == '/') item.name.pop_back();
        item.directory = type == AE_IFDIR;
        if (item.name.empty()) continue;  // "./" itself
        const std::vector<std::string> above = folders_above(item.name);
        if (files.count(item.name) || (!item.directory && folders.count(item.name)) ||
            std::any_of(above.begin(), above.end(), [&](const std::string& folder) { return files.count(folder) > 0; })) {
            // Which one an extractor keeps differs between tools; neither can be vouched for.
            if (!report_unsafe(entry, original)) return report;
            continue;
        }
        (item.directory ? folders : files).insert(item.name);
        folders.insert(above.begin(), above.end());
        const bool is_manifest = !item.directory && !manifest &&
                                 item.name.size() > std::string("/manifest.json").size() &&
                                 item.name.find('/') == item.name.size() - std::string("/manifest.json").size() &&
                                 item.name.ends_with("/manifest.json");
        std::string manifest_text;
        Sha256Stream stream;
        while (!item.directory) {
            const auto got = archive_read_data(a, buffer.data(), buffer.size());
            if (got < 0) {
                report.error = "cannot read " + original + " in " + archive_path.string() + ": " + archive_message(a);
                return report;
            }
            if (got == 0) break;
            total += static_cast<std::uint64_t>(got);
            if (total > limits.max_total_bytes) {
                report.error = too_large();
                return report;
            }
            const std::string_view data(buffer.data(), static_cast<std::size_t>(got));
            stream.update(data);
            item.digest.size += static_cast<std::uint64_t>(got);
            if (is_manifest) {
                if (item.digest.size > limits.max_manifest_bytes) {
                    report.error = "manifest.json in " + archive_path.string() + " is too large";
                    return report;
                }
                manifest_text.append(data);
            }
        }
        if (!item.directory) item.digest.sha256 = stream.finish_hex();
        if (is_manifest) manifest.emplace(first_component(item.name), std::move(manifest_text));
        entries.push_back(std::move(item));
    }
    std::sort(report.unsafe.begin(), report.unsafe.end());

    // The single top-level folder that write_bundle puts everything under.
    std::set<std::string> roots;
    bool loose_file = false;
    for (const auto& item : entries) {
        roots.insert(first_component(item.name));
        loose_file = loose_file || (!item.directory && item.name.find('/') == std::string::npos);
    }
    if (roots.size() != 1 || loose_file) {
        report.error = entries.empty() ? archive_path.string() + " holds no files"
                                       : archive_path.string() + " does not hold everything in one top-level folder";
        return report;
    }
    const std::string root = *roots.begin();
    if (!manifest || manifest->first != root) {
        report.error = "there is no manifest.json in " + archive_path.string();
        return report;
    }
    Listing found;
    for (auto& item : entries)
        if (!item.directory) found.emplace(item.name.substr(root.size() + 1), std::move(item.digest));
    std::set<std::string> unsafe;
    for (const auto& name : report.unsafe)
        if (name.rfind(root + "/", 0) == 0) unsafe.insert(name.substr(root.size() + 1));
    report.manifest_sha256 = sha256_hex(manifest->second);
    compare(manifest->second, found, unsafe, false, report);
    return report;
}

namespace {

// Names come from files that may be hostile: no control characters reach the terminal.
std::string printable(const std::string& name) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    for (unsigned char c : name) {
        if (c == '\\') {
            text += "\\\\";
        } else if (c < 0x20 || c == 0x7f) {
            text += "\\x";
            text += hex[c >> 4];
            text += hex[c & 0x0f];
        } else {
            text += static_cast<char>(c);
        }
    }
    return text;
}

}  // namespace

std::string format_report(const VerifyReport& report) {
    std::string text;
    auto lines = [&text](const char* label, const std::vector<std::string>& paths) {
        for (const auto& path : paths) text += std::string(label) + ": " + printable(path) + "\n";
    };
    lines("missing", report.missing);
    lines("altered", report.altered);
    lines("unexpected", report.unexpected);
    lines("unsafe", report.unsafe);
    if (!report.error.empty()) return text + "FAILED: " + printable(report.error) + "\n";
    // A copy whose pages and manifest were both rewritten still matches itself: only the
    // manifest's own digest, compared with the official copy's, shows that.
    if (report.ok())
        return text + "OK: " + std::to_string(report.checked) + (report.checked == 1 ? " file matches" : " files match") +
               " the manifest\nmanifest.json SHA-256: " + report.manifest_sha256 +
               " (the official copy's must be the same)\n";
    std::string counts;
    auto count = [&counts](std::size_t n, const char* label) {
        if (n == 0) return;
        if (!counts.empty()) counts += ", ";
        counts += std::to_string(n) + " " + label;
    };
    count(report.missing.size(), "missing");
    count(report.altered.size(), "altered");
    count(report.unexpected.size(), "unexpected");
    count(report.unsafe.size(), "unsafe");
    return text + "FAILED: " + counts + "; this copy does not match its manifest\n";
}

}  // namespace cypp::publish
