#include "build/pipeline.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

#include "fs/output_tree.h"
#include "fs/site_source.h"
#include "history/history.h"
#include "publish/manifest.h"
#include "publish/print_pdf.h"
#include "load/compiled_schemas.h"
#include "load/load_site.h"
#include "load/markdown_cache.h"
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
void add_linked_files(const model::Site& site, const fs::SiteSource& source, fs::OutputTree& output,
                      diag::Diagnostics& diagnostics, const std::string& prefix = {}) {
    constexpr std::uintmax_t max_linked_file_bytes = 64 * 1024 * 1024;
    for (const std::string& relative : site.linked_files) {
        fs::ReadResult read = source.read(relative, max_linked_file_bytes);
        if (read.status == fs::ReadStatus::outside_site) {
            diagnostics.error("CY116", relative, 0, 0, "linked file leads outside the site folder (a symbolic link)",
                              "copy the file into the site folder instead of linking to it");
            continue;
        }
        if (read.status != fs::ReadStatus::ok) {
            diagnostics.error("CY104", relative, 0, 0, "linked file cannot be read or is larger than 64 MiB");
            continue;
        }
        output.add(prefix + model::linked_file_path(relative), std::move(read.text));
    }
}

// A child-friendly page explains a chapter: when the chapter changed in a later revision
// than the page, the page may say something the plan no longer says.
void check_child_pages_are_current(const model::Site& site, const history::History& history, const std::string& root,
                                   diag::Diagnostics& diagnostics) {
    const model::Plan& plan = site.current_plan();
    for (const model::ChildPage& page : plan.child.pages) {
        const model::Chapter* chapter = nullptr;
        for (const model::Chapter& candidate : plan.chapters)
            if (candidate.page.slug == page.explains_chapter) chapter = &candidate;
        if (!chapter) continue;
        const auto chapter_change = history.last_change(chapter->page.source);
        const auto page_change = history.last_change(page.page.source);
        if (!chapter_change || (page_change && *page_change >= *chapter_change)) continue;
        const history::Revision& revision = history.revisions()[*chapter_change];
        const std::string file = root.empty() || root == "." ? page.page.source : root + "/" + page.page.source;
        diagnostics.warning("CY707", file, 0, 0,
                            "may be out of date: \"" + chapter->page.title + "\", the chapter it explains, changed on " +
                                model::format_long(revision.date) + (page_change ? ", after this page was last revised" : ""),
                            "check the page still matches the chapter; commit the page (with a change note) when it does");
    }
}

// No page, feed or file name of the current site may show a withheld respondent's
// details, whatever field they were typed into (the archived versions are scrubbed).
// Each file is looked at as it is added (several at once from an OutputTree::Batch, a
// file in pieces piece by piece); findings are reported in path order.
class WithheldScan {
public:
    explicit WithheldScan(const std::vector<std::string>& withheld)
        : forms_(model::withheld_forms(withheld)), finder_(forms_) {}
    void look_at(const std::string& path, const fs::OutputTree::Piece& piece) {
        if (forms_.empty() || path.starts_with("versions/")) return;
        if (piece.first && piece.last) {
            const std::string* detail = model::find_withheld(path, forms_);
            if (!detail) detail = model::find_withheld(piece.content, forms_);
            record(path, detail);
            return;
        }
        if (piece.first) {
            finder_.start();
            in_name_ = model::find_withheld(path, forms_);
        }
        const std::string* detail = in_name_ ? in_name_ : finder_.look_at(piece.content);
        if (piece.last) record(path, detail);
    }
    void report(diag::Diagnostics& diagnostics) const {
        for (const auto& [path, detail] : found_)
            diagnostics.error("CY315", path, 0, 0,
                              "the published file " + path + " would show \"" + detail +
                                  "\", a detail of a consultation respondent who did not consent to be named",
                              "take it out of the text, title or file name it was typed into, or record the "
                              "respondent's consent (\"consent\": \"publish-with-name\") if they gave it");
    }

private:
    void record(const std::string& path, const std::string* detail) {
        const std::lock_guard<std::mutex> lock(recording_);
        if (detail) found_[path] = *detail;
        else found_.erase(path);  // the file was replaced by one without it
    }

