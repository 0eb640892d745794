#include "render/render_site.h"

#include <algorithm>
#include <cstdint>
#include <functional>

#include "html/escape.h"

#include "model/paths.h"
#include "parallel/for_each.h"
#include "render/page_skeleton.h"
#include "render/views.h"

namespace cypp::render {

namespace {

// A plan's pages other than its chapters, each made on its own (view built, template
// rendered) on the build's threads, then added with what it reported in the order the
// pages were listed, so nothing depends on the threads. cypp serve's cache keeps these
// pages too: the plan index and the print edition list every chapter, and making them
// is most of what a rebuild after one edit does.
struct MadePage {
    std::string path;
    std::function<std::string(diag::Diagnostics&)> make;
    std::string html;
    diag::Diagnostics reported;
};

void report(const MadePage& page, diag::Diagnostics& diagnostics) {
    for (const diag::Diagnostic& diagnostic : page.reported.all()) diagnostics.report(diagnostic);
}

// On the build's threads, at most threads of them (0: all).
void run(const PageContext& context, std::size_t count, unsigned threads, const std::function<void(std::size_t)>& work) {
    if (context.options.pool) context.options.pool->for_each(count, work, threads);
    else parallel::for_each(count, threads ? threads : context.options.jobs, work);
}

// Chapters are most of a plan's pages and independent of each other: rendered on
// several threads, each observed and written (by a staged tree) on the thread that
// rendered it as soon as it is rendered, and added to the tree, with what it reported,
// in chapter order: the output and the diagnostics do not depend on the number of threads.
// along (the plan index, as large as all chapters' titles) is made in the same round,
// first, so that one thread makes it while the others render chapters.
void render_chapters(const PageContext& context, const Theme& theme, MadePage& along, fs::OutputTree& output,
                     diag::Diagnostics& diagnostics) {
    const std::size_t count = context.plan.chapters.size();
    const unsigned jobs = context.options.pool ? context.options.pool->jobs() : context.options.jobs;
    const unsigned threads = static_cast<unsigned>(std::min<std::size_t>(std::max(jobs, 1u), count / 16 + 1));
    const nlohmann::json shared_view = chapter_layer_view(context);
    const Theme::Layer shared(shared_view);
    PageSkeletons skeletons(theme, "chapter", shared, shared_view);
    std::vector<std::string> paths(count);
    for (std::size_t i = 0; i < count; ++i) paths[i] = model::chapter_path(context.prefix, context.plan.chapters[i].page.slug);
    fs::OutputTree::Batch pages(output, std::move(paths));
    std::vector<diag::Diagnostics> reported(count);
    run(context, count + 1, threads, [&](std::size_t job) {
        if (job == 0) {
            along.html = along.make(along.reported);
            return;
        }
        const std::size_t i = job - 1;
        // cypp serve's cache knows a page by its view in JSON; a build without one needs none.
        if (context.options.page_cache)
            pages.put(i, theme.render_page("chapter", chapter_view(context, i), shared, reported[i], context.options.page_cache));
        else
            pages.put(i, skeletons.render(chapter_tree(context, i), reported[i]));
    });
    report(along, diagnostics);
    output.add(along.path, std::move(along.html));
    pages.finish();
    for (const diag::Diagnostics& chapter : reported)
        for (const diag::Diagnostic& diagnostic : chapter.all()) diagnostics.report(diagnostic);
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
        xml += "  <url><loc>";
        html::append_escaped(xml, base);
        html::append_escaped(xml, path);
        xml += "</loc></url>\n";
    }
    return xml + "</urlset>\n";
}

}  // namespace

