#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

using namespace cypp::testing;

namespace {

RunResult check(const TempSite& site, std::vector<std::string> extra) {
    std::vector<std::string> arguments{"check", "--no-history"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return run_cypp(arguments, {{"SOURCE_DATE_EPOCH", "\x01"}}, site.path());
}

}  // namespace

TEST_CASE("check states every deadline and the days left", "[cli][rules]") {
    TempSite site("minimal");
    RunResult result = check(site, {"--today", "2011-06-01"});
    REQUIRE(result.exit_code == 0);
    REQUIRE(result.out ==
            "Deadlines (as of 1 June 2011):\n"
            "  R5.first: Publish the first plan (Testshire Children and Young People's Plan 2011-2014): due by 1 April 2011, met (25 March 2011)\n"
            "  R5.next: Publish the plan that follows Testshire Children and Young People's Plan 2011-2014: due by 12 May 2014, 1076 days left\n"
            "  R8.0: Review plan year 2011-12: due by 31 March 2012, 304 days left\n"
            "  R8.0: Review plan year 2012-13: due by 31 March 2013, 669 days left\n"
            "Reading level of the child-friendly version (target: grade 7.0 or below):\n"
            "  plans/2011-2014/child/about.md: grade 0.0, reading ease 108.7, 10 words\n"
            "No errors in .\n");
}

TEST_CASE("a review missing after its year is an R8.0 error, and it blocks the build", "[cli][rules]") {
    TempSite site("minimal");
    RunResult result = run_cypp({"build", "--no-history", "--today", "2012-04-01"}, {{"SOURCE_DATE_EPOCH", "\x01"}}, site.path());
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err ==
            "plans/2011-2014/plan.json: error[R8.0]: plan year 2011-12 ended on 31 March 2012 and has no review (at /reviews)\n"
            "  hint: write reviews/2011-12/review.json and review.md and list \"2011-12\" in \"reviews\"\n"
            "1 error, 0 warnings\n");
    REQUIRE_FALSE(std::filesystem::exists(site.file("public")));
}

TEST_CASE("check with --format json lists every rule with its status", "[cli][rules]") {
    TempSite site("minimal");
    site.replace("site.json", "{\"role\": \"pct\", \"url\": \"https://www.testshire-pct.example/cypp\"}",
                 "{\"role\": \"partner\", \"partner\": \"pct\", \"url\": \"https://www.testshire-pct.example/cypp\"}");
    RunResult result = check(site, {"--today", "2011-06-01", "--format", "json"});
    REQUIRE(result.exit_code == 1);
    auto report = nlohmann::json::parse(result.out);
    auto catalogue = nlohmann::json::parse(read_file(std::string(CYPP_CONTENT) + "/rules.json"));
    REQUIRE(report["rules"].size() == catalogue["rules"].size());
    std::map<std::string, std::string> statuses;
    for (const auto& rule : report["rules"]) statuses[rule["id"]] = rule["status"];
    REQUIRE(statuses["R6.a"] == "not-met");
    REQUIRE(statuses["R6.b"] == "met");
    REQUIRE(statuses["R7.m"] == "not-applicable");
    REQUIRE(statuses["R4.2.f"] == "met");
    REQUIRE(report["summary"]["errors"] == 1);
    REQUIRE(report["diagnostics"][0]["code"] == "R6.a");
    REQUIRE(report["diagnostics"][0]["message"] == "the PCT's website is missing from publication.websites");
    for (const auto& rule : report["rules"])
        if (rule["id"] == "R6.a") REQUIRE(rule["message"] == "the PCT's website is missing from publication.websites");
}

TEST_CASE("check with --strict turns guidance warnings into errors", "[cli][rules]") {
    TempSite site("minimal");
    site.replace("plans/2011-2014/plan.json", "\"guidance\": [\"resourcing\", \"alignment\"]", "\"guidance\": [\"resourcing\"]");
    RunResult relaxed = check(site, {"--today", "2011-06-01"});
    REQUIRE(relaxed.exit_code == 0);
    REQUIRE(relaxed.err.starts_with("plans/2011-2014/plan.json: warning[R4.alignment]: no chapter is marked as dealing with alignment"));
    RunResult strict = check(site, {"--today", "2011-06-01", "--strict"});
    REQUIRE(strict.exit_code == 1);
    REQUIRE(strict.err.starts_with("plans/2011-2014/plan.json: error[R4.alignment]: no chapter is marked as dealing with alignment"));
}

TEST_CASE("the value of --today must be a date", "[cli][rules]") {
    TempSite site("minimal");
    RunResult result = check(site, {"--today", "2011-02-30"});
    REQUIRE(result.exit_code == 2);
    REQUIRE(result.err ==
            "--today: error[CY106]: \"2011-02-30\" is not a date\n"
            "  hint: write it as YYYY-MM-DD, e.g. --today 2013-06-30\n"
            "1 error, 0 warnings\n");
}

TEST_CASE("SOURCE_DATE_EPOCH sets today when --today is absent", "[cli][rules]") {
    TempSite site("minimal");
    // 2012-04-01T00:00:00Z: the first plan year has ended without a review.
    RunResult result = run_cypp({"check", "--no-history"}, {{"SOURCE_DATE_EPOCH", "1333238400"}}, site.path());
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err.find("error[R8.0]") != std::string::npos);
}

TEST_CASE("the compliance page and the deadline calendar are published", "[cli][rules]") {
    TempSite site("minimal");
    REQUIRE(run_cypp({"build", "--no-history", "--today", "2011-06-01"}, {{"SOURCE_DATE_EPOCH", "\x01"}}, site.path()).exit_code == 0);
    const std::string page = read_file(site.file("public/compliance/index.html"));
    REQUIRE(page.find("<tr id=\"rule-R6.a\">") != std::string::npos);
    REQUIRE(page.find("<strong class=\"status status-not-applicable\">Not applicable</strong>") != std::string::npos);
    REQUIRE(page.find("<a href=\"../plan/needs/index.html\">Takes into account: LSCB annual report 2009-10</a>") != std::string::npos);
    const std::string calendar = read_file(site.file("public/deadlines.ics"));
    REQUIRE(calendar.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    REQUIRE(calendar.find("DTSTART;VALUE=DATE:20140512\r\n") != std::string::npos);
    REQUIRE(calendar.find("DTSTART;VALUE=DATE:20120331\r\n") != std::string::npos);
    REQUIRE(calendar.find("UID:R5.next-20140512@testshire-children-s-trust-board.cypp\r\n") != std::string::npos);
    REQUIRE(calendar.ends_with("END:VCALENDAR\r\n"));
    for (std::size_t start = 0; start < calendar.size();) {
        std::size_t end = calendar.find("\r\n", start);
        REQUIRE(end - start <= 75);
        start = end + 2;
    }
}
