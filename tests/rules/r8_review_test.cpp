// Regulation 8: annual review, consultation during it, revision and republication, and
// changes in Board membership.
#include <catch2/catch.hpp>

#include <fstream>

#include "rules/findings.h"
#include "rules_helper.h"

using namespace cypp;
using namespace rules_test;

namespace {

const std::string plan_json = "plans/2011-2014/plan.json";
const std::string review_json = "plans/2011-2014/reviews/2011-12/review.json";

// Adds a second review (2012-13, no revision, no membership change) to a reviewed site.
void add_second_review(TempSite& site) {
    const stdfs::path folder = site.folder() / "plans/2011-2014/reviews/2012-13";
    stdfs::create_directories(folder);
    std::ofstream(folder / "review.json") << R"({
  "$schema": "../../../../../../../schemas/review.schema.json",
  "title": "Annual review 2012-13",
  "covers": {"start": "2012-04-01", "end": "2013-03-31"},
  "published": "2013-06-18",
  "summary": "The second year of the plan.",
  "consulted": [{"name": "Testshire Youth Council", "date": "2013-05-09", "method": "meeting"}],
  "revision": {"revised": false, "reason": "The plan still matches the needs we see."},
  "membership_changes": [],
  "future_tasks": [{"task": "Prepare the next plan", "due": "2014-03-31", "lead": "Testshire Children's Trust Board"}]
}
)";
    std::ofstream(folder / "review.md") << "## About this review\n\nThe second year went well.\n";
    site.edit(plan_json, R"("reviews": ["2011-12"])", R"("reviews": ["2011-12", "2012-13"])");
}

std::vector<const rules::Deadline*> deadlines_for(const Checked& checked, const std::string& rule) {
    std::vector<const rules::Deadline*> result;
    for (const rules::Deadline& deadline : checked.report.deadlines)
        if (deadline.rule == rule) result.push_back(&deadline);
    return result;
}

}  // namespace

TEST_CASE("R8.0: a plan year needs its review once the year has ended", "[rules][r8]") {
    SECTION("31 March 2012: the first year has not ended") {
        const Checked checked = check_fixture("minimal", date("2012-03-31"));
        INFO(checked.describe());
        CHECK(checked.diagnostics.all().empty());
        CHECK(checked.status("R8.0") == rules::Status::met);
        auto deadlines = deadlines_for(checked, "R8.0");
        REQUIRE(deadlines.size() == 2);  // years 1 and 2; year 3 is when the next plan is prepared
        CHECK(deadlines[0]->what == "Review plan year 2011-12");
        CHECK(deadlines[0]->due == date("2012-03-31"));
        CHECK(deadlines[0]->state == rules::DeadlineState::due);
        // The compliance page says why the rule is met with no review to show.
        CHECK(checked.report.find("R8.0")->messages ==
              std::vector<std::string>{"the review of plan year 2011-12 is due by 31 March 2012",
                                       "the review of plan year 2012-13 is due by 31 March 2013"});
        CHECK(checked.report.find("R8.0")->evidence.empty());
    }
    SECTION("1 April 2012: the first year has ended without a review") {
        const Checked checked = check_fixture("minimal", date("2012-04-01"));
        INFO(checked.describe());
        REQUIRE(checked.codes() == std::vector<std::string>{"R8.0 error"});
        const diag::Diagnostic& d = checked.diagnostics.all()[0];
        CHECK(d.file == plan_json);
        CHECK(d.pointer == "/reviews");
        CHECK(d.message == "plan year 2011-12 ended on 31 March 2012 and has no review");
        CHECK(d.hint == "write reviews/2011-12/review.json and review.md and list \"2011-12\" in \"reviews\"");
        CHECK(checked.status("R8.0") == rules::Status::not_met);
        CHECK(deadlines_for(checked, "R8.0")[0]->state == rules::DeadlineState::overdue);
    }
}

