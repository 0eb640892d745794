// diag: the one place that knows what a diagnostic is and how it is printed.
// Every stage reports problems to a Diagnostics sink instead of throwing, so one
// run can report as many problems as it finds.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace cypp::diag {

enum class Severity { error, warning };

// Codes: regulation rule ids (e.g. "R6.a") for rule checks; "CY<stage><nn>" for the
// rest, one range per stage, never reused: CY1xx files and command line, CY2xx JSON
// and schemas, CY3xx Markdown, CY4xx cross-references between files, CY5xx themes and
// templates, CY6xx writing the output. docs/DIAGNOSTICS.md lists them.
struct Diagnostic {
    Severity severity = Severity::error;
    std::string code;
    std::string file;     // as the author would type it, relative to the site folder where possible
    int line = 0;         // 1-based; 0 = the whole file
    int column = 0;       // 1-based; 0 = the whole line
    std::string pointer;  // JSON pointer, for JSON files
    std::string message;  // what is wrong, in plain English
    std::string hint;     // what to do about it
};

class Diagnostics {
public:
    void report(Diagnostic diagnostic);
    void error(std::string code, std::string file, int line, int column, std::string message,
               std::string hint = {});
    void warning(std::string code, std::string file, int line, int column, std::string message,
                 std::string hint = {});

    // --strict: guidance the Board chose not to follow becomes a reason not to publish.
    void promote_warnings_to_errors();

    const std::vector<Diagnostic>& all() const { return diagnostics_; }
    int error_count() const;
    int warning_count() const;
    bool has_errors() const { return error_count() > 0; }

    // One file that repeats a mistake thousands of times (200,000 array items that
    // break its schema) lists the first this many of each code, then one line for
    // the rest: a flood would take seconds and hundreds of MiB to report.
    static constexpr int max_listed_per_file_and_code = 100;

private:
    std::vector<Diagnostic> diagnostics_;
    std::map<std::pair<std::string, std::string>, int> per_file_and_code_;
};

enum class Colour { never, always };

// GCC-style: "file:line:col: error[CODE]: message" then "  hint: ..." on the next line;
// with Colour::always, severity and location in ANSI colours as GCC prints them.
std::string format_text(const Diagnostic& diagnostic, Colour colour = Colour::never);
// GitHub Actions workflow commands: "::error file=F,line=L,col=C,title=CODE::message",
// which GitHub shows as annotations on the pull request.
std::string format_github(const Diagnostic& diagnostic);
// {"diagnostics":[...],"summary":{"errors":N,"warnings":N}}
std::string format_json(const Diagnostics& diagnostics);
std::string format_summary(const Diagnostics& diagnostics);

}  // namespace cypp::diag
