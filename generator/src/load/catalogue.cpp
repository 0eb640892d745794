#include "load/catalogue.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "resources/resources.h"

namespace cypp::load {

static nlohmann::json embedded_json(const std::string& path) {
    auto text = resources::find(path);
    if (!text) throw std::runtime_error("built-in file " + path + " is missing");
    return nlohmann::json::parse(*text);
}

static std::vector<model::CatalogueEntry> entries(const nlohmann::json& list, const char* title_key,
                                                  const char* detail_key) {
    std::vector<model::CatalogueEntry> result;
    for (const auto& item : list)
        result.push_back({item.at("id").get<std::string>(), item.at(title_key).get<std::string>(),
                          detail_key ? item.at(detail_key).get<std::string>() : std::string(),
                          item.value("child_name", "")});
    return result;
}

namespace {

model::Catalogue parse_catalogue() {
    model::Catalogue catalogue;
    catalogue.outcomes = entries(embedded_json("content/outcomes.json").at("outcomes"), "name", "statutory");
    catalogue.matters = entries(embedded_json("content/matters.json").at("matters"), "title", nullptr);
    catalogue.consultee_categories =
        entries(embedded_json("content/consultee-categories.json").at("categories"), "title", "duty");
    catalogue.respondent_categories =
        entries(embedded_json("content/respondent-categories.json").at("categories"), "title", nullptr);
    return catalogue;
}

}  // namespace

model::Catalogue load_catalogue() {
    // Built into the tool, so the same for every load of a process: parsed once (cypp
    // serve loads the site on every edit).
    static const model::Catalogue parsed = parse_catalogue();
    return parsed;
}

}  // namespace cypp::load
