#include "render/views.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "model/paths.h"
#include "render/indicator_chart.h"

namespace cypp::render {

using nlohmann::json;

std::string plan_index_path(const std::string& prefix) { return prefix + "plan/index.html"; }
std::string child_index_path(const std::string& prefix) { return prefix + "child/index.html"; }
std::string consultation_path(const std::string& prefix) { return prefix + "consultation/index.html"; }
std::string compliance_path() { return "compliance/index.html"; }
std::string accessibility_path() { return "accessibility/index.html"; }
std::string print_path() { return "print/index.html"; }
std::string publication_record_path() { return "publication/index.html"; }
std::string not_found_path() { return "404.html"; }

std::string official_base_url(const model::Site& site) {
    for (const model::PublicationWebsite& website : site.websites)
        if (website.role == model::WebsiteRole::authority && !website.url.empty())
            return website.url.ends_with('/') ? website.url : website.url + "/";
    return "";
}
std::string history_path() { return "history/index.html"; }
std::string changes_path(const std::string& revision_id) { return "history/" + revision_id + "/index.html"; }
std::string version_prefix(const std::string& revision_id) { return "versions/" + revision_id + "/"; }

namespace {

// An object built key by key, each value moved into place: object("title", t, "href", h).
// nlohmann's braced lists first make every key and value a two-element array, then
// copy them into the object: three times the work, which the lists of a large plan (an
// entry per chapter, on the plan index, the print edition and every chapter page) pay
// many thousands of times.
// The builders the chapter pages, the plan index and the print page use are written
// against a form (render/template_data.h) and make a view in any of them: JSON by
// default, template data, or a view tree.
template <typename Form>
void put_members(typename Form::Value&) {}
template <typename Form, typename Value, typename... Rest>
void put_members(typename Form::Value& object, const char* key, Value&& value, Rest&&... rest) {
    Form::put(object, key, std::forward<Value>(value));
    put_members<Form>(object, std::forward<Rest>(rest)...);
}
template <typename Form = JsonForm, typename... Members>
typename Form::Value object(Members&&... members) {
    typename Form::Value made = Form::object();
    put_members<Form>(made, std::forward<Members>(members)...);
    return made;
}

std::string period_text(const model::Date& start, const model::Date& end) {
    return model::format_long(start) + " to " + model::format_long(end);
}

template <typename Form = JsonForm>
typename Form::Value date_view(const model::Date& date) {
    return object<Form>("iso", model::format_iso(date), "long", model::format_long(date));
}

template <typename Form = JsonForm>
typename Form::Value outcome_list(const model::Site& site, const std::vector<std::string>& ids) {
    typename Form::Value list = Form::list();
    for (const std::string& id : ids)
        if (const auto* entry = site.catalogue.find(site.catalogue.outcomes, id))
            Form::append(list, object<Form>("id", id, "name", entry->title, "child_name", entry->child_name));
    return list;
}

template <typename Form = JsonForm>
typename Form::Value matter_list(const model::Site& site, const std::vector<std::string>& ids) {
    typename Form::Value list = Form::list();
    for (const std::string& id : ids)
        if (const auto* entry = site.catalogue.find(site.catalogue.matters, id))
            Form::append(list, object<Form>("id", id, "title", entry->title));
    return list;
}

template <typename Form = JsonForm>
typename Form::Value crumb(const std::string& label, const std::string& from, const std::string& to) {
    return object<Form>("label", label, "href", model::relative_url(from, to));
}

template <typename Form = JsonForm>
typename Form::Value pagination(const std::string& from, const std::string& previous_title, const std::string& previous_path,
                                const std::string& next_title, const std::string& next_path) {
    typename Form::Value view = Form::object();
    if (!previous_path.empty())
        Form::put(view, "previous", object<Form>("title", previous_title, "href", model::relative_url(from, previous_path)));
    if (!next_path.empty())
        Form::put(view, "next", object<Form>("title", next_title, "href", model::relative_url(from, next_path)));
    Form::put(view, "has_any", !previous_path.empty() || !next_path.empty());
    return view;
}

std::string answer_label(const std::string& answer) {
    if (answer == "yes") return "Yes";
    if (answer == "no") return "No";
    return "Not sure";
}

// "Published <date> · Last updated <date> · See all updates", from the last published
// revision that changed one of the page's sources (not the last commit).
template <typename Form = JsonForm>
typename Form::Value publication_view(const PageContext& context, const std::string& path,
                                      const std::vector<std::string>& sources) {
    typename Form::Value view = object<Form>("published", date_view<Form>(context.plan.published), "has_history", false,
                                             "not_yet_published", false);
    const history::History* history = context.options.history;
    if (!history || context.options.archived) return view;
    std::optional<std::size_t> last;
    bool uncommitted = false;
    for (const std::string& source : sources) {
        if (auto change = history->last_change(source); change && (!last || *change > *last)) last = change;
        uncommitted = uncommitted || history->uncommitted().count(source) > 0;
    }
    Form::put(view, "has_history", true);
    Form::put(view, "history_href", model::relative_url(path, history_path()));
    Form::put(view, "not_yet_published", uncommitted);
    if (last) {
        const history::Revision& revision = history->revisions()[*last];
        if (!revision.first_publication && context.plan.published < revision.date)
            Form::put(view, "last_updated", date_view<Form>(revision.date));
    }
    return view;
}

// The websites the plan is published on (R6.a authority and PCT, R6.b partners).
json website_list(const model::Site& site) {
    json websites = json::array();
    for (const model::PublicationWebsite& website : site.websites) {
        std::string owner = website.role == model::WebsiteRole::authority ? site.authority.name
                            : website.role == model::WebsiteRole::pct   ? site.pct.name
                                                                         : website.partner_id;
        for (const model::Partner& partner : site.partners)
            if (partner.id == website.partner_id) owner = partner.name;
        websites.push_back({{"owner", owner},
                            {"url", website.url},
                            {"rule", website.role == model::WebsiteRole::partner ? "R6.b" : "R6.a"}});
    }
    return websites;
}

// The places printed copies are deposited (R6.c).
json deposit_list(const model::Site& site) {
    json deposits = json::array();
    for (const model::Deposit& deposit : site.deposits)
        deposits.push_back({{"place", deposit.place}, {"address", deposit.address}, {"copies", std::to_string(deposit.copies)}});
    return deposits;
}

// The last published revision, when the build has history; the print edition and the
// publication record name it so a printed copy can be matched to a version online.
std::optional<json> latest_revision(const PageContext& context) {
    const history::History* history = context.options.history;
    if (!history || context.options.archived || history->revisions().empty()) return std::nullopt;
    const history::Revision& revision = history->revisions().back();
    return json{{"id", revision.id}, {"date", date_view(revision.date)}};
}

}  // namespace

namespace {

// The keys of common_view() that depend on the page itself, not only on its folder's
// depth and its edition: title, breadcrumbs, canonical address and publication line.
template <typename Form = JsonForm>
typename Form::Value page_keys(const PageContext& context, const std::string& path, const std::string& title,
                               typename Form::Value breadcrumbs, const std::vector<std::string>& sources) {
    typename Form::Value view = Form::object();
    Form::put(view, "title", title);
    const std::size_t crumbs = Form::size(breadcrumbs);
    for (std::size_t i = 0; i < crumbs; ++i) Form::put(Form::at(breadcrumbs, i), "last", i + 1 == crumbs);
    Form::put(view, "has_breadcrumbs", crumbs > 0);
    Form::put(view, "breadcrumbs", std::move(breadcrumbs));
    // Mirrors on partners' sites point search engines and readers to the official copy.
    if (const std::string base = official_base_url(context.site); !base.empty()) {
        const std::string prefix = context.options.archived ? version_prefix(context.options.archived->id) : std::string();
        Form::put(view, "canonical", base + prefix + path);
    }
    Form::put(view, "publication", publication_view<Form>(context, path, sources));
    return view;
}

// The rest of common_view(): the same on every page of one folder depth and edition.
json layer_keys(const PageContext& context, const std::string& path, Edition edition) {
    const model::Site& site = context.site;
    const std::string root = model::relative_url(path, "index.html").substr(
        0, model::relative_url(path, "index.html").size() - std::string("index.html").size());
    json view;
    view["lang"] = "en-GB";
    view["root"] = root;
    view["site"] = {{"name", site.board_name}, {"short_name", site.board_short_name}, {"area", site.area}};
    view["is_home"] = edition == Edition::home;
    view["is_plan"] = edition == Edition::plan;
    view["is_child"] = edition == Edition::child;
    view["is_consultation"] = edition == Edition::consultation;
    view["is_review"] = edition == Edition::review;
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
    view["plan"] = {{"title", context.plan.title},
                    {"period", period_text(context.plan.start, context.plan.end)},
                    {"published", date_view(context.plan.published)}};
    json footer = {{"email", site.contact.email},
                   {"accessibility", site.accessibility_contact},
                   {"other_formats", site.other_formats},
                   {"generator", context.options.generator}};
    // Optional: a string is true to a mustache section even when empty, so a Board
    // without a phone number would get "Phone:" and nothing after it.
    if (!site.contact.team.empty()) footer["contact_team"] = site.contact.team;
    if (!site.contact.phone.empty()) footer["phone"] = site.contact.phone;
    if (!site.contact.address.empty()) footer["address"] = site.contact.address;
    if (context.options.build_date) footer["build_date"] = date_view(*context.options.build_date);
    view["footer"] = footer;
    view["compliance_href"] = model::relative_url(path, compliance_path());
    view["accessibility_href"] = model::relative_url(path, accessibility_path());
    view["has_compliance"] = !context.options.archived.has_value();
    if (const std::string base = official_base_url(site); !base.empty()) view["official_home"] = base + "index.html";
    // Only the current site has the print edition and publication record (archived
    // versions are rendered without them), so only it links to them.
    view["has_publication_pages"] = !context.options.archived.has_value();
    view["publication_record_href"] = model::relative_url(path, publication_record_path());
    view["print_href"] = model::relative_url(path, print_path());
    if (context.options.archived) {
        view["archived"] = {{"id", context.options.archived->id},
                            {"date", date_view(context.options.archived->date)},
                            {"current_href", root + "../../index.html"},
                            {"history_href", root + "../../" + history_path()}};
    }
    json reviews = json::array();
    for (const model::Review& review : context.plan.reviews)
        reviews.push_back({{"title", review.title},
                           {"href", model::relative_url(path, model::review_path(context.prefix, review.year))},
                           {"published", date_view(review.published)}});
    view["reviews"] = reviews;
    view["has_reviews"] = !reviews.empty();
    return view;
}

}  // namespace

namespace {

// common_view() in either form. The page's keys and the layer's never share a name
// (tests/render/render_test.cpp), so the order they are put in does not matter.
template <typename Form>
typename Form::Value common_view_in(const PageContext& context, const std::string& path, const std::string& title,
                                    Edition edition, typename Form::Value breadcrumbs,
                                    const std::vector<std::string>& sources) {
    typename Form::Value view = page_keys<Form>(context, path, title, std::move(breadcrumbs), sources);
    json layer = layer_keys(context, path, edition);
    for (auto item = layer.begin(); item != layer.end(); ++item) Form::put(view, item.key().c_str(), Form::adopt(std::move(*item)));
    return view;
}

}  // namespace

json common_view(const PageContext& context, const std::string& path, const std::string& title, Edition edition,
                 json breadcrumbs, const std::vector<std::string>& sources) {
    return common_view_in<JsonForm>(context, path, title, edition, std::move(breadcrumbs), sources);
}

json home_view(const PageContext& context) {
    const model::Site& site = context.site;
    const std::string path = "index.html";
    json view = common_view(context, path, site.board_name, Edition::home, json::array(),
                            {"site.json", "plans/" + context.plan.id + "/plan.json"});
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
    view["websites"] = website_list(site);
    view["deposits"] = deposit_list(site);
    view["has_deposits"] = !site.deposits.empty();
    json earlier = json::array();
    for (std::size_t i = 0; i + 1 < site.plans.size(); ++i)
        earlier.push_back({{"title", site.plans[i].title},
                           {"period", period_text(site.plans[i].start, site.plans[i].end)},
                           {"href", plan_index_path(model::plan_prefix(site.plans[i].id, false))}});
    view["earlier_plans"] = earlier;
    view["has_earlier_plans"] = !earlier.empty();
    return view;
}

namespace {

// plan_index_view() in either form: the list of every chapter is as long as the plan.
template <typename Form>
typename Form::Value plan_index_view_in(const PageContext& context) {
    const std::string path = plan_index_path(context.prefix);
    typename Form::Value view =
        common_view_in<Form>(context, path, context.plan.title, Edition::plan,
                             Form::adopt(json::array({crumb("Home", path, "index.html"), {{"label", "Full plan"}}})),
                             {"plans/" + context.plan.id + "/plan.json"});
    Form::put(view, "summary", context.plan.summary);
    typename Form::Value chapters = Form::list();
    Form::reserve(chapters, context.plan.chapters.size());
    int number = 1;
    for (const model::Chapter& chapter : context.plan.chapters)
        Form::append(chapters, object<Form>("number", std::to_string(number++), "title", chapter.page.title, "href",
                                            model::relative_url(path, model::chapter_path(context.prefix, chapter.page.slug)),
                                            "outcomes", outcome_list<Form>(context.site, chapter.outcomes), "has_outcomes",
                                            !chapter.outcomes.empty()));
    Form::put(view, "chapters", std::move(chapters));
    return view;
}

}  // namespace

json plan_index_view(const PageContext& context) { return plan_index_view_in<JsonForm>(context); }

TemplateData plan_index_data(const PageContext& context) { return plan_index_view_in<TemplateForm>(context); }

json chapter_layer_view(const PageContext& context) {
    // Every chapter page sits at plan/<slug>/index.html: one folder depth, one edition.
    return layer_keys(context, model::chapter_path(context.prefix, "chapter"), Edition::plan);
}

namespace {

template <typename Form>
typename Form::Value chapter_view_in(const PageContext& context, std::size_t index) {
    using Value = typename Form::Value;
    const auto& chapters = context.plan.chapters;
    const model::Chapter& chapter = chapters[index];
    const std::string path = model::chapter_path(context.prefix, chapter.page.slug);
    Value breadcrumbs = Form::list();
    Form::append(breadcrumbs, crumb<Form>("Home", path, "index.html"));
    Form::append(breadcrumbs, crumb<Form>("Full plan", path, plan_index_path(context.prefix)));
    Form::append(breadcrumbs, object<Form>("label", chapter.page.title));
    Value view = page_keys<Form>(context, path, chapter.page.title, std::move(breadcrumbs), {chapter.page.source});
    Form::put(view, "body", chapter.page.body_html);
    Value toc = Form::list();
    for (const auto& entry : chapter.page.toc) Form::append(toc, object<Form>("text", entry.text, "id", entry.id));
    Form::put(view, "has_toc", Form::size(toc) > 1);
    Form::put(view, "toc", std::move(toc));
    Form::put(view, "outcomes", outcome_list<Form>(context.site, chapter.outcomes));
    Form::put(view, "has_outcomes", !chapter.outcomes.empty());
    Form::put(view, "matters", matter_list<Form>(context.site, chapter.matters));
    Form::put(view, "has_matters", !chapter.matters.empty());
    Value reports = Form::list();
    for (const auto& reference : chapter.takes_into_account)
        Form::append(reports, object<Form>("report", reference.report, "url", reference.url, "has_url", !reference.url.empty()));
    Form::put(view, "has_reports", Form::size(reports) > 0);
    Form::put(view, "reports", std::move(reports));
    Form::put(view, "chapter_number", std::to_string(index + 1));
    Value children = Form::list();
    for (const model::ChildPage& page : context.plan.child.pages)
        if (page.explains_chapter == chapter.page.slug)
            Form::append(children, object<Form>("title", page.page.title, "href",
                                                model::relative_url(path, model::child_page_path(context.prefix, page.page.slug))));
    Form::put(view, "has_child_pages", Form::size(children) > 0);
    Form::put(view, "child_pages", std::move(children));
    auto path_of = [&](std::size_t i) { return model::chapter_path(context.prefix, chapters[i].page.slug); };
    Form::put(view, "pagination",
              pagination<Form>(path, index > 0 ? chapters[index - 1].page.title : "", index > 0 ? path_of(index - 1) : "",
                               index + 1 < chapters.size() ? chapters[index + 1].page.title : "",
                               index + 1 < chapters.size() ? path_of(index + 1) : ""));
    return view;
}

}  // namespace

json chapter_view(const PageContext& context, std::size_t index) { return chapter_view_in<JsonForm>(context, index); }

ViewNode chapter_tree(const PageContext& context, std::size_t index) { return chapter_view_in<TreeForm>(context, index); }

json child_index_view(const PageContext& context) {
    const model::ChildEdition& child = context.plan.child;
    const std::string path = child_index_path(context.prefix);
    json view = common_view(context, path, child.title, Edition::child,
                            json::array({crumb("Home", path, "index.html"), {{"label", "For you"}}}),
                            {"plans/" + context.plan.id + "/child.json"});
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
                                         {{"label", page.page.title}}}),
                            {page.page.source});
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
                            json::array({crumb("Home", path, "index.html"), {{"label", "Consultation"}}}),
                            {"plans/" + context.plan.id + "/consultation.json"});
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

