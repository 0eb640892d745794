#include "markdown/markdown.h"

#include "html/escape.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>

namespace cypp::markdown {

struct ParsedMarkdown::Tree {
    cmark_parser* parser = nullptr;
    cmark_node* document = nullptr;
    ~Tree() {
        if (document) cmark_node_free(document);
        if (parser) cmark_parser_free(parser);
    }
};

ParsedMarkdown::ParsedMarkdown() = default;
ParsedMarkdown::~ParsedMarkdown() = default;
ParsedMarkdown::ParsedMarkdown(ParsedMarkdown&&) noexcept = default;
ParsedMarkdown& ParsedMarkdown::operator=(ParsedMarkdown&&) noexcept = default;
bool ParsedMarkdown::usable() const { return tree_ && tree_->document; }

namespace {

// Safe by default: no CMARK_OPT_UNSAFE, so cmark itself also omits raw HTML and
// blanks dangerous URLs; the diagnostics tell the author why their text vanished.
constexpr int parse_options = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
constexpr int render_options = CMARK_OPT_DEFAULT;
constexpr const char* extension_names[] = {"table", "strikethrough", "autolink", "tagfilter"};

void register_extensions_once() {
    static std::once_flag flag;
    std::call_once(flag, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

std::string text_of(cmark_node* node) {
    std::string text;
    cmark_iter* iter = cmark_iter_new(node);
    cmark_event_type event;
    while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        cmark_node* current = cmark_iter_get_node(iter);
        if (event != CMARK_EVENT_ENTER) continue;
        auto type = cmark_node_get_type(current);
        if (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE) {
            if (const char* literal = cmark_node_get_literal(current)) text += literal;
        } else if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK) {
            text += ' ';
        }
    }
    cmark_iter_free(iter);
    return text;
}

std::string lower_scheme(std::string_view url) {
    std::string scheme;
    for (char c : url) {
        if (c == ':') return scheme;
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return {};
        scheme += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return {};
}

bool is_delimiter_row(std::string_view line) {
    bool has_dash = false, has_pipe = false;
    for (char c : line) {
        if (c == '-') has_dash = true;
        else if (c == '|') has_pipe = true;
        else if (c != ':' && c != ' ' && c != '\t' && c != '\r') return false;
    }
    return has_dash && has_pipe;
}

int count_cells(std::string_view line) {
    int pipes = 0;
    for (char c : line) pipes += c == '|';
    std::string_view trimmed = line;
    while (!trimmed.empty() && (trimmed.front() == ' ' || trimmed.front() == '\t')) trimmed.remove_prefix(1);
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\r')) trimmed.remove_suffix(1);
    int cells = pipes + 1;
    if (!trimmed.empty() && trimmed.front() == '|') --cells;
    if (trimmed.size() > 1 && trimmed.back() == '|') --cells;
    return cells;
}

// Checked before cmark sees the text, because the cost is in cmark itself.
bool tables_within_limits(std::string_view text, const std::string& file, const Limits& limits,
                          diag::Diagnostics& diagnostics) {
    std::vector<std::string_view> lines;
    for (std::size_t start = 0; start <= text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (!is_delimiter_row(lines[i])) continue;
        int columns = count_cells(lines[i]);
        long rows = 1;
        for (std::size_t j = i + 1; j < lines.size() && lines[j].find_first_not_of(" \t\r") != std::string_view::npos; ++j) ++rows;
        const int line = static_cast<int>(i) + 1;
        if (columns > limits.max_table_columns) {
            diagnostics.error("CY306", file, line, 1,
                              "table has " + std::to_string(columns) + " columns; the limit is " +
                                  std::to_string(limits.max_table_columns),
                              "split the table into narrower tables");
            return false;
        }
        if (rows * columns > limits.max_table_cells) {
            diagnostics.error("CY306", file, line, 1,
                              "table has " + std::to_string(rows * columns) + " cells; the limit is " +
                                  std::to_string(limits.max_table_cells),
                              "split the table into smaller tables");
            return false;
        }
    }
    return true;
}

}  // namespace

std::string slugify(std::string_view text) {
    std::string id;
    bool pending_hyphen = false;
    for (char c : text) {
        unsigned char u = static_cast<unsigned char>(c);
        if (std::isalnum(u) && u < 128) {
            if (pending_hyphen && !id.empty()) id += '-';
            pending_hyphen = false;
            id += static_cast<char>(std::tolower(u));
        } else {
            pending_hyphen = true;
        }
    }
    return id.empty() ? "section" : id;
}

ParsedMarkdown parse_markdown(std::string_view text, const std::string& file, const Limits& limits,
                              diag::Diagnostics& diagnostics) {
    ParsedMarkdown parsed;
    if (!tables_within_limits(text, file, limits, diagnostics)) return parsed;
    register_extensions_once();
    parsed.tree_ = std::make_unique<ParsedMarkdown::Tree>();
    auto& tree = *parsed.tree_;
    tree.parser = cmark_parser_new(parse_options);
    for (const char* name : extension_names)
        cmark_parser_attach_syntax_extension(tree.parser, cmark_find_syntax_extension(name));
    cmark_parser_feed(tree.parser, text.data(), text.size());
    tree.document = cmark_parser_finish(tree.parser);

    std::map<std::string, int> id_uses;
    int previous_level = 1;  // the page title is the h1
    cmark_iter* iter = cmark_iter_new(tree.document);
    cmark_event_type event;
    while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        if (event != CMARK_EVENT_ENTER) continue;
        cmark_node* node = cmark_iter_get_node(iter);
        const int line = cmark_node_get_start_line(node);
        const int column = cmark_node_get_start_column(node);
        switch (cmark_node_get_type(node)) {
        case CMARK_NODE_HEADING: {
            const int level = cmark_node_get_heading_level(node);
            std::string heading_text = text_of(node);
            std::string id = slugify(heading_text);
            int uses = ++id_uses[id];
            if (uses > 1) id += '-' + std::to_string(uses);
            if (level == 1)
                diagnostics.error("CY303", file, line, column,
                                  "level-1 heading \"" + heading_text + "\": the page title comes from the metadata",
                                  "start headings at level 2 (## " + heading_text + ")");
            else if (level > previous_level + 1)
                diagnostics.warning("CY307", file, line, column,
                                    "heading level " + std::to_string(level) + " follows level " +
                                        std::to_string(previous_level) + ": a level is skipped",
                                    "use " + std::string(static_cast<std::size_t>(previous_level + 1), '#') +
                                        " so screen reader users can follow the structure");
            previous_level = level;
            parsed.headings_.push_back({level, std::move(heading_text), std::move(id), line});
            break;
        }
        default:
            if (const char* type = cmark_node_get_type_string(node); type && std::string_view(type) == "table") {
                std::string label;
                cmark_node* header = cmark_node_first_child(node);
                for (cmark_node* cell = header ? cmark_node_first_child(header) : nullptr; cell; cell = cmark_node_next(cell))
                    label += (label.empty() ? "" : ", ") + text_of(cell);
                parsed.table_labels_.push_back("Table: " + label);
            }
            break;
        case CMARK_NODE_TEXT:
            if (const char* literal = cmark_node_get_literal(node); literal && std::strstr(literal, "TO DO")) {
                std::string excerpt = literal;
                if (excerpt.size() > 60) excerpt = excerpt.substr(0, 57) + "...";
                diagnostics.warning("CY310", file, line, column, "still to write: \"" + excerpt + "\"",
                                    "replace the TO DO with the text");
            }
            break;
        case CMARK_NODE_HTML_BLOCK:
        case CMARK_NODE_HTML_INLINE:
            diagnostics.error("CY302", file, line, column, "raw HTML is not allowed and is left out of the page",
                              "write it in Markdown instead (tables, lists, links and emphasis are available)");
            break;
        case CMARK_NODE_LINK:
        case CMARK_NODE_IMAGE: {
            const bool is_image = cmark_node_get_type(node) == CMARK_NODE_IMAGE;
            const char* raw_url = cmark_node_get_url(node);
            std::string url = raw_url ? raw_url : "";
            std::string scheme = lower_scheme(url);
            if (scheme == "javascript" || scheme == "vbscript" || scheme == "data" || scheme == "file") {
                diagnostics.error("CY304", file, line, column,
                                  "\"" + scheme + ":\" " + (is_image ? "image" : "link") + " is not allowed",
                                  "link to a web page (https://...) or to another page of the plan");
            }
            if (!is_image) {
                std::string label = text_of(node);
                for (char& c : label) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                while (!label.empty() && (label.back() == '.' || label.back() == ' ')) label.pop_back();
                static const char* vague[] = {"click here", "here", "read more", "more", "this link", "link", "click"};
                for (const char* phrase : vague)
                    if (label == phrase)
                        diagnostics.warning("CY308", file, line, column,
                                            "link text \"" + text_of(node) + "\" does not say where the link goes",
                                            "use words that make sense on their own, e.g. [read the needs assessment](...)");
            }
            if (is_image && text_of(node).find_first_not_of(" \t") == std::string::npos) {
                diagnostics.error("CY305", file, line, column, "image \"" + url + "\" has no alt text",
                                  "describe the image for people who cannot see it: ![what it shows](" + url + ")");
            }
            parsed.links_.push_back({std::move(url), is_image, line, column});
            break;
        }
        }
    }
    cmark_iter_free(iter);
    return parsed;
}

std::string plain_text(const ParsedMarkdown& parsed) {
    if (!parsed.usable()) return {};
    std::string text;
    cmark_iter* iter = cmark_iter_new(parsed.tree_->document);
    cmark_event_type event;
    while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        cmark_node* node = cmark_iter_get_node(iter);
        const auto type = cmark_node_get_type(node);
        if (event == CMARK_EVENT_ENTER && (type == CMARK_NODE_TEXT || type == CMARK_NODE_CODE)) {
            if (const char* literal = cmark_node_get_literal(node)) text += literal;
        } else if (event == CMARK_EVENT_ENTER && (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK)) {
            text += ' ';
        } else if (event == CMARK_EVENT_EXIT && (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING)) {
            text += '\n';
        } else if (event == CMARK_EVENT_EXIT && type != CMARK_NODE_TEXT && cmark_node_get_type_string(node) &&
                   std::string_view(cmark_node_get_type_string(node)) == "table_cell") {
            text += '\n';
        }
    }
    cmark_iter_free(iter);
    return text;
}

