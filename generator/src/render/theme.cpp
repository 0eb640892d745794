#include "render/theme.h"

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <utility>

#include "fs/output_tree.h"
#include "fs/site_source.h"
#include "render/page_cache.h"
#include "render/template_data.h"
#include "resources/resources.h"

namespace cypp::render {

namespace stdfs = std::filesystem;
namespace mustache = kainjow::mustache;

namespace {

constexpr const char* default_theme = "themes/default/";
constexpr std::uintmax_t max_theme_file_bytes = 2 * 1024 * 1024;

// Partials are written into the templates that use them once, at load, so each page is
// one render of an already-parsed template (kainjow parses a partial on every use). The
// result is the same: kainjow renders a partial into its caller's line buffer.
constexpr int max_partial_depth = 8;

std::optional<std::string> expand_partials(const std::string& text, const std::map<std::string, std::string>& partials,
                                           int depth) {
    if (depth > max_partial_depth) return std::nullopt;
    std::string out;
    std::size_t at = 0;
    while (true) {
        const std::size_t open = text.find("{{>", at);
        const std::size_t close = open == std::string::npos ? std::string::npos : text.find("}}", open + 3);
        if (close == std::string::npos) {
            out.append(text, at, std::string::npos);
            return out;
        }
        out.append(text, at, open - at);
        std::string name = text.substr(open + 3, close - open - 3);
        name.erase(0, name.find_first_not_of(" \t"));
        name.erase(name.find_last_not_of(" \t") + 1);
        if (const auto partial = partials.find(name); partial != partials.end()) {
            auto expanded = expand_partials(partial->second, partials, depth + 1);
            if (!expanded) return std::nullopt;
            out += *expanded;
        }
        at = close + 2;
    }
}

// kainjow's escaping of {{variables}}, with the common case (no character to escape)
// found in one plain scan and copied whole: kainjow's own appends every character one at
// a time.
bool escaped_by_kainjow(char c) { return c == '&' || c == '<' || c == '>' || c == '"' || c == '\''; }

std::string escape_as_kainjow_does(const std::string& text) {
    const auto first = std::find_if(text.begin(), text.end(), escaped_by_kainjow);
    if (first == text.end()) return text;
    std::string escaped(text.begin(), first);
    escaped.reserve(text.size() + 16);
    append_template_escaped(escaped, std::string_view(text).substr(static_cast<std::size_t>(first - text.begin())));
    return escaped;
}

std::string template_name(const std::string& relative) {
    // "templates/chapter.mustache" -> "chapter"
    std::string name = relative.substr(std::string("templates/").size());
    return name.substr(0, name.size() - std::string(".mustache").size());
}

}  // namespace

void append_template_escaped(std::string& out, std::string_view text) {
    for (auto at = text.begin(); at != text.end();) {
        const auto plain_end = std::find_if(at, text.end(), escaped_by_kainjow);
        out.append(at, plain_end);
        if (plain_end == text.end()) return;
        switch (*plain_end) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += "&apos;"; break;
        }
        at = plain_end + 1;
    }
}

ParsedTemplates::ParsedTemplates() = default;
ParsedTemplates::~ParsedTemplates() = default;

std::optional<Theme> Theme::load(const stdfs::path& site_dir, const std::string& display_root,
                                 diag::Diagnostics& diagnostics, ParsedTemplates* parsed) {
    Theme theme;
    auto add = [&](const std::string& relative, std::string origin, std::string content) {
        if (relative.starts_with("templates/") && relative.ends_with(".mustache"))
            theme.templates_[template_name(relative)] = {std::move(origin), std::move(content), nullptr};
        else if (relative.starts_with("assets/"))
            theme.assets_[relative.substr(7)] = std::move(content);
    };
    for (const auto& resource : resources::under(default_theme)) {
        std::string relative(resource.path.substr(std::string(default_theme).size()));
        add(relative, std::string(resource.path), std::string(resource.data));
    }

    const stdfs::path overrides = site_dir / "theme";
    std::error_code ec;
    if (!stdfs::is_directory(overrides, ec)) return theme.compile(diagnostics, parsed) ? std::optional<Theme>(std::move(theme)) : std::nullopt;
    std::vector<stdfs::path> files;
    for (auto it = stdfs::recursive_directory_iterator(overrides, ec); !ec && it != stdfs::recursive_directory_iterator();
         it.increment(ec))
        if (it->is_regular_file()) files.push_back(it->path());
    std::sort(files.begin(), files.end());
    bool ok = true;
    const fs::DiskSource site(site_dir);
    for (const stdfs::path& file : files) {
        const std::string relative = file.lexically_relative(overrides).generic_string();
        const std::string origin = (stdfs::path(display_root) / "theme" / relative).lexically_normal().string();
        // Read as every site file is: a symbolic link out of the site folder is refused.
        fs::ReadResult read = site.read("theme/" + relative, max_theme_file_bytes);
        if (read.status == fs::ReadStatus::outside_site) {
            diagnostics.error("CY116", origin, 0, 0, origin + " leads outside the site folder (a symbolic link or \"..\")",
                              "keep every file of the site inside its folder; copy the file in instead of linking to it");
            ok = false;
            continue;
        }
        if (read.status != fs::ReadStatus::ok) {
            diagnostics.error("CY501", origin, 0, 0, "theme file cannot be read or is over 2 MiB");
            ok = false;
            continue;
        }
        if (!relative.starts_with("templates/") && !relative.starts_with("assets/")) {
            diagnostics.warning("CY503", origin, 0, 0, "ignored: theme files belong in theme/templates/ or theme/assets/");
            continue;
        }
        add(relative, origin, std::move(read.text));
    }
    if (!ok || !theme.compile(diagnostics, parsed)) return std::nullopt;
    return theme;
}

