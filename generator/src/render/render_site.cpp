#include "render/render_site.h"

#include "model/paths.h"
#include "render/views.h"

namespace cypp::render {

namespace {

void write_page(const Theme& theme, const std::string& template_name, nlohmann::json view, const std::string& path,
                fs::OutputTree& output, diag::Diagnostics& diagnostics) {
    view["content"] = theme.render(template_name, view, diagnostics);
    output.add(path, theme.render("layout", view, diagnostics));
}

void render_plan(const PageContext& context, const Theme& theme, fs::OutputTree& output, diag::Diagnostics& diagnostics) {
    const std::string& prefix = context.prefix;
    write_page(theme, "plan", plan_index_view(context), plan_index_path(prefix), output, diagnostics);
    for (std::size_t i = 0; i < context.plan.chapters.size(); ++i)
        write_page(theme, "chapter", chapter_view(context, i),
                   model::chapter_path(prefix, context.plan.chapters[i].page.slug), output, diagnostics);
    write_page(theme, "child", child_index_view(context), child_index_path(prefix), output, diagnostics);
    for (std::size_t i = 0; i < context.plan.child.pages.size(); ++i)
        write_page(theme, "child-page", child_page_view(context, i),
                   model::child_page_path(prefix, context.plan.child.pages[i].page.slug), output, diagnostics);
    write_page(theme, "consultation", consultation_view(context), consultation_path(prefix), output, diagnostics);
    for (std::size_t i = 0; i < context.plan.reviews.size(); ++i)
        write_page(theme, "review", review_view(context, i), model::review_path(prefix, context.plan.reviews[i].year), output,
                   diagnostics);
}

}  // namespace

void render_site(const model::Site& site, const Theme& theme, const rules::ComplianceReport* compliance,
                 const RenderOptions& options, fs::OutputTree& output, diag::Diagnostics& diagnostics) {
    for (std::size_t p = 0; p < site.plans.size(); ++p) {
        const bool is_current = p + 1 == site.plans.size();
        PageContext context{site, site.plans[p], model::plan_prefix(site.plans[p].id, is_current), options};
        render_plan(context, theme, output, diagnostics);
        if (!is_current) continue;
        write_page(theme, "home", home_view(context), "index.html", output, diagnostics);
        write_page(theme, "accessibility", accessibility_view(context), accessibility_path(), output, diagnostics);
        if (!compliance) continue;
        write_page(theme, "compliance", compliance_view(context, *compliance), compliance_path(), output, diagnostics);
        output.add("deadlines.ics", deadline_calendar(site, *compliance));
    }
    for (const auto& [name, content] : theme.assets()) output.add("assets/" + name, content);
}

}  // namespace cypp::render
