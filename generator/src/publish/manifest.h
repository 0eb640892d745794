// publish: what lets a webmaster prove that a mirrored copy of a plan is complete and
// unaltered — the manifest (manifest.json, SHA256SUMS), deterministic bundles
// (bundle.h) and their verification (verify.h). The only module that touches OpenSSL
// and libarchive.
#pragma once

#include <map>
#include <mutex>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "fs/output_tree.h"

namespace cypp::publish {

struct ManifestInfo {
    std::string board;
    std::string plan_title;
    std::string period;
    std::string revision_id;
    std::string commit;
    std::string build_time;  // ISO date from SOURCE_DATE_EPOCH or the revision, "" when unknown
    std::string generator;
    std::string official_url;
};

// The two files add_manifest writes; they describe the others and are not listed in
// manifest.json themselves.
inline constexpr const char* manifest_name = "manifest.json";
inline constexpr const char* sums_name = "SHA256SUMS";

std::string sha256_hex(std::string_view data);

// A file's size and SHA-256 as it was added to the output: a build records them while
// each file is in memory (fs::OutputTree::observe), so the manifest reads nothing back.
struct FileDigest {
    std::size_t size = 0;
    std::string sha256;  // lower-case hex
};
using FileDigests = std::unordered_map<std::string, FileDigest>;  // by path

class Sha256Stream;
// Records the digest of every file added to a tree it observes, piece by piece (whole
// files from several threads at once).
class DigestRecorder {
public:
    DigestRecorder();
    ~DigestRecorder();
    void look_at(const std::string& path, const fs::OutputTree::Piece& piece);
    const FileDigests& digests() const { return digests_; }

private:
    void record(const std::string& path, FileDigest digest);
    std::mutex recording_;
    FileDigests digests_;
    std::unique_ptr<Sha256Stream> stream_;  // of the file being added in pieces
    std::size_t size_ = 0;
};

// Adds OUT/manifest.json {"format": 1, "board", "plan", "period", "revision", "commit",
// "build_time", "generator", "official_url", "files": [{"path", "size", "sha256"}...]}
// listing every file of the tree except manifest.json and SHA256SUMS, sorted by path,
// and OUT/SHA256SUMS for `sha256sum -c` (including manifest.json). Same tree, same
// bytes; calling it again replaces both files with identical ones. known: digests
// recorded as the files were added (others are computed from the tree).
void add_manifest(fs::OutputTree& tree, const ManifestInfo& info, const FileDigests* known = nullptr);

// SHA256SUMS text for path → hex digest, sorted by path, escaped as GNU sha256sum does
// for names holding '\\', '\n' or '\r' so that `sha256sum -c` reads every line back.
std::string format_sha256sums(const std::map<std::string, std::string>& digests);

}  // namespace cypp::publish
