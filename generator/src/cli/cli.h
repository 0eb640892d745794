// cli: the command line. Parses arguments, runs the requested stages and turns their
// diagnostics into output and an exit code: 0 success (warnings allowed), 1 content
// errors, 2 usage or environment errors.
#pragma once

#include <iosfwd>

namespace cypp::cli {

int run(int argc, char** argv, std::ostream& out, std::ostream& err);

}  // namespace cypp::cli
