#include "scaffold/scaffold.h"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "load/load_site.h"
#include "resources/resources.h"

namespace cypp::scaffold {

namespace stdfs = std::filesystem;
using Tokens = std::map<std::string, std::string>;

namespace {

std::string fill(std::string text, const Tokens& tokens) {
    for (const auto& [name, value] : tokens) {
        const std::string token = "{{" + name + "}}";
        for (std::size_t at = text.find(token); at != std::string::npos; at = text.find(token, at + value.size()))
            text.replace(at, token.size(), value);
    }
    return text;
}

bool write(const stdfs::path& path, const std::string& content, diag::Diagnostics& diagnostics) {
    std::error_code ec;
    stdfs::create_directories(path.parent_path(), ec);
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << content;
    file.close();
    if (!ec && file) return true;
    diagnostics.error("CY113", path.string(), 0, 0, "cannot write the file", "check the folder's permissions");
    return false;
}

// Copies content/starter/<from>... to folder, renaming path prefixes as given.
bool write_starter(const std::string& from, const stdfs::path& folder, const Tokens& tokens,
                   const std::vector<std::pair<std::string, std::string>>& renames, diag::Diagnostics& diagnostics) {
    const std::string prefix = "content/starter/" + from;
    for (const auto& resource : resources::under(prefix)) {
        std::string relative(resource.path.substr(prefix.size()));
        for (const auto& [old_prefix, new_prefix] : renames)
            if (relative.starts_with(old_prefix)) relative = new_prefix + relative.substr(old_prefix.size());
        if (!write(folder / relative, fill(std::string(resource.data), tokens), diagnostics)) return false;
    }
    return true;
}

// JSON files a person edits keep their keys in order when cypp adds to them.
std::optional<nlohmann::ordered_json> read_json(const stdfs::path& path, diag::Diagnostics& diagnostics) {
    std::ifstream file(path);
    auto value = nlohmann::ordered_json::parse(file, nullptr, false);
    if (value.is_discarded() || !value.is_object()) {
        diagnostics.error("CY201", path.string(), 0, 0, "cannot read this JSON file", "run cypp check to see what is wrong");
        return std::nullopt;
    }
    return value;
}

std::optional<model::Site> load_valid_site(const stdfs::path& folder, diag::Diagnostics& diagnostics) {
    diag::Diagnostics load_diagnostics;
    auto site = load::load_site(folder, {}, load_diagnostics);
    if (site && !load_diagnostics.has_errors()) return site;
    for (const auto& diagnostic : load_diagnostics.all()) diagnostics.report(diagnostic);
    diagnostics.error("CY112", folder.string(), 0, 0, "the site has errors, so cypp cannot add to it",
                      "fix the errors above (cypp check) and try again");
    return std::nullopt;
}

std::string year_id(const model::Date& start, const model::Date& end) {
    return std::to_string(start.year) + "-" + std::to_string(end.year);
}

}  // namespace

bool new_site(const NewSite& request, diag::Diagnostics& diagnostics, std::ostream& out) {
    std::error_code ec;
    if (stdfs::exists(request.folder, ec) && !stdfs::is_empty(request.folder, ec)) {
        diagnostics.error("CY111", request.folder.string(), 0, 0, "the folder is not empty",
                          "give a new folder, or an empty one, for the Board's site");
        return false;
    }
    const model::Date end = model::add_days({request.start.year + 3, request.start.month, request.start.day}, -1);
    const std::string plan_id = year_id(request.start, end);
    const Tokens tokens{{"board", request.board},
                        {"area", request.area},
                        {"established", model::format_iso(request.start)},
                        {"plan_id", plan_id},
                        {"start", model::format_iso(request.start)},
                        {"end", model::format_iso(end)},
                        {"start_year", std::to_string(request.start.year)},
                        {"end_year", std::to_string(end.year)},
                        {"published", model::format_iso(model::add_days(request.start, -7))},
                        {"consultation_start", model::format_iso(model::add_days(request.start, -182))},
                        {"consultation_end", model::format_iso(model::add_days(request.start, -84))}};
    if (!write_starter("site/", request.folder, tokens,
                       {{"plans/plan/", "plans/" + plan_id + "/"}, {"ci/github-actions.yml", ".github/workflows/cypp.yml"}},
                       diagnostics))
        return false;
    // The schemas travel with the site, so editors can offer completion offline.
    for (const auto& resource : resources::under("schemas/"))
        if (!write(request.folder / std::string(resource.path), std::string(resource.data), diagnostics)) return false;
    out << "Created the site of the " << request.board << " in " << request.folder.string() << ", with the plan "
        << plan_id << ".\n"
        << "Next: cypp check " << request.folder.string() << " lists what is still to write (every \"TO DO\").\n";
    return true;
}

bool new_plan(const stdfs::path& folder, const model::Date& start, const model::Date& end, diag::Diagnostics& diagnostics,
              std::ostream& out) {
    if (end < start) {
        diagnostics.error("CY112", "cypp new plan", 0, 0, "the plan ends before it starts", "give START then END");
        return false;
    }
    auto site = load_valid_site(folder, diagnostics);
    if (!site) return false;
    const model::Plan& current = site->current_plan();
    const std::string id = year_id(start, end);
    const stdfs::path plan_folder = folder / "plans" / id;
    if (stdfs::exists(plan_folder)) {
        diagnostics.error("CY111", plan_folder.string(), 0, 0, "a plan folder with this name exists already");
        return false;
    }
    if (start <= current.end) {
        diagnostics.error("CY112", "cypp new plan", 0, 0,
                          "the new plan starts on " + model::format_long(start) + ", before the current plan ends (" +
                              model::format_long(current.end) + ")");
        return false;
    }
    const model::Date due = model::add_days(current.end, 42);
    const stdfs::path current_folder = folder / "plans" / current.id;

    auto plan = read_json(current_folder / "plan.json", diagnostics);
    if (!plan) return false;
    (*plan)["title"] = site->area + " Children and Young People's Plan " + std::to_string(start.year) + "–" +
                       std::to_string(end.year);
    (*plan)["period"] = {{"start", model::format_iso(start)}, {"end", model::format_iso(end)}};
    (*plan)["published"] = model::format_iso(due);
    (*plan)["summary"] = "TO DO: one or two sentences for the home page about the new plan.";
    plan->erase("reviews");
    std::error_code ec;
    stdfs::create_directories(plan_folder, ec);
    // Chapters and the child-friendly version carry over as the starting text: most of
    // a new plan revises the last one. The consultation is a new one.
    for (const char* sub : {"chapters", "child"})
        if (stdfs::is_directory(current_folder / sub))
            stdfs::copy(current_folder / sub, plan_folder / sub, stdfs::copy_options::recursive, ec);
    if (ec || !write(plan_folder / "plan.json", plan->dump(2) + "\n", diagnostics)) {
        diagnostics.error("CY113", plan_folder.string(), 0, 0, "cannot create the plan's files");
        return false;
    }
    stdfs::copy_file(current_folder / "child.json", plan_folder / "child.json", ec);
    const Tokens tokens{{"consultation_start", model::format_iso(model::add_days(current.end, -182))},
                        {"consultation_end", model::format_iso(model::add_days(current.end, -84))}};
    if (!write(plan_folder / "consultation.json",
               fill(std::string(*resources::find("content/starter/site/plans/plan/consultation.json")), tokens), diagnostics))
        return false;
    auto site_json = read_json(folder / "site.json", diagnostics);
    if (!site_json) return false;
    (*site_json)["plans"].push_back(id);
    if (!write(folder / "site.json", site_json->dump(2) + "\n", diagnostics)) return false;
    out << "Created plans/" << id << " (" << model::format_long(start) << " to " << model::format_long(end)
        << ") from the chapters of " << current.title << ".\n"
        << "Regulation 5(2): it must be published by " << model::format_long(due)
        << ", 6 weeks after the current plan ends. Its consultation record is new: fill in consultation.json.\n";
    return true;
}

bool new_review(const stdfs::path& folder, const std::string& year, diag::Diagnostics& diagnostics, std::ostream& out) {
    auto site = load_valid_site(folder, diagnostics);
    if (!site) return false;
    const model::Plan& plan = site->current_plan();
    std::optional<std::pair<model::Date, model::Date>> covers;
    std::string labels;
    for (const model::PlanYear& plan_year : model::plan_years(plan)) {
        labels += (labels.empty() ? "" : ", ") + plan_year.label;
        if (plan_year.label == year) covers = std::make_pair(plan_year.start, plan_year.end);
    }
    if (!covers) {
        diagnostics.error("CY112", "cypp new review", 0, 0,
                          "\"" + year + "\" is not a year of " + plan.title + " (its years: " + labels + ")");
        return false;
    }
    const stdfs::path review_folder = folder / "plans" / plan.id / "reviews" / year;
    if (stdfs::exists(review_folder)) {
        diagnostics.error("CY111", review_folder.string(), 0, 0, "this review exists already");
        return false;
    }
    model::Date since = plan.published;
    for (const model::Review& review : plan.reviews) since = std::max(since, review.published);
    nlohmann::ordered_json changes = nlohmann::ordered_json::array();
    for (const model::MembershipChange& change : model::membership_changes(*site, since, {9999, 12, 31}))
        changes.push_back({{"partner", change.partner_id},
                           {"change", change.change},
                           {"taken_into_account", "TO DO: how the review took account of " + change.partner_name + " having " +
                                                      change.change + " the Board on " + model::format_long(change.date) + "."}});
    const Tokens tokens{{"year", year},
                        {"start", model::format_iso(covers->first)},
                        {"end", model::format_iso(covers->second)},
                        {"published", model::format_iso(covers->second)},
                        {"membership_changes", changes.dump(4)}};
    if (!write(review_folder / "review.json", fill(std::string(*resources::find("content/starter/review/review.json")), tokens),
               diagnostics) ||
        !write(review_folder / "review.md", std::string(*resources::find("content/starter/review/review.md")), diagnostics))
        return false;
    const stdfs::path plan_file = folder / "plans" / plan.id / "plan.json";
    auto plan_json = read_json(plan_file, diagnostics);
    if (!plan_json) return false;
    (*plan_json)["reviews"].push_back(year);
    if (!write(plan_file, plan_json->dump(2) + "\n", diagnostics)) return false;
    out << "Created plans/" << plan.id << "/reviews/" << year << " (covering " << model::format_long(covers->first) << " to "
        << model::format_long(covers->second) << ") with " << changes.size()
        << " change(s) in Board membership since " << model::format_long(since) << " to account for.\n";
    return true;
}

}  // namespace cypp::scaffold
