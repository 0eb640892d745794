#include "load/read_ahead.h"

#include <exception>
#include <system_error>

namespace cypp::load {

ReadAhead::ReadAhead(const fs::SiteSource& source, std::function<std::vector<std::string>()> files,
                     std::uintmax_t max_bytes, std::size_t budget_bytes)
    : max_bytes_(max_bytes) {
    auto read_all = [this, &source, files = std::move(files), budget_bytes] {
        std::size_t bytes = 0;
        try {
            for (const std::string& relative : files()) {
                if (stop_.load(std::memory_order_relaxed) || bytes >= budget_bytes) return;
                auto read = std::make_unique<Read>();
                read->result = source.read(relative, max_bytes_);
                bytes += read->result.text.size();
                reading_.emplace_back(relative, std::move(read));
            }
        } catch (const std::exception&) {
            // Out of memory, say: the files not read ahead are read as usual, and fail there.
        }
    };
    try {
        thread_ = std::thread(std::move(read_all));
    } catch (const std::system_error&) {
        // No thread to spare: every file is read as usual.
    }
}

ReadAhead::~ReadAhead() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

void ReadAhead::finish(bool read_the_rest) {
    if (!read_the_rest) stop_ = true;
    if (thread_.joinable()) thread_.join();
    read_.reserve(reading_.size());
    for (auto& [relative, read] : reading_) read_.emplace(std::move(relative), std::move(read));
    reading_.clear();
}

std::optional<fs::ReadResult> ReadAhead::take(const std::string& relative, std::uintmax_t max_bytes) {
    if (max_bytes != max_bytes_) return std::nullopt;
    const auto found = read_.find(relative);
    if (found == read_.end() || found->second->taken.exchange(true)) return std::nullopt;
    return std::move(found->second->result);
}

std::vector<std::string> likely_chapter_files(const fs::SiteSource& source, const std::string& plan_folder) {
    std::vector<std::string> files;
    for (const std::string& name : source.files_in(plan_folder + "chapters"))
        if (name.ends_with(".md")) files.push_back(plan_folder + "chapters/" + name);
    return files;
}

}  // namespace cypp::load
