#include <catch2/catch.hpp>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_runner.h"

using namespace cypp::testing;
namespace stdfs = std::filesystem;

TEST_CASE("site-example builds without errors or warnings", "[cli][site-example]") {
    TempSite site = TempSite::copy_of(CYPP_SITE_EXAMPLE);
    RunResult result = run_cypp({"build", site.path().string(), "-o", (site.path() / "out").string(), "--today", "2013-07-01", "--no-history"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    REQUIRE(result.err.empty());
    for (const char* page : {"index.html", "plan/index.html", "child/index.html", "consultation/index.html",
                             "compliance/index.html", "reviews/2011-12/index.html", "reviews/2012-13/index.html", "deadlines.ics"})
        REQUIRE(stdfs::exists(site.path() / "out" / page));
}

TEST_CASE("site-example pages have one h1, unique ids and working in-page anchors", "[cli][site-example]") {
    TempSite site = TempSite::copy_of(CYPP_SITE_EXAMPLE);
    REQUIRE(run_cypp({"build", site.path().string(), "-o", (site.path() / "out").string(), "--today", "2013-07-01", "--no-history"}).exit_code == 0);
    int pages = 0;
    for (const auto& [name, content] : read_tree(site.path() / "out")) {
        if (!name.ends_with(".html")) continue;
        ++pages;
        INFO(name);
        std::size_t h1 = content.find("<h1");
        REQUIRE(h1 != std::string::npos);
        REQUIRE(content.find("<h1", h1 + 1) == std::string::npos);
        std::set<std::string> ids;
        for (std::size_t at = content.find(" id=\""); at != std::string::npos; at = content.find(" id=\"", at + 1)) {
            std::size_t start = at + 5;
            std::string id = content.substr(start, content.find('"', start) - start);
            INFO("id " << id);
            REQUIRE(ids.insert(id).second);
        }
        for (std::size_t at = content.find("href=\"#"); at != std::string::npos; at = content.find("href=\"#", at + 1)) {
            std::size_t start = at + 7;
            std::string anchor = content.substr(start, content.find('"', start) - start);
            INFO("anchor #" << anchor);
            REQUIRE(ids.count(anchor) == 1);
        }
    }
    REQUIRE(pages == 30);  // 27 pages, the print edition, the publication record and 404.html
}

// site-example's story is in this repository's own history (see site-example/README.md):
// built in place, it shows every published revision.
TEST_CASE("site-example in place publishes its revision history", "[cli][site-example][history]") {
    RunResult shallow = run_cypp({"check", CYPP_SITE_EXAMPLE, "--today", "2013-07-01"});
    if (shallow.err.find("CY702") != std::string::npos) {
        WARN("skipped: this clone is shallow, so site-example has no history to show");
        return;
    }
    TempSite out("minimal");  // only for a temporary folder to build into
    const auto folder = out.path() / "site-example-out";
    RunResult result = run_cypp({"build", CYPP_SITE_EXAMPLE, "-o", folder.string(), "--today", "2013-07-01"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    const std::string history = read_file(folder / "history/index.html");
    for (const char* expected : {"First publication of Harrowfield Children and Young People&apos;s Plan 2011–2014.",
                                 "Annual review 2011–12. We revised the chapters", "Corrected the needs assessment",
                                 "Annual review 2012–13. No chapter needed revising"})
        REQUIRE(history.find(expected) != std::string::npos);
    int versions = 0;
    for (const auto& entry : stdfs::directory_iterator(folder / "versions")) versions += entry.is_directory();
    REQUIRE(versions >= 4);
    REQUIRE(read_file(folder / "plan/be-healthy/index.html").find("Last updated <time datetime=\"2012-07-02\">2 July 2012</time>") !=
            std::string::npos);
    REQUIRE(read_file(folder / "feed.xml").find("<feed xmlns=\"http://www.w3.org/2005/Atom\"") != std::string::npos);
}

// Reads the withheld details from the example's own consultation record, so the test
// follows the content instead of repeating it.
TEST_CASE("site-example publishes no withheld respondent's details", "[cli][site-example][confidentiality]") {
    TempSite site = TempSite::copy_of(CYPP_SITE_EXAMPLE);
    REQUIRE(run_cypp({"build", site.path().string(), "-o", (site.path() / "out").string(), "--today", "2013-07-01", "--no-history"}).exit_code == 0);
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
    // The bundle webmasters download, decompressed: its entry names and contents.
    REQUIRE(run_cypp({"bundle", "out"}, {}, site.path()).exit_code == 0);
    const std::string tar = (site.path() / "out.tar").string();
    REQUIRE(std::system(("gzip -dc '" + (site.path() / "out.tar.gz").string() + "' > '" + tar + "'").c_str()) == 0);
    files["(out.tar.gz, decompressed)"] = read_file(tar);
    REQUIRE(files["(out.tar.gz, decompressed)"].find("plan/index.html") != std::string::npos);
    for (const std::string& secret : withheld)
        for (const auto& [name, content] : files) {
            INFO("\"" << secret << "\" appears in " << name);
            REQUIRE(name.find(secret) == std::string::npos);
            REQUIRE(content.find(secret) == std::string::npos);
        }
}
