// Internal to load: reading files of one site folder with the right limits and the
// names authors see in diagnostics.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "diag/diagnostics.h"
#include "fs/site_source.h"
#include "json/json_document.h"
#include "load/compiled_schemas.h"
#include "load/json_file_cache.h"
#include "load/load_site.h"
#include "schema/schema.h"

namespace cypp::load {

class SiteFiles {
public:
    // display_root: how diagnostics name the site folder (as given on the command line).
    SiteFiles(const fs::SiteSource& source, std::filesystem::path display_root, Limits limits,
              diag::Diagnostics& diagnostics);

    // The name diagnostics use: the site folder as given on the command line + relative path.
    std::string display(const std::string& relative) const;
    bool exists(const std::string& relative) const;
    std::optional<std::string> read_text(const std::string& relative, std::uintmax_t max_bytes,
                                         const std::string& referenced_from = {}, int line = 0);
    // What read_text reports when its read (source().read) ends in status instead of a text.
    void report_failed_read(fs::ReadStatus status, const std::string& relative, std::uintmax_t max_bytes,
                            const std::string& referenced_from = {}, int line = 0);
    // Reads, parses and validates relative against the embedded schemas/<schema_name>.
    // A document that parses but breaks its schema is returned with valid = false, so
    // the caller can still find the other files it names and report their problems too.
    // With limits().json_files, an unchanged text is not parsed or validated again (the
    // document is shared, so it is read-only).
    struct JsonFile {
        std::shared_ptr<const json::JsonDocument> document;
        bool valid = false;
    };
    JsonFile read_json_file(const std::string& relative, const std::string& schema_name);
    // The document only when it is valid.
    std::shared_ptr<const json::JsonDocument> read_json(const std::string& relative, const std::string& schema_name);
    // Reports a problem at a JSON pointer of a loaded document, with its line and column.
    void report_at(diag::Severity severity, const std::string& code, const std::string& relative,
                   const json::JsonDocument& document, const std::string& pointer, std::string message,
                   std::string hint = {});
    // The same at a position found before the document was let go.
    void report_at(diag::Severity severity, const std::string& code, const std::string& relative,
                   json::SourcePosition position, const std::string& pointer, std::string message,
                   std::string hint = {});

    const Limits& limits() const { return limits_; }
    diag::Diagnostics& diagnostics() { return diagnostics_; }
    const fs::SiteSource& source() const { return source_; }

private:
    std::optional<schema::Schema> schema_for(const std::string& schema_name);
    // Parses and validates text; what it finds is returned, not yet reported.
    std::optional<ReadJsonFile> parse_and_check(const std::string& relative, const std::string& schema_name,
                                                std::string text);
    diag::Diagnostic located(diag::Severity severity, const std::string& code, const std::string& relative,
                             const json::JsonDocument& document, const std::string& pointer, std::string message,
                             std::string hint) const;
    void find_placeholders(const std::string& relative, const json::JsonDocument& document,
                           const nlohmann::json& value, const std::string& pointer,
                           std::vector<diag::Diagnostic>& found) const;

    const fs::SiteSource& source_;
    std::filesystem::path root_;
    std::string normal_root_;  // for display(), see the constructor
    Limits limits_;
    diag::Diagnostics& diagnostics_;
    std::unique_ptr<CompiledSchemas> own_schemas_;  // when limits_.schemas is null
    CompiledSchemas& schemas_;
};

}  // namespace cypp::load
