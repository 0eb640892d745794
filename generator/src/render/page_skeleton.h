// render/page_skeleton: chapter pages filled in rather than rendered one by one. The
// chapters of a plan differ in their text far more than in their shape (which keys their
// view has, how long its lists are, which flags are set), and what a template makes of a
// view depends on its shape alone, its texts only being copied in (escaped or not). So
// the first page of each shape is rendered with a numbered marker in place of each text,
// and the page that gives (its skeleton) is filled with the texts of every page of that
// shape: the template engine runs once per shape instead of once per page.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

#include "diag/diagnostics.h"
#include "render/template_data.h"
#include "render/theme.h"

namespace cypp::render {

class PageSkeletons {
public:
    // Pages of template name, in the layout, each page's view over shared (made from
    // shared_view). theme and shared must outlive this. checks: how many of the first
    // skeletons are checked against the page rendered plainly (tests give 0, to see the
    // skeletons' own pages).
    PageSkeletons(const Theme& theme, std::string name, const Theme::Layer& shared, const nlohmann::json& shared_view,
                  int checks = 4);
    ~PageSkeletons();

    // What theme.render_page(name, template_data(view), shared) gives. Safe to call from
    // several threads at once.
    std::string render(const ViewNode& view, diag::Diagnostics& diagnostics);

    // How many skeletons are kept (one per shape met, up to a limit).
    std::size_t kept() const;

private:
    struct Skeleton;
    std::shared_ptr<const Skeleton> make(const ViewNode& view, std::size_t texts) const;
    std::string render_plainly(const ViewNode& view, diag::Diagnostics& diagnostics) const;

    const Theme& theme_;
    std::string name_;
    const Theme::Layer& shared_;
    // False when a marker could be mistaken for a byte of the theme or the shared view.
    bool usable_;
    // The first skeletons made are each checked against the page rendered plainly; a
    // difference (which would be a mistake in this module) stops their use for the build.
    std::atomic<int> checks_left_;
    std::atomic<bool> failed_check_{false};
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::shared_ptr<const Skeleton>> by_shape_;
};

}  // namespace cypp::render
