// model: the site as plain data, built once by the load stage and only read after.
// No library types here: renderers and rule checks see typed structs, not JSON.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/date.h"

namespace cypp::model {

struct SourceRef {  // where a fact came from, for diagnostics and evidence links
    std::string file;
    std::string pointer;
    int line = 0;
};

struct Organisation {
    std::string name;
    std::string website;
};

struct Partner {
    std::string id;
    std::string name;
    std::string kind;
    std::string website;
    Date joined;
    std::optional<Date> left;
};

enum class WebsiteRole { authority, pct, partner };

struct PublicationWebsite {
    WebsiteRole role = WebsiteRole::authority;
    std::string partner_id;
    std::string url;
};

struct Deposit {
    std::string place;
    std::string address;
    int copies = 0;
};

struct Contact {
    std::string team;
    std::string email;
    std::string phone;
    std::string address;
};

// Catalogue entries shipped in content/ (outcomes, regulation-4 matters, regulation-7
// consultee and respondent categories).
struct CatalogueEntry {
    std::string id;
    std::string title;
    std::string detail;      // outcomes: the statutory wording; consultees: "must" or "appropriate"
    std::string child_name;  // outcomes only: the words used in the child-friendly version
};

struct Catalogue {
    std::vector<CatalogueEntry> outcomes;
    std::vector<CatalogueEntry> matters;
    std::vector<CatalogueEntry> consultee_categories;
    std::vector<CatalogueEntry> respondent_categories;
    const CatalogueEntry* find(const std::vector<CatalogueEntry>& list, const std::string& id) const;
};

struct TocEntry {
    int level = 2;
    std::string text;
    std::string id;
};

// A rendered Markdown page of the full plan or the child-friendly version.
struct Page {
    std::string source;   // site-relative path of the Markdown file
    std::string slug;     // URL segment, from the file name
    std::string title;
    std::string body_html;
    std::vector<TocEntry> toc;
};

struct ReportReference {
    std::string report;
    std::string for_matter;
    std::string url;
};

struct Chapter {
    Page page;
    std::vector<std::string> outcomes;  // O1..O5
    std::vector<std::string> matters;   // R4.*
    std::vector<std::string> guidance;  // "resourcing", "alignment"
    bool needs_assessment = false;
    std::vector<ReportReference> takes_into_account;
    SourceRef metadata;
};

struct ReadingLevel {
    int words = 0;
    double reading_ease = 0;  // Flesch reading ease
    double grade = 0;         // Flesch-Kincaid grade
};

struct ChildPage {
    Page page;
    ReadingLevel reading;
    std::string explains_chapter;  // slug of the chapter
    std::string explains_anchor;   // heading id in it, may be empty
};

struct Service {
    std::string name;
    std::string what;
    std::string who_for;
    std::string how_to_reach;
    std::string website;
    std::vector<std::string> outcomes;
};

struct ChildEdition {
    std::string title;
    std::string introduction;
    std::vector<ChildPage> pages;
    std::vector<Service> services;
};

enum class ConsulteeStatus { consulted, not_applicable };

struct ConsultedBody {
    std::string name;
    Date date;
    std::string method;
};

struct ConsulteeRecord {
    std::string category;  // R7.a .. R7.p
    ConsulteeStatus status = ConsulteeStatus::consulted;
    std::string reason;
    std::vector<ConsultedBody> bodies;
    SourceRef source;
};

struct Question {
    std::string id;
    std::string text;
};

enum class Consent { publish_with_name, publish_anonymously, do_not_publish };

struct Response {
    int id = 0;
    std::string category;
    std::string name;
    std::string organisation;
    std::string address;
    Consent consent = Consent::do_not_publish;
    std::map<std::string, std::string> answers;  // question id -> yes | no | not-sure
    std::string comment;
    std::vector<std::string> themes;
};

struct ChangeLink {
    std::string chapter;  // slug
    std::string anchor;
    std::string label;    // chapter title, and heading text when anchored
};

struct YouSaidWeDid {
    std::string theme;
    std::string you_said;
    std::string we_did;
    std::vector<ChangeLink> changed;
};

struct Dissemination {
    std::string name;
    Date sent;
    std::string method;
};

struct Consultation {
    Date start;
    Date end;
    std::string summary;
    std::string short_period_reason;
    std::vector<ConsulteeRecord> consultees;
    std::vector<Question> questions;
    std::vector<Response> responses;
    std::vector<YouSaidWeDid> you_said_we_did;
    std::vector<Dissemination> dissemination;
    SourceRef source;
};

// A performance indicator of the plan; years are plan years such as "2011-12".
struct IndicatorValue {
    std::string year;
    double value = 0;
};

enum class Better { higher, lower };

struct Indicator {
    std::string id;
    std::string name;
    std::string unit;     // percent | number | rate-per-10000 | days
    std::string outcome;  // O1..O5
    Better better = Better::higher;
    IndicatorValue baseline;
    std::vector<IndicatorValue> targets;  // sorted by year
    std::vector<IndicatorValue> actuals;  // sorted by year
    std::string source;
};

struct MembershipChangeNote {
    std::string partner_id;
    std::string change;  // joined | left
    std::string taken_into_account;
};

struct FutureTask {
    std::string task;
    Date due;
    std::string lead;
};

// An annual review (regulation 8) of one plan year.
struct Review {
    std::string year;  // "2011-12": also its folder name and URL segment
    std::string title;
    Date covers_start;
    Date covers_end;
    Date published;
    std::string summary;
    std::vector<ConsultedBody> consulted;
    bool revised = false;
    std::string revision_reason;
    std::vector<ChangeLink> revised_chapters;
    std::optional<Date> republished;
    std::vector<MembershipChangeNote> membership_changes;
    std::vector<FutureTask> future_tasks;
    Page page;  // review.md
    SourceRef source;
};

struct Plan {
    std::string id;  // folder name under plans/
    std::string title;
    Date start;
    Date end;
    Date published;
    std::string summary;
    std::vector<Chapter> chapters;
    ChildEdition child;
    Consultation consultation;
    std::vector<Review> reviews;        // oldest first
    std::vector<Indicator> indicators;  // from indicators.json, may be empty
    SourceRef source;                   // plan.json
};

struct Site {
    std::string board_name;
    std::string board_short_name;
    std::string area;
    Date established;
    Organisation authority;
    Organisation pct;
    std::vector<Partner> partners;
    std::vector<PublicationWebsite> websites;
    std::vector<Deposit> deposits;
    SourceRef source;  // site.json
    Contact contact;
    std::string accessibility_contact;
    double child_reading_max_grade = 7.0;
    std::string other_formats;
    std::vector<std::string> accessibility_known_issues;
    std::optional<Date> accessibility_statement_prepared;
    std::vector<Plan> plans;  // oldest first; the last is the current plan
    Catalogue catalogue;
    // Local files (images, documents) the Markdown links to, site-relative; copied as is.
    std::vector<std::string> linked_files;