namespace {

json change_links(const PageContext& context, const std::string& path, const std::vector<model::ChangeLink>& links) {
    json list = json::array();
    for (const model::ChangeLink& link : links) {
        std::string title;
        for (const model::Chapter& chapter : context.plan.chapters)
            if (chapter.page.slug == link.chapter) title = chapter.page.title;
        list.push_back({{"label", link.label.empty() ? title : title + ": " + link.label},
                        {"href", model::relative_url(path, model::chapter_path(context.prefix, link.chapter)) +
                                     (link.anchor.empty() ? "" : "#" + link.anchor)}});
    }
    return list;
}

json indicator_view(const model::Site& site, const model::Indicator& indicator, const std::string& year) {
    IndicatorSummary summary = summarise_indicator(indicator, year);
    auto value_for = [&](const std::vector<model::IndicatorValue>& values, const std::string& wanted) -> std::string {
        for (const model::IndicatorValue& value : values)
            if (value.year == wanted) return format_indicator_value(indicator, value.value);
        return "–";
    };
    std::vector<std::string> years{indicator.baseline.year};
    for (const auto* series : {&indicator.targets, &indicator.actuals})
        for (const model::IndicatorValue& value : *series)
            if (value.year <= year && std::find(years.begin(), years.end(), value.year) == years.end())
                years.push_back(value.year);
    std::sort(years.begin(), years.end());
    json rows = json::array();
    for (const std::string& row_year : years) {
        const bool is_baseline = row_year == indicator.baseline.year;
        rows.push_back({{"year", row_year + (is_baseline ? " (baseline)" : "")},
                        {"target", value_for(indicator.targets, row_year)},
                        {"actual", is_baseline ? format_indicator_value(indicator, indicator.baseline.value)
                                               : value_for(indicator.actuals, row_year)}});
    }
    const auto* outcome = site.catalogue.find(site.catalogue.outcomes, indicator.outcome);
    const char* status_class = summary.status == IndicatorStatus::on_track                    ? "status-met"
                               : summary.status == IndicatorStatus::improving_short_of_target ? "status-warning"
                               : summary.status == IndicatorStatus::off_track                 ? "status-not-met"
                                                                                               : "status-none";
    return {{"id", indicator.id},
            {"name", indicator.name},
            {"outcome", outcome ? outcome->title : indicator.outcome},
            {"better", indicator.better == model::Better::higher ? "Higher is better" : "Lower is better"},
            {"status_label", summary.status_label},
            {"status_class", status_class},
            {"summary", summary.text},
            {"chart", render_indicator_chart_svg(indicator, year)},
            {"rows", rows},
            {"source", indicator.source},
            {"has_source", !indicator.source.empty()}};
}

std::string partner_name(const model::Site& site, const std::string& id) {
    for (const model::Partner& partner : site.partners)
        if (partner.id == id) return partner.name;
    return id;
}

}  // namespace

