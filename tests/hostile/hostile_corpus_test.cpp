// The hostile-input corpus (issue #9): every case in cases.json is a fixture plus edits,
// built by the real cypp binary under a wall-clock and a memory limit. Each case states
// exactly the exit code and the diagnostics (code and file) it must give; a case that
// builds must also leave no script URL, no event-handler attribute and no withheld
// respondent's name anywhere in the output, file names included.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.h"
#include "git_fixture.h"

using namespace cypp::testing;
namespace stdfs = std::filesystem;
using nlohmann::json;

namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool under_address_sanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool under_address_sanitizer = true;
#else
constexpr bool under_address_sanitizer = false;
#endif
#else
constexpr bool under_address_sanitizer = false;
#endif

// 2 s and 256 MiB per case (issue #9). The 2 s are of CPU as well as of the clock:
// four engineers share two cores, and a case using 0.4 s of CPU once took 2.1 s on the
// clock (run_cypp_limited). AddressSanitizer reserves terabytes of address space and
// runs several times slower, so under it the memory limit is off and the time is five
// times as long.
RunLimits case_limits() {
    RunLimits limits;
    limits.wall_milliseconds = under_address_sanitizer ? 10000 : 2000;
    limits.address_space_bytes = under_address_sanitizer ? 0 : 256ul * 1024 * 1024;
    return limits;
}

const json& corpus() {
    static const json cases = json::parse(read_file(CYPP_HOSTILE_CASES));
    return cases;
}

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::runtime_error(std::string("not a hex digit: ") + c);
}

// A content spec: a string; {"repeat": spec, "times": n}; {"numbered": ...} (below);
// {"hex": "efbbbf"}; or an
// array of specs, concatenated. Huge inputs are generated here, never stored.
std::string content_of(const json& spec) {
    if (spec.is_string()) return spec.get<std::string>();
    if (spec.is_array()) {
        std::string text;
        for (const json& part : spec) text += content_of(part);
        return text;
    }
    if (spec.contains("repeat")) {
        const std::string unit = content_of(spec.at("repeat"));
        const long times = spec.at("times").get<long>();
        std::string text;
        text.reserve(unit.size() * static_cast<std::size_t>(times));
        for (long i = 0; i < times; ++i) text += unit;
        return text;
    }
    if (spec.contains("numbered")) {  // {"numbered": "k{}, ", "times": n}: {} becomes 0 ... n-1
        const std::string unit = spec.at("numbered").get<std::string>();
        const std::size_t slot = unit.find("{}");
        std::string text;
        for (long i = 0, times = spec.at("times").get<long>(); i < times; ++i)
            text += slot == std::string::npos ? unit : unit.substr(0, slot) + std::to_string(i) + unit.substr(slot + 2);
        return text;
    }
    if (spec.contains("hex")) {
        const std::string hex = spec.at("hex").get<std::string>();
        std::string bytes;
        for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
            bytes += static_cast<char>(hex_digit(hex[i]) * 16 + hex_digit(hex[i + 1]));
        return bytes;
    }
    throw std::runtime_error("unknown content spec " + spec.dump());
}

