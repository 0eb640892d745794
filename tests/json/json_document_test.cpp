#include <catch2/catch.hpp>

#include <string>

#include "json/json_document.h"

using namespace cypp::json;

namespace {

ParseFailure failure_of(std::string text) {
    auto result = parse_json(std::move(text));
    REQUIRE(std::holds_alternative<ParseFailure>(result));
    return std::get<ParseFailure>(result);
}

JsonDocument document_of(std::string text) {
    auto result = parse_json(std::move(text));
    if (auto* failure = std::get_if<ParseFailure>(&result)) FAIL(failure->message);
    return std::get<JsonDocument>(std::move(result));
}

void check_failure(const std::string& text, int line, int column, const std::string& message) {
    INFO(text);
    const ParseFailure failure = failure_of(text);
    CHECK(failure.message == message);
    CHECK(failure.position.line == line);
    CHECK(failure.position.column == column);
}

}  // namespace

TEST_CASE("parse_json builds the value", "[json]") {
    const JsonDocument document = document_of(R"({"a": [1, -2, 3.5, 18446744073709551615, true, null], "b": "x\u00e9\ud83d\ude00"})");
    CHECK(document.value["a"][0].is_number_unsigned());
    CHECK(document.value["a"][1] == -2);
    CHECK(document.value["a"][2] == 3.5);
    CHECK(document.value["a"][3].get<std::uint64_t>() == 18446744073709551615ull);
    CHECK(document.value["b"] == "x\xC3\xA9\xF0\x9F\x98\x80");
}

TEST_CASE("parse failures name the offending line and column", "[json]") {
    check_failure("{\n  \"a\": 1,\n  \"b\": 2\n  \"c\": 3\n}", 4, 3, "expected ',' or '}' after an object member");
    check_failure("[\n  1,\n  2\n  3\n]", 4, 3, "expected ',' or ']' after an array element");
    check_failure("{\"a\": \"abc", 1, 7, "unterminated string");
    check_failure("{\"a\": \"abc\n}", 1, 11,
                  "unterminated string (a line break inside a string must be written as \\n)");
    check_failure("{\"a\": 1} x", 1, 10, "unexpected character 'x' after the end of the JSON value");
    check_failure("", 1, 1, "the text is empty; expected a JSON value");
    check_failure("  \n  ", 2, 3, "the text is empty; expected a JSON value");
    check_failure("{\n  \"a\": 1,\n  \"a\": 2\n}", 3, 3, "duplicate key \"a\"");
    check_failure("{\"a\": 1,", 1, 9, "unexpected end of file");
    check_failure("{\"a\": 1,}", 1, 9, "trailing comma before '}'");
    check_failure("[1,]", 1, 4, "trailing comma before ']'");
    check_failure("{\"a\" 1}", 1, 6, "expected ':' after a property name");
    check_failure("{a: 1}", 1, 2, "expected a property name in double quotes, found 'a'");
    check_failure("[yes]", 1, 2, "expected a value, found 'yes'");
    check_failure("[\xE2\x80\x9Cx\xE2\x80\x9D]", 1, 2, "expected a value, found '\xE2\x80\x9C' (U+201C)");
    check_failure("[01]", 1, 2, "invalid number: leading zeros are not allowed");
    check_failure("[1.]", 1, 4, "invalid number: expected a digit after '.'");
    check_failure("[\"a\tb\"]", 1, 4, "invalid string: control character must be escaped");
    check_failure("[\"a\\qb\"]", 1, 4, "invalid string: unknown escape '\\q'");
    check_failure("[\"\\ud800\"]", 1, 3, "invalid string: unpaired UTF-16 surrogate");
    check_failure("[\"\xC3\x28\"]", 1, 3, "invalid string: not valid UTF-8");
}

TEST_CASE("nesting is capped while parsing", "[json]") {
    const std::string deep(100000, '[');
    check_failure(deep, 1, max_nesting_depth + 1, "nesting deeper than 64 levels");
    check_failure(std::string(100000, '{').insert(1, "\"a\":"), 1, 7, "expected a property name in double quotes, found '{'");

    std::string nested_objects;
    for (int i = 0; i < 70; ++i) nested_objects += "{\"a\":";
    check_failure(nested_objects, 1, 5 * 64 + 1, "nesting deeper than 64 levels");

    const std::string deepest_allowed = std::string(max_nesting_depth, '[') + std::string(max_nesting_depth, ']');
    CHECK(document_of(deepest_allowed).value.is_array());
}

TEST_CASE("strings and keys are capped at 64 KiB while parsing", "[json]") {
    const std::string longest_allowed(max_string_bytes, 'x');
    CHECK(document_of("[\"" + longest_allowed + "\"]").value[0].get<std::string>().size() == max_string_bytes);
    check_failure("[1, \"" + longest_allowed + "y\"]", 1, 5, "string longer than 64 KiB; metadata text belongs in the Markdown pages");
    check_failure("{\"" + longest_allowed + "y\": 1}", 1, 2, "string longer than 64 KiB; metadata text belongs in the Markdown pages");
}

