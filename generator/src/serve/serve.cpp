#include "serve/serve.h"

#include <httplib.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <system_error>
#include <thread>

#include "build/pipeline.h"
#include "html/escape.h"
#include "serve/content_type.h"
#include "serve/site_watcher.h"

namespace cypp::serve {

namespace {

// Added before </body> of previewed pages: asks for the build number and reloads when it
// differs from the build the page came from. A page that took its first answer as its
// baseline would miss a rebuild that ended between serving it and that first answer.
std::string reload_script(long version) {
    return "<script>(function(){var shown='" + std::to_string(version) +
           "';setInterval(function(){fetch('/__cypp/version',{cache:'no-store'})"
           ".then(function(r){return r.ok?r.text():shown}).then(function(v){if(v!==shown)location.reload()})"
           ".catch(function(){})},400)})();</script>";
}

void add_reload_script(std::string& page, long version) {
    if (auto body = page.rfind("</body>"); body != std::string::npos) page.insert(body, reload_script(version));
}

// DNS rebinding: another website can make its own name resolve to 127.0.0.1 and then
// read the preview (drafts not yet published) as if it were its own. The browser still
// sends that website's name in Host, so only the preview's own addresses are answered.
bool is_preview_address(std::string host, int port) {
    std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return std::tolower(c); });
    const std::string port_suffix = ":" + std::to_string(port);
    return host == "127.0.0.1" + port_suffix || host == "localhost" + port_suffix;
}

std::string wrong_address_text(int port) {
    const std::string port_text = std::to_string(port);
    return "cypp serve answers only requests addressed to 127.0.0.1:" + port_text + " or localhost:" + port_text +
           ", so that other websites cannot read the preview.\n";
}

// The preview only shows the site. httplib would answer other methods 400 or 404,
// which says nothing of why.
bool is_reading_method(const std::string& method) { return method == "GET" || method == "HEAD"; }

void refuse_method(httplib::Response& response) {
    response.status = 405;
    response.set_header("Allow", "GET, HEAD");
    response.set_content("cypp serve only shows the site: it answers GET and HEAD requests.\n",
                         "text/plain; charset=utf-8");
}

// httplib answers a method it does not know (not even POST or TRACE) 400 before any
// handler sees it: such a request is refused like the others.
httplib::Server::HandlerResponse refuse_unknown_method(const httplib::Request& request, httplib::Response& response) {
    if (response.status != 400 || request.method.empty() || is_reading_method(request.method))
        return httplib::Server::HandlerResponse::Unhandled;
    refuse_method(response);
    return httplib::Server::HandlerResponse::Handled;
}

struct Listening {
    std::optional<int> port;  // the port bound
    int error = 0;            // errno when none could be
};

// httplib tells only whether it could bind; errno still holds why not, since httplib
// only closes the socket after the failing call.
Listening listen_on_loopback(httplib::Server& server, int port) {
    errno = 0;
    if (port == 0) port = server.bind_to_any_port("127.0.0.1");
    else if (!server.bind_to_port("127.0.0.1", port)) port = -1;
    if (port <= 0) return {std::nullopt, errno};
    return {port, 0};
}

void report_listen_failure(int port, int error, std::ostream& err) {
    if (error == EADDRINUSE) {
        err << "cypp serve: error[CY114]: port " << port << " on 127.0.0.1 is in use\n"
            << "  hint: stop the other program, or choose another port with --port\n";
        return;
    }
    err << "cypp serve: error[CY117]: cannot listen on port " << port << " on 127.0.0.1: "
        << (error ? std::generic_category().message(error) : std::string("no reason given")) << "\n"
        << "  hint: choose another port with --port (ports below 1024 need administrator rights)\n";
}

struct Preview {
    build::KeptBetweenBuilds kept{std::max(1u, std::thread::hardware_concurrency())};  // only the rebuild thread uses it
    std::mutex mutex;
    std::shared_ptr<const fs::OutputTree> site;
    std::string errors_html;  // non-empty while the content has errors
    std::string notice_html;  // preview-only note of what is not yet published
    long version = 0;         // counts rebuilds; changed with site, so a page names the build it came from
};

