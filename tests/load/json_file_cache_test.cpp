#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

#include "fs/site_source.h"
#include "load/json_file_cache.h"
#include "load/load_site.h"

#include "editable_fixture.h"

using namespace cypp;
namespace stdfs = std::filesystem;

TEST_CASE("JsonFileCache gives back what a file gave only for the same name, schema and text", "[load]") {
    load::JsonFileCache cache;
    load::ReadJsonFile read;
    read.valid = true;
    read.reported.push_back({diag::Severity::warning, "CY310", "site/plan.json", 3, 5, "/summary", "still to write", ""});
    cache.keep("site/plan.json", "plan.schema.json", "{\"a\": 1}", read);
    const load::ReadJsonFile* found = cache.find("site/plan.json", "plan.schema.json", "{\"a\": 1}");
    REQUIRE(found);
    REQUIRE(found->valid);
    REQUIRE(found->reported.size() == 1);
    REQUIRE(found->reported[0].code == "CY310");
    REQUIRE_FALSE(cache.find("site/plan.json", "plan.schema.json", "{\"a\": 2}"));
    REQUIRE_FALSE(cache.find("site/plan.json", "child.schema.json", "{\"a\": 1}"));
    REQUIRE_FALSE(cache.find("site/child.json", "plan.schema.json", "{\"a\": 1}"));
    // A new text replaces the entry: the old text is not found any more.
    cache.keep("site/plan.json", "plan.schema.json", "{\"a\": 2}", {});
    REQUIRE(cache.find("site/plan.json", "plan.schema.json", "{\"a\": 2}"));
    REQUIRE_FALSE(cache.find("site/plan.json", "plan.schema.json", "{\"a\": 1}"));
}

namespace {

std::string reported(const diag::Diagnostics& diagnostics) {
    std::string text;
    for (const auto& diagnostic : diagnostics.all()) text += diag::format_text(diagnostic) + "\n";
    return text;
}

}  // namespace

TEST_CASE("a load with a JSON file cache parses each unchanged file once and reports its problems every time",
          "[load]") {
    const stdfs::path folder = test::copy_fixture("minimal", "json-cache-test");
    const stdfs::path plan = folder / "plans/2011-2014/plan.json";
    const stdfs::path consultation = folder / "plans/2011-2014/consultation.json";
    std::ifstream in(plan);
    const std::string plan_text((std::istreambuf_iterator<char>(in)), {});
    const auto summary = plan_text.find("\"summary\": \"");
    REQUIRE(summary != std::string::npos);
    test::replace_in(plan, "\"summary\": \"", "\"summary\": \"TO DO: ");

    load::JsonFileCache cache;
    load::Limits limits;
    limits.json_files = &cache;
    auto load_once = [&](diag::Diagnostics& diagnostics) {
        cache.start_build();
        return load::load_site(fs::DiskSource(folder), folder, limits, diagnostics);
    };

    diag::Diagnostics first, second;
    auto first_site = load_once(first);
    REQUIRE(first_site);
    REQUIRE(cache.hits() == 0);
    REQUIRE(reported(first).find("warning[CY310]") != std::string::npos);
    auto second_site = load_once(second);
    REQUIRE(second_site);
    REQUIRE(cache.hits() == 4);  // site.json, plan.json, child.json, consultation.json
    REQUIRE(reported(second) == reported(first));
    REQUIRE(second_site->current_plan().summary == first_site->current_plan().summary);
    REQUIRE(second_site->current_plan().chapters.size() == first_site->current_plan().chapters.size());
    REQUIRE(second_site->current_plan().chapters[1].metadata.line == first_site->current_plan().chapters[1].metadata.line);

    // An edited file is read afresh; the others are still taken from the cache.
    test::replace_in(plan, "\"summary\": \"TO DO: ", "\"summary\": \"");
    diag::Diagnostics third;
    REQUIRE(load_once(third));
    REQUIRE(cache.hits() == 3);
    REQUIRE(third.all().empty());

    // A file that breaks its schema is kept with its errors, which every load reports.
    test::replace_in(consultation, "{\"id\": 2,", "{\"id\": \"two\",");
    diag::Diagnostics fourth, fifth;
    REQUIRE_FALSE(load_once(fourth));
    REQUIRE(cache.hits() == 3);
    REQUIRE(reported(fourth).find("error[CY202]") != std::string::npos);
    REQUIRE_FALSE(load_once(fifth));
    REQUIRE(cache.hits() == 4);
    REQUIRE(reported(fifth) == reported(fourth));
    stdfs::remove_all(folder);
}
