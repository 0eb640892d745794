// Corpus replay: runs a fuzz target's entry function, built with the normal compiler,
// over every file in the folders given (the seeds and every saved crash), so that each
// input libFuzzer ever found interesting stays a regression test in the default suite.
//   replay CORPUS [REGRESSIONS...]
// CORPUS must exist and hold at least one input; a REGRESSIONS folder may be absent
// (no crash saved for this target yet).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

int main(int argc, char** argv) {
    namespace stdfs = std::filesystem;
    std::vector<stdfs::path> inputs;
    for (int i = 1; i < argc; ++i) {
        const stdfs::path folder = argv[i];
        if (!stdfs::is_directory(folder)) {
            if (i > 1) continue;
            std::fprintf(stderr, "no such folder: %s\n", folder.c_str());
            return 1;
        }
        for (const auto& entry : stdfs::recursive_directory_iterator(folder))
            if (entry.is_regular_file() && entry.path().filename() != "README.md") inputs.push_back(entry.path());
    }
    std::sort(inputs.begin(), inputs.end());
    for (const stdfs::path& input : inputs) {
        std::ifstream in(input, std::ios::binary);
        const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        std::fprintf(stderr, "%s\n", input.c_str());  // the last name printed is the one that crashed
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    }
    if (inputs.empty()) {
        std::fprintf(stderr, "no inputs in %s\n", argc > 1 ? argv[1] : "(no folder given)");
        return 1;
    }
    std::printf("%zu inputs ran without a finding\n", inputs.size());
    return 0;
}
