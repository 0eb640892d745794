#include "model/date.h"

#include <cstdio>

namespace cypp::model {

static bool is_leap(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

static int days_in_month(int year, int month) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

std::optional<Date> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    auto number = [&](std::size_t from, std::size_t length) {
        int value = 0;
        for (std::size_t i = from; i < from + length; ++i) {
            if (text[i] < '0' || text[i] > '9') return -1;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    Date date{number(0, 4), number(5, 2), number(8, 2)};
    if (date.year < 1 || date.month < 1 || date.month > 12 || date.day < 1 ||
        date.day > days_in_month(date.year, date.month))
        return std::nullopt;
    return date;
}

std::string format_iso(const Date& date) {
    // Every page dates itself: the digits are written here, as snprintf would write them,
    // for the dates a plan has.
    if (date.year >= 0 && date.year <= 9999 && date.month >= 0 && date.month <= 99 && date.day >= 0 && date.day <= 99) {
        const auto digit = [](int value) { return static_cast<char>('0' + value); };
        return {digit(date.year / 1000), digit(date.year / 100 % 10), digit(date.year / 10 % 10), digit(date.year % 10), '-',
                digit(date.month / 10), digit(date.month % 10), '-', digit(date.day / 10), digit(date.day % 10)};
    }
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
    return buffer;
}

std::string format_long(const Date& date) {
    static const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
    return std::to_string(date.day) + ' ' + months[date.month - 1] + ' ' + std::to_string(date.year);
}

// Plans span decades, not millennia: counting whole years keeps this obviously right.
long days_from_civil(const Date& date) {
    long days = 0;
    for (int year = 1970; year < date.year; ++year) days += is_leap(year) ? 366 : 365;
    for (int year = date.year; year < 1970; ++year) days -= is_leap(year) ? 366 : 365;
    for (int month = 1; month < date.month; ++month) days += days_in_month(date.year, month);
    return days + date.day - 1;
}

Date civil_from_days(long days) {
    Date date{1970, 1, 1};
    while (days < 0) days += is_leap(--date.year) ? 366 : 365;
    while (days >= (is_leap(date.year) ? 366 : 365)) days -= is_leap(date.year++) ? 366 : 365;
    while (days >= days_in_month(date.year, date.month)) days -= days_in_month(date.year, date.month++);
    date.day = static_cast<int>(days) + 1;
    return date;
}

Date add_days(const Date& date, long days) { return civil_from_days(days_from_civil(date) + days); }

long days_between(const Date& from, const Date& to) { return days_from_civil(to) - days_from_civil(from); }

}  // namespace cypp::model
