#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "cli_runner.h"

using namespace cypp::testing;
namespace stdfs = std::filesystem;

namespace {

const std::map<std::string, std::string> no_source_date{{"SOURCE_DATE_EPOCH", "\x01"}};

// Runs cypp inside the site folder, so diagnostics name files as authors see them, on a
// fixed day inside the fixture's plan period.
RunResult run_in(const TempSite& site, std::vector<std::string> arguments,
                 const std::map<std::string, std::string>& environment = no_source_date) {
    if (arguments[0] == "build" || arguments[0] == "check") {
        arguments.push_back("--today");
        arguments.push_back("2011-06-01");
        arguments.push_back("--no-history");  // history has its own tests (tests/history)
    }
    return run_cypp(arguments, environment, site.path());
}

}  // namespace

TEST_CASE("build writes the three editions with stable URLs", "[cli]") {
    TempSite site("minimal");
    RunResult result = run_in(site, {"build"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    REQUIRE(result.err.empty());
    REQUIRE(result.out == "Built 18 files into public (open public/index.html)\n");
    auto files = read_tree(site.file("public"));
    std::vector<std::string> names;
    for (const auto& [name, content] : files) names.push_back(name);
    REQUIRE(names == std::vector<std::string>{".cypp-output", "404.html", "SHA256SUMS", "accessibility/index.html",
                                              "assets/style.css", "child/about/index.html", "child/index.html",
                                              "compliance/index.html", "consultation/index.html", "deadlines.ics",
                                              "index.html", "manifest.json", "plan/index.html", "plan/introduction/index.html",
                                              "plan/needs/index.html", "print/index.html", "publication/index.html",
                                              "robots.txt", "sitemap.xml"});
    const std::string& chapter = files["plan/introduction/index.html"];
    REQUIRE(chapter.find("<a href=\"../needs/index.html#what-we-found\">needs assessment</a>") != std::string::npos);
    REQUIRE(chapter.find("<h2 id=\"why-this-plan\">Why this plan</h2>") != std::string::npos);
    REQUIRE(chapter.find("href=\"../../assets/style.css\"") != std::string::npos);
    // One h1 per page.
    for (const auto& [name, content] : files) {
        if (!name.ends_with(".html")) continue;
        INFO(name);
        std::size_t first = content.find("<h1");
        REQUIRE(first != std::string::npos);
        REQUIRE(content.find("<h1", first + 1) == std::string::npos);
    }
    const std::string& child = files["child/about/index.html"];
    REQUIRE(child.find("href=\"../../plan/introduction/index.html#why-this-plan\"") != std::string::npos);
}

TEST_CASE("the same input builds byte-identical output", "[cli]") {
    TempSite site("minimal");
    REQUIRE(run_in(site, {"build", "-o", "first"}).exit_code == 0);
    REQUIRE(run_in(site, {"build", "-o", "second"}).exit_code == 0);
    REQUIRE(read_tree(site.file("first")) == read_tree(site.file("second")));
    // SOURCE_DATE_EPOCH is the only date a build prints, and it is reproducible too.
    std::map<std::string, std::string> fixed{{"SOURCE_DATE_EPOCH", "1301011200"}};
    REQUIRE(run_in(site, {"build", "-o", "third"}, fixed).exit_code == 0);
    REQUIRE(run_in(site, {"build", "-o", "fourth"}, fixed).exit_code == 0);
    REQUIRE(read_tree(site.file("third")) == read_tree(site.file("fourth")));
    REQUIRE(read_file(site.file("third/index.html")).find("built 25 March 2011") != std::string::npos);
}

TEST_CASE("a malformed SOURCE_DATE_EPOCH is a usage error", "[cli]") {
    TempSite site("minimal");
    RunResult result = run_in(site, {"build"}, {{"SOURCE_DATE_EPOCH", "yesterday"}});
    REQUIRE(result.exit_code == 2);
    REQUIRE(result.err ==
            "SOURCE_DATE_EPOCH: error[CY105]: \"yesterday\" is not a number of seconds since 1970-01-01\n"
            "  hint: set it to a whole number such as $(git log -1 --format=%ct), or unset it\n"
            "1 error, 0 warnings\n");
    REQUIRE_FALSE(stdfs::exists(site.file("public")));
}

TEST_CASE("malformed JSON is reported with line and column", "[cli]") {
    TempSite site("minimal");
    site.replace("plans/2011-2014/plan.json", "\"published\": \"2011-03-25\",", "\"published\": \"2011-03-25\"");
    RunResult result = run_in(site, {"check"});
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err.starts_with("plans/2011-2014/plan.json:6:3: error[CY201]: malformed JSON: "));
}

TEST_CASE("schema violations name the file, line and JSON pointer", "[cli]") {
    TempSite site("minimal");
    site.replace("plans/2011-2014/plan.json", "\"published\": \"2011-03-25\"", "\"published\": 2011");
    site.replace("site.json", "\"copies\": 5", "\"copies\": 0");
    RunResult result = run_in(site, {"check", "--format", "json"});
    REQUIRE(result.exit_code == 1);
    auto report = nlohmann::json::parse(result.out);
    REQUIRE(report["summary"]["errors"] == 2);
    auto first = report["diagnostics"][0];
    REQUIRE(first["code"] == "CY202");
    REQUIRE(first["file"] == "site.json");
    REQUIRE(first["pointer"] == "/publication/deposits/0/copies");
    REQUIRE(first["line"] == 15);
    auto second = report["diagnostics"][1];
    REQUIRE(second["file"] == "plans/2011-2014/plan.json");
    REQUIRE(second["pointer"] == "/published");
    REQUIRE(second["line"] == 5);
    REQUIRE(second["column"] == 16);
}

TEST_CASE("a missing chapter file is reported where it is listed", "[cli]") {
    TempSite site("minimal");
    stdfs::remove(site.file("plans/2011-2014/chapters/needs.md"));
    RunResult result = run_in(site, {"check"});
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err.starts_with(
        "plans/2011-2014/plan.json:9:14: error[CY102]: file plans/2011-2014/chapters/needs.md does not exist (at /chapters/1/file)\n"));
}

