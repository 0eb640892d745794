// Internal to render: the views (plain JSON) that templates see, one builder per page
// kind. docs/THEMES.md documents every key, because site themes depend on them.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "model/site.h"
#include "render/render_site.h"
#include "render/template_data.h"
#include "rules/rules.h"

namespace cypp::render {

enum class Edition { home, plan, child, consultation, review, compliance, history };

struct PageContext {
    const model::Site& site;
    const model::Plan& plan;
    std::string prefix;  // "" for the current plan, "plans/<id>/" for earlier ones
    const RenderOptions& options;
};

// Keys every page has: lang, title, root, site, nav, breadcrumbs, footer, edition flags.
// sources: the site files the page is made from, for its "Last updated" line.
nlohmann::json common_view(const PageContext& context, const std::string& path, const std::string& title,
                           Edition edition, nlohmann::json breadcrumbs, const std::vector<std::string>& sources);

nlohmann::json home_view(const PageContext& context);
nlohmann::json plan_index_view(const PageContext& context);
// The same made as template data, its list of chapters without JSON between.
TemplateData plan_index_data(const PageContext& context);
// Chapter pages are most of a site, and most of their view is the same on each: that
// part (the keys of common_view that depend only on the folder depth and the edition)
// is made once, and chapter_view() holds only the chapter's own keys. The two share no
// key; rendered as one layer under the other they are the view docs/THEMES.md lists.
nlohmann::json chapter_layer_view(const PageContext& context);
nlohmann::json chapter_view(const PageContext& context, std::size_t index);
// The same view made straight as a tree (for a build without a page cache), of which
// template_data() makes what it makes of chapter_view(context, index).
ViewNode chapter_tree(const PageContext& context, std::size_t index);
nlohmann::json child_index_view(const PageContext& context);
nlohmann::json child_page_view(const PageContext& context, std::size_t index);
nlohmann::json consultation_view(const PageContext& context);
nlohmann::json review_view(const PageContext& context, std::size_t index);
nlohmann::json accessibility_view(const PageContext& context);
nlohmann::json compliance_view(const PageContext& context, const rules::ComplianceReport& compliance);
// The current plan only: the print edition for deposited copies (R6.c), the record of
// where the plan is published (R6), and the page-not-found page.
// The print edition is the whole plan on one page: its view holds a placeholder for each
// chapter's and child page's body, and put_print_edition() passes the rendered page
// on in pieces with the bodies written in, so they are never copied into the view and
// the template engine, and the whole page is never held at once.
nlohmann::json print_view(const PageContext& context);
// The same made as template data, its list of chapters without JSON between.
TemplateData print_data(const PageContext& context);
void put_print_edition(const PageContext& context, const std::string& rendered,
                       const std::function<void(std::string_view)>& put);
nlohmann::json publication_record_view(const PageContext& context);
nlohmann::json not_found_view(const PageContext& context);
// The authority's publication website with a trailing slash ("" when the site has none):
// the base of the sitemap's absolute URLs and of the 404 page's links.
std::string official_base_url(const model::Site& site);
// deadlines.ics: the next plan and the reviews due, for a Board secretary's calendar.
std::string deadline_calendar(const model::Site& site, const rules::ComplianceReport& compliance);

// Paths of the edition index pages below a plan prefix.
std::string plan_index_path(const std::string& prefix);
std::string child_index_path(const std::string& prefix);
std::string consultation_path(const std::string& prefix);
std::string compliance_path();
std::string accessibility_path();  // accessibility/index.html
std::string print_path();                // print/index.html
std::string publication_record_path();   // publication/index.html
std::string not_found_path();            // 404.html
std::string history_path();                                 // history/index.html
std::string changes_path(const std::string& revision_id);   // history/<id>/index.html
std::string version_prefix(const std::string& revision_id); // versions/<id>/

}  // namespace cypp::render
