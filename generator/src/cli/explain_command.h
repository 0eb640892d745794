// `cypp explain CODE`: what a diagnostic code or rule id means and what to do about it,
// from the catalogues shipped in content/ (rules.json, diagnostics.json).
#pragma once

#include <iosfwd>
#include <string>

namespace cypp::cli {

// 0 when the code is known, 2 when it is not.
int run_explain(const std::string& code, std::ostream& out, std::ostream& err);

}  // namespace cypp::cli