bool Theme::compile(diag::Diagnostics& diagnostics, ParsedTemplates* parsed) {
    std::map<std::string, std::shared_ptr<mustache::mustache>> parsed_now;  // what parsed will hold
    std::map<std::string, std::string> partials;  // named _x so they never shadow view keys
    for (const auto& [name, entry] : templates_)
        if (name.starts_with('_')) partials[name] = entry.text;
    bool ok = true;
    fingerprint_ = 0;
    for (auto& [name, entry] : templates_) {
        fingerprint_ = fingerprint_ * 1000003 ^ std::hash<std::string>{}(name + '\0' + entry.text);
        const auto expanded = expand_partials(entry.text, partials, 0);
        if (!expanded) {
            diagnostics.error("CY502", entry.origin, 0, 0,
                              "template error: partials nested more than " + std::to_string(max_partial_depth) + " deep",
                              "check that no partial includes itself");
            ok = false;
            continue;
        }
        if (parsed)
            if (auto before = parsed->by_text_.find(*expanded); before != parsed->by_text_.end())
                entry.compiled = before->second;
        if (!entry.compiled) {
            entry.compiled = std::make_shared<mustache::mustache>(*expanded);
            entry.compiled->set_custom_escape(escape_as_kainjow_does);
        }
        if (!entry.compiled->is_valid()) {
            diagnostics.error("CY502", entry.origin, 0, 0, "template error: " + entry.compiled->error_message(),
                              "check that every {{#section}} has its {{/section}}");
            ok = false;
            continue;
        }
        if (parsed) parsed_now.emplace(*expanded, entry.compiled);
    }
    if (parsed) parsed->by_text_ = std::move(parsed_now);
    return ok;
}

namespace {

// kainjow hands a rendering over a line at a time to a stream; this one appends each line
// to the page's string (kainjow's own render() makes an ostringstream for every page,
// with its locale, and copies the page out of it at the end).
struct AppendToString {
    std::string& page;
    AppendToString& operator<<(const std::string& line) {
        page += line;
        return *this;
    }
};

// The data a template sees, innermost first: the lookups kainjow's own context makes
// (a plain name in each data in turn; a dotted one, {{plan.title}}, part by part in each
// data in turn), without the stringstream kainjow splits a dotted name with on every
// lookup.
class ViewContext final : public mustache::basic_context<std::string> {
public:
    ViewContext() = default;
    explicit ViewContext(const mustache::data* data) { push(data); }

    void push(const mustache::data* data) override { items_.insert(items_.begin(), data); }
    void pop() override { items_.erase(items_.begin()); }

    const mustache::data* get(const std::string& name) const override {
        if (name == ".") return items_.front();
        if (name.find('.') == std::string::npos) return get_partial(name);
        // As std::getline reads the parts: a "." at the very end starts no empty part.
        std::vector<std::string> parts;
        for (std::size_t start = 0; start < name.size();) {
            const std::size_t dot = std::min(name.find('.', start), name.size());
            parts.emplace_back(name, start, dot - start);
            start = dot + 1;
        }
        for (const mustache::data* item : items_) {
            const mustache::data* found = item;
            for (const std::string& part : parts)
                if (!(found = found->get(part))) break;
            if (found) return found;
        }
        return nullptr;
    }

