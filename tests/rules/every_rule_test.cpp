// The key test: for every rule that can fail, one minimal edit of a valid fixture that
// breaks exactly that rule. Each row must produce that rule id as a diagnostic with the
// expected severity, no other diagnostic at all, and leave every other rule's status as
// it was on the unedited fixture. A rule added to content/rules.json without a row here
// (or in the short list of rules that cannot fail) makes this test fail.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "rules_helper.h"

using namespace cypp;
using namespace rules_test;

namespace {

constexpr auto error = diag::Severity::error;
constexpr auto warning = diag::Severity::warning;

const std::string site_json = "site.json";
const std::string plan_json = "plans/2011-2014/plan.json";
const std::string consultation_json = "plans/2011-2014/consultation.json";
const std::string review_json = "plans/2011-2014/reviews/2011-12/review.json";

struct Break {
    std::string rule;
    std::string fixture;
    std::string file;  // empty: no file edit, `mutate` edits the model instead
    std::string from;
    std::string to;
    std::string today;
    diag::Severity severity;
    Mutation mutate = {};
};

// Rules that no input can break: R3 (a loaded site always has a plan), R6.b (other
// partners' websites "as the Board considers appropriate": only met or not applicable)
// and R7.2 (earlier consultation counts: only evidence).
const std::vector<std::string> cannot_fail = {"R3", "R6.b", "R7.2"};

std::string consultee_entry(char letter) {
    const std::string id = std::string("R7.") + letter;
    if (letter == 'm')
        return "{\"category\": \"R7.m\", \"status\": \"not-applicable\", \"reason\": \"There are no independent specialist "
               "colleges in Testshire.\"}";
    const std::string body = letter == 'a' ? std::string("Testshire Fire Service")
                                           : "Testshire consultee " + std::string(1, char(letter - 'a' + 'A'));
    return "{\"category\": \"" + id + "\", \"status\": \"consulted\", \"bodies\": [{\"name\": \"" + body +
           "\", \"date\": \"2010-10-10\", \"method\": \"meeting\"}]}";
}

std::vector<Break> regulation_breaks() {
    const std::string m = "minimal", r = "reviewed", t = "two-plans";
    const std::string m_today = "2011-06-01", r_today = "2012-07-01", t_today = "2014-06-01";
    std::vector<Break> rows = {
        // Regulation 4: every matter, by taking it out of the chapter that deals with it.
        {"R4.0", m, plan_json, R"(["R4.0", "R4.2.a")", R"(["R4.2.a")", m_today, error},
        {"R4.1.a", m, plan_json, R"(["R4.1.a", "R4.1.b.i")", R"(["R4.1.b.i")", m_today, error},
        {"R4.1.a", m, plan_json, R"("needs_assessment": true, )", "", m_today, error},
        {"R4.1.a", m, plan_json, R"("O4", "O5"], "matters": ["R4.1.a")", R"("O4"], "matters": ["R4.1.a")", m_today, error},
        {"R4.1.b.i", m, plan_json, R"("R4.1.b.i", "R4.1.b.ii")", R"("R4.1.b.ii")", m_today, error},
        {"R4.1.b.ii", m, plan_json, R"("R4.1.b.ii", "R4.1.b.iii")", R"("R4.1.b.iii")", m_today, error},
        {"R4.1.b.iii", m, plan_json, R"("R4.1.b.iii", "R4.2.e")", R"("R4.2.e")", m_today, error},
        {"R4.2.a", m, plan_json, R"("R4.2.a", "R4.2.b")", R"("R4.2.b")", m_today, error},
        {"R4.2.b", m, plan_json, R"("R4.2.b", "R4.2.c")", R"("R4.2.c")", m_today, error},
        {"R4.2.c", m, plan_json, R"("R4.2.c", "R4.2.d")", R"("R4.2.d")", m_today, error},
        {"R4.2.d", m, plan_json, R"("R4.2.d", "R4.2.g")", R"("R4.2.g")", m_today, error},
        {"R4.2.e", m, plan_json, R"("R4.2.e", "R4.2.f")", R"("R4.2.f")", m_today, error},
        {"R4.2.e", m, plan_json, R"({"report": "Behaviour and attendance partnership reports 2010", "for": "R4.2.e"}, )", "",
         m_today, error},
        {"R4.2.f", m, plan_json, R"("R4.2.e", "R4.2.f"])", R"("R4.2.e"])", m_today, error},
        {"R4.2.f", m, plan_json, R"(, {"report": "LSCB annual report 2009-10", "for": "R4.2.f"})", "", m_today, error},
        {"R4.2.g", m, plan_json, R"("R4.2.g", "R4.2.h")", R"("R4.2.h")", m_today, error},
        {"R4.2.h", m, plan_json, R"("R4.2.g", "R4.2.h"])", R"("R4.2.g"])", m_today, error},
        {"R4.resourcing", m, plan_json, R"("guidance": ["resourcing", "alignment"])", R"("guidance": ["alignment"])", m_today,
         warning},
        {"R4.alignment", m, plan_json, R"("guidance": ["resourcing", "alignment"])", R"("guidance": ["resourcing"])", m_today,
         warning},

        // Regulation 5.
        {"R5.first", m, plan_json, R"("published": "2011-03-25")", R"("published": "2011-04-02")", m_today, error},
        {"R5.next", t, "plans/2014-2017/plan.json", R"("published": "2014-04-20")", R"("published": "2014-05-13")", t_today,
         error},
        // The current plan now ends on 19 May 2012: the next was due by 30 June 2012.
        {"R5.next", r, plan_json, R"("end": "2014-03-31")", R"("end": "2012-05-19")", r_today, error},

        // Regulation 6 and guidance 8.44-8.45.
        {"R6.a", m, site_json, R"({"role": "pct", )", R"({"role": "authority", )", m_today, error},
        {"R6.a", m, site_json, R"({"role": "authority", )", R"({"role": "pct", )", m_today, error},
        {"R6.c", m, site_json, R"("deposits": [{"place": "Central Library", "address": "1 High Street, Testtown", "copies": 5}])",
         R"("deposits": [])", m_today, error},
        // The schema requires at least one service, so only the model can lack them.
        {"R6.child", m, "", "", "", m_today, warning, [](model::Site& site) { site.plans.back().child.services.clear(); }},
        {"R6.send", m, consultation_json, R"({"name": "Testshire consultee B", "sent": "2011-03-25", "method": "email"},)", "",
         m_today, warning},

        // Code of Practice: 83 days is less than 12 weeks.
        {"R7.weeks", m, consultation_json, R"("start": "2010-10-04")", R"("start": "2010-10-16")", m_today, warning},

        // Regulation 8, on the reviewed fixture.
        {"R8.0", r, review_json, R"("covers": {"start": "2011-04-01")", R"("covers": {"start": "2011-04-02")", r_today, error},
        {"R8.1", r, review_json, R"({"name": "Testshire Youth Council", "date": "2012-05-10", "method": "workshop"})", "",
         r_today, error},
        {"R8.2", r, review_json, R"("republished": "2012-06-25")", R"("republished": "2012-06-19")", r_today, warning},
        {"R8.3", r, review_json,
         R"({"partner": "youth-trust", "change": "joined", "taken_into_account": "The introduction now names the Youth Trust as lead for youth work."})",
         "", r_today, error},
        {"R8.3", r, review_json, R"(lead for youth work."})",
         R"(lead for youth work."}, {"partner": "pct", "change": "left", "taken_into_account": "NHS Testshire left."})", r_today,
         warning},
        // The partner now joins after the review was published: the review's note is about
        // a change that had not happened.
        {"R8.3", r, site_json, R"("joined": "2011-10-01")", R"("joined": "2012-06-21")", r_today, warning},
    };
    // Regulation 7: take each category out of the consultation record. "Must" categories
    // are errors; those the Board consults "as it considers appropriate" are warnings.
    const std::string must = "abefhjklm";
    for (char letter = 'a'; letter <= 'p'; ++letter) {
        const std::string entry = consultee_entry(letter);
        const auto severity = must.find(letter) != std::string::npos ? error : warning;
        if (letter == 'p')  // the last entry: take the comma before it instead
            rows.push_back({std::string("R7.") + letter, m, consultation_json, ",\n    " + entry, "", m_today, severity});
        else
            rows.push_back({std::string("R7.") + letter, m, consultation_json, entry + ",", "", m_today, severity});
    }
    return rows;
}

