#include <catch2/catch.hpp>

#include <filesystem>

#include "load/load_site.h"
#include "model/paths.h"
#include "render/template_data.h"
#include "render/views.h"

using namespace cypp;
namespace stdfs = std::filesystem;

namespace {

// made holds what template_data() makes of expected: each JSON key with the same value
// (null as false, a number as its JSON text), each list item in order.
void require_same(const nlohmann::json& expected, const render::TemplateData& made, const std::string& where) {
    INFO(where);
    switch (expected.type()) {
    case nlohmann::json::value_t::object:
        REQUIRE(made.is_object());
        for (auto item = expected.begin(); item != expected.end(); ++item) {
            const render::TemplateData* value = made.get(item.key());
            INFO("key " << item.key());
            REQUIRE(value != nullptr);
            require_same(*item, *value, where + "/" + item.key());
        }
        break;
    case nlohmann::json::value_t::array:
        REQUIRE(made.is_list());
        REQUIRE(made.list_value().size() == expected.size());
        for (std::size_t i = 0; i < expected.size(); ++i)
            require_same(expected[i], made.list_value()[i], where + "/" + std::to_string(i));
        break;
    case nlohmann::json::value_t::boolean:
        REQUIRE(made.is_true() == expected.get<bool>());
        REQUIRE(made.is_false() == !expected.get<bool>());
        break;
    case nlohmann::json::value_t::null:
        REQUIRE(made.is_false());
        break;
    case nlohmann::json::value_t::string:
        REQUIRE(made.is_string());
        REQUIRE(made.string_value() == expected.get<std::string>());
        break;
    default:
        REQUIRE(made.is_string());
        REQUIRE(made.string_value() == expected.dump());
        break;
    }
}

model::Site fixture_site(const std::string& name) {
    diag::Diagnostics diagnostics;
    auto site = load::load_site(stdfs::path(CYPP_FIXTURES) / name, {}, diagnostics);
    REQUIRE(site);
    return std::move(*site);
}

}  // namespace

TEST_CASE("a JSON view becomes template data value for value", "[render]") {
    const nlohmann::json view = nlohmann::json::parse(R"({
        "title": "Keeping children safe & well", "empty": "", "count": 12, "ratio": 1.5, "none": null,
        "has_toc": true, "archived": false, "toc": [{"id": "a", "text": "A"}, {"id": "b", "text": "B"}],
        "nested": {"date": {"iso": "2011-04-01", "long": "1 April 2011"}, "list": []}})");
    const render::TemplateData copied = render::template_data(view);
    require_same(view, copied, "copied");
    REQUIRE(copied.get("count")->string_value() == "12");
    REQUIRE(copied.get("ratio")->string_value() == "1.5");
    REQUIRE(copied.get("nested")->get("list")->is_empty_list());

    // Converting an rvalue takes the view's parts as it goes: what is left is nulls.
    nlohmann::json consumed = view;
    const render::TemplateData moved = render::template_data(std::move(consumed));
    require_same(view, moved, "moved");
    REQUIRE(consumed["title"].is_null());
    REQUIRE(consumed["toc"].is_null());
    REQUIRE(consumed["nested"].is_null());
}

TEST_CASE("template text takes a string without copying it", "[render]") {
    std::string body(100000, 'x');
    const char* bytes = body.data();
    const render::TemplateData data = render::template_text(std::move(body));
    REQUIRE(data.is_string());
    REQUIRE(data.string_value().size() == 100000);
    REQUIRE(data.string_value().data() == bytes);
}

