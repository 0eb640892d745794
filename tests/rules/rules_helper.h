// Shared by the rules tests: a fixture copied into a fresh temporary folder, edited by
// exact string replacement, loaded and checked against the regulations.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "model/site.h"
#include "rules/rules.h"

namespace rules_test {

namespace stdfs = std::filesystem;

cypp::model::Date date(const std::string& iso);  // throws on a bad date

// A copy of tests/fixtures/<name> in its own temporary folder, removed again at the end.
class TempSite {
public:
    explicit TempSite(const std::string& fixture);
    ~TempSite();
    TempSite(const TempSite&) = delete;
    TempSite& operator=(const TempSite&) = delete;

    const stdfs::path& folder() const { return folder_; }
    // Replaces the one occurrence of `from` in `file` (site-relative) by `to`. Throws,
    // so that the test fails loudly, if `from` is absent or occurs more than once.
    void edit(const std::string& file, const std::string& from, const std::string& to);

private:
    stdfs::path folder_;
};

struct Checked {
    std::optional<cypp::model::Site> site;
    cypp::diag::Diagnostics diagnostics;  // from loading and from check_rules
    cypp::rules::ComplianceReport report;

    std::vector<std::string> codes() const;  // "R6.a error", in order
    bool has(const std::string& code) const;
    const cypp::diag::Diagnostic* first(const std::string& code) const;
    cypp::rules::Status status(const std::string& id) const;  // throws if the id is not in the report
    std::string describe() const;  // every diagnostic, for INFO
};

using Mutation = std::function<void(cypp::model::Site&)>;

// Loads the folder (which must load) and runs check_rules with display_root "".
// `mutate`, if given, edits the model between loading and checking.
Checked check(const stdfs::path& folder, const cypp::model::Date& today, const Mutation& mutate = {});
Checked check_fixture(const std::string& fixture, const cypp::model::Date& today, const Mutation& mutate = {});

// Every rule id in content/rules.json (read from the source tree at test time).
std::vector<std::string> catalogue_ids();

const char* severity_name(cypp::diag::Severity severity);

}  // namespace rules_test