// Guidance rules that the engine reports as errors although content/rules.json gives
// them "kind": "guidance" (errors are for regulation duties, warnings for guidance).
std::vector<Break> guidance_breaks() {
    return {
        // A "you said, we did" theme without an answer: Code of Practice, guidance.
        {"R7.feedback", "minimal", consultation_json, R"("comment": "Not enough play areas.")",
         R"("comment": "Not enough play areas.", "themes": ["play"])", "2011-06-01", warning},
        // No child-friendly pages: guidance 8.45 (the schema needs one page, so edit the model).
        {"R6.child", "minimal", "", "", "", "2011-06-01", warning,
         [](model::Site& site) { site.plans.back().child.pages.clear(); }},
    };
}

const Checked& baseline(const std::string& fixture, const std::string& today) {
    static std::map<std::pair<std::string, std::string>, Checked> cache;
    auto found = cache.find({fixture, today});
    if (found == cache.end()) found = cache.emplace(std::make_pair(fixture, today), check_fixture(fixture, date(today))).first;
    return found->second;
}

void check_break(const Break& row) {
    const Checked& before = baseline(row.fixture, row.today);
    {
        INFO("the unedited " << row.fixture << " fixture on " << row.today << ":\n" << before.describe());
        REQUIRE(before.diagnostics.all().empty());
    }
    TempSite site(row.fixture);
    if (!row.file.empty()) site.edit(row.file, row.from, row.to);
    const Checked after = check(site.folder(), date(row.today), row.mutate);
    INFO(after.describe());

    // (a) the rule is reported, with the expected severity, (b) and nothing else is.
    REQUIRE(after.has(row.rule));
    for (const diag::Diagnostic& d : after.diagnostics.all()) {
        CHECK(d.code == row.rule);
        CHECK(severity_name(d.severity) == std::string(severity_name(row.severity)));
    }
    // (c) its status changes; every other rule's stays as it was.
    const auto expected = row.severity == error ? rules::Status::not_met : rules::Status::warning;
    CHECK(rules::status_name(after.status(row.rule)) == std::string(rules::status_name(expected)));
    REQUIRE(after.report.rules.size() == before.report.rules.size());
    for (std::size_t i = 0; i < after.report.rules.size(); ++i) {
        const rules::RuleResult& rule = after.report.rules[i];
        if (rule.id == row.rule) continue;
        INFO("rule " << rule.id);
        CHECK(rules::status_name(rule.status) == std::string(rules::status_name(before.report.rules[i].status)));
    }
}

