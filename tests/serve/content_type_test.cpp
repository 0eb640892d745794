#include <catch2/catch.hpp>

#include <string>

#include "serve/content_type.h"

using cypp::serve::content_type_of;

TEST_CASE("serve labels each kind of file with its media type", "[serve]") {
    const std::pair<const char*, const char*> expected[] = {
        {"index.html", "text/html; charset=utf-8"},
        {"assets/style.css", "text/css; charset=utf-8"},
        {"robots.txt", "text/plain; charset=utf-8"},
        {"deadlines.ics", "text/calendar; charset=utf-8"},
        {"files/plans/2011-2014/chapters/data.csv", "text/csv"},
        {"manifest.json", "application/json"},
        {"sitemap.xml", "application/xml"},
        {"files/plans/2011-2014/chapters/register.xml", "application/xml"},
        {"files/plans/2011-2014/chapters/feed.xml", "application/xml"},  // an author's file, not the feed
        {"feed.xml", "application/atom+xml; charset=utf-8"},
        {"print/2011-2014.pdf", "application/pdf"},
        {"files/logo.svg", "image/svg+xml"},
        {"files/chart.png", "image/png"},
        {"files/photo.jpg", "image/jpeg"},
        {"files/photo.jpeg", "image/jpeg"},
        {"files/map.gif", "image/gif"},
        {"files/photo.webp", "image/webp"},
        {"SHA256SUMS", "application/octet-stream"},
        {"files/minutes.docx", "application/octet-stream"},
    };
    for (const auto& [path, type] : expected) {
        INFO(path);
        REQUIRE(content_type_of(path) == type);
    }
}
