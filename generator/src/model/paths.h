// Where each page of the output lives. URLs are a promise to webmasters and readers:
// change them only with a redirect plan.
#pragma once

#include <string>
#include <string_view>

namespace cypp::model {

// "" for the current plan, "plans/<id>/" for earlier plans.
std::string plan_prefix(const std::string& plan_id, bool is_current);
std::string chapter_path(const std::string& prefix, const std::string& slug);  // <prefix>plan/<slug>/index.html
std::string child_page_path(const std::string& prefix, const std::string& slug);
std::string review_path(const std::string& prefix, const std::string& year);  // <prefix>reviews/<year>/index.html
std::string linked_file_path(const std::string& site_relative);  // files/<path>
// The relative URL from one output file to another ("../other/index.html#x").
std::string relative_url(std::string_view from_file, std::string_view to_file);

}  // namespace cypp::model
