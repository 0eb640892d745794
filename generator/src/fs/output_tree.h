// fs: reading author files with a size cap, and writing a build's output so that it
// either appears whole or not at all.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace cypp::fs {

enum class ReadStatus { ok, missing, not_a_file, too_large, unreadable, outside_site };

struct ReadResult {
    ReadStatus status = ReadStatus::ok;
    std::string text;
};

ReadResult read_file(const std::filesystem::path& path, std::uintmax_t max_bytes);

// The files of one build, held in memory until commit_output() so that a build that
// fails half-way writes nothing. Paths are relative, '/'-separated; sorted for stable output.
class OutputTree {
public:
    void add(const std::string& relative_path, std::string content);
    const std::map<std::string, std::string>& files() const { return files_; }
    bool contains(const std::string& relative_path) const { return files_.count(relative_path) > 0; }

private:
    std::map<std::string, std::string> files_;
};

// The marker file that says a folder was written by cypp (and may be replaced by it).
inline constexpr const char* output_marker = ".cypp-output";

// Writes the tree into a temporary sibling of target and swaps it in. The previous
// content of target stays untouched unless the new tree was completely written.
// Refuses to replace a non-empty folder that cypp did not create. Returns an error
// message on failure.
std::optional<std::string> commit_output(const OutputTree& tree, const std::filesystem::path& target);

}  // namespace cypp::fs
