#include "publish/print_pdf.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <set>
#include <sys/prctl.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "publish/manifest.h"

extern char** environ;

namespace cypp::publish {

namespace stdfs = std::filesystem;

namespace {

bool is_executable_file(const stdfs::path& path) {
    std::error_code ec;
    return stdfs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

// The files chromium needs to print html_path as the site shows it: the page, the
// theme's assets (the stylesheet and what it loads) and every src="" of the page.
std::set<std::string> files_to_print(const fs::OutputTree& tree, const std::string& html_path) {
    std::set<std::string> files{html_path};
    for (const std::string& path : tree.paths())
        if (path.starts_with("assets/")) files.insert(path);
    const std::string html = tree.read(html_path);
    const std::string folder = html_path.substr(0, html_path.rfind('/') + 1);
    for (std::size_t at = html.find(" src=\""); at != std::string::npos; at = html.find(" src=\"", at + 1)) {
        const std::size_t start = at + 6, end = html.find('"', start);
        if (end == std::string::npos) break;
        std::string url = html.substr(start, end - start);
        url = url.substr(0, url.find_first_of("?#"));
        for (std::size_t amp = url.find("&amp;"); amp != std::string::npos; amp = url.find("&amp;", amp + 1))
            url.replace(amp, 5, "&");
        if (url.empty() || url.starts_with('/') || url.find(':') != std::string::npos) continue;
        const std::string target = stdfs::path(folder + url).lexically_normal().generic_string();
        if (tree.contains(target)) files.insert(target);
    }
    return files;
}

std::string file_url(const stdfs::path& folder) {
    static const char* hex = "0123456789ABCDEF";
    std::string url = "file://";
    for (unsigned char c : folder.generic_string()) {
        if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
            url += static_cast<char>(c);
        } else {
            url += '%';
            url += hex[c >> 4];
            url += hex[c & 15];
        }
    }
    return url + "/";
}

std::string read_whole(const stdfs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

// The last line chromium printed, which says why it failed when it did.
std::string last_line(const std::string& log) {
    std::istringstream lines(log);
    std::string line, last;
    while (std::getline(lines, line))
        if (!line.empty()) last = line;
    return last.size() > 300 ? last.substr(0, 300) + "..." : last;
}

struct ChildRun {
    bool started = false;
    bool timed_out = false;
    int status = 0;
};

// Runs argv in a process group of its own with the given environment, stdout and
// stderr into log. At the timeout the whole group is killed; after a normal exit too,
// so no renderer or helper of chromium outlives the build; and if cypp itself dies.
ChildRun run_in_own_group(const std::vector<std::string>& arguments, const std::vector<std::string>& environment,
                          const stdfs::path& log, std::chrono::milliseconds timeout) {
    std::vector<char*> argv, envp;
    for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
    argv.push_back(nullptr);
    for (const std::string& variable : environment) envp.push_back(const_cast<char*>(variable.c_str()));
    envp.push_back(nullptr);
    const std::string log_path = log.string();
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {
        // Only async-signal-safe calls until exec. Killed with cypp (Ctrl-C reaches only
        // cypp's process group, and a killed build must not leave chromium running).
        ::setpgid(0, 0);
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
        const int in = ::open("/dev/null", O_RDONLY);
        const int out = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || out < 0 || ::dup2(in, STDIN_FILENO) < 0 || ::dup2(out, STDOUT_FILENO) < 0 ||
            ::dup2(out, STDERR_FILENO) < 0)
            ::_exit(127);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        struct sigaction defaults {};
        defaults.sa_handler = SIG_DFL;
        for (int signal : {SIGPIPE, SIGINT, SIGTERM}) ::sigaction(signal, &defaults, nullptr);
        ::execve(argv[0], argv.data(), envp.data());
        ::_exit(127);
    }
    ChildRun run;
    if (pid < 0) return run;
    ::setpgid(pid, pid);  // also here, so the group exists before any kill below
    run.started = true;

    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        siginfo_t info{};
        // WNOWAIT: the exited leader stays a zombie, so its group id cannot be reused
        // before the group is killed below.
        const int waited = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
        if (waited == 0 && info.si_pid == pid) break;
        if (waited != 0 && errno != EINTR) break;
        if (std::chrono::steady_clock::now() >= deadline) {
            run.timed_out = true;
            break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, &run.status, 0) < 0 && errno == EINTR) {
    }
    return run;
}

std::vector<std::string> chromium_environment(const stdfs::path& home) {
    std::vector<std::string> environment;
    for (char** variable = environ; *variable; ++variable) {
        const std::string_view entry(*variable);
        if (entry.starts_with("TZ=") || entry.starts_with("HOME=") || entry.starts_with("XDG_CONFIG_HOME=") ||
            entry.starts_with("XDG_CACHE_HOME="))
            continue;
        environment.emplace_back(entry);
    }
    // Dates in UTC (they are replaced anyway); nothing written to the user's home.
    environment.push_back("TZ=UTC");
    environment.push_back("HOME=" + home.string());
    environment.push_back("XDG_CONFIG_HOME=" + (home / ".config").string());
    environment.push_back("XDG_CACHE_HOME=" + (home / ".cache").string());
    return environment;
}

class TemporaryFolder {
public:
    TemporaryFolder() {
        std::error_code ec;
        std::string pattern = (stdfs::temp_directory_path(ec) / "cypp-pdf-XXXXXX").string();
        if (ec) pattern = "/tmp/cypp-pdf-XXXXXX";
        if (::mkdtemp(pattern.data())) path_ = pattern;
    }
    ~TemporaryFolder() {
        std::error_code ec;
        if (!path_.empty()) stdfs::remove_all(path_, ec);
    }
    TemporaryFolder(const TemporaryFolder&) = delete;
    TemporaryFolder& operator=(const TemporaryFolder&) = delete;
    const stdfs::path& path() const { return path_; }

private:
    stdfs::path path_;
};

struct Edit {
    std::size_t at;
    std::size_t length;
    std::string with;
};

std::optional<std::size_t> parse_number(const std::string& text, std::size_t& at) {
    while (at < text.size() && (text[at] == ' ' || text[at] == '\r' || text[at] == '\n')) ++at;
    const std::size_t start = at;
    std::size_t value = 0;
    while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])) && at - start < 12)
        value = value * 10 + static_cast<std::size_t>(text[at++] - '0');
    if (at == start) return std::nullopt;
    return value;
}

}  // namespace

