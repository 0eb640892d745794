// render/indicator_chart: a plan indicator's progress as plain words and as an
// accessible inline SVG line chart (no scripts, no external references).
#pragma once

#include <string>

#include "model/site.h"

namespace cypp::render {

enum class IndicatorStatus { on_track, improving_short_of_target, off_track, no_data };

struct IndicatorSummary {
    IndicatorStatus status = IndicatorStatus::no_data;
    std::string status_label;  // "On track", "Improving but short of target", "Off track", "No data yet"
    std::string text;          // one or two plain-English sentences
};

// Status of the last actual up to and including plan year `year` ("2012-13"):
// on_track when it meets or beats the target for its year (the latest earlier target
// when that year has none); improving_short_of_target when it misses the target (or
// there is none) but is better than the previous actual, or the baseline;
// off_track otherwise; no_data when there is no actual up to that year.
IndicatorSummary summarise_indicator(const model::Indicator& indicator, const std::string& year);

// A value with its unit: 18.2%, 1,234, 45.1 per 10,000, 12 days. Percentages and
// rates always show one decimal place, so that 18.2% reads against 18.0%; numbers
// and days show one decimal place unless the value is integral.
std::string format_indicator_value(const model::Indicator& indicator, double value);

// An inline SVG line chart: baseline and actuals up to and including `year` (solid
// line, circle markers) against all targets (dashed line, square markers). Titled and
// described for assistive technology by ids "chart-<id>-title" and "chart-<id>-desc".
// The same input always gives byte-identical output.
std::string render_indicator_chart_svg(const model::Indicator& indicator, const std::string& year);

}  // namespace cypp::render
