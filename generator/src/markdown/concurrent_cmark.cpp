#include "markdown/concurrent_cmark.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <dlfcn.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace {

// Set once the extensions' characters are on for good (by prepare(), below): from then
// on a parse turning them on or off changes nothing.
std::atomic<bool> characters_kept_on{false};
// Set when cmark called the function below instead of its own: cmark-gfm calls it
// through the dynamic linker, and a program's own definition is found first.
std::atomic<bool> cmark_calls_ours{false};

using ManageCharacters = void (*)(cmark_parser*, int);

ManageCharacters cmark_own_manage_characters() {
    static const auto own =
        reinterpret_cast<ManageCharacters>(dlsym(RTLD_NEXT, "cmark_manage_extensions_special_characters"));
    return own;
}

}  // namespace

// cmark-gfm's own (cmark-gfm-extension_api.h), which its cmark_parser_finish calls before
// and after parsing a document's inlines. Before prepare() it is cmark's own; after, the
// characters stay on and nothing is written to the table that every thread reads.
extern "C" void cmark_manage_extensions_special_characters(cmark_parser* parser, int add) {
    if (characters_kept_on.load(std::memory_order_acquire)) {
        // Written once: every parse writing it would pass its cache line between cores.
        if (!cmark_calls_ours.load(std::memory_order_relaxed)) cmark_calls_ours.store(true, std::memory_order_relaxed);
        return;
    }
    if (const ManageCharacters own = cmark_own_manage_characters()) own(parser, add);
}

namespace cypp::markdown {

namespace {

constexpr const char* extension_names[] = {"table", "strikethrough", "autolink", "tagfilter"};

cmark_parser* parser_with_extensions(int options, cmark_mem* mem = nullptr) {
    cmark_parser* parser = mem ? cmark_parser_new_with_mem(options, mem) : cmark_parser_new(options);
    for (const char* name : extension_names)
        cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension(name));
    return parser;
}

bool side_by_side = false;  // written once, in prepare(), before any parse

// Registers the extensions, turns their characters on for good with cmark's own
// function, and checks with a parse of "~~a~~" that cmark then calls ours: only if it
// does are parses left to run side by side.
void prepare() {
    static std::once_flag flag;
    std::call_once(flag, [] {
        cmark_gfm_core_extensions_ensure_registered();
        const ManageCharacters own = cmark_own_manage_characters();
        if (!own) return;
        cmark_parser* parser = parser_with_extensions(CMARK_OPT_DEFAULT);
        own(parser, 1);
        characters_kept_on.store(true, std::memory_order_release);
        const char probe[] = "~~a~~";
        cmark_parser_feed(parser, probe, std::strlen(probe));
        cmark_node* document = cmark_parser_finish(parser);
        cmark_node* paragraph = cmark_node_first_child(document);
        cmark_node* struck = paragraph ? cmark_node_first_child(paragraph) : nullptr;
        const char* type = struck ? cmark_node_get_type_string(struck) : nullptr;
        side_by_side = cmark_calls_ours.load(std::memory_order_relaxed) && type &&
                       std::strcmp(type, "strikethrough") == 0;
        cmark_node_free(document);
        cmark_parser_free(parser);
        // When cmark called its own, the parse above turned the characters off again,
        // and each parse turns them on and off for itself, one at a time.
    });
}

}  // namespace

cmark_parser* new_parser(int options, cmark_mem* mem) {
    prepare();
    return parser_with_extensions(options, mem);
}

cmark_node* finish_parse(cmark_parser* parser) {
    prepare();
    if (side_by_side) return cmark_parser_finish(parser);
    static std::mutex one_at_a_time;
    std::lock_guard lock(one_at_a_time);
    return cmark_parser_finish(parser);
}

bool parses_run_side_by_side() {
    prepare();
    return side_by_side;
}

}  // namespace cypp::markdown
