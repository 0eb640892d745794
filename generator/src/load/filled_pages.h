// load: the HTML of pages whose link addresses cypp serve filled in on an earlier
// rebuild, kept for the next: after one edit only the pages that changed are filled in.
// A page's addresses depend on its own links (its prepared Markdown), on its own place
// and on the link map (where every page of the site is and which headings it has): a
// kept page is given back only while all of them are what they were. Pages with a link
// to a file (checked on disk on every load) or with a problem (reported on every load)
// are never kept.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "load/markdown_cache.h"

namespace cypp::load {

class FilledPages {
public:
    // Called once per load, before any find(), with the load's link map: pages filled
    // with another map are let go.
    void start_load(std::uint64_t link_map);
    // The page's HTML as it was filled in, when source was prepared as prepared and
    // placed at output_path; null otherwise. Safe from several threads while nothing
    // is kept.
    const std::string* find(const std::string& source, const std::string& output_path,
                            const PreparedMarkdown* prepared) const;
    void keep(const std::string& source, std::string output_path, std::shared_ptr<const PreparedMarkdown> prepared,
              std::string html);
    void count_hits(int hits) { hits_ += hits; }
    int hits() const { return hits_; }  // in the last load
    std::size_t size() const { return pages_.size(); }

private:
    struct Filled {
        std::string output_path;
        std::shared_ptr<const PreparedMarkdown> prepared;  // kept alive, so its address is never another's
        std::string html;
    };
    std::uint64_t link_map_ = 0;
    std::unordered_map<std::string, Filled> pages_;  // by source
    int hits_ = 0;
};

}  // namespace cypp::load
