#include "model/site.h"

namespace cypp::model {

const CatalogueEntry* Catalogue::find(const std::vector<CatalogueEntry>& list, const std::string& id) const {
    for (const CatalogueEntry& entry : list)
        if (entry.id == id) return &entry;
    return nullptr;
}

}  // namespace cypp::model

namespace cypp::model {

std::optional<std::string> public_label(const Response& response) {
    switch (response.consent) {
    case Consent::publish_with_name:
        if (response.name.empty() && response.organisation.empty()) break;
        if (response.name.empty()) return response.organisation;
        return response.organisation.empty() ? response.name : response.name + ", " + response.organisation;
    case Consent::publish_anonymously:
        break;
    case Consent::do_not_publish:
        return std::nullopt;
    }
    return "Respondent " + std::to_string(response.id);
}

}  // namespace cypp::model
