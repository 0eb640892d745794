// content_type: the Content-Type cypp serve sends for a file of the site, by its name.
#pragma once

#include <string_view>

namespace cypp::serve {

// path is site-relative ("plan/index.html", "files/plans/2011-2014/data.csv"); names are
// lower case (generated, or refused with CY404). Unknown kinds are application/octet-stream.
std::string_view content_type_of(std::string_view path);

}  // namespace cypp::serve
