#include "load/site_files.h"

#include <algorithm>
#include <variant>

#include "fs/output_tree.h"
#include "resources/resources.h"

namespace cypp::load {

namespace stdfs = std::filesystem;

SiteFiles::SiteFiles(const fs::SiteSource& source, stdfs::path display_root, Limits limits,
                     diag::Diagnostics& diagnostics)
    : source_(source),
      root_(std::move(display_root)),
      limits_(limits),
      diagnostics_(diagnostics),
      own_schemas_(limits.schemas ? nullptr : std::make_unique<CompiledSchemas>()),
      schemas_(limits.schemas ? *limits.schemas : *own_schemas_) {
    // The site folder as display() writes it, ending in "/"; empty when a name joined to
    // it could still be changed by normalising (it climbs with "..").
    std::string root = root_.lexically_normal().string();
    if (!root.empty() && root != "." && root != ".." && !root.starts_with("../") && !root.ends_with("/.."))
        normal_root_ = root.ends_with('/') ? root : root + "/";
}

namespace {

// True when lexically_normal would leave relative as it is: no "." or ".." folder, no
// empty one, not absolute.
bool is_plain_relative(std::string_view relative) {
    if (relative.empty() || relative.front() == '/') return false;
    for (std::size_t start = 0;;) {
        const std::size_t slash = relative.find('/', start);
        const std::string_view segment = relative.substr(start, slash == std::string_view::npos ? slash : slash - start);
        if (segment.empty() || segment == "." || segment == "..") return false;
        if (slash == std::string_view::npos) return true;
        start = slash + 1;
    }
}

}  // namespace

std::string SiteFiles::display(const std::string& relative) const {
    if (root_.empty() || root_ == ".") return relative;
    // Every page's name is made here on every load: the common case without path objects.
    if (is_plain_relative(relative) && !normal_root_.empty()) return normal_root_ + relative;
    return (root_ / relative).lexically_normal().string();
}

bool SiteFiles::exists(const std::string& relative) const {
    return source_.is_file(relative);
}

std::optional<std::string> SiteFiles::read_text(const std::string& relative, std::uintmax_t max_bytes,
                                                const std::string& referenced_from, int line) {
    fs::ReadResult result = source_.read(relative, max_bytes);
    if (result.status == fs::ReadStatus::ok) return std::move(result.text);
    report_failed_read(result.status, relative, max_bytes, referenced_from, line);
    return std::nullopt;
}

void SiteFiles::report_failed_read(fs::ReadStatus status, const std::string& relative, std::uintmax_t max_bytes,
                                   const std::string& referenced_from, int line) {
    const std::string where = referenced_from.empty() ? display(relative) : referenced_from;
    const int at_line = referenced_from.empty() ? 0 : line;
    switch (status) {
    case fs::ReadStatus::ok:
        break;
    case fs::ReadStatus::missing:
        diagnostics_.error("CY102", where, at_line, 0, "file " + display(relative) + " does not exist",
                           "create it, or correct the name");
        break;
    case fs::ReadStatus::not_a_file:
        diagnostics_.error("CY102", where, at_line, 0, display(relative) + " is not a file");
        break;
    case fs::ReadStatus::too_large:
        diagnostics_.error("CY103", display(relative), 0, 0,
                           "file is larger than the limit of " + std::to_string(max_bytes / 1024) + " KiB",
                           "split it into smaller files");
        break;
    case fs::ReadStatus::unreadable:
        diagnostics_.error("CY104", display(relative), 0, 0, "file cannot be read", "check its permissions");
        break;
    case fs::ReadStatus::outside_site:
        diagnostics_.error("CY116", where, at_line, 0,
                           display(relative) + " leads outside the site folder (a symbolic link or \"..\")",
                           "keep every file of the site inside its folder; copy the file in instead of linking to it");
        break;
    }
}

std::optional<schema::Schema> SiteFiles::schema_for(const std::string& schema_name) {
    std::optional<schema::Schema> compiled = schemas_.find(schema_name);
    if (!compiled)
        diagnostics_.error("CY209", "schemas/" + schema_name, 0, 0,
                           "the built-in schema cannot be used; this is a bug in cypp");
    return compiled;
}

void SiteFiles::report_at(diag::Severity severity, const std::string& code, const std::string& relative,
                          const json::JsonDocument& document, const std::string& pointer, std::string message,
                          std::string hint) {
    diagnostics_.report(located(severity, code, relative, document, pointer, std::move(message), std::move(hint)));
}

void SiteFiles::report_at(diag::Severity severity, const std::string& code, const std::string& relative,
                          json::SourcePosition position, const std::string& pointer, std::string message,
                          std::string hint) {
    diagnostics_.report({severity, code, display(relative), position.line, position.column, pointer,
                         std::move(message), std::move(hint)});
}

diag::Diagnostic SiteFiles::located(diag::Severity severity, const std::string& code, const std::string& relative,
                                    const json::JsonDocument& document, const std::string& pointer,
                                    std::string message, std::string hint) const {
    const json::SourcePosition position = json::locate(document, pointer);
    return {severity, code, display(relative), position.line, position.column, pointer, std::move(message),
            std::move(hint)};
}

namespace {

// What report() would still list of code for one file: a file that repeats a mistake
// thousands of times is not located thousands of times.
bool room_for(const std::vector<diag::Diagnostic>& found, std::string_view code) {
    const auto listed = std::count_if(found.begin(), found.end(), [&](const diag::Diagnostic& d) { return d.code == code; });
    return listed <= diag::Diagnostics::max_listed_per_file_and_code;
}

}  // namespace

// "TO DO" marks what cypp new left for the author to write.
void SiteFiles::find_placeholders(const std::string& relative, const json::JsonDocument& document,
                                  const nlohmann::json& value, const std::string& pointer,
                                  std::vector<diag::Diagnostic>& found) const {
    if (value.is_string()) {
        const std::string& text = value.get_ref<const std::string&>();
        if (text.find("TO DO") == std::string::npos || !room_for(found, "CY310")) return;
        std::string excerpt = text.size() > 60 ? text.substr(0, 57) + "..." : text;
        found.push_back(located(diag::Severity::warning, "CY310", relative, document, pointer,
                                "still to write: \"" + excerpt + "\"", "replace the TO DO with the real value"));
    } else if (value.is_object()) {
        for (const auto& [key, item] : value.items()) {
            std::string token;
            for (char c : key) token += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
            find_placeholders(relative, document, item, pointer + "/" + token, found);
        }
    } else if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i)
            find_placeholders(relative, document, value[i], pointer + "/" + std::to_string(i), found);
    }
}

