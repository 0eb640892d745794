#include <catch2/catch.hpp>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

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

TEST_CASE("a page cache used from several threads at once gives each piece its own content", "[render]") {
    cypp::render::PageCache cache;
    cache.start_build(7);
    constexpr std::size_t keys = 500;
    std::vector<std::string> results(4 * keys);
    std::atomic<std::size_t> made{0};
    auto work = [&](std::size_t thread) {
        for (std::size_t round = 0; round < 2; ++round)
            for (std::size_t k = 0; k < keys; ++k) {
                const std::size_t key = (k * 7919 + thread * 31) % keys;  // each thread in its own order
                results[thread * keys + key] = cache.piece("section", key, [&] {
                    ++made;
                    return "<section>" + std::to_string(key) + "</section>";
                });
            }
    };
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < 4; ++t) threads.emplace_back(work, t);
    for (std::thread& thread : threads) thread.join();
    for (std::size_t t = 0; t < 4; ++t)
        for (std::size_t key = 0; key < keys; ++key)
            REQUIRE(results[t * keys + key] == "<section>" + std::to_string(key) + "</section>");
    // Each key is made at least once, and at most once per thread that missed it at the same moment.
    REQUIRE(made >= keys);
    REQUIRE(made <= 4 * keys);
    REQUIRE(cache.hits() == 2 * 4 * keys - made);
}
