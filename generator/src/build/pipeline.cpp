#include "build/pipeline.h"

#include "fs/output_tree.h"
#include "load/load_site.h"
#include "model/paths.h"
#include "render/render_site.h"
#include "render/theme.h"
#include "rules/rules.h"

namespace cypp::build {

namespace stdfs = std::filesystem;

namespace {

std::string display_root(const stdfs::path& site_dir) {
    return site_dir.empty() ? std::string(".") : site_dir.lexically_normal().string();
}

// Linked documents and images are copied byte for byte.
bool add_linked_files(const model::Site& site, const stdfs::path& site_dir, fs::OutputTree& output,
                      diag::Diagnostics& diagnostics) {
    constexpr std::uintmax_t max_linked_file_bytes = 64 * 1024 * 1024;
    bool ok = true;
    for (const std::string& relative : site.linked_files) {
        fs::ReadResult read = fs::read_file(site_dir / relative, max_linked_file_bytes);
        if (read.status != fs::ReadStatus::ok) {
            diagnostics.error("CY104", (site_dir / relative).lexically_normal().string(), 0, 0,
                              "linked file cannot be read or is larger than 64 MiB");
            ok = false;
            continue;
        }
        output.add(model::linked_file_path(relative), std::move(read.text));
    }
    return ok;
}

PipelineResult finish(PipelineResult result, const PipelineOptions& options, diag::Diagnostics& diagnostics) {
    if (options.strict) diagnostics.promote_warnings_to_errors();
    if (diagnostics.has_errors() && result.outcome == Outcome::success) result.outcome = Outcome::content_errors;
    return result;
}

}  // namespace

PipelineResult run_pipeline(const PipelineOptions& options, diag::Diagnostics& diagnostics) {
    std::error_code ec;
    if (!stdfs::is_directory(options.site_dir, ec)) {
        diagnostics.error("CY101", display_root(options.site_dir), 0, 0, "site folder does not exist",
                          "give the folder that holds site.json (cypp build path/to/site)");
        return {Outcome::environment_error, 0, std::nullopt};
    }
    if (!stdfs::is_regular_file(options.site_dir / "site.json", ec)) {
        diagnostics.error("CY101", display_root(options.site_dir), 0, 0, "no site.json in this folder",
                          "run cypp in the folder that holds site.json, or give its path");
        return {Outcome::environment_error, 0, std::nullopt};
    }

    // 1. load: read, validate against the schemas, build the model, check links.
    std::optional<model::Site> site = load::load_site(options.site_dir, load::Limits{}, diagnostics);
    // 2. theme: the default theme with the site's overrides.
    std::optional<render::Theme> theme = render::Theme::load(options.site_dir, display_root(options.site_dir), diagnostics);
    if (!site || !theme) return finish({Outcome::content_errors, 0, std::nullopt}, options, diagnostics);

    // 3. rules: regulations 3 to 8.
    PipelineResult result;
    result.compliance = rules::check_rules(*site, {options.today, display_root(options.site_dir)}, diagnostics);

    // 4. render into memory.
    fs::OutputTree output;
    render::render_site(*site, *theme, *result.compliance, {options.build_date, options.generator}, output, diagnostics);
    add_linked_files(*site, options.site_dir, output, diagnostics);
    result = finish(std::move(result), options, diagnostics);
    if (result.outcome != Outcome::success || options.mode == Mode::check) return result;

    // 5. write: all or nothing.
    if (auto failure = fs::commit_output(output, options.output_dir)) {
        diagnostics.error("CY601", options.output_dir.lexically_normal().string(), 0, 0, *failure);
        result.outcome = Outcome::environment_error;
        return result;
    }
    result.files_written = output.files().size();
    return result;
}

}  // namespace cypp::build
