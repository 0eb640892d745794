// Regulation 7 and the Code of Practice: whom the Board consulted, for how long, and
// what it did with the answers.
#include <catch2/catch.hpp>

#include "rules_helper.h"

using namespace cypp;
using namespace rules_test;

namespace {
const std::string consultation_json = "plans/2011-2014/consultation.json";
}

TEST_CASE("R7.e: the exact diagnostic when the LSCB is not in the consultation record", "[rules][r7]") {
    TempSite site("minimal");
    site.edit(consultation_json,
              R"({"category": "R7.e", "status": "consulted", "bodies": [{"name": "Testshire consultee E", "date": "2010-10-10", "method": "meeting"}]},)",
              "");
    const Checked checked = check(site.folder(), date("2011-06-01"));
    INFO(checked.describe());
    REQUIRE(checked.diagnostics.all().size() == 1);
    const diag::Diagnostic& d = checked.diagnostics.all()[0];
    CHECK(d.severity == diag::Severity::error);
    CHECK(d.code == "R7.e");
    CHECK(d.file == consultation_json);
    CHECK(d.pointer == "/consultees");
    CHECK(d.message == "R7.e (The Local Safeguarding Children Board) is not in the consultation record: the Board must "
                       "consult them");
    CHECK(d.hint == "add {\"category\": \"R7.e\", \"status\": \"consulted\", \"bodies\": [...]} or mark it "
                    "\"not-applicable\" with a \"reason\"");
    CHECK(checked.status("R7.e") == rules::Status::not_met);
}

TEST_CASE("R7: a category consulted \"as appropriate\" that is missing is a warning without \"must\"", "[rules][r7]") {
    TempSite site("minimal");
    site.edit(consultation_json,
              R"({"category": "R7.c", "status": "consulted", "bodies": [{"name": "Testshire consultee C", "date": "2010-10-10", "method": "meeting"}]},)",
              "");
    const Checked checked = check(site.folder(), date("2011-06-01"));
    REQUIRE(checked.codes() == std::vector<std::string>{"R7.c warning"});
    CHECK(checked.first("R7.c")->message == "R7.c (Children, young people and families in the area) is not in the consultation record");
    CHECK(checked.status("R7.c") == rules::Status::warning);
}

TEST_CASE("R7: a must category marked not-applicable with a reason is not applicable", "[rules][r7]") {
    TempSite site("minimal");
    site.edit(consultation_json,
              R"({"category": "R7.h", "status": "consulted", "bodies": [{"name": "Testshire consultee H", "date": "2010-10-10", "method": "meeting"}]},)",
              R"({"category": "R7.h", "status": "not-applicable", "reason": "No foundation or voluntary schools."},)");
    const Checked checked = check(site.folder(), date("2011-06-01"));
    INFO(checked.describe());
    CHECK(checked.diagnostics.all().empty());
    CHECK(checked.status("R7.h") == rules::Status::not_applicable);
    CHECK(checked.report.find("R7.h")->messages == std::vector<std::string>{"No foundation or voluntary schools."});
    CHECK(checked.report.find("R7.h")->evidence.empty());
}

TEST_CASE("R7: each body consulted is evidence", "[rules][r7]") {
    const Checked checked = check_fixture("minimal", date("2011-06-01"));
    const rules::RuleResult* rule = checked.report.find("R7.a");
    REQUIRE(rule->evidence.size() == 1);
    CHECK(rule->evidence[0].label == "Testshire Fire Service (meeting, 10 October 2010)");
    CHECK(rule->evidence[0].path == "consultation/index.html#who-we-consulted");
}

TEST_CASE("R7.weeks: twelve weeks is 84 days", "[rules][r7]") {
    auto with_start = [](const std::string& start, const std::string& extra = {}) {
        TempSite site("minimal");
        site.edit(consultation_json, R"("start": "2010-10-04")", "\"start\": \"" + start + "\"");
        if (!extra.empty())
            site.edit(consultation_json, R"("summary": "We asked people what the plan should do.",)",
                      R"("summary": "We asked people what the plan should do.", "short_period_reason": ")" + extra + "\",");
        return check(site.folder(), date("2011-06-01"));
    };
    SECTION("84 days") {
        const Checked checked = with_start("2010-10-15");
        INFO(checked.describe());
        CHECK(checked.diagnostics.all().empty());
        CHECK(checked.status("R7.weeks") == rules::Status::met);
        CHECK(checked.report.find("R7.weeks")->evidence[0].label == "Written consultation ran for 12 weeks");
    }
    SECTION("83 days") {
        const Checked checked = with_start("2010-10-16");
        REQUIRE(checked.codes() == std::vector<std::string>{"R7.weeks warning"});
        CHECK(checked.first("R7.weeks")->message ==
              "written consultation ran for 83 days, less than 12 weeks, and no reason is recorded");
        CHECK(checked.first("R7.weeks")->pointer == "/period");
        CHECK(checked.status("R7.weeks") == rules::Status::warning);
    }
    SECTION("83 days with a reason") {
        const Checked checked = with_start("2010-10-16", "The LSCB asked us to finish before its January meeting.");
        INFO(checked.describe());
        CHECK(checked.diagnostics.all().empty());
        CHECK(checked.status("R7.weeks") == rules::Status::met);
        CHECK(checked.report.find("R7.weeks")->evidence[0].label ==
              "Written consultation ran for 11 weeks; reason recorded: The LSCB asked us to finish before its January "
              "meeting.");
    }
}

TEST_CASE("R7.feedback: each unanswered theme is reported once, naming the first response", "[rules][r7]") {
    TempSite site("minimal");
    site.edit(consultation_json, R"("comment": "Not enough play areas.")",
              R"("comment": "Not enough play areas.", "themes": ["play", "transport"])");
    site.edit(consultation_json, R"("comment": "Private comment.")", R"("comment": "Private comment.", "themes": ["play"])");
    const Checked checked = check(site.folder(), date("2011-06-01"));
    INFO(checked.describe());
    REQUIRE(checked.diagnostics.all().size() == 1);
    const diag::Diagnostic& d = checked.diagnostics.all()[0];
    CHECK(d.code == "R7.feedback");
    CHECK(d.file == consultation_json);
    CHECK(d.pointer == "/you_said_we_did");
    CHECK(d.message == "theme \"play\" was raised (response 2) but has no \"you said, we did\" entry");
    CHECK(checked.report.find("R7.feedback")->evidence.empty());
}
