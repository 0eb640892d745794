// Regulation 5: the first plan by 1 April 2011; each later plan within six weeks of the
// end of the previous plan's period.
#include "rules/findings.h"

namespace cypp::rules {

namespace {

std::string days_text(long days) { return std::to_string(days) + (days == 1 ? " day" : " days"); }

}  // namespace

void check_r5(const model::Site& site, const Parameters& parameters, Findings& findings) {
    const model::Plan& first = site.plans.front();
    const model::SourceRef first_published{first.source.file, "/published", 0};
    findings.deadline({"R5.first", "Publish the first plan (" + first.title + ")", parameters.first_plan_by,
                       first.published,
                       first.published <= parameters.first_plan_by ? DeadlineState::met : DeadlineState::missed});
    if (first.published <= parameters.first_plan_by)
        findings.evidence("R5.first", first.title + ", published " + model::format_long(first.published),
                          site.plans.size() == 1 ? "plan/index.html" : "plans/" + first.id + "/plan/index.html");
    else
        findings.fail("R5.first", first_published,
                      "the first plan was published on " + model::format_long(first.published) + ", " +
                          days_text(model::days_between(parameters.first_plan_by, first.published)) + " after the deadline of " +
                          model::format_long(parameters.first_plan_by),
                      "check the \"published\" date; regulation 5(1) required publication by " +
                          model::format_long(parameters.first_plan_by));

    for (std::size_t i = 1; i < site.plans.size(); ++i) {
        const model::Plan& previous = site.plans[i - 1];
        const model::Plan& plan = site.plans[i];
        const model::Date due = model::add_days(previous.end, parameters.next_plan_within_days);
        const bool on_time = plan.published <= due;
        findings.deadline({"R5.next", "Publish " + plan.title, due, plan.published,
                           on_time ? DeadlineState::met : DeadlineState::missed});
        if (on_time)
            findings.evidence("R5.next", plan.title + ", published " + model::format_long(plan.published),
                              i + 1 == site.plans.size() ? "plan/index.html" : "plans/" + plan.id + "/plan/index.html");
        else
            findings.fail("R5.next", {plan.source.file, "/published", 0},
                          "published on " + model::format_long(plan.published) + ", " +
                              days_text(model::days_between(due, plan.published)) + " after the deadline of " +
                              model::format_long(due) + " (6 weeks after the previous plan ended on " +
                              model::format_long(previous.end) + ")",
                          "regulation 5(2) allows at most " + std::to_string(parameters.next_plan_within_days) +
                              " days after the end of the previous plan period");
    }

    // The plan that follows the current one.
    const model::Plan& current = site.current_plan();
    const model::Date next_due = model::add_days(current.end, parameters.next_plan_within_days);
    const bool overdue = next_due < findings.today();
    findings.deadline({"R5.next", "Publish the plan that follows " + current.title, next_due, std::nullopt,
                       overdue ? DeadlineState::overdue : DeadlineState::due});
    if (overdue)
        findings.fail("R5.next", {site.source.file, "/plans", 0},
                      "the plan that follows " + current.title + " was due by " + model::format_long(next_due) +
                          " and is " + days_text(model::days_between(next_due, findings.today())) + " overdue",
                      "publish the next plan and add its folder to \"plans\" (or check --today)");
    else if (site.plans.size() == 1)
        findings.not_applicable("R5.next", "the next plan is due by " + model::format_long(next_due));
}

}  // namespace cypp::rules
