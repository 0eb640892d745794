#include "markdown/cmark_arena.h"

#include "markdown/concurrent_cmark.h"
#include "markdown/markdown.h"

#include <catch2/catch.hpp>
#include <cmark-gfm-extension_api.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <csignal>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace cypp::markdown;

namespace {

// With AddressSanitizer every allocation has a block of its own (cmark_arena.cpp).
#if defined(__SANITIZE_ADDRESS__)
constexpr bool grows_in_place = false;
#else
constexpr bool grows_in_place = true;
#endif

// The HTML of text rendered with the arena in use (mem is its allocator), or with
// cmark's own allocator (mem null).
std::string html_with(cmark_mem* mem, const std::string& text) {
    cmark_parser* parser = new_parser(CMARK_OPT_DEFAULT, mem);
    cmark_parser_feed(parser, text.data(), text.size());
    cmark_node* document = finish_parse(parser);
    char* raw = cmark_render_html(document, CMARK_OPT_DEFAULT, cmark_parser_get_syntax_extensions(parser));
    std::string html = raw;
    if (!mem) {  // in an arena, all goes with it
        std::free(raw);
        cmark_node_free(document);
        cmark_parser_free(parser);
    }
    return html;
}

// Grows with every block the arena takes, large or of an allocation's own (with
// AddressSanitizer, there are only the latter).
std::size_t taken(const CmarkArena& arena) { return arena.reserved_bytes() + arena.own_blocks(); }

bool aligned(const void* block) { return reinterpret_cast<std::uintptr_t>(block) % alignof(std::max_align_t) == 0; }

}  // namespace

TEST_CASE("cmark arena: calloc gives zeroed, aligned memory, also where memory was used before", "[markdown]") {
    cmark_mem* mem = CmarkArena::allocator();
    for (int round = 0; round < 3; ++round) {
        // The blocks of the arena before are most likely handed out again, full of 0xAB.
        CmarkArena arena;
        const ArenaInUse in_use(arena);
        auto* first = static_cast<unsigned char*>(mem->calloc(3, 7));
        REQUIRE(aligned(first));
        auto* second = static_cast<unsigned char*>(mem->calloc(1000, 1));
        REQUIRE(aligned(second));
        CHECK(second != first);
        for (int i = 0; i < 21; ++i) CHECK(first[i] == 0);
        for (int i = 0; i < 1000; ++i) CHECK(second[i] == 0);
        std::memset(first, 0xAB, 21);
        std::memset(second, 0xAB, 1000);
        for (int i = 0; i < 21; ++i) CHECK(first[i] == 0xAB);  // untouched by the second
    }
}

TEST_CASE("cmark arena: a calloc whose size overflows stops the program with a message", "[markdown]") {
    // cmark cannot be thrown through, so the arena aborts: seen from a child process.
    int error_pipe[2];
    REQUIRE(::pipe(error_pipe) == 0);
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::dup2(error_pipe[1], STDERR_FILENO);
        CmarkArena arena;
        const ArenaInUse in_use(arena);
        CmarkArena::allocator()->calloc(SIZE_MAX / 8 + 1, 16);  // 2^65 bytes: wraps to 0 in size_t
        ::_exit(0);
    }
    ::close(error_pipe[1]);
    std::string said;
    char buffer[256];
    for (ssize_t got; (got = ::read(error_pipe[0], buffer, sizeof buffer)) > 0;) said.append(buffer, static_cast<std::size_t>(got));
    ::close(error_pipe[0]);
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    REQUIRE(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == SIGABRT);
    CHECK(said == "cypp: out of memory while parsing Markdown\n");
}

TEST_CASE("cmark arena: realloc keeps the content, in place for the last allocation", "[markdown]") {
    CmarkArena arena;
    const ArenaInUse in_use(arena);
    cmark_mem* mem = CmarkArena::allocator();
    char* buffer = static_cast<char*>(mem->realloc(nullptr, 5));
    std::memcpy(buffer, "abcde", 5);
    char* grown = static_cast<char*>(mem->realloc(buffer, 4000));
    CHECK(std::string(grown, 5) == "abcde");
    CHECK((grown == buffer) == grows_in_place);
    // Not the last allocation any more: moved, content copied.
    char* other = static_cast<char*>(mem->calloc(1, 16));
    std::memcpy(grown + 5, "fgh", 3);
    char* moved = static_cast<char*>(mem->realloc(grown, 9000));
    CHECK(moved != grown);
    CHECK(std::string(moved, 8) == "abcdefgh");
    CHECK(other[0] == 0);
    // Shrinking keeps the start.
    char* shrunk = static_cast<char*>(mem->realloc(moved, 3));
    CHECK(std::string(shrunk, 3) == "abc");
}

