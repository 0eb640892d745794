// render: turns the model into the output files — pages through the theme's templates,
// plus the theme's assets and the files pages link to. Reads only the model.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "fs/output_tree.h"
#include "history/history.h"
#include "model/site.h"
#include "parallel/for_each.h"
#include "render/page_cache.h"
#include "render/theme.h"
#include "rules/rules.h"

namespace cypp::render {

struct ArchivedVersion {
    std::string id;
    model::Date date;
    std::string note;
};

struct RenderOptions {
    std::optional<model::Date> build_date;  // from SOURCE_DATE_EPOCH; never from the clock
    std::string generator;                  // "cypp 0.1.0"
    const history::History* history = nullptr;  // for "Last updated" lines; null without history
    std::optional<ArchivedVersion> archived;     // set when rendering an archived version
    std::vector<std::string> withheld;           // details no output may contain (model::withheld_details)
    std::string print_pdf;                       // the print edition's PDF (print/<plan>.pdf), "" when none is made
    unsigned jobs = 1;                           // threads rendering chapters at once
    parallel::Pool* pool = nullptr;              // a build's threads (then jobs is its size)
    PageCache* page_cache = nullptr;             // cypp serve: pages kept between rebuilds
};

// compliance may be null (archived versions have no compliance page).
void render_site(const model::Site& site, const Theme& theme, const rules::ComplianceReport* compliance,
                 const RenderOptions& options, fs::OutputTree& output, diag::Diagnostics& diagnostics);

// What the history pages need of an archived version, kept for every revision while the
// versions are rendered one after another: no page's text, so it stays small however
// long the history.
struct VersionOutline {
    struct Page {
        std::string title;
        std::string output_path;  // inside the version
    };
    std::map<std::string, Page> pages;  // the Markdown pages, by source path
    std::vector<model::Partner> partners;
    std::map<std::string, std::string> plan_titles;  // by plan id
};
VersionOutline outline_of(const model::Site& version);

// history/index.html, history/<revision>/index.html (the differences) and feed.xml.
// versions[i] outlines the site as loaded at history.revisions()[i] (nullopt when it
// could not be).
void render_history(const model::Site& site, const Theme& theme, const history::History& history,
                    const std::vector<std::optional<VersionOutline>>& versions, const RenderOptions& options,
                    fs::OutputTree& output, diag::Diagnostics& diagnostics);

}  // namespace cypp::render
