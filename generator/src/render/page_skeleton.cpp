#include "render/page_skeleton.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace cypp::render {

namespace {

// A marker is this byte, the text's number, and "&": the byte is in no template and no
// shared text (the constructor checks), nor in a page's texts, which never reach a
// skeleton; escaping turns the "&" into "&amp;", which tells an escaped text from a raw one.
constexpr char marker_byte = '\x01';
constexpr std::string_view raw_end = "&", escaped_end = "&amp;";
// Skeletons are a few kilobytes; a plan whose chapters all differ in shape is rendered
// plainly once this many are kept.
constexpr std::size_t most_skeletons = 256;

std::string marker(std::size_t number) { return marker_byte + std::to_string(number) + std::string(raw_end); }

// kainjow leaves out a line that has a section tag and, once rendered, only spaces and
// tabs: a text that is blank can decide that, so a blank text is part of the shape, and
// is in the skeleton as itself, not as a marker (which is never blank).
bool is_blank(const std::string& text) { return text.find_first_not_of(" \t") == std::string::npos; }

// The view's shape, and its texts (but the blank ones) in the order they were put, which
// is the order template_data() meets them in. A key is written after its length, so that no key can be read as
// punctuation of the shape.
void describe(const ViewNode& node, std::string& shape, std::vector<const std::string*>& texts) {
    switch (node.kind) {
    case ViewNode::Kind::object:
        shape += '{';
        for (const ViewNode& member : node.children) {
            // Its length first: one byte for any name a builder uses.
            if (member.key.size() < 255) {
                shape += static_cast<char>(member.key.size());
            } else {
                shape += '\xff';
                shape += std::to_string(member.key.size());
                shape += ':';
            }
            shape += member.key;
            describe(member, shape, texts);
        }
        shape += '}';
        break;
    case ViewNode::Kind::list:
        shape += '[';
        for (const ViewNode& item : node.children) describe(item, shape, texts);
        shape += ']';
        break;
    case ViewNode::Kind::text:
        if (is_blank(node.text)) {
            shape += 'b';
            shape += node.text;
            shape += ';';
            break;
        }
        shape += 's';
        texts.push_back(&node.text);
        break;
    case ViewNode::Kind::yes: shape += 't'; break;
    case ViewNode::Kind::no: shape += 'f'; break;
    }
}

bool has_byte(const nlohmann::json& view, char c) {
    if (view.is_string()) return view.get_ref<const std::string&>().find(c) != std::string::npos;
    if (view.is_object())
        for (auto item = view.begin(); item != view.end(); ++item)
            if (item.key().find(c) != std::string::npos || has_byte(*item, c)) return true;
    if (view.is_array())
        for (const nlohmann::json& item : view)
            if (has_byte(item, c)) return true;
    return false;
}

struct Gap {
    std::size_t at;  // in the skeleton's text
    std::size_t text;
    bool escaped;
};

// rendered split at its markers, each of a number below limit; nothing when a marker is
// malformed.
std::optional<std::pair<std::string, std::vector<Gap>>> split_at_markers(std::string_view rendered, std::size_t limit) {
    std::string literal;
    literal.reserve(rendered.size());
    std::vector<Gap> gaps;
    std::size_t at = 0;
    for (std::size_t found; (found = rendered.find(marker_byte, at)) != std::string_view::npos;) {
        literal.append(rendered, at, found - at);
        std::size_t end = found + 1, number = 0;
        while (end < rendered.size() && rendered[end] >= '0' && rendered[end] <= '9' && number < limit)
            number = number * 10 + static_cast<std::size_t>(rendered[end++] - '0');
        if (end == found + 1 || number >= limit) return std::nullopt;
        const std::string_view rest = rendered.substr(end);
        const bool escaped = rest.starts_with(escaped_end);
        if (!escaped && !rest.starts_with(raw_end)) return std::nullopt;
        gaps.push_back({literal.size(), number, escaped});
        at = end + (escaped ? escaped_end : raw_end).size();
    }
    literal.append(rendered, at, std::string_view::npos);
    return std::make_pair(std::move(literal), std::move(gaps));
}

}  // namespace

struct PageSkeletons::Skeleton {
    std::string literal;
    std::vector<Gap> gaps;  // in order of at

    std::string fill(const std::vector<const std::string*>& texts) const {
        std::size_t size = literal.size();
        for (const Gap& gap : gaps) size += texts[gap.text]->size();
        std::string page;
        page.reserve(size + size / 64);
        std::size_t at = 0;
        for (const Gap& gap : gaps) {
            page.append(literal, at, gap.at - at);
            at = gap.at;
            if (gap.escaped) append_template_escaped(page, *texts[gap.text]);
            else page += *texts[gap.text];
        }
        page.append(literal, at, std::string::npos);
        return page;
    }
};

