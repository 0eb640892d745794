#include "resources/resources.h"

namespace cypp::resources {

std::optional<std::string_view> find(std::string_view path) {
    for (const Resource& resource : all())
        if (resource.path == path) return resource.data;
    return std::nullopt;
}

std::vector<Resource> under(std::string_view prefix) {
    std::vector<Resource> found;
    for (const Resource& resource : all())
        if (resource.path.starts_with(prefix)) found.push_back(resource);
    return found;
}

}  // namespace cypp::resources
