#include <catch2/catch.hpp>

#include <archive.h>
#include <archive_entry.h>

#include <cstdlib>
#include <functional>
#include <vector>

#include "publish/archive_support.h"
#include "publish/bundle.h"
#include "publish/verify.h"
#include "test_support.h"

using namespace cypp::publish;
using namespace publish_test;

namespace {

constexpr long long july_2013 = 1372636800;  // 2013-07-01T00:00:00Z

// A built site as commit_output leaves it (with its marker file) in folder/out.
stdfs::path built_site(const std::string& name) {
    const auto folder = fresh_folder(name);
    cypp::fs::OutputTree tree = sample_tree();
    REQUIRE_FALSE(cypp::fs::commit_output(tree, folder / "out"));
    return folder;
}

struct EntryFacts {
    std::string name;
    mode_t type = 0;
    mode_t perm = 0;
    long long mtime = 0;
    la_int64_t uid = -1, gid = -1;
    std::string uname, gname;
    bool has_xattrs = false;
};

std::vector<EntryFacts> list_archive(const stdfs::path& path) {
    std::vector<EntryFacts> entries;
    const cypp::publish::ScopedUtf8Locale utf8;
    struct archive* a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);
    REQUIRE(archive_read_open_filename(a, path.c_str(), 1 << 16) == ARCHIVE_OK);
    struct archive_entry* entry = nullptr;
    while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
        EntryFacts facts;
        facts.name = archive_entry_pathname_utf8(entry) ? archive_entry_pathname_utf8(entry) : archive_entry_pathname(entry);
        facts.type = archive_entry_filetype(entry);
        facts.perm = archive_entry_perm(entry);
        facts.mtime = archive_entry_mtime(entry);
        facts.uid = archive_entry_uid(entry);
        facts.gid = archive_entry_gid(entry);
        facts.uname = archive_entry_uname(entry) ? archive_entry_uname(entry) : "";
        facts.gname = archive_entry_gname(entry) ? archive_entry_gname(entry) : "";
        facts.has_xattrs = archive_entry_xattr_count(entry) > 0;
        entries.push_back(facts);
        archive_read_data_skip(a);
    }
    archive_read_free(a);
    return entries;
}

std::map<std::string, std::string> published_files() {
    auto files = sample_tree().files();
    return {files.begin(), files.end()};
}

}  // namespace

TEST_CASE("bundles are byte-identical across runs and extract to the same tree", "[publish]") {
    const auto folder = built_site("bundle-roundtrip");
    for (auto format : {BundleFormat::tar_gz, BundleFormat::zip}) {
        const bool tar = format == BundleFormat::tar_gz;
        CAPTURE(tar);
        const std::string extension = tar ? ".tar.gz" : ".zip";
        const auto first = folder / ("first" + extension);
        const auto second = folder / ("second" + extension);
        REQUIRE_FALSE(write_bundle(folder / "out", first, format, "cypp-2012-2015", july_2013));
        REQUIRE_FALSE(write_bundle(folder / "out", second, format, "cypp-2012-2015", july_2013));
        const std::string bytes = slurp(first);
        REQUIRE(bytes.size() > 100);
        REQUIRE(bytes == slurp(second));
        if (tar) {
            REQUIRE(bytes.substr(0, 2) == "\x1f\x8b");
            REQUIRE(bytes.substr(4, 4) == std::string(4, '\0'));  // no gzip timestamp
            REQUIRE((static_cast<unsigned char>(bytes[3]) & 0x08) == 0);  // no file name
        }

        const auto extracted = folder / ("extracted" + extension);
        stdfs::create_directories(extracted);
        const std::string command = tar ? "tar -xzf " + quoted(first) + " -C " + quoted(extracted)
                                        : "unzip -q " + quoted(first) + " -d " + quoted(extracted);
        REQUIRE(std::system(command.c_str()) == 0);
        REQUIRE(read_tree(extracted / "cypp-2012-2015") == published_files());
        REQUIRE(stdfs::status(extracted / "cypp-2012-2015/index.html").permissions() == stdfs::perms(0644));

        const auto report = verify_bundle(first);
        INFO(format_report(report));
        REQUIRE(report.ok());
        REQUIRE(format_report(report) == exact_copy_report(6, slurp(extracted / "cypp-2012-2015/manifest.json")));
    }
    stdfs::remove_all(folder);
}

