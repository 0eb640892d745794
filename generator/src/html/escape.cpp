#include "html/escape.h"

namespace cypp::html {

void append_escaped(std::string& out, std::string_view text) {
    // Most text has nothing to escape: each run without a special character is copied whole.
    const auto special = [](char c) { return c == '&' || c == '<' || c == '>' || c == '"' || c == '\''; };
    for (std::size_t at = 0; at < text.size(); ++at) {
        std::size_t found = at;
        while (found < text.size() && !special(text[found])) ++found;
        out.append(text, at, found - at);
        if ((at = found) == text.size()) break;
        switch (text[at]) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        default: out += "&#39;"; break;
        }
    }
}

std::string escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_escaped(out, text);
    return out;
}

}  // namespace cypp::html