TEST_CASE("cmark arena: an allocation larger than a block gets a block of its own", "[markdown]") {
    CmarkArena arena;
    const ArenaInUse in_use(arena);
    cmark_mem* mem = CmarkArena::allocator();
    CHECK(taken(arena) == 0);
    const std::size_t large = 5 * 1024 * 1024;
    char* block = static_cast<char*>(mem->calloc(large, 1));
    block[large - 1] = 'z';
    if (CmarkArena::budget_bytes > 0) CHECK(arena.reserved_bytes() >= large);
    else CHECK(arena.own_blocks() == 1);
    char* small = static_cast<char*>(mem->calloc(1, 1));
    CHECK(small[0] == 0);
    CHECK(block[large - 1] == 'z');
}

TEST_CASE("cmark arena: the arena in use is the innermost, per thread", "[markdown]") {
    CmarkArena outer, inner;
    cmark_mem* mem = CmarkArena::allocator();
    const ArenaInUse outer_in_use(outer);
    mem->calloc(1, 10);
    const std::size_t outer_taken = taken(outer);
    CHECK(outer_taken > 0);
    {
        const ArenaInUse inner_in_use(inner);
        mem->calloc(1, 10);
        CHECK(taken(inner) > 0);
        std::thread([&] {
            // Another thread has its own arena in use, here none of these two.
            CmarkArena own;
            const ArenaInUse own_in_use(own);
            mem->calloc(1, 10);
            CHECK(taken(own) > 0);
        }).join();
    }
    mem->calloc(1, 200 * 1024);  // more than the outer arena holds: it takes another block
    CHECK(taken(outer) > outer_taken);
}

TEST_CASE("cmark arena: a parse in an arena renders as one with cmark's own allocator", "[markdown]") {
    const std::string text =
        "# Title\n\nSome *text*, ~~struck~~, www.example.com and a [link](other.md#part).\n\n"
        "| a | b |\n|---|--:|\n| 1 | 2 |\n\n- one\n- two\n\n```\ncode\n```\n";
    const std::string plain = html_with(nullptr, text);
    CmarkArena arena;
    std::string in_arena;
    {
        const ArenaInUse in_use(arena);
        in_arena = html_with(CmarkArena::allocator(), text);
    }
    CHECK(in_arena == plain);
    CHECK(plain.find("<del>struck</del>") != std::string::npos);
    CHECK(plain.find("<table>") != std::string::npos);
    CHECK(taken(arena) > 0);
}

TEST_CASE("cmark arena: a parsed page can be rendered and let go on another thread", "[markdown]") {
    cypp::diag::Diagnostics diagnostics;
    ParsedMarkdown parsed = parse_markdown("## A heading\n\nText with [a link](#a-heading).\n", "page.md", Limits{}, diagnostics);
    REQUIRE(parsed.usable());
    std::string html;
    std::thread([&] {
        ParsedMarkdown moved = std::move(parsed);
        html = render_html(moved, [](const Link& link) { return link.url; }, &diagnostics);
    }).join();
    CHECK(html == "<h2 id=\"a-heading\">A heading</h2>\n<p>Text with <a href=\"#a-heading\">a link</a>.</p>\n");
}

TEST_CASE("cmark arena: past its budget each allocation has its own block, freed on its own", "[markdown]") {
    CmarkArena arena;
    const ArenaInUse in_use(arena);
    cmark_mem* mem = CmarkArena::allocator();
    // Fill the budget with blocks that stay.
    std::size_t kept = 0;
    for (; kept < 1000 && arena.own_blocks() == 0; ++kept) mem->calloc(1, 64 * 1024);
    REQUIRE(arena.own_blocks() == 1);
    CHECK(arena.reserved_bytes() <= CmarkArena::budget_bytes);
    CHECK(kept >= CmarkArena::budget_bytes / (128 * 1024));
    // What is left of the last large block is less than 64 KB.
    const std::size_t own_before = arena.own_blocks();
    char* a = static_cast<char*>(mem->calloc(1, 64 * 1024));
    char* b = static_cast<char*>(mem->calloc(1, 64 * 1024));
    CHECK(arena.own_blocks() == own_before + 2);
    std::memcpy(a, "kept", 4);
    char* grown = static_cast<char*>(mem->realloc(a, 100 * 1024));  // into a block of its own: a is freed
    CHECK(std::string(grown, 4) == "kept");
    CHECK(arena.own_blocks() == own_before + 2);
    mem->free(b);
    mem->free(grown);
    CHECK(arena.own_blocks() == own_before);
    mem->calloc(1, 64 * 1024);  // left for the arena to free (the sanitizer build checks for leaks)
    CHECK(arena.reserved_bytes() <= CmarkArena::budget_bytes);
}

TEST_CASE("cmark arena: Markdown that makes cmark allocate and free a lot stays within the budget", "[markdown]") {
    // Link openers and emphasis interleaved (as in tests/hostile/cases.json): cmark
    // allocates and frees for nearly every character. With nothing freed, the arena
    // would hold about 160 MB.
    std::string text;
    for (int i = 0; i < 250000; ++i) text += "[*";
    const std::string plain = html_with(nullptr, text);
    CmarkArena arena;
    const ArenaInUse in_use(arena);
    CHECK(html_with(CmarkArena::allocator(), text) == plain);
    CHECK(arena.reserved_bytes() <= CmarkArena::budget_bytes);
}