TEST_CASE("broken links and anchors are errors with the Markdown line", "[cli]") {
    TempSite site("minimal");
    site.write("plans/2011-2014/chapters/needs.md",
               "## What we found\n\nSee [gone](missing.md) and\n[bad anchor](introduction.md#nowhere) and [lost](#what-we-lost).\n");
    RunResult result = run_in(site, {"check"});
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err ==
            "plans/2011-2014/chapters/needs.md:3:5: error[CY401]: \"missing.md\" links to plans/2011-2014/chapters/missing.md, which does not exist\n"
            "  hint: link to a page listed in plan.json or child.json\n"
            "plans/2011-2014/chapters/needs.md:4:1: error[CY402]: plans/2011-2014/chapters/introduction.md has no heading with the id \"nowhere\"\n"
            "  hint: link to the id of an existing heading (its text in lower case with hyphens)\n"
            "plans/2011-2014/chapters/needs.md:4:43: error[CY402]: there is no heading with the id \"what-we-lost\" on this page\n"
            "  hint: link to the id of an existing heading (its text in lower case with hyphens)\n"
            "3 errors, 0 warnings\n");
}

TEST_CASE("raw HTML, javascript: links and images without alt text stop the build", "[cli]") {
    TempSite site("minimal");
    REQUIRE(run_in(site, {"build"}).exit_code == 0);
    const auto before = read_tree(site.file("public"));
    site.write("plans/2011-2014/child/about.md",
               "## The plan\n\n<iframe src=\"https://evil.example\"></iframe>\n\n[run it](javascript:alert(1))\n\n![](photo.png)\n");
    site.write("plans/2011-2014/child/photo.png", "not really a png");
    RunResult result = run_in(site, {"build"});
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err ==
            "plans/2011-2014/child/about.md:3:1: error[CY302]: raw HTML is not allowed and is left out of the page\n"
            "  hint: write it in Markdown instead (tables, lists, links and emphasis are available)\n"
            "plans/2011-2014/child/about.md:5:1: error[CY304]: \"javascript:\" link is not allowed\n"
            "  hint: link to a web page (https://...) or to another page of the plan\n"
            "plans/2011-2014/child/about.md:7:1: error[CY305]: image \"photo.png\" has no alt text\n"
            "  hint: describe the image for people who cannot see it: ![what it shows](photo.png)\n"
            "3 errors, 0 warnings\n");
    // The failed build left the previous output exactly as it was.
    REQUIRE(read_tree(site.file("public")) == before);
}

