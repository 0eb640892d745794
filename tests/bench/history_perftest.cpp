// Times the history stage alone (read_history: one revision walk) on a site folder.
// Usage: history_perftest SITE_DIR [RUNS]  -> prints the median wall time in ms.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "history/history.h"

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: history_perftest SITE_DIR [RUNS]\n");
        return 2;
    }
    const int runs = argc > 2 ? std::atoi(argv[2]) : 5;
    std::vector<double> times;
    std::size_t revisions = 0;
    for (int i = 0; i < runs; ++i) {
        cypp::diag::Diagnostics diagnostics;
        auto start = std::chrono::steady_clock::now();
        auto history = cypp::history::read_history(argv[1], argv[1], diagnostics);
        auto end = std::chrono::steady_clock::now();
        if (history.availability() != cypp::history::Availability::available) {
            std::fprintf(stderr, "no history in %s\n", argv[1]);
            return 1;
        }
        revisions = history.revisions().size();
        times.push_back(std::chrono::duration<double, std::milli>(end - start).count());
    }
    std::sort(times.begin(), times.end());
    std::printf("%.1f\n", times[times.size() / 2]);
    std::fprintf(stderr, "%zu revisions\n", revisions);
    return 0;
}