TEST_CASE("a leading UTF-8 BOM is skipped", "[json]") {
    const JsonDocument document = document_of("\xEF\xBB\xBF{\"a\": 1}");
    CHECK(document.value["a"] == 1);
    CHECK(document.text == "{\"a\": 1}");
    CHECK(locate(document, "/a").column == 7);
    check_failure("\xEF\xBB\xBF{\"a\" 1}", 1, 6, "expected ':' after a property name");
}

TEST_CASE("locate finds where a pointer's value starts", "[json]") {
    const JsonDocument document = document_of(
        "{\n"
        "  \"title\": \"Plan\",\n"
        "  \"chapters\": [\n"
        "    {\"file\": \"chapters/a.md\"},\n"
        "    {\"file\": \"chapters/b.md\", \"note\": {\"x\": [1, [2, 3]]}},\n"
        "    {\"file\":   \"chapters/c.md\"}\n"
        "  ],\n"
        "  \"a/b\": 1, \"m~n\": 2, \"esc\\\"aped\": 3, \"\": 4\n"
        "}\n");
    auto at = [&](std::string_view pointer) {
        const SourcePosition position = locate(document, pointer);
        return std::pair{position.line, position.column};
    };
    CHECK(at("") == std::pair{1, 1});
    CHECK(at("/title") == std::pair{2, 12});
    CHECK(at("/chapters") == std::pair{3, 15});
    CHECK(at("/chapters/0") == std::pair{4, 5});
    CHECK(at("/chapters/2/file") == std::pair{6, 16});
    CHECK(at("/chapters/1/note/x/1/1") == std::pair{5, 53});
    CHECK(at("/a~1b") == std::pair{8, 10});
    CHECK(at("/m~0n") == std::pair{8, 20});
    CHECK(at("/esc\"aped") == std::pair{8, 36});
    CHECK(at("/") == std::pair{8, 43});
    CHECK(locate(document, "/title").offset == document.text.find("\"Plan\""));

    SECTION("a missing pointer falls back to its deepest existing ancestor") {
        CHECK(at("/chapters/1/summary") == std::pair{5, 5});
        CHECK(at("/chapters/7/file") == std::pair{3, 15});
        CHECK(at("/chapters/01") == std::pair{3, 15});
        CHECK(at("/title/deeper") == std::pair{2, 12});
        CHECK(at("/missing") == std::pair{1, 1});
        CHECK(at("not a pointer") == std::pair{1, 1});
        CHECK(at("/m~2n") == std::pair{1, 1});  // "~2" escapes nothing
        CHECK(at("/m~") == std::pair{1, 1});
        CHECK(at("/chapters/-") == std::pair{3, 15});
        CHECK(at("/chapters/+1") == std::pair{3, 15});
        CHECK(at("/chapters/1e0") == std::pair{3, 15});
        CHECK(at("/chapters/99999999999999999999999") == std::pair{3, 15});
        CHECK(at("/chapters/1/") == std::pair{5, 5});
        CHECK(at("/a~1b/x") == std::pair{8, 10});
    }
}

// Every value of a document whose keys are written in no particular order, found by the
// pointers nlohmann gives its values.
TEST_CASE("locate finds every value of a large document", "[json]") {
    std::string text = "{";
    for (int i = 299; i >= 0; --i) {
        const std::string n = std::to_string(i);
        text += std::string(i == 299 ? "" : ",") + "\n  \"k" + n + "\": [" + n + ", \"s" + n + "\", {\"x~/" + n +
                "\": true, \"a" + n + "\": [[null]]}]";
    }
    text += "\n}\n";
    const JsonDocument document = document_of(text);
    const nlohmann::json leaves = document.value.flatten();
    REQUIRE(leaves.size() == 1200);
    for (const auto& [pointer, leaf] : leaves.items()) {
        INFO(pointer);
        CHECK(document.text.compare(locate(document, pointer).offset, leaf.dump().size(), leaf.dump()) == 0);
    }
    for (int i = 0; i < 300; ++i) {
        const std::string n = std::to_string(i);
        CHECK(document.text.compare(locate(document, "/k" + n).offset, 1 + n.size(), "[" + n) == 0);
        CHECK(document.text.compare(locate(document, "/k" + n + "/2").offset, 6, "{\"x~/" + n.substr(0, 1)) == 0);
    }
}

TEST_CASE("position_of_offset counts lines and byte columns", "[json]") {
    const std::string text = "ab\ncd\r\nef";
    CHECK(position_of_offset(text, 0).line == 1);
    CHECK(position_of_offset(text, 4).line == 2);
    CHECK(position_of_offset(text, 4).column == 2);
    CHECK(position_of_offset(text, 7).line == 3);
    CHECK(position_of_offset(text, 7).column == 1);
    CHECK(position_of_offset(text, 100).offset == text.size());
}
