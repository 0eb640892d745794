#include "cli/validate_command.h"

#include <ostream>
#include <variant>

#include "diag/diagnostics.h"
#include "fs/output_tree.h"
#include "json/json_document.h"
#include "schema/schema.h"

namespace cypp::cli {

namespace {

constexpr std::uintmax_t max_input_bytes = 64 * 1024 * 1024;

std::optional<json::JsonDocument> read_document(const std::string& path, diag::Diagnostics& diagnostics) {
    fs::ReadResult read = fs::read_file(path, max_input_bytes);
    if (read.status != fs::ReadStatus::ok) {
        diagnostics.error(read.status == fs::ReadStatus::missing ? "CY102" : "CY104", path, 0, 0,
                          read.status == fs::ReadStatus::missing ? "file does not exist"
                          : read.status == fs::ReadStatus::too_large ? "file is larger than 64 MiB"
                                                                     : "file cannot be read");
        return std::nullopt;
    }
    auto parsed = json::parse_json(std::move(read.text));
    if (auto* failure = std::get_if<json::ParseFailure>(&parsed)) {
        diagnostics.error("CY201", path, failure->position.line, failure->position.column,
                          "malformed JSON: " + failure->message);
        return std::nullopt;
    }
    return std::get<json::JsonDocument>(std::move(parsed));
}

}  // namespace

int run_validate(const ValidateArguments& arguments, std::ostream& out, std::ostream& err) {
    diag::Diagnostics diagnostics;
    auto finish = [&](int code) {
        for (const auto& diagnostic : diagnostics.all()) err << diag::format_text(diagnostic);
        if (code == 0) out << arguments.data << ": valid\n";
        return code;
    };
    auto schema_document = read_document(arguments.schema, diagnostics);
    auto data_document = read_document(arguments.data, diagnostics);
    if (!schema_document || !data_document) return finish(2);
    auto compiled = schema::compile_schema(schema_document->value);
    for (const auto& issue : compiled.errors) {
        auto position = json::locate(*schema_document, issue.pointer);
        diagnostics.report({diag::Severity::error, "CY208", arguments.schema, position.line, position.column,
                            issue.pointer, issue.message, "cypp supports JSON Schema draft-07"});
    }
    if (!compiled.schema) return finish(2);
    for (const auto& issue : schema::validate(*compiled.schema, *data_document)) {
        auto position = json::locate(*data_document, issue.pointer);
        diagnostics.report({diag::Severity::error, "CY202", arguments.data, position.line, position.column,
                            issue.pointer, issue.message, {}});
    }
    return finish(diagnostics.has_errors() ? 1 : 0);
}

}  // namespace cypp::cli