TEST_CASE("R8.0: a three-year plan needs reviews for years 1 and 2 only", "[rules][r8]") {
    SECTION("both reviews present on 1 April 2014") {
        TempSite site("reviewed");
        add_second_review(site);
        const Checked checked = check(site.folder(), date("2014-04-01"));
        INFO(checked.describe());
        CHECK_FALSE(checked.has("R8.0"));
        CHECK(checked.diagnostics.all().empty());
        CHECK(checked.status("R8.0") == rules::Status::met);
        auto deadlines = deadlines_for(checked, "R8.0");
        REQUIRE(deadlines.size() == 2);
        CHECK(deadlines[0]->state == rules::DeadlineState::met);
        CHECK(deadlines[1]->state == rules::DeadlineState::met);
        CHECK(deadlines[1]->done == date("2013-06-18"));
        CHECK(checked.report.find("R8.0")->evidence.size() == 2);
    }
    SECTION("the second review missing on 1 April 2014") {
        const Checked checked = check_fixture("reviewed", date("2014-04-01"));
        REQUIRE(checked.codes() == std::vector<std::string>{"R8.0 error"});
        CHECK(checked.first("R8.0")->message == "plan year 2012-13 ended on 31 March 2013 and has no review");
    }
}

TEST_CASE("R8.0: a one-year plan needs no review", "[rules][r8]") {
    TempSite site("minimal");
    site.edit(plan_json, R"("end": "2014-03-31")", R"("end": "2012-03-31")");
    const Checked checked = check(site.folder(), date("2012-05-01"));
    INFO(checked.describe());
    CHECK(checked.diagnostics.all().empty());
    CHECK(checked.status("R8.0") == rules::Status::not_applicable);
}

TEST_CASE("R8.1: a review that records no consultation", "[rules][r8]") {
    TempSite site("reviewed");
    site.edit(review_json, R"({"name": "Testshire Youth Council", "date": "2012-05-10", "method": "workshop"})", "");
    const Checked checked = check(site.folder(), date("2012-07-01"));
    REQUIRE(checked.codes() == std::vector<std::string>{"R8.1 error"});
    CHECK(checked.first("R8.1")->file == review_json);
    CHECK(checked.first("R8.1")->pointer == "/consulted");
    CHECK(checked.first("R8.1")->message == "Annual review 2011-12 records no consultation");
}

TEST_CASE("R8.2: a revision republished before the review was published is a warning", "[rules][r8]") {
    SECTION("the same day is fine") {
        TempSite site("reviewed");
        site.edit(review_json, R"("republished": "2012-06-25")", R"("republished": "2012-06-20")");
        const Checked checked = check(site.folder(), date("2012-07-01"));
        INFO(checked.describe());
        CHECK(checked.diagnostics.all().empty());
        CHECK(checked.status("R8.2") == rules::Status::met);
    }
    SECTION("the day before") {
        TempSite site("reviewed");
        site.edit(review_json, R"("republished": "2012-06-25")", R"("republished": "2012-06-19")");
        const Checked checked = check(site.folder(), date("2012-07-01"));
        REQUIRE(checked.codes() == std::vector<std::string>{"R8.2 warning"});
        CHECK(checked.first("R8.2")->pointer == "/revision/republished");
        CHECK(checked.first("R8.2")->message == "the revision is dated before the review was published");
        CHECK(checked.status("R8.2") == rules::Status::warning);
    }
    SECTION("no revision: its reason is evidence") {
        TempSite site("reviewed");
        site.edit(review_json,
                  R"("revision": {"revised": true, "reason": "The Youth Trust joined the Board, so the introduction names it.", "chapters": ["chapters/introduction.md#how-we-work"], "republished": "2012-06-25"})",
                  R"("revision": {"revised": false, "reason": "Nothing needed changing."})");
        const Checked checked = check(site.folder(), date("2012-07-01"));
        INFO(checked.describe());
        CHECK(checked.diagnostics.all().empty());
        CHECK(checked.status("R8.2") == rules::Status::met);
        CHECK(checked.report.find("R8.2")->evidence[0].label ==
              "Annual review 2011-12: no revision needed (Nothing needed changing.)");
    }
}

