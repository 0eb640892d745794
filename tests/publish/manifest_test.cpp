#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "publish/manifest.h"
#include "test_support.h"

using namespace cypp::publish;
using namespace publish_test;

TEST_CASE("sha256_hex matches the FIPS 180-2 test vectors", "[publish]") {
    REQUIRE(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    REQUIRE(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("the manifest lists every file with its exact size and hash", "[publish]") {
    const auto tree = sample_tree();
    const auto manifest = nlohmann::json::parse(tree.files().at("manifest.json"));
    REQUIRE(manifest["format"] == 1);
    REQUIRE(manifest["board"] == "Example Children's Trust Board");
    REQUIRE(manifest["plan"] == "Children and Young People's Plan 2012-2015");
    REQUIRE(manifest["period"] == "2012-2015");
    REQUIRE(manifest["revision"] == "2013-07-01");
    REQUIRE(manifest["commit"] == "0123456789abcdef0123456789abcdef01234567");
    REQUIRE(manifest["build_time"] == "2013-07-01");
    REQUIRE(manifest["generator"] == "cypp 0.1.0");
    REQUIRE(manifest["official_url"] == "https://example.gov.uk/cypp/");

    std::vector<std::string> listed;
    for (const auto& file : manifest["files"]) {
        const std::string path = file["path"];
        listed.push_back(path);
        const std::string& content = tree.files().at(path);
        REQUIRE(file["size"] == content.size());
        REQUIRE(file["sha256"] == sha256_hex(content));
    }
    REQUIRE(listed == std::vector<std::string>{"assets/site.css", "deadlines.ics", "empty.txt", "index.html",
                                               "plan/2012-2015/child/index.html", "plan/2012-2015/index.html"});
    // The documented key order, for people reading the file.
    REQUIRE(tree.files().at("manifest.json").rfind("{\n  \"format\": 1,\n  \"board\":", 0) == 0);
}

TEST_CASE("the manifest and SHA256SUMS are byte-identical across calls", "[publish]") {
    auto first = sample_tree();
    const auto second = sample_tree();
    REQUIRE(first.files().at("manifest.json") == second.files().at("manifest.json"));
    REQUIRE(first.files().at("SHA256SUMS") == second.files().at("SHA256SUMS"));
    // Calling it again on a tree that already has them changes nothing.
    add_manifest(first, ManifestInfo{"Example Children's Trust Board", "Children and Young People's Plan 2012-2015",
                                     "2012-2015", "2013-07-01", "0123456789abcdef0123456789abcdef01234567",
                                     "2013-07-01", "cypp 0.1.0", "https://example.gov.uk/cypp/"});
    REQUIRE(first.files() == second.files());
}

TEST_CASE("SHA256SUMS lists every file and manifest.json in sha256sum format", "[publish]") {
    const auto tree = sample_tree();
    const std::string& sums = tree.files().at("SHA256SUMS");
    REQUIRE(sums.find(sha256_hex(tree.files().at("manifest.json")) + "  manifest.json\n") != std::string::npos);
    REQUIRE(sums.rfind(sha256_hex(tree.files().at("assets/site.css")) + "  assets/site.css\n", 0) == 0);
    REQUIRE(sums.find("SHA256SUMS") == std::string::npos);
    REQUIRE(std::count(sums.begin(), sums.end(), '\n') == 7);
    // Every line in path order, manifest.json's among the others.
    std::map<std::string, std::string> expected;
    for (const auto& [path, content] : tree.files())
        if (path != "SHA256SUMS") expected[path] = sha256_hex(content);
    REQUIRE(sums == format_sha256sums(expected));
}

TEST_CASE("SHA256SUMS passes sha256sum -c and fails after tampering", "[publish]") {
    const auto folder = fresh_folder("sha256sum");
    cypp::fs::OutputTree tree = sample_tree();
    REQUIRE_FALSE(cypp::fs::commit_output(tree, folder / "out"));
    const std::string check = "cd " + quoted(folder / "out") + " && sha256sum -c --quiet --strict SHA256SUMS >/dev/null 2>&1";
    REQUIRE(std::system(check.c_str()) == 0);

    spit(folder / "out/plan/2012-2015/index.html", "<p>Different priorities</p>\n");
    REQUIRE(std::system(check.c_str()) != 0);
    stdfs::remove_all(folder);
}

TEST_CASE("SHA256SUMS escapes names as GNU sha256sum does", "[publish]") {
    const std::string hex(64, 'a');
    REQUIRE(format_sha256sums({{"a\\b", hex}, {"c\nd", hex}, {"plain", hex}}) ==
            "\\" + hex + "  a\\\\b\n\\" + hex + "  c\\nd\n" + hex + "  plain\n");

    const auto folder = fresh_folder("escape");
    cypp::fs::OutputTree tree;
    tree.add("odd\\name.html", "backslash");
    tree.add("line\nbreak.html", "newline");
    add_manifest(tree, {});
    REQUIRE_FALSE(cypp::fs::commit_output(tree, folder / "out"));
    const std::string check = "cd " + quoted(folder / "out") + " && sha256sum -c --quiet --strict SHA256SUMS >/dev/null 2>&1";
    REQUIRE(std::system(check.c_str()) == 0);
    stdfs::remove_all(folder);
}

TEST_CASE("digests recorded as files are added give the manifest a staged tree needs, without reading it back", "[publish]") {
    const auto folder = fresh_folder("recorded");
    cypp::fs::OutputTree staged;
    REQUIRE_FALSE(staged.start_staging(folder / "out"));
    DigestRecorder recorder;
    staged.observe([&](const std::string& path, const cypp::fs::OutputTree::Piece& piece) { recorder.look_at(path, piece); });
    const FileDigests& recorded = recorder.digests();
    cypp::fs::OutputTree in_memory;
    for (cypp::fs::OutputTree* tree : {&staged, &in_memory}) {
        tree->add("index.html", "<p>home</p>\n");
        tree->add("plan/index.html", "<p>first</p>\n");
        tree->add("plan/index.html", "<p>replaced</p>\n");  // the later content counts
        tree->add_in_pieces("print/index.html", [](const cypp::fs::OutputTree::PieceSink& put) {
            for (const char* piece : {"<p>whole ", "", "plan</p>", "\n"}) put(piece);
        });
    }
    REQUIRE(recorded.at("plan/index.html").sha256 == sha256_hex("<p>replaced</p>\n"));
    REQUIRE(recorded.at("plan/index.html").size == 16);
    REQUIRE(recorded.at("print/index.html").sha256 == sha256_hex("<p>whole plan</p>\n"));
    REQUIRE(recorded.at("print/index.html").size == 18);
    // A digest recorded wrongly would show: the manifest trusts what it is given.
    FileDigests wrong = recorded;
    wrong["index.html"].sha256 = std::string(64, '0');
    cypp::fs::OutputTree probe;
    probe.add("index.html", "<p>home</p>\n");
    add_manifest(probe, {}, &wrong);
    REQUIRE(probe.read("manifest.json").find(std::string(64, '0')) != std::string::npos);

    add_manifest(staged, {}, &recorded);
    add_manifest(in_memory, {});
    REQUIRE(staged.read("manifest.json") == in_memory.read("manifest.json"));
    REQUIRE(staged.read("SHA256SUMS") == in_memory.read("SHA256SUMS"));
    REQUIRE_FALSE(cypp::fs::commit_output(staged, folder / "out"));
    const std::string check = "cd " + quoted(folder / "out") + " && sha256sum -c --quiet --strict SHA256SUMS >/dev/null 2>&1";
    REQUIRE(std::system(check.c_str()) == 0);
    stdfs::remove_all(folder);
}

// add_manifest writes the file list itself; nlohmann's dump of the whole manifest as one
// ordered_json is what it must give, byte for byte, whatever the names hold.
TEST_CASE("the manifest's text is nlohmann's dump of it, for names with quotes, escapes, UTF-8 and invalid bytes", "[publish]") {
    const std::vector<std::string> names{"plain/index.html", "quote\"d.html", "back\\slash.html", "tab\there.html",
                                         "line\nbreak.html", "control\x01.html", "delete\x7f.html", "caf\xc3\xa9.html",
                                         "invalid\xff\xfe.html", "cut\xc3.html", ""};
    cypp::publish::ManifestInfo info;
    info.board = "Board \xff with a \"stray\" byte";
    info.plan_title = "Plan\n2012";
    for (std::size_t count : {std::size_t{0}, std::size_t{1}, names.size()}) {
        cypp::fs::OutputTree tree;
        nlohmann::ordered_json expected;
        expected["format"] = 1;
        expected["board"] = info.board;
        expected["plan"] = info.plan_title;
        for (const char* key : {"period", "revision", "commit", "build_time", "generator", "official_url"}) expected[key] = "";
        auto files = nlohmann::ordered_json::array();
        std::vector<std::string> sorted(names.begin(), names.begin() + static_cast<std::ptrdiff_t>(count));
        std::sort(sorted.begin(), sorted.end());
        for (const std::string& name : sorted) {
            const std::string content = "content of " + name;
            tree.add(name, content);
            files.push_back({{"path", name}, {"size", content.size()}, {"sha256", sha256_hex(content)}});
        }
        expected["files"] = std::move(files);
        add_manifest(tree, info);
        INFO(count << " files");
        REQUIRE(tree.read("manifest.json") ==
                expected.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
    }
}
