// `cypp validate SCHEMA DATA`: the project's draft-07 validator on any two files.
#pragma once

#include <iosfwd>
#include <string>

namespace cypp::cli {

struct ValidateArguments {
    std::string schema;
    std::string data;
};

// 0 valid, 1 invalid (each error with its line, column and JSON pointer), 2 unusable input.
int run_validate(const ValidateArguments& arguments, std::ostream& out, std::ostream& err);

}  // namespace cypp::cli