TEST_CASE("bundle entries have fixed times, owners and modes, directories first", "[publish]") {
    const auto folder = built_site("bundle-entries");
    for (auto format : {BundleFormat::tar_gz, BundleFormat::zip}) {
        const auto archive = folder / (format == BundleFormat::tar_gz ? "site.tar.gz" : "site.zip");
        REQUIRE_FALSE(write_bundle(folder / "out", archive, format, "site", july_2013));
        const auto entries = list_archive(archive);
        std::vector<std::string> names;
        for (const auto& entry : entries) {
            names.push_back(entry.name);
            CAPTURE(entry.name);
            REQUIRE(entry.mtime == july_2013);
            REQUIRE(entry.uid == 0);
            REQUIRE(entry.gid == 0);
            REQUIRE(entry.uname.empty());
            REQUIRE(entry.gname.empty());
            REQUIRE_FALSE(entry.has_xattrs);
            REQUIRE(entry.perm == (entry.type == AE_IFDIR ? 0755 : 0644));
        }
        REQUIRE(names == std::vector<std::string>{"site/", "site/SHA256SUMS", "site/assets/", "site/assets/site.css",
                                                  "site/deadlines.ics", "site/empty.txt", "site/index.html",
                                                  "site/manifest.json", "site/plan/", "site/plan/2012-2015/",
                                                  "site/plan/2012-2015/child/", "site/plan/2012-2015/child/index.html",
                                                  "site/plan/2012-2015/index.html"});
    }
    stdfs::remove_all(folder);
}

TEST_CASE("bundles keep non-ASCII names and leave out links", "[publish]") {
    const auto folder = fresh_folder("bundle-names");
    cypp::fs::OutputTree tree;
    tree.add("café/ça.html", "accents");
    tree.add(std::string(120, 'x') + "/" + std::string(120, 'y') + ".html", "long name");
    add_manifest(tree, {});
    REQUIRE_FALSE(cypp::fs::commit_output(tree, folder / "out"));
    stdfs::create_symlink("/etc/passwd", folder / "out/link");
    for (auto format : {BundleFormat::tar_gz, BundleFormat::zip}) {
        const auto archive = folder / (format == BundleFormat::tar_gz ? "site.tar.gz" : "site.zip");
        REQUIRE_FALSE(write_bundle(folder / "out", archive, format, "site", 0));
        bool found_accents = false;
        for (const auto& entry : list_archive(archive)) {
            found_accents = found_accents || entry.name == "site/café/ça.html";
            REQUIRE(entry.name != "site/link");
        }
        REQUIRE(found_accents);
        // Stored as UTF-8 for every extractor, not through this process's "C" locale.
        const auto extracted = folder / ("extracted-" + archive.filename().string());
        stdfs::create_directories(extracted);
        const std::string command = format == BundleFormat::tar_gz
                                        ? "tar -xzf " + quoted(archive) + " -C " + quoted(extracted) + " 2>&1"
                                        : "unzip -q " + quoted(archive) + " -d " + quoted(extracted) + " 2>&1";
        REQUIRE(std::system((command + " | grep -q . && exit 1 || exit 0").c_str()) == 0);  // no warnings
        REQUIRE(slurp(extracted / "site/café/ça.html") == "accents");
        const auto report = verify_bundle(archive);
        INFO(format_report(report));
        REQUIRE(report.ok());
    }
    stdfs::remove_all(folder);
}

