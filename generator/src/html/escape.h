// html: text placed into HTML or XML markup that cypp writes itself (attributes, SVG,
// the Atom feed, preview pages). Author Markdown is escaped by cmark, templates by
// mustache; everything else goes through here.
#pragma once

#include <string>
#include <string_view>

namespace cypp::html {

// Escapes & < > " and ' (as &#39;, valid in both HTML and XML).
std::string escape(std::string_view text);
void append_escaped(std::string& out, std::string_view text);

}  // namespace cypp::html
