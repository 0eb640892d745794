#include <catch2/catch.hpp>

#include <string>

#include "render/page_cache.h"

using cypp::render::PageCache;
using nlohmann::json;

namespace {

// Renders by counting: the page says how many renders there have been.
struct CountingRenderer {
    int renders = 0;
    bool succeed = true;
    std::string operator()(bool& succeeded) {
        succeeded = succeed;
        return "page " + std::to_string(++renders);
    }
};

std::string page(PageCache& cache, CountingRenderer& renderer, const std::string& name, const json& view) {
    return cache.page(name, view, 0, [&](bool& succeeded) { return renderer(succeeded); });
}

}  // namespace

TEST_CASE("a page cache renders a view once and gives the same page for an equal view", "[render]") {
    PageCache cache;
    CountingRenderer renderer;
    cache.start_build(7);
    const json view = {{"title", "Being healthy"}, {"body", "<p>Text</p>"}, {"nav", json::array({"Home", "Full plan"})}};
    REQUIRE(page(cache, renderer, "chapter", view) == "page 1");
    REQUIRE(page(cache, renderer, "chapter", json::parse(view.dump())) == "page 1");  // equal, not the same object
    REQUIRE(cache.hits() == 1);
    json changed = view;
    changed["body"] = "<p>Text, edited</p>";
    REQUIRE(page(cache, renderer, "chapter", changed) == "page 2");
    REQUIRE(page(cache, renderer, "review", view) == "page 3");  // another template
    REQUIRE(renderer.renders == 3);
}

TEST_CASE("a page cache forgets everything when the theme changes and what a build did not use", "[render]") {
    PageCache cache;
    CountingRenderer renderer;
    const json a = {{"title", "A"}}, b = {{"title", "B"}};
    cache.start_build(1);
    page(cache, renderer, "chapter", a);
    page(cache, renderer, "chapter", b);
    REQUIRE(cache.size() == 2);

    cache.start_build(1);
    REQUIRE(page(cache, renderer, "chapter", a) == "page 1");  // b is not asked for in this build
    cache.start_build(1);
    REQUIRE(cache.size() == 1);
    REQUIRE(page(cache, renderer, "chapter", b) == "page 3");

    cache.start_build(2);  // a template changed
    REQUIRE(cache.size() == 0);
    REQUIRE(page(cache, renderer, "chapter", a) == "page 4");
}

TEST_CASE("a page cache keeps no page whose rendering reported a problem", "[render]") {
    PageCache cache;
    CountingRenderer renderer;
    cache.start_build(1);
    renderer.succeed = false;
    page(cache, renderer, "chapter", {{"title", "A"}});
    renderer.succeed = true;
    REQUIRE(page(cache, renderer, "chapter", {{"title", "A"}}) == "page 2");  // rendered again, so reported again
    REQUIRE(cache.size() == 1);
}
