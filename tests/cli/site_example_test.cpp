#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <set>

#include "cli_runner.h"

using namespace cypp::testing;
namespace stdfs = std::filesystem;

TEST_CASE("site-example builds without errors or warnings", "[cli][site-example]") {
    TempSite site = TempSite::copy_of(CYPP_SITE_EXAMPLE);
    RunResult result = run_cypp({"build", site.path().string(), "-o", (site.path() / "out").string(), "--today", "2013-07-01"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    REQUIRE(result.err.empty());
    for (const char* page : {"index.html", "plan/index.html", "child/index.html", "consultation/index.html",
                             "compliance/index.html", "reviews/2011-12/index.html", "reviews/2012-13/index.html", "deadlines.ics"})
        REQUIRE(stdfs::exists(site.path() / "out" / page));
}

// Reads the withheld details from the example's own consultation record, so the test
// follows the content instead of repeating it.
TEST_CASE("site-example publishes no withheld respondent's details", "[cli][site-example][confidentiality]") {
    TempSite site = TempSite::copy_of(CYPP_SITE_EXAMPLE);
    REQUIRE(run_cypp({"build", site.path().string(), "-o", (site.path() / "out").string(), "--today", "2013-07-01"}).exit_code == 0);
    auto record = nlohmann::json::parse(read_file(site.path() / "plans/2011-2014/consultation.json"));
    std::set<std::string> withheld;
    int withheld_responses = 0;
    for (const auto& response : record["responses"]) {
        const std::string consent = response.value("consent", "do-not-publish");
        if (consent == "publish-with-name") continue;
        for (const char* field : {"name", "organisation", "address"})
            if (response.contains(field)) withheld.insert(response[field].get<std::string>());
        if (consent == "do-not-publish") {
            ++withheld_responses;
            if (response.contains("comment")) withheld.insert(response["comment"].get<std::string>());
        }
    }
    REQUIRE(withheld_responses >= 5);
    REQUIRE(withheld.size() >= 10);
    auto files = read_tree(site.path() / "out");
    REQUIRE(files.size() > 20);
    for (const std::string& secret : withheld)
        for (const auto& [name, content] : files) {
            INFO("\"" << secret << "\" appears in " << name);
            REQUIRE(content.find(secret) == std::string::npos);
        }
}
