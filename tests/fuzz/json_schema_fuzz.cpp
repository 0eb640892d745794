// Fuzz target (a): JSON metadata parsing and schema validation. The input is a JSON file
// as an author (or `cypp validate`) might give it: parsed with positions, validated
// against every schema cypp ships, every issue located in the text; and, since
// `cypp validate SCHEMA DATA` takes any schema, compiled as a schema and checked
// against itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "fuzz_support.h"
#include "json/json_document.h"
#include "resources/resources.h"
#include "schema/schema.h"

namespace {

using namespace cypp;

const std::vector<schema::Schema>& shipped_schemas() {
    static const std::vector<schema::Schema> schemas = [] {
        std::vector<schema::Schema> compiled;
        for (const resources::Resource& resource : resources::under("schemas/")) {
            auto parsed = json::parse_json(std::string(resource.data));
            auto* document = std::get_if<json::JsonDocument>(&parsed);
            if (!document) fuzz::finding("a shipped schema does not parse: " + std::string(resource.path));
            auto result = schema::compile_schema(document->value);
            if (!result.schema) fuzz::finding("a shipped schema does not compile: " + std::string(resource.path));
            compiled.push_back(*result.schema);
        }
        if (compiled.empty()) fuzz::finding("no schemas are embedded");
        return compiled;
    }();
    return schemas;
}

void check_position(const json::JsonDocument& document, const json::SourcePosition& position) {
    if (position.offset > document.text.size() || position.line < 1 || position.column < 1)
        cypp::fuzz::finding("a located position lies outside the document");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto parsed = json::parse_json(std::string(reinterpret_cast<const char*>(data), size));
    if (auto* failure = std::get_if<json::ParseFailure>(&parsed)) {
        if (failure->message.empty()) fuzz::finding("a parse failure without a message");
        if (failure->position.offset > size) fuzz::finding("a parse failure positioned beyond the input");
        return 0;
    }
    const json::JsonDocument& document = std::get<json::JsonDocument>(parsed);
    (void)document.value.dump();  // what the renderer's views and the manifest do

    for (const schema::Schema& shipped : shipped_schemas())
        for (const schema::SchemaIssue& issue : schema::validate(shipped, document))
            check_position(document, json::locate(document, issue.pointer));

    auto compiled = schema::compile_schema(document.value);
    if (compiled.schema) {
        for (const schema::SchemaIssue& issue : schema::validate(*compiled.schema, document))
            check_position(document, json::locate(document, issue.pointer));
    } else if (compiled.errors.empty()) {
        fuzz::finding("a schema refused without an error");
    }
    return 0;
}
