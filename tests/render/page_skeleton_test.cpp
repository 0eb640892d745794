#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "load/load_site.h"
#include "model/paths.h"
#include "render/page_skeleton.h"
#include "render/views.h"

using namespace cypp;
namespace stdfs = std::filesystem;

namespace {

stdfs::path temp_folder() {
    static int counter = 0;
    stdfs::path folder =
        stdfs::temp_directory_path() / ("cypp-skeleton-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    stdfs::remove_all(folder);
    stdfs::create_directories(folder);
    return folder;
}

// The default theme with the given templates of the site's own.
render::Theme theme_with(const std::map<std::string, std::string>& templates) {
    const stdfs::path folder = temp_folder();
    stdfs::create_directories(folder / "theme/templates");
    for (const auto& [name, text] : templates) std::ofstream(folder / "theme/templates" / (name + ".mustache")) << text;
    diag::Diagnostics diagnostics;
    auto theme = render::Theme::load(folder, "site", diagnostics);
    REQUIRE(theme);
    stdfs::remove_all(folder);
    return std::move(*theme);
}

// A page view: a title, a flag, a list of entries and a body.
render::ViewNode page(const std::string& title, bool flag, const std::vector<std::string>& entries,
                      const std::string& body = "<p>Body</p>") {
    using Form = render::TreeForm;
    render::ViewNode view = Form::object();
    Form::put(view, "title", title);
    Form::put(view, "flag", flag);
    render::ViewNode list = Form::list();
    for (const std::string& entry : entries) {
        render::ViewNode item = Form::object();
        Form::put(item, "text", entry);
        Form::append(list, std::move(item));
    }
    Form::put(view, "entries", std::move(list));
    Form::put(view, "body", body);
    return view;
}

const std::map<std::string, std::string> small_theme = {
    {"layout", "<title>{{title}} – {{site.name}}</title>\n<main>{{{content}}}</main>\n{{#flag}}flagged{{/flag}}\n"},
    {"chapter", "<h1>{{title}}</h1><p>{{{title}}}</p>\n{{#entries}}<li>{{text}}|{{{text}}}|{{site.name}}</li>\n{{/entries}}"
                "{{^flag}}not flagged{{/flag}}{{{body}}}"}};

}  // namespace

TEST_CASE("every chapter page filled from a skeleton is the page rendered plainly", "[render]") {
    for (const std::string fixture : {"minimal", "reviewed", "two-plans"}) {
        diag::Diagnostics diagnostics;
        auto site = load::load_site(stdfs::path(CYPP_FIXTURES) / fixture, {}, diagnostics);
        REQUIRE(site);
        auto theme = render::Theme::load(stdfs::path(CYPP_FIXTURES) / fixture, "site", diagnostics);
        REQUIRE(theme);
        for (const bool archived : {false, true}) {
            render::RenderOptions options{model::Date{2013, 7, 1}, "cypp test", nullptr, std::nullopt, {}, {}, 1};
            if (archived) options.archived = render::ArchivedVersion{"abc123", {2012, 5, 1}, "a change"};
            for (std::size_t p = 0; p < site->plans.size(); ++p) {
                const render::PageContext context{*site, site->plans[p],
                                                  model::plan_prefix(site->plans[p].id, p + 1 == site->plans.size()), options};
                const nlohmann::json shared_view = render::chapter_layer_view(context);
                const render::Theme::Layer shared(shared_view);
                render::PageSkeletons skeletons(*theme, "chapter", shared, shared_view, 0);
                // Twice: the first page of a shape makes its skeleton, the second is filled from it.
                for (int round = 0; round < 2; ++round)
                    for (std::size_t i = 0; i < context.plan.chapters.size(); ++i) {
                        INFO(fixture << (archived ? " archived " : " ") << context.prefix << context.plan.chapters[i].page.slug);
                        diag::Diagnostics plain_reported, reported;
                        const std::string plain = theme->render_page("chapter", render::chapter_view(context, i), shared, plain_reported);
                        REQUIRE(skeletons.render(render::chapter_tree(context, i), reported) == plain);
                        REQUIRE(plain_reported.all().empty());
                        REQUIRE(reported.all().empty());
                    }
                REQUIRE(skeletons.kept() >= 1);
                REQUIRE(skeletons.kept() <= context.plan.chapters.size());
            }
        }
    }
}

TEST_CASE("a skeleton escapes each text where the template escapes it and copies it where it does not", "[render]") {
    const render::Theme theme = theme_with(small_theme);
    const nlohmann::json shared_view = {{"site", {{"name", "Board & <Partners>"}}}};
    const render::Theme::Layer shared(shared_view);
    render::PageSkeletons skeletons(theme, "chapter", shared, shared_view, 0);
    // Texts that look like markers, in escaped and raw places, are only text.
    const std::vector<render::ViewNode> views = {
        page("Safe & \"well\" <b>'here'</b>", false, {"a & b", "\x01" "0&", "\x01" "1&amp;"}),
        page("Second", false, {"<i>x</i>", "'", "\x01"}, "<p>&amp; \x01" "2&</p>"),
        page("", false, {"", "", ""}, "")};  // blank texts: a shape of its own (see below)
    for (const render::ViewNode& view : views) {
        diag::Diagnostics diagnostics;
        const std::string plain = theme.render_page("chapter", render::template_data(view), shared, diagnostics);
        REQUIRE(skeletons.render(view, diagnostics) == plain);
        REQUIRE(diagnostics.all().empty());
    }
    REQUIRE(skeletons.kept() == 2);

    diag::Diagnostics diagnostics;
    REQUIRE(skeletons.render(views[0], diagnostics) ==
            "<title>Safe &amp; &quot;well&quot; &lt;b&gt;&apos;here&apos;&lt;/b&gt; – Board &amp; &lt;Partners&gt;</title>\n"
            "<main><h1>Safe &amp; &quot;well&quot; &lt;b&gt;&apos;here&apos;&lt;/b&gt;</h1><p>Safe & \"well\" <b>'here'</b></p>\n"
            "<li>a &amp; b|a & b|Board &amp; &lt;Partners&gt;</li>\n"
            "<li>\x01" "0&amp;|\x01" "0&|Board &amp; &lt;Partners&gt;</li>\n"
            "<li>\x01" "1&amp;amp;|\x01" "1&amp;|Board &amp; &lt;Partners&gt;</li>\n"
            "not flagged<p>Body</p></main>\n\n");  // kainjow keeps the empty section's line break
}

TEST_CASE("pages of another shape get a skeleton of their own", "[render]") {
    const render::Theme theme = theme_with(small_theme);
    const nlohmann::json shared_view = {{"site", {{"name", "Board"}}}};
    const render::Theme::Layer shared(shared_view);
    render::PageSkeletons skeletons(theme, "chapter", shared, shared_view, 0);
    diag::Diagnostics diagnostics;
    auto expect_plain = [&](const render::ViewNode& view) {
        REQUIRE(skeletons.render(view, diagnostics) == theme.render_page("chapter", render::template_data(view), shared, diagnostics));
    };
    expect_plain(page("One", false, {"a"}));
    expect_plain(page("Two", true, {"b"}));  // a flag set
    REQUIRE(skeletons.kept() == 2);
    expect_plain(page("Three", true, {"c", "d"}));  // a longer list
    expect_plain(page("Four", true, {}));
    REQUIRE(skeletons.kept() == 4);
    expect_plain(page("Five", true, {"e", "f"}));
    REQUIRE(skeletons.kept() == 4);
    // Keys are part of the shape whatever characters they hold ("x" with a text and "y"
    // with a flag is not "x=sy" with a flag).
    render::ViewNode with_text = page("Six", true, {});
    render::TreeForm::put(with_text, "x", std::string("text"));
    render::TreeForm::put(with_text, "y", true);
    render::ViewNode with_key = page("Seven", true, {});
    render::TreeForm::put(with_key, "x=sy", true);
    expect_plain(with_text);
    expect_plain(with_key);
    REQUIRE(skeletons.kept() == 6);
    // No more than 256 are kept; pages of further shapes are rendered plainly.
    for (std::size_t entries = 3; entries < 300; ++entries) expect_plain(page("Many", false, std::vector<std::string>(entries, "x")));
    REQUIRE(skeletons.kept() == 256);
    REQUIRE(diagnostics.all().empty());
}

TEST_CASE("pages are rendered plainly when a skeleton could be wrong", "[render]") {
    const nlohmann::json shared_view = {{"site", {{"name", "Board"}}}};
    const render::Theme::Layer shared(shared_view);
    const render::ViewNode view = page("A & B", false, {"<x>"});
    SECTION("a layout that escapes the content") {
        auto templates = small_theme;
        templates["layout"] = "<main>{{content}}</main>";
        const render::Theme theme = theme_with(templates);
        render::PageSkeletons skeletons(theme, "chapter", shared, shared_view, 0);
        diag::Diagnostics diagnostics;
        const std::string plain = theme.render_page("chapter", render::template_data(view), shared, diagnostics);
        REQUIRE(plain.starts_with("<main>&lt;h1&gt;A &amp;amp; B&lt;/h1&gt;"));
        REQUIRE(skeletons.render(view, diagnostics) == plain);
        REQUIRE(skeletons.kept() == 0);
    }
    SECTION("a page template that renders blank, in a layout that would leave its line out") {
        auto templates = small_theme;
        templates["chapter"] = "{{#flag}}{{title}}{{/flag}}";
        templates["layout"] = "<main>\n{{#site}}{{{content}}}{{/site}}\n</main>";
        const render::Theme theme = theme_with(templates);
        render::PageSkeletons skeletons(theme, "chapter", shared, shared_view, 0);
        diag::Diagnostics diagnostics;
        const std::string plain = theme.render_page("chapter", render::template_data(view), shared, diagnostics);
        REQUIRE(plain == "<main>\n</main>");
        REQUIRE(skeletons.render(view, diagnostics) == plain);
        REQUIRE(skeletons.kept() == 0);
    }
    SECTION("a template with the marker's byte") {
        auto templates = small_theme;
        templates["chapter"] = "\x01" "0&{{title}}";
        const render::Theme theme = theme_with(templates);
        render::PageSkeletons skeletons(theme, "chapter", shared, shared_view, 0);
        diag::Diagnostics diagnostics;
        REQUIRE(skeletons.render(view, diagnostics) == theme.render_page("chapter", render::template_data(view), shared, diagnostics));
        REQUIRE(skeletons.kept() == 0);
    }
    SECTION("a shared text with the marker's byte") {
        const render::Theme theme = theme_with(small_theme);
        const nlohmann::json marked_view = {{"site", {{"name", "\x01" "0&"}}}};
        const render::Theme::Layer marked(marked_view);
        render::PageSkeletons skeletons(theme, "chapter", marked, marked_view, 0);
        diag::Diagnostics diagnostics;
        REQUIRE(skeletons.render(view, diagnostics) == theme.render_page("chapter", render::template_data(view), marked, diagnostics));
        REQUIRE(skeletons.kept() == 0);
    }
}

TEST_CASE("a page whose template reports a problem is rendered plainly and reports it", "[render]") {
    const render::Theme theme = theme_with(small_theme);
    const nlohmann::json shared_view = {{"site", {{"name", "Board"}}}};
    const render::Theme::Layer shared(shared_view);
    render::PageSkeletons skeletons(theme, "no-such-template", shared, shared_view, 0);
    diag::Diagnostics plain_reported, reported;
    const render::ViewNode view = page("A", false, {});
    const std::string plain = theme.render_page("no-such-template", render::template_data(view), shared, plain_reported);
    REQUIRE(skeletons.render(view, reported) == plain);
    REQUIRE(reported.all().size() == 1);
    REQUIRE(reported.all()[0].code == "CY501");
    REQUIRE(reported.all()[0].message == plain_reported.all()[0].message);
    REQUIRE(skeletons.kept() == 0);
}

TEST_CASE("a blank text is part of a page's shape: kainjow leaves out a line with a section that renders blank", "[render]") {
    auto templates = small_theme;
    templates["chapter"] = "<h1>{{title}}</h1>\n{{#entries}}{{text}}{{/entries}}\n{{#flag}}{{title}}{{/flag}}\nend";
    const render::Theme theme = theme_with(templates);
    const nlohmann::json shared_view = {{"site", {{"name", "Board"}}}};
    const render::Theme::Layer shared(shared_view);
    render::PageSkeletons skeletons(theme, "chapter", shared, shared_view, 0);
    diag::Diagnostics diagnostics;
    for (const std::string entry : {"x", "", " \t", "y", "", " "}) {
        INFO("entry \"" << entry << "\"");
        const render::ViewNode view = page("T", false, {entry});
        const std::string plain = theme.render_page("chapter", render::template_data(view), shared, diagnostics);
        REQUIRE(skeletons.render(view, diagnostics) == plain);
        // The entries' line is left out when it renders blank (the flag's line, whose section
        // is not rendered at all, is not).
        const bool blank = entry != "x" && entry != "y";
        REQUIRE(plain.find("<h1>T</h1>\n" + (blank ? "" : entry + "\n") + "\nend") != std::string::npos);
    }
    REQUIRE(skeletons.kept() == 4);  // "x" and "y" share one; "", " \t" and " " are one each
}
