#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "json/json_document.h"
#include "schema/schema.h"

using cypp::schema::compile_schema;
using cypp::schema::Schema;
using cypp::schema::SchemaIssue;
using nlohmann::json;

namespace {

Schema compiled(const json& schema_document) {
    auto result = compile_schema(schema_document);
    for (const SchemaIssue& error : result.errors) UNSCOPED_INFO(error.pointer << ": " << error.message);
    REQUIRE(result.errors.empty());
    REQUIRE(result.schema);
    return *result.schema;
}

std::vector<std::pair<std::string, std::string>> issues_of(const Schema& schema, const json& instance) {
    std::vector<std::pair<std::string, std::string>> issues;
    for (const SchemaIssue& issue : cypp::schema::validate(schema, instance)) issues.emplace_back(issue.pointer, issue.message);
    return issues;
}

std::vector<std::pair<std::string, std::string>> compile_errors(const json& schema_document) {
    auto result = compile_schema(schema_document);
    CHECK_FALSE(result.schema);
    std::vector<std::pair<std::string, std::string>> errors;
    for (const SchemaIssue& error : result.errors) errors.emplace_back(error.pointer, error.message);
    return errors;
}

using Issues = std::vector<std::pair<std::string, std::string>>;

const json plan_like = json::parse(R"({
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "plan.schema.json",
  "type": "object",
  "required": ["title", "chapters"],
  "additionalProperties": false,
  "definitions": {"status": {"type": "string", "enum": ["a", "b"]}},
  "properties": {
    "title": {"type": "string", "minLength": 1},
    "status": {"$ref": "#/definitions/status"},
    "chapters": {
      "type": "array",
      "minItems": 1,
      "items": {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "pattern": "^chapters/[a-z0-9-]+\\.md$"}}
      }
    }
  }
})");

}  // namespace

TEST_CASE("validation issues have exact pointers and plain messages", "[schema]") {
    const Schema schema = compiled(plan_like);
    CHECK(issues_of(schema, json::parse(R"({"title": "T", "chapters": [{"file": "chapters/a.md"}]})")).empty());
    CHECK(issues_of(schema, json::parse(R"({"chapters": [{"file": "chapters/a.md"}]})")) ==
          Issues{{"", "missing required property \"title\""}});
    CHECK(issues_of(schema, json::parse(R"({"title": 3, "chapters": [{"file": "chapters/a.md"}]})")) ==
          Issues{{"/title", "expected a string, found a number"}});
    CHECK(issues_of(schema, json::parse(R"({"title": "T", "status": "x", "chapters": [{"file": "chapters/a.md"}]})")) ==
          Issues{{"/status", "\"x\" is not one of the allowed values: \"a\", \"b\""}});
    CHECK(issues_of(schema, json::parse(R"({"title": "T", "chapters": [{"file": "chapters/a.md"}, {"file": "Intro.md"}]})")) ==
          Issues{{"/chapters/1/file", "must match the pattern ^chapters/[a-z0-9-]+\\.md$"}});
    CHECK(issues_of(schema, json::parse(R"({"title": "T", "foo": 1, "chapters": [{"file": "chapters/a.md"}]})")) ==
          Issues{{"/foo", "property \"foo\" is not allowed"}});
    CHECK(issues_of(schema, json::parse(R"({"title": "", "chapters": []})")) ==
          Issues{{"/chapters", "must have at least 1 item"}, {"/title", "must be at least 1 character long"}});
    CHECK(issues_of(schema, json::parse(R"({"title": "T", "chapters": [{}, {"file": 1}]})")) ==
          Issues{{"/chapters/0", "missing required property \"file\""}, {"/chapters/1/file", "expected a string, found a number"}});
    CHECK(issues_of(schema, json::array()) == Issues{{"", "expected an object, found an array"}});
}