void render_site(const model::Site& site, const Theme& theme, const rules::ComplianceReport* compliance,
                 const RenderOptions& options, fs::OutputTree& output, diag::Diagnostics& diagnostics) {
    for (std::size_t p = 0; p < site.plans.size(); ++p) {
        const bool is_current = p + 1 == site.plans.size();
        const PageContext context{site, site.plans[p], model::plan_prefix(site.plans[p].id, is_current), options};
        const std::string& prefix = context.prefix;
        const model::Plan& plan = context.plan;
        std::vector<MadePage> pages;
        auto page = [&](std::string path, std::string template_name, std::function<nlohmann::json()> view) {
            pages.push_back({std::move(path), [&theme, &options, template_name, view](diag::Diagnostics& reported) {
                                 return theme.render_page(template_name, view(), reported, options.page_cache);
                             }, {}, {}});
        };
        // The plan index and the print page list every chapter: their views are made
        // straight as template data when no page cache wants their JSON.
        auto listing_page = [&](std::string path, std::string template_name, std::function<nlohmann::json()> view,
                                std::function<TemplateData()> data) {
            if (options.page_cache) return page(std::move(path), std::move(template_name), std::move(view));
            pages.push_back({std::move(path), [&theme, template_name, data](diag::Diagnostics& reported) {
                                 return theme.render_page(template_name, data(), reported);
                             }, {}, {}});
        };
        listing_page(plan_index_path(prefix), "plan", [&] { return plan_index_view(context); },
                     [&] { return plan_index_data(context); });
        page(child_index_path(prefix), "child", [&] { return child_index_view(context); });
        for (std::size_t i = 0; i < plan.child.pages.size(); ++i)
            page(model::child_page_path(prefix, plan.child.pages[i].page.slug), "child-page",
                 [&, i] { return child_page_view(context, i); });
        page(consultation_path(prefix), "consultation", [&] { return consultation_view(context); });
        for (std::size_t i = 0; i < plan.reviews.size(); ++i)
            page(model::review_path(prefix, plan.reviews[i].year), "review", [&, i] { return review_view(context, i); });
        std::size_t print_at = SIZE_MAX;
        if (is_current) {
            page("index.html", "home", [&] { return home_view(context); });
            page(accessibility_path(), "accessibility", [&] { return accessibility_view(context); });
            // Archived versions are rendered without these: a version is read online, and
            // the deposited copies and the publication record are the current plan's.
            if (!options.archived) {
                // The print page with a placeholder for each body, written in as it is added.
                print_at = pages.size();
                listing_page(print_path(), "print", [&] { return print_view(context); }, [&] { return print_data(context); });
                page(publication_record_path(), "publication", [&] { return publication_record_view(context); });
                // Served at any depth by the web server, so it stands alone: its own small
                // style, nothing loaded from elsewhere, links to the official copy.
                pages.push_back({not_found_path(),
                                 [&](diag::Diagnostics& reported) { return theme.render("404", not_found_view(context), reported); },
                                 {}, {}});
            }
            if (compliance) page(compliance_path(), "compliance", [&] { return compliance_view(context, *compliance); });
        }
        // The plan index along with the chapters; the rest in one round, the print page
        // (the largest) first. The two large pages are never made at once: a build's peak.
        render_chapters(context, theme, pages[0], output, diagnostics);
        std::vector<std::size_t> order;
        if (print_at != SIZE_MAX) order.push_back(print_at);
        for (std::size_t i = 1; i < pages.size(); ++i)
            if (i != print_at) order.push_back(i);
        run(context, order.size(), 0,
            [&](std::size_t k) { pages[order[k]].html = pages[order[k]].make(pages[order[k]].reported); });
        for (std::size_t i = 1; i < pages.size(); ++i) {
            report(pages[i], diagnostics);
            if (i != print_at) {
                output.add(pages[i].path, std::move(pages[i].html));
                continue;
            }
            // Each body is rewritten for the one page (ids prefixed): a little longer.
            const std::string& print_page = pages[i].html;
            std::size_t bodies = 0;
            for (const model::Chapter& chapter : plan.chapters) bodies += chapter.page.body_html.size();
            for (const model::ChildPage& child_page : plan.child.pages) bodies += child_page.page.body_html.size();
            output.add_in_pieces(
                print_path(), [&](const fs::OutputTree::PieceSink& put) { put_print_edition(context, print_page, put); },
                print_page.size() + 2 * bodies);
            std::string().swap(pages[i].html);
        }
        if (is_current && compliance) output.add("deadlines.ics", deadline_calendar(site, *compliance));
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
