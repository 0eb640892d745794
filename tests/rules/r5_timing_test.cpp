// Regulation 5: the first plan by 1 April 2011, each later plan within 42 days of the
// end of the previous plan's period.
#include <catch2/catch.hpp>

#include "rules_helper.h"

using namespace cypp;
using namespace rules_test;

namespace {

const std::string first_plan = "plans/2011-2014/plan.json";
const std::string second_plan = "plans/2014-2017/plan.json";

// The two-plans fixture with the first plan ending on `previous_end`, the second running
// from `start` to `end` and published on `published`; checked on the publication day.
Checked two_plans(const std::string& previous_end, const std::string& start, const std::string& end,
                  const std::string& published) {
    TempSite site("two-plans");
    site.edit(first_plan, R"("end": "2014-03-31")", "\"end\": \"" + previous_end + "\"");
    site.edit(second_plan, R"("period": {"start": "2014-04-01", "end": "2017-03-31"})",
              "\"period\": {\"start\": \"" + start + "\", \"end\": \"" + end + "\"}");
    site.edit(second_plan, R"("published": "2014-04-20")", "\"published\": \"" + published + "\"");
    return check(site.folder(), date(published));
}

const rules::Deadline* deadline_for(const Checked& checked, const std::string& rule, std::size_t index = 0) {
    for (const rules::Deadline& deadline : checked.report.deadlines)
        if (deadline.rule == rule && index-- == 0) return &deadline;
    return nullptr;
}

}  // namespace

TEST_CASE("R5.first: published on 1 April 2011 is in time, on 2 April it is late", "[rules][r5]") {
    SECTION("1 April 2011") {
        TempSite site("minimal");
        site.edit(first_plan, R"("published": "2011-03-25")", R"("published": "2011-04-01")");
        const Checked checked = check(site.folder(), date("2011-06-01"));
        INFO(checked.describe());
        CHECK(checked.diagnostics.all().empty());
        CHECK(checked.status("R5.first") == rules::Status::met);
        REQUIRE(checked.report.find("R5.first")->evidence.size() == 1);
        CHECK(checked.report.find("R5.first")->evidence[0].label ==
              "Testshire Children and Young People's Plan 2011-2014, published 1 April 2011");
        const rules::Deadline* deadline = deadline_for(checked, "R5.first");
        REQUIRE(deadline);
        CHECK(deadline->state == rules::DeadlineState::met);
        CHECK(deadline->due == date("2011-04-01"));
    }
    SECTION("2 April 2011") {
        TempSite site("minimal");
        site.edit(first_plan, R"("published": "2011-03-25")", R"("published": "2011-04-02")");
        const Checked checked = check(site.folder(), date("2011-06-01"));
        INFO(checked.describe());
        REQUIRE(checked.codes() == std::vector<std::string>{"R5.first error"});
        const diag::Diagnostic& d = checked.diagnostics.all()[0];
        CHECK(d.file == first_plan);
        CHECK(d.pointer == "/published");
        CHECK(d.message == "the first plan was published on 2 April 2011, 1 day after the deadline of 1 April 2011");
        CHECK(deadline_for(checked, "R5.first")->state == rules::DeadlineState::missed);
    }
    SECTION("11 April 2011: days, plural") {
        TempSite site("minimal");
        site.edit(first_plan, R"("published": "2011-03-25")", R"("published": "2011-04-11")");
        const Checked checked = check(site.folder(), date("2011-06-01"));
        REQUIRE(checked.has("R5.first"));
        CHECK(checked.first("R5.first")->message ==
              "the first plan was published on 11 April 2011, 10 days after the deadline of 1 April 2011");
    }
}

TEST_CASE("R5.next: the exact message for a late second plan", "[rules][r5]") {
    TempSite site("two-plans");
    site.edit(second_plan, R"("published": "2014-04-20")", R"("published": "2014-05-13")");
    const Checked checked = check(site.folder(), date("2014-06-01"));
    INFO(checked.describe());
    REQUIRE(checked.diagnostics.all().size() == 1);
    const diag::Diagnostic& d = checked.diagnostics.all()[0];
    CHECK(d.severity == diag::Severity::error);
    CHECK(d.code == "R5.next");
    CHECK(d.file == "plans/2014-2017/plan.json");
    CHECK(d.pointer == "/published");
    CHECK(d.message ==
          "published on 13 May 2014, 1 day after the deadline of 12 May 2014 (6 weeks after the previous plan ended on 31 "
          "March 2014)");
    CHECK(d.hint == "regulation 5(2) allows at most 42 days after the end of the previous plan period");
    CHECK(checked.status("R5.next") == rules::Status::not_met);
}

