#include "cli/cli.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <iostream>
#include <optional>
#include <unistd.h>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <string_view>
#include <variant>

#include "build/pipeline.h"
#include "cli/explain_command.h"
#include "cli/publish_commands.h"
#include "cli/source_date.h"
#include "cli/validate_command.h"
#include "scaffold/scaffold.h"
#include "serve/serve.h"
#include "diag/diagnostics.h"
#include "rules/rules.h"

#ifndef CYPP_VERSION
#define CYPP_VERSION "0.0.0"
#endif

namespace cypp::cli {

namespace {

constexpr int exit_success = 0;
constexpr int exit_content_errors = 1;
constexpr int exit_usage = 2;

struct SiteArguments {
    std::string site = ".";
    std::string output;
    std::string format = "text";
    std::string today;
    bool strict = false;
    bool no_history = false;
    bool no_pdf = false;  // build only
    bool timings = false;  // build only
    unsigned jobs = 0;     // build only; 0: one per core
};

void add_site_options(CLI::App& command, SiteArguments& arguments) {
    command.add_option("SITE", arguments.site, "Folder holding site.json")->capture_default_str();
    command.add_option("--format", arguments.format,
                       "Diagnostics as text, json, or github (annotations for GitHub Actions)")
        ->check(CLI::IsMember({"text", "json", "github"}))
        ->capture_default_str();
    command.add_option("--today", arguments.today,
                       "The date deadlines are checked against, YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today)");
    command.add_flag("--strict", arguments.strict, "Treat warnings as errors (for CI on release)");
    command.add_flag("--no-history", arguments.no_history,
                     "Do not read the revision history from git (no history pages, archived versions or feed)");
}

std::string format_number(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
    return buffer;
}

model::Date clock_today() {
    const auto now = std::chrono::system_clock::now();
    const auto days = std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count() / 24;
    return model::civil_from_days(static_cast<long>(days));
}

std::string deadline_line(const rules::Deadline& deadline, const model::Date& today) {
    std::string line = deadline.rule + ": " + deadline.what + ": due by " + model::format_long(deadline.due);
    switch (deadline.state) {
    case rules::DeadlineState::met:
        return line + ", met (" + model::format_long(*deadline.done) + ")";
    case rules::DeadlineState::missed:
        return line + ", MISSED (" + model::format_long(*deadline.done) + ")";
    case rules::DeadlineState::overdue:
        return line + ", OVERDUE by " + std::to_string(model::days_between(deadline.due, today)) + " days";
    case rules::DeadlineState::due:
        return line + ", " + std::to_string(model::days_between(today, deadline.due)) + " days left";
    }
    return line;
}

nlohmann::ordered_json rules_json(const rules::ComplianceReport& report) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const rules::RuleResult& rule : report.rules) {
        nlohmann::ordered_json evidence = nlohmann::ordered_json::array();
        for (const rules::Evidence& item : rule.evidence) evidence.push_back({{"label", item.label}, {"path", item.path}});
        std::string message;
        for (const std::string& part : rule.messages) message += (message.empty() ? "" : "; ") + part;
        list.push_back({{"id", rule.id}, {"status", rules::status_name(rule.status)}, {"evidence", evidence}, {"message", message}});
    }
    return list;
}

// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
diag::Colour colour_for(std::ostream& err) {
    const char* no_colour = std::getenv("NO_COLOR");
    const bool terminal = &err == &std::cerr && ::isatty(STDERR_FILENO);
    return terminal && !(no_colour && *no_colour) ? diag::Colour::always : diag::Colour::never;
}

void print(const diag::Diagnostics& diagnostics, const std::string& format,
           const std::optional<rules::ComplianceReport>& compliance, std::ostream& out, std::ostream& err) {
    if (format == "json") {
        auto report = nlohmann::ordered_json::parse(diag::format_json(diagnostics));
        if (compliance) report["rules"] = rules_json(*compliance);
        out << report.dump(2) << '\n';
        return;
    }
    if (format == "github") {
        for (const auto& diagnostic : diagnostics.all()) out << diag::format_github(diagnostic);
        err << diag::format_summary(diagnostics);
        return;
    }
    const diag::Colour colour = colour_for(err);
    for (const auto& diagnostic : diagnostics.all()) err << diag::format_text(diagnostic, colour);
    if (!diagnostics.all().empty()) err << diag::format_summary(diagnostics);
}

