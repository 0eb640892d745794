// Fuzz target (c): template rendering with hostile data. Each line of the input becomes
// the text of one free-text field of the minimal site (the Board's name, titles, the
// children's services, consultation answers, "you said, we did" ...), written into its
// JSON file as an author would write it. The site is loaded, checked and rendered
// through the default theme; whenever the build would publish (no errors), no page may
// hold a script or a script URL, and no output file may hold the withheld respondent's
// details.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "fs/output_tree.h"
#include "fuzz_support.h"
#include "load/load_site.h"
#include "model/date.h"
#include "render/render_site.h"
#include "render/theme.h"
#include "rules/rules.h"

namespace {

using namespace cypp;

struct Field {
    const char* file;
    const char* text;  // its value in the fixture; the first occurrence in the file is replaced
};

const Field fields[] = {
    {"site.json", "Testshire Children's Trust Board"},
    {"site.json", "1 High Street, Testtown"},
    {"site.json", "Central Library"},
    {"site.json", "Ask us for large print or easy read."},
    {"plans/2011-2014/plan.json", "Testshire Children and Young People's Plan 2011-2014"},
    {"plans/2011-2014/plan.json", "What the partners will do together for children in Testshire."},
    {"plans/2011-2014/plan.json", "Needs assessment"},
    {"plans/2011-2014/plan.json", "LSCB annual report 2009-10"},
    {"plans/2011-2014/child.json", "Our plan for you"},
    {"plans/2011-2014/child.json", "This is our plan, written for you."},
    {"plans/2011-2014/child.json", "What is the plan?"},
    {"plans/2011-2014/child.json", "Youth centre"},
    {"plans/2011-2014/child.json", "A place to meet friends."},
    {"plans/2011-2014/child.json", "Call 01234 567890"},
    {"plans/2011-2014/consultation.json", "We asked people what the plan should do."},
    {"plans/2011-2014/consultation.json", "Do you agree with our priorities?"},
    {"plans/2011-2014/consultation.json", "More buses please."},
    {"plans/2011-2014/consultation.json", "Not enough play areas."},
    {"plans/2011-2014/consultation.json", "Buses are too rare."},
    {"plans/2011-2014/consultation.json", "We added a transport action."},
    {"plans/2011-2014/consultation.json", "Testshire Fire Service"},
};

// Details of the respondent who said "do-not-publish" in the fixture.
const char* const withheld[] = {"Cyd Withheld", "Withheld Org", "9 Secret Lane", "Private comment."};

// JSON string content: quotes, backslashes and control characters escaped, every other
// byte as given (invalid UTF-8 included: the parser must say so).
std::string json_string_content(const std::string& text) {
    std::string out;
    for (unsigned char c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

const render::Theme& default_theme() {
    static const render::Theme theme = [] {
        diag::Diagnostics diagnostics;
        auto loaded = render::Theme::load(CYPP_FUZZ_FIXTURE, "site", diagnostics);
        if (!loaded) fuzz::finding("the default theme does not load");
        return *loaded;
    }();
    return theme;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    fuzz::MemorySource site = fuzz::minimal_site();
    std::size_t start = 0;
    for (const Field& field : fields) {
        if (start > input.size()) break;
        std::size_t end = input.find('\n', start);
        if (end == std::string::npos) end = input.size();
        std::string& file = site.files[field.file];
        const std::size_t at = file.find(field.text);
        if (at == std::string::npos) fuzz::finding(std::string("the fixture changed: no \"") + field.text + "\"");
        file.replace(at, std::string(field.text).size(), json_string_content(input.substr(start, end - start)));
        start = end + 1;
    }

    diag::Diagnostics diagnostics;
    std::optional<model::Site> loaded = load::load_site(site, "site", load::Limits{}, diagnostics);
    fuzz::print_if_verbose(diagnostics);
    if (!loaded || diagnostics.has_errors()) return 0;
    const model::Date today{2011, 6, 1};
    const rules::ComplianceReport compliance = rules::check_rules(*loaded, {today, "site"}, diagnostics);
    fs::OutputTree output;
    render::RenderOptions options{today, "cypp fuzz", nullptr, std::nullopt, model::withheld_details(*loaded)};
    render::render_site(*loaded, default_theme(), &compliance, options, output, diagnostics);
    fuzz::print_if_verbose(diagnostics);
    if (diagnostics.has_errors()) return 0;  // not published

    for (const auto& [path, content] : output.files()) {
        if (path.ends_with(".html")) fuzz::require_no_script(content, path);
        for (const char* detail : withheld)
            if (content.find(detail) != std::string::npos || path.find(detail) != std::string::npos)
                fuzz::finding(path + " names a respondent who asked not to be published: " + detail);
    }
    return 0;
}
