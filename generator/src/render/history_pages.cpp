// The revision history pages, the differences between revisions and the Atom feed.
#include <nlohmann/json.hpp>

#include "html/escape.h"
#include "model/paths.h"
#include "render/render_site.h"
#include "render/text_diff.h"
#include "render/views.h"

namespace cypp::render {

using nlohmann::json;

namespace {

json date_json(const model::Date& date) { return {{"iso", model::format_iso(date)}, {"long", model::format_long(date)}}; }

std::string belongs_to(const history::Revision& revision, const VersionOutline* version) {
    if (!revision.review.empty()) return "Annual review " + revision.review;
    if (version)
        if (auto title = version->plan_titles.find(revision.plan_id); title != version->plan_titles.end())
            return title->second;
    return revision.plan_id.empty() ? std::string("The site") : "Plan " + revision.plan_id;
}

std::string summary_of(int changed, int added, int removed) {
    auto part = [](int n, const char* what) { return std::to_string(n) + " " + what; };
    std::vector<std::string> parts;
    if (changed) parts.push_back(part(changed, changed == 1 ? "page changed" : "pages changed"));
    if (added) parts.push_back(part(added, "added"));
    if (removed) parts.push_back(part(removed, "removed"));
    if (parts.empty()) return "No page text changed (details such as dates or records only)";
    std::string text = parts[0];
    for (std::size_t i = 1; i < parts.size(); ++i) text += (i + 1 == parts.size() ? " and " : ", ") + parts[i];
    return text;
}

}  // namespace

VersionOutline outline_of(const model::Site& version) {
    VersionOutline outline;
    for (std::size_t p = 0; p < version.plans.size(); ++p) {
        const model::Plan& plan = version.plans[p];
        const std::string prefix = model::plan_prefix(plan.id, p + 1 == version.plans.size());
        for (const model::Chapter& chapter : plan.chapters)
            outline.pages[chapter.page.source] = {chapter.page.title, model::chapter_path(prefix, chapter.page.slug)};
        for (const model::ChildPage& page : plan.child.pages)
            outline.pages[page.page.source] = {page.page.title, model::child_page_path(prefix, page.page.slug)};
        for (const model::Review& review : plan.reviews)
            outline.pages[review.page.source] = {review.title, model::review_path(prefix, review.year)};
        outline.plan_titles.emplace(plan.id, plan.title);
    }
    outline.partners = version.partners;
    return outline;
}

void render_history(const model::Site& site, const Theme& theme, const history::History& history,
                    const std::vector<std::optional<VersionOutline>>& versions, const RenderOptions& options,
                    fs::OutputTree& output, diag::Diagnostics& diagnostics) {
    const auto& revisions = history.revisions();
    const model::Plan& plan = site.current_plan();
    PageContext context{site, plan, "", options};
    auto write = [&](const std::string& template_name, json view, const std::string& path) {
        output.add(path, theme.render_page(template_name, std::move(view), diagnostics));
    };

    json list = json::array();
    std::vector<json> summaries(revisions.size());
    const std::map<std::string, VersionOutline::Page> no_pages;  // before the first version that loaded
    for (std::size_t i = 0; i < revisions.size(); ++i) {
        const history::Revision& revision = revisions[i];
        const VersionOutline* version = versions[i] ? &*versions[i] : nullptr;
        const VersionOutline* previous = i > 0 && versions[i - 1] ? &*versions[i - 1] : nullptr;
        const std::string path = changes_path(revision.id);
        const std::string note = model::scrub(revision.note, options.withheld);

        // Differences, page by page, against the previous revision.
        json pages = json::array();
        int changed = 0, added = 0, removed = 0;
        if (i > 0 && version) {
            const auto& now = version->pages;
            const auto& before = previous ? previous->pages : no_pages;
            std::set<std::string> sources;
            for (const auto& [source, page] : now) sources.insert(source);
            for (const auto& [source, page] : before) sources.insert(source);
            for (const std::string& source : sources) {
                if (!revision.changed.count(source)) continue;
                const bool in_now = now.count(source), in_before = before.count(source);
                const std::string old_text = in_before ? history.read_at(revisions[i - 1], source).value_or("") : "";
                const std::string new_text = in_now ? history.read_at(revision, source).value_or("") : "";
                TextDiff diff = diff_markdown(model::scrub(old_text, options.withheld), model::scrub(new_text, options.withheld));
                if (!diff.stats.any()) continue;
                const std::string kind = in_now && in_before ? "changed" : in_now ? "added" : "removed";
                (kind == "changed" ? changed : kind == "added" ? added : removed) += 1;
                const auto& [title, page_path] = in_now ? now.at(source) : before.at(source);
                const std::string target = version_prefix(in_now ? revision.id : revisions[i - 1].id) + page_path;
                pages.push_back({{"title", title},
                                 {"kind", kind},
                                 {"description", describe(diff.stats)},
                                 {"href", model::relative_url(path, target)},
                                 {"has_href", true},
                                 {"diff", diff.html}});
            }
        }
        for (std::size_t p = 0; p < pages.size(); ++p) pages[p]["anchor"] = std::to_string(p + 1);

        json membership = json::array();
        if (version && previous) {
            for (const model::Partner& partner : version->partners) {
                const model::Partner* before = nullptr;
                for (const model::Partner& candidate : previous->partners)
                    if (candidate.id == partner.id) before = &candidate;
                if (!before) membership.push_back({{"partner", partner.name}, {"change", "joined"}, {"date", date_json(partner.joined)}});
                if (partner.left && (!before || !before->left))
                    membership.push_back({{"partner", partner.name}, {"change", "left"}, {"date", date_json(*partner.left)}});
            }
        }
        const std::string summary = revision.first_publication && i == 0 ? std::string("First publication")
                                                                         : summary_of(changed, added, removed);
        summaries[i] = summary;
        if (i > 0) {
            json view = common_view(context, path, "What changed on " + model::format_long(revision.date), Edition::history,
                                    json::array({{{"label", "Home"}, {"href", model::relative_url(path, "index.html")}},
                                                 {{"label", "All updates"}, {"href", model::relative_url(path, history_path())}},
                                                 {{"label", model::format_long(revision.date)}}}),
                                    {});
            view["date"] = date_json(revision.date);
            view["previous_date"] = date_json(revisions[i - 1].date);
            view["note"] = note;
            view["summary"] = summary;
            view["version_href"] = model::relative_url(path, version_prefix(revision.id) + "index.html");
            view["previous_version_href"] = model::relative_url(path, version_prefix(revisions[i - 1].id) + "index.html");
            view["membership"] = membership;
            view["has_membership"] = !membership.empty();
            view["pages"] = pages;
            write("changes", view, path);
        }
        list.push_back({{"date", date_json(revision.date)},
                        {"note", note},
                        {"belongs_to", belongs_to(revision, version)},
                        {"summary", summary},
                        {"version_href", model::relative_url(history_path(), version_prefix(revision.id) + "index.html")},
                        {"changes_href", model::relative_url(history_path(), path)},
                        {"has_changes", i > 0}});
    }
    std::reverse(list.begin(), list.end());  // newest first
    json view = common_view(context, history_path(), "All updates", Edition::history,
                            json::array({{{"label", "Home"}, {"href", model::relative_url(history_path(), "index.html")}},
                                         {{"label", "All updates"}}}),
                            {});
    view["revisions"] = list;
    view["feed_href"] = model::relative_url(history_path(), "feed.xml");
    write("history", view, history_path());

    // Atom feed: partners' webmasters learn of each republication. Links resolve against
    // the authority's copy, the official one.
    std::string base;
    for (const model::PublicationWebsite& website : site.websites)
        if (website.role == model::WebsiteRole::authority && base.empty()) base = website.url;
    if (!base.empty() && !base.ends_with('/')) base += '/';
    const std::string updated = revisions.empty() ? model::format_iso(plan.published) : model::format_iso(revisions.back().date);
    std::string feed = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"" +
                       (base.empty() ? std::string() : " xml:base=\"" + html::escape(base) + "\"") + ">\n";
    feed += "  <title>" + html::escape(site.board_name + ": updates to the Children and Young People's Plan") + "</title>\n";
    feed += "  <id>" + html::escape(base.empty() ? "urn:cypp:" + site.board_name : base) + "</id>\n";
    feed += "  <updated>" + updated + "T00:00:00Z</updated>\n";
    feed += "  <link rel=\"alternate\" href=\"" + history_path() + "\"/>\n";
    feed += "  <link rel=\"self\" href=\"feed.xml\"/>\n";
    feed += "  <author><name>" + html::escape(site.board_name) + "</name></author>\n";
    for (std::size_t n = revisions.size(); n-- > 0;) {
        const history::Revision& revision = revisions[n];
        feed += "  <entry>\n";
        feed += "    <title>" + html::escape(model::format_long(revision.date) + ": " + belongs_to(revision, versions[n] ? &*versions[n] : nullptr)) + "</title>\n";
        feed += "    <id>" + html::escape((base.empty() ? "urn:cypp:" : base) + version_prefix(revision.id)) + "</id>\n";
        feed += "    <updated>" + model::format_iso(revision.date) + "T00:00:00Z</updated>\n";
        feed += "    <link rel=\"alternate\" href=\"" + version_prefix(revision.id) + "index.html\"/>\n";
        if (n > 0) feed += "    <link rel=\"related\" href=\"" + changes_path(revision.id) + "\"/>\n";
        feed += "    <summary>" + html::escape(model::scrub(revision.note, options.withheld) + " " + summaries[n].get<std::string>() + ".") + "</summary>\n";
        feed += "  </entry>\n";
    }
    feed += "</feed>\n";
    output.add("feed.xml", feed);
}

}  // namespace cypp::render
