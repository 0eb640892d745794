// cypp build and the print edition's PDF, end to end with Debian's chromium: the only
// tests that build with the PDF (the CLI runner passes --no-pdf everywhere else).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include "cli_runner.h"
#include "publish/manifest.h"

namespace {

namespace stdfs = std::filesystem;
using cypp::testing::read_file;
using cypp::testing::read_tree;
using cypp::testing::RunResult;
using cypp::testing::TempSite;

const char* const pdf_path = "print/2011-2014.pdf";

std::string quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

// Runs a command line through /bin/sh, capturing stdout and stderr.
RunResult run_shell(const std::string& command, const stdfs::path& capture) {
    const int status = std::system(("/bin/sh -c " + quote(command + " >" + quote((capture / "out").string()) +
                                                          " 2>" + quote((capture / "err").string())))
                                       .c_str());
    RunResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_file(capture / "out");
    result.err = read_file(capture / "err");
    return result;
}

// cypp build as an author runs it (so with the PDF unless the arguments say --no-pdf),
// without SOURCE_DATE_EPOCH unless given and never reading git: the fixture's history is
// this repository's.
RunResult build(const TempSite& site, const std::string& out, const std::vector<std::string>& extra = {},
                const std::map<std::string, std::string>& environment = {}) {
    std::string command = "unset SOURCE_DATE_EPOCH; ";
    for (const auto& [name, value] : environment) command += "export " + name + "=" + quote(value) + "; ";
    command += quote(CYPP_BINARY) + " build " + quote(site.path().string()) + " -o " + quote(site.file(out).string()) +
               " --today 2011-06-01 --no-history";
    for (const std::string& argument : extra) command += " " + quote(argument);
    return run_shell(command, site.path().parent_path());
}

bool have(const char* program) {
    return std::system(("command -v " + std::string(program) + " >/dev/null 2>&1").c_str()) == 0;
}

std::string collapse_spaces(const std::string& text) {
    std::string collapsed;
    for (char c : text) {
        const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f';
        if (space && (collapsed.empty() || collapsed.back() == ' ')) continue;
        collapsed += space ? ' ' : c;
    }
    return collapsed;
}

const std::vector<std::string> withheld = {"Cyd Withheld", "Withheld Org", "9 Secret Lane", "Private comment.",
                                           "Dee Noconsent", "Bea Anonymous"};
const std::string plan_title = "Testshire Children and Young People's Plan 2011-2014";
const std::string missing_note =
    "note: no PDF of the print edition: chromium was not found (CYPP_CHROMIUM=/nonexistent/chromium)\n";

TEST_CASE("cypp build prints the print edition to a PDF listed in the manifest, the same bytes every time",
          "[publish][pdf][chromium]") {
    if (!have("chromium")) {
        WARN("chromium is not installed: the PDF of the print edition is not tested (apt-get install chromium)");
        return;
    }
    TempSite site("minimal");
    RunResult first = build(site, "first");
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    REQUIRE(first.err.empty());
    REQUIRE(first.out == "Built 19 files into " + site.file("first").lexically_normal().string() + " (open " +
                             site.file("first/index.html").lexically_normal().string() + ")\n");
    REQUIRE(build(site, "second").exit_code == 0);
    const auto one = read_tree(site.file("first")), two = read_tree(site.file("second"));
    REQUIRE(one == two);

    const std::string& pdf = one.at(pdf_path);
    REQUIRE(pdf.starts_with("%PDF-"));
    // Dated by the plan's publication (no SOURCE_DATE_EPOCH, no history), never the clock;
    // no trace of the folder chromium printed it from.
    REQUIRE(pdf.find("/CreationDate (D:20110325000000+00'00')") != std::string::npos);
    REQUIRE(pdf.find("/ModDate (D:20110325000000+00'00')") != std::string::npos);
    REQUIRE(pdf.find("cypp-pdf-") == std::string::npos);
    REQUIRE(pdf.find("file:") == std::string::npos);

    auto manifest = nlohmann::json::parse(one.at("manifest.json"));
    bool listed = false;
    for (const auto& file : manifest["files"])
        if (file["path"] == pdf_path) {
            listed = true;
            REQUIRE(file["size"] == pdf.size());
            REQUIRE(file["sha256"] == cypp::publish::sha256_hex(pdf));
        }
    REQUIRE(listed);
    REQUIRE(one.at("SHA256SUMS").find(cypp::publish::sha256_hex(pdf) + "  " + pdf_path + "\n") != std::string::npos);

    // The print page and the publication record link to it, relatively.
    REQUIRE(one.at("print/index.html").find("<a href=\"2011-2014.pdf\">a PDF file to print or keep</a>") !=
            std::string::npos);
    REQUIRE(one.at("publication/index.html").find("<a href=\"../print/2011-2014.pdf\">a PDF file to print or keep</a>") !=
            std::string::npos);

    // What the PDF says: the plan, and no respondent who asked not to be named.
    if (have("pdftotext")) {
        RunResult text = run_shell("pdftotext -enc UTF-8 " + quote(site.file("first/print/2011-2014.pdf").string()) + " -",
                                   site.path().parent_path());
        REQUIRE(text.exit_code == 0);
        REQUIRE(text.err.empty());  // poppler reports a broken cross-reference table here
        const std::string words = collapse_spaces(text.out);
        REQUIRE(words.find("Testshire Children's Trust Board " + plan_title + " Plan period: 1 April 2011 to 31 March 2014") !=
                std::string::npos);
        REQUIRE(words.find("Where to find a copy") != std::string::npos);
        REQUIRE(words.find("PDF file to print") == std::string::npos);  // the link is for the screen only
        for (const std::string& name : withheld) {
            INFO(name);
            REQUIRE(words.find(name) == std::string::npos);
        }
    } else {
        WARN("pdftotext (Debian poppler-utils) is not installed: only the PDF's uncompressed parts are searched");
        REQUIRE(pdf.find("/Title (" + plan_title + " \\(print edition\\)") != std::string::npos);
        for (const std::string& name : withheld) REQUIRE(pdf.find(name) == std::string::npos);
    }

    // SOURCE_DATE_EPOCH dates it as it dates the manifest: 18 June 2013.
    REQUIRE(build(site, "dated", {}, {{"SOURCE_DATE_EPOCH", "1371513600"}}).exit_code == 0);
    REQUIRE(read_file(site.file("dated/print/2011-2014.pdf")).find("/CreationDate (D:20130618000000+00'00')") !=
            std::string::npos);
}

TEST_CASE("without chromium the build says so once and publishes the site without a PDF", "[publish][pdf]") {
    TempSite site("minimal");
    RunResult skipped = build(site, "skipped", {"--no-pdf"});
    REQUIRE(skipped.exit_code == 0);
    REQUIRE(skipped.err.empty());
    const auto without_pdf = read_tree(site.file("skipped"));
    REQUIRE(without_pdf.count(pdf_path) == 0);
    REQUIRE(without_pdf.at("print/index.html").find(".pdf") == std::string::npos);
    REQUIRE(without_pdf.at("publication/index.html").find(".pdf") == std::string::npos);
    REQUIRE(without_pdf.at("manifest.json").find(".pdf") == std::string::npos);

    RunResult missing = build(site, "missing", {}, {{"CYPP_CHROMIUM", "/nonexistent/chromium"}});
    REQUIRE(missing.exit_code == 0);
    REQUIRE(missing.err == missing_note);
    REQUIRE(missing.out.starts_with("Built 18 files into "));
    REQUIRE(read_tree(site.file("missing")) == without_pdf);

    // Nothing called chromium on PATH (the shell and cypp are found by their full paths).
    RunResult no_path = run_shell("unset CYPP_CHROMIUM SOURCE_DATE_EPOCH; PATH=/nonexistent " + quote(CYPP_BINARY) +
                                      " build " + quote(site.path().string()) + " -o " +
                                      quote(site.file("no-path").string()) + " --today 2011-06-01 --no-history",
                                  site.path().parent_path());
    REQUIRE(no_path.exit_code == 0);
    REQUIRE(no_path.err == "note: no PDF of the print edition: chromium was not found (chromium on PATH)\n");
    REQUIRE(read_tree(site.file("no-path")) == without_pdf);

    // cypp check never prints and never notes it.
    RunResult check = run_shell("CYPP_CHROMIUM=/nonexistent/chromium " + quote(CYPP_BINARY) + " check " +
                                    quote(site.path().string()) + " --today 2011-06-01 --no-history",
                                site.path().parent_path());
    REQUIRE(check.exit_code == 0);
    REQUIRE(check.err.empty());
}

TEST_CASE("a chromium that fails stops the build and leaves the previous output as it was", "[publish][pdf]") {
    TempSite site("minimal");
    REQUIRE(build(site, "public", {"--no-pdf"}).exit_code == 0);
    const auto before = read_tree(site.file("public"));
    const stdfs::path broken = site.path().parent_path() / "broken-chromium";
    {
        std::FILE* script = std::fopen(broken.c_str(), "w");
        REQUIRE(script);
        std::fputs("#!/bin/sh\necho 'Trace/breakpoint trap' >&2\nexit 5\n", script);
        std::fclose(script);
        stdfs::permissions(broken, stdfs::perms::owner_all);
    }
    RunResult failed = build(site, "public", {}, {{"CYPP_CHROMIUM", broken.string()}});
    REQUIRE(failed.exit_code == 2);
    REQUIRE(failed.err == "print/2011-2014.pdf: error[CY601]: chromium (" + broken.string() +
                              ") made no PDF (exit status 5): Trace/breakpoint trap\n"
                              "  hint: build again, or build with --no-pdf to publish without the PDF\n"
                              "1 error, 0 warnings\n");
    REQUIRE(read_tree(site.file("public")) == before);
}

}  // namespace
