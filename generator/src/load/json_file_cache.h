// load: what cypp serve keeps of each JSON file it read — the parsed document, whether
// it met its schema and what reading it reported — so a rebuild after a Markdown edit
// does not parse and validate an unchanged plan.json (the largest file of a plan) again.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "diag/diagnostics.h"
#include "json/json_document.h"

namespace cypp::load {

struct ReadJsonFile {
    std::shared_ptr<const json::JsonDocument> document;  // null when the text did not parse
    bool valid = false;                                    // met its schema
    std::vector<diag::Diagnostic> reported;                // reported again on every load
};

class JsonFileCache {
public:
    // What reading name (the file as diagnostics show it) against schema_name gave last
    // time, when its text was exactly text; null otherwise.
    const ReadJsonFile* find(const std::string& name, const std::string& schema_name, std::string_view text) const;
    void keep(const std::string& name, const std::string& schema_name, std::string text, ReadJsonFile read);
    void start_build() { hits_ = 0; }
    int hits() const { return hits_; }  // in this build
    void count_hit() { ++hits_; }

private:
    struct Kept {
        std::string text;
        ReadJsonFile read;
    };
    // One entry per file and schema: a file read again with a new text replaces its entry.
    std::unordered_map<std::string, Kept> kept_;
    int hits_ = 0;
};

}  // namespace cypp::load
