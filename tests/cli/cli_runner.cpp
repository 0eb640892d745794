#include "cli_runner.h"

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
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
