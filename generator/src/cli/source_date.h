// Reproducible builds: the only date a build may print comes from SOURCE_DATE_EPOCH
// (https://reproducible-builds.org/specs/source-date-epoch/), never from the clock.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "model/date.h"

namespace cypp::cli {

struct NoSourceDate {};
struct MalformedSourceDate { std::string value; };

// value is the environment variable's value, or null when unset.
std::variant<NoSourceDate, model::Date, MalformedSourceDate> parse_source_date_epoch(const char* value);

}  // namespace cypp::cli
