// publish: checking a mirrored copy or a downloaded bundle against its manifest.json,
// for the webmasters who must show it is complete and unaltered (see manifest.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace cypp::publish {

struct VerifyReport {
    std::vector<std::string> missing, altered, unexpected, unsafe;  // each sorted
    std::string error;         // the check could not be made (no or bad manifest, unreadable bundle, limits)
    std::size_t checked = 0;   // files listed in the manifest
    std::string manifest_sha256;  // compare with the one published at official_url
    bool ok() const;
};

// Caps that stop a hostile bundle (a "decompression bomb") from exhausting the machine.
struct BundleLimits {
    std::uint64_t max_total_bytes = std::uint64_t{2} << 30;  // uncompressed, all entries
    std::uint64_t max_entries = 200'000;
    std::uint64_t max_manifest_bytes = std::uint64_t{64} << 20;
};

// Every file listed in the folder's own manifest.json must be present with the listed
// size and SHA-256; any other file is "unexpected", except manifest.json, SHA256SUMS
// (which must agree with the manifest: "altered" otherwise, "missing" if absent) and
// fs::output_marker holding exactly fs::output_marker_text. Symbolic links and special
// files are "unsafe" and never followed.
// A missing or malformed manifest.json is `error`.
VerifyReport verify_folder(const std::filesystem::path& folder);

// The same check for a .tar.gz, .tar or .zip, read entry by entry without extracting
// anything to disk. The bundle's single top-level folder is stripped. Entries with an
// absolute path or a ".." component, links, devices, duplicate names, a folder named as a
// file is and a file inside a file are "unsafe", reported by their name in the archive.
// A bundle never holds fs::output_marker: there it is "unexpected".
VerifyReport verify_bundle(const std::filesystem::path& archive, const BundleLimits& limits = {});

// "missing: path", "altered: path", "unexpected: path", "unsafe: path" lines, then
// "OK: N files match the manifest" or "FAILED: ..." (control characters in names escaped).
std::string format_report(const VerifyReport& report);

}  // namespace cypp::publish
