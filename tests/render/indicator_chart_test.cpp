#include <catch2/catch.hpp>

#include <string>

#include "render/indicator_chart.h"

using namespace cypp;
using render::IndicatorStatus;

namespace {

// Lower is better: 19.6% at baseline, targets 18.5 / 18.0 / 17.5.
model::Indicator obesity() {
    model::Indicator indicator;
    indicator.id = "obesity";
    indicator.name = "Obesity in Year 6";
    indicator.unit = "percent";
    indicator.outcome = "O1";
    indicator.better = model::Better::lower;
    indicator.baseline = {"2009-10", 19.6};
    indicator.targets = {{"2011-12", 18.5}, {"2012-13", 18.0}, {"2013-14", 17.5}};
    indicator.actuals = {{"2011-12", 18.4}, {"2012-13", 18.2}, {"2013-14", 18.9}};
    return indicator;
}

// Higher is better: 60% at baseline, target 70% each year.
model::Indicator attainment() {
    model::Indicator indicator;
    indicator.id = "gcse";
    indicator.name = "Pupils achieving 5 A*-C";
    indicator.unit = "percent";
    indicator.better = model::Better::higher;
    indicator.baseline = {"2009-10", 60.0};
    indicator.targets = {{"2011-12", 70.0}, {"2012-13", 70.0}};
    indicator.actuals = {{"2011-12", 72.0}, {"2012-13", 68.5}};
    return indicator;
}

model::Indicator with_unit(const std::string& unit) {
    model::Indicator indicator;
    indicator.unit = unit;
    return indicator;
}

std::size_t count(const std::string& haystack, const std::string& needle) {
    std::size_t found = 0;
    for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size()))
        ++found;
    return found;
}

}  // namespace

TEST_CASE("lower-is-better indicator that meets its target is on track", "[chart]") {
    auto summary = render::summarise_indicator(obesity(), "2011-12");
    CHECK(summary.status == IndicatorStatus::on_track);
    CHECK(summary.status_label == "On track");
    CHECK(summary.text == "In 2011-12 it was 18.4%, against a target of 18.5% (lower is better). Baseline 2009-10: 19.6%.");
}

TEST_CASE("lower-is-better indicator that misses but improves is improving", "[chart]") {
    auto summary = render::summarise_indicator(obesity(), "2012-13");
    CHECK(summary.status == IndicatorStatus::improving_short_of_target);
    CHECK(summary.status_label == "Improving but short of target");
    CHECK(summary.text == "In 2012-13 it was 18.2%, against a target of 18.0% (lower is better). Baseline 2009-10: 19.6%.");
}

TEST_CASE("lower-is-better indicator that misses and worsens is off track", "[chart]") {
    auto summary = render::summarise_indicator(obesity(), "2014-15");  // last actual up to then is 2013-14
    CHECK(summary.status == IndicatorStatus::off_track);
    CHECK(summary.status_label == "Off track");
    CHECK(summary.text == "In 2013-14 it was 18.9%, against a target of 17.5% (lower is better). Baseline 2009-10: 19.6%.");
}

TEST_CASE("indicator without an actual up to the year has no data", "[chart]") {
    auto summary = render::summarise_indicator(obesity(), "2010-11");
    CHECK(summary.status == IndicatorStatus::no_data);
    CHECK(summary.status_label == "No data yet");
    CHECK(summary.text == "There is no result yet for 2010-11 or earlier. Baseline 2009-10: 19.6%.");
}

TEST_CASE("higher-is-better statuses compare in the other direction", "[chart]") {
    CHECK(render::summarise_indicator(attainment(), "2011-12").status == IndicatorStatus::on_track);
    CHECK(render::summarise_indicator(attainment(), "2012-13").status == IndicatorStatus::off_track);

    auto improving = attainment();
    improving.actuals = {{"2011-12", 65.0}};  // short of 70 but better than the 60 baseline
    auto summary = render::summarise_indicator(improving, "2011-12");
    CHECK(summary.status == IndicatorStatus::improving_short_of_target);
    CHECK(summary.text == "In 2011-12 it was 65.0%, against a target of 70.0% (higher is better). Baseline 2009-10: 60.0%.");
}

TEST_CASE("a year without its own target is judged against the latest earlier one", "[chart]") {
    auto indicator = attainment();
    indicator.actuals.push_back({"2013-14", 71.0});
    auto summary = render::summarise_indicator(indicator, "2013-14");
    CHECK(summary.status == IndicatorStatus::on_track);
    CHECK(summary.text == "In 2013-14 it was 71.0%, against the 2012-13 target of 70.0% (higher is better). Baseline 2009-10: 60.0%.");
}

TEST_CASE("values are formatted with their unit", "[chart]") {
    CHECK(render::format_indicator_value(with_unit("percent"), 18.2) == "18.2%");
    CHECK(render::format_indicator_value(with_unit("percent"), 18.0) == "18.0%");
    CHECK(render::format_indicator_value(with_unit("number"), 1234) == "1,234");
    CHECK(render::format_indicator_value(with_unit("number"), 1234567.25) == "1,234,567.3");
    CHECK(render::format_indicator_value(with_unit("number"), -1500) == "-1,500");
    CHECK(render::format_indicator_value(with_unit("number"), 999.96) == "1,000");
    CHECK(render::format_indicator_value(with_unit("rate-per-10000"), 45.1) == "45.1 per 10,000");
    CHECK(render::format_indicator_value(with_unit("days"), 12) == "12 days");
    CHECK(render::format_indicator_value(with_unit("days"), 12.5) == "12.5 days");
    CHECK(render::format_indicator_value(with_unit("days"), 1) == "1 day");
}

