// schema: JSON Schema draft-07 validation, compiled once and reused for every document.
// Strict on purpose: a schema keyword this module does not implement is a compile
// error, never silently ignored, so a typo in a project schema cannot switch a check off.
// $ref is resolved only within the given documents; nothing is ever fetched.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cypp::json {
struct JsonDocument;
}

namespace cypp::schema {

struct SchemaIssue {
    std::string pointer;  // into the instance (validation) or into the schema (compile errors)
    std::string message;  // plain English, e.g. "missing required property \"title\""
};

// Deeper schemas and instances are reported as issues instead of recursing further.
inline constexpr int max_depth = 64;

class Schema {
public:
    struct Compiled;  // private to schema.cpp
    explicit Schema(std::shared_ptr<const Compiled> compiled) : compiled_(std::move(compiled)) {}
    const Compiled& compiled() const { return *compiled_; }

private:
    std::shared_ptr<const Compiled> compiled_;  // shared: copies are cheap and immutable
};

struct CompileResult {
    std::optional<Schema> schema;  // set only when errors is empty
    std::vector<SchemaIssue> errors;
};

CompileResult compile_schema(const nlohmann::json& schema_document);
// known_documents: other schemas (each with an absolute "$id") that $ref may name, such
// as the draft-07 meta-schema; they stand in for fetching.
CompileResult compile_schema(const nlohmann::json& schema_document, const std::vector<nlohmann::json>& known_documents);

// Every issue found; empty means valid. Objects are visited in key order.
std::vector<SchemaIssue> validate(const Schema& schema, const nlohmann::json& instance);
// The same issues, ordered by where they occur in the document's text.
std::vector<SchemaIssue> validate(const Schema& schema, const json::JsonDocument& document);

}  // namespace cypp::schema
