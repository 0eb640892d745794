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

void add_manifest(fs::OutputTree& tree, const ManifestInfo& info) {
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
    tree.for_each([&](const std::string& path, const std::string& content) {  // sorted by path
        if (path == manifest_name || path == sums_name) return;
        std::string hex = sha256_hex(content);
        files.push_back({{"path", path}, {"size", content.size()}, {"sha256", hex}});
        digests.emplace(path, std::move(hex));
    });
    manifest["files"] = std::move(files);
    // replace: a stray invalid UTF-8 byte in a title must not abort a build at the last step.
    std::string text = manifest.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
    digests[manifest_name] = sha256_hex(text);
    tree.add(manifest_name, std::move(text));
    tree.add(sums_name, format_sha256sums(digests));
}

}  // namespace cypp::publish
