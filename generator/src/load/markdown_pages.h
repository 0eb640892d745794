// Internal to load: every Markdown page of a site, parsed once, so that links between
// pages (and references to them from JSON) can be checked before anything renders.
#pragma once

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "load/markdown_cache.h"
#include "load/read_ahead.h"
#include "load/site_files.h"
#include "markdown/markdown.h"
#include "model/site.h"

namespace cypp::load {

struct JsonLocation {
    JsonLocation(std::string file, const json::JsonDocument* document, std::string pointer,
                 json::SourcePosition position = {})
        : file(std::move(file)), document(document), pointer(std::move(pointer)), position(position) {}
    std::string file;  // site-relative
    const json::JsonDocument* document;  // null: position was found beforehand
    std::string pointer;
    json::SourcePosition position;
};

struct ReferenceTarget {
    std::string slug;  // empty when the reference is broken (and reported)
    std::string anchor;
    std::string label;
};

class MarkdownPages {
public:
    // cache: shared by the loads of one build (may be null).
    MarkdownPages(SiteFiles& files, MarkdownCache* cache) : files_(files), cache_(cache) {}

    enum class PlainText { drop, keep };
    // Texts read ahead (read_ahead.h), finished, are taken from ahead instead of read
    // again; null: none. For the adds that follow.
    void take_reads_from(ReadAhead* ahead) { read_ahead_ = ahead; }

    // Reads and prepares source (site-relative); false when it is missing or refused.
    // PlainText::keep: text_of() will be asked for it.
    bool add(const std::string& source, const std::string& output_path, const JsonLocation& listed_at,
             PlainText plain_text = PlainText::drop);

    struct Request {
        std::string source;
        std::string output_path;
        JsonLocation listed_at;
        PlainText plain_text = PlainText::drop;
    };
    // add() for each request in turn, with the same results and the same diagnostics in
    // the same order, but cmark's work shared among Limits::jobs threads (the files are
    // read on this one). False when any page was not added.
    bool add_all(const std::vector<Request>& requests);
    // Renders page.source into page.body_html and page.toc, checking every link.
    void render(model::Page& page);
    // The same for many pages at once, on the load's threads, reporting in their order.
    void render_all(const std::vector<model::Page*>& pages);
    // The page's text without markup (empty when it is not loaded or not kept).
    std::string text_of(const std::string& source) const;
    // Checks a "chapters/x.md#heading" reference written in JSON inside plan folder.
    ReferenceTarget resolve_reference(const std::string& folder, const std::string& reference,
                                      const JsonLocation& written_at);
    // Local non-Markdown files that pages link to (site-relative), to be copied.
    std::vector<std::string> linked_files() const { return {linked_files_.begin(), linked_files_.end()}; }

private:
    struct Entry {
        std::string output_path;
        std::shared_ptr<const PreparedMarkdown> prepared;
        std::vector<std::string_view> ids;  // of the headings in prepared, sorted
        bool has_id(std::string_view id) const { return std::binary_search(ids.begin(), ids.end(), id); }
    };
    // The load's threads (Limits::pool, else Limits::jobs, else one per core).
    unsigned jobs() const;
    void on_threads(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& work) const;
    // What FilledPages is to do with the page's HTML.
    enum class Filled { not_to_keep, taken_from_kept, to_keep };
    Filled render_into(model::Page& page, diag::Diagnostics& reported, std::set<std::string>& linked) const;
    // looked_on_disk: set when the link is not to a page (nor outside the site).
    std::string rewrite(const std::string& source, const Entry& from, const PageOutline::Link& link,
                        diag::Diagnostics& reported, std::set<std::string>& linked, bool& looked_on_disk) const;
    // A hash of where every page is and which headings it has: what links depend on.
    std::uint64_t link_map() const;

    SiteFiles& files_;
    MarkdownCache* cache_;
    ReadAhead* read_ahead_ = nullptr;
    std::unordered_map<std::string, Entry> pages_;  // by source; looked up for every page and link
    std::set<std::string> linked_files_;
    bool filled_pages_started_ = false;  // FilledPages::start_load was called for this load
};

}  // namespace cypp::load