TEST_CASE("zip bundles store MS-DOS times as UTC whatever the time zone", "[publish]") {
    const auto folder = built_site("bundle-zip-time");
    const long long afternoon = july_2013 + 13 * 3600 + 5 * 60 + 8;  // 2013-07-01T13:05:08Z
    // libarchive writes local time; a zone far from UTC shows whether write_bundle fixed it.
    const char* saved = std::getenv("TZ");
    const std::string previous = saved ? saved : "";
    ::setenv("TZ", "Asia/Kolkata", 1);
    ::tzset();
    const auto failure = write_bundle(folder / "out", folder / "site.zip", BundleFormat::zip, "site", afternoon);
    if (saved) ::setenv("TZ", previous.c_str(), 1); else ::unsetenv("TZ");
    ::tzset();
    REQUIRE_FALSE(failure);

    const std::string bytes = slurp(folder / "site.zip");
    const auto u16 = [&bytes](std::size_t at) {
        return static_cast<unsigned>(static_cast<unsigned char>(bytes[at])) |
               static_cast<unsigned>(static_cast<unsigned char>(bytes[at + 1])) << 8;
    };
    int headers = 0;
    for (auto at = bytes.find("PK\x01\x02"); at != std::string::npos; at = bytes.find("PK\x01\x02", at + 4), ++headers) {
        REQUIRE(u16(at + 12) == ((13u << 11) | (5u << 5) | 4u));
        REQUIRE(u16(at + 14) == ((33u << 9) | (7u << 5) | 1u));
    }
    for (auto at = bytes.find("PK\x03\x04"); at != std::string::npos; at = bytes.find("PK\x03\x04", at + 4)) {
        REQUIRE(u16(at + 10) == ((13u << 11) | (5u << 5) | 4u));
        REQUIRE(u16(at + 12) == ((33u << 9) | (7u << 5) | 1u));
    }
    REQUIRE(headers == 13);
    REQUIRE(verify_bundle(folder / "site.zip").ok());
    stdfs::remove_all(folder);
}

TEST_CASE("write_bundle refuses bad names and writing into the folder it bundles", "[publish]") {
    const auto folder = built_site("bundle-refuse");
    REQUIRE(write_bundle(folder / "out", folder / "out/self.zip", BundleFormat::zip, "site", 0));
    REQUIRE_FALSE(stdfs::exists(folder / "out/self.zip"));
    REQUIRE(write_bundle(folder / "out", folder / "a.zip", BundleFormat::zip, "../site", 0));
    REQUIRE(write_bundle(folder / "nowhere", folder / "a.zip", BundleFormat::zip, "site", 0));
    REQUIRE(write_bundle(folder / "out", folder / "no/such/folder/a.zip", BundleFormat::zip, "site", 0));
    REQUIRE_FALSE(stdfs::exists(folder / "a.zip"));
    stdfs::remove_all(folder);
}

TEST_CASE("verify_bundle names altered, missing and extra files in a bundle", "[publish]") {
    const auto folder = built_site("bundle-tampered");
    spit(folder / "out/index.html", "<h1>Someone else's plan</h1>\n");
    stdfs::remove(folder / "out/deadlines.ics");
    spit(folder / "out/extra.html", "extra");
    REQUIRE_FALSE(write_bundle(folder / "out", folder / "site.tar.gz", BundleFormat::tar_gz, "site", 0));
    const auto report = verify_bundle(folder / "site.tar.gz");
    REQUIRE(report.altered == std::vector<std::string>{"index.html"});
    REQUIRE(report.missing == std::vector<std::string>{"deadlines.ics"});
    REQUIRE(report.unexpected == std::vector<std::string>{"extra.html"});
    REQUIRE(report.unsafe.empty());

    stdfs::remove(folder / "out/manifest.json");
    REQUIRE_FALSE(write_bundle(folder / "out", folder / "bare.zip", BundleFormat::zip, "site", 0));
    REQUIRE(verify_bundle(folder / "bare.zip").error.find("no manifest.json") != std::string::npos);
    spit(folder / "junk.tar.gz", "not an archive at all");
    REQUIRE_FALSE(verify_bundle(folder / "junk.tar.gz").error.empty());
    REQUIRE_FALSE(verify_bundle(folder / "absent.zip").error.empty());
    stdfs::remove_all(folder);
}

