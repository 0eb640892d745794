#include "load/markdown_pages.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "load/filled_pages.h"
#include "model/paths.h"
#include "parallel/for_each.h"

namespace cypp::load {

namespace {

std::string_view folder_of(std::string_view path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash + 1);
}

bool has_scheme(std::string_view url) {
    for (char c : url) {
        if (c == ':') return true;
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return false;
    }
    return false;
}

// Joins a relative link to the folder of the page it is written in, with "." and ".."
// taken out as std::filesystem's lexically_normal does (a trailing "/" is kept); empty
// when it climbs out of the site folder or names the folder itself. Every link of every
// page passes here on every load, so it works on the string.
std::string join_inside_site(std::string_view folder, std::string_view relative) {
    if (relative.starts_with('/')) return {};
    std::string joined;
    joined.reserve(folder.size() + relative.size());
    joined.append(folder).append(relative);
    std::vector<std::string_view> kept;
    bool trailing_slash = false;
    for (std::size_t start = 0;;) {
        const std::size_t slash = joined.find('/', start);
        const std::string_view segment =
            std::string_view(joined).substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (segment.empty() || segment == ".") {
            trailing_slash = true;
        } else if (segment == "..") {
            if (kept.empty()) return {};
            kept.pop_back();
            trailing_slash = true;
        } else {
            kept.push_back(segment);
            trailing_slash = false;
        }
        if (slash == std::string::npos) break;
        start = slash + 1;
    }
    if (kept.empty()) return {};
    std::string result;
    result.reserve(joined.size());
    for (const std::string_view segment : kept) {
        if (!result.empty()) result += '/';
        result += segment;
    }
    if (trailing_slash) result += '/';
    return result;
}

// Linked files are published as files/<path>: only lower-case ASCII letters, digits,
// "-", "_" and "." (and "/" between folders), so that the copy on any server, mirror or
// case-insensitive disk has the same names and no two of them differ only in case.
bool is_publishable_name(const std::string& path) {
    return std::all_of(path.begin(), path.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '/';
    });
}

// The name to suggest instead: lower case, accented Latin letters without their accents,
// every run of other characters one "-".
std::string publishable_name(const std::string& path) {
    static const char* latin1 = "aaaaaaaceeeeiiiidnooooo-ouuuuytsaaaaaaaceeeeiiiidnooooo-ouuuuyty";  // U+00C0..U+00FF
    std::string name;
    auto append = [&name](char c) {
        if (c != '-') {
            if ((c == '.' || c == '/') && !name.empty() && name.back() == '-') name.pop_back();
            name += c;
        } else if (!name.empty() && name.back() != '-' && name.back() != '/') {
            name += '-';
        }
    };
    for (std::size_t i = 0; i < path.size(); ++i) {
        char c = path[i];
        const auto byte = static_cast<unsigned char>(c);
        if (byte == 0xC3 && i + 1 < path.size() && (static_cast<unsigned char>(path[i + 1]) & 0xC0) == 0x80) {
            append(latin1[static_cast<unsigned char>(path[++i]) & 0x3F]);
            continue;
        }
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        append(is_publishable_name(std::string(1, c)) ? c : '-');
    }
    if (!name.empty() && name.back() == '-') name.pop_back();
    return name;
}

// Parses, checks and renders text with cmark, touching nothing shared: safe on any thread.
PreparedMarkdown prepare_markdown(const std::string& text, const std::string& display,
                                  MarkdownPages::PlainText plain_text) {
    PreparedMarkdown prepared;
    diag::Diagnostics diagnostics;
    prepared.markdown_bytes = text.size();
    markdown::ParsedMarkdown parsed = markdown::parse_markdown(text, display, markdown::Limits{}, diagnostics);
    prepared.usable = parsed.usable();
    if (!prepared.usable) {
        prepared.reported = diagnostics.all();
        return prepared;
    }
    prepared.outline = PageOutline(parsed.headings(), parsed.links());
    std::size_t next = 0;
    prepared.html_template =
        markdown::render_html(parsed, [&](const markdown::Link&) { return url_placeholder(next++); }, &diagnostics);
    if (plain_text == MarkdownPages::PlainText::keep) prepared.plain_text = markdown::plain_text(parsed);
    prepared.reported = diagnostics.all();
    return prepared;
}

}  // namespace

bool MarkdownPages::add(const std::string& source, const std::string& output_path, const JsonLocation& listed_at, PlainText plain_text) {
    return add_all({{source, output_path, listed_at, plain_text}});
}

unsigned MarkdownPages::jobs() const { return load_threads(files_.limits()); }