// The CPU time the process has used, all threads, in milliseconds.
double cpu_milliseconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    auto ms = [](const timeval& t) { return t.tv_sec * 1000.0 + t.tv_usec / 1000.0; };
    return ms(usage.ru_utime) + ms(usage.ru_stime);
}

void rebuild(const ServeOptions& options, Preview& preview, std::ostream& out) {
    const auto started = std::chrono::steady_clock::now();
    const double cpu_at_start = cpu_milliseconds();
    diag::Diagnostics diagnostics;
    build::PipelineOptions pipeline;
    pipeline.site_dir = options.site_dir;
    pipeline.mode = build::Mode::preview;
    pipeline.today = options.today.value_or(model::Date{});
    pipeline.with_history = options.with_history;
    pipeline.generator = options.generator + " (preview)";
    // Edits leave old texts behind in the cache; a long session starts afresh now and then.
    if (preview.kept.markdown.size() > 4000) preview.kept.markdown.clear();
    pipeline.kept = &preview.kept;
    std::vector<build::StageTime> timings;
    if (options.timings) pipeline.timings = &timings;
    auto result = build::run_pipeline(pipeline, diagnostics);
    std::string errors;
    if (result.outcome != build::Outcome::success) {
        errors = "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Errors in the site</title>"
                 "<style>body{font-family:Arial,sans-serif;margin:2rem;max-width:60rem;line-height:1.5}"
                 "li{margin-bottom:1rem}code{background:#f3f2f1;padding:0 .2rem}</style></head><body>"
                 "<main><h1>The site has errors</h1><p>Fix them and this page reloads by itself.</p><ol>";
        for (const auto& d : diagnostics.all()) {
            if (d.severity != diag::Severity::error) continue;
            errors += "<li><code>" + html::escape(d.file) + (d.line ? ":" + std::to_string(d.line) : "") +
                      (d.column ? ":" + std::to_string(d.column) : "") + "</code> <strong>" + html::escape(d.code) +
                      "</strong>: " + html::escape(d.message) +
                      (d.hint.empty() ? "" : "<br>What to do: " + html::escape(d.hint)) + "</li>";
        }
        errors += "</ol></main></body></html>";
    }
    // Content committed without a change note is not yet a published revision: say so
    // on every previewed page (the pages themselves mark uncommitted changes).
    std::string notice;
    for (const auto& d : diagnostics.all())
        if (d.code == "CY704")
            notice = "<div role=\"note\" style=\"background:#fff4d6;color:#0b0c0c;border-bottom:3px solid #6b4400;"
                     "padding:.5rem 1rem;font-family:Arial,sans-serif\"><strong>Preview, not yet published:</strong> " +
                     html::escape(d.message) + ". " + html::escape(d.hint) + "</div>";
    {
        std::lock_guard lock(preview.mutex);
        if (result.preview) preview.site = std::make_shared<const fs::OutputTree>(std::move(*result.preview));
        preview.errors_html = std::move(errors);
        preview.notice_html = std::move(notice);
        ++preview.version;
    }
    // The time an author waits for the page to change (issue #7 sets it under 50 ms).
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    for (const build::StageTime& stage : timings) out << "timing: " << stage.stage << ": " << stage.milliseconds << " ms\n";
    if (options.timings)
        out << "timing: pages taken from the previous rebuild: " << preview.kept.pages.hits() << "\n"
            << "timing: files not read again: " << preview.kept.files.hits() << "\n"
            << "timing: JSON files not parsed again: " << preview.kept.json_files.hits() << "\n"
            << "timing: pages whose links were not filled in again: " << preview.kept.filled_pages.hits() << "\n"
            << "timing: CPU time, all threads: " << cpu_milliseconds() - cpu_at_start << " ms\n";
    out << (preview.errors_html.empty() ? "Rebuilt" : "Errors") << " in " << took.count()
        << " ms: " << diag::format_summary(diagnostics) << std::flush;
}

}  // namespace