TEST_CASE("verify_bundle stops at its size and entry limits", "[publish]") {
    const auto folder = built_site("bundle-limits");
    REQUIRE_FALSE(write_bundle(folder / "out", folder / "site.tar.gz", BundleFormat::tar_gz, "site", 0));
    BundleLimits small_total;
    small_total.max_total_bytes = 100;
    auto report = verify_bundle(folder / "site.tar.gz", small_total);
    REQUIRE(report.error.find("unpacks to more than 100 bytes") != std::string::npos);
    REQUIRE_FALSE(report.ok());
    BundleLimits few_entries;
    few_entries.max_entries = 3;
    report = verify_bundle(folder / "site.tar.gz", few_entries);
    REQUIRE(report.error.find("more than 3 entries") != std::string::npos);
    stdfs::remove_all(folder);
}

namespace {

void add_entry(struct archive* a, const std::string& name, mode_t type, const std::string& content,
               const char* link_target = nullptr, bool hardlink = false) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, name.c_str());
    archive_entry_set_filetype(entry, type);
    archive_entry_set_perm(entry, 0644);
    if (link_target && hardlink) archive_entry_set_hardlink(entry, link_target);
    if (link_target && !hardlink) archive_entry_set_symlink(entry, link_target);
    if (type == AE_IFCHR) archive_entry_set_rdev(entry, 0x0103);  // /dev/null
    archive_entry_set_size(entry, static_cast<la_int64_t>(content.size()));
    REQUIRE(archive_write_header(a, entry) == ARCHIVE_OK);
    if (!content.empty()) REQUIRE(archive_write_data(a, content.data(), content.size()) == (la_ssize_t)content.size());
    archive_entry_free(entry);
}

// Writes a tar or zip at path whose root/ holds a one-page site that verifies, then what
// add_more adds.
void write_one_page_bundle(const stdfs::path& path, bool tar, const std::function<void(struct archive*)>& add_more) {
    const std::string index = "<h1>Plan</h1>\n";
    const std::string manifest = "{\"format\": 1, \"files\": [{\"path\": \"index.html\", \"size\": " +
                                 std::to_string(index.size()) + ", \"sha256\": \"" + sha256_hex(index) + "\"}]}";
    const std::map<std::string, std::string> sums{{"index.html", sha256_hex(index)},
                                                  {"manifest.json", sha256_hex(manifest)}};
    struct archive* a = archive_write_new();
    REQUIRE((tar ? archive_write_set_format_pax_restricted(a) : archive_write_set_format_zip(a)) == ARCHIVE_OK);
    REQUIRE(archive_write_open_filename(a, path.c_str()) == ARCHIVE_OK);
    add_entry(a, "root/manifest.json", AE_IFREG, manifest);
    add_entry(a, "root/SHA256SUMS", AE_IFREG, format_sha256sums(sums));
    add_entry(a, "root/index.html", AE_IFREG, index);
    add_more(a);
    REQUIRE(archive_write_close(a) == ARCHIVE_OK);
    archive_write_free(a);
}

}  // namespace

TEST_CASE("verify_bundle reports hostile entries as unsafe and extracts nothing", "[publish]") {
    const auto folder = fresh_folder("bundle-hostile");
    const auto inner = folder / "downloads";
    stdfs::create_directories(inner);

    for (bool tar : {true, false}) {
        CAPTURE(tar);
        const auto archive = inner / (tar ? "hostile.tar" : "hostile.zip");
        std::vector<std::string> expected{"../evil", "/abs", "root/link"};
        write_one_page_bundle(archive, tar, [&](struct archive* a) {
            add_entry(a, "../evil", AE_IFREG, "escaped");
            add_entry(a, "/abs", AE_IFREG, "absolute");
            add_entry(a, "root/link", AE_IFLNK, "", "/etc/passwd");
            if (!tar) return;
            add_entry(a, "root/hard", AE_IFREG, "", "/etc/shadow", true);
            add_entry(a, "root/null", AE_IFCHR, "");
            add_entry(a, "root/index.html", AE_IFREG, "second copy");
            expected = {"../evil", "/abs", "root/hard", "root/index.html", "root/link", "root/null"};
        });

        const auto report = verify_bundle(archive);
        INFO(format_report(report));
        REQUIRE(report.error.empty());
        REQUIRE(report.unsafe == expected);
        REQUIRE(report.missing.empty());
        REQUIRE(report.altered.empty());
        REQUIRE(report.unexpected.empty());
        REQUIRE_FALSE(report.ok());
        REQUIRE(format_report(report).find("unsafe: ../evil\nunsafe: /abs\n") != std::string::npos);

        // Nothing was extracted: the download folder holds only the archives.
        std::vector<std::string> present;
        for (const auto& entry : stdfs::recursive_directory_iterator(folder))
            present.push_back(entry.path().lexically_relative(folder).generic_string());
        std::sort(present.begin(), present.end());
        REQUIRE(present == (tar ? std::vector<std::string>{"downloads", "downloads/hostile.tar"}
                                : std::vector<std::string>{"downloads", "downloads/hostile.tar", "downloads/hostile.zip"}));
        REQUIRE_FALSE(stdfs::exists(stdfs::path("/abs")));
        REQUIRE_FALSE(stdfs::exists(stdfs::current_path() / "root"));
    }
    stdfs::remove_all(folder);
}

