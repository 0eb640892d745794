// A webmaster mirrors the published plan with Debian's wget from a server on 127.0.0.1
// that serves it under a sub-path. Our links are relative already, so a plain
// `wget --mirror` copy is byte-identical and cypp verify passes; `--convert-links`
// rewrites same-page links ("#part" → "index.html#part") and cypp verify names exactly
// the pages it changed.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <httplib.h>
#include <set>
#include <sys/wait.h>
#include <thread>

#include "cli_runner.h"
#include "publish/manifest.h"

namespace {

namespace stdfs = std::filesystem;
using cypp::testing::read_tree;
using cypp::testing::run_cypp;
using cypp::testing::RunResult;
using Tree = std::map<std::string, std::string>;

std::string quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

// The built site, as a server under /some/prefix/ shows it, on a free loopback port.
class LoopbackServer {
public:
    explicit LoopbackServer(const stdfs::path& folder) {
        server_.set_mount_point("/some/prefix", folder.string());
        port_ = server_.bind_to_any_port("127.0.0.1");
        thread_ = std::thread([this] { server_.listen_after_bind(); });
    }
    ~LoopbackServer() {
        server_.stop();
        thread_.join();
    }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(port_) + "/some/prefix/"; }

private:
    httplib::Server server_;
    int port_ = 0;
    std::thread thread_;
};

// The files no page links to, which a mirror fetches by name.
const std::vector<std::string> unlinked = {"manifest.json", "SHA256SUMS", "sitemap.xml", "robots.txt", "404.html"};

int mirror(const LoopbackServer& server, const stdfs::path& into, const std::string& options) {
    std::string command = "wget --mirror " + options +
                          " --no-host-directories --cut-dirs=2 -e robots=off --no-proxy --tries=1 --timeout=20 -q -P " +
                          quote(into.string()) + " " + quote(server.base() + "index.html");
    for (const std::string& name : unlinked) command += " " + quote(server.base() + name);
    const int status = std::system(("http_proxy= https_proxy= no_proxy=127.0.0.1 " + command).c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// site-example as published: with its history (archived versions) unless this clone is
// shallow, so the mirror holds every kind of page.
stdfs::path build_site_example(const stdfs::path& root) {
    const stdfs::path out = root / "public";
    RunResult built = run_cypp({"build", CYPP_SITE_EXAMPLE, "-o", out.string(), "--today", "2013-07-01"});
    if (built.exit_code != 0 && built.err.find("CY702") != std::string::npos) {
        WARN("shallow clone: site-example is mirrored without its archived versions");
        built = run_cypp({"build", CYPP_SITE_EXAMPLE, "-o", out.string(), "--today", "2013-07-01", "--no-history"});
    }
    INFO(built.err);
    REQUIRE(built.exit_code == 0);
    return out;
}

bool has_scheme(const std::string& url) {
    const std::size_t colon = url.find(':');
    return colon != std::string::npos && url.find_first_of("/?#") > colon;
}

// Every href="" and src="" of a page.
std::vector<std::string> links_of(const std::string& html) {
    std::vector<std::string> links;
    for (const char* attribute : {" href=\"", " src=\""})
        for (std::size_t at = html.find(attribute); at != std::string::npos; at = html.find(attribute, at + 1)) {
            const std::size_t start = at + std::string(attribute).size();
            links.push_back(html.substr(start, html.find('"', start) - start));
        }
    return links;
}

TEST_CASE("wget --mirror from a sub-path copies the site exactly, and cypp verify says so", "[publish][mirror]") {
    if (std::system("command -v wget >/dev/null 2>&1") != 0) {
        WARN("wget is not installed: the mirroring test is skipped (apt-get install wget)");
        return;
    }
    const stdfs::path root = stdfs::temp_directory_path() / ("cypp-mirror-test-" + std::to_string(::getpid()));
    stdfs::remove_all(root);
    const stdfs::path out = build_site_example(root);
    Tree published = read_tree(out);
    published.erase(".cypp-output");  // the build machine's marker, never served as part of the plan
    LoopbackServer server(out);

    {  // A plain mirror is byte-identical.
        REQUIRE(mirror(server, root / "plain", "") == 0);  // wget exits 8 when any link is broken
        REQUIRE(read_tree(root / "plain") == published);
        RunResult verified = run_cypp({"verify", (root / "plain").string()});
        REQUIRE(verified.exit_code == 0);
        REQUIRE(verified.out == "OK: " + std::to_string(published.size() - 2) + " files match the manifest\n" +
                                    "manifest.json SHA-256: " + cypp::publish::sha256_hex(published.at("manifest.json")) +
                                    " (the official copy's must be the same)\n");
    }

    {  // --convert-links changes only same-page links, and cypp verify names each page it changed.
        REQUIRE(mirror(server, root / "converted", "--convert-links") == 0);
        const Tree copy = read_tree(root / "converted");
        std::set<std::string> published_names, copied_names;
        for (const auto& [path, content] : published) published_names.insert(path);
        for (const auto& [path, content] : copy) copied_names.insert(path);
        REQUIRE(copied_names == published_names);

        std::string expected_report;
        std::size_t altered = 0;
        for (const auto& [path, content] : copy) {
            INFO(path);
            if (content == published.at(path)) continue;
            // wget writes "#part" as "<this file>#part"; put it back and the page is ours again.
            REQUIRE(path.ends_with(".html"));
            const std::string own = "href=\"" + path.substr(path.rfind('/') + 1) + "#";
            std::string restored = content;
            for (std::size_t at = restored.find(own); at != std::string::npos; at = restored.find(own, at + 1))
                restored.replace(at, own.size(), "href=\"#");
            REQUIRE(restored == published.at(path));
            expected_report += "altered: " + path + "\n";
            ++altered;
        }
        REQUIRE(altered > 100);  // every page has a skip link to #main-content

        // No link leads back to the server it was copied from, carries a query, or misses.
        for (const auto& [path, content] : copy) {
            if (!path.ends_with(".html")) continue;
            REQUIRE(content.find("127.0.0.1") == std::string::npos);
            const std::string folder = path.substr(0, path.rfind('/') + 1);
            for (const std::string& link : links_of(content)) {
                INFO(path << ": " << link);
                REQUIRE(link.find('?') == std::string::npos);
                if (link.starts_with('#') || has_scheme(link) || path == "404.html") continue;
                REQUIRE_FALSE(link.starts_with('/'));
                const std::string target =
                    stdfs::path(folder + link.substr(0, link.find('#'))).lexically_normal().generic_string();
                REQUIRE(copy.count(target) == 1);
            }
        }

        RunResult verified = run_cypp({"verify", (root / "converted").string()});
        REQUIRE(verified.exit_code == 1);
        REQUIRE(verified.out == expected_report + "FAILED: " + std::to_string(altered) +
                                    " altered; this copy does not match its manifest\n");
    }
    stdfs::remove_all(root);
}

}  // namespace
