// resources: the data files shipped inside the cypp binary (content/, schemas/,
// themes/ of this repository), embedded at build time so the tool runs from anywhere.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cypp::resources {

struct Resource {
    std::string_view path;  // e.g. "schemas/plan.schema.json"
    std::string_view data;
};

std::span<const Resource> all();
std::optional<std::string_view> find(std::string_view path);
// Paths starting with prefix (e.g. "themes/default/"), sorted.
std::vector<Resource> under(std::string_view prefix);

}  // namespace cypp::resources
