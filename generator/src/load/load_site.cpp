#include "load/load_site.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "load/catalogue.h"
#include "load/markdown_pages.h"
#include "load/site_files.h"
#include "model/paths.h"
#include "parallel/for_each.h"
#include "readability/readability.h"

#include <cstdio>

namespace cypp::load {

namespace {

using Json = nlohmann::json;

std::string text(const Json& object, const char* key) { return object.value(key, std::string()); }

std::vector<std::string> strings(const Json& object, const char* key) {
    std::vector<std::string> result;
    if (object.contains(key))
        for (const auto& item : object.at(key)) result.push_back(item.get<std::string>());
    return result;
}

std::string file_stem(const std::string& path) {
    std::size_t slash = path.rfind('/');
    std::string name = path.substr(slash == std::string::npos ? 0 : slash + 1);
    return name.substr(0, name.rfind('.'));
}

// Reads dates that the schema has already shaped as YYYY-MM-DD, reporting impossible
// days such as 2011-02-30.
class DateReader {
public:
    DateReader(SiteFiles& files, const std::string& file, const json::JsonDocument& document)
        : files_(files), file_(file), document_(document) {}

    model::Date read(const std::string& pointer) {
        const auto& value = document_.value.at(nlohmann::json::json_pointer(pointer));
        if (auto date = model::parse_date(value.get<std::string>())) return *date;
        files_.report_at(diag::Severity::error, "CY204", file_, document_, pointer,
                         "\"" + value.get<std::string>() + "\" is not a real date", "write the date as YYYY-MM-DD");
        return {};
    }

