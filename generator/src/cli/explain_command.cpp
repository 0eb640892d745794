#include "cli/explain_command.h"

#include <nlohmann/json.hpp>
#include <ostream>

#include "resources/resources.h"

namespace cypp::cli {

int run_explain(const std::string& code, std::ostream& out, std::ostream& err) {
    const auto rules = nlohmann::json::parse(*resources::find("content/rules.json"));
    for (const auto& rule : rules.at("rules")) {
        if (rule.at("id") != code) continue;
        const bool guidance = rule.at("kind") == "guidance";
        out << code << ": " << rule.at("title").get<std::string>() << '\n'
            << "Source: " << (guidance ? "" : "regulation ") << rule.at("regulation").get<std::string>()
            << " (Children's Trust Board (Children and Young People's Plan) (England) Regulations 2010"
            << (guidance ? ", statutory guidance or Code of Practice" : "") << ")\n"
            << "Duty: " << rule.at("duty").get<std::string>() << '\n'
            << (guidance ? "Not following it is a warning (an error with --strict).\n"
                         : "Breaking it is an error: cypp will not publish the plan.\n")
            << "See docs/RULES.md for what cypp checks and where the facts come from.\n";
        return 0;
    }
    const auto diagnostics = nlohmann::json::parse(*resources::find("content/diagnostics.json"));
    for (const auto& entry : diagnostics.at("diagnostics")) {
        if (entry.at("code") != code) continue;
        out << code << " (" << entry.at("stage").get<std::string>() << "): " << entry.at("meaning").get<std::string>() << '\n';
        return 0;
    }
    err << "cypp: no diagnostic code or rule id \"" << code
        << "\" (rule ids look like R6.a, other codes like CY201; see docs/DIAGNOSTICS.md)\n";
    return 2;
}

}  // namespace cypp::cli
