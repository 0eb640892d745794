#include "load/json_file_cache.h"

namespace cypp::load {

namespace {

std::string key_of(const std::string& name, const std::string& schema_name) {
    return name + '\0' + schema_name;  // no path holds a NUL
}

}  // namespace

const ReadJsonFile* JsonFileCache::find(const std::string& name, const std::string& schema_name,
                                        std::string_view text) const {
    const auto found = kept_.find(key_of(name, schema_name));
    if (found == kept_.end() || found->second.text != text) return nullptr;
    return &found->second.read;
}

void JsonFileCache::keep(const std::string& name, const std::string& schema_name, std::string text, ReadJsonFile read) {
    kept_.insert_or_assign(key_of(name, schema_name), Kept{std::move(text), std::move(read)});
}

}  // namespace cypp::load
