#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <kainjow/mustache.hpp>
#include <unistd.h>

#include "load/load_site.h"
#include "model/paths.h"
#include "render/page_cache.h"
#include "render/render_site.h"
#include "render/views.h"

using namespace cypp;
namespace stdfs = std::filesystem;

namespace {

model::Site minimal_site() {
    diag::Diagnostics diagnostics;
    auto site = load::load_site(stdfs::path(CYPP_FIXTURES) / "minimal", {}, diagnostics);
    REQUIRE(site);
    return std::move(*site);
}

stdfs::path temp_folder() {
    static int counter = 0;
    stdfs::path folder = stdfs::temp_directory_path() / ("cypp-render-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    stdfs::remove_all(folder);
    stdfs::create_directories(folder);
    return folder;
}

// The default theme with one template of the site's own (theme/templates/<name>.mustache).
std::optional<render::Theme> theme_with_template(const stdfs::path& folder, const std::string& name,
                                                 const std::string& text, diag::Diagnostics& diagnostics) {
    stdfs::create_directories(folder / "theme/templates");
    std::ofstream(folder / "theme/templates" / (name + ".mustache")) << text;
    return render::Theme::load(folder, "site", diagnostics);
}

}  // namespace

TEST_CASE("the consultation view names only consenting respondents", "[render]") {
    model::Site site = minimal_site();
    render::RenderOptions options{std::nullopt, "cypp test", nullptr, std::nullopt, {}, {}, 1};
    render::PageContext context{site, site.current_plan(), "", options};
    auto view = render::consultation_view(context);
    REQUIRE(view["withheld_count"] == "2");
    REQUIRE(view["responses"].size() == 2);
    REQUIRE(view["responses"][0]["label"] == "Ada Published");
    REQUIRE(view["responses"][1]["label"] == "Respondent 2");
    REQUIRE(view["questions"][0]["yes"] == "2");  // withheld answers still count
    REQUIRE(view["questions"][0]["answered"] == "4");
    REQUIRE(view["consultees"].size() == 16);
    REQUIRE(view["consultees"][0]["consulted"] == true);
    REQUIRE(view["consultees"][12]["id"] == "R7.m");
    REQUIRE(view["consultees"][12]["consulted"] == false);
    REQUIRE(view["consultees"][12]["reason"] == "There are no independent specialist colleges in Testshire.");
    REQUIRE(view["root"] == "../");
}

TEST_CASE("the child index shows what children said and what changed", "[render]") {
    model::Site site = minimal_site();
    render::RenderOptions options{std::nullopt, "cypp test", nullptr, std::nullopt, {}, {}, 1};
    render::PageContext context{site, site.current_plan(), "", options};
    auto view = render::child_index_view(context);
    REQUIRE(view["changes"].size() == 1);  // "transport" was raised by a young person
    REQUIRE(view["changes"][0]["we_did"] == "We added a transport action.");
    REQUIRE(view["edition_class"] == "edition-child");
    REQUIRE(view["nav"][2]["current"] == true);
}

TEST_CASE("a site theme overrides templates and assets file by file", "[render]") {
    model::Site site = minimal_site();
    auto folder = temp_folder();
    stdfs::create_directories(folder / "theme/templates");
    stdfs::create_directories(folder / "theme/assets");
    std::ofstream(folder / "theme/templates/_published.mustache") << "<p class=\"published\">Board version {{plan.published.iso}}</p>";
    std::ofstream(folder / "theme/assets/logo.svg") << "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    diag::Diagnostics diagnostics;
    auto theme = render::Theme::load(folder, "site", diagnostics);
    REQUIRE(theme);
    fs::OutputTree output;
    render::render_site(site, *theme, nullptr, {std::nullopt, "cypp test", nullptr, std::nullopt, {}, {}, 1}, output, diagnostics);
    REQUIRE(diagnostics.all().empty());
    REQUIRE(output.files().at("plan/needs/index.html").find("Board version 2011-03-25") != std::string::npos);
    REQUIRE(output.contains("assets/logo.svg"));
    REQUIRE(output.contains("assets/style.css"));
    stdfs::remove_all(folder);
}

TEST_CASE("a broken template override is reported by file", "[render]") {
    auto folder = temp_folder();
    diag::Diagnostics diagnostics;
    REQUIRE_FALSE(theme_with_template(folder, "chapter", "{{#outcomes}}never closed", diagnostics));
    REQUIRE(diagnostics.all().size() == 1);
    REQUIRE(diagnostics.all()[0].code == "CY502");
    REQUIRE(diagnostics.all()[0].file == "site/theme/templates/chapter.mustache");
    stdfs::remove_all(folder);
}

TEST_CASE("a template looks names up in the innermost data first, dotted names part by part", "[render]") {
    auto folder = temp_folder();
    diag::Diagnostics diagnostics;
    auto theme = theme_with_template(
        folder, "names",
        "{{a.b}}|{{#items}}[{{a.b}},{{name}},{{.}},{{a.}},{{missing.x}}]{{/items}}|{{#words}}{{.}};{{/words}}|{{a..b}}",
        diagnostics);
    REQUIRE(theme);
    const nlohmann::json view = {
        {"a", {{"b", "outer"}}},
        {"name", "outer name"},
        {"items", nlohmann::json::array({
                      {{"name", "first"}},                                // a.b from the outer data
                      {{"a", {{"b", "inner"}}}, {"name", "second"}},     // a.b of its own
                      {{"a", {{"c", "no b"}}}},                           // its a has no b: the outer a.b
                  })},
        {"words", {"x", "y"}},
    };
    const std::string html = theme->render("names", view, diagnostics);
    REQUIRE(diagnostics.all().empty());
    // {{.}} of an object and {{a.}} (the a, an object) print nothing, as missing.x does.
    REQUIRE(html == "outer|[outer,first,,,][inner,second,,,][outer,outer name,,,]|x;y;|");
    stdfs::remove_all(folder);
}

TEST_CASE("variables are escaped exactly as kainjow escapes them", "[render]") {
    auto folder = temp_folder();
    diag::Diagnostics diagnostics;
    auto theme = theme_with_template(folder, "escaped", "{{#values}}{{.}}|{{{.}}}\n{{/values}}", diagnostics);
    REQUIRE(theme);
    const std::vector<std::string> values = {"", "plain text", "&", "<a href=\"x\">'y'</a>", "a&&b>>c", "\"'&<>",
                                             "caf\xc3\xa9 & th\xc3\xa9"};
    std::string expected;
    for (const std::string& value : values) expected += kainjow::mustache::html_escape<std::string>(value) + "|" + value + "\n";
    REQUIRE(theme->render("escaped", {{"values", values}}, diagnostics) == expected);
    REQUIRE(diagnostics.all().empty());
    stdfs::remove_all(folder);
}

TEST_CASE("templates parsed by an earlier load are reused only while their text is the same", "[render]") {
    model::Site site = minimal_site();
    auto folder = temp_folder();
    stdfs::create_directories(folder / "theme/templates");
    auto override_published = [&](const std::string& text) {
        std::ofstream(folder / "theme/templates/_published.mustache", std::ios::trunc) << text;
    };
    auto chapter_page = [&](render::ParsedTemplates& parsed, diag::Diagnostics& diagnostics) -> std::string {
        auto theme = render::Theme::load(folder, "site", diagnostics, &parsed);
        if (!theme) return {};
        fs::OutputTree output;
        render::render_site(site, *theme, nullptr, {std::nullopt, "cypp test", nullptr, std::nullopt, {}, {}, 1}, output,
                            diagnostics);
        return output.files().at("plan/needs/index.html");
    };
    render::ParsedTemplates parsed;
    diag::Diagnostics diagnostics;
    override_published("<p>First {{plan.published.iso}}</p>");
    REQUIRE(chapter_page(parsed, diagnostics).find("<p>First 2011-03-25</p>") != std::string::npos);
    REQUIRE(chapter_page(parsed, diagnostics).find("<p>First 2011-03-25</p>") != std::string::npos);
    // The partial is written into the templates that use it: they change with it.
    override_published("<p>Second {{plan.published.iso}}</p>");
    const std::string second = chapter_page(parsed, diagnostics);
    REQUIRE(second.find("<p>Second 2011-03-25</p>") != std::string::npos);
    REQUIRE(second.find("First") == std::string::npos);
    REQUIRE(diagnostics.all().empty());
    // A broken template is reported on every load, however often it is loaded.
    override_published("{{#plan}}never closed");
    for (int load = 0; load < 2; ++load) {
        diag::Diagnostics broken;
        REQUIRE(chapter_page(parsed, broken).empty());
        REQUIRE(!broken.all().empty());
        REQUIRE(broken.all()[0].code == "CY502");
    }
    // Mended, it renders again.
    override_published("<p>Third {{plan.published.iso}}</p>");
    REQUIRE(chapter_page(parsed, diagnostics).find("<p>Third 2011-03-25</p>") != std::string::npos);
    stdfs::remove_all(folder);
}

TEST_CASE("a chapter's own view and the layer shared by all chapters make the whole view, with no key in both", "[render]") {
    model::Site site = minimal_site();
    for (const bool archived : {false, true}) {
        render::RenderOptions options{model::Date{2013, 7, 1}, "cypp test", nullptr, std::nullopt, {}, {}, 1};
        if (archived) options.archived = render::ArchivedVersion{"abc123", {2012, 5, 1}, "a change"};
        render::PageContext context{site, site.current_plan(), archived ? "plans/2011-2014/" : "", options};
        const nlohmann::json layer = render::chapter_layer_view(context);
        REQUIRE(layer.contains("nav"));
        REQUIRE(layer.contains("footer"));
        REQUIRE(layer["root"] == (archived ? "../../../../" : "../../"));
        for (std::size_t i = 0; i < context.plan.chapters.size(); ++i) {
            const nlohmann::json own = render::chapter_view(context, i);
            const model::Page& page = context.plan.chapters[i].page;
            // What every page's view has, made for this chapter's own path.
            const std::string path = model::chapter_path(context.prefix, page.slug);
            const nlohmann::json whole = render::common_view(context, path, page.title, render::Edition::plan,
                                                             nlohmann::json::array({{{"label", "x"}}}), {page.source});
            for (auto item = whole.begin(); item != whole.end(); ++item) {
                INFO(page.slug << ": " << item.key());
                REQUIRE(layer.contains(item.key()) != own.contains(item.key()));  // in exactly one of them
                if (layer.contains(item.key())) REQUIRE(layer[item.key()] == *item);
            }
            for (auto item = own.begin(); item != own.end(); ++item) REQUIRE_FALSE(layer.contains(item.key()));
            REQUIRE(own["title"] == page.title);
            REQUIRE(own["body"] == page.body_html);
        }
    }
}

TEST_CASE("a site rendered with a page cache is the site rendered without one, before and after an edit", "[render]") {
    model::Site site = minimal_site();
    diag::Diagnostics diagnostics;
    auto theme = render::Theme::load(stdfs::path(CYPP_FIXTURES) / "minimal", "site", diagnostics);
    REQUIRE(theme);
    auto render_with = [&](render::PageCache* cache) {
        render::RenderOptions options{model::Date{2013, 7, 1}, "cypp test", nullptr, std::nullopt, {}, {}, 1};
        options.page_cache = cache;
        if (cache) cache->start_build(theme->fingerprint());
        fs::OutputTree output;
        render::render_site(site, *theme, nullptr, options, output, diagnostics);
        return output.files();
    };
    render::PageCache cache;
    REQUIRE(render_with(&cache) == render_with(nullptr));
    const std::size_t stored = cache.size();
    REQUIRE(render_with(&cache) == render_with(nullptr));
    REQUIRE(cache.hits() == stored);  // every page and print section taken from the cache
    REQUIRE(cache.hits() > site.current_plan().chapters.size());

    // One chapter edited: its page and its section of the print edition are made again.
    model::Page& edited = site.plans.back().chapters.front().page;
    edited.body_html += "<p id=\"added\">An added paragraph, <a href=\"#added\">linked</a>.</p>";
    const auto after_edit = render_with(&cache);
    REQUIRE(after_edit == render_with(nullptr));
    REQUIRE(cache.hits() == stored - 2);
    const std::string& print = after_edit.at(render::print_path());
    REQUIRE(print.find("<p id=\"" + edited.slug + "-added\">An added paragraph, <a href=\"#" + edited.slug + "-added\">") !=
            std::string::npos);
    REQUIRE(diagnostics.all().empty());
}

TEST_CASE("the footer names only the contact details the Board gave", "[render]") {
    model::Site site = minimal_site();
    diag::Diagnostics diagnostics;
    auto theme = render::Theme::load(stdfs::path(CYPP_FIXTURES) / "minimal", "site", diagnostics);
    REQUIRE(theme);
    auto footer_of = [&](const model::Site& rendered) {
        fs::OutputTree output;
        render::render_site(rendered, *theme, nullptr, {std::nullopt, "cypp test", nullptr, std::nullopt, {}, {}, 1},
                            output, diagnostics);
        const std::string& home = output.files().at("index.html");
        const std::string& chapter = output.files().at("plan/needs/index.html");
        const auto footer = [](const std::string& page) {
            const std::size_t start = page.find("<h2 class=\"footer-heading\">Contact</h2>");
            REQUIRE(start != std::string::npos);
            return page.substr(start, page.find("<h2 class=\"footer-heading\">Accessibility</h2>") - start);
        };
        REQUIRE(footer(home) == footer(chapter));  // the chapters' skeleton says the same
        return footer(home);
    };
    // Only the e-mail address is required (site.schema.json).
    REQUIRE(footer_of(site) == "<h2 class=\"footer-heading\">Contact</h2>\n    <p>\n    Email: <a "
                               "href=\"mailto:plan@testshire.example\">plan@testshire.example</a></p>\n    ");
    site.contact.team = "Children's Trust team";
    site.contact.phone = "01632 960 410";
    site.contact.address = "Civic Centre, Testtown";
    REQUIRE(footer_of(site) == "<h2 class=\"footer-heading\">Contact</h2>\n    <p>Children&apos;s Trust team<br>\n    "
                               "Email: <a href=\"mailto:plan@testshire.example\">plan@testshire.example</a><br>Phone: "
                               "01632 960 410<br>Civic Centre, Testtown</p>\n    ");
    REQUIRE(diagnostics.all().empty());
}