    std::vector<std::pair<std::string, std::string>> forms_;
    model::WithheldFinder finder_;              // for the file being added in pieces
    const std::string* in_name_ = nullptr;      // found in the name of the file being added in pieces
    std::mutex recording_;
    std::map<std::string, std::string> found_;  // path → the detail it shows
};

// mimalloc (linked into the cypp command when installed, see CMakeLists.txt) keeps the
// memory a thread frees for that thread's next allocations. Most of what loading used
// (texts, outlines, JSON documents) is not needed again, and render allocates other
// sizes: each thread hands its freed memory back before render, so the two stages' peaks
// do not add up. Without mimalloc the symbol is absent and this does nothing.
extern "C" void mi_collect(bool force) __attribute__((weak));
void give_back_freed_memory(parallel::Pool& pool) {
    if (mi_collect) pool.on_every_thread([] { mi_collect(true); });
}

// Every published revision, rendered from its git tree under versions/<id>/, under
// today's consent (confidentiality is retroactive); then the history pages and feed.
void render_versions(const model::Site& site, const render::Theme& theme, const history::History& history,
                     const render::RenderOptions& options, const load::Limits& load_limits,
                     load::MarkdownCache& markdown_cache,
                     const std::function<void(std::size_t, std::size_t)>& progress, fs::OutputTree& output,
                     diag::Diagnostics& diagnostics) {
    // The past cannot be corrected: text naming someone who has since withdrawn
    // consent is scrubbed from every version (the current site is checked instead, CY315).
    std::vector<std::string> scrubbed_forms;
    for (const auto& form : model::withheld_forms(options.withheld)) scrubbed_forms.push_back(form.first);
    // Only an outline of each version is kept for the history pages: memory does not grow
    // with every version's pages.
    std::vector<std::optional<render::VersionOutline>> loaded;
    for (const history::Revision& revision : history.revisions()) {
        if (progress) progress(loaded.size(), history.revisions().size());
        auto source = history.source_at(revision);
        diag::Diagnostics ignored;  // an old version is shown as it was, judged by the rules of its day
        std::optional<model::Site> version;
        if (source) version = load::load_site(*source, revision.id, load_limits, ignored, &markdown_cache);
        if (!version) {
            diagnostics.warning("CY706", revision.id, 0, 0,
                                "the version of " + model::format_long(revision.date) + " (commit " +
                                    revision.commit.substr(0, 12) + ") cannot be rendered: " +
                                    std::to_string(ignored.error_count()) + " errors in it",
                                "it is listed in the history without an archived copy");
            loaded.push_back(std::nullopt);
            continue;
        }
        model::apply_current_consent(*version, site);
        render::RenderOptions archived = options;
        archived.history = nullptr;
        archived.archived = render::ArchivedVersion{revision.id, revision.date, revision.note};
        fs::OutputTree tree;
        render::render_site(*version, theme, nullptr, archived, tree, diagnostics);
        const std::string prefix = "versions/" + revision.id + "/";
        for (const auto& [path, content] : tree.files())
            output.add(model::scrub(prefix + path, scrubbed_forms), model::scrub(content, scrubbed_forms));
        add_linked_files(*version, *source, output, diagnostics, prefix);
        loaded.push_back(render::outline_of(*version));
    }
    if (progress) progress(loaded.size(), history.revisions().size());
    render::render_history(site, theme, history, loaded, options, output, diagnostics);
}

