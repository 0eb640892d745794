#include <catch2/catch.hpp>

#include "cli_runner.h"

using namespace cypp::testing;

TEST_CASE("cypp validate: 0 valid, 1 invalid with pointers, 2 unusable", "[cli][validate]") {
    TempSite site("minimal");
    site.write("schema.json", R"({"type": "object", "required": ["name"], "properties": {"age": {"type": "integer", "minimum": 0}}})");
    site.write("good.json", R"({"name": "x", "age": 3})");
    site.write("bad.json", "{\n  \"age\": -1\n}\n");
    site.write("broken.json", "{\"name\": }");
    site.write("unknown-keyword.json", R"({"type": "object", "requried": ["name"]})");

    RunResult good = run_cypp({"validate", "schema.json", "good.json"}, {}, site.path());
    REQUIRE(good.exit_code == 0);
    REQUIRE(good.out == "good.json: valid\n");

    RunResult bad = run_cypp({"validate", "schema.json", "bad.json"}, {}, site.path());
    REQUIRE(bad.exit_code == 1);
    REQUIRE(bad.err.find("bad.json:1:1: error[CY202]: ") != std::string::npos);  // the missing "name", at the root
    REQUIRE(bad.err.find("bad.json:2:10: error[CY202]: ") != std::string::npos);
    REQUIRE(bad.err.find("(at /age)") != std::string::npos);

    RunResult broken = run_cypp({"validate", "schema.json", "broken.json"}, {}, site.path());
    REQUIRE(broken.exit_code == 2);
    REQUIRE(broken.err.starts_with("broken.json:1:10: error[CY201]: malformed JSON: "));

    RunResult unknown = run_cypp({"validate", "unknown-keyword.json", "good.json"}, {}, site.path());
    REQUIRE(unknown.exit_code == 2);
    REQUIRE(unknown.err.find("error[CY208]") != std::string::npos);
    REQUIRE(unknown.err.find("requried") != std::string::npos);

    RunResult missing = run_cypp({"validate", "schema.json", "nothing.json"}, {}, site.path());
    REQUIRE(missing.exit_code == 2);
    REQUIRE(missing.err == "nothing.json: error[CY102]: file does not exist\n");
}

TEST_CASE("every schema of the project validates site-example", "[cli][validate]") {
    const std::string example = CYPP_SITE_EXAMPLE;
    const std::string schemas = CYPP_SCHEMAS;
    REQUIRE(run_cypp({"validate", schemas + "/site.schema.json", example + "/site.json"}).exit_code == 0);
    for (const std::string kind : {"plan", "child", "consultation"}) {
        RunResult result = run_cypp({"validate", schemas + "/" + kind + ".schema.json", example + "/plans/2011-2014/" + kind + ".json"});
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
    }
}
