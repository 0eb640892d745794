// load/read_ahead: a plan's Markdown files read on a thread of their own while the build's
// thread reads and checks the plan's JSON. Which files a plan has is known only once
// plan.json is parsed and checked, and until then the build's other threads have nothing
// to do; so the files in the plan's chapters/ folder are read meanwhile, on a guess. A
// page whose file was not read ahead is read as usual, so a wrong guess costs only time.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "fs/site_source.h"

namespace cypp::load {

class ReadAhead {
public:
    // Starts reading, with source.read(relative, max_bytes), each file that files() names
    // (called on the reading thread: listing a folder takes time too) in turn, until
    // their texts come to budget_bytes or finish() is called.
    ReadAhead(const fs::SiteSource& source, std::function<std::vector<std::string>()> files, std::uintmax_t max_bytes,
              std::size_t budget_bytes);
    ~ReadAhead();  // stops reading and waits for the thread
    ReadAhead(const ReadAhead&) = delete;
    ReadAhead& operator=(const ReadAhead&) = delete;

    // Stops reading (the file being read is finished; with read_the_rest, the rest too,
    // up to the budget) and waits for the thread. Called once, before take().
    void finish(bool read_the_rest = false);
    // What source.read(relative, max_bytes) gave when it was read ahead, handed out once;
    // nothing for a file not read ahead, or read with another max_bytes. Safe to call from
    // several threads at once.
    std::optional<fs::ReadResult> take(const std::string& relative, std::uintmax_t max_bytes);

    std::size_t read_count() const { return read_.size(); }

private:
    struct Read {
        fs::ReadResult result;
        std::atomic<bool> taken{false};
    };
    const std::uintmax_t max_bytes_;
    std::atomic<bool> stop_{false};
    std::vector<std::pair<std::string, std::unique_ptr<Read>>> reading_;  // the thread's own until finish()
    std::unordered_map<std::string, std::unique_ptr<Read>> read_;          // by relative, from finish() on
    std::thread thread_;
};

// The files a plan's pages are most likely in: the Markdown files directly in
// plan_folder + "chapters/" (plan_folder ends with '/'), by name.
std::vector<std::string> likely_chapter_files(const fs::SiteSource& source, const std::string& plan_folder);

}  // namespace cypp::load
