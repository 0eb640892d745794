#include "rules_helper.h"

#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "load/load_site.h"

namespace rules_test {

using namespace cypp;

model::Date date(const std::string& iso) {
    auto parsed = model::parse_date(iso);
    if (!parsed) throw std::invalid_argument("not a date: " + iso);
    return *parsed;
}

namespace {

std::string read_text(const stdfs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return std::string((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace

TempSite::TempSite(const std::string& fixture) {
    static int counter = 0;
    folder_ = stdfs::temp_directory_path() /
              ("cypp-rules-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    stdfs::remove_all(folder_);
    const stdfs::path source = stdfs::path(CYPP_FIXTURES) / fixture;
    if (!stdfs::is_directory(source)) throw std::runtime_error("no fixture " + source.string());
    stdfs::copy(source, folder_, stdfs::copy_options::recursive);
}

TempSite::~TempSite() {
    std::error_code ignored;
    stdfs::remove_all(folder_, ignored);
}

void TempSite::edit(const std::string& file, const std::string& from, const std::string& to) {
    const stdfs::path path = folder_ / file;
    std::string text = read_text(path);
    const std::size_t at = text.find(from);
    if (from.empty() || at == std::string::npos)
        throw std::runtime_error("edit of " + file + ": text not found: " + from);
    if (text.find(from, at + 1) != std::string::npos)
        throw std::runtime_error("edit of " + file + ": text occurs more than once: " + from);
    text.replace(at, from.size(), to);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

const char* severity_name(diag::Severity severity) {
    return severity == diag::Severity::error ? "error" : "warning";
}

std::vector<std::string> Checked::codes() const {
    std::vector<std::string> result;
    for (const diag::Diagnostic& d : diagnostics.all()) result.push_back(d.code + " " + severity_name(d.severity));
    return result;
}

bool Checked::has(const std::string& code) const { return first(code) != nullptr; }

const diag::Diagnostic* Checked::first(const std::string& code) const {
    for (const diag::Diagnostic& d : diagnostics.all())
        if (d.code == code) return &d;
    return nullptr;
}

rules::Status Checked::status(const std::string& id) const {
    const rules::RuleResult* rule = report.find(id);
    if (!rule) throw std::runtime_error("rule " + id + " is not in the compliance report");
    return rule->status;
}

std::string Checked::describe() const {
    std::string text;
    for (const diag::Diagnostic& d : diagnostics.all()) text += diag::format_text(d) + "\n";
    return text.empty() ? "(no diagnostics)" : text;
}

Checked check(const stdfs::path& folder, const model::Date& today, const Mutation& mutate) {
    Checked checked;
    checked.site = load::load_site(folder, {}, checked.diagnostics);
    if (!checked.site)
        throw std::runtime_error("the site in " + folder.string() + " does not load:\n" + checked.describe());
    if (mutate) mutate(*checked.site);
    checked.report = rules::check_rules(*checked.site, {today, ""}, checked.diagnostics);
    return checked;
}

Checked check_fixture(const std::string& fixture, const model::Date& today, const Mutation& mutate) {
    return check(stdfs::path(CYPP_FIXTURES) / fixture, today, mutate);
}

std::vector<std::string> catalogue_ids() {
    const nlohmann::json catalogue = nlohmann::json::parse(read_text(CYPP_RULES_JSON));
    std::vector<std::string> ids;
    for (const auto& rule : catalogue.at("rules")) ids.push_back(rule.at("id").get<std::string>());
    return ids;
}

}  // namespace rules_test
