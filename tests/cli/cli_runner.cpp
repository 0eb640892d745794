#include "cli_runner.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

namespace stdfs = std::filesystem;

namespace cypp::testing {

namespace {

std::string shell_quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

stdfs::path unique_temp_folder() {
    static std::atomic<int> counter{0};
    stdfs::path folder = stdfs::temp_directory_path() /
                         ("cypp-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    stdfs::remove_all(folder);
    stdfs::create_directories(folder);
    return folder;
}

// Builds run without the PDF of the print edition: chromium takes a second or two per
// build. The tests of the PDF (tests/publish/print_pdf_cli_test.cpp) run cypp themselves.
std::vector<std::string> without_pdf(std::vector<std::string> arguments) {
    if (!arguments.empty() && arguments.front() == "build") arguments.push_back("--no-pdf");
    return arguments;
}

// User + system time of a running process, from /proc (0 when it cannot be read).
int child_cpu_milliseconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t after_name = stat.rfind(')');
    if (after_name == std::string::npos) return 0;
    std::istringstream fields(stat.substr(after_name + 2));
    std::string field;
    long long utime = 0, stime = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i) {
        if (i == 14) utime = std::stoll(field);
        if (i == 15) stime = std::stoll(field);
    }
    return static_cast<int>((utime + stime) * 1000 / ::sysconf(_SC_CLK_TCK));
}

}  // namespace

std::string read_file(const stdfs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::stringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::map<std::string, std::string> read_tree(const stdfs::path& folder) {
    std::map<std::string, std::string> files;
    for (auto& entry : stdfs::recursive_directory_iterator(folder))
        if (entry.is_regular_file())
            files[entry.path().lexically_relative(folder).generic_string()] = read_file(entry.path());
    return files;
}

RunResult run_cypp(const std::vector<std::string>& arguments, const std::map<std::string, std::string>& environment,
                   const stdfs::path& working_directory) {
    stdfs::path capture = unique_temp_folder();
    std::string command;
    if (!working_directory.empty()) command += "cd " + shell_quote(working_directory.string()) + " && ";
    for (const auto& [name, value] : environment)
        command += value == "\x01" ? "unset " + name + "; " : "export " + name + "=" + shell_quote(value) + "; ";
    command += shell_quote(CYPP_BINARY);
    for (const auto& argument : without_pdf(arguments)) command += " " + shell_quote(argument);
    command += " >" + shell_quote((capture / "out").string()) + " 2>" + shell_quote((capture / "err").string());
    int status = std::system(("/bin/sh -c " + shell_quote(command)).c_str());
    RunResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = read_file(capture / "out");
    result.err = read_file(capture / "err");
    stdfs::remove_all(capture);
    return result;
}

LimitedRunResult run_cypp_limited(const std::vector<std::string>& arguments, const RunLimits& limits,
                                  const stdfs::path& working_directory,
                                  const std::map<std::string, std::string>& environment) {
    stdfs::path capture = unique_temp_folder();
    const std::string out_path = (capture / "out").string(), err_path = (capture / "err").string();
    std::vector<std::string> argv_strings{CYPP_BINARY};
    const std::vector<std::string> build_arguments = without_pdf(arguments);
    argv_strings.insert(argv_strings.end(), build_arguments.begin(), build_arguments.end());
    std::vector<char*> argv;
    for (auto& argument : argv_strings) argv.push_back(argument.data());
    argv.push_back(nullptr);

    const auto start = std::chrono::steady_clock::now();
    pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
        // Only what must happen between fork and exec; any failure ends the child with 127.
        if (!working_directory.empty() && ::chdir(working_directory.c_str()) != 0) ::_exit(127);
        int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (out < 0 || err < 0 || ::dup2(out, STDOUT_FILENO) < 0 || ::dup2(err, STDERR_FILENO) < 0) ::_exit(127);
        for (const auto& [name, value] : environment) {
            if (value == "\x01") ::unsetenv(name.c_str());
            else ::setenv(name.c_str(), value.c_str(), 1);
        }
        if (limits.address_space_bytes) {
            struct rlimit limit{limits.address_space_bytes, limits.address_space_bytes};
            if (::setrlimit(RLIMIT_AS, &limit) != 0) ::_exit(127);
        }
        ::execv(CYPP_BINARY, argv.data());
        ::_exit(127);
    }
    LimitedRunResult result;
    const auto deadline = start + std::chrono::milliseconds(limits.wall_milliseconds);
    int status = 0;
    struct rusage usage {};
    while (true) {
        pid_t done = ::wait4(child, &status, WNOHANG, &usage);
        if (done == child) break;
        if (done < 0 && errno != EINTR) throw std::runtime_error("waitpid failed");
        const auto now = std::chrono::steady_clock::now();
        // Past the limit on the clock but not on the CPU: the machine is busy, not the
        // child slow; it may go on up to ten times the limit (a hang still ends there).
        if (now >= deadline && (now >= start + 10 * (deadline - start) || child_cpu_milliseconds(child) >= limits.wall_milliseconds)) {
            ::kill(child, SIGKILL);
            ::wait4(child, &status, 0, &usage);
            result.timed_out = true;
            break;
        }
        ::usleep(2000);
    }
    result.wall_milliseconds = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
    result.cpu_milliseconds = static_cast<int>((usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000 +
                                               (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000);
    result.run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    result.run.out = read_file(out_path);
    result.run.err = read_file(err_path);
    stdfs::remove_all(capture);
    return result;
}

TempSite::TempSite(const std::string& fixture_name) {
    root_ = unique_temp_folder();
    site_ = root_ / "site";
    stdfs::copy(stdfs::path(CYPP_FIXTURES) / fixture_name, site_, stdfs::copy_options::recursive);
}

TempSite TempSite::copy_of(const stdfs::path& folder) {
    TempSite site;
    site.root_ = unique_temp_folder();
    site.site_ = site.root_ / "site";
    stdfs::copy(folder, site.site_, stdfs::copy_options::recursive);
    stdfs::remove_all(site.site_ / "public");
    return site;
}

TempSite::~TempSite() {
    std::error_code ignored;
    if (!root_.empty()) stdfs::remove_all(root_, ignored);
}

TempSite::TempSite(TempSite&& other) noexcept : root_(std::move(other.root_)), site_(std::move(other.site_)) {
    other.root_.clear();
}

std::string TempSite::read(const std::string& relative) const { return read_file(site_ / relative); }

void TempSite::write(const std::string& relative, const std::string& content) const {
    stdfs::create_directories((site_ / relative).parent_path());
    std::ofstream(site_ / relative, std::ios::binary | std::ios::trunc) << content;
}

void TempSite::replace(const std::string& relative, const std::string& from, const std::string& to) const {
    std::string content = read(relative);
    std::size_t at = content.find(from);
    if (at == std::string::npos) throw std::runtime_error("\"" + from + "\" not found in " + relative);
    write(relative, content.replace(at, from.size(), to));
}

}  // namespace cypp::testing