int serve(const ServeOptions& options, std::ostream& out, std::ostream& err) {
    // Ctrl-C and SIGTERM are taken by one thread that stops the server cleanly; block
    // them everywhere before any other thread starts.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    // Watching starts before the first build: an edit made while it runs, or as soon as
    // the address is printed, is seen (a watcher set up later, on its own thread, could
    // miss it, and the preview would stay stale until the next edit).
    std::optional<history::GitFolders> git;
    if (options.with_history) git = history::find_git_folders(options.site_dir);
    SiteWatcher files(options.site_dir, git);
    Preview preview;
    rebuild(options, preview, out);

    httplib::Server server;
    int port = 0;  // the port bound, known before the first request
    server.set_pre_routing_handler([&port](const httplib::Request& request, httplib::Response& response) {
        if (!is_preview_address(request.get_header_value("Host"), port)) {
            response.status = 403;
            response.set_content(wrong_address_text(port), "text/plain; charset=utf-8");
            return httplib::Server::HandlerResponse::Handled;
        }
        if (!is_reading_method(request.method)) {
            refuse_method(response);
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    server.set_error_handler(httplib::Server::HandlerWithResponse(refuse_unknown_method));
    server.Get("/__cypp/version", [&](const httplib::Request&, httplib::Response& response) {
        long version = 0;
        {
            std::lock_guard lock(preview.mutex);
            version = preview.version;
        }
        response.set_header("Cache-Control", "no-store");
        response.set_content(std::to_string(version), "text/plain");
    });
    server.Get(".*", [&](const httplib::Request& request, httplib::Response& response) {
        response.set_header("Cache-Control", "no-store");
        std::string path = request.path.substr(1);
        if (path.empty() || path.ends_with('/')) path += "index.html";
        std::shared_ptr<const fs::OutputTree> site;
        std::string errors, notice;
        long version = 0;
        {
            std::lock_guard lock(preview.mutex);
            site = preview.site;
            errors = preview.errors_html;
            notice = preview.notice_html;
            version = preview.version;
        }
        // A folder asked for without its final slash: its page's relative links resolve
        // only from the folder's own address, so redirect there as a web server would.
        if (site && !site->contains(path) && site->contains(path + "/index.html")) {
            response.status = 301;
            response.set_header("Location", request.path + "/");
            return;
        }
        if (!errors.empty() && (path.ends_with(".html") || path.find('.') == std::string::npos)) {
            add_reload_script(errors, version);
            response.status = 500;
            response.set_content(errors, "text/html; charset=utf-8");
            return;
        }
        if (!site || !site->contains(path)) {
            response.status = 404;
            response.set_content("<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Not found</title></head>"
                                 "<body><main><h1>Page not found</h1><p>" + html::escape(request.path) +
                                     " is not part of the site.</p></main></body></html>",
                                 "text/html; charset=utf-8");
            return;
        }
        std::string content = site->files().at(path);
        if (path.ends_with(".html")) {
            add_reload_script(content, version);
            if (auto main = content.find("<main"); !notice.empty() && main != std::string::npos) content.insert(main, notice);
        }
        response.set_content(content, std::string(content_type_of(path)));
    });

    // httplib also sets SO_REUSEPORT, which would let a second preview share a busy
    // port silently; without it, a busy port is an error the author can act on.
    server.set_socket_options([](socket_t socket) {
        int yes = 1;
        ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    const Listening listening = listen_on_loopback(server, options.port);
    if (!listening.port) {
        report_listen_failure(options.port, listening.error, err);
        return 2;
    }
    port = *listening.port;
    out << "Serving " << options.site_dir.lexically_normal().string() << " on http://127.0.0.1:" << port
        << "/ (Ctrl-C to stop)\n"
        << std::flush;

    std::atomic<bool> stopping{false};
    std::thread signals([&] {
        int received = 0;
        sigwait(&stop_signals, &received);
        stopping = true;
        server.stop();
    });
    std::thread watcher([&] {
        const auto started = std::chrono::steady_clock::now();
        while (!stopping) {
            if (options.stop_after_seconds > 0 &&
                std::chrono::steady_clock::now() - started > std::chrono::seconds(options.stop_after_seconds)) {
                kill(getpid(), SIGTERM);  // the signal thread stops the server
                break;
            }
            if (files.wait(std::chrono::milliseconds(150))) rebuild(options, preview, out);
        }
    });
    server.listen_after_bind();
    // Returned without a signal (the socket failed): wake the signal thread ourselves.
    if (!stopping) kill(getpid(), SIGTERM);
    signals.join();
    watcher.join();
    out << "Stopped.\n";
    return 0;
}

}  // namespace cypp::serve
