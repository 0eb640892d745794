// markdown: the one place that touches cmark-gfm. Parses an author's Markdown with the
// GFM table, strikethrough, autolink and tagfilter extensions, reports what is unsafe
// or inaccessible, and renders safe HTML (raw HTML and dangerous links never pass).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "diag/diagnostics.h"

namespace cypp::markdown {

struct Heading {
    int level = 0;
    std::string text;
    std::string id;  // stable: see slugify(); repeats in one file get "-2", "-3", ...
    int line = 0;
};

struct Link {
    std::string url;  // as written
    bool is_image = false;
    int line = 0;     // counted from the first line of the file
    int column = 0;
};

struct Limits {
    // Debian's cmark-gfm lacks the 2023 fixes for quadratic table output: a wide
    // header over many short rows multiplies. These caps keep output linear in input.
    int max_table_columns = 64;
    long max_table_cells = 20000;
    // A page's HTML may be at most 64 times its Markdown plus 64 KiB (CY311). Ordinary
    // pages stay under 4 times; what passes this has been multiplied (a link reference
    // with a long address used thousands of times, rows a table header fills out).
    std::size_t max_html_per_markdown_byte = 64;
    std::size_t max_html_extra_bytes = 64 * 1024;
    // cmark-gfm's e-mail autolinking slows to seconds on one long "word" full of "@"
    // (CY313); text has one or two per word.
    int max_at_signs_per_word = 256;
    // ... and rereads the rest of a paragraph for every "<?" or "<![CDATA[" not closed
    // (CY313): at most this many bytes read in all (a few milliseconds).
    std::size_t max_raw_html_scan_bytes = 16 * 1024 * 1024;
};

class ParsedMarkdown {
public:
    ParsedMarkdown();
    ~ParsedMarkdown();
    ParsedMarkdown(ParsedMarkdown&&) noexcept;
    ParsedMarkdown& operator=(ParsedMarkdown&&) noexcept;

    const std::vector<Heading>& headings() const { return headings_; }
    const std::vector<Link>& links() const { return links_; }
    bool usable() const;  // false when the file was refused (e.g. over a limit)

    struct Tree;  // cmark's document and its extensions; private to markdown.cpp

private:
    friend ParsedMarkdown parse_markdown(std::string_view, const std::string&, const Limits&,
                                         diag::Diagnostics&);
    friend std::string render_html(ParsedMarkdown&, const std::function<std::string(const Link&)>&,
                                   diag::Diagnostics*);
    friend std::string plain_text(const ParsedMarkdown&);
    std::unique_ptr<Tree> tree_;
    std::vector<Heading> headings_;
    std::vector<Link> links_;
    std::vector<std::string> table_labels_;  // "Table: <header cells>", one per table
    std::string file_;                        // as named in diagnostics
    std::size_t markdown_bytes_ = 0;
    std::size_t max_html_bytes_ = 0;          // from Limits and markdown_bytes_
    bool refused_ = false;                    // its HTML was over max_html_bytes_
};

// Reports (to diagnostics, under the name file): raw HTML (CY302), level-1 headings
// (CY303), javascript:/data:/vbscript:/file: links (CY304), images without alt text
// (CY305), tables over the limits (CY306); warnings for skipped heading levels (CY307)
// and link text that says nothing out of context, such as "click here" (CY308),
// "TO DO" placeholders still to write (CY310), and raw HTML that swallows the lines
// after it up to the next blank line (CY312). Text that is not UTF-8 (CY314) or that
// would be slow for cmark-gfm (tables over the limits, CY306; "@" runs, unclosed "<?",
// CY313) is
// refused before cmark sees it: the result is then not usable().
ParsedMarkdown parse_markdown(std::string_view text, const std::string& file, const Limits& limits,
                              diag::Diagnostics& diagnostics);

// The text a reader reads, without markup: one line per block (heading, paragraph,
// list item, table cell), for readability scores.
std::string plain_text(const ParsedMarkdown& parsed);

// Renders HTML. rewrite_url gives the URL to emit for each link and image (in the same
// order as links()). Headings get their ids. HTML over the Limits given to
// parse_markdown is an error (CY311, to diagnostics when given): the result is empty
// and parsed is no longer usable(), so a cached parse is refused again. Links whose
// addresses alone exceed the limit are refused before cmark renders anything.
std::string render_html(ParsedMarkdown& parsed, const std::function<std::string(const Link&)>& rewrite_url,
                        diag::Diagnostics* diagnostics = nullptr);

// Heading text to id: lower-case ASCII letters and digits kept, every other run of
// characters becomes one hyphen, no hyphen at either end; "section" if nothing is left.
std::string slugify(std::string_view text);

}  // namespace cypp::markdown
