// Regulation 7 and the Code of Practice: who was consulted, for how long, and what the
// Board did with what it heard.
#include <set>

#include "rules/findings.h"

namespace cypp::rules {

void check_r7(const model::Site& site, const Parameters& parameters, Findings& findings) {
    const model::Consultation& consultation = site.current_plan().consultation;
    const std::string& file = consultation.source.file;

    bool earlier_consultation = false;
    for (const model::CatalogueEntry& category : site.catalogue.consultee_categories) {
        const model::ConsulteeRecord* record = nullptr;
        for (const model::ConsulteeRecord& candidate : consultation.consultees)
            if (candidate.category == category.id) record = &candidate;
        const bool must = category.detail == "must";
        if (!record) {
            const std::string message = category.id + " (" + category.title + ") is not in the consultation record";
            const std::string hint = "add {\"category\": \"" + category.id +
                                     "\", \"status\": \"consulted\", \"bodies\": [...]} or mark it \"not-applicable\" with a \"reason\"";
            if (must) findings.fail(category.id, {file, "/consultees", 0}, message + ": the Board must consult them", hint);
            else findings.warn(category.id, {file, "/consultees", 0}, message, hint);
            continue;
        }
        if (record->status == model::ConsulteeStatus::not_applicable) {
            findings.not_applicable(category.id, record->reason);
            continue;
        }
        for (const model::ConsultedBody& body : record->bodies) {
            findings.evidence(category.id, body.name + " (" + body.method + ", " + model::format_long(body.date) + ")",
                              "consultation/index.html#who-we-consulted");
            if (body.date < parameters.regulations_in_force) earlier_consultation = true;
        }
    }
    if (earlier_consultation)
        findings.evidence("R7.2", "Consultation before " + model::format_long(parameters.regulations_in_force) + " counts",
                          "consultation/index.html#who-we-consulted");
    else
        findings.not_applicable("R7.2", "all consultation took place after the regulations came into force");

    const long days = model::days_between(consultation.start, consultation.end);
    const long weeks = days / 7;
    if (days >= parameters.written_consultation_min_weeks * 7L) {
        findings.evidence("R7.weeks", "Written consultation ran for " + std::to_string(weeks) + " weeks",
                          "consultation/index.html");
    } else if (!consultation.short_period_reason.empty()) {
        findings.evidence("R7.weeks", "Written consultation ran for " + std::to_string(weeks) +
                                          " weeks; reason recorded: " + consultation.short_period_reason,
                          "consultation/index.html");
    } else {
        findings.warn("R7.weeks", {file, "/period", 0},
                      "written consultation ran for " + std::to_string(days) + " days, less than " +
                          std::to_string(parameters.written_consultation_min_weeks) + " weeks, and no reason is recorded",
                      "record why in \"short_period_reason\"");
    }

    std::set<std::string> answered;
    for (const model::YouSaidWeDid& entry : consultation.you_said_we_did) answered.insert(entry.theme);
    std::set<std::string> reported;
    for (const model::Response& response : consultation.responses)
        for (const std::string& theme : response.themes)
            if (!answered.count(theme) && reported.insert(theme).second)
                findings.warn("R7.feedback", {file, "/you_said_we_did", 0},
                              "theme \"" + theme + "\" was raised (response " + std::to_string(response.id) +
                                  ") but has no \"you said, we did\" entry",
                              "add {\"theme\": \"" + theme + "\", \"you_said\": ..., \"we_did\": ..., \"changed\": [...]}");
    if (reported.empty())
        findings.evidence("R7.feedback", std::to_string(answered.size()) + " themes answered",
                          "consultation/index.html#you-said-we-did");
}

}  // namespace cypp::rules