std::string render_html(ParsedMarkdown& parsed, const std::function<std::string(const Link&)>& rewrite_url) {
    if (!parsed.usable()) return {};
    cmark_node* document = parsed.tree_->document;
    std::size_t link_index = 0;
    cmark_iter* iter = cmark_iter_new(document);
    cmark_event_type event;
    while ((event = cmark_iter_next(iter)) != CMARK_EVENT_DONE) {
        if (event != CMARK_EVENT_ENTER) continue;
        cmark_node* node = cmark_iter_get_node(iter);
        auto type = cmark_node_get_type(node);
        if ((type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE) && link_index < parsed.links_.size()) {
            std::string url = rewrite_url(parsed.links_[link_index++]);
            cmark_node_set_url(node, url.c_str());
        }
    }
    cmark_iter_free(iter);

    char* raw = cmark_render_html(document, render_options, cmark_parser_get_syntax_extensions(parsed.tree_->parser));
    std::string html = raw;
    std::free(raw);

    // Raw HTML never reaches the output, so every "<hN>" in it is one of our headings,
    // in document order; this is where they get their ids.
    std::string with_ids;
    with_ids.reserve(html.size() + parsed.headings_.size() * 24);
    std::size_t heading_index = 0, position = 0;
    while (true) {
        std::size_t found = html.find("<h", position);
        if (found == std::string::npos) break;
        bool is_heading = found + 3 < html.size() && html[found + 2] >= '1' && html[found + 2] <= '6' &&
                          html[found + 3] == '>';
        with_ids.append(html, position, found - position);
        if (is_heading && heading_index < parsed.headings_.size()) {
            with_ids += "<h";
            with_ids += html[found + 2];
            with_ids += " id=\"" + parsed.headings_[heading_index++].id + "\">";
            position = found + 4;
        } else {
            with_ids += "<h";
            position = found + 2;
        }
    }
    with_ids.append(html, position, std::string::npos);

    // A table wider than a phone scrolls sideways; keyboard users can only scroll a
    // region that takes focus (WCAG 2.1.1), and the label says what it is.
    std::string wrapped;
    wrapped.reserve(with_ids.size() + parsed.table_labels_.size() * 96);
    std::size_t table_index = 0;
    position = 0;
    for (std::size_t found = with_ids.find("<table>"); found != std::string::npos; found = with_ids.find("<table>", position)) {
        wrapped.append(with_ids, position, found - position);
        const std::string label = table_index < parsed.table_labels_.size() ? parsed.table_labels_[table_index] : "Table";
        ++table_index;
        wrapped += "<div class=\"table-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"" + html::escape(label) + "\">\n<table>";
        position = found + 7;
    }
    wrapped.append(with_ids, position, std::string::npos);
    std::string result;
    result.reserve(wrapped.size());
    position = 0;
    for (std::size_t found = wrapped.find("</table>"); found != std::string::npos; found = wrapped.find("</table>", position)) {
        result.append(wrapped, position, found - position);
        result += "</table>\n</div>";
        position = found + 8;
    }
    result.append(wrapped, position, std::string::npos);
    return result;
}

}  // namespace cypp::markdown