void write_bytes(const stdfs::path& path, const std::string& content) {
    stdfs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

// Applies one edit inside site (outside = the folder that holds the site folder).
void apply_edit(const stdfs::path& site, const json& edit) {
    const std::string op = edit.at("op");
    const stdfs::path file = site / edit.value("file", std::string());
    if (op == "write") {
        write_bytes(file, content_of(edit.at("content")));
    } else if (op == "append") {
        write_bytes(file, read_file(file) + content_of(edit.at("content")));
    } else if (op == "replace") {
        std::string text = read_file(file);
        const std::string from = content_of(edit.at("from")), to = content_of(edit.at("to"));
        std::size_t at = text.find(from);
        if (at == std::string::npos) throw std::runtime_error(from + " not found in " + file.string());
        if (edit.value("all", false)) {
            for (; at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
        } else {
            text.replace(at, from.size(), to);
        }
        write_bytes(file, text);
    } else if (op == "remove") {
        stdfs::remove_all(file);
    } else if (op == "mkdir") {
        stdfs::create_directories(file);
    } else if (op == "symlink") {
        stdfs::remove(file);
        stdfs::create_directories(file.parent_path());
        stdfs::create_symlink(edit.at("target").get<std::string>(), file);
    } else if (op == "write_outside") {
        write_bytes(site.parent_path() / edit.at("name").get<std::string>(), content_of(edit.at("content")));
    } else if (op == "sparse") {
        // A file of that size without writing its bytes (for limits in the tens of MiB).
        stdfs::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary | std::ios::trunc).close();
        stdfs::resize_file(file, edit.at("size").get<std::uintmax_t>());
    } else {
        throw std::runtime_error("unknown edit op " + op);
    }
}

void apply_edits(const stdfs::path& site, const json& test_case, const char* key) {
    if (!test_case.contains(key)) return;
    for (const json& edit : test_case.at(key)) apply_edit(site, edit);
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// Names, organisations and addresses of every respondent who did not consent to be
// named, from every plan's consultation.json as the case left it.
std::vector<std::string> withheld_details(const stdfs::path& site) {
    std::vector<std::string> details;
    const stdfs::path plans = site / "plans";
    if (!stdfs::is_directory(plans)) return details;
    for (const auto& plan : stdfs::directory_iterator(plans)) {
        const stdfs::path record = plan.path() / "consultation.json";
        if (!stdfs::is_regular_file(record)) continue;
        json consultation = json::parse(read_file(record), nullptr, false);
        if (!consultation.is_object() || !consultation.contains("responses")) continue;
        for (const json& response : consultation["responses"]) {
            if (!response.is_object() || response.value("consent", std::string()) == "publish-with-name") continue;
            for (const char* field : {"name", "organisation", "address"})
                if (response.contains(field) && response[field].is_string() && !response[field].get<std::string>().empty())
                    details.push_back(response[field].get<std::string>());
        }
    }
    return details;
}

std::string html_escape(const std::string& text) {
    std::string escaped;
    for (char c : text) {
        switch (c) {
        case '&': escaped += "&amp;"; break;
        case '<': escaped += "&lt;"; break;
        case '>': escaped += "&gt;"; break;
        case '"': escaped += "&quot;"; break;
        case '\'': escaped += "&#39;"; break;
        default: escaped += c;
        }
    }
    return escaped;
}

// Whether text contains detail with any run of white space (a wrapped line) where
// detail has a space.
bool contains_detail(const std::string& text, const std::string& detail) {
    std::vector<std::string> words;
    std::istringstream split(detail);
    for (std::string word; split >> word;) words.push_back(word);
    if (words.empty()) return false;
    for (std::size_t at = text.find(words[0]); at != std::string::npos; at = text.find(words[0], at + 1)) {
        std::size_t position = at + words[0].size();
        bool matched = true;
        for (std::size_t w = 1; w < words.size() && matched; ++w) {
            std::size_t gap = position;
            while (gap < text.size() && std::isspace(static_cast<unsigned char>(text[gap]))) ++gap;
            matched = gap > position && text.compare(gap, words[w].size(), words[w]) == 0;
            position = gap + words[w].size();
        }
        if (matched) return true;
    }
    return false;
}

// Decodes the character references an HTML attribute value may hide a scheme behind.
std::string decode_attribute(const std::string& value) {
    std::string decoded;
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i] == '&' && i + 2 < value.size() && value[i + 1] == '#') {
            std::size_t end = value.find(';', i);
            const bool hex = value[i + 2] == 'x' || value[i + 2] == 'X';
            std::string digits = value.substr(i + (hex ? 3 : 2), end == std::string::npos ? std::string::npos : end - i - (hex ? 3 : 2));
            try {
                long code = std::stol(digits, nullptr, hex ? 16 : 10);
                if (code < 128) decoded += static_cast<char>(code);
                if (end != std::string::npos) i = end;
                continue;
            } catch (const std::exception&) {
            }
        }
        if (value.compare(i, 7, "&colon;") == 0) {
            decoded += ':';
            i += 6;
            continue;
        }
        decoded += value[i];
    }
    return decoded;
}

