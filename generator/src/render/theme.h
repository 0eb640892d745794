// render/theme: where templates are parsed and rendered (kainjow mustache, beside the data
// they read, render/template_data.h). A theme is the default theme built into cypp with the
// site's own theme/ folder laid over it, file by file.
#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <memory>
#include <string>
#include <string_view>

#include "diag/diagnostics.h"

namespace kainjow::mustache {
template <typename StringType>
class basic_mustache;
template <typename StringType>
class basic_data;
}

namespace cypp::render {

class PageCache;

// How templates escape a {{variable}}: kainjow's own escaping, character for character.
void append_template_escaped(std::string& out, std::string_view text);

// Templates parsed by earlier loads of a theme, kept by cypp serve between rebuilds and
// known by their text (partials written in): a rebuild parses only templates that
// changed. Used by one thread at a time.
class ParsedTemplates {
public:
    ParsedTemplates();
    ~ParsedTemplates();

private:
    friend class Theme;
    std::map<std::string, std::shared_ptr<kainjow::mustache::basic_mustache<std::string>>> by_text_;
};

class Theme {
public:
    // Reads themes/default (embedded) and then site_dir/theme/ if present: a template
    // templates/<name>.mustache or an asset assets/<file> there replaces the default.
    // parsed (cypp serve): templates parsed before are taken from it, and it is left
    // holding this theme's.
    static std::optional<Theme> load(const std::filesystem::path& site_dir, const std::string& display_root,
                                     diag::Diagnostics& diagnostics, ParsedTemplates* parsed = nullptr);

    // Renders template name with view (plain JSON: objects, arrays, strings, booleans);
    // templates named _x.mustache are the partials ({{> _x}}). Errors are reported as
    // CY502 and give an empty string.
    std::string render(const std::string& name, nlohmann::json view, diag::Diagnostics& diagnostics) const;

    // A whole page: template name renders the view's content, and the layout renders the
    // same view with it as {{{content}}} (the view is converted for mustache once).
    // cache (cypp serve): a page whose view was rendered before with this theme is
    // taken from it.
    // The view is taken by value: a view passed as a temporary is let go as it is
    // converted (unless a cache keeps it).
    std::string render_page(const std::string& name, nlohmann::json view, diag::Diagnostics& diagnostics,
                            PageCache* cache = nullptr) const;

    // Keys many pages share (chapter_layer_view), converted for mustache once.
    class Layer {
    public:
        explicit Layer(const nlohmann::json& view);
        ~Layer();
        Layer(Layer&&) noexcept;

    private:
        friend class Theme;
        std::unique_ptr<kainjow::mustache::basic_data<std::string>> data_;
        std::size_t hash_;
    };
    // The same with view as a layer over shared: a key not in view is looked up in
    // shared (they are to have no key in common).
    std::string render_page(const std::string& name, nlohmann::json view, const Layer& shared,
                            diag::Diagnostics& diagnostics, PageCache* cache = nullptr) const;

    // The same with the page's own view already made as template data (views.h:
    // print_data; page_skeleton.h), for a build without a page cache.
    std::string render_page(const std::string& name, kainjow::mustache::basic_data<std::string>&& data,
                            const Layer& shared, diag::Diagnostics& diagnostics) const;
    std::string render_page(const std::string& name, kainjow::mustache::basic_data<std::string>&& data,
                            diag::Diagnostics& diagnostics) const;

    // A page's two renders apart, for render/page_skeleton.h: template name with data over
    // shared, then the layout with content_stand_in as its {{{content}}}.
    struct Rendered {
        std::string content;
        std::string page;
    };
    Rendered render_apart(const std::string& name, kainjow::mustache::basic_data<std::string>&& data,
                          const Layer& shared, const std::string& content_stand_in, diag::Diagnostics& diagnostics) const;
    // Whether any template (partials included) has the byte c in its text.
    bool templates_have_byte(char c) const;

    // Differs between themes whose templates differ (for PageCache::start_build).
    std::size_t fingerprint() const { return fingerprint_; }

    // Asset files (path below assets/ -> content).
    const std::map<std::string, std::string>& assets() const { return assets_; }

private:
    // Writes partials into the templates that use them and parses each template once.
    bool compile(diag::Diagnostics& diagnostics, ParsedTemplates* parsed);
    std::string render_layers(const std::string& name, nlohmann::json view, const Layer* shared,
                              diag::Diagnostics& diagnostics, PageCache* cache) const;
    // Template name with data (over shared, when given), then the layout with its output
    // as {{{content}}}; with content_stand_in, the layout has that instead and the output
    // is kept apart.
    Rendered render_data(const std::string& name, kainjow::mustache::basic_data<std::string>& data, const Layer* shared,
                         diag::Diagnostics& diagnostics, const std::string* content_stand_in = nullptr) const;

public:
    struct Template {
        std::string origin;  // for diagnostics
        std::string text;
        std::shared_ptr<kainjow::mustache::basic_mustache<std::string>> compiled;
    };

private:
    std::map<std::string, Template> templates_;
    std::size_t fingerprint_ = 0;
    std::map<std::string, std::string> assets_;
};

}  // namespace cypp::render
