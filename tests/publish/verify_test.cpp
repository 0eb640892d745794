#include <catch2/catch.hpp>

#include "publish/verify.h"
#include "test_support.h"

using namespace cypp::publish;
using namespace publish_test;

namespace {

stdfs::path published_copy(const std::string& name) {
    const auto folder = fresh_folder(name);
    cypp::fs::OutputTree tree = sample_tree();
    REQUIRE_FALSE(cypp::fs::commit_output(tree, folder / "out"));
    return folder;
}

}  // namespace

TEST_CASE("verify_folder accepts an exact copy", "[publish]") {
    const auto folder = published_copy("verify-exact");
    const auto report = verify_folder(folder / "out");  // with commit_output's marker file
    REQUIRE(report.ok());
    REQUIRE(report.checked == 6);
    REQUIRE(report.manifest_sha256 == sha256_hex(slurp(folder / "out/manifest.json")));
    REQUIRE(format_report(report) == exact_copy_report(6, slurp(folder / "out/manifest.json")));
    stdfs::remove_all(folder);
}

TEST_CASE("verify_folder accepts cypp's marker file only as cypp writes it", "[publish]") {
    const auto folder = published_copy("verify-marker");
    std::ofstream(folder / "out/.cypp-output", std::ios::trunc) << "<script>alert(1)</script>\n";
    const auto report = verify_folder(folder / "out");
    REQUIRE(report.unexpected == std::vector<std::string>{".cypp-output"});
    REQUIRE_FALSE(report.ok());
    stdfs::remove_all(folder);
}

TEST_CASE("verify_folder names a tampered, a missing and an extra file", "[publish]") {
    const auto folder = published_copy("verify-tampered");
    const auto out = folder / "out";
    spit(out / "plan/2012-2015/index.html", "<p>Priorities</p>\n<script>alert(1)</script>\n");
    spit(out / "assets/site.css", "body { font-family: serif; }\n");  // same size, other bytes
    stdfs::remove(out / "plan/2012-2015/child/index.html");
    spit(out / "extra/notice.html", "<p>Not part of the plan</p>\n");

    const auto report = verify_folder(out);
    REQUIRE_FALSE(report.ok());
    REQUIRE(report.error.empty());
    REQUIRE(report.altered == std::vector<std::string>{"assets/site.css", "plan/2012-2015/index.html"});
    REQUIRE(report.missing == std::vector<std::string>{"plan/2012-2015/child/index.html"});
    REQUIRE(report.unexpected == std::vector<std::string>{"extra/notice.html"});
    REQUIRE(report.unsafe.empty());
    REQUIRE(format_report(report) ==
            "missing: plan/2012-2015/child/index.html\n"
            "altered: assets/site.css\n"
            "altered: plan/2012-2015/index.html\n"
            "unexpected: extra/notice.html\n"
            "FAILED: 1 missing, 2 altered, 1 unexpected; this copy does not match its manifest\n");
    stdfs::remove_all(folder);
}

TEST_CASE("verify_folder checks SHA256SUMS against the manifest", "[publish]") {
    const auto folder = published_copy("verify-sums");
    const auto out = folder / "out";
    spit(out / "SHA256SUMS", slurp(out / "SHA256SUMS") + std::string(64, '0') + "  other.html\n");
    REQUIRE(verify_folder(out).altered == std::vector<std::string>{"SHA256SUMS"});
    stdfs::remove(out / "SHA256SUMS");
    REQUIRE(verify_folder(out).missing == std::vector<std::string>{"SHA256SUMS"});
    stdfs::remove_all(folder);
}

TEST_CASE("verify_folder reports symbolic links as unsafe and does not follow them", "[publish]") {
    const auto folder = published_copy("verify-symlink");
    const auto out = folder / "out";
    spit(folder / "outside.txt", "secret");
    stdfs::remove(out / "empty.txt");
    stdfs::create_symlink(folder / "outside.txt", out / "empty.txt");
    stdfs::create_directory_symlink(folder, out / "loop");
    const auto report = verify_folder(out);
    REQUIRE(report.unsafe == std::vector<std::string>{"empty.txt", "loop"});
    REQUIRE(report.missing.empty());  // reported once, as unsafe
    REQUIRE(report.altered.empty());
    REQUIRE(report.unexpected.empty());
    REQUIRE_FALSE(report.ok());
    stdfs::remove_all(folder);
}

TEST_CASE("verify_folder reports a missing or malformed manifest as an error", "[publish]") {
    const auto folder = published_copy("verify-manifest");
    const auto out = folder / "out";
    const std::string manifest = slurp(out / "manifest.json");

    stdfs::remove(out / "manifest.json");
    auto report = verify_folder(out);
    REQUIRE_FALSE(report.ok());
    REQUIRE(report.error.find("no manifest.json") != std::string::npos);
    REQUIRE(format_report(report).find("FAILED: there is no manifest.json") != std::string::npos);

    spit(out / "manifest.json", "{\"format\": 1, \"files\": [");
    REQUIRE(verify_folder(out).error == "manifest.json is not valid JSON");
    spit(out / "manifest.json", "{\"format\": 2, \"files\": []}");
    REQUIRE(verify_folder(out).error == "manifest.json has format 2; this cypp reads format 1");
    spit(out / "manifest.json",
         "{\"format\": 1, \"files\": [{\"path\": \"../outside.txt\", \"size\": 1, \"sha256\": \"" +
             std::string(64, 'a') + "\"}]}");
    REQUIRE(verify_folder(out).error == "manifest.json lists an unsafe path: ../outside.txt");
    spit(out / "manifest.json", "{\"format\": 1, \"files\": [{\"path\": \"index.html\", \"size\": -1}]}");
    REQUIRE(verify_folder(out).error == "manifest.json: index.html has no \"size\"");
    REQUIRE(verify_folder(folder / "nowhere").error.find("is not a folder") != std::string::npos);
    stdfs::remove_all(folder);
}

TEST_CASE("format_report escapes control characters in names", "[publish]") {
    VerifyReport report;
    report.unexpected = {"a\x1b[31mred\nx"};
    REQUIRE(format_report(report) ==
            "unexpected: a\\x1b[31mred\\x0ax\nFAILED: 1 unexpected; this copy does not match its manifest\n");
}
