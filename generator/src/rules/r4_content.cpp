// Regulations 3 and 4: a plan exists and deals with every matter it must.
#include <algorithm>

#include "model/paths.h"
#include "rules/findings.h"

namespace cypp::rules {

namespace {

bool has_text(const model::Chapter& chapter) {
    // A chapter "covers" a matter only if it says something: headings alone do not count.
    const std::string& html = chapter.page.body_html;
    return html.find("<p>") != std::string::npos || html.find("<li>") != std::string::npos ||
           html.find("<td>") != std::string::npos;
}

std::string chapter_url(const model::Chapter& chapter) { return model::chapter_path("", chapter.page.slug); }

}  // namespace

void check_r3_r4(const model::Site& site, Findings& findings) {
    const model::Plan& plan = site.current_plan();
    findings.evidence("R3", plan.title, "plan/index.html");

    model::SourceRef chapters_ref{plan.source.file, "/chapters", 0};
    for (const model::CatalogueEntry& matter : site.catalogue.matters) {
        bool covered = false;
        for (const model::Chapter& chapter : plan.chapters) {
            if (std::find(chapter.matters.begin(), chapter.matters.end(), matter.id) == chapter.matters.end()) continue;
            if (!has_text(chapter)) {
                findings.warn(matter.id, chapter.metadata,
                              "chapter \"" + chapter.page.title + "\" is listed for " + matter.id + " but has no text",
                              "write the chapter, or remove " + matter.id + " from its \"matters\"");
                continue;
            }
            covered = true;
            findings.evidence(matter.id, chapter.page.title, chapter_url(chapter));
        }
        if (!covered)
            findings.fail(matter.id, chapters_ref, "no chapter deals with " + matter.id + ": " + matter.title,
                          "add \"" + matter.id + "\" to the \"matters\" of the chapter that deals with it, or write one");
    }

    // The needs assessment must cover all five outcomes (regulation 4(1)(a)).
    bool has_assessment = false;
    for (const model::Chapter& chapter : plan.chapters) {
        if (!chapter.needs_assessment) continue;
        has_assessment = true;
        std::string missing;
        for (const model::CatalogueEntry& outcome : site.catalogue.outcomes)
            if (std::find(chapter.outcomes.begin(), chapter.outcomes.end(), outcome.id) == chapter.outcomes.end())
                missing += (missing.empty() ? "" : ", ") + outcome.id + " " + outcome.title;
        if (!missing.empty())
            findings.fail("R4.1.a", chapter.metadata, "the needs assessment does not cover " + missing,
                          "assess needs against every outcome and list them in \"outcomes\"");
    }
    if (!has_assessment)
        findings.fail("R4.1.a", chapters_ref, "no chapter is marked as the needs assessment",
                      "set \"needs_assessment\": true on the chapter that holds it");

    // 4(2)(e) and (f) must take named reports into account.
    const std::pair<const char*, const char*> reports[] = {
        {"R4.2.e", "the behaviour and attendance partnership reports"},
        {"R4.2.f", "the Local Safeguarding Children Board's annual report"}};
    for (const auto& [id, report] : reports) {
        bool referenced = false;
        for (const model::Chapter& chapter : plan.chapters)
            for (const model::ReportReference& reference : chapter.takes_into_account)
                if (reference.for_matter == id) {
                    referenced = true;
                    findings.evidence(id, "Takes into account: " + reference.report, chapter_url(chapter));
                }
        if (!referenced)
            findings.fail(id, chapters_ref, std::string("no chapter shows it took into account ") + report,
                          std::string("add {\"report\": ..., \"for\": \"") + id +
                              "\"} to \"takes_into_account\" of the chapter that deals with " + id);
    }

    // Guidance, not regulation: warnings.
    const std::pair<const char*, const char*> guidance[] = {
        {"resourcing", "R4.resourcing"}, {"alignment", "R4.alignment"}};
    for (const auto& [tag, id] : guidance) {
        bool found = false;
        for (const model::Chapter& chapter : plan.chapters)
            if (std::find(chapter.guidance.begin(), chapter.guidance.end(), tag) != chapter.guidance.end()) {
                found = true;
                findings.evidence(id, chapter.page.title, chapter_url(chapter));
            }
        if (!found)
            findings.warn(id, chapters_ref, std::string("no chapter is marked as dealing with ") + tag,
                          std::string("add \"guidance\": [\"") + tag + "\"] to the chapter that deals with it");
    }
}

}  // namespace cypp::rules
