// Internal to load: the regulation catalogue shipped in content/ (embedded).
#pragma once

#include "model/site.h"

namespace cypp::load {

// The catalogue is part of the tool, so a broken one is a bug: this throws std::runtime_error.
model::Catalogue load_catalogue();

}  // namespace cypp::load