TEST_CASE("oversized files and tables are refused with a clear error", "[cli]") {
    TempSite site("minimal");
    site.write("plans/2011-2014/chapters/needs.md", "## What we found\n\n" + std::string(600 * 1024, 'a') + "\n");
    std::string wide = "## How we work\n\n|";
    std::string delimiter = "|";
    for (int i = 0; i < 100; ++i) {
        wide += " c |";
        delimiter += "---|";
    }
    site.write("plans/2011-2014/chapters/introduction.md", wide + "\n" + delimiter + "\n");
    RunResult result = run_in(site, {"check"});
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.err.find("plans/2011-2014/chapters/introduction.md:4:1: error[CY306]: table has 100 columns; the limit is 64\n") !=
            std::string::npos);
    REQUIRE(result.err.find("plans/2011-2014/chapters/needs.md: error[CY103]: file is larger than the limit of 512 KiB\n") !=
            std::string::npos);
}

TEST_CASE("withheld respondents never appear in any output file", "[cli][confidentiality]") {
    TempSite site("minimal");
    REQUIRE(run_in(site, {"build"}).exit_code == 0);
    auto files = read_tree(site.file("public"));
    for (const char* withheld : {"Cyd Withheld", "Withheld Org", "9 Secret Lane", "Private comment.", "Dee Noconsent",
                                        "Bea Anonymous"}) {
        for (const auto& [name, content] : files) {
            INFO(withheld << " in " << name);
            REQUIRE(content.find(withheld) == std::string::npos);
        }
    }
    const std::string& record = files["consultation/index.html"];
    REQUIRE(record.find("<h3>Ada Published</h3>") != std::string::npos);
    REQUIRE(record.find("<h3>Respondent 2</h3>") != std::string::npos);
    REQUIRE(record.find("2 respondents asked us not to publish their response.") != std::string::npos);
}

TEST_CASE("the site folder must exist and hold site.json", "[cli]") {
    RunResult missing = run_cypp({"check", "/nonexistent/cypp-site"});
    REQUIRE(missing.exit_code == 2);
    REQUIRE(missing.err.starts_with("/nonexistent/cypp-site: error[CY101]: site folder does not exist\n"));
}

TEST_CASE("usage errors exit 2, --version and --help exit 0", "[cli]") {
    REQUIRE(run_cypp({"frobnicate"}).exit_code == 2);
    RunResult version = run_cypp({"--version"});
    REQUIRE(version.exit_code == 0);
    REQUIRE(version.out.starts_with("cypp "));
    RunResult help = run_cypp({"build", "--help"});
    REQUIRE(help.exit_code == 0);
    REQUIRE(help.out.find("--output") != std::string::npos);
}

TEST_CASE("a mistyped command is named, with the commands there are", "[cli]") {
    RunResult top = run_cypp({"buidl", "site"});
    REQUIRE(top.exit_code == 2);
    REQUIRE(top.out.empty());
    REQUIRE(top.err == "cypp: unknown command \"buidl\"\n"
                       "Commands: build, check, validate, new, serve, verify, bundle, explain\n"
                       "Run cypp --help for more information.\n");
    RunResult nested = run_cypp({"new", "plann", "2014-04-01", "2017-03-31"});
    REQUIRE(nested.exit_code == 2);
    REQUIRE(nested.out.empty());
    REQUIRE(nested.err == "cypp new: unknown command \"plann\"\n"
                          "Commands: site, plan, review\n"
                          "Run cypp new --help for more information.\n");
    // A command's own arguments are not taken for commands.
    RunResult explain = run_cypp({"explain", "CY117"});
    REQUIRE(explain.exit_code == 0);
    REQUIRE(explain.err.empty());
}

TEST_CASE("check shows the reading level of each child page and warns above the target", "[cli][readability]") {
    TempSite site("minimal");
    RunResult easy = run_in(site, {"check"});
    REQUIRE(easy.exit_code == 0);
    REQUIRE(easy.out.find("Reading level of the child-friendly version (target: grade 7.0 or below):\n"
                          "  plans/2011-2014/child/about.md: grade ") != std::string::npos);
    site.write("plans/2011-2014/child/about.md",
               "## The plan\n\nThe Board partners will co-operate to commission integrated multi-agency provision "
               "addressing the identified safeguarding priorities, consistent with statutory responsibilities.\n");
    RunResult hard = run_in(site, {"check"});
    REQUIRE(hard.exit_code == 0);
    REQUIRE(hard.err.starts_with("plans/2011-2014/child/about.md: warning[CY309]: reads at grade "));
    REQUIRE(hard.err.find("above the target of grade 7.0 for the child-friendly version") != std::string::npos);
    site.replace("site.json", "\"plans\": [\"2011-2014\"]", "\"child_reading\": {\"max_grade\": 30}, \"plans\": [\"2011-2014\"]");
    REQUIRE(run_in(site, {"check"}).err.find("CY309") == std::string::npos);
}

