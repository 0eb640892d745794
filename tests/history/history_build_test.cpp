// The history as published by `cypp build`: archived versions, differences pages, the
// feed, retroactive redaction and reproducibility.
#include <catch2/catch.hpp>

#include "cli_runner.h"
#include "git_fixture.h"
#include "history/history.h"

namespace stdfs = std::filesystem;
using cypp::diag::Diagnostics;
using cypp::history::History;
using cypp::testing::GitFixture;
using cypp::testing::read_file;
using cypp::testing::read_tree;
using cypp::testing::run_cypp;
using cypp::testing::RunResult;
using cypp::testing::TempFolder;

namespace {

const std::string P = "plans/2011-2014/";
const std::string intro = P + "chapters/introduction.md";
const std::string needs = P + "chapters/needs.md";

RunResult build(const stdfs::path& site, const stdfs::path& out, std::vector<std::string> extra = {}) {
    std::vector<std::string> arguments = {"build", site.string(), "-o", out.string(), "--today", "2011-06-01"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return run_cypp(arguments, {{"SOURCE_DATE_EPOCH", "\x01"}});
}

std::vector<std::string> revision_ids(const GitFixture& repo) {
    Diagnostics diagnostics;
    History history = cypp::history::read_history(repo.site(), "site", diagnostics);
    std::vector<std::string> ids;
    for (const auto& revision : history.revisions()) ids.push_back(revision.id);
    return ids;
}

// The text between the first `open` and the first `close` after it, both included.
std::string between(const std::string& text, const std::string& open, const std::string& close) {
    const std::size_t start = text.find(open);
    if (start == std::string::npos) return {};
    const std::size_t end = text.find(close, start);
    if (end == std::string::npos) return {};
    return text.substr(start, end + close.size() - start);
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
    return n;
}

// Three published revisions: the first publication, a revised needs assessment and a
// revised introduction.
struct ThreeRevisions {
    GitFixture repo;
    std::vector<std::string> commits;
    ThreeRevisions() {
        repo.add_fixture("minimal");
        commits.push_back(repo.commit("Publish the plan", "2011-03-20"));
        repo.replace(needs, "| Looked after | 120 |", "| Looked after | 125 |");
        commits.push_back(repo.commit("Revise the needs", "2011-04-15", "Revised the needs assessment."));
        repo.replace(intro, "We meet every month.", "We meet every week.");
        commits.push_back(repo.commit("Meet weekly", "2011-05-10", "The Board now meets every week."));
    }
};

}  // namespace

TEST_CASE("an archived version is the build of the old tree", "[history][build]") {
    ThreeRevisions fixture;
    const auto ids = revision_ids(fixture.repo);
    REQUIRE(ids.size() == 3);
    TempFolder out;
    auto built = build(fixture.repo.site(), out.path());
    REQUIRE(built.exit_code == 0);
    // The third revision changed the introduction after the child page that explains it.
    CHECK(built.err == (fixture.repo.site() / "plans/2011-2014/child/about.md").string() +
                           ": warning[CY707]: may be out of date: \"Introduction\", the chapter it explains, "
                           "changed on 10 May 2011, after this page was last revised\n"
                           "  hint: check the page still matches the chapter; commit the page (with a change note) when it does\n"
                           "0 errors, 1 warning\n");

    for (std::size_t i = 0; i < ids.size(); ++i) {
        INFO("revision " << ids[i]);
        TempFolder old;
        fixture.repo.export_site(fixture.commits[i], old.path() / "site");
        auto old_build = build(old.path() / "site", old.path() / "out", {"--no-history"});
        REQUIRE(old_build.exit_code == 0);
        for (const std::string slug : {"introduction", "needs"}) {
            INFO("chapter " << slug);
            const std::string page = "plan/" + slug + "/index.html";
            const std::string archived = read_file(out.path() / "versions" / ids[i] / page);
            const std::string expected = read_file(old.path() / "out" / page);
            const std::string archived_prose = between(archived, "<div class=\"prose\">", "</div>");
            const std::string expected_prose = between(expected, "<div class=\"prose\">", "</div>");
            REQUIRE_FALSE(expected_prose.empty());
            CHECK(archived_prose == expected_prose);
            CHECK(between(archived, "<main", "</main>") == between(expected, "<main", "</main>"));
            CHECK(archived.find("This is the plan as it was published on") != std::string::npos);
            CHECK(expected.find("This is the plan as it was published on") == std::string::npos);
        }
    }
    // The versions differ where the commits did.
    const std::string first = read_file(out.path() / "versions" / ids[0] / "plan/needs/index.html");
    const std::string second = read_file(out.path() / "versions" / ids[1] / "plan/needs/index.html");
    CHECK(first.find("120") != std::string::npos);
    CHECK(second.find("125") != std::string::npos);
    CHECK(second.find("<td>120</td>") == std::string::npos);
}

TEST_CASE("the differences page shows a changed word", "[history][build]") {
    GitFixture repo;
    repo.add_fixture("minimal");
    repo.commit("Publish the plan", "2011-03-20");
    repo.replace(intro, "We meet every month.", "We meet every week.");
    repo.commit("Meet weekly", "2011-05-10", "The Board now meets every week.");
    const auto ids = revision_ids(repo);
    REQUIRE(ids.size() == 2);
    TempFolder out;
    REQUIRE(build(repo.site(), out.path()).exit_code == 0);

    CHECK_FALSE(stdfs::exists(out.path() / "history" / ids[0]));  // the first publication has no differences
    const std::string page = read_file(out.path() / "history" / ids[1] / "index.html");
    CHECK(page.find("<ins><span class=\"visually-hidden\">Added: </span>week.</ins>") != std::string::npos);
    CHECK(page.find("<del><span class=\"visually-hidden\">Removed: </span>month.</del>") != std::string::npos);
    CHECK(count(page, "<ins>") == 1);
    CHECK(count(page, "<del>") == 1);
    CHECK(page.find("<dd>1 page changed</dd>") != std::string::npos);
    CHECK(count(page, "class=\"diff-page\"") == 1);
    CHECK(page.find("Introduction: <span class=\"diff-kind\">changed</span>") != std::string::npos);
    CHECK(page.find("The Board now meets every week.") != std::string::npos);

    const std::string list = read_file(out.path() / "history" / "index.html");
    CHECK(list.find("1 page changed") != std::string::npos);
    CHECK(list.find("First publication") != std::string::npos);
    CHECK(list.find(ids[1] + "/index.html") != std::string::npos);
}

TEST_CASE("the Atom feed has one entry per revision, newest first", "[history][build]") {
    ThreeRevisions fixture;
    const auto ids = revision_ids(fixture.repo);
    REQUIRE(ids.size() == 3);
    TempFolder out;
    REQUIRE(build(fixture.repo.site(), out.path()).exit_code == 0);
    const std::string feed = read_file(out.path() / "feed.xml");

    CHECK(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    CHECK(feed.ends_with("</feed>\n"));
    CHECK(feed.find("xml:base=\"https://www.testshire.example/cypp/\"") != std::string::npos);
    for (const std::string tag : {"entry", "title", "id", "updated", "summary", "author", "name"}) {
        INFO(tag);
        CHECK(count(feed, "<" + tag + ">") == count(feed, "</" + tag + ">"));
    }
    CHECK(count(feed, "<entry>") == 3);
    CHECK(between(feed, "<feed", "<entry>").find("<updated>2011-05-10T00:00:00Z</updated>") != std::string::npos);

    std::size_t previous = 0;
    for (std::size_t n = ids.size(); n-- > 0;) {  // newest first
        INFO(ids[n]);
        const std::string link = "<link rel=\"alternate\" href=\"versions/" + ids[n] + "/index.html\"/>";
        const std::size_t at = feed.find(link);
        REQUIRE(at != std::string::npos);
        CHECK(at > previous);
        CHECK(count(feed, link) == 1);
        previous = at;
        const std::string related = "<link rel=\"related\" href=\"history/" + ids[n] + "/index.html\"/>";
        CHECK(count(feed, related) == (n > 0 ? 1u : 0u));
    }
    CHECK(feed.find("<summary>The Board now meets every week. 1 page changed.</summary>") != std::string::npos);
    // xml_escape leaves apostrophes alone (valid in element text).
    CHECK(feed.find("<summary>First publication of Testshire Children and Young People&#39;s Plan 2011-2014. "
                    "First publication.</summary>") != std::string::npos);
}

TEST_CASE("a withdrawn consent is applied to every archived version, the history and the feed", "[history][build]") {
    GitFixture repo;
    repo.add_fixture("minimal");
    const std::string consultation = P + "consultation.json";
    REQUIRE(repo.read(consultation).find("\"name\": \"Ada Published\", \"consent\": \"publish-with-name\"") !=
            std::string::npos);
    repo.commit("Publish the plan", "2011-03-20");
    repo.replace(intro, "We meet every month.", "We meet every week.");
    repo.commit("Meet weekly", "2011-04-10", "The Board now meets every week.");
    repo.replace(consultation, "\"name\": \"Ada Published\", \"consent\": \"publish-with-name\"",
                 "\"name\": \"Ada Published\", \"consent\": \"do-not-publish\"");
    repo.commit("Withdraw a response", "2011-05-10", "Withdrew Ada Published's response at her request.");
    const auto ids = revision_ids(repo);
    REQUIRE(ids.size() == 3);

    TempFolder out;
    auto built = build(repo.site(), out.path());
    REQUIRE(built.exit_code == 0);
    CHECK(built.out.find("Ada Published") == std::string::npos);
    CHECK(built.err.find("Ada Published") == std::string::npos);

    const auto files = read_tree(out.path());
    REQUIRE(files.count("versions/" + ids[0] + "/consultation/index.html"));
    REQUIRE(files.count("history/index.html"));
    REQUIRE(files.count("feed.xml"));
    std::size_t scanned = 0;
    for (const auto& [path, content] : files) {
        INFO(path);
        CHECK(content.find("Ada Published") == std::string::npos);
        ++scanned;
    }
    CHECK(scanned > 20);

    const std::string withheld = "3 respondents asked us not to publish their response.";
    CHECK(files.at("consultation/index.html").find(withheld) != std::string::npos);
    for (const auto& id : ids) {
        INFO(id);
        CHECK(files.at("versions/" + id + "/consultation/index.html").find(withheld) != std::string::npos);
    }
    CHECK(files.at("history/index.html").find("Withdrew [withheld]") != std::string::npos);
    CHECK(files.at("history/" + ids[2] + "/index.html").find("Withdrew [withheld]") != std::string::npos);
    CHECK(files.at("feed.xml").find("<summary>Withdrew [withheld]&#39;s response at her request.") != std::string::npos);
}

TEST_CASE("an uncommitted chapter is marked 'Not yet published'", "[history][build]") {
    GitFixture repo;
    repo.add_fixture("minimal");
    repo.commit("Publish the plan", "2011-03-20");
    repo.replace(intro, "We meet every month.", "We meet every week.");
    TempFolder out;  // outside the repository, so the output is not an uncommitted change
    REQUIRE(build(repo.site(), out.path()).exit_code == 0);
    const std::string changed = read_file(out.path() / "plan/introduction/index.html");
    CHECK(changed.find("<strong>Not yet published:</strong>") != std::string::npos);
    CHECK(changed.find("We meet every week.") != std::string::npos);
    CHECK(read_file(out.path() / "plan/needs/index.html").find("Not yet published") == std::string::npos);
}

TEST_CASE("building the same repository twice gives identical trees", "[history][build]") {
    ThreeRevisions fixture;
    TempFolder first, second;
    REQUIRE(build(fixture.repo.site(), first.path() / "a").exit_code == 0);
    REQUIRE(build(fixture.repo.site(), second.path() / "b").exit_code == 0);
    const auto a = read_tree(first.path() / "a");
    const auto b = read_tree(second.path() / "b");
    CHECK(a.size() == 50);  // 19 site files, manifest and sums, 2 differences pages, 3 versions of 9 files
    CHECK(a.count("feed.xml") == 1);
    std::size_t versions = 0;
    for (const auto& [path, content] : a) versions += path.starts_with("versions/") && path.ends_with("/index.html");
    CHECK(versions == 3 * 8);
    std::vector<std::string> only_a, only_b, different;
    for (const auto& [path, content] : a) {
        auto other = b.find(path);
        if (other == b.end()) only_a.push_back(path);
        else if (other->second != content) different.push_back(path);
    }
    for (const auto& [path, content] : b)
        if (!a.count(path)) only_b.push_back(path);
    CHECK(only_a.empty());
    CHECK(only_b.empty());
    CHECK(different.empty());
    CHECK(a == b);
}
