#include "render/indicator_chart.h"

#include "html/escape.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <set>
#include <vector>

namespace cypp::render {
namespace {

using model::Better;
using model::Indicator;
using model::IndicatorValue;

// to_chars rather than printf/streams: no locale, so output is byte-identical everywhere.
std::string fixed(double value, int decimals) {
    const double scale = std::pow(10.0, decimals);
    double rounded = std::round(value * scale) / scale;
    if (rounded == 0) rounded = 0;  // never print "-0.0"
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, rounded, std::chars_format::fixed, decimals);
    return std::string(buffer, result.ptr);
}

std::string with_thousands(const std::string& number) {
    const std::size_t start = number.starts_with('-') ? 1 : 0;
    const std::size_t point = std::min(number.find('.'), number.size());
    std::string out = number.substr(0, start);
    for (std::size_t i = start; i < point; ++i) {
        if (i > start && (point - i) % 3 == 0) out += ',';
        out += number[i];
    }
    return out + number.substr(point);
}

bool meets(Better better, double value, double target) {
    return better == Better::higher ? value >= target : value <= target;
}

bool improves_on(Better better, double value, double previous) {
    return better == Better::higher ? value > previous : value < previous;
}

// Plan years ("2011-12") sort correctly as text.
std::vector<IndicatorValue> actuals_up_to(const Indicator& indicator, const std::string& year) {
    std::vector<IndicatorValue> shown;
    for (const auto& actual : indicator.actuals)
        if (actual.year <= year) shown.push_back(actual);
    return shown;
}

std::vector<IndicatorValue> baseline_and_actuals(const Indicator& indicator, const std::string& year) {
    std::vector<IndicatorValue> points;
    if (!indicator.baseline.year.empty()) points.push_back(indicator.baseline);
    for (const auto& actual : actuals_up_to(indicator, year)) points.push_back(actual);
    return points;
}

// The target for `year`, or the latest earlier one when that year has none.
const IndicatorValue* target_for(const Indicator& indicator, const std::string& year) {
    const IndicatorValue* found = nullptr;
    for (const auto& target : indicator.targets)
        if (target.year <= year) found = &target;
    return found;
}

// Plan years sit on the x axis by their first calendar year, so a gap (baseline
// 2009-10, then 2011-12) shows as one; labels that are not plan years are evenly spaced.
std::vector<double> year_positions(const std::vector<std::string>& years) {
    std::vector<double> positions;
    for (const auto& label : years) {
        int first_year = 0;
        const auto [end, error] = std::from_chars(label.data(), label.data() + label.size(), first_year);
        if (error != std::errc() || end - label.data() != 4 || (!positions.empty() && first_year <= positions.back())) {
            positions.clear();
            for (std::size_t i = 0; i < years.size(); ++i) positions.push_back(static_cast<double>(i));
            return positions;
        }
        positions.push_back(first_year);
    }
    return positions;
}

std::string axis_title(const std::string& unit) {
    if (unit == "percent") return "Per cent (%)";
    if (unit == "number") return "Number";
    if (unit == "rate-per-10000") return "Rate per 10,000";
    if (unit == "days") return "Days";
    return unit;
}

struct Axis {
    double min = 0;
    double max = 1;
    double step = 1;
};

// Steps of 1, 2, 2.5 or 5 x 10^k giving 3 to 5 intervals, that is 4 to 6 gridlines.
Axis value_axis(const std::string& unit, double low, double high) {
    if (high - low < 1e-9) {  // flat data still needs a visible range
        const double pad = std::max(1.0, std::abs(low) * 0.1);
        low = low >= 0 ? std::max(0.0, low - pad) : low - pad;
        high += pad;
    }
    // Start at zero when it is near the data, or for small percentages where the
    // reader expects to see the whole scale from nothing.
    if (low >= 0 && (low <= high - low || (unit == "percent" && high <= 25))) low = 0;
    for (int k = static_cast<int>(std::floor(std::log10(high - low))) - 2;; ++k) {
        for (double multiple : {1.0, 2.0, 2.5, 5.0}) {
            const double step = multiple * std::pow(10.0, k);
            double min = std::floor(low / step + 1e-9) * step;
            if (low != 0 && min > low - 1e-9 * step) min -= step;  // keep the lowest point off the axis
            double max = std::ceil(high / step - 1e-9) * step;
            long intervals = std::lround((max - min) / step);
            if (intervals > 5) continue;
            for (; intervals < 3; ++intervals) max += step;
            return {min, max, step};
        }
    }
}

int decimals_for(double step) {
    int decimals = 0;
    while (decimals < 3 && std::abs(step * std::pow(10.0, decimals) - std::round(step * std::pow(10.0, decimals))) > 1e-6)
        ++decimals;
    return decimals;
}

// Drawing area inside viewBox 0 0 640 360.
constexpr double kLeft = 80, kRight = 620, kTop = 56, kBottom = 300, kEndPad = 24;
const std::string kActualColour = "#1d4f91";  // 8.6:1 on white
const std::string kTargetColour = "#0b0c0c";  // 19:1 on white
const std::string kGridColour = "#6f777b";    // 4.6:1 on white

std::string point(double x, double y) { return fixed(x, 1) + "," + fixed(y, 1); }

std::string circle(double x, double y) {
    return "<circle cx=\"" + fixed(x, 1) + "\" cy=\"" + fixed(y, 1) + "\" r=\"5\" fill=\"" + kActualColour + "\"/>\n";
}

std::string square(double x, double y) {
    return "<rect x=\"" + fixed(x - 4.5, 1) + "\" y=\"" + fixed(y - 4.5, 1) +
           "\" width=\"9\" height=\"9\" fill=\"#ffffff\" stroke=\"" + kTargetColour + "\" stroke-width=\"2\"/>\n";
}

std::string line(const std::string& points, const std::string& colour, const std::string& extra) {
    return "<polyline points=\"" + points + "\" fill=\"none\" stroke=\"" + colour + "\"" + extra + "/>\n";
}

std::string text(double x, double y, const std::string& anchor, const std::string& content,
                 const std::string& extra = "") {
    return "<text x=\"" + fixed(x, 1) + "\" y=\"" + fixed(y, 1) + "\" text-anchor=\"" + anchor + "\"" + extra + ">" +
           html::escape(content) + "</text>\n";
}

const std::string kActualStroke = " stroke-width=\"3\"";
const std::string kTargetStroke = " stroke-width=\"2\" stroke-dasharray=\"6 4\"";

}  // namespace