json review_view(const PageContext& context, std::size_t index) {
    const model::Review& review = context.plan.reviews[index];
    const std::string path = model::review_path(context.prefix, review.year);
    json view = common_view(context, path, review.title, Edition::review,
                            json::array({crumb("Home", path, "index.html"), {{"label", review.title}}}),
                            {review.page.source, review.source.file});
    view["covers"] = period_text(review.covers_start, review.covers_end);
    view["published"] = date_view(review.published);
    view["summary"] = review.summary;
    view["body"] = review.page.body_html;
    json consulted = json::array();
    for (const model::ConsultedBody& body : review.consulted)
        consulted.push_back({{"name", body.name}, {"method", body.method}, {"date", date_view(body.date)}});
    view["consulted"] = consulted;
    view["revised"] = review.revised;
    view["revision_reason"] = review.revision_reason;
    view["revised_chapters"] = change_links(context, path, review.revised_chapters);
    if (review.republished) view["republished"] = date_view(*review.republished);
    json changes = json::array();
    for (const model::MembershipChangeNote& note : review.membership_changes)
        changes.push_back({{"partner", partner_name(context.site, note.partner_id)},
                           {"change", note.change},
                           {"taken_into_account", note.taken_into_account}});
    view["membership_changes"] = changes;
    view["has_membership_changes"] = !changes.empty();
    json tasks = json::array();
    for (const model::FutureTask& task : review.future_tasks)
        tasks.push_back({{"task", task.task}, {"due", date_view(task.due)}, {"lead", task.lead}});
    view["future_tasks"] = tasks;
    view["has_future_tasks"] = !tasks.empty();
    json indicators = json::array();
    for (const model::Indicator& indicator : context.plan.indicators)
        indicators.push_back(indicator_view(context.site, indicator, review.year));
    view["indicators"] = indicators;
    view["has_indicators"] = !indicators.empty();
    return view;
}

