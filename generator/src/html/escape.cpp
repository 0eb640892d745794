#include "html/escape.h"

#include <algorithm>

namespace cypp::html {

void append_escaped(std::string& out, std::string_view text) {
    // Most text has nothing to escape: each run without a special character is copied whole.
    constexpr std::string_view special = "&<>\"'";
    for (std::size_t at = 0; at < text.size(); ++at) {
        const std::size_t found = std::min(text.find_first_of(special, at), text.size());
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
