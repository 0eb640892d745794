#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "fs/site_source.h"
#include "load/load_site.h"
#include "load/markdown_cache.h"

using namespace cypp;
namespace stdfs = std::filesystem;

namespace {

stdfs::path copy_fixture(const std::string& name) {
    static int counter = 0;
    stdfs::path folder = stdfs::temp_directory_path() / ("cypp-load-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    stdfs::remove_all(folder);
    stdfs::copy(stdfs::path(CYPP_FIXTURES) / name, folder, stdfs::copy_options::recursive);
    return folder;
}

}  // namespace

TEST_CASE("the minimal fixture loads into the model", "[load]") {
    diag::Diagnostics diagnostics;
    auto site = load::load_site(stdfs::path(CYPP_FIXTURES) / "minimal", {}, diagnostics);
    REQUIRE(diagnostics.all().empty());
    REQUIRE(site);
    REQUIRE(site->board_name == "Testshire Children's Trust Board");
    REQUIRE(site->plans.size() == 1);
    const model::Plan& plan = site->current_plan();
    REQUIRE(plan.start == model::Date{2011, 4, 1});
    REQUIRE(plan.chapters.size() == 2);
    REQUIRE(plan.chapters[1].page.slug == "needs");
    REQUIRE(plan.chapters[1].needs_assessment);
    REQUIRE(plan.chapters[0].page.toc.size() == 2);
    REQUIRE(plan.child.pages[0].explains_chapter == "introduction");
    REQUIRE(plan.child.pages[0].explains_anchor == "why-this-plan");
    const auto& responses = plan.consultation.responses;
    REQUIRE(responses[0].consent == model::Consent::publish_with_name);
    REQUIRE(responses[1].consent == model::Consent::publish_anonymously);
    REQUIRE(responses[2].consent == model::Consent::do_not_publish);
    REQUIRE(responses[3].consent == model::Consent::do_not_publish);  // no consent given
    REQUIRE(plan.consultation.you_said_we_did[0].changed[0].label == "How we work");
    REQUIRE(site->catalogue.consultee_categories.size() == 16);
}

TEST_CASE("impossible dates, duplicate ids and unknown references are reported at their pointer", "[load]") {
    auto folder = copy_fixture("minimal");
    auto edit = [&](const std::string& file, const std::string& from, const std::string& to) {
        std::ifstream in(folder / file);
        std::string text((std::istreambuf_iterator<char>(in)), {});
        text.replace(text.find(from), from.size(), to);
        std::ofstream(folder / file, std::ios::trunc) << text;
    };
    edit("plans/2011-2014/plan.json", "\"published\": \"2011-03-25\"", "\"published\": \"2011-02-30\"");
    edit("plans/2011-2014/consultation.json", "{\"id\": 2,", "{\"id\": 1,");
    edit("plans/2011-2014/consultation.json", "\"answers\": {\"q1\": \"no\"}", "\"answers\": {\"q9\": \"no\"}");
    diag::Diagnostics diagnostics;
    auto site = load::load_site(folder, {}, diagnostics);
    std::vector<std::string> found;
    for (const auto& d : diagnostics.all()) found.push_back(d.code + " " + d.pointer + " " + std::to_string(d.line));
    REQUIRE(found == std::vector<std::string>{"CY204 /published 5", "CY206 /responses/1/answers/q9 28",
                                              "CY205 /responses/1/id 28"});
    stdfs::remove_all(folder);
}

TEST_CASE("every file's problems are reported even when site.json breaks its schema", "[load]") {
    auto folder = copy_fixture("minimal");
    std::ofstream(folder / "plans/2011-2014/child.json", std::ios::trunc) << "{\"$schema\": \"child.schema.json\"}";
    {
        std::ifstream in(folder / "site.json");
        std::string text((std::istreambuf_iterator<char>(in)), {});
        text.replace(text.find("\"copies\": 5"), 11, "\"copies\": \"five\"");
        std::ofstream(folder / "site.json", std::ios::trunc) << text;
    }
    diag::Diagnostics diagnostics;
    REQUIRE_FALSE(load::load_site(folder, {}, diagnostics));
    std::vector<std::string> files;
    for (const auto& d : diagnostics.all()) files.push_back(d.file);
    REQUIRE(std::count(files.begin(), files.end(), "site.json") == 0);  // absolute folder: names carry it
    REQUIRE(diagnostics.all().front().pointer == "/publication/deposits/0/copies");
    REQUIRE(diagnostics.all().back().file.ends_with("plans/2011-2014/child.json"));
    stdfs::remove_all(folder);
}

TEST_CASE("a shared cache parses and renders an unchanged page once per build", "[load]") {
    auto folder = copy_fixture("minimal");
    load::MarkdownCache cache;
    diag::Diagnostics first_diagnostics, second_diagnostics, third_diagnostics;
    auto first = load::load_site(fs::DiskSource(folder), folder, {}, first_diagnostics, &cache);
    REQUIRE(first);
    REQUIRE(cache.parse_hits() == 0);
    auto second = load::load_site(fs::DiskSource(folder), folder, {}, second_diagnostics, &cache);
    REQUIRE(second);
    REQUIRE(cache.parse_hits() == 3);  // two chapters and one child page
    REQUIRE(second->current_plan().chapters[0].page.body_html == first->current_plan().chapters[0].page.body_html);

    // Changed pages are prepared again; link addresses are filled in on every load.
    std::ofstream(folder / "plans/2011-2014/chapters/needs.md", std::ios::trunc)
        << "## What we found now\n\nBack to [why this plan](introduction.md#why-this-plan).\n";
    std::ofstream(folder / "plans/2011-2014/chapters/introduction.md", std::ios::trunc)
        << "## Why this plan\n\nSee the [needs assessment](needs.md#what-we-found-now).\n\n## How we work\n\nMonthly.\n";
    auto third = load::load_site(fs::DiskSource(folder), folder, {}, third_diagnostics, &cache);
    REQUIRE(third);
    REQUIRE(third_diagnostics.all().empty());
    REQUIRE(cache.parse_hits() == 4);   // only the child page is unchanged
    REQUIRE(third->current_plan().chapters[0].page.body_html.find("needs/index.html#what-we-found-now") != std::string::npos);
    stdfs::remove_all(folder);
}

TEST_CASE("a problem in an unchanged page is reported by every load that reuses its preparation", "[load]") {
    auto folder = copy_fixture("minimal");
    std::ofstream(folder / "plans/2011-2014/chapters/needs.md", std::ios::app) << "\n<div onclick=\"x()\">raw</div>\n";
    load::MarkdownCache cache;
    for (int load_number = 1; load_number <= 2; ++load_number) {
        diag::Diagnostics diagnostics;
        load::load_site(fs::DiskSource(folder), folder, {}, diagnostics, &cache);
        std::vector<std::string> codes;
        for (const auto& d : diagnostics.all())
            if (d.file.ends_with("chapters/needs.md")) codes.push_back(d.code);
        INFO("load " << load_number);
        REQUIRE(std::count(codes.begin(), codes.end(), "CY302") == 1);
    }
    REQUIRE(cache.parse_hits() >= 3);
    stdfs::remove_all(folder);
}