int run_site_command(build::Mode mode, const SiteArguments& arguments, std::ostream& out, std::ostream& err) {
    diag::Diagnostics diagnostics;
    build::PipelineOptions options;
    options.site_dir = arguments.site;
    options.output_dir = arguments.output.empty() ? std::filesystem::path(arguments.site) / "public"
                                                  : std::filesystem::path(arguments.output);
    options.mode = mode;
    options.generator = std::string("cypp ") + CYPP_VERSION;
    auto source_date = parse_source_date_epoch(std::getenv("SOURCE_DATE_EPOCH"));
    if (auto* malformed = std::get_if<MalformedSourceDate>(&source_date)) {
        diagnostics.error("CY105", "SOURCE_DATE_EPOCH", 0, 0,
                          "\"" + malformed->value + "\" is not a number of seconds since 1970-01-01",
                          "set it to a whole number such as $(git log -1 --format=%ct), or unset it");
        print(diagnostics, arguments.format, std::nullopt, out, err);
        return exit_usage;
    }
    if (auto* date = std::get_if<model::Date>(&source_date)) options.build_date = *date;
    options.today = options.build_date.value_or(clock_today());
    if (!arguments.today.empty()) {
        auto today = model::parse_date(arguments.today);
        if (!today) {
            diagnostics.error("CY106", "--today", 0, 0, "\"" + arguments.today + "\" is not a date",
                              "write it as YYYY-MM-DD, e.g. --today 2013-06-30");
            print(diagnostics, arguments.format, std::nullopt, out, err);
            return exit_usage;
        }
        options.today = *today;
    }
    options.strict = arguments.strict;
    options.with_history = !arguments.no_history;
    options.print_pdf = mode == build::Mode::build && !arguments.no_pdf;
    // Progress only on a terminal: CI logs get the summary alone.
    if (arguments.format == "text" && &err == &std::cerr && ::isatty(STDERR_FILENO))
        options.progress = [&err](std::size_t done, std::size_t total) {
            if (total < 2) return;
            err << "\rRendering archived versions: " << done << "/" << total << (done == total ? "\n" : "") << std::flush;
        };

    options.jobs = arguments.jobs;
    std::vector<build::StageTime> timings;
    if (arguments.timings) options.timings = &timings;

    build::PipelineResult result = build::run_pipeline(options, diagnostics);
    double total_milliseconds = 0;
    for (const build::StageTime& stage : timings) {
        err << "timing: " << stage.stage << ": " << format_number(stage.milliseconds) << " ms";
        if (stage.peak_kib) err << " (peak memory so far " << format_number(stage.peak_kib / 1024.0) << " MiB)";
        err << '\n';
        total_milliseconds += stage.milliseconds;
    }
    if (arguments.timings) err << "timing: total: " << format_number(total_milliseconds) << " ms\n";
    print(diagnostics, arguments.format, result.compliance, out, err);
    for (const std::string& note : result.notes) err << "note: " << note << '\n';
    if (arguments.format == "text" && mode == build::Mode::check && result.compliance) {
        out << "Deadlines (as of " << model::format_long(options.today) << "):\n";
        for (const rules::Deadline& deadline : result.compliance->deadlines)
            out << "  " << deadline_line(deadline, options.today) << '\n';
        out << "Reading level of the child-friendly version (target: grade " << format_number(result.child_reading_max_grade)
            << " or below):\n";
        for (const build::ChildPageReading& page : result.child_reading)
            out << "  " << page.page << ": grade " << format_number(page.level.grade) << ", reading ease "
                << format_number(page.level.reading_ease) << ", " << page.level.words << " words\n";
    }
    switch (result.outcome) {
    case build::Outcome::environment_error:
        return exit_usage;
    case build::Outcome::content_errors:
        return exit_content_errors;
    case build::Outcome::success:
        break;
    }
    if (arguments.format == "text") {
        if (mode == build::Mode::build)
            out << "Built " << result.files_written << " files into " << options.output_dir.lexically_normal().string()
                << " (open " << (options.output_dir / "index.html").lexically_normal().string() << ")\n";
        else
            out << "No errors in " << std::filesystem::path(arguments.site).lexically_normal().string() << "\n";
    }
    return exit_success;
}

struct UnknownCommand {
    std::string name;
    std::string parent;                // "cypp" or "cypp new"
    std::vector<std::string> commands;  // what the parent takes
};