void MarkdownPages::on_threads(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& work) const {
    if (parallel::Pool* pool = files_.limits().pool) pool->for_each(count, work, threads);
    else parallel::for_each(count, threads, work);
}

bool MarkdownPages::add_all(const std::vector<Request>& requests) {
    const std::uintmax_t max_bytes = files_.limits().max_markdown_bytes;
    const unsigned jobs = this->jobs();
    // 1. and 2. go a chunk of pages at a time: without a cache a text is let go once
    // prepared, so no more than a chunk of the site's Markdown is held beside its HTML.
    struct Read {
        bool exists = false;
        fs::ReadResult result;
        std::string display;
        std::shared_ptr<const PreparedMarkdown> cached;  // the cache's preparation of the text, looked up while read
    };
    struct Preparation {
        std::string* text;
        const std::string* display;
        PlainText plain_text;
        std::shared_ptr<const PreparedMarkdown> prepared;
    };
    constexpr std::size_t none = static_cast<std::size_t>(-1);
    std::vector<Read> reads(requests.size());
    pages_.reserve(pages_.size() + requests.size());  // room for them all: no rehashing as they are added
    // A page already added is listed twice (reported in 3.), not read.
    auto read_page = [&](std::size_t i) {
        const std::string& source = requests[i].source;
        if (pages_.count(source)) return false;
        Read& read = reads[i];
        std::optional<fs::ReadResult> read_ahead = read_ahead_ ? read_ahead_->take(source, max_bytes) : std::nullopt;
        read.result = read_ahead ? std::move(*read_ahead) : files_.source().read(source, max_bytes);
        // A file that reads is one (asking first would cost every page a second look).
        read.exists = read.result.status == fs::ReadStatus::ok || files_.exists(source);
        if (!read.exists) return false;
        read.display = files_.display(source);
        if (read.result.status != fs::ReadStatus::ok) return false;
        // Looked up here, on the reading threads: nothing is stored in the cache until 3.
        if (cache_) read.cached = cache_->peek(read.result.text);
        return true;
    };
    std::vector<Preparation> preparations;
    std::vector<std::size_t> preparation_index(requests.size(), none);  // by request
    const std::size_t chunk = 64 * std::size_t{jobs};
    for (std::size_t first = 0; first < requests.size(); first += chunk) {
        const std::size_t end = std::min(requests.size(), first + chunk);
        if (!cache_ && files_.source().reads_in_parallel()) {
            // Without a cache each text is prepared by the thread that read it, straight
            // away, and let go there: its memory is that thread's to use again at once.
            // (A text listed twice is prepared twice; only a cache knows texts seen before.)
            const std::size_t chunk_preparations = preparations.size();
            for (std::size_t i = first; i < end; ++i) {
                preparation_index[i] = preparations.size();
                preparations.push_back({&reads[i].result.text, &reads[i].display, requests[i].plain_text, nullptr});
            }
            on_threads(end - first, jobs, [&](std::size_t k) {
                if (!read_page(first + k)) return;
                Read& read = reads[first + k];
                Preparation& preparation = preparations[chunk_preparations + k];
                preparation.prepared = std::make_shared<PreparedMarkdown>(
                    prepare_markdown(read.result.text, read.display, preparation.plain_text));
                std::string().swap(read.result.text);
            });
            continue;
        }
        // 1. Read, on every thread when the source allows it (a git tree does not).
        on_threads(end - first, files_.source().reads_in_parallel() ? jobs : 1,
                   [&](std::size_t k) { read_page(first + k); });

        // 2. Prepare, on every thread, each text that the cache does not hold ready: once
        // per text of the chunk, with its plain text when any request for it keeps it.
        const std::size_t chunk_preparations = preparations.size();
        std::unordered_map<std::string_view, std::size_t> preparation_of;
        for (std::size_t i = first; i < end; ++i) {
            if (reads[i].result.status != fs::ReadStatus::ok || !reads[i].exists) continue;
            std::string& text = reads[i].result.text;
            const PlainText plain_text = requests[i].plain_text;
            if (const auto& cached = reads[i].cached;
                cached && (plain_text == PlainText::drop || !cached->usable || cached->plain_text))
                continue;
            auto [found, added] = preparation_of.emplace(text, preparations.size());
            if (added) preparations.push_back({&text, &reads[i].display, plain_text, nullptr});
            else if (plain_text == PlainText::keep) preparations[found->second].plain_text = PlainText::keep;
            preparation_index[i] = found->second;
        }
        if (!cache_)
            for (std::size_t i = first; i < end; ++i)
                if (preparation_index[i] != none && preparations[preparation_index[i]].text != &reads[i].result.text)
                    std::string().swap(reads[i].result.text);  // a repeat of a text prepared once
        on_threads(preparations.size() - chunk_preparations, jobs, [&](std::size_t k) {
            Preparation& preparation = preparations[chunk_preparations + k];
            preparation.prepared = std::make_shared<PreparedMarkdown>(
                prepare_markdown(*preparation.text, *preparation.display, preparation.plain_text));
            if (!cache_) std::string().swap(*preparation.text);
        });
    }

    // 3. Add, in order, as add() did one page at a time, taking what 2. prepared.
    auto report_listed = [&](const JsonLocation& listed_at, const char* code, std::string message, std::string hint) {
        if (listed_at.document)
            files_.report_at(diag::Severity::error, code, listed_at.file, *listed_at.document, listed_at.pointer,
                             std::move(message), std::move(hint));
        else
            files_.report_at(diag::Severity::error, code, listed_at.file, listed_at.position, listed_at.pointer,
                             std::move(message), std::move(hint));
    };
    bool all_added = true;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        const Request& request = requests[i];
        const JsonLocation& listed_at = request.listed_at;
        Read& read = reads[i];
        if (pages_.count(request.source)) {
            report_listed(listed_at, "CY205", request.source + " is listed twice", "list each page once");
            all_added = false;
            continue;
        }
        if (!read.exists) {
            report_listed(listed_at, "CY102", "file " + files_.display(request.source) + " does not exist",
                          "create it, or correct the name");
            all_added = false;
            continue;
        }
        if (read.result.status != fs::ReadStatus::ok) {
            files_.report_failed_read(read.result.status, request.source, max_bytes);
            all_added = false;
            continue;
        }
        const std::string& text = read.result.text;
        auto prepared_for = [&](PlainText plain_text) {
            const std::size_t index = preparation_index[i];
            if (index != none && (plain_text == PlainText::drop || preparations[index].plain_text == PlainText::keep))
                return preparations[index].prepared;
            // Only with a cache (whose entry lacked the plain text): the text is still here.
            return std::shared_ptr<const PreparedMarkdown>(std::make_shared<PreparedMarkdown>(prepare_markdown(text, read.display, plain_text)));
        };
        Entry entry;
        entry.output_path = request.output_path;
        entry.prepared = read.cached;
        if (entry.prepared) cache_->count_reuse();
        else if (cache_) entry.prepared = cache_->reuse(text);  // the same text listed earlier in this load
        if (!entry.prepared) {
            entry.prepared = prepared_for(request.plain_text);
            if (cache_) cache_->store(text, entry.prepared);
        }
        if (request.plain_text == PlainText::keep && entry.prepared->usable && !entry.prepared->plain_text) {
            // Cached for a page that did not need its plain text: prepared again.
            entry.prepared = prepared_for(PlainText::keep);
            if (cache_) cache_->store(text, entry.prepared);
        }
        // What preparing the text reported holds for every load of it (a rebuild in cypp serve
        // must show a problem again), named after this file (another may hold the same text).
        for (diag::Diagnostic diagnostic : entry.prepared->reported) {
            diagnostic.file = read.display;
            files_.diagnostics().report(std::move(diagnostic));
        }
        if (!entry.prepared->usable) {
            all_added = false;
            continue;
        }
        // Sorted views of the ids the prepared page holds (kept alive by the entry).
        const PageOutline& outline = entry.prepared->outline;
        entry.ids.reserve(outline.heading_count());
        for (std::size_t h = 0; h < outline.heading_count(); ++h) entry.ids.push_back(outline.heading(h).id);
        std::sort(entry.ids.begin(), entry.ids.end());
        pages_.emplace(request.source, std::move(entry));
    }
    return all_added;
}

