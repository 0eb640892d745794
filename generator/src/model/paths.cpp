#include "model/paths.h"

#include <vector>

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

static std::vector<std::string_view> segments(std::string_view path) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) end = path.size();
        parts.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

std::string relative_url(std::string_view from_file, std::string_view to_file) {
    auto from = segments(from_file);
    auto to = segments(to_file);
    from.pop_back();  // the file name: we start from its folder
    std::size_t common = 0;
    while (common < from.size() && common + 1 < to.size() && from[common] == to[common]) ++common;
    std::string url;
    for (std::size_t i = common; i < from.size(); ++i) url += "../";
    for (std::size_t i = common; i < to.size(); ++i) {
        url += to[i];
        if (i + 1 < to.size()) url += '/';
    }
    return url;
}

}  // namespace cypp::model
