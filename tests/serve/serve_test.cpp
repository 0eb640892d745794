#include <catch2/catch.hpp>

#include <httplib.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <thread>

#include "cli_runner.h"
#include "git_fixture.h"

using namespace cypp::testing;
namespace stdfs = std::filesystem;

namespace {

// cypp serve in a child process, on a free loopback port, stopping by itself at the
// latest after a minute whatever happens to the test.
class Server {
public:
    explicit Server(const stdfs::path& site, std::vector<std::string> extra = {}) {
        int pipe_fds[2];
        REQUIRE(::pipe(pipe_fds) == 0);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::dup2(pipe_fds[1], STDOUT_FILENO);
            ::dup2(pipe_fds[1], STDERR_FILENO);
            ::close(pipe_fds[0]);
            std::vector<std::string> arguments{CYPP_BINARY, "serve", site.string(), "--port", "0", "--today", "2011-06-01",
                                               "--stop-after", "60"};
            arguments.insert(arguments.end(), extra.begin(), extra.end());
            std::vector<char*> argv;
            for (auto& argument : arguments) argv.push_back(argument.data());
            argv.push_back(nullptr);
            ::execv(CYPP_BINARY, argv.data());
            ::_exit(127);
        }
        ::close(pipe_fds[1]);
        output_ = ::fdopen(pipe_fds[0], "r");
        char line[512];
        while (std::fgets(line, sizeof line, output_)) {
            std::string text = line;
            log_ += text;
            auto at = text.find("http://127.0.0.1:");
            if (at != std::string::npos) {
                port_ = std::stoi(text.substr(at + 17));
                break;
            }
        }
        REQUIRE(port_ > 0);
        reader_ = std::thread([this] {
            char buffer[512];
            while (std::fgets(buffer, sizeof buffer, output_)) {}
        });
    }
    ~Server() {
        if (pid_ > 0 && !exited_) stop();
        if (reader_.joinable()) reader_.join();
        if (output_) std::fclose(output_);
    }
    int stop() {
        ::kill(pid_, SIGINT);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        exited_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    httplib::Result get(const std::string& path, const httplib::Headers& headers = {}) {
        httplib::Client client("127.0.0.1", port_);
        client.set_read_timeout(10, 0);
        return client.Get(path, headers);
    }
    // Waits until the page's body satisfies check, or fails after fifteen seconds (a
    // rebuild under the sanitizers, beside other tests on two cores, can take seconds).
    template <typename Check>
    bool wait_for(const std::string& path, Check check) {
        for (int attempt = 0; attempt < 150; ++attempt) {
            auto result = get(path);
            if (result && check(*result)) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        return false;
    }
    int port() const { return port_; }
    const std::string& startup_log() const { return log_; }

private:
    pid_t pid_ = -1;
    int port_ = 0;
    bool exited_ = false;
    FILE* output_ = nullptr;
    std::string log_;
    std::thread reader_;
};

// Sends request exactly as written (what httplib's client would not send) and returns
// the whole answer, headers and body: up to its Content-Length, or until the server
// closes the connection.
std::string raw_exchange(int port, const std::string& request) {
    const int socket = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(socket >= 0);
    const timeval ten_seconds{10, 0};
    ::setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &ten_seconds, sizeof ten_seconds);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(socket, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::send(socket, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size()));
    auto complete = [](const std::string& answer) {
        const std::size_t end_of_headers = answer.find("\r\n\r\n");
        if (end_of_headers == std::string::npos) return false;
        static const std::regex content_length("\r\nContent-Length: ([0-9]+)\r\n", std::regex::icase);
        std::smatch length;
        const std::string headers = answer.substr(0, end_of_headers + 2);
        if (!std::regex_search(headers, length, content_length)) return false;
        return answer.size() >= end_of_headers + 4 + std::stoul(length[1]);
    };
    std::string answer;
    char buffer[4096];
    for (ssize_t length; !complete(answer) && (length = ::recv(socket, buffer, sizeof buffer, 0)) > 0;)
        answer.append(buffer, length);
    ::close(socket);
    return answer;
}

// Runs cypp as a user without privileges (nobody, when the tests run as root): ports
// below the system's first unprivileged port are then refused with EACCES, not busy.
// exit_code is 127 when that user cannot run the binary at all.
RunResult run_cypp_unprivileged(const std::vector<std::string>& arguments) {
    const passwd* nobody = ::getpwnam("nobody");
    REQUIRE(nobody);
    int out_pipe[2], err_pipe[2];
    REQUIRE(::pipe(out_pipe) == 0);
    REQUIRE(::pipe(err_pipe) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        ::dup2(out_pipe[1], STDOUT_FILENO);
        ::dup2(err_pipe[1], STDERR_FILENO);
        if (::geteuid() == 0 &&
            (::setgroups(0, nullptr) != 0 || ::setgid(nobody->pw_gid) != 0 || ::setuid(nobody->pw_uid) != 0))
            ::_exit(126);
        std::vector<std::string> all{CYPP_BINARY};
        all.insert(all.end(), arguments.begin(), arguments.end());
        std::vector<char*> argv;
        for (auto& argument : all) argv.push_back(argument.data());
        argv.push_back(nullptr);
        ::execv(CYPP_BINARY, argv.data());
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    auto read_all = [](int fd) {
        std::string text;
        char buffer[4096];
        for (ssize_t length; (length = ::read(fd, buffer, sizeof buffer)) > 0;) text.append(buffer, length);
        ::close(fd);
        return text;
    };
    RunResult result;
    result.out = read_all(out_pipe[0]);
    result.err = read_all(err_pipe[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

int first_unprivileged_port() {
    std::ifstream setting("/proc/sys/net/ipv4/ip_unprivileged_port_start");
    int port = 1024;
    setting >> port;
    return port;
}

}  // namespace

TEST_CASE("serve previews the site, follows edits and shows errors until they are fixed", "[serve]") {
    TempSite site("minimal");
    Server server(site.path(), {"--no-history"});

    // How long the author waited for the first build is said, so a slow preview shows.
    REQUIRE(std::regex_search(server.startup_log(), std::regex("(^|\n)Rebuilt in [0-9]+ ms: 0 errors, [0-9]+ warnings?\n")));
    auto home = server.get("/");
    REQUIRE(home);
    REQUIRE(home->status == 200);
    REQUIRE(home->body.find("<h1>Testshire Children and Young People&apos;s Plan 2011-2014</h1>") != std::string::npos);
    REQUIRE(home->body.find("/__cypp/version") != std::string::npos);  // the reload script, in preview only
    auto chapter = server.get("/plan/introduction/index.html");
    REQUIRE(chapter);
    REQUIRE(chapter->status == 200);
    REQUIRE(server.get("/plan/introduction/")->status == 200);
    REQUIRE(server.get("/assets/style.css")->get_header_value("Content-Type") == "text/css; charset=utf-8");
    REQUIRE(server.get("/nowhere.html")->status == 404);
    const std::string version = server.get("/__cypp/version")->body;

    site.replace("plans/2011-2014/chapters/introduction.md", "We meet every month.", "We meet every fortnight.");
    REQUIRE(server.wait_for("/plan/introduction/index.html",
                            [](const httplib::Response& r) { return r.body.find("We meet every fortnight.") != std::string::npos; }));
    REQUIRE(server.get("/__cypp/version")->body != version);

    site.replace("plans/2011-2014/plan.json", "\"published\": \"2011-03-25\",", "\"published\": \"2011-03-25\"");
    REQUIRE(server.wait_for("/plan/introduction/index.html", [](const httplib::Response& r) {
        return r.status == 500 && r.body.find("/plans/2011-2014/plan.json:6:3</code> <strong>CY201</strong>") !=
                                      std::string::npos;
    }));
    site.replace("plans/2011-2014/plan.json", "\"published\": \"2011-03-25\"", "\"published\": \"2011-03-25\",");
    REQUIRE(server.wait_for("/plan/introduction/index.html", [](const httplib::Response& r) { return r.status == 200; }));

    REQUIRE(server.stop() == 0);
    REQUIRE_FALSE(stdfs::exists(site.file("public")));  // a preview writes nothing
}

TEST_CASE("serve sees an edit to a file whose text it kept from an earlier rebuild", "[serve]") {
    TempSite site("minimal");
    // Every file settles (two seconds untouched), so serve keeps the texts it reads.
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    Server server(site.path(), {"--no-history"});
    auto needs = server.get("/plan/needs/index.html");
    REQUIRE(needs);
    REQUIRE(needs->body.find("<td>120</td>") != std::string::npos);

    // Another file changes, and a rebuild keeps needs.md's text.
    site.replace("plans/2011-2014/chapters/introduction.md", "We meet every month.", "We meet every fortnight.");
    REQUIRE(server.wait_for("/plan/introduction/index.html",
                            [](const httplib::Response& r) { return r.body.find("We meet every fortnight.") != std::string::npos; }));
    REQUIRE(server.get("/plan/needs/index.html")->body.find("<td>120</td>") != std::string::npos);

    // needs.md is written again at the same size with its old modification time: only
    // its change time tells, and the preview follows.
    const stdfs::path needs_file = site.file("plans/2011-2014/chapters/needs.md");
    struct stat before {};
    REQUIRE(::stat(needs_file.c_str(), &before) == 0);
    site.replace("plans/2011-2014/chapters/needs.md", "| Looked after | 120 |", "| Looked after | 135 |");
    const timespec times[2] = {before.st_atim, before.st_mtim};
    REQUIRE(::utimensat(AT_FDCWD, needs_file.c_str(), times, 0) == 0);
    REQUIRE(server.wait_for("/plan/needs/index.html",
                            [](const httplib::Response& r) { return r.body.find("<td>135</td>") != std::string::npos; }));
    REQUIRE(server.stop() == 0);
}

TEST_CASE("serve refuses a busy port with a clear message", "[serve]") {
    TempSite site("minimal");
    Server first(site.path(), {"--no-history"});
    RunResult second = run_cypp({"serve", site.path().string(), "--port", std::to_string(first.port()), "--no-history",
                                 "--today", "2011-06-01", "--stop-after", "5"});
    REQUIRE(second.exit_code == 2);
    REQUIRE(second.err == "cypp serve: error[CY114]: port " + std::to_string(first.port()) + " on 127.0.0.1 is in use\n"
                          "  hint: stop the other program, or choose another port with --port\n");
}

TEST_CASE("serve takes only a port from 0 to 65535, and says why it cannot listen when the port is not busy", "[serve]") {
    TempSite site("minimal");
    for (const std::string port : {"70000", "65536", "-1"}) {
        INFO(port);
        RunResult refused = run_cypp({"serve", site.path().string(), "--port", port, "--no-history", "--stop-after", "5"});
        REQUIRE(refused.exit_code == 2);
        REQUIRE(refused.out.empty());
        REQUIRE(refused.err == "--port: Value " + port + " not in range 0 to 65535\nRun with --help for more information.\n");
    }

    if (first_unprivileged_port() <= 1) {
        WARN("every port is unprivileged here: the EACCES case cannot be made");
        return;
    }
    RunResult privileged =
        run_cypp_unprivileged({"serve", site.path().string(), "--port", "1", "--no-history", "--today", "2011-06-01",
                               "--stop-after", "5"});
    if (privileged.exit_code == 127) {
        WARN("nobody cannot run " CYPP_BINARY ": the EACCES case is not checked");
        return;
    }
    REQUIRE(privileged.exit_code == 2);
    REQUIRE(privileged.err == "cypp serve: error[CY117]: cannot listen on port 1 on 127.0.0.1: Permission denied\n"
                              "  hint: choose another port with --port (ports below 1024 need administrator rights)\n");
}

TEST_CASE("serve answers only requests addressed to itself, so other websites cannot read it (DNS rebinding)", "[serve]") {
    TempSite site("minimal");
    Server server(site.path(), {"--no-history"});
    const std::string port = std::to_string(server.port());
    const std::string refusal = "cypp serve answers only requests addressed to 127.0.0.1:" + port + " or localhost:" + port +
                                ", so that other websites cannot read the preview.\n";
    const std::vector<std::string> other_hosts{"attacker.example:" + port, "attacker.example",
                                               "localhost.attacker.example:" + port, "192.168.1.2:" + port,
                                               "127.0.0.1", "127.0.0.1:1", "localhost"};
    for (const std::string& host : other_hosts) {
        INFO(host);
        for (const char* path : {"/", "/plan/introduction/index.html", "/__cypp/version"}) {
            INFO(path);
            auto refused = server.get(path, {{"Host", host}});
            REQUIRE(refused);
            REQUIRE(refused->status == 403);
            REQUIRE(refused->get_header_value("Content-Type") == "text/plain; charset=utf-8");
            REQUIRE(refused->body == refusal);
        }
    }
    const std::vector<std::string> own_hosts{"127.0.0.1:" + port, "localhost:" + port, "LocalHost:" + port};
    for (const std::string& host : own_hosts) {
        INFO(host);
        auto answered = server.get("/", {{"Host", host}});
        REQUIRE(answered);
        REQUIRE(answered->status == 200);
        REQUIRE(answered->get_header_value("Content-Type") == "text/html; charset=utf-8");
    }
    // HTTP/1.0 may leave Host out: nothing then says the request was meant for the preview.
    const std::string without_host = raw_exchange(server.port(), "GET / HTTP/1.0\r\n\r\n");
    REQUIRE(without_host.starts_with("HTTP/1.1 403 Forbidden\r\n"));
    REQUIRE(without_host.ends_with("\r\n\r\n" + refusal));
}

TEST_CASE("a previewed page carries the number of the build it came from, so a rebuild before the first poll reloads it",
          "[serve]") {
    TempSite site("minimal");
    Server server(site.path(), {"--no-history"});
    auto reload_script = [](const std::string& version) {
        return "<script>(function(){var shown='" + version +
               "';setInterval(function(){fetch('/__cypp/version',{cache:'no-store'})"
               ".then(function(r){return r.ok?r.text():shown}).then(function(v){if(v!==shown)location.reload()})"
               ".catch(function(){})},400)})();</script></body>";
    };
    // The page and the version asked for next come from the same build (nothing changed).
    auto page = server.get("/plan/introduction/index.html");
    REQUIRE(page);
    const std::string first = server.get("/__cypp/version")->body;
    REQUIRE(page->body.find(reload_script(first)) != std::string::npos);

    site.replace("plans/2011-2014/chapters/introduction.md", "We meet every month.", "We meet every fortnight.");
    REQUIRE(server.wait_for("/plan/introduction/index.html",
                            [](const httplib::Response& r) { return r.body.find("We meet every fortnight.") != std::string::npos; }));
    const std::string second = server.get("/__cypp/version")->body;
    REQUIRE(second != first);
    REQUIRE(server.get("/plan/introduction/index.html")->body.find(reload_script(second)) != std::string::npos);

    // The page listing the errors carries it too.
    site.replace("plans/2011-2014/plan.json", "\"published\": \"2011-03-25\",", "\"published\": \"2011-03-25\"");
    REQUIRE(server.wait_for("/plan/introduction/index.html", [](const httplib::Response& r) { return r.status == 500; }));
    const std::string third = server.get("/__cypp/version")->body;
    REQUIRE(third != second);
    auto errors = server.get("/plan/introduction/index.html");
    REQUIRE(errors->body.ends_with(reload_script(third) + "</html>"));
}

TEST_CASE("serve rebuilds when a commit changes the history, though no file of the site changes", "[serve][history]") {
    GitFixture repository("site");  // the site in a subfolder: its repository is found above it
    repository.add_fixture("minimal");
    repository.commit("First plan", "2011-03-25");
    repository.replace("plans/2011-2014/chapters/introduction.md", "We meet every month.", "We meet every fortnight.");
    Server server(repository.site());
    const std::string not_yet_published = "<strong>Not yet published:</strong>";
    REQUIRE(server.get("/plan/introduction/index.html")->body.find(not_yet_published) != std::string::npos);
    const long before = std::stol(server.get("/__cypp/version")->body);

    repository.commit("Meetings every fortnight", "2011-05-02", "The Board now meets every fortnight.");
    REQUIRE(server.wait_for("/__cypp/version", [&](const httplib::Response& r) { return std::stol(r.body) > before; }));
    REQUIRE(server.get("/plan/introduction/index.html")->body.find(not_yet_published) == std::string::npos);
    REQUIRE(server.get("/history/index.html")->body.find("The Board now meets every fortnight.") != std::string::npos);
    REQUIRE(server.stop() == 0);
}

TEST_CASE("serve sends each file of the site with its media type", "[serve]") {
    GitFixture repository("site");  // with history, so the site has its feed
    repository.add_fixture("minimal");
    const std::string chapters = "plans/2011-2014/chapters/";
    const std::string gif("GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14);
    const std::string webp("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00",
                           34);
    repository.write(chapters + "data.csv", "service,places\nyouth centre,40\n");
    repository.write(chapters + "notes.txt", "Notes of the meeting.\n");
    repository.write(chapters + "register.xml", "<?xml version=\"1.0\"?><register/>\n");
    repository.write(chapters + "map.gif", gif);
    repository.write(chapters + "photo.webp", webp);
    repository.replace(chapters + "introduction.md", "We meet every month.",
                       "We meet every month.\n\nThe [figures](data.csv), our [notes](notes.txt) and the "
                       "[register](register.xml).\n\n![Map of the area](map.gif)\n\n![The youth centre](photo.webp)");
    repository.commit("First plan", "2011-03-25");
    Server server(repository.site());

    const std::pair<std::string, std::string> expected[] = {
        {"/plan/introduction/", "text/html; charset=utf-8"},
        {"/assets/style.css", "text/css; charset=utf-8"},
        {"/robots.txt", "text/plain; charset=utf-8"},
        {"/deadlines.ics", "text/calendar; charset=utf-8"},
        {"/sitemap.xml", "application/xml"},
        {"/feed.xml", "application/atom+xml; charset=utf-8"},
        {"/files/" + chapters + "data.csv", "text/csv"},
        {"/files/" + chapters + "notes.txt", "text/plain; charset=utf-8"},
        {"/files/" + chapters + "register.xml", "application/xml"},
        {"/files/" + chapters + "map.gif", "image/gif"},
        {"/files/" + chapters + "photo.webp", "image/webp"},
    };
    for (const auto& [path, type] : expected) {
        INFO(path);
        auto file = server.get(path);
        REQUIRE(file);
        REQUIRE(file->status == 200);
        REQUIRE(file->get_header_value("Content-Type") == type);
    }
    REQUIRE(server.get("/files/" + chapters + "map.gif")->body == gif);
    REQUIRE(server.get("/files/" + chapters + "photo.webp")->body == webp);
}

TEST_CASE("serve answers methods other than GET and HEAD with 405, and a folder without its final slash with 301",
          "[serve]") {
    TempSite site("minimal");
    Server server(site.path(), {"--no-history"});
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(10, 0);
    const std::string refusal = "cypp serve only shows the site: it answers GET and HEAD requests.\n";
    auto require_refused = [&](const httplib::Result& result) {
        REQUIRE(result);
        REQUIRE(result->status == 405);
        REQUIRE(result->get_header_value("Allow") == "GET, HEAD");
        REQUIRE(result->get_header_value("Content-Type") == "text/plain; charset=utf-8");
        REQUIRE(result->body == refusal);
    };
    require_refused(client.Post("/plan/", "name=Ada", "application/x-www-form-urlencoded"));
    require_refused(client.Put("/plan/index.html", "<p>replaced</p>", "text/html"));
    require_refused(client.Patch("/plan/index.html", "<p>patched</p>", "text/html"));
    require_refused(client.Delete("/plan/index.html"));
    require_refused(client.Options("/"));
    const std::string host = "Host: 127.0.0.1:" + std::to_string(server.port()) + "\r\nConnection: close\r\n\r\n";
    const std::string refused_head = "HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\n";
    for (const std::string method : {"TRACE", "CONNECT", "PROPFIND", "BREW"}) {  // the last two unknown to httplib
        INFO(method);
        const std::string answer = raw_exchange(server.port(), method + " / HTTP/1.1\r\n" + host);
        REQUIRE(answer.starts_with(refused_head));
        REQUIRE(answer.ends_with("\r\n\r\n" + refusal));
    }
    auto head = client.Head("/plan/");
    REQUIRE(head);
    REQUIRE(head->status == 200);
    REQUIRE(head->body.empty());

    for (const std::string folder : {"/plan", "/plan/introduction", "/child"}) {
        INFO(folder);
        auto require_redirected = [&](const httplib::Result& result) {
            REQUIRE(result);
            REQUIRE(result->status == 301);
            REQUIRE(result->get_header_value("Location") == folder + "/");
            REQUIRE(result->body.empty());
        };
        require_redirected(client.Get(folder));
        require_redirected(client.Head(folder));
        REQUIRE(client.Get(folder + "/")->status == 200);
    }
    REQUIRE(client.Get("/nowhere")->status == 404);
    REQUIRE(client.Get("/plan/introduction/index.html/")->status == 404);
    REQUIRE(client.Get("/assets/style.css")->status == 200);
}