json accessibility_view(const PageContext& context) {
    const model::Site& site = context.site;
    const std::string path = accessibility_path();
    json view = common_view(context, path, "Accessibility statement", Edition::compliance,
                            json::array({crumb("Home", path, "index.html"), {{"label", "Accessibility statement"}}}),
                            {"site.json"});
    view["known_issues"] = site.accessibility_known_issues;
    view["has_known_issues"] = !site.accessibility_known_issues.empty();
    view["contact"] = site.accessibility_contact;
    view["other_formats"] = site.other_formats;
    // Dated from the content, never from the clock, so rebuilds stay byte-identical.
    model::Date reviewed = context.plan.published;
    if (const history::History* history = context.options.history; history && !history->revisions().empty())
        reviewed = std::max(reviewed, history->revisions().back().date);
    view["prepared"] = date_view(site.accessibility_statement_prepared.value_or(context.plan.published));
    view["reviewed"] = date_view(reviewed);
    json reading = json::array();
    for (const model::ChildPage& page : context.plan.child.pages) {
        char grade[16];
        std::snprintf(grade, sizeof grade, "%.1f", page.reading.grade);
        reading.push_back({{"title", page.page.title},
                           {"href", model::relative_url(path, model::child_page_path(context.prefix, page.page.slug))},
                           {"grade", grade}});
    }
    view["reading"] = reading;
    char target[16];
    std::snprintf(target, sizeof target, "%.1f", site.child_reading_max_grade);
    view["reading_target"] = target;
    return view;
}

