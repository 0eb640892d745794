#include <catch2/catch.hpp>

#include <filesystem>
#include <algorithm>
#include <fstream>
#include <unistd.h>
#include <utility>
#include <vector>

#include "fs/site_source.h"
#include "load/load_site.h"
#include "load/markdown_cache.h"

#include <nlohmann/json.hpp>

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

namespace {

// Lists chapters/<name> in the fixture's plan.json for each (name, title), as a copy of
// its first chapter.
void list_chapters(const stdfs::path& folder, const std::vector<std::pair<std::string, std::string>>& names_and_titles) {
    const stdfs::path plan_file = folder / "plans/2011-2014/plan.json";
    std::ifstream in(plan_file);
    nlohmann::json plan = nlohmann::json::parse(in);
    const nlohmann::json first = plan["chapters"][0];
    for (const auto& [name, title] : names_and_titles) {
        nlohmann::json chapter = first;
        chapter["file"] = "chapters/" + name;
        chapter["title"] = title;
        plan["chapters"].push_back(chapter);
    }
    std::ofstream(plan_file, std::ios::trunc) << plan.dump(1);
}

// The minimal fixture with 60 more chapters, most of them with problems of one kind or
// another (refused, missing, outside the site folder, listed twice, the same text as
// another page or as the child page that keeps its plain text).
stdfs::path site_with_many_problems() {
    auto folder = copy_fixture("minimal");
    const stdfs::path chapters = folder / "plans/2011-2014/chapters";
    std::ifstream about_in(folder / "plans/2011-2014/child/about.md");
    const std::string about((std::istreambuf_iterator<char>(about_in)), {});
    const stdfs::path outside = folder.string() + "-outside.md";
    std::ofstream(outside) << "## Secret\n";
    std::vector<std::pair<std::string, std::string>> listed;
    for (int i = 0; i < 60; ++i) {
        const std::string name = "gen-" + std::to_string(i) + ".md";
        const std::string other = "gen-" + std::to_string((i + 9) % 60) + ".md";
        switch (i % 9) {
        case 0: std::ofstream(chapters / name) << "## Part\n\nSee [the needs](needs.md#what-we-found) and [more](" << other << ").\n"; break;
        case 1:
        case 4: std::ofstream(chapters / name) << "# Big title\n\n## Fine\n\n<div onclick=\"x()\">raw</div>\n"; break;
        case 2: std::ofstream(chapters / name) << "## Links\n\nA [broken link](nowhere-" << i << ".md) and [click here](needs.md).\n"; break;
        case 3: std::ofstream(chapters / name) << "## A\n\n#### Skipped\n\nTO DO write part " << i << "\n"; break;
        case 5: break;  // never written
        case 6: std::ofstream(chapters / name) << "## Caf\xe9\n"; break;
        case 7: stdfs::create_symlink(outside, chapters / name); break;
        case 8: std::ofstream(chapters / name) << about; break;
        }
        listed.emplace_back(name, "Part " + std::to_string(i));
    }
    listed.emplace_back("introduction.md", "Introduction");  // the first chapter, listed again
    list_chapters(folder, listed);
    return folder;
}

std::string reported(const diag::Diagnostics& diagnostics) {
    std::string text;
    for (const auto& diagnostic : diagnostics.all()) text += diag::format_text(diagnostic) + "\n";
    return text;
}

}  // namespace

TEST_CASE("pages prepared on several threads report what one thread reports, in the same order", "[load]") {
    auto folder = site_with_many_problems();
    load::Limits one_thread, four_threads;
    one_thread.jobs = 1;
    four_threads.jobs = 4;
    diag::Diagnostics alone;
    load::load_site(folder, one_thread, alone);
    for (const char* code : {"CY102", "CY116", "CY205", "CY302", "CY303", "CY307", "CY308", "CY310", "CY314"}) {
        INFO(code);
        REQUIRE(std::count_if(alone.all().begin(), alone.all().end(), [&](const auto& d) { return d.code == code; }) > 0);
    }
    // In the order the chapters are listed.
    int previous = -1;
    for (const auto& diagnostic : alone.all()) {
        const std::size_t at = diagnostic.file.find("chapters/gen-");
        if (at == std::string::npos) continue;
        const int chapter = std::stoi(diagnostic.file.substr(at + 13));
        REQUIRE(chapter >= previous);
        previous = chapter;
    }

    // A page listed in plan.json is reported at the line and column of its "file" value
    // (plan.json's document is let go before the pages are read: the place is found first).
    std::ifstream plan_in(folder / "plans/2011-2014/plan.json");
    std::vector<std::string> plan_lines;
    for (std::string line; std::getline(plan_in, line);) plan_lines.push_back(line);
    auto place_of = [&](const std::string& value, int nth) {
        for (std::size_t l = 0; l < plan_lines.size(); ++l)
            if (const std::size_t at = plan_lines[l].find("\"" + value + "\""); at != std::string::npos && --nth == 0)
                return std::pair<int, int>(static_cast<int>(l) + 1, static_cast<int>(at) + 1);
        return std::pair<int, int>(0, 0);
    };
    const auto missing = std::find_if(alone.all().begin(), alone.all().end(), [](const auto& d) { return d.code == "CY102"; });
    REQUIRE(missing != alone.all().end());
    REQUIRE(missing->message.find("gen-5.md") != std::string::npos);
    REQUIRE(std::pair(missing->line, missing->column) == place_of("chapters/gen-5.md", 1));
    REQUIRE(missing->file.ends_with("plan.json"));
    const auto twice = std::find_if(alone.all().begin(), alone.all().end(), [](const auto& d) { return d.code == "CY205"; });
    REQUIRE(twice != alone.all().end());
    REQUIRE(std::pair(twice->line, twice->column) == place_of("chapters/introduction.md", 2));  // its second listing

    diag::Diagnostics shared;
    load::load_site(folder, four_threads, shared);
    REQUIRE(reported(shared) == reported(alone));

    // With a cache: the first load prepares, the second reuses; both report the same.
    load::MarkdownCache cache;
    for (int load_number = 1; load_number <= 2; ++load_number) {
        diag::Diagnostics cached;
        load::load_site(fs::DiskSource(folder), folder, four_threads, cached, &cache);
        INFO("load " << load_number);
        REQUIRE(reported(cached) == reported(alone));
    }
    stdfs::remove_all(folder);
    stdfs::remove(folder.string() + "-outside.md");
}

