// Fuzz target (b): the Markdown pipeline with link rewriting. The input replaces a
// chapter of the minimal site (and, after a form feed, its child-friendly page); the
// site's pages are then parsed and rendered as load does it (load::MarkdownPages):
// links to other pages, headings and files checked and rewritten to output URLs, safe
// HTML rendered. The rendered bodies must hold no script, and every diagnostic about a
// page must point inside it. (The JSON around the pages is load's too, but schema
// compilation would make each run a hundred times slower: fuzz target (a) covers it.)
#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "diag/diagnostics.h"
#include "fuzz_support.h"
#include "json/json_document.h"
#include "load/markdown_pages.h"
#include "load/site_files.h"
#include "markdown/markdown.h"

namespace {

using namespace cypp;

struct PageFile {
    const char* source;
    const char* output;
};

constexpr PageFile pages[] = {
    {"plans/2011-2014/chapters/introduction.md", "plan/introduction/index.html"},
    {"plans/2011-2014/chapters/needs.md", "plan/needs/index.html"},
    {"plans/2011-2014/child/about.md", "child/about/index.html"},
};
constexpr const char* chapter = "plans/2011-2014/chapters/needs.md";
constexpr const char* child_page = "plans/2011-2014/child/about.md";

// Lines as CommonMark (and editors) count them: "\r\n", "\r" and "\n" each end one.
long count_lines(const std::string& text) {
    long lines = 1;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) ++lines;
    return lines;
}

void check_lines(const diag::Diagnostics& diagnostics, const std::string& file, const std::string& text) {
    const long lines = count_lines(text);
    for (const diag::Diagnostic& d : diagnostics.all()) {
        if (d.file != "site/" + file) continue;
        if (d.line < 0 || d.line > lines || d.column < 0)
            fuzz::finding("diagnostic " + d.code + " at " + std::to_string(d.line) + ":" + std::to_string(d.column) +
                          " lies outside " + file + " (" + std::to_string(lines) + " lines)");
    }
}

const json::JsonDocument& plan_json() {
    static const json::JsonDocument document =
        std::get<json::JsonDocument>(json::parse_json(fuzz::minimal_site().files.at("plans/2011-2014/plan.json")));
    return document;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::size_t split = input.find('\f');
    fuzz::MemorySource site = fuzz::minimal_site();
    site.files[chapter] = input.substr(0, split);
    if (split != std::string::npos) site.files[child_page] = input.substr(split + 1);

    diag::Diagnostics diagnostics;
    load::SiteFiles files(site, "site", load::Limits{}, diagnostics);
    load::MarkdownPages markdown_pages(files, nullptr);
    const load::JsonLocation listed_at{"plans/2011-2014/plan.json", &plan_json(), "/chapters"};
    for (const PageFile& page : pages) markdown_pages.add(page.source, page.output, listed_at);
    for (const PageFile& page : pages) {
        model::Page rendered;
        rendered.source = page.source;
        markdown_pages.render(rendered);
        fuzz::require_no_script(rendered.body_html, page.source);
        (void)markdown_pages.text_of(page.source);
    }
    // What child.json and consultation.json do: point at a heading of a chapter.
    markdown::Limits limits;
    (void)markdown_pages.resolve_reference("plans/2011-2014/", "chapters/needs.md#what-we-found", listed_at);
    fuzz::print_if_verbose(diagnostics);
    check_lines(diagnostics, chapter, site.files[chapter]);
    check_lines(diagnostics, child_page, site.files[child_page]);

    // The module on its own too, every link kept as written: whatever it does not report
    // as an error must render without script.
    diag::Diagnostics direct;
    markdown::ParsedMarkdown parsed = markdown::parse_markdown(site.files[chapter], chapter, limits, direct);
    if (parsed.usable()) {
        (void)markdown::plain_text(parsed);
        const std::string html = markdown::render_html(parsed, [](const markdown::Link& link) { return link.url; });
        if (!direct.has_errors()) fuzz::require_no_script(html, "render_html");
    }
    return 0;
}
