// The valid fixtures and the example site pass every rule: the baselines that every
// "break one rule" test starts from.
#include <catch2/catch.hpp>

#include "rules_helper.h"

using namespace cypp;
using namespace rules_test;

namespace {

void require_clean(const Checked& checked) {
    INFO(checked.describe());
    REQUIRE(checked.diagnostics.all().empty());
    REQUIRE(checked.report.rules.size() == catalogue_ids().size());
    for (const rules::RuleResult& rule : checked.report.rules) {
        INFO(rule.id << " is " << rules::status_name(rule.status));
        CHECK((rule.status == rules::Status::met || rule.status == rules::Status::not_applicable));
    }
}

}  // namespace

TEST_CASE("the report has one result per rule in content/rules.json, in catalogue order", "[rules][fixture]") {
    const Checked checked = check_fixture("minimal", date("2011-06-01"));
    std::vector<std::string> ids;
    for (const rules::RuleResult& rule : checked.report.rules) ids.push_back(rule.id);
    REQUIRE(ids == catalogue_ids());
    REQUIRE(ids.size() == 46);
}

TEST_CASE("the minimal fixture passes every rule on 1 June 2011", "[rules][fixture]") {
    const Checked checked = check_fixture("minimal", date("2011-06-01"));
    require_clean(checked);
    for (const char* id : {"R5.next", "R6.b", "R7.m", "R7.2", "R8.1", "R8.2", "R8.3"}) {
        INFO(id);
        CHECK(checked.status(id) == rules::Status::not_applicable);
    }
    CHECK(checked.status("R8.0") == rules::Status::met);
}

TEST_CASE("the reviewed fixture passes every rule on 1 July 2012", "[rules][fixture]") {
    const Checked checked = check_fixture("reviewed", date("2012-07-01"));
    require_clean(checked);
    const model::Plan& plan = checked.site->current_plan();
    REQUIRE(plan.reviews.size() == 1);
    REQUIRE(plan.reviews[0].year == "2011-12");
    REQUIRE(plan.reviews[0].revised);
    REQUIRE(plan.indicators.size() == 2);
    REQUIRE(checked.site->partners.size() == 3);
    for (const char* id : {"R8.0", "R8.1", "R8.2", "R8.3"}) {
        INFO(id);
        CHECK(checked.status(id) == rules::Status::met);
        CHECK_FALSE(checked.report.find(id)->evidence.empty());
    }
}

TEST_CASE("the two-plans fixture passes every rule on 1 June 2014", "[rules][fixture]") {
    const Checked checked = check_fixture("two-plans", date("2014-06-01"));
    require_clean(checked);
    REQUIRE(checked.site->plans.size() == 2);
    CHECK(checked.status("R5.first") == rules::Status::met);
    CHECK(checked.status("R5.next") == rules::Status::met);
}

TEST_CASE("site-example passes every rule on 1 July 2013", "[rules][fixture][site-example]") {
    const Checked checked = check(CYPP_SITE_EXAMPLE, date("2013-07-01"));
    INFO(checked.describe());
    CHECK(checked.diagnostics.error_count() == 0);
    CHECK(checked.diagnostics.warning_count() == 0);
    require_clean(checked);
    CHECK(checked.status("R6.b") == rules::Status::met);  // it publishes on partners' websites
    CHECK(checked.status("R8.3") == rules::Status::met);  // one partner joined, one left
}
