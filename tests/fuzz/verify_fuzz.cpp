// Fuzz target (d): `cypp verify` on a hostile bundle. The input is the bundle's bytes
// (.tar.gz, .tar or .zip, told apart by content as libarchive does); it is written to a
// temporary file, because verify reads bundles by name, and checked with small caps so a
// decompression bomb is cut short. Nothing may be extracted, and a report that says OK
// must name no unsafe, missing, altered or unexpected entry.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "fuzz_support.h"
#include "publish/verify.h"

namespace {

const std::filesystem::path& bundle_path() {
    static const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("cypp-verify-fuzz-" + std::to_string(::getpid()) + ".bundle");
    return path;
}

struct RemoveAtExit {
    ~RemoveAtExit() {
        std::error_code ec;
        std::filesystem::remove(bundle_path(), ec);
    }
} remove_at_exit;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace cypp;
    std::FILE* file = std::fopen(bundle_path().c_str(), "wb");
    if (!file) fuzz::finding("cannot write " + bundle_path().string());
    if (size > 0 && std::fwrite(data, 1, size, file) != size) fuzz::finding("cannot write the bundle");
    std::fclose(file);

    publish::BundleLimits limits;
    limits.max_total_bytes = 16 << 20;
    limits.max_entries = 2000;
    limits.max_manifest_bytes = 1 << 20;
    const publish::VerifyReport report = publish::verify_bundle(bundle_path(), limits);
    const std::string text = publish::format_report(report);
    if (report.ok() && (!report.error.empty() || !report.unsafe.empty() || !report.missing.empty() ||
                        !report.altered.empty() || !report.unexpected.empty()))
        fuzz::finding("verify says OK about a bundle with problems:\n" + text);
    if (text.empty()) fuzz::finding("an empty verify report");
    return 0;
}
