// Internal to rules: what the per-regulation checks write into while they run.
#pragma once

#include <map>
#include <string>

#include "rules/rules.h"

namespace cypp::rules {

struct Parameters {
    model::Date first_plan_by;
    int next_plan_within_days = 42;
    int written_consultation_min_weeks = 12;
    model::Date regulations_in_force;
};

class Findings {
public:
    Findings(ComplianceReport& report, const RuleOptions& options, diag::Diagnostics& diagnostics);

    // The rule is not met: an error with the rule id as its code.
    void fail(const std::string& id, const model::SourceRef& where, const std::string& message, const std::string& hint);
    // Guidance not followed: a warning with the rule id as its code.
    void warn(const std::string& id, const model::SourceRef& where, const std::string& message, const std::string& hint);
    void not_applicable(const std::string& id, const std::string& message);
    // What the reader should know about a rule whose status it does not change.
    void note(const std::string& id, std::string message);
    void evidence(const std::string& id, std::string label, std::string path = {});
    void deadline(Deadline deadline) { report_.deadlines.push_back(std::move(deadline)); }
    const model::Date& today() const { return options_.today; }

private:
    RuleResult& result(const std::string& id);
    void report(diag::Severity severity, const std::string& id, const model::SourceRef& where, const std::string& message,
                const std::string& hint);

    ComplianceReport& report_;
    const RuleOptions& options_;
    diag::Diagnostics& diagnostics_;
};

// One function per regulation, each in its own file.
void check_r3_r4(const model::Site& site, Findings& findings);
void check_r5(const model::Site& site, const Parameters& parameters, Findings& findings);
void check_r6(const model::Site& site, Findings& findings);
void check_r7(const model::Site& site, const Parameters& parameters, Findings& findings);
void check_r8(const model::Site& site, Findings& findings);


}  // namespace cypp::rules