// Every start tag's attributes in an HTML (or SVG/XML) document: name, raw value.
std::vector<std::pair<std::string, std::string>> attributes_of(const std::string& document) {
    std::vector<std::pair<std::string, std::string>> attributes;
    for (std::size_t open = document.find('<'); open != std::string::npos; open = document.find('<', open + 1)) {
        std::size_t i = open + 1;
        if (i >= document.size() || !std::isalpha(static_cast<unsigned char>(document[i]))) continue;
        while (i < document.size() && !std::isspace(static_cast<unsigned char>(document[i])) && document[i] != '>') ++i;
        while (i < document.size() && document[i] != '>') {
            while (i < document.size() && (std::isspace(static_cast<unsigned char>(document[i])) || document[i] == '/')) ++i;
            std::size_t name_start = i;
            while (i < document.size() && !std::isspace(static_cast<unsigned char>(document[i])) && document[i] != '=' &&
                   document[i] != '>' && document[i] != '/')
                ++i;
            std::string name = lower(document.substr(name_start, i - name_start));
            while (i < document.size() && std::isspace(static_cast<unsigned char>(document[i]))) ++i;
            std::string value;
            if (i < document.size() && document[i] == '=') {
                ++i;
                while (i < document.size() && std::isspace(static_cast<unsigned char>(document[i]))) ++i;
                if (i < document.size() && (document[i] == '"' || document[i] == '\'')) {
                    const char quote = document[i];
                    std::size_t close = document.find(quote, i + 1);
                    if (close == std::string::npos) close = document.size();
                    value = document.substr(i + 1, close - i - 1);
                    i = close + 1;
                } else {
                    std::size_t value_start = i;
                    while (i < document.size() && !std::isspace(static_cast<unsigned char>(document[i])) && document[i] != '>') ++i;
                    value = document.substr(value_start, i - value_start);
                }
            }
            if (!name.empty()) attributes.emplace_back(name, value);
            if (name.empty() && i < document.size() && document[i] != '>') ++i;  // stray character
        }
        open = i < document.size() ? i : document.size() - 1;
    }
    return attributes;
}

bool dangerous_url(const std::string& raw) {
    std::string url;
    for (char c : decode_attribute(raw))
        if (static_cast<unsigned char>(c) > 0x20) url += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return url.starts_with("javascript:") || url.starts_with("vbscript:") || url.starts_with("data:text");
}

// The proofs over a built site: no script URL, no event handler, no withheld detail.
void check_output(const stdfs::path& out, const std::vector<std::string>& withheld, bool prose_mentions_schemes) {
    int files = 0;
    for (const auto& entry : stdfs::recursive_directory_iterator(out)) {
        const std::string name = entry.path().lexically_relative(out).generic_string();
        INFO("output file " << name);
        for (const std::string& detail : withheld) {
            INFO("withheld detail " << detail);
            CHECK_FALSE(contains_detail(name, detail));
        }
        if (!entry.is_regular_file()) continue;
        ++files;
        const std::string content = read_file(entry.path());
        for (const std::string& detail : withheld) {
            INFO("withheld detail " << detail);
            CHECK_FALSE(contains_detail(content, detail));
            CHECK_FALSE(contains_detail(content, html_escape(detail)));
        }
        const bool markup = name.ends_with(".html") || name.ends_with(".svg") || name.ends_with(".xml");
        if (markup) {
            for (const auto& [attribute, value] : attributes_of(content)) {
                INFO("attribute " << attribute << "=\"" << value << "\"");
                CHECK_FALSE(attribute.starts_with("on"));
                CHECK_FALSE(dangerous_url(value));
            }
        }
        if (!prose_mentions_schemes) {
            const std::string text = lower(content);
            CHECK(text.find("javascript:") == std::string::npos);
            CHECK(text.find("vbscript:") == std::string::npos);
            CHECK(text.find("data:text") == std::string::npos);
        }
    }
    CHECK(files > 10);
}

