#include "diagnostics.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace cypp::diag {

void Diagnostics::report(Diagnostic diagnostic) {
    const int seen = ++per_file_and_code_[{diagnostic.file, diagnostic.code}];
    if (seen == max_listed_per_file_and_code + 1) {
        diagnostic.line = diagnostic.column = 0;
        diagnostic.pointer.clear();
        diagnostic.message = "more " + diagnostic.code + " problems in this file are not listed (only the first " +
                             std::to_string(max_listed_per_file_and_code) + " are)";
        diagnostic.hint = "fix the ones listed; the rest are most likely the same mistake";
    }
    if (seen <= max_listed_per_file_and_code + 1) diagnostics_.push_back(std::move(diagnostic));
}

void Diagnostics::error(std::string code, std::string file, int line, int column,
                        std::string message, std::string hint) {
    report({Severity::error, std::move(code), std::move(file), line, column, {}, std::move(message),
            std::move(hint)});
}

void Diagnostics::warning(std::string code, std::string file, int line, int column,
                          std::string message, std::string hint) {
    report({Severity::warning, std::move(code), std::move(file), line, column, {},
            std::move(message), std::move(hint)});
}

void Diagnostics::promote_warnings_to_errors() {
    for (Diagnostic& diagnostic : diagnostics_) diagnostic.severity = Severity::error;
}

int Diagnostics::error_count() const {
    return static_cast<int>(std::count_if(diagnostics_.begin(), diagnostics_.end(),
                                          [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

int Diagnostics::warning_count() const {
    return static_cast<int>(diagnostics_.size()) - error_count();
}

static const char* severity_name(Severity severity) {
    return severity == Severity::error ? "error" : "warning";
}

std::string format_text(const Diagnostic& d, Colour colour) {
    const bool ansi = colour == Colour::always;
    std::string out = ansi ? "\033[1m" : "";
    out += d.file.empty() ? std::string("cypp") : d.file;
    if (d.line > 0) {
        out += ':' + std::to_string(d.line);
        if (d.column > 0) out += ':' + std::to_string(d.column);
    }
    out += ": ";
    if (ansi) out += d.severity == Severity::error ? "\033[31m" : "\033[35m";
    out += severity_name(d.severity);
    out += '[' + d.code + "]:";
    if (ansi) out += "\033[0m";
    out += ' ' + d.message;
    if (!d.pointer.empty()) out += " (at " + d.pointer + ")";
    out += '\n';
    if (!d.hint.empty()) out += "  hint: " + d.hint + '\n';
    return out;
}

namespace {

// Workflow command escaping: the message escapes % CR LF; properties also : and ,.
std::string github_escape(const std::string& text, bool property) {
    std::string escaped;
    for (char c : text) {
        if (c == '%') escaped += "%25";
        else if (c == '\r') escaped += "%0D";
        else if (c == '\n') escaped += "%0A";
        else if (property && c == ':') escaped += "%3A";
        else if (property && c == ',') escaped += "%2C";
        else escaped += c;
    }
    return escaped;
}

}  // namespace

std::string format_github(const Diagnostic& d) {
    std::string out = std::string("::") + (d.severity == Severity::error ? "error" : "warning");
    std::string properties;
    if (!d.file.empty()) properties += "file=" + github_escape(d.file, true);
    if (d.line > 0) properties += ",line=" + std::to_string(d.line);
    if (d.column > 0) properties += ",col=" + std::to_string(d.column);
    properties += std::string(properties.empty() ? "" : ",") + "title=" + github_escape(d.code, true);
    out += ' ' + properties + "::" + github_escape(d.message + (d.pointer.empty() ? "" : " (at " + d.pointer + ")") +
                                                       (d.hint.empty() ? "" : "\nhint: " + d.hint),
                                                   false);
    return out + '\n';
}

std::string format_json(const Diagnostics& diagnostics) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Diagnostic& d : diagnostics.all()) {
        nlohmann::ordered_json entry;
        entry["severity"] = severity_name(d.severity);
        entry["code"] = d.code;
        entry["file"] = d.file;
        entry["line"] = d.line;
        entry["column"] = d.column;
        entry["pointer"] = d.pointer;
        entry["message"] = d.message;
        entry["hint"] = d.hint;
        list.push_back(std::move(entry));
    }
    nlohmann::ordered_json root;
    root["diagnostics"] = std::move(list);
    root["summary"] = {{"errors", diagnostics.error_count()}, {"warnings", diagnostics.warning_count()}};
    return root.dump(2) + '\n';
}

std::string format_summary(const Diagnostics& diagnostics) {
    auto plural = [](int n, const char* word) {
        return std::to_string(n) + ' ' + word + (n == 1 ? "" : "s");
    };
    return plural(diagnostics.error_count(), "error") + ", " +
           plural(diagnostics.warning_count(), "warning") + '\n';
}

}  // namespace cypp::diag