TEST_CASE("a site loads into the same model on one thread and on several", "[load]") {
    auto folder = copy_fixture("minimal");
    const stdfs::path chapters = folder / "plans/2011-2014/chapters";
    std::vector<std::pair<std::string, std::string>> listed;
    for (int i = 0; i < 40; ++i) {
        const std::string name = "part-" + std::to_string(i) + ".md";
        std::ofstream(chapters / name) << "## Part " << i << "\n\nSee [part " << (i + 1) % 40 << "](part-" << (i + 1) % 40
                                       << ".md#part-" << (i + 1) % 40 << ") and [why](introduction.md#why-this-plan).\n";
        listed.emplace_back(name, "Part " + std::to_string(i));
    }
    list_chapters(folder, listed);
    load::Limits one_thread, four_threads;
    one_thread.jobs = 1;
    four_threads.jobs = 4;
    diag::Diagnostics alone_diagnostics, shared_diagnostics;
    auto alone = load::load_site(folder, one_thread, alone_diagnostics);
    auto shared = load::load_site(folder, four_threads, shared_diagnostics);
    REQUIRE(alone_diagnostics.all().empty());
    REQUIRE(shared_diagnostics.all().empty());
    REQUIRE(alone);
    REQUIRE(shared);
    const auto& alone_chapters = alone->current_plan().chapters;
    const auto& shared_chapters = shared->current_plan().chapters;
    REQUIRE(alone_chapters.size() == 42);
    REQUIRE(shared_chapters.size() == 42);
    for (std::size_t c = 0; c < alone_chapters.size(); ++c) {
        REQUIRE(shared_chapters[c].page.body_html == alone_chapters[c].page.body_html);
        REQUIRE(shared_chapters[c].page.toc.size() == alone_chapters[c].page.toc.size());
    }
    REQUIRE(alone_chapters[2].page.body_html.find("href=\"../part-1/index.html#part-1\"") != std::string::npos);
    REQUIRE(shared->current_plan().child.pages[0].reading.words == alone->current_plan().child.pages[0].reading.words);
    stdfs::remove_all(folder);
}

TEST_CASE("chapters with the same text each get their body, whether or not a cache is kept", "[load]") {
    // Without a cache a prepared page's HTML is let go once its body is made: a text two
    // chapters share is prepared once and must serve both.
    auto folder = copy_fixture("minimal");
    const stdfs::path chapters = folder / "plans/2011-2014/chapters";
    for (const std::string name : {"twin-a", "twin-b"})
        std::ofstream(chapters / (name + ".md")) << "## Twins\n\nThe same words, see [needs](needs.md).\n";
    list_chapters(folder, {{"twin-a.md", "twin-a"}, {"twin-b.md", "twin-b"}});
    for (const bool cached : {false, true}) {
        load::MarkdownCache cache;
        diag::Diagnostics diagnostics;
        const fs::DiskSource source(folder);
        auto site = load::load_site(source, folder, {}, diagnostics, cached ? &cache : nullptr);
        REQUIRE(diagnostics.all().empty());
        REQUIRE(site);
        const auto& loaded = site->current_plan().chapters;
        REQUIRE(loaded.size() == 4);
        const std::string body = "<h2 id=\"twins\">Twins</h2>\n<p>The same words, see <a href=\"../needs/index.html\">needs</a>.</p>\n";
        REQUIRE(loaded[2].page.body_html == body);
        REQUIRE(loaded[3].page.body_html == body);
        // A second load with the same cache still has every page's HTML to fill in.
        if (cached) {
            diag::Diagnostics again;
            auto reloaded = load::load_site(source, folder, {}, again, &cache);
            REQUIRE(reloaded);
            REQUIRE(reloaded->current_plan().chapters[3].page.body_html == body);
        }
    }
    stdfs::remove_all(folder);
}
