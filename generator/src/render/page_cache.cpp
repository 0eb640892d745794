#include "render/page_cache.h"

namespace cypp::render {

void PageCache::start_build(std::size_t theme_fingerprint) {
    std::unique_lock lock(mutex_);
    if (theme_fingerprint != theme_fingerprint_) entries_.clear();
    theme_fingerprint_ = theme_fingerprint;
    std::erase_if(entries_, [](const auto& entry) { return !entry.second.used; });
    for (auto& [hash, entry] : entries_) entry.used.store(false, std::memory_order_relaxed);
    hits_ = 0;
}

std::string PageCache::page(const std::string& name, const nlohmann::json& view, std::size_t layer_hash,
                            const std::function<std::string(bool&)>& render) {
    const std::size_t hash =
        std::hash<nlohmann::json>{}(view) ^ (std::hash<std::string>{}(name) << 1) ^ (layer_hash * 1000003);
    return take_or_make(hash, name, render);
}

std::string PageCache::piece(const std::string& name, std::size_t key, const std::function<std::string()>& make) {
    return take_or_make(key ^ (std::hash<std::string>{}(name) << 1), name, [&](bool& succeeded) {
        succeeded = true;
        return make();
    });
}

std::string PageCache::take_or_make(std::size_t hash, const std::string& name,
                                    const std::function<std::string(bool&)>& make) {
    {
        std::shared_lock lock(mutex_);
        auto [first, last] = entries_.equal_range(hash);
        for (auto it = first; it != last; ++it)
            if (it->second.name == name) {
                it->second.used.store(true, std::memory_order_relaxed);
                hits_.fetch_add(1, std::memory_order_relaxed);
                return it->second.html;
            }
    }
    bool succeeded = false;
    std::string html = make(succeeded);
    if (succeeded) {
        std::unique_lock lock(mutex_);
        entries_.emplace(std::piecewise_construct, std::forward_as_tuple(hash), std::forward_as_tuple(name, html));
    }
    return html;
}

std::size_t PageCache::size() const {
    std::shared_lock lock(mutex_);
    return entries_.size();
}

}  // namespace cypp::render