std::string format_indicator_value(const Indicator& indicator, double value) {
    const bool always_decimal = indicator.unit == "percent" || indicator.unit == "rate-per-10000";
    const bool integral = std::fmod(std::round(value * 10), 10.0) == 0;
    const std::string number = with_thousands(fixed(value, always_decimal || !integral ? 1 : 0));
    if (indicator.unit == "percent") return number + "%";
    if (indicator.unit == "rate-per-10000") return number + " per 10,000";
    if (indicator.unit == "days") return number + (number == "1" ? " day" : " days");
    return number;
}

IndicatorSummary summarise_indicator(const Indicator& indicator, const std::string& year) {
    const bool has_baseline = !indicator.baseline.year.empty();
    const std::string baseline =
        has_baseline ? " Baseline " + indicator.baseline.year + ": " +
                           format_indicator_value(indicator, indicator.baseline.value) + "."
                     : "";
    const auto shown = actuals_up_to(indicator, year);
    if (shown.empty())
        return {IndicatorStatus::no_data, "No data yet", "There is no result yet for " + year + " or earlier." + baseline};

    const IndicatorValue& last = shown.back();
    std::optional<double> previous;
    if (shown.size() > 1) previous = shown[shown.size() - 2].value;
    else if (has_baseline) previous = indicator.baseline.value;
    const IndicatorValue* target = target_for(indicator, last.year);

    const std::string direction = indicator.better == Better::higher ? "higher is better" : "lower is better";
    std::string text = "In " + last.year + " it was " + format_indicator_value(indicator, last.value);
    if (!target) text += ", with no target set (" + direction + ").";
    else if (target->year == last.year)
        text += ", against a target of " + format_indicator_value(indicator, target->value) + " (" + direction + ").";
    else
        text += ", against the " + target->year + " target of " + format_indicator_value(indicator, target->value) +
                " (" + direction + ").";
    text += baseline;

    if (target && meets(indicator.better, last.value, target->value))
        return {IndicatorStatus::on_track, "On track", text};
    if (previous && improves_on(indicator.better, last.value, *previous))
        return {IndicatorStatus::improving_short_of_target, "Improving but short of target", text};
    return {IndicatorStatus::off_track, "Off track", text};
}