    void check_order(const std::string& start_pointer, const model::Date& start, const std::string& end_pointer,
                     const model::Date& end) {
        if (end < start)
            files_.report_at(diag::Severity::error, "CY207", file_, document_, end_pointer,
                             "ends (" + model::format_iso(end) + ") before it starts (" + model::format_iso(start) +
                                 ", " + start_pointer + ")");
    }

private:
    SiteFiles& files_;
    const std::string& file_;
    const json::JsonDocument& document_;
};

std::optional<model::Site> site_from_json(SiteFiles& files, const json::JsonDocument& document) {
    const std::string file = "site.json";
    const Json& root = document.value;
    DateReader dates(files, file, document);
    model::Site site;
    const Json& board = root.at("board");
    site.board_name = text(board, "name");
    site.board_short_name = board.value("short_name", site.board_name);
    site.area = text(board, "area");
    site.established = dates.read("/board/established");
    site.authority = {text(root.at("authority"), "name"), text(root.at("authority"), "website")};
    site.pct = {text(root.at("pct"), "name"), text(root.at("pct"), "website")};

    std::set<std::string> partner_ids;
    const Json& partners = root.at("partners");
    for (std::size_t i = 0; i < partners.size(); ++i) {
        const Json& item = partners[i];
        const std::string pointer = "/partners/" + std::to_string(i);
        model::Partner partner{text(item, "id"), text(item, "name"), text(item, "kind"), text(item, "website"),
                               dates.read(pointer + "/joined"), std::nullopt};
        if (item.contains("left")) {
            partner.left = dates.read(pointer + "/left");
            dates.check_order(pointer + "/joined", partner.joined, pointer + "/left", *partner.left);
        }
        if (!partner_ids.insert(partner.id).second)
            files.report_at(diag::Severity::error, "CY205", file, document, pointer + "/id",
                            "partner id \"" + partner.id + "\" is used twice", "give each partner its own id");
        site.partners.push_back(std::move(partner));
    }

    const Json& websites = root.at("publication").at("websites");
    for (std::size_t i = 0; i < websites.size(); ++i) {
        const Json& item = websites[i];
        const std::string role = text(item, "role");
        model::PublicationWebsite website;
        website.role = role == "authority" ? model::WebsiteRole::authority
                       : role == "pct"     ? model::WebsiteRole::pct
                                           : model::WebsiteRole::partner;
        website.partner_id = text(item, "partner");
        website.url = text(item, "url");
        if (!website.partner_id.empty() && !partner_ids.count(website.partner_id))
            files.report_at(diag::Severity::error, "CY206", file, document,
                            "/publication/websites/" + std::to_string(i) + "/partner",
                            "no partner has the id \"" + website.partner_id + "\"",
                            "use the id of an entry in \"partners\"");
        site.websites.push_back(std::move(website));
    }
    for (const Json& item : root.at("publication").at("deposits"))
        site.deposits.push_back({text(item, "place"), text(item, "address"), item.at("copies").get<int>()});

    const Json& contact = root.at("contact");
    site.contact = {text(contact, "team"), text(contact, "email"), text(contact, "phone"), text(contact, "address")};
    site.source = {file, "", 1};
    site.accessibility_contact = text(root.at("accessibility"), "contact");
    site.accessibility_known_issues = strings(root.at("accessibility"), "known_issues");
    if (root.at("accessibility").contains("statement_prepared"))
        site.accessibility_statement_prepared = dates.read("/accessibility/statement_prepared");
    if (root.contains("child_reading") && root.at("child_reading").contains("max_grade"))
        site.child_reading_max_grade = root.at("child_reading").at("max_grade").get<double>();
    site.other_formats = text(root.at("accessibility"), "other_formats");
    return site;
}

model::Consent consent_from(const std::string& value) {
    if (value == "publish-with-name") return model::Consent::publish_with_name;
    if (value == "publish-anonymously") return model::Consent::publish_anonymously;
    return model::Consent::do_not_publish;  // absent consent means do not publish
}

void read_consultation(SiteFiles& files, const std::string& file, const json::JsonDocument& document,
                       model::Consultation& consultation) {
    const Json& root = document.value;
    DateReader dates(files, file, document);
    consultation.start = dates.read("/period/start");
    consultation.end = dates.read("/period/end");
    dates.check_order("/period/start", consultation.start, "/period/end", consultation.end);
    consultation.summary = text(root, "summary");
    consultation.short_period_reason = text(root, "short_period_reason");

    std::set<std::string> categories;
    const Json& consultees = root.at("consultees");
    for (std::size_t i = 0; i < consultees.size(); ++i) {
        const Json& item = consultees[i];
        const std::string pointer = "/consultees/" + std::to_string(i);
        model::ConsulteeRecord record;
        record.category = text(item, "category");
        record.status = text(item, "status") == "consulted" ? model::ConsulteeStatus::consulted
                                                            : model::ConsulteeStatus::not_applicable;
        record.reason = text(item, "reason");
        record.source = {file, pointer, json::locate(document, pointer).line};
        if (item.contains("bodies"))
            for (std::size_t b = 0; b < item.at("bodies").size(); ++b) {
                const Json& body = item.at("bodies")[b];
                record.bodies.push_back({text(body, "name"),
                                         dates.read(pointer + "/bodies/" + std::to_string(b) + "/date"),
                                         text(body, "method")});
            }
        if (!categories.insert(record.category).second)
            files.report_at(diag::Severity::error, "CY205", file, document, pointer + "/category",
                            "category " + record.category + " is recorded twice",
                            "keep one entry per category and list every body consulted in its \"bodies\"");
        consultation.consultees.push_back(std::move(record));
    }

    std::set<std::string> question_ids;
    const Json& questions = root.at("questions");
    for (std::size_t i = 0; i < questions.size(); ++i) {
        model::Question question{text(questions[i], "id"), text(questions[i], "text")};
        if (!question_ids.insert(question.id).second)
            files.report_at(diag::Severity::error, "CY205", file, document, "/questions/" + std::to_string(i) + "/id",
                            "question id \"" + question.id + "\" is used twice");
        consultation.questions.push_back(std::move(question));
    }

    if (root.contains("dissemination"))
        for (std::size_t i = 0; i < root.at("dissemination").size(); ++i) {
            const Json& item = root.at("dissemination")[i];
            consultation.dissemination.push_back(
                {text(item, "name"), dates.read("/dissemination/" + std::to_string(i) + "/sent"), text(item, "method")});
        }
    consultation.source = {file, "", 1};

    std::set<int> response_ids;
    const Json& responses = root.at("responses");
    for (std::size_t i = 0; i < responses.size(); ++i) {
        const Json& item = responses[i];
        const std::string pointer = "/responses/" + std::to_string(i);
        model::Response response;
        response.id = item.at("id").get<int>();
        response.category = text(item, "category");
        response.name = text(item, "name");
        response.organisation = text(item, "organisation");
        response.address = text(item, "address");
        response.consent = consent_from(text(item, "consent"));
        response.comment = text(item, "comment");
        response.themes = strings(item, "themes");
        for (const auto& [question, answer] : item.at("answers").items()) {
            if (!question_ids.count(question))
                files.report_at(diag::Severity::error, "CY206", file, document, pointer + "/answers/" + question,
                                "there is no question \"" + question + "\"", "use an id from \"questions\"");
            response.answers[question] = answer.get<std::string>();
        }
        if (!response_ids.insert(response.id).second)
            files.report_at(diag::Severity::error, "CY205", file, document, pointer + "/id",
                            "response id " + std::to_string(response.id) + " is used twice",
                            "number responses 1, 2, 3, ... once each");
        consultation.responses.push_back(std::move(response));
    }
}

// The child-friendly version is for children of about 10 to 12: say when a page reads
// harder than the Board's target.
void check_reading_level(SiteFiles& files, const MarkdownPages& pages, const model::Site& site, model::ChildPage& page) {
    const readability::Score score = readability::score_text(pages.text_of(page.page.source));
    page.reading = {score.words, score.reading_ease, score.grade};
    if (score.words == 0 || score.grade <= site.child_reading_max_grade) return;
    char numbers[64];
    std::snprintf(numbers, sizeof numbers, "%.1f (Flesch reading ease %.0f)", score.grade, score.reading_ease);
    char target[16];
    std::snprintf(target, sizeof target, "%.1f", site.child_reading_max_grade);
    files.diagnostics().warning("CY309", files.display(page.page.source), 0, 0,
                                std::string("reads at grade ") + numbers + ", above the target of grade " + target +
                                    " for the child-friendly version",
                                "use shorter sentences and everyday words; the target is child_reading.max_grade in site.json");
}

struct LoadedReview {
    model::Review review;
    std::shared_ptr<const json::JsonDocument> document;
};

LoadedReview read_review(SiteFiles& files, MarkdownPages& pages, const std::string& folder, const std::string& prefix,
                         const std::string& year) {
    LoadedReview loaded;
    const std::string review_folder = folder + "reviews/" + year + "/";
    const std::string file = review_folder + "review.json";
    loaded.document = files.read_json(file, "review.schema.json");
    if (!loaded.document) return loaded;
    const json::JsonDocument& document = *loaded.document;
    const Json& root = document.value;
    DateReader dates(files, file, document);
    model::Review& review = loaded.review;
    review.year = year;
    review.title = text(root, "title");
    review.covers_start = dates.read("/covers/start");
    review.covers_end = dates.read("/covers/end");
    dates.check_order("/covers/start", review.covers_start, "/covers/end", review.covers_end);
    review.published = dates.read("/published");
    review.summary = text(root, "summary");
    review.source = {file, "", 1};
    for (std::size_t i = 0; i < root.at("consulted").size(); ++i) {
        const Json& body = root.at("consulted")[i];
        review.consulted.push_back(
            {text(body, "name"), dates.read("/consulted/" + std::to_string(i) + "/date"), text(body, "method")});
    }
    const Json& revision = root.at("revision");
    review.revised = revision.at("revised").get<bool>();
    review.revision_reason = text(revision, "reason");
    if (revision.contains("republished")) review.republished = dates.read("/revision/republished");
    for (const Json& change : root.at("membership_changes"))
        review.membership_changes.push_back(
            {text(change, "partner"), text(change, "change"), text(change, "taken_into_account")});
    for (std::size_t i = 0; i < root.at("future_tasks").size(); ++i) {
        const Json& task = root.at("future_tasks")[i];
        review.future_tasks.push_back(
            {text(task, "task"), dates.read("/future_tasks/" + std::to_string(i) + "/due"), text(task, "lead")});
    }
    review.page.source = review_folder + "review.md";
    review.page.slug = year;
    review.page.title = review.title;
    if (!pages.add(review.page.source, model::review_path(prefix, year), {file, &document, ""}))
        loaded.document.reset();
    return loaded;
}

std::vector<model::IndicatorValue> indicator_values(const Json& values) {
    std::vector<model::IndicatorValue> result;
    for (const auto& [year, value] : values.items()) result.push_back({year, value.get<double>()});
    return result;  // nlohmann keeps object keys sorted, so years come in order
}

std::vector<model::Indicator> read_indicators(const Json& root) {
    std::vector<model::Indicator> indicators;
    for (const Json& item : root.at("indicators")) {
        model::Indicator indicator;
        indicator.id = text(item, "id");
        indicator.name = text(item, "name");
        indicator.unit = text(item, "unit");
        indicator.outcome = text(item, "outcome");
        indicator.better = text(item, "better") == "lower" ? model::Better::lower : model::Better::higher;
        indicator.baseline = {text(item.at("baseline"), "year"), item.at("baseline").at("value").get<double>()};
        indicator.targets = indicator_values(item.at("targets"));
        indicator.actuals = indicator_values(item.at("actuals"));
        indicator.source = text(item, "source");
        indicators.push_back(std::move(indicator));
    }
    return indicators;
}

// site.json breaks its schema, but the plans it names can still be checked, so that
// one run reports every file's problems.
void check_plans_of_invalid_site(SiteFiles& files, const Json& site) {
    if (!site.is_object() || !site.contains("plans") || !site.at("plans").is_array()) return;
    for (const Json& id : site.at("plans")) {
        if (!id.is_string()) continue;
        const std::string name = id.get<std::string>();
        if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-") != std::string::npos) continue;
        for (const char* kind : {"plan", "child", "consultation"})
            files.read_json_file("plans/" + name + "/" + kind + ".json", std::string(kind) + ".schema.json");
    }
}

}  // namespace

unsigned load_threads(const Limits& limits) {
    return limits.pool ? limits.pool->jobs() : limits.jobs ? limits.jobs : std::max(1u, std::thread::hardware_concurrency());
}

std::optional<model::Site> load_site(const std::filesystem::path& site_dir, const Limits& limits,
                                     diag::Diagnostics& diagnostics) {
    fs::DiskSource disk(site_dir);
    return load_site(disk, site_dir, limits, diagnostics);
}

std::optional<model::Site> load_site(const fs::SiteSource& source, const std::filesystem::path& display_root,
                                     const Limits& limits, diag::Diagnostics& diagnostics, MarkdownCache* cache) {
    SiteFiles files(source, display_root, limits, diagnostics);
    auto site_file = files.read_json_file("site.json", "site.schema.json");
    if (!site_file.document) return std::nullopt;
    if (!site_file.valid) {
        check_plans_of_invalid_site(files, site_file.document->value);
        return std::nullopt;
    }
    const json::JsonDocument* site_document = &*site_file.document;
    auto site = site_from_json(files, *site_document);
    if (!site) return std::nullopt;
    site->catalogue = load_catalogue();

    MarkdownPages pages(files, cache);
    const Json& plan_ids = site_document->value.at("plans");
    struct PlanDocuments {
        std::string folder;
        std::shared_ptr<const json::JsonDocument> child;
        std::shared_ptr<const json::JsonDocument> consultation;
        std::vector<std::shared_ptr<const json::JsonDocument>> reviews;
    };
    std::vector<PlanDocuments> documents;
    bool complete = true;
    for (std::size_t p = 0; p < plan_ids.size(); ++p) {
        const std::string id = plan_ids[p].get<std::string>();
        const std::string folder = "plans/" + id + "/";
        const std::string prefix = model::plan_prefix(id, p + 1 == plan_ids.size());
        // Only a load that spreads its work over threads anyway reads ahead. Up to 16 MiB:
        // a 10,000-chapter plan's JSON is read and checked in the time it takes to read
        // some 5,000 pages.
        std::optional<ReadAhead> read_ahead;
        if (limits.read_ahead && source.reads_in_parallel() && load_threads(limits) > 1)
            read_ahead.emplace(source, [&source, folder] { return likely_chapter_files(source, folder); },
                               limits.max_markdown_bytes, 16u << 20);
        auto plan_document = files.read_json(folder + "plan.json", "plan.schema.json");
        PlanDocuments plan_documents{folder, files.read_json(folder + "child.json", "child.schema.json"),
                                     files.read_json(folder + "consultation.json", "consultation.schema.json"), {}};
        if (!plan_document || !plan_documents.child || !plan_documents.consultation) {
            complete = false;
            continue;
        }
        const Json& root = plan_document->value;
        const std::string plan_file = folder + "plan.json";
        DateReader dates(files, plan_file, *plan_document);
        model::Plan plan;
        plan.id = id;
        plan.title = text(root, "title");
        plan.start = dates.read("/period/start");
        plan.end = dates.read("/period/end");
        dates.check_order("/period/start", plan.start, "/period/end", plan.end);
        plan.published = dates.read("/published");
        plan.summary = text(root, "summary");
        plan.source = {plan_file, "", 1};

        // A plan's chapters and child pages are most of a site's Markdown: prepared together,
        // on every core (nothing else is reported between them).
        std::vector<MarkdownPages::Request> page_requests;
        const Json& chapters = root.at("chapters");
        page_requests.reserve(chapters.size() + plan_documents.child->value.at("pages").size());
        plan.chapters.reserve(chapters.size());
        for (std::size_t c = 0; c < chapters.size(); ++c) {
            const Json& item = chapters[c];
            const std::string pointer = "/chapters/" + std::to_string(c);
            model::Chapter chapter;
            chapter.page.source = folder + text(item, "file");
            chapter.page.slug = file_stem(chapter.page.source);
            chapter.page.title = text(item, "title");
            chapter.outcomes = strings(item, "outcomes");
            chapter.matters = strings(item, "matters");
            chapter.guidance = strings(item, "guidance");
            chapter.needs_assessment = item.value("needs_assessment", false);
            if (item.contains("takes_into_account"))
                for (const Json& reference : item.at("takes_into_account"))
                    chapter.takes_into_account.push_back(
                        {text(reference, "report"), text(reference, "for"), text(reference, "url")});
            chapter.metadata = {plan_file, pointer, json::locate(*plan_document, pointer).line};
            page_requests.push_back({chapter.page.source, model::chapter_path(prefix, chapter.page.slug),
                                     {plan_file, nullptr, pointer + "/file", json::locate(*plan_document, pointer + "/file")}});
            plan.chapters.push_back(std::move(chapter));
        }

        const Json& child_root = plan_documents.child->value;
        plan.child.title = text(child_root, "title");
        plan.child.introduction = text(child_root, "introduction");
        const Json& child_pages = child_root.at("pages");
        for (std::size_t c = 0; c < child_pages.size(); ++c) {
            const Json& item = child_pages[c];
            model::ChildPage page;
            page.page.source = folder + text(item, "file");
            page.page.slug = file_stem(page.page.source);
            page.page.title = text(item, "title");
            page_requests.push_back({page.page.source, model::child_page_path(prefix, page.page.slug),
                                     {folder + "child.json", &*plan_documents.child, "/pages/" + std::to_string(c) + "/file"},
                                     MarkdownPages::PlainText::keep});
            plan.child.pages.push_back(std::move(page));
        }
        // All of plan.json is read now: its document (large for a long plan) is let go
        // before the pages are prepared, which is when a build holds the most.
        std::vector<std::string> review_years;
        if (root.contains("reviews"))
            for (const Json& year : root.at("reviews")) review_years.push_back(year.get<std::string>());
        plan_document.reset();
        if (read_ahead) read_ahead->finish();
        pages.take_reads_from(read_ahead ? &*read_ahead : nullptr);
        if (!pages.add_all(page_requests)) complete = false;
        pages.take_reads_from(nullptr);
        read_ahead.reset();  // the texts no page asked for
        for (const Json& item : child_root.at("services"))
            plan.child.services.push_back({text(item, "name"), text(item, "what"), text(item, "who_for"),
                                           text(item, "how_to_reach"), text(item, "website"),
                                           strings(item, "outcomes")});

        read_consultation(files, folder + "consultation.json", *plan_documents.consultation, plan.consultation);
        for (const std::string& year : review_years) {
            auto review = read_review(files, pages, folder, prefix, year);
            if (!review.document) {
                complete = false;
                continue;
            }
            plan.reviews.push_back(std::move(review.review));
            plan_documents.reviews.push_back(std::move(review.document));
        }
        if (files.exists(folder + "indicators.json")) {
            auto indicators = files.read_json(folder + "indicators.json", "indicators.schema.json");
            if (indicators) plan.indicators = read_indicators(indicators->value);
            else complete = false;
        }
        documents.push_back(std::move(plan_documents));
        site->plans.push_back(std::move(plan));
    }
    if (!complete || site->plans.empty()) return std::nullopt;

    // Every page is known now, so links between them can be checked and rendered.
    for (model::Plan& plan : site->plans) {
        std::vector<model::Page*> chapter_pages;
        chapter_pages.reserve(plan.chapters.size());
        for (model::Chapter& chapter : plan.chapters) chapter_pages.push_back(&chapter.page);
        pages.render_all(chapter_pages);
        for (model::ChildPage& page : plan.child.pages) {
            pages.render(page.page);
            check_reading_level(files, pages, *site, page);
        }
        for (model::Review& review : plan.reviews) pages.render(review.page);
    }
    for (std::size_t p = 0; p < site->plans.size(); ++p) {
        model::Plan& plan = site->plans[p];
        const PlanDocuments& plan_documents = documents[p];
        const std::string child_file = plan_documents.folder + "child.json";
        const Json& child_pages = plan_documents.child->value.at("pages");
        for (std::size_t c = 0; c < plan.child.pages.size(); ++c) {
            auto target = pages.resolve_reference(plan_documents.folder, text(child_pages[c], "explains"),
                                                  {child_file, &*plan_documents.child,
                                                   "/pages/" + std::to_string(c) + "/explains"});
            plan.child.pages[c].explains_chapter = target.slug;
            plan.child.pages[c].explains_anchor = target.anchor;
        }
        const std::string consultation_file = plan_documents.folder + "consultation.json";
        const Json& entries = plan_documents.consultation->value.at("you_said_we_did");
        for (std::size_t e = 0; e < entries.size(); ++e) {
            const Json& item = entries[e];
            model::YouSaidWeDid entry{text(item, "theme"), text(item, "you_said"), text(item, "we_did"), {}};
            const Json& changed = item.at("changed");
            for (std::size_t k = 0; k < changed.size(); ++k) {
                auto target = pages.resolve_reference(
                    plan_documents.folder, changed[k].get<std::string>(),
                    {consultation_file, &*plan_documents.consultation,
                     "/you_said_we_did/" + std::to_string(e) + "/changed/" + std::to_string(k)});
                if (!target.slug.empty()) entry.changed.push_back({target.slug, target.anchor, target.label});
            }
            plan.consultation.you_said_we_did.push_back(std::move(entry));
        }
        for (std::size_t r = 0; r < plan.reviews.size(); ++r) {
            model::Review& review = plan.reviews[r];
            const json::JsonDocument& document = *plan_documents.reviews[r];
            const Json& revision = document.value.at("revision");
            if (!revision.contains("chapters")) continue;
            for (std::size_t k = 0; k < revision.at("chapters").size(); ++k) {
                auto target = pages.resolve_reference(plan_documents.folder, revision.at("chapters")[k].get<std::string>(),
                                                      {review.source.file, &document,
                                                       "/revision/chapters/" + std::to_string(k)});
                if (!target.slug.empty()) review.revised_chapters.push_back({target.slug, target.anchor, target.label});
            }
        }
    }
    site->linked_files = pages.linked_files();
    return site;
}

}  // namespace cypp::load
