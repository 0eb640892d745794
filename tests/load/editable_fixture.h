// Load tests that edit a site between loads: a fresh copy of a fixture to edit, and the
// edit itself.
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <unistd.h>

namespace cypp::test {

// A copy of tests/fixtures/<name> in a folder of its own, named after the test (tag).
inline std::filesystem::path copy_fixture(const std::string& name, const std::string& tag) {
    static int counter = 0;
    const std::filesystem::path folder =
        std::filesystem::temp_directory_path() /
        ("cypp-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(folder);
    std::filesystem::copy(std::filesystem::path(CYPP_FIXTURES) / name, folder,
                          std::filesystem::copy_options::recursive);
    return folder;
}

// Replaces the first from in file with to; from must be there.
inline void replace_in(const std::filesystem::path& file, const std::string& from, const std::string& to) {
    std::ifstream in(file);
    std::string text((std::istreambuf_iterator<char>(in)), {});
    in.close();
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    std::ofstream(file, std::ios::trunc) << text;
}

}  // namespace cypp::test