std::shared_ptr<const json::JsonDocument> SiteFiles::read_json(const std::string& relative,
                                                               const std::string& schema_name) {
    JsonFile file = read_json_file(relative, schema_name);
    if (!file.valid) return nullptr;
    return std::move(file.document);
}

SiteFiles::JsonFile SiteFiles::read_json_file(const std::string& relative, const std::string& schema_name) {
    auto text = read_text(relative, limits_.max_json_bytes);
    if (!text) return {};
    JsonFileCache* cache = limits_.json_files;
    const ReadJsonFile* kept = cache ? cache->find(display(relative), schema_name, *text) : nullptr;
    std::optional<ReadJsonFile> fresh;
    if (kept) {
        cache->count_hit();
    } else {
        std::string key_text = cache ? *text : std::string();
        fresh = parse_and_check(relative, schema_name, std::move(*text));
        if (!fresh) return {};
        kept = &*fresh;
        if (cache) cache->keep(display(relative), schema_name, std::move(key_text), *fresh);
    }
    for (const diag::Diagnostic& diagnostic : kept->reported) diagnostics_.report(diagnostic);
    return {kept->document, kept->valid};
}

std::optional<ReadJsonFile> SiteFiles::parse_and_check(const std::string& relative, const std::string& schema_name,
                                                       std::string text) {
    ReadJsonFile read;
    auto parsed = json::parse_json(std::move(text));
    if (auto* failure = std::get_if<json::ParseFailure>(&parsed)) {
        read.reported.push_back({diag::Severity::error, "CY201", display(relative), failure->position.line,
                                 failure->position.column, "", "malformed JSON: " + failure->message,
                                 "fix the JSON syntax (a JSON-aware editor shows it as you type)"});
        return read;
    }
    auto document = std::make_shared<json::JsonDocument>(std::get<json::JsonDocument>(std::move(parsed)));
    const std::optional<schema::Schema> schema = schema_for(schema_name);
    if (!schema) return std::nullopt;
    auto issues = schema::validate(*schema, *document);
    for (const auto& issue : issues) {
        if (!room_for(read.reported, "CY202")) break;
        read.reported.push_back(located(diag::Severity::error, "CY202", relative, *document, issue.pointer,
                                        issue.message, "see schemas/" + schema_name + " for what this file may contain"));
    }
    read.valid = issues.empty();
    if (read.valid) {
        find_placeholders(relative, *document, document->value, "", read.reported);
        const std::string reference = document->value.value("$schema", "");
        if (!reference.ends_with(schema_name))
            read.reported.push_back(located(diag::Severity::warning, "CY203", relative, *document, "/$schema",
                                            "\"$schema\" should name " + schema_name,
                                            "editors use it to offer completion"));
    }
    read.document = std::move(document);
    return read;
}

}  // namespace cypp::load
