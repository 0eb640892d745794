// build: the pipeline, stage by stage — load (read, validate, model) → check rules →
// theme → render → write. Reading this file's .cpp from top to bottom is the build.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "model/date.h"
#include "fs/output_tree.h"
#include "fs/read_cache.h"
#include "load/compiled_schemas.h"
#include "load/filled_pages.h"
#include "load/json_file_cache.h"
#include "load/markdown_cache.h"
#include "model/site.h"
#include "parallel/for_each.h"
#include "render/page_cache.h"
#include "render/theme.h"
#include "rules/rules.h"

namespace cypp::build {

enum class Mode { check, build, preview };  // preview: build in memory, write nothing

// Wall time of one stage of one build, and the process's peak memory when it ended,
// for cypp build --timings.
struct StageTime {
    std::string stage;
    double milliseconds = 0;
    long peak_kib = 0;  // resident set high-water mark (VmHWM); 0 where unknown
};

// What cypp serve keeps from one rebuild to the next, so that a rebuild after one edit
// reads, parses and renders little more than what changed (docs/ARCHITECTURE.md).
struct KeptBetweenBuilds {
    explicit KeptBetweenBuilds(unsigned jobs) : pool(jobs) {}
    load::MarkdownCache markdown;       // prepared Markdown, by text
    render::PageCache pages;            // rendered pages and print sections, by what they were made from
    fs::ReadCache files;                // the texts of files, by their status
    load::CompiledSchemas schemas;      // the built-in schemas
    load::JsonFileCache json_files;     // the site's JSON files parsed and checked, by their text
    load::FilledPages filled_pages;     // pages' HTML with their links filled in, while the links stay the same
    render::ParsedTemplates templates;  // the theme's templates, by their text
    parallel::Pool pool;                // the same threads, whose allocators keep their memory warm
};

struct PipelineOptions {
    std::filesystem::path site_dir;
    std::filesystem::path output_dir;  // build only
    Mode mode = Mode::build;
    std::optional<model::Date> build_date;
    model::Date today;    // for deadlines: --today, else SOURCE_DATE_EPOCH, else the clock
    bool strict = false;  // warnings are errors
    bool with_history = true;  // read the revision history from git
    bool print_pdf = false;    // build: also print/<plan>.pdf through chromium, when it is installed
    // Called while archived versions render (done, total): the CLI shows it on terminals.
    std::function<void(std::size_t, std::size_t)> progress;
    KeptBetweenBuilds* kept = nullptr;  // cypp serve; null: the build starts afresh
    std::string generator;
    unsigned jobs = 0;  // threads for parsing, rendering and writing; 0: one per core (kept: its pool's)
    std::vector<StageTime>* timings = nullptr;  // when given, each stage's wall time is added
};

enum class Outcome { success, content_errors, environment_error };

struct ChildPageReading {
    std::string page;  // site-relative source
    model::ReadingLevel level;
};

struct PipelineResult {
    Outcome outcome = Outcome::success;
    std::size_t files_written = 0;
    std::optional<rules::ComplianceReport> compliance;  // when the site loaded
    std::vector<ChildPageReading> child_reading;        // the current plan's child-friendly pages
    std::optional<fs::OutputTree> preview;              // Mode::preview: the site, not written
    double child_reading_max_grade = 0;
    std::vector<std::string> notes;  // worth saying, not problems: e.g. no chromium, so no PDF
};

PipelineResult run_pipeline(const PipelineOptions& options, diag::Diagnostics& diagnostics);

}  // namespace cypp::build
