#include "fuzz_support.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cypp::fuzz {

MemorySource MemorySource::load(const std::string& folder) {
    MemorySource source;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(folder)) {
        if (!entry.is_regular_file()) continue;
        std::ifstream in(entry.path(), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        source.files[entry.path().lexically_relative(folder).generic_string()] = text.str();
    }
    if (source.files.empty()) finding("fixture folder is empty or missing: " + folder);
    return source;
}

fs::ReadResult MemorySource::read(const std::string& relative, std::uintmax_t max_bytes) const {
    auto found = files.find(relative);
    if (found == files.end()) return {is_directory(relative) ? fs::ReadStatus::not_a_file : fs::ReadStatus::missing, {}};
    if (found->second.size() > max_bytes) return {fs::ReadStatus::too_large, {}};
    return {fs::ReadStatus::ok, found->second};
}

bool MemorySource::is_file(const std::string& relative) const { return files.count(relative) > 0; }

bool MemorySource::is_directory(const std::string& relative) const {
    if (relative.empty() || relative == ".") return true;
    const std::string prefix = relative.back() == '/' ? relative : relative + "/";
    auto next = files.lower_bound(prefix);
    return next != files.end() && next->first.starts_with(prefix);
}

const MemorySource& minimal_site() {
    static const MemorySource site = MemorySource::load(CYPP_FUZZ_FIXTURE);
    return site;
}

void require_no_script(std::string_view html, std::string_view what) {
    std::string lower(html);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.find("<script") != std::string::npos) finding(std::string(what) + ": a <script> element in the output");
    for (const char* attribute : {"href=", "src="}) {
        for (std::size_t at = lower.find(attribute); at != std::string::npos; at = lower.find(attribute, at + 1)) {
            std::size_t value = at + std::string_view(attribute).size();
            if (value < lower.size() && (lower[value] == '"' || lower[value] == '\'')) ++value;
            while (value < lower.size() && std::isspace(static_cast<unsigned char>(lower[value]))) ++value;
            const std::string_view url = std::string_view(lower).substr(value, 16);
            if (url.starts_with("javascript:") || url.starts_with("vbscript:") || url.starts_with("data:text/html"))
                finding(std::string(what) + ": a script URL in " + attribute + " " + std::string(url));
        }
    }
}

void print_if_verbose(const diag::Diagnostics& diagnostics) {
    static const bool verbose = std::getenv("CYPP_FUZZ_VERBOSE") != nullptr;
    if (!verbose) return;
    for (const diag::Diagnostic& diagnostic : diagnostics.all())
        std::fprintf(stderr, "%s\n", diag::format_text(diagnostic).c_str());
}

void finding(std::string_view message) {
    std::fprintf(stderr, "FINDING: %.*s\n", static_cast<int>(message.size()), message.data());
    std::abort();
}

}  // namespace cypp::fuzz