TEST_CASE("more keyword messages", "[schema]") {
    CHECK(issues_of(compiled(json::parse(R"({"type": ["string", "null"]})")), 1) ==
          Issues{{"", "expected a string or null, found a number"}});
    CHECK(issues_of(compiled(json::parse(R"({"type": "integer"})")), 1.5) == Issues{{"", "expected an integer, found a number"}});
    CHECK(issues_of(compiled(json::parse(R"({"type": "integer"})")), 2.0).empty());
    CHECK(issues_of(compiled(json::parse(R"({"minimum": 1, "exclusiveMaximum": 10})")), 10) ==
          Issues{{"", "must be less than 10"}});
    CHECK(issues_of(compiled(json::parse(R"({"const": "partner"})")), "x") == Issues{{"", "must be \"partner\""}});
    CHECK(issues_of(compiled(json::parse(R"({"uniqueItems": true})")), json::parse("[1, 2, 1.0]")) ==
          Issues{{"/2", "duplicate of item 0; items must be unique"}});
    CHECK(issues_of(compiled(json::parse(R"({"maxLength": 2})")), "\xC3\xA9\xC3\xA9").empty());
    CHECK(issues_of(compiled(json::parse(R"({"dependencies": {"a": ["b"]}})")), json::parse(R"({"a": 1})")) ==
          Issues{{"", "property \"a\" requires property \"b\""}});
    CHECK(issues_of(compiled(json::parse(R"({"propertyNames": {"pattern": "^[a-z]+$"}})")), json::parse(R"({"Ab": 1})")) ==
          Issues{{"/Ab", "invalid property name \"Ab\": must match the pattern ^[a-z]+$"}});
    CHECK(issues_of(compiled(json::parse(R"({"format": "date"})")), "2023-02-29") ==
          Issues{{"", "must be a date in the form YYYY-MM-DD"}});
    CHECK(issues_of(compiled(json::parse(R"({"format": "no-such-format"})")), "anything").empty());
    CHECK(issues_of(compiled(json::parse(R"({"anyOf": [{"type": "string"}, {"minimum": 3}]})")), 1) ==
          Issues{{"", "does not match any of the allowed alternatives"}});
    const Schema conditional = compiled(json::parse(
        R"({"properties": {"role": {"type": "string"}}, "if": {"properties": {"role": {"const": "partner"}}}, "then": {"required": ["partner"]}})"));
    CHECK(issues_of(conditional, json::parse(R"({"role": "partner"})")) == Issues{{"", "missing required property \"partner\""}});
    CHECK(issues_of(conditional, json::parse(R"({"role": "member"})")).empty());
}

