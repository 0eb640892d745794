// load: reads a Board's site folder — JSON metadata validated against the schemas and
// Markdown pages with their links checked — and builds the model. This is the only
// stage that reads author files; everything after works on model::Site.
#pragma once

#include <filesystem>
#include <optional>

#include "diag/diagnostics.h"
#include "fs/site_source.h"
#include "model/site.h"
#include "parallel/for_each.h"

namespace cypp::load {

class MarkdownCache;
class FilledPages;
class CompiledSchemas;
class JsonFileCache;

struct Limits {
    std::uintmax_t max_json_bytes = 4 * 1024 * 1024;
    std::uintmax_t max_markdown_bytes = 512 * 1024;
    unsigned jobs = 0;  // threads that prepare Markdown; 0: one per core. Results never depend on it.
    parallel::Pool* pool = nullptr;  // a build's threads, used instead of starting jobs threads
    CompiledSchemas* schemas = nullptr;  // shared by a build's loads; null: each load compiles its own
    JsonFileCache* json_files = nullptr;  // cypp serve's, for the working tree's load only
    FilledPages* filled_pages = nullptr;  // the same
    // A plan's Markdown is read ahead while its JSON is read (read_ahead.h) when the load
    // has more than one thread.
    bool read_ahead = true;
};
// How many threads a load with these limits spreads its work over.
unsigned load_threads(const Limits& limits);

// Returns the model, or nullopt when the metadata is too broken to build one. Problems
// are reported to diagnostics (several per run where possible); a returned model may
// still come with errors (e.g. a broken link), which the caller must not publish.
std::optional<model::Site> load_site(const std::filesystem::path& site_dir, const Limits& limits,
                                     diag::Diagnostics& diagnostics);
// The same from any source (an archived version in git): display_root names the site
// folder in diagnostics.
// cache: shared by every load of one build, so archived versions reuse unchanged pages.
std::optional<model::Site> load_site(const fs::SiteSource& source, const std::filesystem::path& display_root,
                                     const Limits& limits, diag::Diagnostics& diagnostics, MarkdownCache* cache = nullptr);

}  // namespace cypp::load