std::string print_pdf_path(const std::string& plan_id) { return "print/" + plan_id + ".pdf"; }

ChromiumSearch find_chromium() {
    ChromiumSearch search;
    if (const char* configured = std::getenv("CYPP_CHROMIUM")) {
        search.looked_for = std::string("CYPP_CHROMIUM=") + configured;
        if (*configured && is_executable_file(configured)) search.found = stdfs::path(configured);
        return search;
    }
    const char* path = std::getenv("PATH");
    if (!path) {
        search.looked_for = "/usr/bin/chromium";
        if (is_executable_file("/usr/bin/chromium")) search.found = stdfs::path("/usr/bin/chromium");
        return search;
    }
    search.looked_for = "chromium on PATH";
    std::string_view folders(path);
    while (!folders.empty()) {
        const std::size_t colon = folders.find(':');
        const std::string_view folder = folders.substr(0, colon);
        folders = colon == std::string_view::npos ? std::string_view() : folders.substr(colon + 1);
        if (folder.empty()) continue;  // the current folder: never a place to find a browser
        const stdfs::path candidate = stdfs::path(folder) / "chromium";
        if (is_executable_file(candidate)) {
            search.found = candidate;
            break;
        }
    }
    return search;
}

std::optional<std::string> make_pdf_reproducible(std::string& pdf, const std::string& file_base,
                                                 const std::string& pdf_path, const std::string& date) {
    if (!pdf.starts_with("%PDF-")) return "it is not a PDF file";
    if (date.size() != 10 || date[4] != '-' || date[7] != '-') return "the date \"" + date + "\" is not YYYY-MM-DD";
    const std::string stamp = date.substr(0, 4) + date.substr(5, 2) + date.substr(8, 2) + "000000+00'00'";

    std::vector<Edit> edits;
    for (const char* key : {"/CreationDate (D:", "/ModDate (D:"}) {
        const std::size_t found = pdf.find(key);
        if (found == std::string::npos) continue;
        const std::size_t start = found + std::strlen(key), end = pdf.find(')', start);
        if (end == std::string::npos || end - start > 40) return std::string("its ") + (key + 1) + " cannot be read";
        edits.push_back({start, end - start, stamp});
    }
    // Links to other pages of the site point into the temporary folder: make them
    // relative to where the PDF is published, as every other link of the site is.
    std::string up;
    for (char c : pdf_path)
        if (c == '/') up += "../";
    const std::string uri = "/URI (" + file_base;
    for (std::size_t found = pdf.find(uri); found != std::string::npos; found = pdf.find(uri, found + uri.size()))
        edits.push_back({found + 6, file_base.size(), up});
    std::sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) { return a.at < b.at; });

    const std::size_t startxref = pdf.rfind("startxref");
    if (startxref == std::string::npos) return "it has no startxref";
    std::size_t cursor = startxref + 9;
    const auto old_xref = parse_number(pdf, cursor);
    if (!old_xref || *old_xref >= startxref || pdf.compare(*old_xref, 4, "xref") != 0)
        return "its cross-reference table cannot be found (a cross-reference stream?)";
    if (pdf.find("/Prev", *old_xref) < startxref) return "it has more than one cross-reference section";
    for (const Edit& edit : edits)
        if (edit.at + edit.length > *old_xref) return "a date or link lies after the cross-reference table";

    // Old offset → new offset: shifted by every edit that lies before it.
    auto moved = [&edits](std::size_t offset) {
        long long shift = 0;
        for (const Edit& edit : edits)
            if (edit.at < offset)
                shift += static_cast<long long>(edit.with.size()) - static_cast<long long>(edit.length);
        return static_cast<std::size_t>(static_cast<long long>(offset) + shift);
    };
    std::string out;
    out.reserve(pdf.size());
    std::size_t copied = 0;
    for (const Edit& edit : edits) {
        out.append(pdf, copied, edit.at - copied);
        out += edit.with;
        copied = edit.at + edit.length;
    }
    out.append(pdf, copied, std::string::npos);

    // The cross-reference table: fixed-width entries "oooooooooo ggggg n" + 2-byte EOL.
    std::size_t at = moved(*old_xref) + 4;
    for (;;) {
        std::size_t probe = at;
        while (probe < out.size() && (out[probe] == ' ' || out[probe] == '\r' || out[probe] == '\n')) ++probe;
        if (out.compare(probe, 7, "trailer") == 0) break;
        const auto first = parse_number(out, at);
        const auto count = parse_number(out, at);
        if (!first || !count) return "its cross-reference table cannot be read";
        while (at < out.size() && out[at] != '\n') ++at;
        ++at;
        for (std::size_t i = 0; i < *count; ++i, at += 20) {
            if (at + 20 > out.size() || out[at + 10] != ' ' || out[at + 16] != ' ')
                return "its cross-reference table cannot be read";
            if (out[at + 17] != 'n') continue;
            std::size_t digit = at;
            const auto offset = parse_number(out, digit);
            if (!offset || digit != at + 10) return "its cross-reference table cannot be read";
            char entry[16];
            std::snprintf(entry, sizeof entry, "%010zu", moved(*offset));
            out.replace(at, 10, entry, 10);
        }
    }
    std::size_t number = moved(startxref) + 9;
    while (number < out.size() && (out[number] == ' ' || out[number] == '\r' || out[number] == '\n')) ++number;
    std::size_t number_end = number;
    while (number_end < out.size() && std::isdigit(static_cast<unsigned char>(out[number_end]))) ++number_end;
    out.replace(number, number_end - number, std::to_string(moved(*old_xref)));

    // A document id, when there is one, from the content rather than from chance.
    const std::size_t trailer = out.rfind("trailer");
    if (const std::size_t id = out.find("/ID", trailer); trailer != std::string::npos && id != std::string::npos) {
        const std::string digest = sha256_hex(out.substr(0, trailer));
        for (std::size_t open = out.find('<', id), strings = 0; open != std::string::npos && strings < 2;
             open = out.find('<', open + 1), ++strings) {
            const std::size_t close = out.find('>', open);
            if (close == std::string::npos || close - open - 1 > digest.size()) return "its /ID cannot be read";
            out.replace(open + 1, close - open - 1, digest.substr(0, close - open - 1));
        }
    }
    const std::string folder = file_base.substr(file_base.starts_with("file://") ? 7 : 0);
    if (out.find(file_base) != std::string::npos || (!folder.empty() && out.find(folder) != std::string::npos))
        return "it still names the temporary folder it was printed from";
    pdf = std::move(out);
    return std::nullopt;
}

