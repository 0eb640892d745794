#include <cstdlib>
#include <iostream>

#include "cli/cli.h"

#ifdef CYPP_WITH_MIMALLOC
#include <mimalloc.h>
#endif

int main(int argc, char** argv) {
#ifdef CYPP_WITH_MIMALLOC
    // The heap in 2 MiB pages where the kernel allows it (transparent huge pages), from
    // the first segment of each thread on: a build of 10,000 chapters takes about 9,000
    // page faults instead of 23,000 and 3 % less CPU, for about 6 MiB more at its peak
    // (tests/bench/RESULTS.md). Each of mimalloc's variables, when set, still decides.
    if (!std::getenv("MIMALLOC_LARGE_OS_PAGES")) mi_option_enable(mi_option_large_os_pages);
    if (!std::getenv("MIMALLOC_EAGER_COMMIT_DELAY")) mi_option_set(mi_option_eager_commit_delay, 0);
#endif
    return cypp::cli::run(argc, argv, std::cout, std::cerr);
}
