// publish: deterministic downloadable bundles of a built site (see manifest.h).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace cypp::publish {

enum class BundleFormat { tar_gz, zip };

// Writes every regular file of folder (recursively, sorted by path) under one top-level
// directory named root_name into archive. Everything that could differ between two runs
// is fixed: mtime (e.g. SOURCE_DATE_EPOCH, or 0), owner and group 0 with empty names,
// mode 0644 for files and 0755 for directories, no extended attributes, gzip without
// timestamp or name. Symbolic links and other special files are left out; so is the
// build machine's fs::output_marker, which is not part of the publication.
// The archive appears whole or not at all. Returns an error message on failure.
// Byte-identical across runs and machines: zip's MS-DOS times, which libarchive writes
// in local time, are rewritten as UTC, and names are stored as UTF-8 whatever the locale.
std::optional<std::string> write_bundle(const std::filesystem::path& folder, const std::filesystem::path& archive,
                                        BundleFormat format, const std::string& root_name, long long mtime);

}  // namespace cypp::publish