publish::ManifestInfo manifest_info(const model::Site& site, const history::History& history,
                                   const PipelineOptions& options) {
    const model::Plan& plan = site.current_plan();
    publish::ManifestInfo info;
    info.board = site.board_name;
    info.plan_title = plan.title;
    info.period = model::format_iso(plan.start) + "/" + model::format_iso(plan.end);
    info.generator = options.generator;
    for (const model::PublicationWebsite& website : site.websites)
        if (website.role == model::WebsiteRole::authority && info.official_url.empty()) info.official_url = website.url;
    if (history.availability() == history::Availability::available && !history.revisions().empty()) {
        const history::Revision& last = history.revisions().back();
        info.revision_id = last.id;
        info.commit = last.commit;
        info.build_time = model::format_iso(last.date);
    }
    // Never the clock: SOURCE_DATE_EPOCH when given, else the last revision's date.
    if (options.build_date) info.build_time = model::format_iso(*options.build_date);
    return info;
}

// The resident set's high-water mark so far, from /proc (Linux).
long peak_kib() {
    std::ifstream status("/proc/self/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with("VmHWM:")) return std::strtol(line.c_str() + 6, nullptr, 10);
    return 0;
}

// Records the wall time since the previous mark under a stage's name.
class StageClock {
public:
    explicit StageClock(std::vector<StageTime>* timings) : timings_(timings) {}
    void mark(const char* stage) {
        if (!timings_) return;
        const auto now = std::chrono::steady_clock::now();
        timings_->push_back({stage, std::chrono::duration<double, std::milli>(now - last_).count(), peak_kib()});
        last_ = now;
    }

private:
    std::vector<StageTime>* timings_;
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

PipelineResult with_outcome(Outcome outcome) {
    PipelineResult result;
    result.outcome = outcome;
    return result;
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
        return with_outcome(Outcome::environment_error);
    }
    if (!stdfs::is_regular_file(options.site_dir / "site.json", ec)) {
        diagnostics.error("CY101", display_root(options.site_dir), 0, 0, "no site.json in this folder",
                          "run cypp in the folder that holds site.json, or give its path");
        return with_outcome(Outcome::environment_error);
    }

    StageClock clock(options.timings);
    // 1. load: read, validate against the schemas, build the model, check links.
    load::MarkdownCache build_cache;  // shared with the archived versions below (none without history)
    load::MarkdownCache* markdown_cache =
        options.kept ? &options.kept->markdown : options.with_history ? &build_cache : nullptr;
    if (options.kept) {
        options.kept->files.start_build();
        options.kept->json_files.start_build();
    }
    const fs::DiskSource disk(options.site_dir, options.kept ? &options.kept->files : nullptr);
    // One set of threads for the whole build: pages are handed out a chunk at a time.
    std::optional<parallel::Pool> own_pool;
    if (!options.kept) own_pool.emplace(options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency()));
    parallel::Pool& pool = options.kept ? options.kept->pool : *own_pool;
    load::CompiledSchemas build_schemas;  // shared with the archived versions' loads
    const load::Limits load_limits{.pool = &pool, .schemas = options.kept ? &options.kept->schemas : &build_schemas};
    load::Limits working_tree_limits = load_limits;  // archived versions' files are not kept
    if (options.kept) {
        working_tree_limits.json_files = &options.kept->json_files;
        working_tree_limits.filled_pages = &options.kept->filled_pages;
        // Its JSON is kept parsed, so there is no time to read in, only texts to copy
        // out of the kept ones: measured, a rebuild was slower by some milliseconds.
        working_tree_limits.read_ahead = false;
    }
    std::optional<model::Site> site =
        load::load_site(disk, options.site_dir, working_tree_limits, diagnostics, markdown_cache);
    clock.mark("load");
    // Threads kept for the next rebuild use again what they free.
    if (!options.kept) give_back_freed_memory(pool);
    // 2. theme: the default theme with the site's overrides.
    std::optional<render::Theme> theme = render::Theme::load(options.site_dir, display_root(options.site_dir), diagnostics,
                                                                 options.kept ? &options.kept->templates : nullptr);
    clock.mark("theme");
    if (!site || !theme) return finish(with_outcome(Outcome::content_errors), options, diagnostics);

    // 3. rules: regulations 3 to 8.
    PipelineResult result;
    result.compliance = rules::check_rules(*site, {options.today, display_root(options.site_dir)}, diagnostics);
    for (const model::ChildPage& page : site->current_plan().child.pages)
        result.child_reading.push_back({page.page.source, page.reading});
    result.child_reading_max_grade = site->child_reading_max_grade;
    clock.mark("rules");

    // 4. history: the published revisions, read from git in one walk.
    history::History history = options.with_history
                                   ? history::read_history(options.site_dir, display_root(options.site_dir), diagnostics)
                                   : history::History();
    clock.mark("history");

    // 5. render: the site, every archived version, the history pages. A build writes
    // each file into the staging folder as it is rendered (nothing is held), which
    // becomes the output only when everything succeeded (step 7).
    fs::OutputTree output;
    if (options.mode == Mode::build)
        if (auto refused = output.start_staging(options.output_dir)) {
            diagnostics.error("CY601", options.output_dir.lexically_normal().string(), 0, 0, *refused);
            result.outcome = Outcome::environment_error;
            return finish(std::move(result), options, diagnostics);
        }
    const publish::ChromiumSearch chromium =
        options.print_pdf && options.mode == Mode::build ? publish::find_chromium() : publish::ChromiumSearch{};
    render::RenderOptions render_options{options.build_date, options.generator, nullptr, std::nullopt,
                                         model::withheld_details(*site),
                                         chromium.found ? publish::print_pdf_path(site->current_plan().id) : "",
                                         pool.jobs(), &pool};
    if (history.availability() == history::Availability::available) render_options.history = &history;
    if (options.kept) {
        options.kept->pages.start_build(theme->fingerprint());
        render_options.page_cache = &options.kept->pages;
    }
    WithheldScan withheld(render_options.withheld);
    publish::DigestRecorder digests;  // for the manifest, recorded while each file is in memory
    output.observe([&](const std::string& path, const fs::OutputTree::Piece& piece) {
        withheld.look_at(path, piece);
        if (options.mode == Mode::build) digests.look_at(path, piece);
    });
    render::render_site(*site, *theme, &*result.compliance, render_options, output, diagnostics);
    add_linked_files(*site, fs::DiskSource(options.site_dir), output, diagnostics);
    clock.mark("render");
    if (render_options.history) {
        check_child_pages_are_current(*site, history, display_root(options.site_dir), diagnostics);
        render_versions(*site, *theme, history, render_options, load_limits, markdown_cache ? *markdown_cache : build_cache,
                        options.progress, output, diagnostics);
        clock.mark("render archived versions");
    }
    withheld.report(diagnostics);
    result = finish(std::move(result), options, diagnostics);
    if (result.outcome != Outcome::success || options.mode == Mode::check) return result;
    if (options.mode == Mode::preview) {
        result.preview = std::move(output);
        return result;
    }

    // 6. publish: the print edition's PDF (dated like the manifest), then the manifest
    // and checksums mirrors use to prove their copy exact.
    const publish::ManifestInfo info = manifest_info(*site, history, options);
    if (options.print_pdf && !chromium.found)
        result.notes.push_back("no PDF of the print edition: chromium was not found (" + chromium.looked_for + ")");
    if (chromium.found) {
        const std::string date =
            info.build_time.empty() ? model::format_iso(site->current_plan().published) : info.build_time;
        const publish::PrintPdfOptions pdf{.chromium = *chromium.found, .pdf_path = render_options.print_pdf, .date = date};
        if (auto failure = publish::add_print_pdf(output, pdf)) {
            diagnostics.error("CY601", render_options.print_pdf, 0, 0, *failure,
                              "build again, or build with --no-pdf to publish without the PDF");
            result.outcome = Outcome::environment_error;
            return result;
        }
    }
    clock.mark("pdf");
    publish::add_manifest(output, info, &digests.digests());
    clock.mark("manifest");

    // 7. write: all or nothing.
    if (auto failure = fs::commit_output(output, options.output_dir)) {
        diagnostics.error("CY601", options.output_dir.lexically_normal().string(), 0, 0, *failure);
        result.outcome = Outcome::environment_error;
        return result;
    }
    clock.mark("write");
    result.files_written = output.size();
    return result;
}

}  // namespace cypp::build