TEST_CASE("$ref follows pointers, $id base changes and plain-name anchors", "[schema]") {
    const Schema schema = compiled(json::parse(R"({
      "$id": "http://example.org/root.json",
      "properties": {
        "a": {"$ref": "#/definitions/a~1b"},
        "b": {"$ref": "#item"},
        "c": {"$ref": "other.json#/definitions/x"},
        "d": {"$ref": "http://example.org/nested/inner.json"},
        "e": {"$ref": "#/definitions/percent%25name"}
      },
      "definitions": {
        "a/b": {"type": "string"},
        "item": {"$id": "#item", "type": "integer"},
        "other": {"$id": "other.json", "definitions": {"x": {"type": "boolean"}}},
        "nested": {"$id": "nested/inner.json", "type": "null"},
        "percent%name": {"type": "array"}
      }
    })"));
    CHECK(issues_of(schema, json::parse(R"({"a": "s", "b": 1, "c": true, "d": null, "e": []})")).empty());
    CHECK(issues_of(schema, json::parse(R"({"a": 1, "b": "s", "c": 1, "d": 1, "e": 1})")).size() == 5);

    const Schema tree = compiled(json::parse(
        R"({"type": "object", "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": {"$ref": "#"}}}})"));
    CHECK(issues_of(tree, json::parse(R"({"children": [{"children": [{"name": 1}]}]})")) ==
          Issues{{"/children/0/children/0/name", "expected a string, found a number"}});
}

TEST_CASE("compile_schema rejects what it cannot honour", "[schema]") {
    CHECK(compile_errors(json::parse(R"({"properties": {"title": {"type": "string", "requried": true}}})")) ==
          Issues{{"/properties/title/requried", "unknown keyword \"requried\""}});
    CHECK(compile_errors(json::parse(R"({"$defs": {}})")) ==
          Issues{{"/$defs", "unknown keyword \"$defs\"; draft-07 uses \"definitions\""}});
    CHECK(compile_errors(json::parse(R"({"items": {"unevaluatedProperties": false}})")) ==
          Issues{{"/items/unevaluatedProperties", "unknown keyword \"unevaluatedProperties\""}});
    CHECK(compile_errors(json::parse(R"({"properties": {"a": {"pattern": "^(abc"}}})")) ==
          Issues{{"/properties/a/pattern", "invalid regular expression \"^(abc\""}});
    CHECK(compile_errors(json::parse(R"({"$ref": "http://localhost:1234/integer.json"})")) ==
          Issues{{"/$ref", "remote reference not supported: http://localhost:1234/integer.json"}});
    CHECK(compile_errors(json::parse(R"({"$ref": "#/definitions/missing"})")) ==
          Issues{{"/$ref", "reference \"#/definitions/missing\" does not name a schema in this document"}});
    CHECK(compile_errors(json::parse(R"({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}}})")).size() == 2);
    CHECK(compile_errors(json::parse(R"({"type": "text"})")) == Issues{{"/type", "unknown type \"text\""}});
    CHECK(compile_errors(json::parse(R"({"minItems": -1})")) == Issues{{"/minItems", "\"minItems\" must be a non-negative integer"}});
    CHECK(compile_errors(json::parse(R"({"$schema": "http://json-schema.org/draft-04/schema#"})")).size() == 1);
    // Names under "properties" are property names, not keywords.
    CHECK(compile_schema(json::parse(R"({"properties": {"requried": {}, "$defs": true}})")).errors.empty());
}

TEST_CASE("depth is bounded in schemas and instances", "[schema]") {
    json deep_schema = json::object();
    for (int i = 0; i < 100; ++i) deep_schema = json{{"items", deep_schema}};
    const auto errors = compile_errors(deep_schema);
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].second == "schema nesting deeper than 64 levels");

    const Schema any = compiled(json::parse(R"({"items": {"$ref": "#"}})"));
    json deep_instance = json::array();
    for (int i = 0; i < 70; ++i) deep_instance = json::array({std::move(deep_instance)});
    const auto issues = issues_of(any, deep_instance);
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].second == "nesting deeper than 64 levels");
    CHECK(issues[0].first == "/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0/0");

    const Schema endless = compiled(json::parse(R"({"allOf": [{"$ref": "#"}]})"));
    CHECK_FALSE(issues_of(endless, 1).empty());

    // std::regex would overflow the stack on a string this long; it is refused instead.
    const Schema file_pattern = compiled(json::parse(R"({"pattern": "^[a-z]*$", "format": "regex"})"));
    CHECK(issues_of(file_pattern, std::string(100000, 'a')) ==
          Issues{{"", "is too long to check against the pattern ^[a-z]*$ (over 2000 bytes)"},
                 {"", "must be a valid regular expression"}});
    CHECK(issues_of(file_pattern, std::string(100, '(') + std::string(100, ')')) ==
          Issues{{"", "must match the pattern ^[a-z]*$"}, {"", "must be a valid regular expression"}});
}

TEST_CASE("the JsonDocument overload orders issues as they appear in the text", "[schema]") {
    const Schema schema = compiled(plan_like);
    auto parsed = cypp::json::parse_json(R"({"zeta": 1, "title": 5, "alpha": 2, "chapters": [{"file": "x"}]})");
    const auto& document = std::get<cypp::json::JsonDocument>(parsed);
    std::vector<std::string> pointers;
    for (const SchemaIssue& issue : cypp::schema::validate(schema, document)) pointers.push_back(issue.pointer);
    CHECK(pointers == std::vector<std::string>{"/zeta", "/title", "/alpha", "/chapters/0/file"});
}

// The sanitizer build (CYPP_SANITIZE) runs several times slower by design.
#if defined(__SANITIZE_ADDRESS__)
constexpr double slowdown_under_sanitizers = 5;
#else
constexpr double slowdown_under_sanitizers = 1;
#endif

TEST_CASE("the project's own schemas compile and validate quickly", "[schema]") {
    namespace fs = std::filesystem;
    int count = 0;
    for (const auto& entry : fs::directory_iterator(CYPP_SCHEMAS_DIR)) {
        if (!entry.path().string().ends_with(".schema.json")) continue;
        ++count;
        std::ifstream in(entry.path());
        std::ostringstream text;
        text << in.rdbuf();
        auto parsed = cypp::json::parse_json(text.str());
        REQUIRE(std::holds_alternative<cypp::json::JsonDocument>(parsed));
        auto result = compile_schema(std::get<cypp::json::JsonDocument>(parsed).value);
        INFO(entry.path().filename().string());
        for (const SchemaIssue& error : result.errors) UNSCOPED_INFO(error.pointer << ": " << error.message);
        CHECK(result.errors.empty());
    }
    CHECK(count > 0);

    // About 100 KB of plan-like data: well under a millisecond per KB.
    const Schema schema = compiled(plan_like);
    json instance = {{"title", "Plan"}, {"chapters", json::array()}};
    for (int i = 0; i < 2500; ++i) instance["chapters"].push_back({{"file", "chapters/chapter-" + std::to_string(i) + ".md"}});
    const std::size_t kilobytes = instance.dump().size() / 1024;
    const auto start = std::chrono::steady_clock::now();
    CHECK(issues_of(schema, instance).empty());
    const double elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    INFO(kilobytes << " KB in " << elapsed_ms << " ms");
    CHECK(elapsed_ms < slowdown_under_sanitizers * static_cast<double>(kilobytes));
}
