#include "publish/manifest.h"

#include <nlohmann/json.hpp>

#include "publish/sha256_stream.h"

namespace cypp::publish {

std::string sha256_hex(std::string_view data) {
    Sha256Stream stream;
    stream.update(data);
    return stream.finish_hex();
}

std::string format_sha256sums(const std::map<std::string, std::string>& digests) {
    std::string text;
    for (const auto& [path, hex] : digests) {
        std::string escaped;
        bool needs_escape = false;
        for (char c : path) {
            switch (c) {
                case '\\': escaped += "\\\\"; needs_escape = true; break;
                case '\n': escaped += "\\n"; needs_escape = true; break;
                case '\r': escaped += "\\r"; needs_escape = true; break;
                default: escaped += c;
            }
        }
        if (needs_escape) text += '\\';
        text += hex;
        text += "  ";
        text += escaped;
        text += '\n';
    }
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
    auto files = nlohmann::ordered_json::array();
    std::map<std::string, std::string> digests;
    auto digest_of = [&](const std::string& path) {
        if (known)
            if (auto found = known->find(path); found != known->end()) return found->second;
        const std::string content = tree.read(path);
        return FileDigest{content.size(), sha256_hex(content)};
    };
    for (const std::string& path : tree.paths()) {  // sorted by path
        if (path == manifest_name || path == sums_name) continue;
        const FileDigest digest = digest_of(path);
        files.push_back({{"path", path}, {"size", digest.size}, {"sha256", digest.sha256}});
        digests.emplace(path, digest.sha256);
    }
    manifest["files"] = std::move(files);
    // replace: a stray invalid UTF-8 byte in a title must not abort a build at the last step.
    std::string text = manifest.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    digests[manifest_name] = sha256_hex(text);
    tree.add(manifest_name, std::move(text));
    tree.add(sums_name, format_sha256sums(digests));
}

}  // namespace cypp::publish
