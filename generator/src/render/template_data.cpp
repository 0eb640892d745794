#include "render/template_data.h"

#include <type_traits>
#include <utility>

namespace cypp::render {

namespace {

// kainjow's set() and push_back() copy the whole value they are given, so each value is
// moved into place instead: into operator[] for objects, and for lists into the vector
// kainjow keeps them in. From an rvalue view, each part of the view is let go as soon as
// it is converted, so a large view (the index of a 10,000-chapter plan) is never held twice.
template <typename Json>
TemplateData convert(Json&& value) {
    constexpr bool consume = !std::is_const_v<std::remove_reference_t<Json>>;
    switch (value.type()) {
    case nlohmann::json::value_t::object: {
        TemplateData object = TemplateForm::object();
        for (auto item = value.begin(); item != value.end(); ++item) {
            if constexpr (consume) {
                object[item.key()] = convert(std::move(*item));
                *item = nullptr;
            } else {
                object[item.key()] = convert(*item);
            }
        }
        return object;
    }
    case nlohmann::json::value_t::array: {
        TemplateData list = TemplateForm::list();
        TemplateForm::reserve(list, value.size());
        for (auto& item : value) {
            if constexpr (consume) {
                TemplateForm::append(list, convert(std::move(item)));
                item = nullptr;
            } else {
                TemplateForm::append(list, convert(item));
            }
        }
        return list;
    }
    case nlohmann::json::value_t::boolean:
        return TemplateData{value.template get<bool>()};
    case nlohmann::json::value_t::string:
        if constexpr (consume) return template_text(std::move(value.template get_ref<std::string&>()));
        else return TemplateData{value.template get_ref<const std::string&>()};
    case nlohmann::json::value_t::null:
        return TemplateData{false};
    default:
        return TemplateData{value.dump()};
    }
}

}  // namespace

TemplateData template_data(const ViewNode& view, const std::function<std::string(const std::string&)>& text_of) {
    switch (view.kind) {
    case ViewNode::Kind::object: {
        TemplateData object = TemplateForm::object();
        for (const ViewNode& member : view.children) object[member.key] = template_data(member, text_of);
        return object;
    }
    case ViewNode::Kind::list: {
        TemplateData list = TemplateForm::list();
        TemplateForm::reserve(list, view.children.size());
        for (const ViewNode& item : view.children) TemplateForm::append(list, template_data(item, text_of));
        return list;
    }
    case ViewNode::Kind::text: return text_of ? template_text(text_of(view.text)) : TemplateData{view.text};
    case ViewNode::Kind::yes: return TemplateData{true};
    case ViewNode::Kind::no: break;
    }
    return TemplateData{false};
}

// As template_data() converts JSON: null as false, a number as its JSON text.
ViewNode TreeForm::adopt(nlohmann::json&& view) {
    switch (view.type()) {
    case nlohmann::json::value_t::object: {
        ViewNode object = TreeForm::object();
        for (auto item = view.begin(); item != view.end(); ++item) put(object, item.key().c_str(), adopt(std::move(*item)));
        return object;
    }
    case nlohmann::json::value_t::array: {
        ViewNode list = TreeForm::list();
        reserve(list, view.size());
        for (auto& item : view) append(list, adopt(std::move(item)));
        return list;
    }
    case nlohmann::json::value_t::boolean: return {view.get<bool>() ? ViewNode::Kind::yes : ViewNode::Kind::no, {}, {}, {}};
    case nlohmann::json::value_t::string: return {ViewNode::Kind::text, {}, std::move(view.get_ref<std::string&>()), {}};
    case nlohmann::json::value_t::null: return {ViewNode::Kind::no, {}, {}, {}};
    default: return {ViewNode::Kind::text, {}, view.dump(), {}};
    }
}

TemplateData template_data(nlohmann::json&& view) { return convert(std::move(view)); }
TemplateData template_data(const nlohmann::json& view) { return convert(view); }

TemplateData template_text(std::string&& text) {
    TemplateData data{TemplateData::type::string};
    // The string is the data's own (made just above), never shared: safe to fill.
    const_cast<std::string&>(data.string_value()) = std::move(text);
    return data;
}

}  // namespace cypp::render
