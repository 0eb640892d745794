// build: the pipeline, stage by stage — load (read, validate, model) → theme → render
// → write. Reading this file's .cpp from top to bottom is the build.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "diag/diagnostics.h"
#include "model/date.h"

namespace cypp::build {

enum class Mode { check, build };

struct PipelineOptions {
    std::filesystem::path site_dir;
    std::filesystem::path output_dir;  // build only
    Mode mode = Mode::build;
    std::optional<model::Date> build_date;
    std::string generator;
};

enum class Outcome { success, content_errors, environment_error };

struct PipelineResult {
    Outcome outcome = Outcome::success;
    std::size_t files_written = 0;
};

PipelineResult run_pipeline(const PipelineOptions& options, diag::Diagnostics& diagnostics);

}  // namespace cypp::build
