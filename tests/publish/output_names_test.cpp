// Published file names are the same on every server, mirror and disk: lower-case ASCII
// letters, digits, "-", "_", "." and "/" only (and SHA256SUMS, the name sha256sum users
// expect), so no two differ only in case. Linked
// files with other names are refused (CY404) with the name to use instead.
#include <catch2/catch.hpp>

#include <set>

#include "cli_runner.h"

namespace {

namespace stdfs = std::filesystem;
using cypp::testing::read_tree;
using cypp::testing::run_cypp;
using cypp::testing::RunResult;
using cypp::testing::TempSite;

bool publishable(const std::string& path) {
    for (char c : path)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '/'))
            return false;
    return true;
}

std::string lower(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

void require_publishable_names(const stdfs::path& out) {
    std::set<std::string> folded;
    std::size_t files = 0;
    for (const auto& [path, content] : read_tree(out)) {
        if (path == ".cypp-output") continue;  // the build machine's marker, not published
        INFO(out.string() << ": " << path);
        // The one exception, named by the issue: the conventional name sha256sum -c users know.
        REQUIRE((publishable(path) || path == "SHA256SUMS"));
        REQUIRE(folded.insert(lower(path)).second);
        ++files;
    }
    REQUIRE(files > 10);
}

TEST_CASE("every published path of site-example and the fixtures is lower-case ASCII, none differing only in case",
          "[publish][names]") {
    const stdfs::path root = stdfs::temp_directory_path() / ("cypp-names-test-" + std::to_string(::getpid()));
    stdfs::remove_all(root);
    // site-example in place, with its archived versions unless the clone is shallow.
    RunResult example = run_cypp({"build", CYPP_SITE_EXAMPLE, "-o", (root / "example").string(), "--today", "2013-07-01"});
    if (example.exit_code != 0 && example.err.find("CY702") != std::string::npos)
        example = run_cypp({"build", CYPP_SITE_EXAMPLE, "-o", (root / "example").string(), "--today", "2013-07-01",
                            "--no-history"});
    REQUIRE(example.exit_code == 0);
    require_publishable_names(root / "example");
    for (const char* fixture : {"minimal", "reviewed", "two-plans"}) {
        TempSite site(fixture);
        RunResult built = run_cypp({"build", site.path().string(), "-o", (root / fixture).string(), "--no-history",
                                    "--today", "2011-06-01"});
        INFO(fixture << ": " << built.err);
        REQUIRE(built.exit_code == 0);
        require_publishable_names(root / fixture);
    }
    stdfs::remove_all(root);
}

TEST_CASE("a linked file whose name is not lower-case ASCII is refused with the name to use", "[publish][names]") {
    TempSite site("minimal");
    site.write("plans/2011-2014/chapters/Annual_Report.PDF", "%PDF-1.4\n");
    site.write("plans/2011-2014/chapters/maps/\xC3\x81rea Map (2011).png", "PNG");
    site.write("plans/2011-2014/chapters/notes.txt", "fine\n");
    site.write("plans/2011-2014/chapters/introduction.md",
               site.read("plans/2011-2014/chapters/introduction.md") +
                   "\nRead [the annual report](Annual_Report.PDF), [the notes](notes.txt)\n"
                   "and see ![the area](<maps/\xC3\x81rea Map (2011).png>).\n");
    RunResult checked = run_cypp({"check", "--no-history", "--today", "2011-06-01"}, {}, site.path());
    REQUIRE(checked.exit_code == 1);
    const std::string rule =
        " is published under its own name, which may use only lower-case ASCII letters, digits, \"-\", \"_\" and \".\"\n";
    const std::string why = " and link to that name, so that every server, mirror and disk has the same name\n";
    REQUIRE(checked.err ==
            "plans/2011-2014/chapters/introduction.md:9:6: error[CY404]: the linked file "
            "plans/2011-2014/chapters/Annual_Report.PDF" + rule +
            "  hint: rename it to plans/2011-2014/chapters/annual_report.pdf" + why +
            "plans/2011-2014/chapters/introduction.md:10:9: error[CY404]: the linked file "
            "plans/2011-2014/chapters/maps/\xC3\x81rea Map (2011).png" + rule +
            "  hint: rename it to plans/2011-2014/chapters/maps/area-map-2011.png" + why +
            "2 errors, 0 warnings\n");

    // Renamed as the hint says, it builds, under files/ with that name.
    stdfs::rename(site.file("plans/2011-2014/chapters/Annual_Report.PDF"),
                  site.file("plans/2011-2014/chapters/annual_report.pdf"));
    stdfs::rename(site.file("plans/2011-2014/chapters/maps/\xC3\x81rea Map (2011).png"),
                  site.file("plans/2011-2014/chapters/maps/area-map-2011.png"));
    site.replace("plans/2011-2014/chapters/introduction.md", "(Annual_Report.PDF)", "(annual_report.pdf)");
    site.replace("plans/2011-2014/chapters/introduction.md", "(<maps/\xC3\x81rea Map (2011).png>)", "(maps/area-map-2011.png)");
    RunResult built = run_cypp({"build", "--no-history", "--today", "2011-06-01"}, {}, site.path());
    INFO(built.err);
    REQUIRE(built.exit_code == 0);
    REQUIRE(stdfs::exists(site.file("public/files/plans/2011-2014/chapters/annual_report.pdf")));
    REQUIRE(stdfs::exists(site.file("public/files/plans/2011-2014/chapters/maps/area-map-2011.png")));
    require_publishable_names(site.file("public"));
}

}  // namespace