std::string render_indicator_chart_svg(const Indicator& indicator, const std::string& year) {
    const std::vector<IndicatorValue> actual_series = baseline_and_actuals(indicator, year);

    std::set<std::string> year_set;
    std::vector<double> values;
    for (const auto* series : {&actual_series, &indicator.targets})
        for (const auto& value : *series) {
            year_set.insert(value.year);
            values.push_back(value.value);
        }
    const std::vector<std::string> years(year_set.begin(), year_set.end());
    const auto [low, high] = values.empty() ? std::pair{0.0, 0.0}
                                            : std::pair{*std::ranges::min_element(values), *std::ranges::max_element(values)};
    const Axis axis = value_axis(indicator.unit, low, high);

    const std::vector<double> positions = year_positions(years);
    auto x_of = [&](const std::string& label) {
        if (years.size() < 2) return (kLeft + kRight) / 2;
        const double position = positions[std::ranges::find(years, label) - years.begin()];
        return kLeft + kEndPad + (position - positions.front()) * (kRight - kLeft - 2 * kEndPad) /
                                     (positions.back() - positions.front());
    };
    auto y_of = [&](double value) { return kBottom - (value - axis.min) / (axis.max - axis.min) * (kBottom - kTop); };

    const std::string id = "chart-" + indicator.id;
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 360\" width=\"100%\" role=\"img\" "
                      "aria-labelledby=\"" + html::escape(id) + "-title " + html::escape(id) + "-desc\" "
                      "font-family=\"Arial, Helvetica, sans-serif\" font-size=\"14\" fill=\"#0b0c0c\">\n";
    svg += "<title id=\"" + html::escape(id) + "-title\">" + html::escape(indicator.name) + "</title>\n";
    svg += "<desc id=\"" + html::escape(id) + "-desc\">" + html::escape(summarise_indicator(indicator, year).text) + "</desc>\n";

    // Legend: line style and marker shape tell the series apart, not colour alone.
    svg += line(point(kLeft, 24) + " " + point(kLeft + 36, 24), kActualColour, kActualStroke) + circle(kLeft + 18, 24);
    svg += text(kLeft + 44, 29, "start", "Actual");
    svg += line(point(kLeft + 130, 24) + " " + point(kLeft + 166, 24), kTargetColour, kTargetStroke) +
           square(kLeft + 148, 24);
    svg += text(kLeft + 174, 29, "start", "Target");

    const int decimals = decimals_for(axis.step);
    for (long i = 0; i <= std::lround((axis.max - axis.min) / axis.step); ++i) {
        const double value = axis.min + static_cast<double>(i) * axis.step;
        svg += line(point(kLeft, y_of(value)) + " " + point(kRight, y_of(value)), kGridColour, " stroke-width=\"1\"");
        svg += text(kLeft - 8, y_of(value) + 5, "end", with_thousands(fixed(value, decimals)));
    }
    svg += line(point(kLeft, kTop) + " " + point(kLeft, kBottom) + " " + point(kRight, kBottom), "#0b0c0c",
                " stroke-width=\"1\"");
    for (const auto& label : years) svg += text(x_of(label), kBottom + 20, "middle", label);
    svg += text((kLeft + kRight) / 2, 348, "middle", "Plan year");
    svg += text(-(kTop + kBottom) / 2, 22, "middle", axis_title(indicator.unit), " transform=\"rotate(-90)\"");

    for (const auto* series : {&indicator.targets, &actual_series}) {
        const bool actual = series == &actual_series;
        std::string points;
        for (const auto& value : *series)
            points += (points.empty() ? "" : " ") + point(x_of(value.year), y_of(value.value));
        if (series->size() > 1)
            svg += line(points, actual ? kActualColour : kTargetColour, actual ? kActualStroke : kTargetStroke);
        for (const auto& value : *series)
            svg += actual ? circle(x_of(value.year), y_of(value.value)) : square(x_of(value.year), y_of(value.value));
    }
    return svg + "</svg>\n";
}

}  // namespace cypp::render
