#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

using namespace cypp::testing;
namespace stdfs = std::filesystem;

namespace {

int count(const std::string& text, const std::string& what) {
    int n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

}  // namespace

TEST_CASE("cypp new site makes a site that checks, listing what is still to write", "[scaffold]") {
    TempSite scratch("minimal");
    const stdfs::path folder = scratch.path() / "northbrook";
    RunResult made = run_cypp({"new", "site", folder.string(), "--board", "Northbrook Children's Trust Board", "--area", "Northbrook"});
    REQUIRE(made.exit_code == 0);
    REQUIRE(made.out.starts_with("Created the site of the Northbrook Children's Trust Board in "));
    for (const char* file : {"site.json", "plans/2011-2014/plan.json", "plans/2011-2014/chapters/needs-assessment.md",
                             "plans/2011-2014/child.json", "plans/2011-2014/consultation.json", "schemas/plan.schema.json",
                             ".github/workflows/cypp.yml", "README.md"})
        REQUIRE(stdfs::exists(folder / file));
    RunResult checked = run_cypp({"check", folder.string(), "--today", "2011-06-01", "--no-history"});
    INFO(checked.err);
    REQUIRE(checked.exit_code == 1);
    // What is left is what the Board must still write: the consultation record (the
    // nine categories it must consult) and every TO DO; nothing is malformed.
    REQUIRE(count(checked.err, ": error[") == 9);
    REQUIRE(count(checked.err, "error[R7.") == 9);
    REQUIRE(count(checked.err, "warning[CY310]") >= 30);
    REQUIRE(checked.err.find("error[CY2") == std::string::npos);
    REQUIRE(checked.err.find("error[R4") == std::string::npos);  // every matter has a chapter waiting
    RunResult again = run_cypp({"new", "site", folder.string(), "--board", "X", "--area", "Y"});
    REQUIRE(again.exit_code == 2);
    REQUIRE(again.err.find("error[CY111]: the folder is not empty") != std::string::npos);
}

TEST_CASE("cypp new plan and new review add to an existing site", "[scaffold]") {
    TempSite site = TempSite::copy_of(CYPP_SITE_EXAMPLE);
    RunResult review = run_cypp({"new", "review", "2013-14", "--site", site.path().string()});
    REQUIRE(review.exit_code == 0);
    REQUIRE(review.out == "Created plans/2011-2014/reviews/2013-14 (covering 1 April 2013 to 31 March 2014) with 0 change(s) in "
                         "Board membership since 18 June 2013 to account for.\n");
    auto plan = nlohmann::json::parse(site.read("plans/2011-2014/plan.json"));
    REQUIRE(plan["reviews"] == nlohmann::json({"2011-12", "2012-13", "2013-14"}));

    RunResult bad_year = run_cypp({"new", "review", "2015-16", "--site", site.path().string()});
    REQUIRE(bad_year.exit_code == 2);
    REQUIRE(bad_year.err.find("\"2015-16\" is not a year of") != std::string::npos);

    RunResult next = run_cypp({"new", "plan", "2014-04-01", "2017-03-31", "--site", site.path().string()});
    REQUIRE(next.exit_code == 0);
    REQUIRE(next.out.find("Regulation 5(2): it must be published by 12 May 2014") != std::string::npos);
    auto config = nlohmann::json::parse(site.read("site.json"));
    REQUIRE(config["plans"] == nlohmann::json({"2011-2014", "2014-2017"}));
    auto new_plan = nlohmann::json::parse(site.read("plans/2014-2017/plan.json"));
    REQUIRE(new_plan["period"]["start"] == "2014-04-01");
    REQUIRE(new_plan["published"] == "2014-05-12");
    REQUIRE(new_plan["chapters"].size() == plan["chapters"].size());
    REQUIRE_FALSE(new_plan.contains("reviews"));
    RunResult checked = run_cypp({"check", site.path().string(), "--today", "2014-06-01", "--no-history"});
    REQUIRE(checked.exit_code == 1);
    REQUIRE(checked.err.find("error[CY2") == std::string::npos);
    REQUIRE(checked.err.find("plans/2014-2017/consultation.json: error[R7.e]") != std::string::npos);
}

TEST_CASE("a new review lists the membership changes since the last review", "[scaffold]") {
    TempSite site = TempSite::copy_of(CYPP_SITE_EXAMPLE);
    site.replace("site.json", "\"partners\": [", "\"partners\": [\n    {\"id\": \"harrowfield-academy-trust\", \"name\": \"Harrowfield Academy Trust\", \"kind\": \"school\", \"joined\": \"2013-09-01\"},");
    REQUIRE(run_cypp({"new", "review", "2013-14", "--site", site.path().string()}).exit_code == 0);
    auto review = nlohmann::json::parse(site.read("plans/2011-2014/reviews/2013-14/review.json"));
    REQUIRE(review["membership_changes"].size() == 1);
    REQUIRE(review["membership_changes"][0]["partner"] == "harrowfield-academy-trust");
    REQUIRE(review["membership_changes"][0]["change"] == "joined");
    REQUIRE(review["covers"]["start"] == "2013-04-01");
}
