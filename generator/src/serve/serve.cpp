#include "serve/serve.h"

#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <ostream>
#include <thread>

#include "build/pipeline.h"

namespace cypp::serve {

namespace stdfs = std::filesystem;

namespace {

// Added before </body> of previewed pages: asks for the build number and reloads when
// it changes.
constexpr const char* reload_script =
    "<script>(function(){var seen=null;setInterval(function(){fetch('/__cypp/version',{cache:'no-store'})"
    ".then(function(r){return r.text()}).then(function(v){if(seen===null)seen=v;else if(v!==seen)location.reload()})"
    ".catch(function(){})},400)})();</script>";

std::string escape_html(const std::string& text) {
    std::string escaped;
    for (char c : text) {
        switch (c) {
        case '&': escaped += "&amp;"; break;
        case '<': escaped += "&lt;"; break;
        case '>': escaped += "&gt;"; break;
        case '"': escaped += "&quot;"; break;
        default: escaped += c;
        }
    }
    return escaped;
}

const char* content_type(const std::string& path) {
    if (path.ends_with(".html")) return "text/html; charset=utf-8";
    if (path.ends_with(".css")) return "text/css; charset=utf-8";
    if (path.ends_with(".svg")) return "image/svg+xml";
    if (path.ends_with(".png")) return "image/png";
    if (path.ends_with(".jpg") || path.ends_with(".jpeg")) return "image/jpeg";
    if (path.ends_with(".xml")) return "application/atom+xml; charset=utf-8";
    if (path.ends_with(".ics")) return "text/calendar; charset=utf-8";
    if (path.ends_with(".pdf")) return "application/pdf";
    return "application/octet-stream";
}

// What the author's files look like now: a change in any name, size or time rebuilds.
std::size_t snapshot(const stdfs::path& site) {
    std::size_t signature = 0;
    std::error_code ec;
    for (auto it = stdfs::recursive_directory_iterator(site, ec); !ec && it != stdfs::recursive_directory_iterator();
         it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (it->is_directory() && (name.starts_with('.') || name == "public")) {
            it.disable_recursion_pending();
            continue;
        }
        if (!it->is_regular_file()) continue;
        const auto time = stdfs::last_write_time(it->path(), ec).time_since_epoch().count();
        signature ^= std::hash<std::string>{}(it->path().string()) + 0x9e3779b9 + (signature << 6) + (signature >> 2);
        signature ^= std::hash<long long>{}(static_cast<long long>(time)) + static_cast<std::size_t>(it->file_size(ec));
    }
    return signature;
}

struct Preview {
    std::mutex mutex;
    std::shared_ptr<const fs::OutputTree> site;
    std::string errors_html;  // non-empty while the content has errors
    std::atomic<long> version{0};
};

void rebuild(const ServeOptions& options, Preview& preview, std::ostream& out) {
    diag::Diagnostics diagnostics;
    build::PipelineOptions pipeline;
    pipeline.site_dir = options.site_dir;
    pipeline.mode = build::Mode::preview;
    pipeline.today = options.today.value_or(model::Date{});
    pipeline.with_history = options.with_history;
    pipeline.generator = options.generator + " (preview)";
    auto result = build::run_pipeline(pipeline, diagnostics);
    std::string errors;
    if (result.outcome != build::Outcome::success) {
        errors = "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Errors in the site</title>"
                 "<style>body{font-family:Arial,sans-serif;margin:2rem;max-width:60rem;line-height:1.5}"
                 "li{margin-bottom:1rem}code{background:#f3f2f1;padding:0 .2rem}</style></head><body>"
                 "<main><h1>The site has errors</h1><p>Fix them and this page reloads by itself.</p><ol>";
        for (const auto& d : diagnostics.all()) {
            if (d.severity != diag::Severity::error) continue;
            errors += "<li><code>" + escape_html(d.file) + (d.line ? ":" + std::to_string(d.line) : "") +
                      (d.column ? ":" + std::to_string(d.column) : "") + "</code> <strong>" + escape_html(d.code) +
                      "</strong>: " + escape_html(d.message) +
                      (d.hint.empty() ? "" : "<br>What to do: " + escape_html(d.hint)) + "</li>";
        }
        errors += std::string("</ol></main>") + reload_script + "</body></html>";
    }
    {
        std::lock_guard lock(preview.mutex);
        if (result.preview) preview.site = std::make_shared<const fs::OutputTree>(std::move(*result.preview));
        preview.errors_html = std::move(errors);
    }
    ++preview.version;
    out << (preview.errors_html.empty() ? "Rebuilt: " : "Errors: ") << diag::format_summary(diagnostics) << std::flush;
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

    Preview preview;
    rebuild(options, preview, out);

    httplib::Server server;
    server.Get("/__cypp/version", [&](const httplib::Request&, httplib::Response& response) {
        response.set_header("Cache-Control", "no-store");
        response.set_content(std::to_string(preview.version.load()), "text/plain");
    });
    server.Get(".*", [&](const httplib::Request& request, httplib::Response& response) {
        response.set_header("Cache-Control", "no-store");
        std::string path = request.path.substr(1);
        if (path.empty() || path.ends_with('/')) path += "index.html";
        std::shared_ptr<const fs::OutputTree> site;
        std::string errors;
        {
            std::lock_guard lock(preview.mutex);
            site = preview.site;
            errors = preview.errors_html;
        }
        if (!errors.empty() && (path.ends_with(".html") || path.find('.') == std::string::npos)) {
            response.status = 500;
            response.set_content(errors, "text/html; charset=utf-8");
            return;
        }
        if (!site || !site->contains(path)) {
            response.status = 404;
            response.set_content("<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Not found</title></head>"
                                 "<body><main><h1>Page not found</h1><p>" + escape_html(request.path) +
                                     " is not part of the site.</p></main></body></html>",
                                 "text/html; charset=utf-8");
            return;
        }
        std::string content = site->files().at(path);
        if (path.ends_with(".html"))
            if (auto body = content.rfind("</body>"); body != std::string::npos) content.insert(body, reload_script);
        response.set_content(content, content_type(path));
    });

    // httplib also sets SO_REUSEPORT, which would let a second preview share a busy
    // port silently; without it, a busy port is an error the author can act on.
    server.set_socket_options([](socket_t socket) {
        int yes = 1;
        ::setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    int port = options.port;
    if (port == 0) {
        port = server.bind_to_any_port("127.0.0.1");
    } else if (!server.bind_to_port("127.0.0.1", port)) {
        port = -1;
    }
    if (port <= 0) {
        err << "cypp serve: error[CY114]: port " << options.port << " on 127.0.0.1 is in use\n"
            << "  hint: stop the other program, or choose another port with --port\n";
        return 2;
    }
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
        std::size_t seen = snapshot(options.site_dir);
        while (!stopping) {
            std::this_thread::sleep_for(std::chrono::milliseconds(150));
            if (options.stop_after_seconds > 0 &&
                std::chrono::steady_clock::now() - started > std::chrono::seconds(options.stop_after_seconds)) {
                kill(getpid(), SIGTERM);  // the signal thread stops the server
                break;
            }
            const std::size_t now = snapshot(options.site_dir);
            if (now == seen) continue;
            seen = now;
            rebuild(options, preview, out);
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
