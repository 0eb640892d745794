#include "serve/content_type.h"

#include <utility>

namespace cypp::serve {

namespace {

// Text cypp writes itself is UTF-8. XML and CSV from authors may be in another encoding
// (an XML file declares its own, which a charset here would override), so they get none;
// JSON has no charset parameter at all.
constexpr std::pair<std::string_view, std::string_view> types_by_extension[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".txt", "text/plain; charset=utf-8"},
    {".ics", "text/calendar; charset=utf-8"},
    {".csv", "text/csv"},
    {".json", "application/json"},
    {".xml", "application/xml"},
    {".pdf", "application/pdf"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
};

}  // namespace

std::string_view content_type_of(std::string_view path) {
    // The revisions feed, at the top of the site only, is the one XML file that is Atom;
    // cypp writes it in UTF-8.
    if (path == "feed.xml") return "application/atom+xml; charset=utf-8";
    for (const auto& [extension, type] : types_by_extension)
        if (path.ends_with(extension)) return type;
    return "application/octet-stream";
}

}  // namespace cypp::serve
