#include "model/paths.h"

#include <algorithm>

namespace cypp::model {

std::string plan_prefix(const std::string& plan_id, bool is_current) {
    return is_current ? std::string() : "plans/" + plan_id + "/";
}

std::string chapter_path(const std::string& prefix, const std::string& slug) {
    return prefix + "plan/" + slug + "/index.html";
}

std::string child_page_path(const std::string& prefix, const std::string& slug) {
    return prefix + "child/" + slug + "/index.html";
}

std::string review_path(const std::string& prefix, const std::string& year) {
    return prefix + "reviews/" + year + "/index.html";
}

std::string linked_file_path(const std::string& site_relative) { return "files/" + site_relative; }

// Walks the two paths segment by segment in place: this runs for every link of every
// page (pagination, breadcrumbs, rewritten Markdown links), and splitting each path into
// a vector of segments first had been most of its cost.
std::string relative_url(std::string_view from_file, std::string_view to_file) {
    constexpr auto npos = std::string_view::npos;
    // The folders the two share: a folder of from (a segment before its last '/') equal
    // to a folder of to (a segment with a '/' after it), from the start.
    std::size_t from_at = 0, to_at = 0;
    for (std::size_t from_end, to_end; (from_end = from_file.find('/', from_at)) != npos &&
                                       (to_end = to_file.find('/', to_at)) != npos &&
                                       from_file.substr(from_at, from_end - from_at) == to_file.substr(to_at, to_end - to_at);) {
        from_at = from_end + 1;
        to_at = to_end + 1;
    }
    // Up out of each folder of from left, then down into the rest of to.
    const std::string_view from_left = from_file.substr(from_at), to_left = to_file.substr(to_at);
    const auto ups = static_cast<std::size_t>(std::count(from_left.begin(), from_left.end(), '/'));
    std::string url;
    url.reserve(3 * ups + to_left.size());
    for (std::size_t i = 0; i < ups; ++i) url += "../";
    url += to_left;
    return url;
}

}  // namespace cypp::model
