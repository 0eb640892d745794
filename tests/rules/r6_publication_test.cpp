// Regulation 6 and guidance 8.44-8.45: where and how the plan is published.
#include <catch2/catch.hpp>

#include "load/load_site.h"
#include "rules_helper.h"

using namespace cypp;
using namespace rules_test;

TEST_CASE("R6.a: the exact diagnostic when the PCT's website is missing", "[rules][r6]") {
    TempSite site("minimal");
    site.edit("site.json", ",\n      {\"role\": \"pct\", \"url\": \"https://www.testshire-pct.example/cypp\"}", "");
    const Checked checked = check(site.folder(), date("2011-06-01"));
    INFO(checked.describe());
    REQUIRE(checked.diagnostics.all().size() == 1);
    const diag::Diagnostic& d = checked.diagnostics.all()[0];
    CHECK(d.severity == diag::Severity::error);
    CHECK(d.code == "R6.a");
    CHECK(d.file == "site.json");
    CHECK(d.line == 0);
    CHECK(d.pointer == "/publication/websites");
    CHECK(d.message == "the PCT's website is missing from publication.websites");
    CHECK(d.hint == "add {\"role\": \"pct\", \"url\": \"https://...\"}: regulation 6(a) requires it");
    CHECK(diag::format_text(d) ==
          "site.json: error[R6.a]: the PCT's website is missing from publication.websites (at /publication/websites)\n"
          "  hint: add {\"role\": \"pct\", \"url\": \"https://...\"}: regulation 6(a) requires it\n");
    const rules::RuleResult* rule = checked.report.find("R6.a");
    CHECK(rule->status == rules::Status::not_met);
    CHECK(rule->messages == std::vector<std::string>{"the PCT's website is missing from publication.websites"});
    REQUIRE(rule->evidence.size() == 1);  // the authority's website is still there
    CHECK(rule->evidence[0].path == "https://www.testshire.example/cypp");
}

TEST_CASE("R6.a: both websites missing are two errors", "[rules][r6]") {
    const Checked checked =
        check_fixture("minimal", date("2011-06-01"), [](model::Site& site) { site.websites.clear(); });
    CHECK(checked.codes() == std::vector<std::string>{"R6.a error", "R6.a error"});
    CHECK(checked.diagnostics.all()[0].message == "the establishing authority's website is missing from publication.websites");
    CHECK(checked.diagnostics.all()[1].message == "the PCT's website is missing from publication.websites");
}

TEST_CASE("rule diagnostics name files under the display root", "[rules][r6]") {
    TempSite site("minimal");
    site.edit("site.json", R"({"role": "pct", )", R"({"role": "authority", )");
    diag::Diagnostics diagnostics;
    auto loaded = load::load_site(site.folder(), {}, diagnostics);
    REQUIRE(loaded);
    for (const auto& [root, file] : std::vector<std::pair<std::string, std::string>>{
             {"", "site.json"}, {".", "site.json"}, {"my-site", "my-site/site.json"}, {"my-site/", "my-site/site.json"}}) {
        INFO("display_root \"" << root << "\"");
        diag::Diagnostics rule_diagnostics;
        rules::check_rules(*loaded, {date("2011-06-01"), root}, rule_diagnostics);
        REQUIRE(rule_diagnostics.all().size() == 1);
        CHECK(rule_diagnostics.all()[0].file == file);
    }
}

TEST_CASE("R6.b is not applicable without a partner website and met with one", "[rules][r6]") {
    CHECK(check_fixture("minimal", date("2011-06-01")).status("R6.b") == rules::Status::not_applicable);
    const Checked example = check(CYPP_SITE_EXAMPLE, date("2013-07-01"));
    CHECK(example.status("R6.b") == rules::Status::met);
    CHECK(example.report.find("R6.b")->evidence.size() == 3);
}

TEST_CASE("R6.c: no deposits is an error, each deposit is evidence", "[rules][r6]") {
    const Checked valid = check_fixture("minimal", date("2011-06-01"));
    REQUIRE(valid.report.find("R6.c")->evidence.size() == 1);
    CHECK(valid.report.find("R6.c")->evidence[0].label == "Central Library (5 copies)");

    TempSite site("minimal");
    site.edit("site.json", R"([{"place": "Central Library", "address": "1 High Street, Testtown", "copies": 5}])", "[]");
    const Checked checked = check(site.folder(), date("2011-06-01"));
    REQUIRE(checked.codes() == std::vector<std::string>{"R6.c error"});
    CHECK(checked.first("R6.c")->pointer == "/publication/deposits");
    CHECK(checked.first("R6.c")->message == "no public library or other place is listed for printed copies");
}

TEST_CASE("R6.child: a child-friendly version without services is a warning", "[rules][r6]") {
    const Checked checked = check_fixture("minimal", date("2011-06-01"),
                                          [](model::Site& site) { site.plans.back().child.services.clear(); });
    REQUIRE(checked.codes() == std::vector<std::string>{"R6.child warning"});
    CHECK(checked.first("R6.child")->message == "the child-friendly version lists no services");
    CHECK(checked.first("R6.child")->file == "plans/2011-2014/plan.json");
    CHECK(checked.status("R6.child") == rules::Status::warning);
}

TEST_CASE("R6.send: every body consulted should be sent the plan", "[rules][r6]") {
    SECTION("one missing") {
        TempSite site("minimal");
        site.edit("plans/2011-2014/consultation.json",
                  R"({"name": "Testshire Fire Service", "sent": "2011-03-25", "method": "email"},)", "");
        const Checked checked = check(site.folder(), date("2011-06-01"));
        REQUIRE(checked.codes() == std::vector<std::string>{"R6.send warning"});
        CHECK(checked.first("R6.send")->message ==
              "1 body engaged in the consultation was not sent the plan: Testshire Fire Service");
        CHECK(checked.first("R6.send")->file == "plans/2011-2014/consultation.json");
        CHECK(checked.first("R6.send")->pointer == "/dissemination");
    }
    SECTION("all missing: five names and a count") {
        const Checked checked = check_fixture("minimal", date("2011-06-01"), [](model::Site& site) {
            site.plans.back().consultation.dissemination.clear();
        });
        REQUIRE(checked.codes() == std::vector<std::string>{"R6.send warning"});
        CHECK(checked.first("R6.send")->message ==
              "15 bodies engaged in the consultation were not sent the plan: Testshire Fire Service, Testshire consultee "
              "B, Testshire consultee C, Testshire consultee D, Testshire consultee E and 10 more");
    }
    SECTION("a body listed under two categories is named once") {
        const Checked checked = check_fixture("minimal", date("2011-06-01"), [](model::Site& site) {
            auto& consultation = site.plans.back().consultation;
            consultation.consultees[1].bodies.push_back(consultation.consultees[0].bodies[0]);
            consultation.dissemination.erase(consultation.dissemination.begin());
        });
        REQUIRE(checked.codes() == std::vector<std::string>{"R6.send warning"});
        CHECK_THAT(checked.first("R6.send")->message, Catch::StartsWith("1 body engaged"));
    }
}
