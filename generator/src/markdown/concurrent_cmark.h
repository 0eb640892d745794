// markdown/concurrent_cmark: lets cmark-gfm 0.29 parse pages on several threads at once.
//
// cmark-gfm 0.29 keeps the characters its inline extensions react to (such as "~" for
// strikethrough) in one table for the whole process. cmark_parser_finish turns its
// parser's extensions' characters on, parses the inlines, and turns them off again, so
// two parses finishing at once lose each other's strikethrough and autolinks
// (github/cmark-gfm pull request 176). Every parse in cypp attaches the same extensions,
// so their characters are turned on once, for good, and cmark's turning on and off for
// each parse is made to do nothing (see concurrent_cmark.cpp for how). Where that cannot
// be arranged, parses finish one at a time, as safe as before and only slower.
#pragma once

#include <cmark-gfm.h>

namespace cypp::markdown {

// A parser with cmark's options and the extensions every parse uses (table,
// strikethrough, autolink, tagfilter) attached, ready to be fed; mem: the allocator for
// the parser and everything it makes (null: cmark's own). Free it with cmark_parser_free.
cmark_parser* new_parser(int options, cmark_mem* mem = nullptr);

// cmark_parser_finish, side by side with other threads' parses when that is safe (above),
// otherwise one at a time.
cmark_node* finish_parse(cmark_parser* parser);

// Whether finish_parse runs parses side by side (for the tests: one at a time is correct
// but made the load stage of a 10,000-chapter build about a sixth slower).
bool parses_run_side_by_side();

}  // namespace cypp::markdown