// CLI11 takes a mistyped command for a stray argument and says only that a command is
// required: so the leading arguments that are not options must each name a command, as
// long as the command before them has commands of its own.
std::optional<UnknownCommand> find_unknown_command(const CLI::App& app, int argc, char** argv) {
    const CLI::App* parent = &app;
    std::string parent_name = app.get_name();
    for (int i = 1; i < argc && !std::string_view(argv[i]).starts_with('-'); ++i) {
        const auto commands = parent->get_subcommands([](const CLI::App*) { return true; });
        if (commands.empty()) return std::nullopt;
        const auto named = std::find_if(commands.begin(), commands.end(),
                                        [&](const CLI::App* command) { return command->check_name(argv[i]); });
        if (named == commands.end()) {
            UnknownCommand unknown{argv[i], parent_name, {}};
            for (const CLI::App* command : commands) unknown.commands.push_back(command->get_name());
            return unknown;
        }
        parent = *named;
        parent_name += " " + parent->get_name();
    }
    return std::nullopt;
}

void print_unknown_command(const UnknownCommand& unknown, std::ostream& err) {
    err << unknown.parent << ": unknown command \"" << unknown.name << "\"\nCommands:";
    for (std::size_t i = 0; i < unknown.commands.size(); ++i) err << (i ? ", " : " ") << unknown.commands[i];
    err << "\nRun " << unknown.parent << " --help for more information.\n";
}

}  // namespace