std::string MarkdownPages::rewrite(const std::string& source, const Entry& from, const PageOutline::Link& link,
                                   diag::Diagnostics& reported, std::set<std::string>& linked,
                                   bool& looked_on_disk) const {
    // Views of the link as written: a string is made only for what is returned.
    const std::string_view url = link.url;
    auto where = [&] { return files_.display(source); };  // only for a problem: most links have none
    if (url.empty() || url.starts_with("//")) return std::string(url);
    if (has_scheme(url)) {
        std::string scheme(url.substr(0, url.find(':')));
        for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        // Reported by the markdown stage; never emitted.
        if (scheme == "javascript" || scheme == "vbscript" || scheme == "data" || scheme == "file") return {};
        return std::string(url);
    }
    std::string_view path = url, fragment;
    if (const std::size_t hash = url.find('#'); hash != std::string_view::npos) {
        path = url.substr(0, hash);
        fragment = url.substr(hash + 1);
    }
    if (path.empty()) {
        if (!from.has_id(fragment))
            reported.error("CY402", where(), link.line, link.column,
                           "there is no heading with the id \"" + std::string(fragment) + "\" on this page",
                           "link to the id of an existing heading (its text in lower case with hyphens)");
        return std::string(url);
    }
    auto with_fragment = [&](std::string address) {
        if (!fragment.empty()) address.append(1, '#').append(fragment);
        return address;
    };
    const std::string target = join_inside_site(folder_of(source), path);
    if (target.empty()) {
        reported.error("CY403", where(), link.line, link.column,
                       "\"" + std::string(url) + "\" points outside the site folder",
                       "link only to files inside the site folder");
        return {};
    }
    auto page = pages_.find(target);
    if (page != pages_.end()) {
        if (!fragment.empty() && !page->second.has_id(fragment))
            reported.error("CY402", where(), link.line, link.column,
                           files_.display(target) + " has no heading with the id \"" + std::string(fragment) + "\"",
                           "link to the id of an existing heading (its text in lower case with hyphens)");
        return with_fragment(model::relative_url(from.output_path, page->second.output_path));
    }
    looked_on_disk = true;
    if (!files_.exists(target)) {
        reported.error("CY401", where(), link.line, link.column,
                       "\"" + std::string(url) + "\" links to " + files_.display(target) + ", which does not exist",
                       target.ends_with(".md") ? "link to a page listed in plan.json or child.json"
                                               : "add the file or correct the link");
        return {};
    }
    if (target.ends_with(".md") || target.ends_with(".json")) {
        reported.error("CY401", where(), link.line, link.column,
                       "\"" + std::string(url) + "\" links to " + files_.display(target) + ", which is not a page of the site",
                       "list the page in plan.json or child.json, or link to a listed page");
        return {};
    }
    if (!is_publishable_name(target)) {
        reported.error("CY404", where(), link.line, link.column,
                       "the linked file " + files_.display(target) +
                           " is published under its own name, which may use only lower-case ASCII "
                           "letters, digits, \"-\", \"_\" and \".\"",
                       "rename it to " + files_.display(publishable_name(target)) +
                           " and link to that name, so that every server, mirror and disk has the same name");
        return {};
    }
    linked.insert(target);
    return with_fragment(model::relative_url(from.output_path, model::linked_file_path(target)));
}