std::optional<std::string> add_print_pdf(fs::OutputTree& tree, const PrintPdfOptions& options) {
    if (!tree.contains(options.html_path)) return options.html_path + " was not rendered";
    TemporaryFolder temporary;
    if (temporary.path().empty()) return "cannot create a temporary folder: " + std::string(std::strerror(errno));
    const stdfs::path site = temporary.path() / "site", home = temporary.path() / "home";
    const stdfs::path profile = temporary.path() / "profile", pdf_file = temporary.path() / "print.pdf";
    const stdfs::path log = temporary.path() / "chromium.log";
    std::error_code ec;
    stdfs::create_directories(home, ec);
    stdfs::create_directories(profile, ec);
    for (const std::string& relative : files_to_print(tree, options.html_path)) {
        const stdfs::path target = site / relative;
        stdfs::create_directories(target.parent_path(), ec);
        std::ofstream out(target, std::ios::binary | std::ios::trunc);
        const std::string content = tree.read(relative);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
        if (!out.flush()) return "cannot write " + target.string() + " for chromium";
    }

    const std::string base = file_url(site);
    const ChildRun run = run_in_own_group(
        {options.chromium.string(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-pdf-header-footer",
         "--user-data-dir=" + profile.string(), "--print-to-pdf=" + pdf_file.string(), base + options.html_path},
        chromium_environment(home), log, options.timeout);
    const std::string what = "chromium (" + options.chromium.string() + ")";
    if (!run.started) return what + " cannot be started";
    if (run.timed_out)
        return what + " did not finish within " +
               (options.timeout.count() % 1000 == 0 ? std::to_string(options.timeout.count() / 1000) + " seconds"
                                                    : std::to_string(options.timeout.count()) + " ms") +
               " and was stopped";
    std::string pdf = read_whole(pdf_file);
    if (!WIFEXITED(run.status) || WEXITSTATUS(run.status) != 0 || !pdf.starts_with("%PDF-")) {
        std::string how = WIFEXITED(run.status) ? "exit status " + std::to_string(WEXITSTATUS(run.status))
                                                : "signal " + std::to_string(WTERMSIG(run.status));
        const std::string said = last_line(read_whole(log));
        return what + " made no PDF (" + how + ")" + (said.empty() ? "" : ": " + said);
    }
    if (auto problem = make_pdf_reproducible(pdf, base, options.pdf_path, options.date))
        return "the PDF from " + what + " cannot be made reproducible: " + *problem;
    if (pdf.find(temporary.path().filename().string()) != std::string::npos)
        return "the PDF from " + what + " names the temporary folder it was printed from";
    tree.add(options.pdf_path, std::move(pdf));
    return std::nullopt;
}

}  // namespace cypp::publish
