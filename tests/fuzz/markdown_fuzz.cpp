// Fuzz target (b): the Markdown pipeline with link rewriting. The input replaces a
// chapter of the minimal site (and, after a form feed, a child-friendly page), which is
// then loaded as a build loads it: parsed once, links to other pages, headings and files
// checked and rewritten to output URLs, rendered to safe HTML. The rendered bodies must
// hold no script, and every diagnostic about the page must point inside it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>

#include "diag/diagnostics.h"
#include "fuzz_support.h"
#include "load/load_site.h"
#include "markdown/markdown.h"

namespace {

using namespace cypp;

constexpr const char* chapter = "plans/2011-2014/chapters/needs.md";
constexpr const char* child_page = "plans/2011-2014/child/about.md";

void check_lines(const diag::Diagnostics& diagnostics, const std::string& file, const std::string& text) {
    const long lines = static_cast<long>(std::count(text.begin(), text.end(), '\n')) + 1;
    for (const diag::Diagnostic& d : diagnostics.all()) {
        if (d.file != "site/" + file) continue;
        if (d.line < 0 || d.line > lines || d.column < 0)
            fuzz::finding("diagnostic " + d.code + " at " + std::to_string(d.line) + ":" + std::to_string(d.column) +
                          " lies outside " + file + " (" + std::to_string(lines) + " lines)");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::size_t split = input.find('\f');
    fuzz::MemorySource site = fuzz::minimal_site();
    site.files[chapter] = input.substr(0, split);
    if (split != std::string::npos) site.files[child_page] = input.substr(split + 1);

    diag::Diagnostics diagnostics;
    std::optional<model::Site> loaded = load::load_site(site, "site", load::Limits{}, diagnostics);
    fuzz::print_if_verbose(diagnostics);
    check_lines(diagnostics, chapter, site.files[chapter]);
    check_lines(diagnostics, child_page, site.files[child_page]);
    if (loaded) {
        for (const model::Plan& plan : loaded->plans) {
            for (const model::Chapter& c : plan.chapters) fuzz::require_no_script(c.page.body_html, c.page.source);
            for (const model::ChildPage& p : plan.child.pages) fuzz::require_no_script(p.page.body_html, p.page.source);
        }
    }

    // The module on its own too, every link kept as written: whatever it does not report
    // as an error must render without script.
    diag::Diagnostics direct;
    markdown::ParsedMarkdown parsed = markdown::parse_markdown(site.files[chapter], chapter, markdown::Limits{}, direct);
    if (parsed.usable()) {
        (void)markdown::plain_text(parsed);
        const std::string html = markdown::render_html(parsed, [](const markdown::Link& link) { return link.url; });
        if (!direct.has_errors()) fuzz::require_no_script(html, "render_html");
    }
    return 0;
}