TEST_CASE("verify_bundle calls unsafe a name an unpacking tool could read two ways", "[publish]") {
    const auto folder = fresh_folder("bundle-clash");
    for (bool tar : {true, false}) {
        CAPTURE(tar);
        const auto archive = folder / (tar ? "clash.tar" : "clash.zip");
        write_one_page_bundle(archive, tar, [](struct archive* a) {
            add_entry(a, "root/index.html", AE_IFDIR, "");          // GNU tar would put a folder in the page's place
            add_entry(a, "root/index.html/inside", AE_IFREG, "x");  // a file inside a file
            add_entry(a, "root/docs/a.html", AE_IFREG, "a");
            add_entry(a, "root/docs", AE_IFREG, "a file where a folder is");
            add_entry(a, "root/.cypp-output", AE_IFREG, "a bundle never holds it");
        });

        const auto report = verify_bundle(archive);
        INFO(format_report(report));
        REQUIRE(report.error.empty());
        std::vector<std::string> unsafe = report.unsafe;  // a folder's name as the archive has it, maybe with its "/"
        for (std::string& name : unsafe)
            if (name.ends_with('/')) name.pop_back();
        REQUIRE(unsafe == std::vector<std::string>{"root/docs", "root/index.html", "root/index.html/inside"});
        REQUIRE(report.unexpected == std::vector<std::string>{".cypp-output", "docs/a.html"});
        REQUIRE(report.missing.empty());
        REQUIRE(report.altered.empty());
        REQUIRE_FALSE(report.ok());
    }
    stdfs::remove_all(folder);
}

TEST_CASE("verify_bundle counts skipped unsafe entries against its size limit", "[publish]") {
    const auto folder = fresh_folder("bundle-hidden-bomb");
    const auto archive = folder / "bomb.tar.gz";
    struct archive* a = archive_write_new();
    REQUIRE(archive_write_set_format_pax_restricted(a) == ARCHIVE_OK);
    REQUIRE(archive_write_add_filter_gzip(a) == ARCHIVE_OK);
    REQUIRE(archive_write_open_filename(a, archive.c_str()) == ARCHIVE_OK);
    add_entry(a, "root/manifest.json", AE_IFREG, "{\"format\": 1, \"files\": []}");
    add_entry(a, "../zeros", AE_IFREG, std::string(5000, '\0'));
    add_entry(a, "root/manifest.json", AE_IFREG, std::string(5000, '\0'));
    REQUIRE(archive_write_close(a) == ARCHIVE_OK);
    archive_write_free(a);

    BundleLimits limits;
    limits.max_total_bytes = 4000;
    REQUIRE(verify_bundle(archive, limits).error.find("unpacks to more than 4000 bytes") != std::string::npos);
    limits.max_total_bytes = 9000;  // the unsafe entry fits; the duplicate does not
    REQUIRE(verify_bundle(archive, limits).error.find("unpacks to more than 9000 bytes") != std::string::npos);
    const auto report = verify_bundle(archive);
    REQUIRE(report.unsafe == std::vector<std::string>{"../zeros", "root/manifest.json"});
    stdfs::remove_all(folder);
}