json compliance_view(const PageContext& context, const rules::ComplianceReport& compliance) {
    const std::string path = compliance_path();
    json view = common_view(context, path, "How this plan meets the regulations", Edition::compliance,
                            json::array({crumb("Home", path, "index.html"), {{"label", "How this plan meets the regulations"}}}),
                            {});
    json groups = json::array();
    std::string current_group;
    for (const rules::RuleResult& rule : compliance.rules) {
        const std::string group = rule.id.substr(0, rule.id.find('.'));
        if (group != current_group) {
            current_group = group;
            groups.push_back({{"title", "Regulation " + group.substr(1)}, {"rules", json::array()}});
        }
        json evidence = json::array();
        for (const rules::Evidence& item : rule.evidence) {
            std::string href = item.path;
            if (!href.empty() && !href.starts_with("http")) href = model::relative_url(path, href);
            evidence.push_back({{"label", item.label}, {"href", href}, {"has_href", !href.empty()}});
        }
        const char* label = rule.status == rules::Status::met              ? "Met"
                            : rule.status == rules::Status::not_met        ? "Not met"
                            : rule.status == rules::Status::not_applicable ? "Not applicable"
                                                                           : "Warning";
        groups.back()["rules"].push_back({{"id", rule.id},
                                          {"regulation", rule.regulation},
                                          {"guidance", rule.kind == "guidance"},
                                          {"title", rule.title},
                                          {"duty", rule.duty},
                                          {"status", rules::status_name(rule.status)},
                                          {"status_label", label},
                                          {"evidence", evidence},
                                          {"has_evidence", !evidence.empty()},
                                          {"messages", rule.messages},
                                          {"has_messages", !rule.messages.empty()}});
    }
    view["groups"] = groups;
    json deadlines = json::array();
    for (const rules::Deadline& deadline : compliance.deadlines) {
        const char* state = deadline.state == rules::DeadlineState::met      ? "Met"
                             : deadline.state == rules::DeadlineState::missed ? "Missed"
                             : deadline.state == rules::DeadlineState::overdue ? "Overdue"
                                                                               : "Not yet due";
        deadlines.push_back({{"what", deadline.what},
                             {"rule", deadline.rule},
                             {"due", date_view(deadline.due)},
                             {"done", deadline.done ? model::format_long(*deadline.done) : std::string("–")},
                             {"state", state}});
    }
    view["deadlines"] = deadlines;
    return view;
}

