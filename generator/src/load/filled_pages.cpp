#include "load/filled_pages.h"

namespace cypp::load {

void FilledPages::start_load(std::uint64_t link_map) {
    hits_ = 0;
    if (link_map != link_map_) pages_.clear();
    link_map_ = link_map;
}

const std::string* FilledPages::find(const std::string& source, const std::string& output_path,
                                     const PreparedMarkdown* prepared) const {
    auto found = pages_.find(source);
    if (found == pages_.end() || found->second.prepared.get() != prepared || found->second.output_path != output_path)
        return nullptr;
    return &found->second.html;
}

void FilledPages::keep(const std::string& source, std::string output_path,
                       std::shared_ptr<const PreparedMarkdown> prepared, std::string html) {
    pages_[source] = {std::move(output_path), std::move(prepared), std::move(html)};
}

}  // namespace cypp::load
