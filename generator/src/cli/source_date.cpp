#include "cli/source_date.h"

namespace cypp::cli {

std::variant<NoSourceDate, model::Date, MalformedSourceDate> parse_source_date_epoch(const char* value) {
    if (!value) return NoSourceDate{};
    std::string text = value;
    // Seconds since 1970 as decimal digits only, and before year 10000.
    if (text.empty() || text.size() > 12 || text.find_first_not_of("0123456789") != std::string::npos)
        return MalformedSourceDate{text};
    long long seconds = std::stoll(text);
    if (seconds > 253402300799LL) return MalformedSourceDate{text};
    return model::civil_from_days(static_cast<long>(seconds / 86400));
}

}  // namespace cypp::cli