namespace {

// The attributes of a page body that change when it becomes a section of the print edition.
enum class Attribute { id, href, src };

// Walks html (as the Markdown renderer writes it: attribute values double-quoted, "<"
// and quotes in text escaped) once, moving every heading levels down (h6 stays h6;
// h1 never occurs in a body) and letting rewrite(attribute, value, result) append what
// takes the place of the value of every id, href and src attribute.
template <typename Rewrite>
std::string rewrite_section(const std::string& html, int levels, Rewrite rewrite) {
    std::string result;
    result.reserve(html.size() + html.size() / 8);
    std::size_t at = 0;  // html before it is in result
    std::size_t tag = html.find('<');
    std::size_t value = html.find("=\"");  // an attribute's, found by its `="` (rare in text)
    while (tag != std::string::npos || value != std::string::npos) {
        if (tag < value) {
            // "<hN" or "</hN>" for N in 2..5.
            const bool closing = tag + 1 < html.size() && html[tag + 1] == '/';
            const std::size_t digit = tag + (closing ? 3 : 2);
            if (digit < html.size() && html[digit - 1] == 'h' && html[digit] >= '2' && html[digit] <= '5' &&
                (!closing || (digit + 1 < html.size() && html[digit + 1] == '>'))) {
                result.append(html, at, digit - at);
                result += static_cast<char>('0' + std::min(html[digit] - '0' + levels, 6));
                at = digit + 1;
            }
            tag = html.find('<', tag + 1);
            continue;
        }
        const std::size_t start = value + 2;
        const std::size_t end = html.find('"', start);
        if (end == std::string::npos) break;
        auto named = [&](std::string_view name) {
            const std::size_t name_at = value - std::min(value, name.size());
            return name_at > 0 && html[name_at - 1] == ' ' && html.compare(name_at, name.size(), name) == 0;
        };
        const std::optional<Attribute> attribute = named("id")     ? std::optional(Attribute::id)
                                                   : named("href") ? std::optional(Attribute::href)
                                                   : named("src")  ? std::optional(Attribute::src)
                                                                   : std::nullopt;
        if (attribute) {
            result.append(html, at, start - at);
            rewrite(*attribute, std::string_view(html).substr(start, end - start), result);
            at = end;
        }
        value = html.find("=\"", end + 1);
        if (tag < end) tag = html.find('<', end);  // never inside a value
    }
    result.append(html, at, std::string::npos);
    return result;
}

// The output path a relative URL written in the page at from_file points to; nullopt
// for absolute URLs (a scheme or a leading '/') and ones that climb above the root.
// The segments are views into the two (every link of every section of the print
// edition passes here).
std::optional<std::string> resolve_relative(const std::string& from_file, std::string_view url) {
    if (url.empty() || url.front() == '/' || url.front() == '#') return std::nullopt;
    if (const std::size_t colon = url.find(':'); colon != std::string_view::npos && colon < url.find_first_of("/?#"))
        return std::nullopt;
    std::vector<std::string_view> segments;
    segments.reserve(8);
    for (std::size_t start = 0, slash; (slash = from_file.find('/', start)) != std::string::npos; start = slash + 1)
        segments.push_back(std::string_view(from_file).substr(start, slash - start));
    for (std::size_t start = 0;;) {
        const std::size_t slash = url.find('/', start);
        const bool last = slash == std::string_view::npos;
        const std::string_view segment = url.substr(start, last ? std::string_view::npos : slash - start);
        if (segment == "..") {
            if (segments.empty()) return std::nullopt;
            segments.pop_back();
        } else if (segment != "." && !(segment.empty() && !last)) {
            segments.push_back(segment);
        }
        if (last) break;
        start = slash + 1;
    }
    std::string path;
    path.reserve(from_file.size() + url.size());
    for (const std::string_view segment : segments) {
        if (!path.empty()) path += '/';
        path += segment;
    }
    return path;
}

// Where each page folded into the print edition now lives inside it: the id prefix
// of its headings and the id of its own heading.
struct PrintSection {
    std::string id_prefix;
    std::string heading_id;
};
// By the page's own output path; every link of every section is looked up in it.
using PrintSections = std::unordered_map<std::string, PrintSection>;

// The in-page link to a section of the print edition (and a heading in it).
void append_section_link(std::string& out, const PrintSection& section, std::string_view fragment) {
    out += '#';
    if (fragment.empty()) {
        out += section.heading_id;
    } else {
        out += section.id_prefix;
        out += fragment;
    }
}

// A link to a page (and heading) of the print edition becomes an in-page link; any
// other relative link is re-based on print/index.html, which sits at another depth.
void append_print_link(std::string& out, const PrintSections& sections, const std::string& target, std::string_view fragment) {
    if (auto section = sections.find(target); section != sections.end()) return append_section_link(out, section->second, fragment);
    out += model::relative_url(print_path(), target);
    if (!fragment.empty()) {
        out += '#';
        out += fragment;
    }
}

// A page body, written for from_file, as a section of the print edition: headings one
// or more levels down, ids prefixed so they stay unique, links re-pointed.
std::string print_body(const std::string& body_html, const std::string& from_file, const PrintSection& section,
                       int levels, const PrintSections& sections) {
    return rewrite_section(body_html, levels, [&](Attribute attribute, std::string_view value, std::string& out) {
        if (attribute == Attribute::id) {
            out += section.id_prefix;
            out += value;
            return;
        }
        if (attribute == Attribute::src) {
            const auto target = resolve_relative(from_file, value);
            out += target ? model::relative_url(print_path(), *target) : std::string(value);
            return;
        }
        if (value.starts_with('#')) {
            out += '#';
            out += section.id_prefix;
            out += value.substr(1);
            return;
        }
        const std::size_t hash = value.find('#');
        const auto target = resolve_relative(from_file, value.substr(0, hash));
        if (!target) out += value;
        else append_print_link(out, sections, *target, hash == std::string_view::npos ? std::string_view() : value.substr(hash + 1));
    });
}

}  // namespace

namespace {

PrintSection chapter_section(const std::string& slug) { return {slug + "-", "chapter-" + slug}; }
PrintSection child_page_section(const std::string& slug) { return {"child-" + slug + "-", "child-" + slug}; }

// Where each page folded into the print edition lives inside it (by its own output path).
PrintSections print_sections(const PageContext& context) {
    PrintSections sections;
    sections.reserve(context.plan.chapters.size() + context.plan.child.pages.size());
    for (const model::Chapter& chapter : context.plan.chapters)
        sections[model::chapter_path(context.prefix, chapter.page.slug)] = chapter_section(chapter.page.slug);
    for (const model::ChildPage& page : context.plan.child.pages)
        sections[model::child_page_path(context.prefix, page.page.slug)] = child_page_section(page.page.slug);
    return sections;
}

// Escaped text never holds "<" and cmark's safe HTML never holds a comment of its own
// beyond "raw HTML omitted", so the marker can only be one of these.
constexpr std::string_view print_body_marker = "<!--cypp-print-body:";

std::string print_body_placeholder(std::size_t index) {
    return std::string(print_body_marker) + std::to_string(index) + "-->";
}

}  // namespace