void MarkdownPages::render(model::Page& page) { render_all({&page}); }

std::uint64_t MarkdownPages::link_map() const {
    // Each page hashed on its own and the hashes summed: the same pages give the same
    // map whatever order the table holds them in.
    std::uint64_t map = pages_.size();
    for (const auto& [source, entry] : pages_) {
        std::uint64_t hash = entry.ids.size();
        auto mix = [&hash](std::string_view text) { hash = (hash * 1000003) ^ std::hash<std::string_view>{}(text); };
        mix(source);
        mix(entry.output_path);
        for (const std::string_view id : entry.ids) mix(id);
        map += hash * 0x9E3779B97F4A7C15ull;
    }
    return map;
}

void MarkdownPages::render_all(const std::vector<model::Page*>& pages) {
    // Every page is added before the first is rendered: the link map is the load's.
    FilledPages* filled = files_.limits().filled_pages;
    if (filled && !filled_pages_started_) {
        filled->start_load(link_map());
        filled_pages_started_ = true;
    }
    // Each page on its own: links checked, body filled in, what it reports kept aside and
    // reported in page order, so that nothing depends on the threads.
    struct Rendered {
        diag::Diagnostics reported;
        std::set<std::string> linked;
        Filled filled = Filled::not_to_keep;
    };
    std::vector<Rendered> rendered(pages.size());
    auto render_one = [&](std::size_t i) {
        rendered[i].filled = render_into(*pages[i], rendered[i].reported, rendered[i].linked);
    };
    on_threads(pages.size(), files_.source().reads_in_parallel() ? jobs() : 1, render_one);
    for (Rendered& page : rendered) {
        for (const diag::Diagnostic& diagnostic : page.reported.all()) files_.diagnostics().report(diagnostic);
        linked_files_.insert(page.linked.begin(), page.linked.end());
    }
    if (!filled) return;
    int hits = 0;
    for (std::size_t i = 0; i < pages.size(); ++i) {
        if (rendered[i].filled == Filled::taken_from_kept) ++hits;
        if (rendered[i].filled != Filled::to_keep) continue;
        const Entry& entry = pages_.at(pages[i]->source);
        filled->keep(pages[i]->source, entry.output_path, entry.prepared, pages[i]->body_html);
    }
    filled->count_hits(hits);
}

