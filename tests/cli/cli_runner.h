// Runs the real cypp binary on fixture sites copied into temporary folders.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace cypp::testing {

struct RunResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs `cypp <arguments>` with extra environment variables (a value of "\x01" unsets one).
RunResult run_cypp(const std::vector<std::string>& arguments, const std::map<std::string, std::string>& environment = {},
                   const std::filesystem::path& working_directory = {});

// Limits for run_cypp_limited.
struct RunLimits {
    // Killed (SIGKILL) once it has run this long and used this much CPU: on a busy
    // machine the clock alone would stop a fast child; a hang ends at ten times this.
    int wall_milliseconds = 2000;
    unsigned long address_space_bytes = 0;  // RLIMIT_AS in the child; 0 = no limit
};

struct LimitedRunResult {
    RunResult run;           // exit_code is -1 when the process did not exit by itself
    bool timed_out = false;  // killed at the wall limit
    int signal = 0;          // the signal that ended it, if any (SIGKILL when timed out)
    int wall_milliseconds = 0;
    int cpu_milliseconds = 0;  // user + system time of the child
};

// Runs `cypp <arguments>` in working_directory under limits, without a shell: the
// environment is this process's, changed as in run_cypp ("\x01" unsets a variable).
LimitedRunResult run_cypp_limited(const std::vector<std::string>& arguments, const RunLimits& limits,
                                  const std::filesystem::path& working_directory,
                                  const std::map<std::string, std::string>& environment = {});

// A fresh copy of tests/fixtures/<name> (or of any folder) in a new temporary folder.
class TempSite {
public:
    explicit TempSite(const std::string& fixture_name);
    static TempSite copy_of(const std::filesystem::path& folder);
    ~TempSite();
    TempSite(const TempSite&) = delete;
    TempSite(TempSite&&) noexcept;

    const std::filesystem::path& path() const { return site_; }
    std::filesystem::path file(const std::string& relative) const { return site_ / relative; }
    std::string read(const std::string& relative) const;
    void write(const std::string& relative, const std::string& content) const;
    // Replaces the first occurrence of from in the file; the test fails if it is absent.
    void replace(const std::string& relative, const std::string& from, const std::string& to) const;

private:
    TempSite() = default;
    std::filesystem::path root_;
    std::filesystem::path site_;
};

std::string read_file(const std::filesystem::path& path);
// Every regular file below folder, as relative path -> content.
std::map<std::string, std::string> read_tree(const std::filesystem::path& folder);

}  // namespace cypp::testing
