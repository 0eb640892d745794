// Internal to render: the data templates read (kainjow's), and the forms a view is built
// in. Every view is plain JSON, the form docs/THEMES.md documents and cypp serve's page
// cache knows a page by; template_data() converts it. The print page's and the plan
// index's views (each a list of every chapter) are also built straight in template data
// (views.h: print_data, plan_index_data), and a chapter page's own view (the bulk of a
// large site) as a ViewNode tree (chapter_tree), by the same code as their JSON: a
// builder written against a form makes any of them.
#pragma once

#include <cstddef>
#include <functional>
#include <kainjow/mustache.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cypp::render {

using TemplateData = kainjow::mustache::basic_data<std::string>;

// A JSON value as template data: objects, arrays, strings and booleans as they are, null
// as false, a number as its JSON text. The rvalue form takes the view's strings and lets
// each part of the view go once converted, so a large view is never held twice.
TemplateData template_data(nlohmann::json&& view);
TemplateData template_data(const nlohmann::json& view);

// A string as template data without copying it (kainjow's constructor copies).
TemplateData template_text(std::string&& text);

// A view as a tree of plain values, kept in the order it was built: what a chapter page
// is made from (render/page_skeleton.h), which reads a page's shape (keys, lists,
// flags) apart from its text. Cheaper to build than template data: no hash table per
// object and no separate heap string per value.
struct ViewNode {
    enum class Kind : unsigned char { object, list, text, yes, no };
    Kind kind = Kind::object;
    std::string key;                 // its name in the object it is a member of; "" in a list
    std::string text;                // Kind::text
    std::vector<ViewNode> children;  // an object's members or a list's items, in order
};
// What template_data() makes of the same view in JSON; with text_of, each text is what
// text_of gives for it (called for the texts in the order they were put).
TemplateData template_data(const ViewNode& view,
                           const std::function<std::string(const std::string&)>& text_of = nullptr);

// Views as JSON.
struct JsonForm {
    using Value = nlohmann::json;
    static Value object() { return Value::object(); }
    static Value list() { return Value::array(); }
    template <typename T>
    static void put(Value& object, const char* key, T&& value) {
        object[key] = std::forward<T>(value);
    }
    static void append(Value& list, Value&& item) { list.push_back(std::move(item)); }
    static void reserve(Value& list, std::size_t count) { list.get_ref<Value::array_t&>().reserve(count); }
    static std::size_t size(const Value& list) { return list.size(); }
    static Value& at(Value& list, std::size_t index) { return list[index]; }
    static Value adopt(nlohmann::json&& view) { return std::move(view); }
};

// Views as template data: what template_data() would make of the same view in JSON.
struct TemplateForm {
    using Value = TemplateData;
    static Value object() { return Value{Value::type::object}; }
    static Value list() { return Value{Value::type::list}; }
    static void put(Value& object, const char* key, Value&& value) { object[key] = std::move(value); }
    static void put(Value& object, const char* key, std::string&& text) { object[key] = template_text(std::move(text)); }
    static void put(Value& object, const char* key, const std::string& text) { object[key] = Value{text}; }
    static void put(Value& object, const char* key, const char* text) { object[key] = Value{std::string(text)}; }
    static void put(Value& object, const char* key, bool flag) { object[key] = Value{flag}; }
    // kainjow offers no moving push_back; the vector it keeps a list in is the data's own.
    static void append(Value& list, Value&& item) { items(list).push_back(std::move(item)); }
    static void reserve(Value& list, std::size_t count) { items(list).reserve(count); }
    static std::size_t size(const Value& list) { return list.list_value().size(); }
    static Value& at(Value& list, std::size_t index) { return items(list)[index]; }
    // A part of a view built as JSON (the small parts of a large view).
    static Value adopt(nlohmann::json&& view) { return template_data(std::move(view)); }

private:
    static kainjow::mustache::basic_list<std::string>& items(Value& list) {
        return const_cast<kainjow::mustache::basic_list<std::string>&>(list.list_value());
    }
};

// Views as ViewNode trees.
struct TreeForm {
    using Value = ViewNode;
    static Value object() {
        Value made;
        made.children.reserve(4);  // one allocation for most objects (a link, a date), not three
        return made;
    }
    static Value list() { return {ViewNode::Kind::list, {}, {}, {}}; }
    // Appended without looking for a member of the same name (a chapter's view puts some
    // thirty): a name put again is in the tree twice, and the last put wins wherever the
    // tree becomes template data, as it does in the other forms.
    static void put(Value& object, const char* key, Value&& value) {
        value.key = key;
        object.children.push_back(std::move(value));
    }
    // Texts and flags are made in their place in the object.
    static void put(Value& object, const char* key, std::string&& text) { member(object, key, ViewNode::Kind::text).text = std::move(text); }
    static void put(Value& object, const char* key, const std::string& text) { member(object, key, ViewNode::Kind::text).text = text; }
    static void put(Value& object, const char* key, const char* text) { member(object, key, ViewNode::Kind::text).text = text; }
    static void put(Value& object, const char* key, bool flag) { member(object, key, flag ? ViewNode::Kind::yes : ViewNode::Kind::no); }
    static void append(Value& list, Value&& item) { list.children.push_back(std::move(item)); }
    static void reserve(Value& list, std::size_t count) { list.children.reserve(count); }
    static std::size_t size(const Value& list) { return list.children.size(); }
    static Value& at(Value& list, std::size_t index) { return list.children[index]; }
    static Value adopt(nlohmann::json&& view);

private:
    static ViewNode& member(Value& object, const char* key, ViewNode::Kind kind) {
        ViewNode& made = object.children.emplace_back();
        made.kind = kind;
        made.key = key;
        return made;
    }
};

}  // namespace cypp::render
