// Shared by the fuzz targets and their corpus replay: a site held in memory, so that an
// input can replace one of its files without touching the disk, and the output checks
// every target makes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "diag/diagnostics.h"
#include "fs/site_source.h"

namespace cypp::fuzz {

// A site folder read once into memory; files can then be replaced per input.
class MemorySource final : public fs::SiteSource {
public:
    static MemorySource load(const std::string& folder);  // every regular file below folder
    fs::ReadResult read(const std::string& relative, std::uintmax_t max_bytes) const override;
    bool is_file(const std::string& relative) const override;
    bool is_directory(const std::string& relative) const override;

    std::map<std::string, std::string> files;  // '/'-separated relative path -> content
};

// tests/fixtures/minimal, the smallest complete site (CYPP_FUZZ_FIXTURE at build time).
const MemorySource& minimal_site();

// Stops the process (a finding) when published HTML could run a script: a <script
// element, or a javascript:, vbscript: or data:text/html URL in href or src. what
// names the file for the report.
void require_no_script(std::string_view html, std::string_view what);

// With CYPP_FUZZ_VERBOSE set, prints every diagnostic (to see why an input stops early).
void print_if_verbose(const diag::Diagnostics& diagnostics);

// Aborts with a message: a finding for libFuzzer and a failure for the replay.
[[noreturn]] void finding(std::string_view message);

}  // namespace cypp::fuzz
