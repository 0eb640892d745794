// A calendar date without time zone, as plans and regulations use them.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace cypp::model {

struct Date {
    int year = 1970;
    int month = 1;
    int day = 1;
    auto operator<=>(const Date&) const = default;
};

// "YYYY-MM-DD" that names a real day, else nullopt.
std::optional<Date> parse_date(std::string_view text);
std::string format_iso(const Date& date);          // 2011-03-25
std::string format_long(const Date& date);         // 25 March 2011
long days_from_civil(const Date& date);            // days since 1970-01-01
Date civil_from_days(long days);
long days_between(const Date& from, const Date& to);  // to - from
Date add_days(const Date& date, long days);

}  // namespace cypp::model