TEST_CASE("R5.next: previous end + 42 days is in time, + 43 is late", "[rules][r5]") {
    SECTION("ends 31 March 2014: due 12 May 2014") {
        const Checked on_time = two_plans("2014-03-31", "2014-04-01", "2017-03-31", "2014-05-12");
        INFO(on_time.describe());
        CHECK(on_time.diagnostics.all().empty());
        CHECK(on_time.status("R5.next") == rules::Status::met);
        const rules::Deadline* deadline = deadline_for(on_time, "R5.next");
        REQUIRE(deadline);
        CHECK(deadline->due == date("2014-05-12"));
        CHECK(deadline->state == rules::DeadlineState::met);

        const Checked late = two_plans("2014-03-31", "2014-04-01", "2017-03-31", "2014-05-13");
        REQUIRE(late.codes() == std::vector<std::string>{"R5.next error"});
        CHECK_THAT(late.first("R5.next")->message, Catch::Contains("1 day after the deadline of 12 May 2014"));
        CHECK(deadline_for(late, "R5.next")->state == rules::DeadlineState::missed);
    }
    SECTION("ends on the leap day 29 February 2012: due 11 April 2012") {
        const Checked on_time = two_plans("2012-02-29", "2012-03-01", "2015-02-28", "2012-04-11");
        INFO(on_time.describe());
        CHECK(on_time.diagnostics.all().empty());
        CHECK(deadline_for(on_time, "R5.next")->due == date("2012-04-11"));

        const Checked late = two_plans("2012-02-29", "2012-03-01", "2015-02-28", "2012-04-12");
        REQUIRE(late.codes() == std::vector<std::string>{"R5.next error"});
        CHECK(late.first("R5.next")->message ==
              "published on 12 April 2012, 1 day after the deadline of 11 April 2012 (6 weeks after the previous plan "
              "ended on 29 February 2012)");
    }
    SECTION("ends 31 January 2012, across the leap day: due 13 March 2012") {
        const Checked on_time = two_plans("2012-01-31", "2012-02-01", "2015-01-31", "2012-03-13");
        INFO(on_time.describe());
        CHECK(on_time.diagnostics.all().empty());
        CHECK(deadline_for(on_time, "R5.next")->due == date("2012-03-13"));

        const Checked late = two_plans("2012-01-31", "2012-02-01", "2015-01-31", "2012-03-14");
        REQUIRE(late.codes() == std::vector<std::string>{"R5.next error"});
        CHECK_THAT(late.first("R5.next")->message, Catch::Contains("1 day after the deadline of 13 March 2012"));
    }
    SECTION("ends 31 January 2013, no leap day: due 14 March 2013") {
        const Checked on_time = two_plans("2013-01-31", "2013-02-01", "2016-01-31", "2013-03-14");
        INFO(on_time.describe());
        CHECK(on_time.diagnostics.all().empty());
        CHECK(deadline_for(on_time, "R5.next")->due == date("2013-03-14"));

        const Checked late = two_plans("2013-01-31", "2013-02-01", "2016-01-31", "2013-03-15");
        REQUIRE(late.codes() == std::vector<std::string>{"R5.next error"});
    }
    SECTION("ends 31 December 2013: due 11 February 2014, across the new year") {
        const Checked on_time = two_plans("2013-12-31", "2014-01-01", "2016-12-31", "2014-02-11");
        CHECK(on_time.diagnostics.all().empty());
        const Checked late = two_plans("2013-12-31", "2014-01-01", "2016-12-31", "2014-02-12");
        REQUIRE(late.codes() == std::vector<std::string>{"R5.next error"});
    }
}

TEST_CASE("R5.next: the plan that follows the current one is due 42 days after it ends", "[rules][r5]") {
    // The minimal plan ends on 31 March 2014: the next is due by 12 May 2014. (Its missing
    // annual reviews are R8.0's business, not looked at here.)
    SECTION("today is the due date") {
        const Checked checked = check_fixture("minimal", date("2014-05-12"));
        CHECK_FALSE(checked.has("R5.next"));
        CHECK(checked.status("R5.next") == rules::Status::not_applicable);
        const rules::Deadline* deadline = deadline_for(checked, "R5.next");
        REQUIRE(deadline);
        CHECK(deadline->due == date("2014-05-12"));
        CHECK(deadline->state == rules::DeadlineState::due);
        CHECK_FALSE(deadline->done);
    }
    SECTION("today is the day after") {
        const Checked checked = check_fixture("minimal", date("2014-05-13"));
        REQUIRE(checked.has("R5.next"));
        const diag::Diagnostic& d = *checked.first("R5.next");
        CHECK(d.severity == diag::Severity::error);
        CHECK(d.file == "site.json");
        CHECK(d.pointer == "/plans");
        CHECK(d.message ==
              "the plan that follows Testshire Children and Young People's Plan 2011-2014 was due by 12 May 2014 and is 1 "
              "day overdue");
        CHECK(checked.status("R5.next") == rules::Status::not_met);
        CHECK(deadline_for(checked, "R5.next")->state == rules::DeadlineState::overdue);
    }
    SECTION("with two plans the next deadline follows the current plan") {
        const Checked due = check_fixture("two-plans", date("2017-05-12"));
        CHECK_FALSE(due.has("R5.next"));
        CHECK(deadline_for(due, "R5.next", 1)->due == date("2017-05-12"));
        const Checked overdue = check_fixture("two-plans", date("2017-05-13"));
        REQUIRE(overdue.has("R5.next"));
        CHECK_THAT(overdue.first("R5.next")->message, Catch::Contains("Plan 2014-2017 was due by 12 May 2017"));
    }
}
