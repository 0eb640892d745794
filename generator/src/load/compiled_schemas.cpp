#include "load/compiled_schemas.h"

#include "json/json_document.h"
#include "resources/resources.h"

namespace cypp::load {

std::optional<schema::Schema> CompiledSchemas::find(const std::string& name) {
    std::lock_guard lock(mutex_);
    auto found = schemas_.find(name);
    if (found != schemas_.end()) return found->second;
    std::optional<schema::Schema> compiled;
    if (auto text = resources::find("schemas/" + name)) {
        auto parsed = json::parse_json(std::string(*text));
        if (auto* document = std::get_if<json::JsonDocument>(&parsed))
            compiled = schema::compile_schema(document->value).schema;
    }
    return schemas_[name] = std::move(compiled);
}

}  // namespace cypp::load
