// serve: `cypp serve`, the authors' live preview. Builds the site in memory, serves it
// on 127.0.0.1 only, rebuilds when a file or the git history changes (inotify) and tells
// the open page to reload (a small script added to previewed pages only; the published
// output never has it). When the content has errors, every page shows them until they
// are fixed.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>

#include "model/date.h"

namespace cypp::serve {

struct ServeOptions {
    std::filesystem::path site_dir;
    int port = 8000;  // 0: any free port
    std::optional<model::Date> today;
    bool with_history = true;
    int stop_after_seconds = 0;  // 0: until Ctrl-C; tests use it so a server never outlives them
    bool timings = false;        // each rebuild's stages, as cypp build --timings prints them
    std::string generator;
};

// Returns the exit code: 0 after a clean stop, 2 when it cannot listen on the port.
int serve(const ServeOptions& options, std::ostream& out, std::ostream& err);

}  // namespace cypp::serve