TEST_CASE("the accessibility statement is generated from the site configuration", "[cli][accessibility]") {
    TempSite site("minimal");
    REQUIRE(run_in(site, {"build"}).exit_code == 0);
    const std::string page = read_file(site.file("public/accessibility/index.html"));
    REQUIRE(page.find("<h1>Accessibility statement</h1>") != std::string::npos);
    REQUIRE(page.find("fully compliant with the Web Content Accessibility Guidelines version 2.2 AA") != std::string::npos);
    REQUIRE(page.find("Ask us for large print or easy read.") != std::string::npos);
    REQUIRE(page.find("<a href=\"../child/about/index.html\">What is the plan?</a>") != std::string::npos);
    REQUIRE(read_file(site.file("public/index.html")).find("<a href=\"accessibility/index.html\">Accessibility statement</a>") !=
            std::string::npos);
    site.replace("site.json", "\"other_formats\": \"Ask us for large print or easy read.\"",
                 "\"other_formats\": \"Ask us for large print or easy read.\", \"known_issues\": [\"The 2009 PDF annex is not tagged.\"]");
    REQUIRE(run_in(site, {"build"}).exit_code == 0);
    const std::string partial = read_file(site.file("public/accessibility/index.html"));
    REQUIRE(partial.find("partially compliant") != std::string::npos);
    REQUIRE(partial.find("<li>The 2009 PDF annex is not tagged.</li>") != std::string::npos);
}

TEST_CASE("cypp explain looks up rule ids and codes", "[cli][explain]") {
    RunResult rule = run_cypp({"explain", "R8.3"});
    REQUIRE(rule.exit_code == 0);
    REQUIRE(rule.out.starts_with("R8.3: Changes in Board membership\nSource: regulation 8(4) "));
    RunResult code = run_cypp({"explain", "CY402"});
    REQUIRE(code.exit_code == 0);
    REQUIRE(code.out == "CY402 (links): A link to a heading id (`#anchor`) that the target page does not have.\n");
    RunResult unknown = run_cypp({"explain", "R99"});
    REQUIRE(unknown.exit_code == 2);
    REQUIRE(unknown.err.find("no diagnostic code or rule id \"R99\"") != std::string::npos);
}

TEST_CASE("every diagnostic code has an explanation and every rule id is in the catalogue", "[cli][explain]") {
    auto catalogue = nlohmann::json::parse(read_file(std::string(CYPP_CONTENT) + "/diagnostics.json"));
    for (const auto& entry : catalogue["diagnostics"]) REQUIRE(run_cypp({"explain", entry["code"]}).exit_code == 0);
    auto rules = nlohmann::json::parse(read_file(std::string(CYPP_CONTENT) + "/rules.json"));
    for (const auto& rule : rules["rules"]) REQUIRE(run_cypp({"explain", rule["id"]}).exit_code == 0);
}

TEST_CASE("check with --format github prints workflow annotations", "[cli][github]") {
    TempSite site("minimal");
    site.replace("plans/2011-2014/plan.json", "\"published\": \"2011-03-25\"", "\"published\": 2011");
    RunResult result = run_in(site, {"check", "--format", "github"});
    REQUIRE(result.exit_code == 1);
    REQUIRE(result.out ==
            "::error file=plans/2011-2014/plan.json,line=5,col=16,title=CY202::expected a string, found a number (at "
            "/published)%0Ahint: see schemas/plan.schema.json for what this file may contain\n");
    REQUIRE(result.err == "1 error, 0 warnings\n");
}

TEST_CASE("diagnostics are never coloured when not on a terminal or with NO_COLOR", "[cli][colour]") {
    TempSite site("minimal");
    site.replace("plans/2011-2014/plan.json", "\"published\": \"2011-03-25\"", "\"published\": 2011");
    REQUIRE(run_in(site, {"check"}).err.find('\033') == std::string::npos);
    std::map<std::string, std::string> no_colour{{"SOURCE_DATE_EPOCH", "\x01"}, {"NO_COLOR", "1"}};
    REQUIRE(run_in(site, {"check"}, no_colour).err.find('\033') == std::string::npos);
}

