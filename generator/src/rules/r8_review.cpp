// Regulation 8: a review in every plan year in which no new plan is due; consultation
// during it; revision and republication; account of changes in Board membership.
#include "model/paths.h"
#include "rules/findings.h"

namespace cypp::rules {

void check_r8(const model::Site& site, Findings& findings) {
    const model::Plan& plan = site.current_plan();
    const auto years = model::plan_years(plan);
    // The last plan year is the one in which the next plan is prepared and published,
    // so it needs no review of its own.
    for (std::size_t i = 0; i + 1 < years.size(); ++i) {
        const model::PlanYear& year = years[i];
        const model::Review* review = nullptr;
        for (const model::Review& candidate : plan.reviews)
            if (candidate.covers_start == year.start) review = &candidate;
        if (review) {
            findings.deadline({"R8.0", "Review plan year " + year.label, year.end, review->published,
                               DeadlineState::met});
            findings.evidence("R8.0", review->title, model::review_path("", review->year));
        } else if (year.end < findings.today()) {
            findings.deadline({"R8.0", "Review plan year " + year.label, year.end, std::nullopt, DeadlineState::overdue});
            findings.fail("R8.0", {plan.source.file, "/reviews", 0},
                          "plan year " + year.label + " ended on " + model::format_long(year.end) + " and has no review",
                          "write reviews/" + year.label + "/review.json and review.md and list \"" + year.label +
                              "\" in \"reviews\"");
        } else {
            findings.deadline({"R8.0", "Review plan year " + year.label, year.end, std::nullopt, DeadlineState::due});
            // Met, as nothing is owed yet: said, so that "Met" is not read as a review done.
            findings.note("R8.0", "the review of plan year " + year.label + " is due by " + model::format_long(year.end));
        }
    }
    if (years.size() <= 1) findings.not_applicable("R8.0", "the plan period is a single year");

    model::Date since = plan.published;
    for (const model::Review& review : plan.reviews) {
        const model::SourceRef where{review.source.file, "", 0};
        const std::string url = model::review_path("", review.year);
        if (review.consulted.empty())
            findings.fail("R8.1", {review.source.file, "/consulted", 0}, review.title + " records no consultation",
                          "list whom the Board consulted during the review in \"consulted\"");
        else
            findings.evidence("R8.1", review.title + ": " + std::to_string(review.consulted.size()) + " consulted", url);

        if (review.revised) {
            findings.evidence("R8.2", review.title + ": revised " + std::to_string(review.revised_chapters.size()) +
                                          " chapters, republished " + model::format_long(*review.republished),
                              url);
            if (*review.republished < review.published)
                findings.warn("R8.2", {review.source.file, "/revision/republished", 0},
                              "the revision is dated before the review was published",
                              "check \"republished\": it is when the revised plan was published again");
        } else {
            findings.evidence("R8.2", review.title + ": no revision needed (" + review.revision_reason + ")", url);
        }

        const auto changes = model::membership_changes(site, since, review.published);
        for (const model::MembershipChange& change : changes) {
            bool addressed = false;
            for (const model::MembershipChangeNote& note : review.membership_changes)
                addressed = addressed || (note.partner_id == change.partner_id && note.change == change.change);
            if (addressed)
                findings.evidence("R8.3", review.title + ": " + change.partner_name + " " + change.change, url);
            else
                findings.fail("R8.3", {review.source.file, "/membership_changes", 0},
                              change.partner_name + " " + change.change + " the Board on " + model::format_long(change.date) +
                                  ", but " + review.title + " does not say how it took this into account",
                              "add {\"partner\": \"" + change.partner_id + "\", \"change\": \"" + change.change +
                                  "\", \"taken_into_account\": ...} to \"membership_changes\"");
        }
        for (const model::MembershipChangeNote& note : review.membership_changes) {
            bool happened = false;
            for (const model::MembershipChange& change : changes)
                happened = happened || (note.partner_id == change.partner_id && note.change == change.change);
            if (!happened)
                findings.warn("R8.3", {review.source.file, "/membership_changes", 0},
                              "\"" + note.partner_id + "\" " + note.change + " is not a change in site.json partners between " +
                                  model::format_long(since) + " and " + model::format_long(review.published),
                              "check the partner id and its \"joined\"/\"left\" dates in site.json");
        }
        since = review.published;
    }
    if (plan.reviews.empty()) {
        findings.not_applicable("R8.1", "no review yet");
        findings.not_applicable("R8.2", "no review yet");
        findings.not_applicable("R8.3", "no review yet");
    }
}

}  // namespace cypp::rules
