// render: pages rendered by an earlier build, kept by cypp serve between rebuilds, so
// that a page whose view and theme did not change is not run through mustache again
// (the largest part of a page's cost). One edit changes a handful of views.
#pragma once

#include <cstddef>
#include <functional>
#include <atomic>
#include <mutex>
#include <shared_mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

namespace cypp::render {

class PageCache {
public:
    // Called before each build with the fingerprint of the theme it uses: a changed
    // theme empties the cache, and pages the previous build did not use are dropped.
    void start_build(std::size_t theme_fingerprint);

    // The page made of template name and view: the stored one when the name is the same
    // and the view hashes the same as one rendered before, else render() (stored when
    // it succeeded). Thread-safe.
    // layer_hash: the hash of a layer of keys the view is rendered over (0: none).
    // The view is not looked at once render() is called (render may take it apart).
    std::string page(const std::string& name, const nlohmann::json& view, std::size_t layer_hash,
                     const std::function<std::string(bool& succeeded)>& render);

    // A part of a page, made from inputs the caller hashes into key (a chapter's section
    // of the print edition): the stored one when name and key are those of one made
    // before, else make() (stored). Thread-safe.
    std::string piece(const std::string& name, std::size_t key, const std::function<std::string()>& make);

    std::size_t size() const;
    std::size_t hits() const { return hits_; }

private:
    // Views are known by a 64-bit hash of their whole content (body included), not kept
    // and compared: that costs a preview rebuild more than rendering does, and two views
    // of one site sharing a hash is far less likely than any other fault.
    std::string take_or_make(std::size_t hash, const std::string& name,
                             const std::function<std::string(bool& succeeded)>& make);
    struct Entry {
        std::string name;
        std::string html;
        mutable std::atomic<bool> used{true};
    };
    // Looked up by every thread for every page and section: lookups share the lock,
    // only storing takes it alone.
    mutable std::shared_mutex mutex_;
    std::unordered_multimap<std::size_t, Entry> entries_;  // by hash of name and view (or key)
    std::size_t theme_fingerprint_ = 0;
    std::atomic<std::size_t> hits_ = 0;
};

}  // namespace cypp::render