// "CODE file" for every diagnostic of a --format json report.
std::set<std::string> diagnostics_of(const std::string& report_text) {
    std::set<std::string> found;
    json report = json::parse(report_text);
    for (const json& diagnostic : report.at("diagnostics"))
        found.insert(diagnostic.at("code").get<std::string>() + " " + diagnostic.at("file").get<std::string>());
    return found;
}

std::string describe(const std::set<std::string>& items) {
    std::string text;
    for (const std::string& item : items) text += "\n  " + item;
    return text.empty() ? " (none)" : text;
}

// The site a case builds: a copy of a fixture, or a throwaway git repository.
struct CaseSite {
    std::unique_ptr<TempSite> plain;
    std::unique_ptr<GitFixture> git;
    stdfs::path path() const { return plain ? plain->path() : git->site(); }
};

CaseSite prepare(const json& test_case) {
    CaseSite site;
    const std::string fixture = test_case.value("fixture", std::string("minimal"));
    if (test_case.contains("commits")) {
        site.git = std::make_unique<GitFixture>();
        site.git->add_fixture(fixture);
        for (const json& commit : test_case.at("commits")) {
            apply_edits(site.git->site(), commit, "edits");
            const std::string date = commit.value("date", std::string("2011-03-25"));
            const std::string made = site.git->commit(commit.value("subject", std::string("Edit")), date,
                                                      commit.value("note", std::string()));
            if (commit.contains("tag"))
                site.git->tag(commit.at("tag").at("name"), made, commit.at("tag").at("message"), date);
        }
    } else {
        site.plain = std::make_unique<TempSite>(fixture);
    }
    apply_edits(site.path(), test_case, "edits");
    return site;
}

void run_case(const json& test_case) {
    const std::string id = test_case.at("id");
    INFO("case " << id << ": " << test_case.value("description", std::string()));
    CaseSite site = prepare(test_case);
    // --no-pdf: the print edition's PDF comes from chromium, a browser with its own
    // timeout that cannot start in 256 MiB; what it prints is checked here as HTML.
    std::vector<std::string> arguments{"build", "--format", "json", "--no-pdf", "--today",
                                       test_case.value("today", std::string("2011-06-01"))};
    if (!test_case.contains("commits")) arguments.push_back("--no-history");
    for (const json& argument : test_case.value("args", json::array())) arguments.push_back(argument);
    const LimitedRunResult run = run_cypp_limited(arguments, case_limits(), site.path(), {{"SOURCE_DATE_EPOCH", "\x01"}});
    INFO("stderr: " << run.run.err.substr(0, 2000));
    INFO("took " << run.wall_milliseconds << " ms (" << run.cpu_milliseconds << " ms of CPU)");
    if (run.timed_out || run.signal != 0) {  // the rest would say nothing more
        CHECK_FALSE(run.timed_out);
        CHECK(run.signal == 0);
        return;
    }
    CHECK(run.run.exit_code == test_case.at("exit").get<int>());

    std::set<std::string> expected;
    for (const json& diagnostic : test_case.at("diagnostics")) expected.insert(diagnostic.get<std::string>());
    std::set<std::string> actual;
    try {
        actual = diagnostics_of(run.run.out);
    } catch (const std::exception& error) {
        FAIL("no JSON report on stdout (" << error.what() << "): " << run.run.out.substr(0, 500));
    }
    if (const char* record = std::getenv("CYPP_HOSTILE_RECORD")) {  // what each case gives, for reviewing the corpus
        json outcome{{"id", id}, {"exit", run.run.exit_code}, {"diagnostics", actual}, {"ms", run.wall_milliseconds},
                     {"cpu_ms", run.cpu_milliseconds}};
        std::ofstream(record, std::ios::app) << outcome.dump() << "\n";
    }
    INFO("expected diagnostics:" << describe(expected) << "\nactual diagnostics:" << describe(actual));
    CHECK(actual == expected);

    const stdfs::path out = site.path() / "public";
    if (run.run.exit_code != 0) {
        CHECK_FALSE(stdfs::exists(out));  // a refused build writes nothing
        return;
    }
    REQUIRE(stdfs::is_directory(out));
    check_output(out, withheld_details(site.path()), test_case.value("prose_mentions_schemes", false));
    for (const json& expectation : test_case.value("output_contains", json::array())) {
        const std::string file = expectation.at(0), text = content_of(expectation.at(1));
        INFO("expected in " << file << ": " << text);
        REQUIRE(stdfs::is_regular_file(out / file));
        CHECK(read_file(out / file).find(text) != std::string::npos);
    }
    for (const json& expectation : test_case.value("output_lacks", json::array())) {
        const std::string text = content_of(expectation);
        INFO("must not be in the output: " << text);
        for (const auto& [name, content] : read_tree(out)) {
            INFO(name);
            CHECK(content.find(text) == std::string::npos);
        }
    }
}