std::string row_name(const Break& row) {
    std::string name = row.rule + " (" + row.fixture + ", " + row.today + "): ";
    name += row.file.empty() ? std::string("model edit") : row.file + ": " + row.from.substr(0, 60);
    return name;
}

}  // namespace

TEST_CASE("one edit breaks exactly one rule, for every rule that can fail", "[rules][every-rule]") {
    const auto rows = regulation_breaks();
    for (std::size_t i = 0; i < rows.size(); ++i)
        DYNAMIC_SECTION("row " << i << ": " << row_name(rows[i])) { check_break(rows[i]); }
}

TEST_CASE("guidance rules are reported as warnings, not errors", "[rules][every-rule]") {
    const auto rows = guidance_breaks();
    for (std::size_t i = 0; i < rows.size(); ++i)
        DYNAMIC_SECTION("row " << i << ": " << row_name(rows[i])) { check_break(rows[i]); }
}

TEST_CASE("every rule in content/rules.json is tested or listed as one that cannot fail", "[rules][every-rule]") {
    std::set<std::string> covered(cannot_fail.begin(), cannot_fail.end());
    for (const Break& row : regulation_breaks()) covered.insert(row.rule);
    for (const Break& row : guidance_breaks()) covered.insert(row.rule);
    const auto ids = catalogue_ids();
    for (const std::string& id : ids) {
        INFO("rule " << id << " has no breaking edit in every_rule_test.cpp");
        CHECK(covered.count(id) == 1);
    }
    for (const std::string& id : covered) {
        INFO("the tests name " << id << ", which is not in content/rules.json");
        CHECK(std::find(ids.begin(), ids.end(), id) != ids.end());
    }
    REQUIRE(ids.size() == 46);
}

TEST_CASE("the rules that cannot fail keep met or not-applicable", "[rules][every-rule]") {
    // R6.b: not applicable without a partner website, met with one.
    CHECK(baseline("minimal", "2011-06-01").status("R6.b") == rules::Status::not_applicable);
    TempSite site("minimal");
    site.edit(site_json, R"({"role": "pct", "url": "https://www.testshire-pct.example/cypp"})",
              R"({"role": "pct", "url": "https://www.testshire-pct.example/cypp"},
      {"role": "partner", "partner": "council", "url": "https://www.testshire.example/partners/cypp"})");
    const Checked with_partner = check(site.folder(), date("2011-06-01"));
    INFO(with_partner.describe());
    CHECK(with_partner.diagnostics.all().empty());
    CHECK(with_partner.status("R6.b") == rules::Status::met);
    CHECK(with_partner.report.find("R6.b")->evidence.size() == 1);

    // R7.2: not applicable when all consultation came after 1 April 2010, met (with
    // evidence) when some came before.
    CHECK(baseline("minimal", "2011-06-01").status("R7.2") == rules::Status::not_applicable);
    TempSite earlier("minimal");
    earlier.edit(consultation_json, R"("Testshire Fire Service", "date": "2010-10-10")",
                 R"("Testshire Fire Service", "date": "2010-03-31")");
    const Checked with_earlier = check(earlier.folder(), date("2011-06-01"));
    CHECK(with_earlier.diagnostics.all().empty());
    CHECK(with_earlier.status("R7.2") == rules::Status::met);
    CHECK(with_earlier.report.find("R7.2")->evidence.size() == 1);

    // R3: always met, with the plan as evidence.
    CHECK(baseline("minimal", "2011-06-01").status("R3") == rules::Status::met);
    CHECK(baseline("minimal", "2011-06-01").report.find("R3")->evidence.size() == 1);
}
