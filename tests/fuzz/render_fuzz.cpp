// Fuzz target (c): template rendering with hostile data. The minimal site is loaded
// once; for each input, every line becomes the text of one free-text field of its model
// (the Board's name, titles, headings, the children's services, consultation answers,
// "you said, we did" ...), which is then checked and rendered through the default theme.
// No page may hold a script or a script URL, whatever the text. (The model is changed
// directly: loading and validating JSON on every run would be a hundred times slower,
// and fuzz target (a) covers it.)
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "diag/diagnostics.h"
#include "fs/output_tree.h"
#include "fuzz_support.h"
#include "load/load_site.h"
#include "model/date.h"
#include "render/render_site.h"
#include "render/theme.h"
#include "rules/rules.h"

namespace {

using namespace cypp;

// Each sets one field, when the fixture has it.
const std::vector<std::function<void(model::Site&, const std::string&)>> fields = {
    [](model::Site& s, const std::string& t) { s.board_name = t; },
    [](model::Site& s, const std::string& t) { s.board_short_name = t; },
    [](model::Site& s, const std::string& t) { s.area = t; },
    [](model::Site& s, const std::string& t) { s.authority.name = t; },
    [](model::Site& s, const std::string& t) { s.partners.at(0).name = t; },
    [](model::Site& s, const std::string& t) { s.deposits.at(0).place = t; },
    [](model::Site& s, const std::string& t) { s.deposits.at(0).address = t; },
    [](model::Site& s, const std::string& t) { s.accessibility_contact = t; },
    [](model::Site& s, const std::string& t) { s.other_formats = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().title = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().summary = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().chapters.at(0).page.title = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().chapters.at(1).page.title = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().chapters.at(0).page.toc.at(0).text = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().chapters.at(1).takes_into_account.at(0).report = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().child.title = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().child.introduction = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().child.pages.at(0).page.title = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().child.services.at(0).name = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().child.services.at(0).how_to_reach = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().consultation.summary = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().consultation.questions.at(0).text = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().consultation.responses.at(0).name = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().consultation.responses.at(0).comment = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().consultation.you_said_we_did.at(0).you_said = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().consultation.you_said_we_did.at(0).we_did = t; },
    [](model::Site& s, const std::string& t) { s.plans.back().consultation.dissemination.at(0).name = t; },
};

const model::Site& minimal_model() {
    static const model::Site site = [] {
        diag::Diagnostics diagnostics;
        std::optional<model::Site> loaded = load::load_site(fuzz::minimal_site(), "site", load::Limits{}, diagnostics);
        fuzz::print_if_verbose(diagnostics);
        if (!loaded || diagnostics.has_errors()) fuzz::finding("the minimal fixture does not load");
        return *loaded;
    }();
    return site;
}

const render::Theme& default_theme() {
    static const render::Theme theme = [] {
        diag::Diagnostics diagnostics;
        auto loaded = render::Theme::load(CYPP_FUZZ_FIXTURE, "site", diagnostics);
        if (!loaded) fuzz::finding("the default theme does not load");
        return *loaded;
    }();
    return theme;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(reinterpret_cast<const char*>(data), size);
    model::Site site = minimal_model();
    std::size_t start = 0;
    for (const auto& set : fields) {
        if (start > input.size()) break;
        std::size_t end = input.find('\n', start);
        if (end == std::string::npos) end = input.size();
        set(site, input.substr(start, end - start));
        start = end + 1;
    }

    diag::Diagnostics diagnostics;
    const model::Date today{2011, 6, 1};
    const rules::ComplianceReport compliance = rules::check_rules(site, {today, "site"}, diagnostics);
    fs::OutputTree output;
    render::RenderOptions options;
    options.build_date = today;
    options.generator = "cypp fuzz";
    options.withheld = model::withheld_details(site);
    render::render_site(site, default_theme(), &compliance, options, output, diagnostics);
    fuzz::print_if_verbose(diagnostics);
    for (const auto& [path, content] : output.files())
        if (path.ends_with(".html")) fuzz::require_no_script(content, path);
    return 0;
}
