#include "model/site.h"

#include "html/escape.h"

#include <algorithm>
#include <optional>

namespace cypp::model {

const CatalogueEntry* Catalogue::find(const std::vector<CatalogueEntry>& list, const std::string& id) const {
    for (const CatalogueEntry& entry : list)
        if (entry.id == id) return &entry;
    return nullptr;
}

}  // namespace cypp::model

namespace cypp::model {

std::optional<std::string> public_label(const Response& response) {
    switch (response.consent) {
    case Consent::publish_with_name:
        if (response.name.empty() && response.organisation.empty()) break;
        if (response.name.empty()) return response.organisation;
        return response.organisation.empty() ? response.name : response.name + ", " + response.organisation;
    case Consent::publish_anonymously:
        break;
    case Consent::do_not_publish:
        return std::nullopt;
    }
    return "Respondent " + std::to_string(response.id);
}

}  // namespace cypp::model

namespace cypp::model {

std::vector<PlanYear> plan_years(const Plan& plan) {
    std::vector<PlanYear> years;
    Date start = plan.start;
    while (start <= plan.end) {
        Date next{start.year + 1, start.month, start.day};
        if (!parse_date(format_iso(next))) next = {start.year + 1, 3, 1};  // 29 February
        Date end = civil_from_days(days_from_civil(next) - 1);
        if (plan.end < end) end = plan.end;
        const std::string label = std::to_string(start.year) + "-" + format_iso(next).substr(2, 2);
        years.push_back({label, start, end});
        start = next;
    }
    return years;
}

std::vector<MembershipChange> membership_changes(const Site& site, const Date& after, const Date& until) {
    std::vector<MembershipChange> changes;
    for (const Partner& partner : site.partners) {
        if (after < partner.joined && partner.joined <= until)
            changes.push_back({partner.id, partner.name, "joined", partner.joined});
        if (partner.left && after < *partner.left && *partner.left <= until)
            changes.push_back({partner.id, partner.name, "left", *partner.left});
    }
    return changes;
}

static int strictness(Consent consent) {
    switch (consent) {
    case Consent::publish_with_name: return 0;
    case Consent::publish_anonymously: return 1;
    case Consent::do_not_publish: return 2;
    }
    return 2;
}

void apply_current_consent(Site& old_site, const Site& current) {
    for (Plan& plan : old_site.plans) {
        const Plan* now = nullptr;
        for (const Plan& candidate : current.plans)
            if (candidate.id == plan.id) now = &candidate;
        for (Response& response : plan.consultation.responses) {
            const Response* counterpart = nullptr;
            if (now)
                for (const Response& candidate : now->consultation.responses)
                    if (candidate.id == response.id) counterpart = &candidate;
            const Consent current_consent = counterpart ? counterpart->consent : Consent::do_not_publish;
            if (strictness(current_consent) > strictness(response.consent)) response.consent = current_consent;
        }
    }
}

std::vector<std::string> withheld_details(const Site& current) {
    std::vector<std::string> details;
    for (const Plan& plan : current.plans)
        for (const Response& response : plan.consultation.responses) {
            if (response.consent == Consent::publish_with_name) continue;
            for (const std::string* detail : {&response.name, &response.organisation, &response.address})
                if (!detail->empty()) details.push_back(*detail);
        }
    std::sort(details.begin(), details.end(), [](const std::string& a, const std::string& b) {
        return a.size() != b.size() ? a.size() > b.size() : a < b;
    });
    details.erase(std::unique(details.begin(), details.end()), details.end());
    return details;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Whether detail starts at text[at], any run of white space in text matching a run of
// spaces in detail.
bool holds_at(std::string_view text, std::size_t at, std::string_view detail) {
    std::size_t t = at, d = 0;
    while (d < detail.size() && t < text.size()) {
        if (detail[d] == ' ') {
            if (!is_space(text[t])) break;
            while (t < text.size() && is_space(text[t])) ++t;
            while (d < detail.size() && detail[d] == ' ') ++d;
        } else if (detail[d] == text[t]) {
            ++d;
            ++t;
        } else {
            break;
        }
    }
    return d == detail.size();
}

// Whether text holds detail, any run of white space in text matching a space in detail.
// The text (every output file) is searched for the longest word of detail, not its
// first: a detail such as "9 Secret Lane" would otherwise stop at every "9" in the
// site. From each place the word is found, the words before it are matched backwards
// to where detail would start, and detail is matched from there.
bool holds(std::string_view text, std::string_view detail) {
    const std::size_t first_space = detail.find(' ');
    if (first_space == 0 || detail.empty()) return false;
    std::size_t anchor_at = 0, anchor_size = std::min(first_space, detail.size());
    // Words are split at spaces only; other white space in a detail matches only itself.
    if (std::none_of(detail.begin(), detail.end(), [](char c) { return c != ' ' && is_space(c); }))
        for (std::size_t start = 0; start < detail.size();) {
            const std::size_t end = std::min(detail.find(' ', start), detail.size());
            if (end - start > anchor_size) {
                anchor_at = start;
                anchor_size = end - start;
            }
            start = end;
            while (start < detail.size() && detail[start] == ' ') ++start;
        }
    const std::string_view anchor = detail.substr(anchor_at, anchor_size);
    const std::string_view before = detail.substr(0, anchor_at);  // ends in spaces when not empty
    for (std::size_t at = text.find(anchor); at != std::string_view::npos; at = text.find(anchor, at + 1)) {
        std::size_t t = at, d = before.size();
        while (d > 0) {
            if (before[d - 1] == ' ') {
                if (t == 0 || !is_space(text[t - 1])) break;
                while (t > 0 && is_space(text[t - 1])) --t;
                while (d > 0 && before[d - 1] == ' ') --d;
            } else if (t > 0 && text[t - 1] == before[d - 1]) {
                --t;
                --d;
            } else {
                break;
            }
        }
        if (d == 0 && holds_at(text, t, detail)) return true;
    }
    return false;
}

// html::escape's output with its apostrophes ("&#39;") written another way.
std::string with_apostrophes(const std::string& escaped, std::string_view apostrophe) {
    std::string text;
    std::size_t at = 0;
    for (std::size_t found = escaped.find("&#39;"); found != std::string::npos; found = escaped.find("&#39;", at)) {
        text.append(escaped, at, found - at);
        text += apostrophe;
        at = found + 5;
    }
    return text.append(escaped, at, std::string::npos);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> withheld_forms(const std::vector<std::string>& withheld) {
    std::vector<std::pair<std::string, std::string>> forms;
    for (const std::string& detail : withheld)
        // As typed, and escaped with the apostrophe as cmark (as is), mustache and
        // html::escape (&#39;) or other writers (&apos;) leave it.
        for (const std::string escaped = html::escape(detail);
             std::string form : {detail, with_apostrophes(escaped, "'"), escaped, with_apostrophes(escaped, "&apos;")})
            if (std::find(forms.begin(), forms.end(), std::pair{form, detail}) == forms.end()) forms.emplace_back(form, detail);
    return forms;
}

const std::string* find_withheld(std::string_view text, const std::vector<std::pair<std::string, std::string>>& forms) {
    for (const auto& [form, detail] : forms)
        if (holds(text, form)) return &detail;
    return nullptr;
}

WithheldFinder::WithheldFinder(const std::vector<std::pair<std::string, std::string>>& forms) : forms_(forms) {
    for (const auto& form : forms_) longest_form_ = std::max(longest_form_, form.first.size());
}

void WithheldFinder::start() {
    found_ = nullptr;
    carried_.clear();
}

namespace {

// Where the end of text starts that holds count characters, a run of white space
// counting as one (a form's space matches any run, so a run may be long); nullopt when
// all of text holds fewer.
std::optional<std::size_t> start_of_last(std::string_view text, std::size_t count) {
    std::size_t from = text.size(), counted = 0;
    while (from > 0 && counted < count) {
        --from;
        if (is_space(text[from]))
            while (from > 0 && is_space(text[from - 1])) --from;
        ++counted;
    }
    if (counted < count) return std::nullopt;
    return from;
}

// Where the start of text ends that holds count characters, counted as above.
std::size_t end_of_first(std::string_view text, std::size_t count) {
    std::size_t to = 0, counted = 0;
    while (to < text.size() && counted < count) {
        if (is_space(text[to]))
            while (to < text.size() && is_space(text[to])) ++to;
        else
            ++to;
        ++counted;
    }
    return to;
}

}  // namespace

const std::string* WithheldFinder::look_at(std::string_view piece) {
    if (found_ || piece.empty()) return found_;
    const std::optional<std::size_t> tail = start_of_last(piece, longest_form_);
    if (!tail) {
        // A short piece: the carried end grows by it.
        carried_.append(piece);
        found_ = find_withheld(carried_, forms_);
        carried_.erase(0, start_of_last(carried_, longest_form_).value_or(0));
        return found_;
    }
    // A form either lies in piece or starts in the carried end and finishes within
    // piece's first longest-form characters: both are searched, without copying piece.
    const std::string seam = carried_.empty() ? std::string() : carried_ + std::string(piece.substr(0, end_of_first(piece, longest_form_)));
    for (const auto& [form, detail] : forms_)
        if ((!seam.empty() && holds(seam, form)) || holds(piece, form)) {
            found_ = &detail;
            break;
        }
    carried_.assign(piece.substr(*tail));
    return found_;
}

std::string scrub(std::string text, const std::vector<std::string>& withheld) {
    for (const std::string& detail : withheld)
        for (std::size_t at = text.find(detail); at != std::string::npos; at = text.find(detail, at + 10))
            text.replace(at, detail.size(), "[withheld]");
    return text;
}

}  // namespace cypp::model
