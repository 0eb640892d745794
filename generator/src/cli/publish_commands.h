// `cypp verify` and `cypp bundle`: what webmasters and release CI run on a built site.
#pragma once

#include <iosfwd>
#include <string>

namespace cypp::cli {

// 0 when the copy (folder, .tar.gz or .zip) matches its manifest exactly, 1 when it
// does not, 2 when it cannot be read.
int run_verify(const std::string& path, std::ostream& out, std::ostream& err);
// Writes FOLDER.tar.gz and FOLDER.zip beside a built site folder, byte-identical for the
// same input (entry times from SOURCE_DATE_EPOCH, else 0).
int run_bundle(const std::string& folder, std::ostream& out, std::ostream& err);

}  // namespace cypp::cli