TEST_CASE("a mirror proves its copy with cypp verify, and bundles are reproducible", "[cli][publish]") {
    TempSite site("minimal");
    std::map<std::string, std::string> fixed{{"SOURCE_DATE_EPOCH", "1301011200"}};
    REQUIRE(run_in(site, {"build"}, fixed).exit_code == 0);
    auto manifest = nlohmann::json::parse(read_file(site.file("public/manifest.json")));
    REQUIRE(manifest["format"] == 1);
    REQUIRE(manifest["build_time"] == "2011-03-25");
    REQUIRE(manifest["official_url"] == "https://www.testshire.example/cypp");
    REQUIRE(manifest["files"].size() == 16);
    RunResult exact = run_cypp({"verify", "public"}, {}, site.path());
    REQUIRE(exact.exit_code == 0);
    const std::string sums = read_file(site.file("public/SHA256SUMS"));  // its line for manifest.json
    const std::size_t manifest_line = sums.find("  manifest.json\n");
    REQUIRE(manifest_line >= 64);
    REQUIRE(exact.out == "OK: 16 files match the manifest\nmanifest.json SHA-256: " +
                             sums.substr(manifest_line - 64, 64) + " (the official copy's must be the same)\n");
    REQUIRE(std::system(("cd '" + site.file("public").string() + "' && sha256sum --quiet -c SHA256SUMS").c_str()) == 0);

    site.write("public/plan/needs/index.html", "changed");
    site.write("public/extra.html", "extra");
    std::filesystem::remove(site.file("public/child/index.html"));
    RunResult tampered = run_cypp({"verify", "public"}, {}, site.path());
    REQUIRE(tampered.exit_code == 1);
    REQUIRE(tampered.out.find("missing: child/index.html\n") != std::string::npos);
    REQUIRE(tampered.out.find("altered: plan/needs/index.html\n") != std::string::npos);
    REQUIRE(tampered.out.find("unexpected: extra.html\n") != std::string::npos);

    REQUIRE(run_in(site, {"build"}, fixed).exit_code == 0);
    REQUIRE(run_cypp({"bundle", "public"}, fixed, site.path()).exit_code == 0);
    const std::string first_tar = read_file(site.file("public.tar.gz")), first_zip = read_file(site.file("public.zip"));
    REQUIRE(run_cypp({"bundle", "public"}, fixed, site.path()).exit_code == 0);
    REQUIRE(read_file(site.file("public.tar.gz")) == first_tar);
    REQUIRE(read_file(site.file("public.zip")) == first_zip);
    REQUIRE(run_cypp({"verify", "public.tar.gz"}, {}, site.path()).exit_code == 0);
    REQUIRE(run_cypp({"verify", "public.zip"}, {}, site.path()).exit_code == 0);
    // A folder named with a final "/" (as a shell completes it) is the same folder.
    RunResult slash_build = run_in(site, {"build", ".", "-o", "public/"}, fixed);
    REQUIRE(slash_build.exit_code == 0);
    REQUIRE(slash_build.out == "Built 18 files into public/ (open public/index.html)\n");
    REQUIRE(run_cypp({"bundle", "public/"}, fixed, site.path()).exit_code == 0);
    REQUIRE(read_file(site.file("public.tar.gz")) == first_tar);
    REQUIRE(read_file(site.file("public.zip")) == first_zip);
    RunResult not_built = run_cypp({"bundle", "plans"}, {}, site.path());
    REQUIRE(not_built.exit_code == 2);
    REQUIRE(not_built.err.find("error[CY115]") != std::string::npos);
}

TEST_CASE("every page names its official copy for mirrors", "[cli][publish]") {
    TempSite site("minimal");
    REQUIRE(run_in(site, {"build"}).exit_code == 0);
    const std::string chapter = read_file(site.file("public/plan/needs/index.html"));
    REQUIRE(chapter.find("<link rel=\"canonical\" href=\"https://www.testshire.example/cypp/plan/needs/index.html\">") !=
            std::string::npos);
    REQUIRE(chapter.find("The official copy of this plan is on the website of the establishing authority: "
                         "<a href=\"https://www.testshire.example/cypp/index.html\">") != std::string::npos);
}