    const Plan& current_plan() const { return plans.back(); }
};

}  // namespace cypp::model

namespace cypp::model {

// The one place that decides how a respondent may be named in any output: by name
// (and organisation) with consent to publish with name, "Respondent <id>" with consent
// to publish anonymously, and nothing at all otherwise (absent consent = do not publish).
std::optional<std::string> public_label(const Response& response);

}  // namespace cypp::model

namespace cypp::model {

// Plan years: consecutive twelve-month periods from the start of the plan period, the
// years regulation 8 reviews; the last may be shorter.
struct PlanYear {
    std::string label;  // "2011-12"
    Date start;
    Date end;
};
std::vector<PlanYear> plan_years(const Plan& plan);

struct MembershipChange {
    std::string partner_id;
    std::string partner_name;
    std::string change;  // joined | left
    Date date;
};
// Board partners that joined or left after `after`, up to and including `until` (R8.3).
std::vector<MembershipChange> membership_changes(const Site& site, const Date& after, const Date& until);

// Confidentiality is retroactive: an archived version is published under today's
// consent. Each response of old_site takes the consent its counterpart (same plan, same
// id) has in current, and the stricter of the two; a response no longer in the current
// record is not published at all.
void apply_current_consent(Site& old_site, const Site& current);
// Names, organisations and addresses that current may not publish, longest first.
std::vector<std::string> withheld_details(const Site& current);
// Replaces every withheld detail in text with "[withheld]".
std::string scrub(std::string text, const std::vector<std::string>& withheld);
// Every form a withheld detail can take in output: as written, and HTML-escaped as
// cmark, html::escape and mustache escape it. first: the form; second: the detail.
std::vector<std::pair<std::string, std::string>> withheld_forms(const std::vector<std::string>& withheld);
// The detail of the first form that text holds, also when a line break or any other
// run of white space stands where the form has a space (Markdown wrapped across
// lines); null when there is none.
const std::string* find_withheld(std::string_view text, const std::vector<std::pair<std::string, std::string>>& forms);

// find_withheld over a text that arrives in pieces (a file written piece by piece): a
// form split across pieces is found too.
class WithheldFinder {
public:
    explicit WithheldFinder(const std::vector<std::pair<std::string, std::string>>& forms);
    // Starts a new text.
    void start();
    // The detail found in the text so far (null while there is none).
    const std::string* look_at(std::string_view piece);

private:
    const std::vector<std::pair<std::string, std::string>>& forms_;
    std::size_t longest_form_ = 0;
    const std::string* found_ = nullptr;
    std::string carried_;  // the end of the text so far that a form could be completing
};

}  // namespace cypp::model
