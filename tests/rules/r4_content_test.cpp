// Regulations 3 and 4: the matters a plan must deal with.
#include <catch2/catch.hpp>

#include "rules_helper.h"

using namespace cypp;
using namespace rules_test;

namespace {
const std::string plan_json = "plans/2011-2014/plan.json";
}

TEST_CASE("R4: a missing matter is reported at /chapters with its title", "[rules][r4]") {
    TempSite site("minimal");
    site.edit(plan_json, R"(["R4.0", "R4.2.a")", R"(["R4.2.a")");
    const Checked checked = check(site.folder(), date("2011-06-01"));
    INFO(checked.describe());
    REQUIRE(checked.diagnostics.all().size() == 1);
    const diag::Diagnostic& d = checked.diagnostics.all()[0];
    CHECK(d.severity == diag::Severity::error);
    CHECK(d.code == "R4.0");
    CHECK(d.file == plan_json);
    CHECK(d.pointer == "/chapters");
    CHECK(d.message ==
          "no chapter deals with R4.0: How the Board partners will co-operate to improve well-being across the five outcomes");
    CHECK(checked.report.find("R4.0")->evidence.empty());
}

TEST_CASE("R4.1.a: the needs assessment must cover every outcome", "[rules][r4]") {
    TempSite site("minimal");
    site.edit(plan_json, R"("O1", "O2", "O3", "O4", "O5"], "matters": ["R4.1.a")", R"("O1", "O2", "O4"], "matters": ["R4.1.a")");
    const Checked checked = check(site.folder(), date("2011-06-01"));
    INFO(checked.describe());
    REQUIRE(checked.diagnostics.all().size() == 1);
    const diag::Diagnostic& d = checked.diagnostics.all()[0];
    CHECK(d.code == "R4.1.a");
    CHECK(d.file == plan_json);
    CHECK(d.pointer == "/chapters/1");  // the needs assessment chapter
    CHECK(d.message == "the needs assessment does not cover O3 Enjoy and achieve, O5 Achieve economic well-being");
    CHECK(checked.status("R4.1.a") == rules::Status::not_met);
}

TEST_CASE("R4: a chapter with headings only covers none of its matters", "[rules][r4]") {
    TempSite site("minimal");
    site.edit("plans/2011-2014/chapters/needs.md",
              "| Group | Children |\n|---|---|\n| Looked after | 120 |\n\nBack to [why this plan](introduction.md#why-this-plan).\n",
              "");
    const Checked checked = check(site.folder(), date("2011-06-01"));
    INFO(checked.describe());
    // Each of its matters: a warning that the chapter is empty, then the error that no
    // chapter deals with it. The reports it takes into account still count.
    std::vector<std::string> expected;
    for (const char* id : {"R4.1.a", "R4.1.b.i", "R4.1.b.ii", "R4.1.b.iii", "R4.2.e", "R4.2.f"}) {
        expected.push_back(std::string(id) + " warning");
        expected.push_back(std::string(id) + " error");
    }
    CHECK(checked.codes() == expected);
    const diag::Diagnostic* warning = checked.first("R4.1.b.i");
    REQUIRE(warning);
    CHECK(warning->message == "chapter \"Needs assessment\" is listed for R4.1.b.i but has no text");
    CHECK(warning->pointer == "/chapters/1");
    CHECK(checked.status("R4.1.b.i") == rules::Status::not_met);  // the error wins over the warning
}

TEST_CASE("R4: an empty chapter is only a warning when another chapter deals with the matter", "[rules][r4]") {
    TempSite site("minimal");
    // The introduction also claims R4.1.b.i; the needs chapter keeps its text.
    site.edit(plan_json, R"(["R4.0", "R4.2.a")", R"(["R4.0", "R4.1.b.i", "R4.2.a")");
    site.edit("plans/2011-2014/chapters/introduction.md",
              "The partners will work together. See the [needs assessment](needs.md#what-we-found).\n", "");
    site.edit("plans/2011-2014/chapters/introduction.md", "We meet every month.\n", "");
    const Checked checked = check(site.folder(), date("2011-06-01"));
    INFO(checked.describe());
    // The introduction is now headings only: its own matters fail, R4.1.b.i only warns.
    CHECK(checked.status("R4.1.b.i") == rules::Status::warning);
    CHECK(checked.status("R4.0") == rules::Status::not_met);
    CHECK(checked.status("R4.1.a") == rules::Status::met);
}

TEST_CASE("R3 and R4 evidence points at the chapter pages", "[rules][r4]") {
    const Checked checked = check_fixture("minimal", date("2011-06-01"));
    const rules::RuleResult* r3 = checked.report.find("R3");
    REQUIRE(r3);
    REQUIRE(r3->evidence.size() == 1);
    CHECK(r3->evidence[0].path == "plan/index.html");
    const rules::RuleResult* r42e = checked.report.find("R4.2.e");
    REQUIRE(r42e);
    REQUIRE(r42e->evidence.size() == 2);  // the chapter, and the report it takes into account
    CHECK(r42e->evidence[0].path == "plan/needs/index.html");
    CHECK(r42e->evidence[1].label == "Takes into account: Behaviour and attendance partnership reports 2010");
}