TEST_CASE("a chapter's view built as a tree is its JSON view, built without the JSON", "[render]") {
    for (const std::string fixture : {"minimal", "reviewed", "two-plans"}) {
        const model::Site site = fixture_site(fixture);
        for (const bool archived : {false, true}) {
            render::RenderOptions options{model::Date{2013, 7, 1}, "cypp test", nullptr, std::nullopt, {}, {}, 1};
            if (archived) options.archived = render::ArchivedVersion{"abc123", {2012, 5, 1}, "a change"};
            for (std::size_t p = 0; p < site.plans.size(); ++p) {
                const bool is_current = p + 1 == site.plans.size();
                const render::PageContext context{site, site.plans[p], model::plan_prefix(site.plans[p].id, is_current),
                                                  options};
                const nlohmann::json layer = render::chapter_layer_view(context);
                REQUIRE(!context.plan.chapters.empty());
                for (std::size_t i = 0; i < context.plan.chapters.size(); ++i) {
                    const std::string where = fixture + (archived ? " archived " : " ") + context.prefix +
                                              context.plan.chapters[i].page.slug;
                    const nlohmann::json view = render::chapter_view(context, i);
                    const render::TemplateData data = render::template_data(render::chapter_tree(context, i));
                    require_same(view, data, where);
                    // No key beyond the view's: none of the layer's, which it would hide.
                    for (auto item = layer.begin(); item != layer.end(); ++item) {
                        INFO(where << ": layer key " << item.key());
                        REQUIRE(data.get(item.key()) == nullptr);
                    }
                }
            }
        }
    }
}

TEST_CASE("the print page's template data is its JSON view, its chapters built without the JSON", "[render]") {
    for (const std::string fixture : {"minimal", "reviewed", "two-plans"}) {
        const model::Site site = fixture_site(fixture);
        for (const bool with_pdf : {false, true}) {
            render::RenderOptions options{model::Date{2013, 7, 1}, "cypp test", nullptr, std::nullopt, {}, {}, 1};
            if (with_pdf) options.print_pdf = "print/plan.pdf";
            const render::PageContext context{site, site.current_plan(), "", options};
            const nlohmann::json view = render::print_view(context);
            REQUIRE(view["chapters"].size() == context.plan.chapters.size());
            REQUIRE(view.contains("pdf") == with_pdf);
            require_same(view, render::print_data(context), fixture + (with_pdf ? " with a PDF" : ""));
        }
    }
}

TEST_CASE("a view tree keeps members in the order put, the last of a name winning, and adopts JSON as template_data() converts it", "[render]") {
    using Form = render::TreeForm;
    render::ViewNode view = Form::object();
    Form::put(view, "has_history", false);
    Form::put(view, "title", std::string("A & B"));
    Form::put(view, "has_history", true);  // put again: the later one wins
    Form::put(view, "extra", Form::adopt(nlohmann::json::parse(R"({"count": 12, "none": null, "list": ["x", true]})")));
    REQUIRE(view.children.size() == 4);
    REQUIRE(view.children[0].key == "has_history");
    REQUIRE(view.children[0].kind == render::ViewNode::Kind::no);
    REQUIRE(view.children[1].text == "A & B");
    REQUIRE(render::template_data(view).get("has_history")->is_true());
    require_same(nlohmann::json::parse(R"({"has_history": true, "title": "A & B",
                                           "extra": {"count": 12, "none": null, "list": ["x", true]}})"),
                 render::template_data(view), "tree");
}

TEST_CASE("the plan index's template data is its JSON view, its chapters built without the JSON", "[render]") {
    for (const std::string fixture : {"minimal", "reviewed", "two-plans"}) {
        const model::Site site = fixture_site(fixture);
        for (std::size_t p = 0; p < site.plans.size(); ++p) {
            render::RenderOptions options{model::Date{2013, 7, 1}, "cypp test", nullptr, std::nullopt, {}, {}, 1};
            const render::PageContext context{site, site.plans[p], model::plan_prefix(site.plans[p].id, p + 1 == site.plans.size()),
                                              options};
            const nlohmann::json view = render::plan_index_view(context);
            REQUIRE(view["chapters"].size() == context.plan.chapters.size());
            require_same(view, render::plan_index_data(context), fixture + " " + context.prefix);
        }
    }
}