PageSkeletons::PageSkeletons(const Theme& theme, std::string name, const Theme::Layer& shared,
                             const nlohmann::json& shared_view, int checks)
    : theme_(theme), name_(std::move(name)), shared_(shared),
      usable_(!theme.templates_have_byte(marker_byte) && !has_byte(shared_view, marker_byte)), checks_left_(checks) {}

PageSkeletons::~PageSkeletons() = default;

std::size_t PageSkeletons::kept() const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(
        std::count_if(by_shape_.begin(), by_shape_.end(), [](const auto& entry) { return entry.second != nullptr; }));
}

std::string PageSkeletons::render_plainly(const ViewNode& view, diag::Diagnostics& diagnostics) const {
    return theme_.render_page(name_, template_data(view), shared_, diagnostics);
}

// The skeleton of pages of view's shape, whose texts number texts; none when the page
// reports a problem (it is then rendered plainly, to report it), or its content is escaped
// or blank.
std::shared_ptr<const PageSkeletons::Skeleton> PageSkeletons::make(const ViewNode& view, std::size_t texts) const {
    std::size_t next = 0;
    diag::Diagnostics reported;
    const std::size_t content = texts;  // the content's marker follows the texts'
    // The view with each text but the blank ones replaced by its marker, numbered in the
    // order describe() lists the texts.
    TemplateData marked = template_data(view, [&](const std::string& text) { return is_blank(text) ? text : marker(next++); });
    Theme::Rendered rendered = theme_.render_apart(name_, std::move(marked), shared_, marker(content), reported);
    if (!reported.all().empty()) return nullptr;
    auto inner = split_at_markers(rendered.content, texts);
    auto outer = split_at_markers(rendered.page, texts + 1);
    // A blank content can decide whether the layout leaves a line out (is_blank()); the
    // marker standing in for it is not blank.
    if (!inner || !outer || (inner->second.empty() && is_blank(inner->first))) return nullptr;
    auto skeleton = std::make_shared<Skeleton>();
    skeleton->literal.reserve(outer->first.size() + inner->first.size());
    std::size_t at = 0;
    for (const Gap& gap : outer->second) {
        skeleton->literal.append(outer->first, at, gap.at - at);
        at = gap.at;
        if (gap.text != content) {
            skeleton->gaps.push_back({skeleton->literal.size(), gap.text, gap.escaped});
            continue;
        }
        if (gap.escaped) return nullptr;  // a theme's own layout may escape it: rare, rendered plainly
        const std::size_t start = skeleton->literal.size();
        for (const Gap& inner_gap : inner->second)
            skeleton->gaps.push_back({start + inner_gap.at, inner_gap.text, inner_gap.escaped});
        skeleton->literal += inner->first;
    }
    skeleton->literal.append(outer->first, at, std::string::npos);
    return skeleton;
}

std::string PageSkeletons::render(const ViewNode& view, diag::Diagnostics& diagnostics) {
    if (!usable_ || failed_check_) return render_plainly(view, diagnostics);
    std::string shape;
    std::vector<const std::string*> texts;
    shape.reserve(1024);  // a chapter's shape is a few hundred bytes: grown once at most
    texts.reserve(64);
    describe(view, shape, texts);
    std::shared_ptr<const Skeleton> skeleton;
    bool known;  // a shape met before (with or without a skeleton), or one past the limit
    {
        std::lock_guard lock(mutex_);
        const auto found = by_shape_.find(shape);
        if (found != by_shape_.end()) skeleton = found->second;
        known = found != by_shape_.end() || by_shape_.size() >= most_skeletons;
    }
    if (known) return skeleton ? skeleton->fill(texts) : render_plainly(view, diagnostics);
    skeleton = make(view, texts.size());
    std::string page = skeleton ? skeleton->fill(texts) : render_plainly(view, diagnostics);
    if (skeleton && checks_left_.fetch_sub(1) > 0) {
        std::string plain = render_plainly(view, diagnostics);
        if (plain != page) {
            failed_check_ = true;
            return plain;
        }
    }
    // Kept also when there is none, so that later pages of the shape are not tried again.
    std::lock_guard lock(mutex_);
    by_shape_.emplace(std::move(shape), std::move(skeleton));
    return page;
}

}  // namespace cypp::render
