#include <catch2/catch.hpp>

#include <set>

#include "cli_runner.h"

using namespace cypp::testing;

namespace {

// Builds tests/fixtures/minimal as the other CLI tests do: a fixed day, no history.
std::map<std::string, std::string> build_minimal(const TempSite& site) {
    RunResult result = run_cypp({"build", "--today", "2011-06-01", "--no-history"}, {{"SOURCE_DATE_EPOCH", "\x01"}}, site.path());
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    return read_tree(site.file("public"));
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

// The values of every attribute written as prefix"value" (e.g. " id=\"").
std::vector<std::string> attribute_values(const std::string& html, const std::string& prefix) {
    std::vector<std::string> values;
    for (std::size_t at = html.find(prefix); at != std::string::npos; at = html.find(prefix, at + 1)) {
        const std::size_t start = at + prefix.size();
        values.push_back(html.substr(start, html.find('"', start) - start));
    }
    return values;
}

}  // namespace

TEST_CASE("the print edition is one document with a cover, contents and every chapter", "[cli][publication]") {
    TempSite site("minimal");
    auto files = build_minimal(site);
    const std::string& print = files.at("print/index.html");
    CHECK(print.find("<p class=\"print-board\">Testshire Children&apos;s Trust Board</p>") != std::string::npos);
    CHECK(print.find("<h1>Testshire Children and Young People&apos;s Plan 2011-2014</h1>") != std::string::npos);
    CHECK(print.find("Plan period: 1 April 2011 to 31 March 2014") != std::string::npos);
    CHECK(print.find("Published <time datetime=\"2011-03-25\">25 March 2011</time>") != std::string::npos);
    CHECK(print.find("Revision ") == std::string::npos);  // no history, no revision
    CHECK(count(print, "<h1") == 1);
    CHECK(print.find("<a href=\"#chapter-introduction\">Introduction</a>") != std::string::npos);
    CHECK(print.find("<h2 id=\"chapter-needs\">") != std::string::npos);
    // The chapters' own headings move down a level and take the chapter's prefix.
    CHECK(print.find("<h3 id=\"introduction-why-this-plan\">Why this plan</h3>") != std::string::npos);
    // A link to another chapter becomes a link inside the document.
    CHECK(print.find("<a href=\"#needs-what-we-found\">needs assessment</a>") != std::string::npos);
    CHECK(print.find("<h2 id=\"for-children\">For children and young people</h2>") != std::string::npos);
    CHECK(print.find("<td>Central Library</td><td>1 High Street, Testtown</td><td class=\"numeric\">5</td>") !=
          std::string::npos);
    CHECK(print.find("received 4 responses") != std::string::npos);
    CHECK(print.find("Buses are too rare.") != std::string::npos);
    // "You said, we did" leads to the changed chapter's section of this document.
    CHECK(print.find("<p class=\"ysw-changed\">Changed in the plan:</p><ul><li><a href=\"#introduction-how-we-work\">"
                     "Introduction: How we work</a></li></ul>") != std::string::npos);

    std::set<std::string> ids;
    for (const std::string& id : attribute_values(print, " id=\"")) {
        INFO("id " << id);
        CHECK(ids.insert(id).second);
    }
    for (const std::string& anchor : attribute_values(print, "href=\"#")) {
        INFO("anchor #" << anchor);
        CHECK(ids.count(anchor) == 1);
    }
    // Relative links leave print/ correctly: nothing climbs above the site root.
    for (const std::string& href : attribute_values(print, "href=\"../")) {
        INFO("href ../" << href);
        CHECK_FALSE(href.starts_with("../"));
        CHECK(files.count(href) == 1);
    }
    // A printed copy cannot be withdrawn: it names no respondent at all.
    for (const char* name : {"Ada Published", "Bea Anonymous", "Cyd Withheld", "Dee Noconsent", "Withheld Org",
                             "9 Secret Lane", "Private comment."}) {
        INFO(name);
        CHECK(print.find(name) == std::string::npos);
    }
}

TEST_CASE("the publication record lists every website and deposit, and home and footer link to it", "[cli][publication]") {
    TempSite site("minimal");
    auto files = build_minimal(site);
    const std::string& record = files.at("publication/index.html");
    CHECK(count(record, "<h1") == 1);
    CHECK(record.find("<h1>Where this plan is published</h1>") != std::string::npos);
    CHECK(record.find("<a href=\"https://www.testshire.example/cypp\">https://www.testshire.example/cypp</a>") !=
          std::string::npos);
    CHECK(record.find("<a href=\"https://www.testshire-pct.example/cypp\">https://www.testshire-pct.example/cypp</a>") !=
          std::string::npos);
    CHECK(record.find("<td>Central Library</td><td>1 High Street, Testtown</td><td class=\"numeric\">5</td>") !=
          std::string::npos);
    CHECK(record.find("<time datetime=\"2011-03-25\">25 March 2011</time>") != std::string::npos);
    CHECK(record.find("Latest revision") == std::string::npos);
    const std::string& home = files.at("index.html");
    CHECK(home.find("<a href=\"print/index.html\">Print edition</a>") != std::string::npos);
    CHECK(home.find("<a href=\"publication/index.html\">Where this plan is published</a>") != std::string::npos);
    CHECK(files.at("plan/needs/index.html").find("<a href=\"../../publication/index.html\">Where this plan is published</a>") !=
          std::string::npos);
}

TEST_CASE("sitemap.xml, robots.txt and 404.html use the official address", "[cli][publication]") {
    TempSite site("minimal");
    auto files = build_minimal(site);
    const std::string base = "https://www.testshire.example/cypp/";
    CHECK(files.at("robots.txt") == "User-agent: *\nAllow: /\nSitemap: " + base + "sitemap.xml\n");
    const std::string& sitemap = files.at("sitemap.xml");
    std::size_t pages = 0;
    for (const auto& [name, content] : files) {
        if (!name.ends_with(".html") || name == "404.html") continue;
        ++pages;
        INFO(name);
        CHECK(count(sitemap, "<url><loc>" + base + name + "</loc></url>") == 1);
    }
    CHECK(pages == 11);
    CHECK(count(sitemap, "<url>") == pages);
    CHECK(sitemap.find("404.html") == std::string::npos);

    const std::string& not_found = files.at("404.html");
    CHECK(count(not_found, "<h1") == 1);
    CHECK(not_found.find("<link") == std::string::npos);  // stands alone: nothing loaded from elsewhere
    CHECK(not_found.find("href=\"" + base + "index.html\"") != std::string::npos);
    // Served at any depth: no relative link may remain.
    for (const std::string& href : attribute_values(not_found, "href=\"")) {
        INFO(href);
        CHECK((href.starts_with(base) || href.starts_with("#") || href.starts_with("mailto:")));
    }
}
