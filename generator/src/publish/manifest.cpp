#include "publish/manifest.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "publish/sha256_stream.h"

namespace cypp::publish {

std::string sha256_hex(std::string_view data) {
    Sha256Stream stream;
    stream.update(data);
    return stream.finish_hex();
}

namespace {

// One line of SHA256SUMS, escaped as GNU sha256sum escapes names.
void append_sha256sum(std::string& text, const std::string& path, const std::string& hex) {
    const bool needs_escape = path.find_first_of("\\\n\r") != std::string::npos;
    if (needs_escape) text += '\\';
    text += hex;
    text += "  ";
    if (!needs_escape) {
        text += path;  // nearly every name
    } else {
        for (char c : path) {
            switch (c) {
                case '\\': text += "\\\\"; break;
                case '\n': text += "\\n"; break;
                case '\r': text += "\\r"; break;
                default: text += c;
            }
        }
    }
    text += '\n';
}

}  // namespace

std::string format_sha256sums(const std::map<std::string, std::string>& digests) {
    std::string text;
    for (const auto& [path, hex] : digests) append_sha256sum(text, path, hex);
    return text;
}

DigestRecorder::DigestRecorder() = default;
DigestRecorder::~DigestRecorder() = default;

void DigestRecorder::look_at(const std::string& path, const fs::OutputTree::Piece& piece) {
    if (piece.first && piece.last) {  // a whole file, maybe on one of several threads
        Sha256Stream stream;
        stream.update(piece.content);
        record(path, {piece.content.size(), stream.finish_hex()});
        return;
    }
    if (piece.first) {
        stream_ = std::make_unique<Sha256Stream>();
        size_ = 0;
    }
    stream_->update(piece.content);
    size_ += piece.content.size();
    if (piece.last) record(path, {size_, stream_->finish_hex()});
}

void DigestRecorder::record(const std::string& path, FileDigest digest) {
    const std::lock_guard<std::mutex> lock(recording_);
    digests_[path] = std::move(digest);
}

namespace {

// A JSON string exactly as nlohmann's dump writes it (ensure_ascii off). Printable ASCII
// other than '"' and '\\' (every path cypp makes itself) is written as is; anything else
// (escapes, UTF-8, invalid bytes replaced) is left to nlohmann.
void append_json_string(std::string& out, const std::string& text) {
    const bool plain = std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
    if (!plain) {
        out += nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        return;
    }
    out += '"';
    out += text;
    out += '"';
}

}  // namespace

void add_manifest(fs::OutputTree& tree, const ManifestInfo& info, const FileDigests* known) {
    // ordered_json keeps the documented key order, so the file reads top-down for people.
    nlohmann::ordered_json manifest;
    manifest["format"] = 1;
    manifest["board"] = info.board;
    manifest["plan"] = info.plan_title;
    manifest["period"] = info.period;
    manifest["revision"] = info.revision_id;
    manifest["commit"] = info.commit;
    manifest["build_time"] = info.build_time;
    manifest["generator"] = info.generator;
    manifest["official_url"] = info.official_url;
    manifest["files"] = nlohmann::ordered_json::array();
    // replace: a stray invalid UTF-8 byte in a title must not abort a build at the last step.
    std::string text = manifest.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    // The file list is written here, in the layout dump gives it: building one JSON
    // object per file took most of the manifest's time, on the build's one thread, at
    // 10,000 chapters.
    const std::string empty_list = "[]\n}";
    if (text.size() < empty_list.size() || text.compare(text.size() - empty_list.size(), empty_list.size(), empty_list) != 0)
        throw std::logic_error("add_manifest: the manifest does not end with its file list");
    text.resize(text.size() - empty_list.size());
    text += '[';

    // SHA256SUMS lists the same files in the same order, and manifest.json in its place
    // among them: the lines before it and after it are written as the list is.
    std::string sums_before_manifest, sums_after_manifest;
    auto digest_of = [&](const std::string& path) {
        if (known)
            if (auto found = known->find(path); found != known->end()) return found->second;
        const std::string content = tree.read(path);
        return FileDigest{content.size(), sha256_hex(content)};
    };
    bool first = true;
    for (const std::string& path : tree.paths()) {  // sorted by path
        if (path == manifest_name || path == sums_name) continue;
        FileDigest digest = digest_of(path);
        text += first ? "\n    {\n      \"path\": " : ",\n    {\n      \"path\": ";
        first = false;
        append_json_string(text, path);
        text += ",\n      \"size\": ";
        text += std::to_string(digest.size);
        text += ",\n      \"sha256\": ";
        append_json_string(text, digest.sha256);
        text += "\n    }";
        append_sha256sum(path < manifest_name ? sums_before_manifest : sums_after_manifest, path, digest.sha256);
    }
    text += first ? "]\n}\n" : "\n  ]\n}\n";
    append_sha256sum(sums_before_manifest, manifest_name, sha256_hex(text));
    tree.add(manifest_name, std::move(text));
    tree.add(sums_name, std::move(sums_before_manifest) + sums_after_manifest);
}

}  // namespace cypp::publish
