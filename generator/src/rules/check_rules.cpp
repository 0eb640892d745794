#include <nlohmann/json.hpp>
#include <stdexcept>

#include "resources/resources.h"
#include "rules/findings.h"

namespace cypp::rules {

const char* status_name(Status status) {
    switch (status) {
    case Status::met: return "met";
    case Status::not_met: return "not-met";
    case Status::not_applicable: return "not-applicable";
    case Status::warning: return "warning";
    }
    return "met";
}

const RuleResult* ComplianceReport::find(const std::string& id) const {
    for (const RuleResult& rule : rules)
        if (rule.id == id) return &rule;
    return nullptr;
}

Findings::Findings(ComplianceReport& report, const RuleOptions& options, diag::Diagnostics& diagnostics)
    : report_(report), options_(options), diagnostics_(diagnostics) {}

RuleResult& Findings::result(const std::string& id) {
    for (RuleResult& rule : report_.rules)
        if (rule.id == id) return rule;
    throw std::logic_error("rule " + id + " is not in content/rules.json");
}

void Findings::report(diag::Severity severity, const std::string& id, const model::SourceRef& where,
                      const std::string& message, const std::string& hint) {
    std::string file = where.file;
    if (!options_.display_root.empty() && options_.display_root != ".")
        file = options_.display_root + (options_.display_root.ends_with('/') ? "" : "/") + where.file;
    diagnostics_.report({severity, id, file, where.line, 0, where.pointer, message, hint});
    result(id).messages.push_back(message);
}

void Findings::fail(const std::string& id, const model::SourceRef& where, const std::string& message,
                    const std::string& hint) {
    report(diag::Severity::error, id, where, message, hint);
    result(id).status = Status::not_met;
}

void Findings::warn(const std::string& id, const model::SourceRef& where, const std::string& message,
                    const std::string& hint) {
    report(diag::Severity::warning, id, where, message, hint);
    RuleResult& rule = result(id);
    if (rule.status != Status::not_met) rule.status = Status::warning;
}

void Findings::not_applicable(const std::string& id, const std::string& message) {
    RuleResult& rule = result(id);
    if (rule.status == Status::met) rule.status = Status::not_applicable;
    rule.messages.push_back(message);
}

void Findings::note(const std::string& id, std::string message) { result(id).messages.push_back(std::move(message)); }

void Findings::evidence(const std::string& id, std::string label, std::string path) {
    result(id).evidence.push_back({std::move(label), std::move(path)});
}

namespace {

model::Date parameter_date(const nlohmann::json& parameters, const char* key) {
    auto date = model::parse_date(parameters.at(key).get<std::string>());
    if (!date) throw std::runtime_error(std::string("content/rules.json: bad date in ") + key);
    return *date;
}

}  // namespace

ComplianceReport check_rules(const model::Site& site, const RuleOptions& options, diag::Diagnostics& diagnostics) {
    auto text = resources::find("content/rules.json");
    if (!text) throw std::runtime_error("built-in content/rules.json is missing");
    const nlohmann::json catalogue = nlohmann::json::parse(*text);
    ComplianceReport report;
    for (const auto& rule : catalogue.at("rules"))
        report.rules.push_back({rule.at("id").get<std::string>(), rule.at("regulation").get<std::string>(),
                                rule.at("kind").get<std::string>(), rule.at("title").get<std::string>(),
                                rule.at("duty").get<std::string>(), Status::met, {}, {}});
    const nlohmann::json& values = catalogue.at("parameters");
    Parameters parameters{parameter_date(values, "first_plan_by"), values.at("next_plan_within_days").get<int>(),
                          values.at("written_consultation_min_weeks").get<int>(),
                          parameter_date(values, "regulations_in_force")};

    Findings findings(report, options, diagnostics);
    check_r3_r4(site, findings);
    check_r5(site, parameters, findings);
    check_r6(site, findings);
    check_r7(site, parameters, findings);
    check_r8(site, findings);
    return report;
}

}  // namespace cypp::rules
