#include "load/markdown_cache.h"

namespace cypp::load {

std::shared_ptr<markdown::ParsedMarkdown> MarkdownCache::parsed(const std::string& text,
                                                               const std::function<markdown::ParsedMarkdown()>& parse) {
    auto found = parsed_.find(text);
    if (found != parsed_.end()) {
        ++parse_hits_;
        return found->second;
    }
    auto result = std::make_shared<markdown::ParsedMarkdown>(parse());
    parsed_.emplace(text, result);
    return result;
}

const std::string* MarkdownCache::html(const std::string& key) const {
    auto found = html_.find(key);
    if (found == html_.end()) return nullptr;
    ++render_hits_;
    return &found->second;
}

void MarkdownCache::store_html(std::string key, std::string html) { html_.emplace(std::move(key), std::move(html)); }

}  // namespace cypp::load
