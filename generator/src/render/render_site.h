// render: turns the model into the output files — pages through the theme's templates,
// plus the theme's assets and the files pages link to. Reads only the model.
#pragma once

#include <optional>
#include <string>

#include "diag/diagnostics.h"
#include "fs/output_tree.h"
#include "model/site.h"
#include "render/theme.h"
#include "rules/rules.h"

namespace cypp::render {

struct RenderOptions {
    std::optional<model::Date> build_date;  // from SOURCE_DATE_EPOCH; never from the clock
    std::string generator;                  // "cypp 0.1.0"
};

void render_site(const model::Site& site, const Theme& theme, const rules::ComplianceReport& compliance,
                 const RenderOptions& options, fs::OutputTree& output, diag::Diagnostics& diagnostics);

}  // namespace cypp::render
