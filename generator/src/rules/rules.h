// rules: the regulation engine. The catalogue (ids, duties, parameters such as the
// 42-day limit) is data in content/rules.json; each regulation's checks live in their
// own file beside this header. Reads only the model; reports every unmet duty as a
// diagnostic whose code is the rule id.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "model/site.h"

namespace cypp::rules {

enum class Status { met, not_met, not_applicable, warning };
const char* status_name(Status status);  // "met", "not-met", "not-applicable", "warning"

struct Evidence {
    std::string label;
    std::string path;  // output path of the page that shows it ("plan/stay-safe/index.html#x"), may be empty
};

struct RuleResult {
    std::string id;
    std::string regulation;  // "6(a)", "guidance 8.45"
    std::string kind;        // regulation | guidance
    std::string title;
    std::string duty;        // the duty in plain words
    Status status = Status::met;
    std::vector<Evidence> evidence;
    std::vector<std::string> messages;
};

enum class DeadlineState { met, missed, due, overdue };

struct Deadline {
    std::string rule;
    std::string what;  // "Publish the 2014 plan", "Review plan year 2012-13"
    model::Date due;
    std::optional<model::Date> done;
    DeadlineState state = DeadlineState::due;
};

struct ComplianceReport {
    std::vector<RuleResult> rules;  // one per catalogue entry, in catalogue order
    std::vector<Deadline> deadlines;
    const RuleResult* find(const std::string& id) const;
};

struct RuleOptions {
    model::Date today;
    std::string display_root;  // how diagnostics name the site folder ("" or "." for the current folder)
};

ComplianceReport check_rules(const model::Site& site, const RuleOptions& options, diag::Diagnostics& diagnostics);

}  // namespace cypp::rules
