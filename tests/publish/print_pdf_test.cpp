// The print edition's PDF without a real chromium: the reproducibility rewrite on small
// hand-made PDFs, and add_print_pdf driving fake chromium scripts (success, failure,
// a hang that must be cut off).
#include <catch2/catch.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <vector>

#include "publish/print_pdf.h"
#include "test_support.h"

namespace {

using namespace publish_test;
using cypp::publish::make_pdf_reproducible;

// A PDF laid out as Skia writes it: numbered objects, one cross-reference table, a
// trailer with /Info, dates in the /Info dictionary, links as /URI strings.
std::string sample_pdf(const std::string& link_base, const std::string& date, const std::string& id = "",
                       const std::string& title = "Testshire plan") {
    const std::vector<std::string> objects = {
        "<</Title (" + title + " \\(print edition\\))\n/Producer (Skia/PDF m156)\n/CreationDate (D:" + date +
            ")\n/ModDate (D:" + date + ")>>",
        "<</Type /Catalog\n/Pages 3 0 R>>",
        "<</Type /Pages\n/Kids [4 0 R]\n/Count 1>>",
        "<</Type /Page\n/Parent 3 0 R\n/Annots [5 0 R 6 0 R]\n/Contents 7 0 R>>",
        "<</Type /Annot\n/Subtype /Link\n/A <</S /URI\n/URI (" + link_base + "publication/index.html)>>>>",
        "<</Type /Annot\n/Subtype /Link\n/A <</S /URI\n/URI (https://example.gov.uk/cypp/index.html)>>>>",
        "<</Length 11>> stream\nBT (x) Tj ET\nendstream",
    };
    std::string pdf = "%PDF-1.4\n%\xD3\xEB\xE9\xE1\n";
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < objects.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const std::size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (std::size_t offset : offsets) {
        char entry[32];
        std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
        pdf += entry;
    }
    pdf += "trailer\n<</Size " + std::to_string(objects.size() + 1) + "\n/Root 2 0 R\n/Info 1 0 R" +
           (id.empty() ? "" : "\n/ID [<" + id + "> <" + id + ">]") + ">>\nstartxref\n" + std::to_string(xref) +
           "\n%%EOF";
    return pdf;
}

// Every in-use entry of the cross-reference table points at "N 0 obj", and startxref
// at the table: what a PDF reader relies on.
bool cross_references_hold(const std::string& pdf) {
    const std::size_t startxref = pdf.rfind("startxref\n");
    if (startxref == std::string::npos) return false;
    const std::size_t xref = std::stoul(pdf.substr(startxref + 10));
    if (pdf.compare(xref, 5, "xref\n") != 0) return false;
    std::size_t at = pdf.find('\n', xref + 5) + 1;
    for (int object = 0; pdf.compare(at, 7, "trailer") != 0; ++object, at += 20) {
        if (pdf[at + 17] != 'n') continue;
        const std::string header = std::to_string(object) + " 0 obj";
        if (pdf.compare(std::stoul(pdf.substr(at, 10)), header.size(), header) != 0) return false;
    }
    return true;
}

const std::string temporary_base = "file:///tmp/cypp-pdf-Ab12Cd/site/";

TEST_CASE("the PDF gets the build date and links relative to print/", "[publish][pdf]") {
    std::string pdf = sample_pdf(temporary_base, "20261125190406+00'00'");
    REQUIRE(cross_references_hold(pdf));
    REQUIRE_FALSE(make_pdf_reproducible(pdf, temporary_base, "print/2011-2014.pdf", "2013-06-18"));
    REQUIRE(pdf == sample_pdf("../", "20130618000000+00'00'"));
    REQUIRE(cross_references_hold(pdf));
}

TEST_CASE("two printings from different folders at different times give the same bytes", "[publish][pdf]") {
    std::string first = sample_pdf(temporary_base, "20261125190406+00'00'", "0123456789abcdef0123456789abcdef");
    const std::string other_base = "file:///var/tmp/a%20longer%20folder/cypp-pdf-Zz99Yy/site/";
    std::string second = sample_pdf(other_base, "20270101235959-05'00'", "fedcba9876543210fedcba9876543210");
    REQUIRE_FALSE(make_pdf_reproducible(first, temporary_base, "print/2011-2014.pdf", "2013-06-18"));
    REQUIRE_FALSE(make_pdf_reproducible(second, other_base, "print/2011-2014.pdf", "2013-06-18"));
    REQUIRE(first == second);
    REQUIRE(cross_references_hold(first));
    // The document id comes from the content: 32 hex digits, the same in both places.
    const std::size_t id = first.find("/ID [<");
    REQUIRE(id != std::string::npos);
    const std::string digits = first.substr(id + 6, 32);
    REQUIRE(digits != "0123456789abcdef0123456789abcdef");
    REQUIRE(first.compare(id + 6 + 32, 4, "> <" + digits.substr(0, 1)) == 0);
}

TEST_CASE("a PDF the rewrite does not understand is refused, not half-rewritten", "[publish][pdf]") {
    const std::string good = sample_pdf(temporary_base, "20261125190406+00'00'");

    std::string not_pdf = "<html></html>";
    REQUIRE(make_pdf_reproducible(not_pdf, temporary_base, "print/a.pdf", "2013-06-18") ==
            std::optional<std::string>("it is not a PDF file"));

    std::string stream_xref = good;  // startxref pointing at an object: a cross-reference stream
    stream_xref.replace(stream_xref.rfind("startxref\n") + 10, std::string::npos, "15\n%%EOF");
    REQUIRE(make_pdf_reproducible(stream_xref, temporary_base, "print/a.pdf", "2013-06-18") ==
            std::optional<std::string>("its cross-reference table cannot be found (a cross-reference stream?)"));

    std::string updated = good;
    updated.replace(updated.find("/Root 2 0 R"), 11, "/Prev 9 0 R");
    REQUIRE(make_pdf_reproducible(updated, temporary_base, "print/a.pdf", "2013-06-18") ==
            std::optional<std::string>("it has more than one cross-reference section"));

    // The temporary folder named somewhere else than in a link (here, the title).
    std::string leaky = sample_pdf(temporary_base, "20261125190406+00'00'", "", "/tmp/cypp-pdf-Ab12Cd/site/ plan");
    std::string before = leaky;
    REQUIRE(make_pdf_reproducible(leaky, temporary_base, "print/a.pdf", "2013-06-18") ==
            std::optional<std::string>("it still names the temporary folder it was printed from"));
    REQUIRE(leaky == before);

    std::string dated = good;
    REQUIRE(make_pdf_reproducible(dated, temporary_base, "print/a.pdf", "18 June 2013") ==
            std::optional<std::string>("the date \"18 June 2013\" is not YYYY-MM-DD"));
}

TEST_CASE("print_pdf_path puts the PDF beside the print edition", "[publish][pdf]") {
    REQUIRE(cypp::publish::print_pdf_path("2011-2014") == "print/2011-2014.pdf");
}

// Sets an environment variable for one scope (nullptr unsets it).
class ScopedEnvironment {
public:
    ScopedEnvironment(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        value ? ::setenv(name, value, 1) : ::unsetenv(name);
    }
    ~ScopedEnvironment() { old_ ? ::setenv(name_, old_->c_str(), 1) : ::unsetenv(name_); }

private:
    const char* name_;
    std::optional<std::string> old_;
};

stdfs::path write_script(const stdfs::path& path, const std::string& body) {
    spit(path, "#!/bin/sh\n" + body);
    stdfs::permissions(path, stdfs::perms::owner_all);
    return path;
}

TEST_CASE("chromium is looked for in CYPP_CHROMIUM, else on PATH", "[publish][pdf]") {
    const stdfs::path folder = fresh_folder("find-chromium");
    const stdfs::path fake = write_script(folder / "bin" / "chromium", "exit 0\n");
    {
        ScopedEnvironment chromium("CYPP_CHROMIUM", "/nonexistent/chromium");
        auto search = cypp::publish::find_chromium();
        REQUIRE_FALSE(search.found);
        REQUIRE(search.looked_for == "CYPP_CHROMIUM=/nonexistent/chromium");
    }
    ScopedEnvironment chromium("CYPP_CHROMIUM", nullptr);
    {
        ScopedEnvironment path("PATH", ("/nonexistent::" + (folder / "bin").string()).c_str());
        auto search = cypp::publish::find_chromium();
        REQUIRE(search.found == fake);
    }
    {
        ScopedEnvironment path("PATH", "/nonexistent");
        auto search = cypp::publish::find_chromium();
        REQUIRE_FALSE(search.found);
        REQUIRE(search.looked_for == "chromium on PATH");
    }
    stdfs::remove_all(folder);
}

cypp::fs::OutputTree print_tree() {
    cypp::fs::OutputTree tree;
    tree.add("print/index.html", "<!doctype html><link rel=\"stylesheet\" href=\"../assets/style.css\">"
                                 "<img src=\"../files/images/map.png\" alt=\"Map\"><a href=\"../index.html\">Home</a>");
    tree.add("assets/style.css", "body { font-size: 12pt; }");
    tree.add("files/images/map.png", "PNG");
    tree.add("files/unused.pdf", "not needed to print");
    tree.add("index.html", "<p>Home</p>");
    return tree;
}

// The argument after "--print-to-pdf=", the profile folder and the URL, as the fake saw them.
std::string argument_with(const std::string& arguments, const std::string& prefix) {
    const std::size_t at = arguments.find(prefix);
    if (at == std::string::npos) return {};
    return arguments.substr(at + prefix.size(), arguments.find('\n', at) - at - prefix.size());
}

TEST_CASE("add_print_pdf prints the page with what it loads and adds the reproducible PDF", "[publish][pdf]") {
    const stdfs::path folder = fresh_folder("fake-chromium");
    spit(folder / "made.pdf", sample_pdf("https://example.gov.uk/", "20261125190406+00'00'"));
    const stdfs::path record = folder / "record";
    // Saves its arguments and the files it was given, then "prints" made.pdf.
    const stdfs::path fake = write_script(
        folder / "chromium",
        "for a in \"$@\"; do echo \"$a\"; done > " + quoted(record / "arguments") + "\n"
        "out=''; url=''\n"
        "for a in \"$@\"; do case \"$a\" in --print-to-pdf=*) out=\"${a#--print-to-pdf=}\";; file://*) url=\"$a\";; esac; done\n"
        "site=\"${url#file://}\"; site=\"${site%/print/index.html}\"\n"
        "(cd \"$site\" && find . -type f | sort) > " + quoted(record / "files") + "\n"
        "echo \"$HOME $TZ\" > " + quoted(record / "environment") + "\n"
        "cp " + quoted(folder / "made.pdf") + " \"$out\"\n");
    stdfs::create_directories(record);

    cypp::fs::OutputTree tree = print_tree();
    auto failure = cypp::publish::add_print_pdf(
        tree, {.chromium = fake, .pdf_path = "print/2011-2014.pdf", .date = "2013-06-18"});
    REQUIRE_FALSE(failure);
    REQUIRE(tree.files().at("print/2011-2014.pdf") == sample_pdf("https://example.gov.uk/", "20130618000000+00'00'"));

    const std::string arguments = "\n" + slurp(record / "arguments");
    for (const char* flag : {"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                             "--disable-background-networking", "--disable-component-update", "--disable-sync",
                             "--no-pdf-header-footer"}) {
        INFO(flag);
        REQUIRE(arguments.find(std::string("\n") + flag + "\n") != std::string::npos);
    }
    const std::string url = argument_with(arguments, "file://");
    REQUIRE(url.ends_with("/site/print/index.html"));
    REQUIRE(slurp(record / "files") == "./assets/style.css\n./files/images/map.png\n./print/index.html\n");
    // Its own profile and home, both inside the temporary folder, which is gone now.
    const stdfs::path profile = argument_with(arguments, "--user-data-dir=");
    REQUIRE(profile.filename() == "profile");
    REQUIRE(slurp(record / "environment") == (profile.parent_path() / "home").string() + " UTC\n");
    REQUIRE_FALSE(stdfs::exists(profile.parent_path()));
    stdfs::remove_all(folder);
}

TEST_CASE("a chromium that fails or hangs is an error and adds nothing", "[publish][pdf]") {
    const stdfs::path folder = fresh_folder("broken-chromium");
    const stdfs::path failing = write_script(folder / "failing", "echo 'noise' >&2\necho 'cannot open display' >&2\nexit 3\n");
    cypp::fs::OutputTree tree = print_tree();
    const auto before = tree.files();
    auto failure = cypp::publish::add_print_pdf(tree, {.chromium = failing, .pdf_path = "print/a.pdf", .date = "2013-06-18"});
    REQUIRE(failure == std::optional<std::string>("chromium (" + failing.string() +
                                                  ") made no PDF (exit status 3): cannot open display"));
    REQUIRE(tree.files() == before);

    // A chromium that never finishes, with a helper process of its own: both are killed.
    const stdfs::path hanging = write_script(folder / "hanging", "sleep 60 &\necho $! > " + quoted(folder / "helper") +
                                                                     "\necho $$ > " + quoted(folder / "main") + "\nwait\n");
    const auto start = std::chrono::steady_clock::now();
    failure = cypp::publish::add_print_pdf(
        tree, {.chromium = hanging, .pdf_path = "print/a.pdf", .date = "2013-06-18", .timeout = std::chrono::milliseconds(700)});
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE(failure == std::optional<std::string>("chromium (" + hanging.string() +
                                                  ") did not finish within 700 ms and was stopped"));
    REQUIRE(took < std::chrono::seconds(10));
    REQUIRE(tree.files() == before);
    for (const char* name : {"main", "helper"}) {
        const pid_t pid = static_cast<pid_t>(std::stol(slurp(folder / name)));
        INFO(name << " " << pid);
        bool gone = false;  // the helper is reaped by init a moment later
        for (int wait = 0; wait < 100 && !gone; ++wait) {
            gone = ::kill(pid, 0) != 0 || slurp("/proc/" + std::to_string(pid) + "/stat").find(") Z ") != std::string::npos;
            if (!gone) ::usleep(20000);
        }
        REQUIRE(gone);
    }
    stdfs::remove_all(folder);
}

}  // namespace
