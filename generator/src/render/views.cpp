#include "render/views.h"

#include <map>
#include <set>

#include "model/paths.h"

namespace cypp::render {

using nlohmann::json;

std::string plan_index_path(const std::string& prefix) { return prefix + "plan/index.html"; }
std::string child_index_path(const std::string& prefix) { return prefix + "child/index.html"; }
std::string consultation_path(const std::string& prefix) { return prefix + "consultation/index.html"; }

namespace {

std::string period_text(const model::Date& start, const model::Date& end) {
    return model::format_long(start) + " to " + model::format_long(end);
}

json date_view(const model::Date& date) { return {{"iso", model::format_iso(date)}, {"long", model::format_long(date)}}; }

json outcome_list(const model::Site& site, const std::vector<std::string>& ids) {
    json list = json::array();
    for (const std::string& id : ids)
        if (const auto* entry = site.catalogue.find(site.catalogue.outcomes, id))
            list.push_back({{"id", id}, {"name", entry->title}, {"child_name", entry->child_name}});
    return list;
}

json matter_list(const model::Site& site, const std::vector<std::string>& ids) {
    json list = json::array();
    for (const std::string& id : ids)
        if (const auto* entry = site.catalogue.find(site.catalogue.matters, id))
            list.push_back({{"id", id}, {"title", entry->title}});
    return list;
}

json crumb(const std::string& label, const std::string& from, const std::string& to) {
    return {{"label", label}, {"href", model::relative_url(from, to)}};
}

json pagination(const std::string& from, const std::string& previous_title, const std::string& previous_path,
                const std::string& next_title, const std::string& next_path) {
    json view = json::object();
    if (!previous_path.empty()) view["previous"] = {{"title", previous_title}, {"href", model::relative_url(from, previous_path)}};
    if (!next_path.empty()) view["next"] = {{"title", next_title}, {"href", model::relative_url(from, next_path)}};
    view["has_any"] = !previous_path.empty() || !next_path.empty();
    return view;
}

std::string answer_label(const std::string& answer) {
    if (answer == "yes") return "Yes";
    if (answer == "no") return "No";
    return "Not sure";
}

}  // namespace

json common_view(const PageContext& context, const std::string& path, const std::string& title, Edition edition,
                 json breadcrumbs) {
    const model::Site& site = context.site;
    const std::string root = model::relative_url(path, "index.html").substr(
        0, model::relative_url(path, "index.html").size() - std::string("index.html").size());
    json view;
    view["lang"] = "en-GB";
    view["title"] = title;
    view["root"] = root;
    view["site"] = {{"name", site.board_name}, {"short_name", site.board_short_name}, {"area", site.area}};
    view["is_home"] = edition == Edition::home;
    view["is_plan"] = edition == Edition::plan;
    view["is_child"] = edition == Edition::child;
    view["is_consultation"] = edition == Edition::consultation;
    view["edition_class"] = edition == Edition::child ? "edition-child" : "edition-standard";
    const bool is_current = context.prefix.empty();
    view["is_archived_plan"] = !is_current;
    view["current_plan_href"] = model::relative_url(path, "index.html");

    struct NavItem { const char* label; const char* child_label; std::string target; Edition edition; };
    const NavItem items[] = {
        {"Home", "Home", "index.html", Edition::home},
        {"Full plan", "The grown-up plan", plan_index_path(context.prefix), Edition::plan},
        {"For children and young people", "For you", child_index_path(context.prefix), Edition::child},
        {"Consultation", "What people told us", consultation_path(context.prefix), Edition::consultation}};
    json nav = json::array();
    for (const NavItem& item : items)
        nav.push_back({{"label", edition == Edition::child ? item.child_label : item.label},
                       {"href", model::relative_url(path, item.target)},
                       {"current", item.edition == edition}});
    view["nav"] = nav;
    for (std::size_t i = 0; i < breadcrumbs.size(); ++i) breadcrumbs[i]["last"] = i + 1 == breadcrumbs.size();
    view["breadcrumbs"] = breadcrumbs;
    view["has_breadcrumbs"] = !breadcrumbs.empty();
    view["plan"] = {{"title", context.plan.title},
                    {"period", period_text(context.plan.start, context.plan.end)},
                    {"published", date_view(context.plan.published)}};
    json footer = {{"contact_team", site.contact.team},       {"email", site.contact.email},
                   {"phone", site.contact.phone},             {"address", site.contact.address},
                   {"accessibility", site.accessibility_contact}, {"other_formats", site.other_formats},
                   {"generator", context.options.generator}};
    if (context.options.build_date) footer["build_date"] = date_view(*context.options.build_date);
    view["footer"] = footer;
    return view;
}

json home_view(const PageContext& context) {
    const model::Site& site = context.site;
    const std::string path = "index.html";
    json view = common_view(context, path, site.board_name, Edition::home, json::array());
    view["summary"] = context.plan.summary;
    view["editions"] = json::array({
        {{"title", "The full plan"}, {"href", plan_index_path("")},
         {"description", "What the Board's partners will do together, chapter by chapter."}},
        {{"title", "For children and young people"}, {"href", child_index_path("")},
         {"description", "The plan explained for children and young people, and the services you can use."}},
        {{"title", "Consultation record"}, {"href", consultation_path("")},
         {"description", "Who we consulted, what they told us and what we changed as a result."}}});
    view["authority"] = {{"name", site.authority.name}, {"website", site.authority.website}};
    view["pct"] = {{"name", site.pct.name}, {"website", site.pct.website}};
    json partners = json::array();
    for (const model::Partner& partner : site.partners)
        if (!partner.left) partners.push_back({{"name", partner.name}, {"joined", date_view(partner.joined)}});
    view["partners"] = partners;
    json websites = json::array();
    for (const model::PublicationWebsite& website : site.websites) {
        std::string owner = website.role == model::WebsiteRole::authority ? site.authority.name
                            : website.role == model::WebsiteRole::pct   ? site.pct.name
                                                                         : website.partner_id;
        for (const model::Partner& partner : site.partners)
            if (partner.id == website.partner_id) owner = partner.name;
        websites.push_back({{"owner", owner}, {"url", website.url}});
    }
    view["websites"] = websites;
    json deposits = json::array();
    for (const model::Deposit& deposit : site.deposits)
        deposits.push_back({{"place", deposit.place}, {"address", deposit.address}, {"copies", std::to_string(deposit.copies)}});
    view["deposits"] = deposits;
    view["has_deposits"] = !deposits.empty();
    json earlier = json::array();
    for (std::size_t i = 0; i + 1 < site.plans.size(); ++i)
        earlier.push_back({{"title", site.plans[i].title},
                           {"period", period_text(site.plans[i].start, site.plans[i].end)},
                           {"href", plan_index_path(model::plan_prefix(site.plans[i].id, false))}});
    view["earlier_plans"] = earlier;
    view["has_earlier_plans"] = !earlier.empty();
    return view;
}

json plan_index_view(const PageContext& context) {
    const std::string path = plan_index_path(context.prefix);
    json view = common_view(context, path, context.plan.title, Edition::plan,
                            json::array({crumb("Home", path, "index.html"), {{"label", "Full plan"}}}));
    view["summary"] = context.plan.summary;
    json chapters = json::array();
    int number = 1;
    for (const model::Chapter& chapter : context.plan.chapters)
        chapters.push_back({{"number", std::to_string(number++)},
                            {"title", chapter.page.title},
                            {"href", model::relative_url(path, model::chapter_path(context.prefix, chapter.page.slug))},
                            {"outcomes", outcome_list(context.site, chapter.outcomes)},
                            {"has_outcomes", !chapter.outcomes.empty()}});
    view["chapters"] = chapters;
    return view;
}

json chapter_view(const PageContext& context, std::size_t index) {
    const auto& chapters = context.plan.chapters;
    const model::Chapter& chapter = chapters[index];
    const std::string path = model::chapter_path(context.prefix, chapter.page.slug);
    json view = common_view(context, path, chapter.page.title, Edition::plan,
                            json::array({crumb("Home", path, "index.html"),
                                         crumb("Full plan", path, plan_index_path(context.prefix)),
                                         {{"label", chapter.page.title}}}));
    view["body"] = chapter.page.body_html;
    json toc = json::array();
    for (const auto& entry : chapter.page.toc) toc.push_back({{"text", entry.text}, {"id", entry.id}});
    view["toc"] = toc;
    view["has_toc"] = toc.size() > 1;
    view["outcomes"] = outcome_list(context.site, chapter.outcomes);
    view["has_outcomes"] = !chapter.outcomes.empty();
    view["matters"] = matter_list(context.site, chapter.matters);
    view["has_matters"] = !chapter.matters.empty();
    json reports = json::array();
    for (const auto& reference : chapter.takes_into_account)
        reports.push_back({{"report", reference.report}, {"url", reference.url}, {"has_url", !reference.url.empty()}});
    view["reports"] = reports;
    view["has_reports"] = !reports.empty();
    view["chapter_number"] = std::to_string(index + 1);
    json children = json::array();
    for (const model::ChildPage& page : context.plan.child.pages)
        if (page.explains_chapter == chapter.page.slug)
            children.push_back({{"title", page.page.title},
                                {"href", model::relative_url(path, model::child_page_path(context.prefix, page.page.slug))}});
    view["child_pages"] = children;
    view["has_child_pages"] = !children.empty();
    auto path_of = [&](std::size_t i) { return model::chapter_path(context.prefix, chapters[i].page.slug); };
    view["pagination"] = pagination(path, index > 0 ? chapters[index - 1].page.title : "", index > 0 ? path_of(index - 1) : "",
                                    index + 1 < chapters.size() ? chapters[index + 1].page.title : "",
                                    index + 1 < chapters.size() ? path_of(index + 1) : "");
    return view;
}

json child_index_view(const PageContext& context) {
    const model::ChildEdition& child = context.plan.child;
    const std::string path = child_index_path(context.prefix);
    json view = common_view(context, path, child.title, Edition::child,
                            json::array({crumb("Home", path, "index.html"), {{"label", "For you"}}}));
    view["introduction"] = child.introduction;
    json pages = json::array();
    for (const model::ChildPage& page : child.pages)
        pages.push_back({{"title", page.page.title},
                         {"href", model::relative_url(path, model::child_page_path(context.prefix, page.page.slug))}});
    view["pages"] = pages;

    // What children and young people told us: themes raised in their own responses.
    std::set<std::string> young_themes;
    for (const model::Response& response : context.plan.consultation.responses)
        if (response.category == "young-person")
            young_themes.insert(response.themes.begin(), response.themes.end());
    json changes = json::array();
    for (const model::YouSaidWeDid& entry : context.plan.consultation.you_said_we_did)
        if (young_themes.count(entry.theme)) changes.push_back({{"you_said", entry.you_said}, {"we_did", entry.we_did}});
    view["changes"] = changes;
    view["has_changes"] = !changes.empty();

    json services = json::array();
    for (const model::Service& service : child.services)
        services.push_back({{"name", service.name},
                            {"what", service.what},
                            {"who_for", service.who_for},
                            {"how_to_reach", service.how_to_reach},
                            {"website", service.website},
                            {"has_website", !service.website.empty()},
                            {"outcomes", outcome_list(context.site, service.outcomes)}});
    view["services"] = services;
    return view;
}

json child_page_view(const PageContext& context, std::size_t index) {
    const auto& pages = context.plan.child.pages;
    const model::ChildPage& page = pages[index];
    const std::string path = model::child_page_path(context.prefix, page.page.slug);
    json view = common_view(context, path, page.page.title, Edition::child,
                            json::array({crumb("Home", path, "index.html"),
                                         crumb("For you", path, child_index_path(context.prefix)),
                                         {{"label", page.page.title}}}));
    view["body"] = page.page.body_html;
    for (const model::Chapter& chapter : context.plan.chapters)
        if (chapter.page.slug == page.explains_chapter)
            view["explains"] = {{"title", chapter.page.title},
                                {"href", model::relative_url(path, model::chapter_path(context.prefix, chapter.page.slug)) +
                                             (page.explains_anchor.empty() ? "" : "#" + page.explains_anchor)}};
    auto path_of = [&](std::size_t i) { return model::child_page_path(context.prefix, pages[i].page.slug); };
    view["pagination"] = pagination(path, index > 0 ? pages[index - 1].page.title : "", index > 0 ? path_of(index - 1) : "",
                                    index + 1 < pages.size() ? pages[index + 1].page.title : "",
                                    index + 1 < pages.size() ? path_of(index + 1) : "");
    return view;
}

json consultation_view(const PageContext& context) {
    const model::Site& site = context.site;
    const model::Consultation& consultation = context.plan.consultation;
    const std::string path = consultation_path(context.prefix);
    json view = common_view(context, path, "Consultation record", Edition::consultation,
                            json::array({crumb("Home", path, "index.html"), {{"label", "Consultation"}}}));
    view["period"] = period_text(consultation.start, consultation.end);
    view["weeks"] = std::to_string(model::days_between(consultation.start, consultation.end) / 7);
    view["summary"] = consultation.summary;

    json consultees = json::array();
    for (const model::CatalogueEntry& category : site.catalogue.consultee_categories) {
        json row = {{"id", category.id}, {"title", category.title}, {"must", category.detail == "must"}};
        const model::ConsulteeRecord* record = nullptr;
        for (const auto& candidate : consultation.consultees)
            if (candidate.category == category.id) record = &candidate;
        row["recorded"] = record != nullptr;
        if (record) {
            row["consulted"] = record->status == model::ConsulteeStatus::consulted;
            row["reason"] = record->reason;
            json bodies = json::array();
            for (const auto& body : record->bodies)
                bodies.push_back({{"name", body.name}, {"date", date_view(body.date)}, {"method", body.method}});
            row["bodies"] = bodies;
        }
        consultees.push_back(row);
    }
    view["consultees"] = consultees;

    json questions = json::array();
    for (const model::Question& question : consultation.questions) {
        std::map<std::string, int> counts{{"yes", 0}, {"no", 0}, {"not-sure", 0}};
        int answered = 0;
        for (const model::Response& response : consultation.responses) {
            auto answer = response.answers.find(question.id);
            if (answer == response.answers.end()) continue;
            ++counts[answer->second];
            ++answered;
        }
        questions.push_back({{"id", question.id},
                             {"text", question.text},
                             {"yes", std::to_string(counts["yes"])},
                             {"no", std::to_string(counts["no"])},
                             {"not_sure", std::to_string(counts["not-sure"])},
                             {"answered", std::to_string(answered)}});
    }
    view["questions"] = questions;

    json you_said = json::array();
    for (const model::YouSaidWeDid& entry : consultation.you_said_we_did) {
        json changed = json::array();
        for (const model::ChangeLink& link : entry.changed) {
            std::string title;
            for (const model::Chapter& chapter : context.plan.chapters)
                if (chapter.page.slug == link.chapter) title = chapter.page.title;
            changed.push_back({{"label", link.label.empty() ? title : title + ": " + link.label},
                               {"href", model::relative_url(path, model::chapter_path(context.prefix, link.chapter)) +
                                            (link.anchor.empty() ? "" : "#" + link.anchor)}});
        }
        you_said.push_back({{"theme", entry.theme}, {"you_said", entry.you_said}, {"we_did", entry.we_did},
                            {"changed", changed}, {"has_changed", !changed.empty()}});
    }
    view["you_said_we_did"] = you_said;

    json responses = json::array();
    int withheld = 0;
    std::map<std::string, int> by_category;
    for (const model::Response& response : consultation.responses) {
        ++by_category[response.category];
        std::optional<std::string> label = model::public_label(response);
        if (!label) {
            ++withheld;
            continue;
        }
        const auto* category = site.catalogue.find(site.catalogue.respondent_categories, response.category);
        json answers = json::array();
        for (const model::Question& question : consultation.questions) {
            auto answer = response.answers.find(question.id);
            if (answer != response.answers.end())
                answers.push_back({{"question", question.id}, {"answer", answer_label(answer->second)}});
        }
        responses.push_back({{"label", *label},
                             {"category", category ? category->title : response.category},
                             {"answers", answers},
                             {"has_answers", !answers.empty()},
                             {"comment", response.comment},
                             {"has_comment", !response.comment.empty()}});
    }
    view["responses"] = responses;
    view["response_count"] = std::to_string(consultation.responses.size());
    view["withheld_count"] = std::to_string(withheld);
    view["has_withheld"] = withheld > 0;
    json categories = json::array();
    for (const model::CatalogueEntry& category : site.catalogue.respondent_categories)
        if (by_category.count(category.id))
            categories.push_back({{"title", category.title}, {"count", std::to_string(by_category[category.id])}});
    view["respondent_categories"] = categories;
    return view;
}

}  // namespace cypp::render