int run(int argc, char** argv, std::ostream& out, std::ostream& err) {
    CLI::App app{"cypp publishes a Children's Trust Board's Children and Young People's Plan as a website,\n"
                 "and refuses to publish one that breaks the rules.",
                 "cypp"};
    app.set_version_flag("--version", std::string("cypp ") + CYPP_VERSION);
    app.require_subcommand(1);

    SiteArguments build_arguments;
    auto* build_command = app.add_subcommand("build", "Check the site and write the website (to SITE/public unless -o)");
    add_site_options(*build_command, build_arguments);
    build_command->add_option("-o,--output", build_arguments.output, "Output folder (default SITE/public)");
    build_command->add_flag("--no-pdf", build_arguments.no_pdf,
                            "Do not make print/<plan>.pdf (made with chromium when it is installed)");
    build_command->add_flag("--timings", build_arguments.timings, "Print the time each stage took (to stderr)");
    build_command->add_option("-j,--jobs", build_arguments.jobs, "Threads to use (default: one per core)")
        ->check(CLI::Range(1u, 256u));

    SiteArguments check_arguments;
    auto* check_command = app.add_subcommand("check", "Check the site without writing anything; list the deadlines");
    add_site_options(*check_command, check_arguments);

    ValidateArguments validate_arguments;
    auto* validate = app.add_subcommand("validate", "Validate a JSON file against a JSON Schema (draft-07)");
    validate->add_option("SCHEMA", validate_arguments.schema, "The schema file")->required();
    validate->add_option("DATA", validate_arguments.data, "The JSON file to validate")->required();

    struct NewArguments {
        std::string folder = ".";
        std::string board, area, start = "2011-04-01", end, year;
    } new_arguments;
    auto* new_command = app.add_subcommand("new", "Start a site, a plan or an annual review from the starter files");
    new_command->require_subcommand(1);
    auto* new_site = new_command->add_subcommand("site", "A new Board's site in DIR");
    new_site->add_option("DIR", new_arguments.folder, "The folder to create")->required();
    new_site->add_option("--board", new_arguments.board, "The Board's name, e.g. \"Northbrook Children's Trust Board\"")->required();
    new_site->add_option("--area", new_arguments.area, "The area it serves, e.g. Northbrook")->required();
    new_site->add_option("--start", new_arguments.start, "Start of the first plan period (YYYY-MM-DD)")->capture_default_str();
    auto* new_plan = new_command->add_subcommand("plan", "A new plan period after the current plan");
    new_plan->add_option("START", new_arguments.start, "First day of the plan period (YYYY-MM-DD)")->required();
    new_plan->add_option("END", new_arguments.end, "Last day of the plan period (YYYY-MM-DD)")->required();
    new_plan->add_option("--site", new_arguments.folder, "The site folder")->capture_default_str();
    auto* new_review = new_command->add_subcommand("review", "An annual review of a plan year of the current plan");
    new_review->add_option("YEAR", new_arguments.year, "The plan year, e.g. 2012-13")->required();
    new_review->add_option("--site", new_arguments.folder, "The site folder")->capture_default_str();

    struct ServeArguments {
        std::string site = ".";
        int port = 8000;
        std::string today;
        bool no_history = false;
        int stop_after = 0;
        bool timings = false;
    } serve_arguments;
    auto* serve_command = app.add_subcommand("serve", "Preview the site on http://127.0.0.1:PORT/, rebuilt as you edit");
    serve_command->add_option("SITE", serve_arguments.site, "Folder holding site.json")->capture_default_str();
    serve_command->add_option("--port", serve_arguments.port, "Port on 127.0.0.1 (0: any free port)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    serve_command->add_option("--today", serve_arguments.today, "The date deadlines are checked against, YYYY-MM-DD");
    serve_command->add_flag("--no-history", serve_arguments.no_history, "Do not read the revision history from git");
    serve_command->add_option("--stop-after", serve_arguments.stop_after, "Stop by itself after this many seconds");
    serve_command->add_flag("--timings", serve_arguments.timings, "After each rebuild, print the time each stage took");

    std::string verify_path, bundle_folder;
    auto* verify = app.add_subcommand("verify", "Check a mirrored copy (folder, .tar.gz or .zip) against its manifest");
    verify->add_option("PATH", verify_path, "The copy to check")->required();
    auto* bundle = app.add_subcommand("bundle", "Write FOLDER.tar.gz and FOLDER.zip of a built site, reproducibly");
    bundle->add_option("FOLDER", bundle_folder, "The output folder of cypp build")->required();

    std::string explain_code;
    auto* explain = app.add_subcommand("explain", "Explain a diagnostic code or rule id (e.g. cypp explain R6.a)");
    explain->add_option("CODE", explain_code, "A rule id such as R6.a or a code such as CY201")->required();

    if (auto unknown = find_unknown_command(app, argc, argv)) {
        print_unknown_command(*unknown, err);
        return exit_usage;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& error) {
        // --help and --version arrive here too, with exit code 0.
        return app.exit(error, out, err) == 0 ? exit_success : exit_usage;
    }
    if (*build_command) return run_site_command(build::Mode::build, build_arguments, out, err);
    if (*check_command) return run_site_command(build::Mode::check, check_arguments, out, err);
    if (*validate) return run_validate(validate_arguments, out, err);
    if (*explain) return run_explain(explain_code, out, err);
    if (*verify) return run_verify(verify_path, out, err);
    if (*bundle) return run_bundle(bundle_folder, out, err);
    if (*serve_command) {
        serve::ServeOptions options;
        options.site_dir = serve_arguments.site;
        options.port = serve_arguments.port;
        options.with_history = !serve_arguments.no_history;
        options.stop_after_seconds = serve_arguments.stop_after;
        options.timings = serve_arguments.timings;
        options.generator = std::string("cypp ") + CYPP_VERSION;
        options.today = clock_today();
        if (!serve_arguments.today.empty()) {
            options.today = model::parse_date(serve_arguments.today);
            if (!options.today) {
                err << "--today: error[CY106]: \"" << serve_arguments.today << "\" is not a date\n";
                return exit_usage;
            }
        }
        if (!std::filesystem::is_regular_file(std::filesystem::path(serve_arguments.site) / "site.json")) {
            err << serve_arguments.site << ": error[CY101]: no site.json in this folder\n"
                << "  hint: run cypp serve in the folder that holds site.json, or give its path\n";
            return exit_usage;
        }
        return serve::serve(options, out, err);
    }
    if (*new_command) {
        diag::Diagnostics diagnostics;
        auto date = [&](const std::string& text, const char* what) {
            auto parsed = model::parse_date(text);
            if (!parsed)
                diagnostics.error("CY112", what, 0, 0, "\"" + text + "\" is not a date", "write it as YYYY-MM-DD");
            return parsed.value_or(model::Date{});
        };
        bool ok = false;
        if (*new_site) {
            const model::Date start = date(new_arguments.start, "--start");
            ok = !diagnostics.has_errors() &&
                 scaffold::new_site({new_arguments.folder, new_arguments.board, new_arguments.area, start}, diagnostics, out);
        } else if (*new_plan) {
            const model::Date start = date(new_arguments.start, "START"), end = date(new_arguments.end, "END");
            ok = !diagnostics.has_errors() && scaffold::new_plan(new_arguments.folder, start, end, diagnostics, out);
        } else if (*new_review) {
            ok = scaffold::new_review(new_arguments.folder, new_arguments.year, diagnostics, out);
        }
        print(diagnostics, "text", std::nullopt, out, err);
        return ok ? exit_success : exit_usage;
    }
    return exit_usage;
}

}  // namespace cypp::cli
