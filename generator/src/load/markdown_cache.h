// load: a cache of parsed and rendered Markdown shared by every load of one build, so
// that archived versions do not parse or render again a page whose text (the same git
// blob) and whose links' targets have not changed.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>

#include "markdown/markdown.h"

namespace cypp::load {

class MarkdownCache {
public:
    // The parse of text, made by parse on the first request.
    std::shared_ptr<markdown::ParsedMarkdown> parsed(const std::string& text,
                                                     const std::function<markdown::ParsedMarkdown()>& parse);
    // HTML rendered before for the same text with the same link targets, or null.
    const std::string* html(const std::string& key) const;
    void store_html(std::string key, std::string html);

    std::size_t size() const { return parsed_.size() + html_.size(); }
    void clear() {
        parsed_.clear();
        html_.clear();
    }
    int parse_hits() const { return parse_hits_; }
    int render_hits() const { return render_hits_; }

private:
    std::map<std::string, std::shared_ptr<markdown::ParsedMarkdown>> parsed_;
    std::map<std::string, std::string> html_;
    int parse_hits_ = 0;
    mutable int render_hits_ = 0;
};

}  // namespace cypp::load