    const mustache::data* get_partial(const std::string& name) const override {
        for (const mustache::data* item : items_)
            if (const mustache::data* found = item->get(name)) return found;
        return nullptr;
    }

private:
    std::vector<const mustache::data*> items_;
};

// Renders template name with the data the context holds (a page's view, or a page's
// view over a shared layer).
std::string render_compiled(const std::map<std::string, Theme::Template>& templates, const std::string& name,
                            ViewContext& context, diag::Diagnostics& diagnostics) {
    auto found = templates.find(name);
    if (found == templates.end()) {
        diagnostics.error("CY501", "theme/templates/" + name + ".mustache", 0, 0, "template is missing");
        return {};
    }
    // A shared template is only read while rendering (no lambdas in the data): safe to
    // use from several threads at once.
    mustache::mustache& engine = *found->second.compiled;
    std::string output;
    AppendToString sink{output};
    engine.render(context, sink);
    if (!engine.is_valid()) {
        diagnostics.error("CY502", found->second.origin, 0, 0, "template error: " + engine.error_message());
        return {};
    }
    return output;
}

std::string render_compiled(const std::map<std::string, Theme::Template>& templates, const std::string& name,
                            const mustache::data& data, diag::Diagnostics& diagnostics) {
    ViewContext context(&data);
    return render_compiled(templates, name, context, diagnostics);
}

}  // namespace

std::string Theme::render(const std::string& name, nlohmann::json view, diag::Diagnostics& diagnostics) const {
    return render_compiled(templates_, name, template_data(std::move(view)), diagnostics);
}

std::string Theme::render_page(const std::string& name, nlohmann::json view, diag::Diagnostics& diagnostics,
                               PageCache* cache) const {
    return render_layers(name, std::move(view), nullptr, diagnostics, cache);
}

std::string Theme::render_page(const std::string& name, nlohmann::json view, const Layer& shared,
                               diag::Diagnostics& diagnostics, PageCache* cache) const {
    return render_layers(name, std::move(view), &shared, diagnostics, cache);
}

std::string Theme::render_layers(const std::string& name, nlohmann::json view, const Layer* shared,
                                 diag::Diagnostics& diagnostics, PageCache* cache) const {
    auto render = [&](diag::Diagnostics& reported) {
        // Let go as it is converted (a cache is done with the view once it asks for this).
        mustache::data data = template_data(std::move(view));
        return render_data(name, data, shared, reported).page;
    };
    if (!cache) return render(diagnostics);
    // Only a page rendered without a problem is kept: a problem is reported on every build.
    return cache->page(name, view, shared ? shared->hash_ : 0, [&](bool& succeeded) {
        diag::Diagnostics reported;
        std::string html = render(reported);
        succeeded = reported.all().empty();
        for (const diag::Diagnostic& diagnostic : reported.all()) diagnostics.report(diagnostic);
        return html;
    });
}

std::string Theme::render_page(const std::string& name, mustache::data&& data, const Layer& shared,
                               diag::Diagnostics& diagnostics) const {
    return render_data(name, data, &shared, diagnostics).page;
}

Theme::Rendered Theme::render_apart(const std::string& name, mustache::data&& data, const Layer& shared,
                                    const std::string& content_stand_in, diag::Diagnostics& diagnostics) const {
    return render_data(name, data, &shared, diagnostics, &content_stand_in);
}

std::string Theme::render_page(const std::string& name, mustache::data&& data, diag::Diagnostics& diagnostics) const {
    return render_data(name, data, nullptr, diagnostics).page;
}

Theme::Rendered Theme::render_data(const std::string& name, mustache::data& data, const Layer* shared,
                                   diag::Diagnostics& diagnostics, const std::string* content_stand_in) const {
    ViewContext context;
    if (shared) context.push(shared->data_.get());
    context.push(&data);
    Rendered rendered;
    rendered.content = render_compiled(templates_, name, context, diagnostics);
    data["content"] = content_stand_in ? mustache::data{*content_stand_in} : template_text(std::move(rendered.content));
    rendered.page = render_compiled(templates_, "layout", context, diagnostics);
    return rendered;
}

bool Theme::templates_have_byte(char c) const {
    return std::any_of(templates_.begin(), templates_.end(),
                       [c](const auto& entry) { return entry.second.text.find(c) != std::string::npos; });
}

Theme::Layer::Layer(const nlohmann::json& view)
    : data_(std::make_unique<mustache::data>(template_data(view))), hash_(std::hash<nlohmann::json>{}(view)) {}
Theme::Layer::~Layer() = default;
Theme::Layer::Layer(Layer&&) noexcept = default;

}  // namespace cypp::render