TEST_CASE("R8.3: the exact diagnostic when a membership change has no note", "[rules][r8]") {
    TempSite site("reviewed");
    site.edit(review_json,
              R"({"partner": "youth-trust", "change": "joined", "taken_into_account": "The introduction now names the Youth Trust as lead for youth work."})",
              "");
    const Checked checked = check(site.folder(), date("2012-07-01"));
    INFO(checked.describe());
    REQUIRE(checked.diagnostics.all().size() == 1);
    const diag::Diagnostic& d = checked.diagnostics.all()[0];
    CHECK(d.severity == diag::Severity::error);
    CHECK(d.code == "R8.3");
    CHECK(d.file == review_json);
    CHECK(d.pointer == "/membership_changes");
    CHECK(d.message ==
          "Testshire Youth Trust joined the Board on 1 October 2011, but Annual review 2011-12 does not say how it took "
          "this into account");
    CHECK(d.hint == "add {\"partner\": \"youth-trust\", \"change\": \"joined\", \"taken_into_account\": ...} to "
                    "\"membership_changes\"");
    CHECK(checked.status("R8.3") == rules::Status::not_met);
}

TEST_CASE("R8.3: which changes a review must take account of", "[rules][r8]") {
    SECTION("a partner that leaves is a change too") {
        TempSite site("reviewed");
        site.edit("site.json", R"("kind": "pct", "joined": "2010-04-01"})",
                  R"("kind": "pct", "joined": "2010-04-01", "left": "2012-01-31"})");
        const Checked checked = check(site.folder(), date("2012-07-01"));
        REQUIRE(checked.codes() == std::vector<std::string>{"R8.3 error"});
        CHECK_THAT(checked.first("R8.3")->message, Catch::StartsWith("NHS Testshire left the Board on 31 January 2012"));
    }
    SECTION("joining on the day the review is published counts") {
        TempSite site("reviewed");
        site.edit("site.json", R"("joined": "2011-10-01")", R"("joined": "2012-06-20")");
        const Checked checked = check(site.folder(), date("2012-07-01"));
        INFO(checked.describe());
        CHECK(checked.diagnostics.all().empty());
        CHECK(checked.status("R8.3") == rules::Status::met);
    }
    SECTION("joining on the day the plan was published does not") {
        TempSite site("reviewed");
        site.edit("site.json", R"("joined": "2011-10-01")", R"("joined": "2011-03-25")");
        const Checked checked = check(site.folder(), date("2012-07-01"));
        REQUIRE(checked.codes() == std::vector<std::string>{"R8.3 warning"});
        CHECK(checked.first("R8.3")->message ==
              "\"youth-trust\" joined is not a change in site.json partners between 25 March 2011 and 20 June 2012");
    }
    SECTION("a note about a change that did not happen") {
        TempSite site("reviewed");
        site.edit(review_json, R"(lead for youth work."})",
                  R"(lead for youth work."}, {"partner": "pct", "change": "left", "taken_into_account": "NHS Testshire left."})");
        const Checked checked = check(site.folder(), date("2012-07-01"));
        REQUIRE(checked.codes() == std::vector<std::string>{"R8.3 warning"});
        CHECK(checked.status("R8.3") == rules::Status::warning);
    }
    SECTION("a later review counts changes since the previous review") {
        TempSite site("reviewed");
        add_second_review(site);
        site.edit("site.json", R"("kind": "pct", "joined": "2010-04-01"})",
                  R"("kind": "pct", "joined": "2010-04-01", "left": "2012-09-30"})");
        const Checked checked = check(site.folder(), date("2014-04-01"));
        REQUIRE(checked.codes() == std::vector<std::string>{"R8.3 error"});
        CHECK(checked.first("R8.3")->file == "plans/2011-2014/reviews/2012-13/review.json");
        CHECK(checked.first("R8.3")->message ==
              "NHS Testshire left the Board on 30 September 2012, but Annual review 2012-13 does not say how it took "
              "this into account");
    }
}
