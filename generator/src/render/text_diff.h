// render/text_diff: what changed between two published versions of a chapter, as
// accessible HTML. Compares the Markdown source block by block, then word by word
// inside each changed block; the Markdown is shown as plain source text, not rendered.
#pragma once

#include <string>
#include <string_view>

namespace cypp::render {

struct DiffStats {
    int blocks_added = 0;
    int blocks_removed = 0;
    int blocks_changed = 0;
    bool any() const;
};

struct TextDiff {
    std::string html;  // empty when nothing changed
    DiffStats stats;
};

// Blocks: the text is split at blank lines; a line starting (after indentation) with
// "- ", "* ", "+ ", a number and ". " (list items), "|" (table rows) or "#" (headings)
// always starts a block of its own. Table rows and headings are one line each; the
// lines after a list item, up to the next blank line or block start, belong to it.
// Blocks are compared by their words (runs of non-whitespace), so re-wrapping or
// re-spacing a paragraph is not a change; shown text has its whitespace collapsed.
//
// Between two unchanged blocks, a removed and an added block are paired as one
// "changed" block when the longest common subsequence of their words is at least half
// of the shorter block and a fifth of the longer (pairs kept in order, the most alike
// preferred); unpaired ones are shown as removed or added.
//
// Output, one line per element:
//   <div class="diff-block diff-context">TEXT</div>      one block either side of a change
//   <div class="diff-block diff-added"><strong class="diff-label">Added</strong> <ins>...</ins></div>
//   <div class="diff-block diff-removed"><strong class="diff-label">Removed</strong> <del>...</del></div>
//   <div class="diff-block diff-changed"><strong class="diff-label">Changed</strong> words <del>...</del> <ins>...</ins> words</div>
//   <p class="diff-gap">…</p>                             between hunks that are not adjacent
// where <ins> is <ins><span class="visually-hidden">Added: </span>TEXT</ins> and <del> is
// <del><span class="visually-hidden">Removed: </span>TEXT</del>; adjacent inserted (or
// deleted) words share one element, deletions before insertions. All text is
// HTML-escaped. Unchanged blocks further from a change are left out.
//
// Identical texts (or texts differing only in whitespace) give an empty html and zero
// stats. The output depends only on the two texts.
//
// Pathological input: when the two texts together hold more than 200,000 blocks and
// words, no diff is computed; the whole new text is shown as one changed block
// (label "Changed", no <ins>/<del>), and stats are blocks_changed = 1. A single changed
// block pair with more than 20,000 words between them is shown as one deletion of the
// old text and one insertion of the new text rather than word by word.
TextDiff diff_markdown(std::string_view before, std::string_view after);

// Plain summary: "3 paragraphs changed, 1 added, 2 removed", "1 paragraph added",
// "No changes" when there are none. Zero counts are left out.
std::string describe(const DiffStats& stats);

}  // namespace cypp::render