const std::vector<std::string> groups{"markdown", "sizes", "encoding", "json", "links", "urls", "html", "templates", "paths", "withheld", "git"};

void run_group(const std::string& group) {
    int count = 0;
    const char* only = std::getenv("CYPP_HOSTILE_CASE");  // run one case while debugging
    for (const json& test_case : corpus().at("cases")) {
        if (test_case.at("group") != group) continue;
        if (only && test_case.at("id") != only) continue;
        ++count;
        run_case(test_case);
    }
    if (!only) CHECK(count > 0);
}

}  // namespace

TEST_CASE("the corpus has at least 100 cases, each with a unique id in a known group", "[hostile]") {
    std::set<std::string> ids;
    for (const json& test_case : corpus().at("cases")) {
        INFO(test_case.dump().substr(0, 200));
        REQUIRE(ids.insert(test_case.at("id").get<std::string>()).second);
        REQUIRE(std::find(groups.begin(), groups.end(), test_case.at("group").get<std::string>()) != groups.end());
        REQUIRE(!test_case.at("description").get<std::string>().empty());
        REQUIRE(test_case.at("exit").is_number_integer());
        REQUIRE(test_case.at("diagnostics").is_array());
    }
    REQUIRE(ids.size() >= 100);
}

TEST_CASE("hostile Markdown: pathological patterns for cmark-gfm", "[hostile]") { run_group("markdown"); }
TEST_CASE("hostile sizes: files over each cap, empty files, output many times the input", "[hostile]") { run_group("sizes"); }
TEST_CASE("hostile encodings: BOMs, CRLF, NUL bytes, invalid UTF-8, binary files", "[hostile]") { run_group("encoding"); }
TEST_CASE("hostile JSON: nesting, duplicate keys, numbers out of range", "[hostile]") { run_group("json"); }
TEST_CASE("hostile links: to themselves, to headings, to files", "[hostile]") { run_group("links"); }
TEST_CASE("hostile URLs: javascript, vbscript and data schemes in links and images", "[hostile]") { run_group("urls"); }
TEST_CASE("hostile HTML: raw HTML, event handlers, script", "[hostile]") { run_group("html"); }
TEST_CASE("hostile template data: mustache tags in every text field", "[hostile]") { run_group("templates"); }
TEST_CASE("hostile paths: absolute, dot-dot and symbolic links out of the site", "[hostile]") { run_group("paths"); }
TEST_CASE("hostile confidentiality: withheld respondents named in content", "[hostile]") { run_group("withheld"); }
TEST_CASE("hostile history: withheld names in change notes and commit messages", "[hostile]") { run_group("git"); }