MarkdownPages::Filled MarkdownPages::render_into(model::Page& page, diag::Diagnostics& reported,
                                                 std::set<std::string>& linked) const {
    auto found = pages_.find(page.source);
    if (found == pages_.end()) return Filled::not_to_keep;
    const Entry& entry = found->second;
    const PreparedMarkdown& prepared = *entry.prepared;
    Filled filled = Filled::not_to_keep;
    const FilledPages* kept_pages = files_.limits().filled_pages;
    if (const std::string* kept =
            kept_pages ? kept_pages->find(page.source, entry.output_path, entry.prepared.get()) : nullptr) {
        // Filled in before with the same links to the same pages: nothing to report.
        page.body_html = *kept;
        filled = Filled::taken_from_kept;
    } else {
        // Every link is checked (and reported) on every load; cmark's work was done once.
        bool looked_on_disk = false;
        std::vector<std::string> urls;
        urls.reserve(prepared.outline.link_count());
        for (std::size_t l = 0; l < prepared.outline.link_count(); ++l)
            urls.push_back(rewrite(page.source, entry, prepared.outline.link(l), reported, linked, looked_on_disk));
        page.body_html = fill_urls(prepared.html_template, urls);
        if (kept_pages && !looked_on_disk && reported.all().empty() && linked.empty()) filled = Filled::to_keep;
    }
    // Without a cache this load is the template's only reader (pages with the same text
    // share one, hence the count, and then none lets it go): it is let go once filled
    // in, so that the site's HTML is held once, not twice. (Preparations are made
    // non-const for this.)
    if (!cache_ && entry.prepared.use_count() == 1)
        std::string().swap(std::const_pointer_cast<PreparedMarkdown>(entry.prepared)->html_template);
    const markdown::Limits limits;
    if (page.body_html.size() > limits.max_html_per_markdown_byte * prepared.markdown_bytes + limits.max_html_extra_bytes) {
        // Addresses alone can multiply a page (one long address used thousands of times).
        reported.error("CY311", files_.display(page.source), 0, 0,
                       "the page's HTML would be " + std::to_string(page.body_html.size()) +
                           " bytes, too large for its " + std::to_string(prepared.markdown_bytes) + " bytes of Markdown",
                       "shorten the long link addresses or use each of them fewer times");
        page.body_html.clear();
        filled = Filled::not_to_keep;
    }
    for (std::size_t h = 0; h < prepared.outline.heading_count(); ++h)
        if (const PageOutline::Heading heading = prepared.outline.heading(h); heading.level == 2)
            page.toc.push_back({heading.level, std::string(heading.text), std::string(heading.id)});
    return filled;
}

std::string MarkdownPages::text_of(const std::string& source) const {
    auto found = pages_.find(source);
    if (found == pages_.end() || !found->second.prepared->plain_text) return {};
    return *found->second.prepared->plain_text;
}

ReferenceTarget MarkdownPages::resolve_reference(const std::string& folder, const std::string& reference,
                                                 const JsonLocation& written_at) {
    std::string path = reference, fragment;
    if (std::size_t hash = reference.find('#'); hash != std::string::npos) {
        path = reference.substr(0, hash);
        fragment = reference.substr(hash + 1);
    }
    const std::string target = folder + path;
    auto page = pages_.find(target);
    if (page == pages_.end()) {
        files_.report_at(diag::Severity::error, "CY401", written_at.file, *written_at.document, written_at.pointer,
                         "\"" + reference + "\" is not a chapter of this plan",
                         "use the \"file\" of a chapter listed in plan.json");
        return {};
    }
    std::string label;
    if (!fragment.empty()) {
        const PageOutline& outline = page->second.prepared->outline;
        std::optional<PageOutline::Heading> heading;
        for (std::size_t h = 0; h < outline.heading_count(); ++h)
            if (outline.heading(h).id == fragment) heading = outline.heading(h);
        if (!heading) {
            files_.report_at(diag::Severity::error, "CY402", written_at.file, *written_at.document,
                             written_at.pointer, files_.display(target) + " has no heading with the id \"" + fragment + "\"",
                             "use the id of an existing heading (its text in lower case with hyphens)");
            return {};
        }
        label = std::string(heading->text);
    }
    const std::string output = page->second.output_path;
    std::string slug = output.substr(0, output.rfind("/index.html"));
    slug = slug.substr(slug.rfind('/') + 1);
    return {slug, fragment, label};
}

}  // namespace cypp::load
