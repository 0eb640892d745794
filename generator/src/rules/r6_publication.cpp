// Regulation 6: where the plan is published; guidance 8.44-8.45 on the child-friendly
// version and on sending the plan to everyone consulted.
#include <algorithm>
#include <set>

#include "rules/findings.h"

namespace cypp::rules {

void check_r6(const model::Site& site, Findings& findings) {
    const model::SourceRef websites{site.source.file, "/publication/websites", 0};
    bool authority = false, pct = false, partner = false;
    for (const model::PublicationWebsite& website : site.websites) {
        switch (website.role) {
        case model::WebsiteRole::authority:
            authority = true;
            findings.evidence("R6.a", site.authority.name + ": " + website.url, website.url);
            break;
        case model::WebsiteRole::pct:
            pct = true;
            findings.evidence("R6.a", site.pct.name + ": " + website.url, website.url);
            break;
        case model::WebsiteRole::partner:
            partner = true;
            findings.evidence("R6.b", website.url, website.url);
            break;
        }
    }
    if (!authority)
        findings.fail("R6.a", websites, "the establishing authority's website is missing from publication.websites",
                      "add {\"role\": \"authority\", \"url\": \"https://...\"}: regulation 6(a) requires it");
    if (!pct)
        findings.fail("R6.a", websites, "the PCT's website is missing from publication.websites",
                      "add {\"role\": \"pct\", \"url\": \"https://...\"}: regulation 6(a) requires it");
    if (!partner) findings.not_applicable("R6.b", "the Board publishes on no other partner's website");

    int copies = 0;
    for (const model::Deposit& deposit : site.deposits) {
        copies += deposit.copies;
        findings.evidence("R6.c", deposit.place + " (" + std::to_string(deposit.copies) + " copies)", "index.html");
    }
    if (site.deposits.empty())
        findings.fail("R6.c", {site.source.file, "/publication/deposits", 0},
                      "no public library or other place is listed for printed copies",
                      "list at least one place in publication.deposits, with the number of copies");

    const model::Plan& plan = site.current_plan();
    if (plan.child.pages.empty())
        findings.warn("R6.child", {plan.source.file, "", 0}, "the plan has no child-friendly version",
                      "write child.json and its pages");
    else
        findings.evidence("R6.child", plan.child.title, "child/index.html");
    if (plan.child.services.empty())
        findings.warn("R6.child", {plan.source.file, "", 0}, "the child-friendly version lists no services",
                      "add \"services\" to child.json");

    std::set<std::string> sent;
    for (const model::Dissemination& entry : plan.consultation.dissemination) sent.insert(entry.name);
    std::vector<std::string> missing;
    for (const model::ConsulteeRecord& record : plan.consultation.consultees)
        for (const model::ConsultedBody& body : record.bodies)
            if (!sent.count(body.name) &&
                std::find(missing.begin(), missing.end(), body.name) == missing.end())
                missing.push_back(body.name);
    if (missing.empty()) {
        findings.evidence("R6.send", std::to_string(sent.size()) + " bodies sent the plan", "consultation/index.html");
    } else {
        std::string names;
        for (std::size_t i = 0; i < missing.size() && i < 5; ++i) names += (i ? ", " : "") + missing[i];
        if (missing.size() > 5) names += " and " + std::to_string(missing.size() - 5) + " more";
        findings.warn("R6.send", {plan.consultation.source.file, "/dissemination", 0},
                      std::to_string(missing.size()) + (missing.size() == 1 ? " body" : " bodies") +
                          " engaged in the consultation " + (missing.size() == 1 ? "was" : "were") + " not sent the plan: " + names,
                      "record in \"dissemination\" when each was sent the plan or a link to it");
    }
}

}  // namespace cypp::rules