namespace {

// The print page's view in either form: the list of chapters (as long as the plan) is
// made in the form asked for, the small parts as JSON, adopted.
template <typename Form>
typename Form::Value print_view_in(const PageContext& context) {
    using Value = typename Form::Value;
    const model::Plan& plan = context.plan;
    const std::string path = print_path();
    std::vector<std::string> sources{"site.json", "plans/" + plan.id + "/plan.json", "plans/" + plan.id + "/consultation.json"};
    for (const model::Chapter& chapter : plan.chapters) sources.push_back(chapter.page.source);
    for (const model::ChildPage& page : plan.child.pages) sources.push_back(page.page.source);
    Value view = common_view_in<Form>(context, path, plan.title + " (print edition)", Edition::compliance,
                                      Form::adopt(json::array({crumb("Home", path, "index.html"), {{"label", "Print edition"}}})),
                                      sources);
    Form::put(view, "board", context.site.board_name);
    if (auto revision = latest_revision(context)) Form::put(view, "revision", Form::adopt(std::move(*revision)));
    if (!context.options.print_pdf.empty())
        Form::put(view, "pdf", Form::adopt({{"href", model::relative_url(path, context.options.print_pdf)}}));

    // The sections' ids are made here as print_sections() makes them, without its table
    // of every page (this view is made while no other page is).
    std::size_t body_index = 0;
    Value chapters = Form::list();
    Form::reserve(chapters, plan.chapters.size());
    int number = 1;
    for (const model::Chapter& chapter : plan.chapters)
        Form::append(chapters, object<Form>("number", std::to_string(number++), "title", chapter.page.title, "id",
                                            chapter_section(chapter.page.slug).heading_id, "body",
                                            print_body_placeholder(body_index++)));
    Form::put(view, "chapters", std::move(chapters));
    // Child pages sit one level further down, under the section's own h2.
    json child_pages = json::array();
    for (const model::ChildPage& page : plan.child.pages)
        child_pages.push_back({{"title", page.page.title},
                               {"id", child_page_section(page.page.slug).heading_id},
                               {"body", print_body_placeholder(body_index++)}});
    Form::put(view, "has_child_pages", !child_pages.empty());
    Form::put(view, "child_pages", Form::adopt(std::move(child_pages)));

    // The consultation in counts and "you said, we did" only: a printed copy can never
    // be withdrawn, so it names no respondent whatever their consent.
    const model::Consultation& consultation = plan.consultation;
    Form::put(view, "consultation",
              Form::adopt({{"period", period_text(consultation.start, consultation.end)},
                           {"weeks", std::to_string(model::days_between(consultation.start, consultation.end) / 7)},
                           {"response_count", std::to_string(consultation.responses.size())}}));
    json you_said = json::array();
    for (const model::YouSaidWeDid& entry : consultation.you_said_we_did) {
        json changed = json::array();
        for (const model::ChangeLink& link : entry.changed) {
            // Loading resolved it to a chapter of this plan (CY401 otherwise): its section
            // of this document.
            std::string title;
            for (const model::Chapter& chapter : plan.chapters)
                if (chapter.page.slug == link.chapter) title = chapter.page.title;
            std::string href;
            append_section_link(href, chapter_section(link.chapter), link.anchor);
            changed.push_back({{"label", link.label.empty() ? title : title + ": " + link.label}, {"href", href}});
        }
        you_said.push_back({{"you_said", entry.you_said}, {"we_did", entry.we_did}, {"changed", changed},
                            {"has_changed", !changed.empty()}});
    }
    Form::put(view, "has_you_said_we_did", !you_said.empty());
    Form::put(view, "you_said_we_did", Form::adopt(std::move(you_said)));
    Form::put(view, "deposits", Form::adopt(deposit_list(context.site)));
    Form::put(view, "has_deposits", !context.site.deposits.empty());
    return view;
}

}  // namespace

json print_view(const PageContext& context) { return print_view_in<JsonForm>(context); }

TemplateData print_data(const PageContext& context) { return print_view_in<TemplateForm>(context); }

void put_print_edition(const PageContext& context, const std::string& rendered,
                       const std::function<void(std::string_view)>& put) {
    const model::Plan& plan = context.plan;
    const PrintSections sections = print_sections(context);
    // cypp serve keeps each section: one edit changes one, unless it changes the sections
    // links are re-pointed to (which all of them are made from).
    std::size_t sections_hash = 0;
    auto mix = [](std::size_t hash, std::size_t value) { return (hash ^ value) * 0x100000001b3ull; };
    if (context.options.page_cache)
        for (const auto& [path, section] : sections)  // in no particular order: summed
            sections_hash += mix(mix(mix(0, std::hash<std::string>{}(path)), std::hash<std::string>{}(section.id_prefix)),
                                 std::hash<std::string>{}(section.heading_id));
    auto section = [&](const model::Page& page, const std::string& from, int levels) {
        if (!context.options.page_cache) return print_body(page.body_html, from, sections.at(from), levels, sections);
        const std::size_t key = mix(mix(mix(sections_hash, std::hash<std::string>{}(page.body_html)),
                                        std::hash<std::string>{}(from)),
                                    static_cast<std::size_t>(levels));
        return context.options.page_cache->piece("print section", key, [&] {
            return print_body(page.body_html, from, sections.at(from), levels, sections);
        });
    };
    auto body = [&](std::size_t index) {
        if (index < plan.chapters.size()) {
            const model::Page& page = plan.chapters[index].page;
            return section(page, model::chapter_path(context.prefix, page.slug), 1);
        }
        index -= plan.chapters.size();
        if (index >= plan.child.pages.size()) return std::string();
        const model::Page& page = plan.child.pages[index].page;
        return section(page, model::child_page_path(context.prefix, page.slug), 2);
    };
    // The placeholders, then their bodies made a batch at a time on the build's threads
    // and passed on in page order (a batch is all that is held).
    struct Placeholder {
        std::size_t start, end, index;  // end: just after "-->"
    };
    const std::string_view page = rendered;
    std::vector<Placeholder> placeholders;
    for (std::size_t found = page.find(print_body_marker); found != std::string::npos;
         found = page.find(print_body_marker, found + 1)) {
        const std::size_t end = page.find("-->", found);
        if (end == std::string::npos) break;
        const std::size_t number_at = found + print_body_marker.size();
        placeholders.push_back({found, end + 3, std::stoul(rendered.substr(number_at, end - number_at))});
    }
    const unsigned jobs = context.options.pool ? context.options.pool->jobs() : 1;
    // Large enough that a round of the pool is worth waking its threads for (a body
    // cypp serve kept is only looked up), small enough to hold little.
    const std::size_t batch = 256 * std::size_t{jobs};
    // Two batches at a time: while one batch is passed on (observed and written, in
    // order, by one job of a round), the other jobs of the round make the next, so
    // passing on does not leave the other threads idle.
    std::vector<std::string> made(std::min(batch, placeholders.size()));
    std::vector<std::string> passing(made.size());
    std::size_t passing_first = 0, passing_size = 0, position = 0;
    auto pass_on = [&] {
        for (std::size_t i = 0; i < passing_size; ++i) {
            const Placeholder& placeholder = placeholders[passing_first + i];
            put(page.substr(position, placeholder.start - position));
            put(passing[i]);
            std::string().swap(passing[i]);
            position = placeholder.end;
        }
    };
    for (std::size_t first = 0; first < placeholders.size() || passing_size > 0;) {
        const std::size_t size = std::min(batch, placeholders.size() - first);
        auto job = [&](std::size_t j) {
            if (j == 0) pass_on();
            else made[j - 1] = body(placeholders[first + j - 1].index);
        };
        if (context.options.pool) context.options.pool->for_each(size + 1, job);
        else for (std::size_t j = 0; j <= size; ++j) job(j);
        std::swap(made, passing);
        passing_first = first;
        passing_size = size;
        first += size;
    }
    put(page.substr(position));
}

