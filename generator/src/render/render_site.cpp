#include "render/render_site.h"

#include <algorithm>

#include "html/escape.h"

#include "model/paths.h"
#include "parallel/for_each.h"
#include "render/views.h"

namespace cypp::render {

namespace {

// Chapters are most of a plan's pages and independent of each other: rendered on
// several threads, each observed and written (by a staged tree) on the thread that
// rendered it as soon as it is rendered, and added to the tree, with what it reported,
// in chapter order: the output and the diagnostics do not depend on the number of threads.
void render_chapters(const PageContext& context, const Theme& theme, fs::OutputTree& output,
                     diag::Diagnostics& diagnostics) {
    const std::size_t count = context.plan.chapters.size();
    const unsigned jobs = context.options.pool ? context.options.pool->jobs() : context.options.jobs;
    const unsigned threads = static_cast<unsigned>(std::min<std::size_t>(std::max(jobs, 1u), count / 16 + 1));
    const Theme::Layer shared(chapter_layer_view(context));
    std::vector<std::string> paths(count);
    for (std::size_t i = 0; i < count; ++i) paths[i] = model::chapter_path(context.prefix, context.plan.chapters[i].page.slug);
    fs::OutputTree::Batch pages(output, std::move(paths));
    std::vector<diag::Diagnostics> reported(count);
    auto render = [&](std::size_t i) {
        pages.put(i, theme.render_page("chapter", chapter_view(context, i), shared, reported[i], context.options.page_cache));
    };
    if (context.options.pool) context.options.pool->for_each(count, render, threads);
    else parallel::for_each(count, threads, render);
    pages.finish();
    for (const diag::Diagnostics& chapter : reported)
        for (const diag::Diagnostic& diagnostic : chapter.all()) diagnostics.report(diagnostic);
}

// cypp serve's cache keeps every page, not only chapters: the plan index and the print
// edition list every chapter, and rendering them is most of what a rebuild does alone.
void write_page(const PageContext& context, const Theme& theme, const std::string& template_name, nlohmann::json view,
                const std::string& path, fs::OutputTree& output, diag::Diagnostics& diagnostics) {
    output.add(path, theme.render_page(template_name, std::move(view), diagnostics, context.options.page_cache));
}

void render_plan(const PageContext& context, const Theme& theme, fs::OutputTree& output, diag::Diagnostics& diagnostics) {
    const std::string& prefix = context.prefix;
    write_page(context, theme, "plan", plan_index_view(context), plan_index_path(prefix), output, diagnostics);
    render_chapters(context, theme, output, diagnostics);
    write_page(context, theme, "child", child_index_view(context), child_index_path(prefix), output, diagnostics);
    for (std::size_t i = 0; i < context.plan.child.pages.size(); ++i)
        write_page(context, theme, "child-page", child_page_view(context, i),
                   model::child_page_path(prefix, context.plan.child.pages[i].page.slug), output, diagnostics);
    write_page(context, theme, "consultation", consultation_view(context), consultation_path(prefix), output, diagnostics);
    for (std::size_t i = 0; i < context.plan.reviews.size(); ++i)
        write_page(context, theme, "review", review_view(context, i), model::review_path(prefix, context.plan.reviews[i].year), output,
                   diagnostics);
}

// sitemap.xml: every page of the current site, read from what was rendered so it can
// never list a page that does not exist. The history and archived versions are left
// out (they are records, not pages to index), and so is the not-found page.
std::string sitemap(const fs::OutputTree& output, const std::string& base) {
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n";
    for (const std::string& path : output.paths()) {
        if (!path.ends_with(".html") || path.starts_with("versions/") || path.starts_with("history/") ||
            path == not_found_path())
            continue;
        xml += "  <url><loc>" + html::escape(base + path) + "</loc></url>\n";
    }
    return xml + "</urlset>\n";
}

}  // namespace

void render_site(const model::Site& site, const Theme& theme, const rules::ComplianceReport* compliance,
                 const RenderOptions& options, fs::OutputTree& output, diag::Diagnostics& diagnostics) {
    for (std::size_t p = 0; p < site.plans.size(); ++p) {
        const bool is_current = p + 1 == site.plans.size();
        PageContext context{site, site.plans[p], model::plan_prefix(site.plans[p].id, is_current), options};
        render_plan(context, theme, output, diagnostics);
        if (!is_current) continue;
        write_page(context, theme, "home", home_view(context), "index.html", output, diagnostics);
        write_page(context, theme, "accessibility", accessibility_view(context), accessibility_path(), output, diagnostics);
        // Archived versions are rendered without these: a version is read online, and
        // the deposited copies and the publication record are the current plan's.
        if (!options.archived) {
            const std::string print_page = theme.render_page("print", print_view(context), diagnostics, options.page_cache);
            // Each body is rewritten for the one page (ids prefixed): a little longer.
            std::size_t bodies = 0;
            for (const model::Chapter& chapter : context.plan.chapters) bodies += chapter.page.body_html.size();
            for (const model::ChildPage& page : context.plan.child.pages) bodies += page.page.body_html.size();
            output.add_in_pieces(
                print_path(), [&](const fs::OutputTree::PieceSink& put) { put_print_edition(context, print_page, put); },
                print_page.size() + 2 * bodies);
            write_page(context, theme, "publication", publication_record_view(context), publication_record_path(), output,
                       diagnostics);
            // Served at any depth by the web server, so it stands alone: its own small
            // style, nothing loaded from elsewhere, links to the official copy.
            output.add(not_found_path(), theme.render("404", not_found_view(context), diagnostics));
        }
        if (!compliance) continue;
        write_page(context, theme, "compliance", compliance_view(context, *compliance), compliance_path(), output, diagnostics);
        output.add("deadlines.ics", deadline_calendar(site, *compliance));
    }
    for (const auto& [name, content] : theme.assets()) output.add("assets/" + name, content);
    if (options.archived) return;
    // Absolute URLs need the official address; without one there is no sitemap.
    const std::string base = official_base_url(site);
    if (base.empty()) {
        output.add("robots.txt", "User-agent: *\nAllow: /\n");
        return;
    }
    output.add("sitemap.xml", sitemap(output, base));
    output.add("robots.txt", "User-agent: *\nAllow: /\nSitemap: " + base + "sitemap.xml\n");
}

}  // namespace cypp::render