TEST_CASE("chart is an accessible, labelled image", "[chart]") {
    auto indicator = obesity();
    indicator.name = "Obesity & weight <Year 6> \"measured\"";
    const std::string svg = render::render_indicator_chart_svg(indicator, "2012-13");
    CHECK(svg.starts_with("<svg "));
    CHECK(svg.find("role=\"img\"") != std::string::npos);
    CHECK(svg.find("aria-labelledby=\"chart-obesity-title chart-obesity-desc\"") != std::string::npos);
    CHECK(svg.find("<title id=\"chart-obesity-title\">Obesity &amp; weight &lt;Year 6&gt; &quot;measured&quot;</title>") !=
          std::string::npos);
    CHECK(svg.find("<desc id=\"chart-obesity-desc\">In 2012-13 it was 18.2%") != std::string::npos);
    CHECK(svg.find("viewBox=\"0 0 640 360\"") != std::string::npos);
    CHECK(svg.find("width=\"100%\"") != std::string::npos);
    CHECK(svg.find(">Actual</text>") != std::string::npos);
    CHECK(svg.find(">Target</text>") != std::string::npos);
    CHECK(svg.find("stroke-dasharray") != std::string::npos);
    CHECK(svg.find(">Per cent (%)</text>") != std::string::npos);
    CHECK(svg.find("<script") == std::string::npos);
    CHECK(svg.find("href") == std::string::npos);
    CHECK(svg.find("Obesity & ") == std::string::npos);
}

TEST_CASE("chart shows actuals only up to the year and every target", "[chart]") {
    const auto indicator = obesity();
    // Baseline plus the 2011-12 and 2012-13 actuals; 2013-14 is after the year. One more
    // circle and one more square are the legend's.
    const std::string svg = render::render_indicator_chart_svg(indicator, "2012-13");
    CHECK(count(svg, "<circle ") == 3 + 1);
    CHECK(count(svg, "<rect ") == 3 + 1);
    CHECK(count(svg, ">2013-14</text>") == 1);  // still on the axis, for its target
    // Spaced by calendar year: 2009-10 at the left end, 2011-12 two years of four along.
    CHECK(svg.find("<text x=\"104.0\" y=\"320.0\" text-anchor=\"middle\">2009-10</text>") != std::string::npos);
    CHECK(svg.find("<text x=\"350.0\" y=\"320.0\" text-anchor=\"middle\">2011-12</text>") != std::string::npos);

    CHECK(count(render::render_indicator_chart_svg(indicator, "2013-14"), "<circle ") == 4 + 1);
    CHECK(count(render::render_indicator_chart_svg(indicator, "2010-11"), "<circle ") == 1 + 1);
}

TEST_CASE("chart y axis starts at a rounded value with 4 to 6 gridlines", "[chart]") {
    // Small percentages start at zero: 0, 5, 10, 15, 20.
    const std::string small = render::render_indicator_chart_svg(obesity(), "2013-14");
    CHECK(small.find(">0</text>") != std::string::npos);
    CHECK(small.find(">20</text>") != std::string::npos);
    CHECK(count(small, "stroke=\"#6f777b\"") == 5);

    // Large numbers far from zero start below the minimum: 1,100 .. 1,400.
    model::Indicator referrals = with_unit("number");
    referrals.id = "referrals";
    referrals.baseline = {"2009-10", 1234};
    referrals.targets = {{"2011-12", 1200}};
    referrals.actuals = {{"2011-12", 1310}};
    const std::string large = render::render_indicator_chart_svg(referrals, "2011-12");
    CHECK(large.find(">0</text>") == std::string::npos);
    CHECK(large.find(">1,150</text>") != std::string::npos);
    CHECK(large.find(">Number</text>") != std::string::npos);
    const auto gridlines = count(large, "stroke=\"#6f777b\"");
    CHECK(gridlines >= 4);
    CHECK(gridlines <= 6);
}

TEST_CASE("chart output is deterministic and copes with no data", "[chart]") {
    CHECK(render::render_indicator_chart_svg(obesity(), "2012-13") ==
          render::render_indicator_chart_svg(obesity(), "2012-13"));

    model::Indicator empty = with_unit("days");
    empty.id = "empty";
    empty.name = "Days to assessment";
    const std::string svg = render::render_indicator_chart_svg(empty, "2011-12");
    CHECK(svg.find("<desc id=\"chart-empty-desc\">There is no result yet for 2011-12 or earlier.</desc>") !=
          std::string::npos);
    CHECK(count(svg, "<circle ") == 1);  // the legend's only
    CHECK(svg.find("nan") == std::string::npos);
    CHECK(svg.find("inf") == std::string::npos);
}
