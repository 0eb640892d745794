// scaffold: `cypp new` — starting points for a Board's site, a new plan period and an
// annual review, from the starter files in content/starter/ (embedded). Every gap is
// marked "TO DO", which cypp check reports (CY310) until it is written.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>

#include "diag/diagnostics.h"
#include "model/date.h"

namespace cypp::scaffold {

struct NewSite {
    std::filesystem::path folder;
    std::string board;  // "Northbrook Children's Trust Board"
    std::string area;   // "Northbrook"
    model::Date start;  // the first plan period's start
};

// Each returns false after reporting why (CY111 folder not empty, CY112 bad arguments,
// CY113 cannot write); out receives a plain summary of what was made and what is next.
bool new_site(const NewSite& request, diag::Diagnostics& diagnostics, std::ostream& out);
// A plan after the current one of the site in folder: its folder, plan.json (chapters
// carried over from the current plan), child-friendly version and a fresh consultation
// record; added to site.json. States the regulation-5 deadline.
bool new_plan(const std::filesystem::path& folder, const model::Date& start, const model::Date& end,
              diag::Diagnostics& diagnostics, std::ostream& out);
// An annual review of plan year `year` (e.g. "2012-13") of the current plan, with the
// Board membership changes since the plan's publication or last review already listed.
bool new_review(const std::filesystem::path& folder, const std::string& year, diag::Diagnostics& diagnostics,
                std::ostream& out);

}  // namespace cypp::scaffold
