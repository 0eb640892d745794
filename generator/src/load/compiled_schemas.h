// load: the built-in schemas (schemas/ in the repository, embedded in cypp), each
// compiled when a load first needs it and then shared: a build loads the site once per
// archived version, and cypp serve once per rebuild, and compiling is a large part of
// loading a small site.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "schema/schema.h"

namespace cypp::load {

class CompiledSchemas {
public:
    // The compiled schemas/<name>; nullopt when it cannot be used (a bug in cypp, which
    // each load reports). Thread-safe; a Schema is an immutable handle, cheap to copy.
    std::optional<schema::Schema> find(const std::string& name);

private:
    std::mutex mutex_;
    std::map<std::string, std::optional<schema::Schema>> schemas_;
};

}  // namespace cypp::load