json publication_record_view(const PageContext& context) {
    const std::string path = publication_record_path();
    json view = common_view(context, path, "Where this plan is published", Edition::compliance,
                            json::array({crumb("Home", path, "index.html"), {{"label", "Where this plan is published"}}}),
                            {"site.json", "plans/" + context.plan.id + "/plan.json"});
    view["websites"] = website_list(context.site);
    view["deposits"] = deposit_list(context.site);
    view["has_deposits"] = !context.site.deposits.empty();
    view["published"] = date_view(context.plan.published);
    if (auto revision = latest_revision(context)) view["revision"] = *revision;
    if (!context.options.print_pdf.empty()) view["pdf"] = {{"href", model::relative_url(path, context.options.print_pdf)}};
    return view;
}

json not_found_view(const PageContext& context) {
    json view = common_view(context, not_found_path(), "Page not found", Edition::compliance, json::array(), {});
    // Servers send this page for a missing URL at any depth, where relative links would
    // point to the wrong place: every link starts from the official address, or from "/".
    std::string base = official_base_url(context.site);
    if (base.empty()) base = "/";
    auto absolute = [&](json& href) { href = base + href.get<std::string>(); };
    view["root"] = base;
    for (json& item : view["nav"]) absolute(item["href"]);
    for (json& review : view["reviews"]) absolute(review["href"]);
    for (const char* key : {"current_plan_href", "compliance_href", "accessibility_href", "publication_record_href", "print_href"})
        absolute(view[key]);
    if (view["publication"].contains("history_href")) absolute(view["publication"]["history_href"]);
    view["home_href"] = base + "index.html";
    view["plan_href"] = base + plan_index_path("");
    view["child_href"] = base + child_index_path("");
    return view;
}

namespace {

std::string ics_text(const std::string& text) {
    std::string escaped;
    for (char c : text) {
        if (c == '\\' || c == ';' || c == ',') escaped += '\\';
        if (c == '\n') {
            escaped += "\\n";
            continue;
        }
        escaped += c;
    }
    return escaped;
}

// RFC 5545 3.1: lines longer than 75 octets are folded; never inside a UTF-8 sequence.
std::string ics_line(const std::string& line) {
    std::string folded;
    std::size_t width = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(line[i]);
        const bool starts_character = (c & 0xC0) != 0x80;
        if (starts_character && width >= 74) {
            folded += "\r\n ";
            width = 1;
        }
        folded += line[i];
        ++width;
    }
    return folded + "\r\n";
}

std::string uid_domain(const std::string& name) {
    std::string domain;
    for (char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c))) domain += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        else if (!domain.empty() && domain.back() != '-') domain += '-';
    }
    while (!domain.empty() && domain.back() == '-') domain.pop_back();
    return domain;
}

std::string ics_date(const model::Date& date) {
    std::string iso = model::format_iso(date);
    return iso.substr(0, 4) + iso.substr(5, 2) + iso.substr(8, 2);
}

}  // namespace

std::string deadline_calendar(const model::Site& site, const rules::ComplianceReport& compliance) {
    // DTSTAMP must be present and stable: the current plan's publication date.
    const std::string stamp = ics_date(site.current_plan().published) + "T000000Z";
    std::string calendar = ics_line("BEGIN:VCALENDAR") + ics_line("VERSION:2.0") +
                           ics_line("PRODID:-//cypp//Children and Young People's Plan deadlines//EN") +
                           ics_line("CALSCALE:GREGORIAN") + ics_line("X-WR-CALNAME:" + ics_text(site.board_name + ": plan deadlines"));
    for (const rules::Deadline& deadline : compliance.deadlines) {
        if (deadline.state == rules::DeadlineState::met || deadline.state == rules::DeadlineState::missed) continue;
        const std::string day = ics_date(deadline.due);
        calendar += ics_line("BEGIN:VEVENT");
        calendar += ics_line("UID:" + deadline.rule + "-" + day + "@" + uid_domain(site.board_name) + ".cypp");
        calendar += ics_line("DTSTAMP:" + stamp);
        calendar += ics_line("DTSTART;VALUE=DATE:" + day);
        calendar += ics_line("DTEND;VALUE=DATE:" + ics_date(model::civil_from_days(model::days_from_civil(deadline.due) + 1)));
        calendar += ics_line("SUMMARY:" + ics_text(deadline.what + " (deadline, " + deadline.rule + ")"));
        calendar += ics_line("DESCRIPTION:" + ics_text("Regulation " + deadline.rule + ": " + deadline.what + " by " +
                                                       model::format_long(deadline.due) + "."));
        calendar += ics_line("END:VEVENT");
    }
    return calendar + ics_line("END:VCALENDAR");
}

}  // namespace cypp::render
