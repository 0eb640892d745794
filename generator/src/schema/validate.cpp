#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "json/json_document.h"
#include "schema/compiled.h"

namespace cypp::schema {

namespace {

using nlohmann::json;

// Bounds how far $ref/allOf chains may nest without descending into the instance
// (e.g. {"allOf": [{"$ref": "#"}]}), so such a schema fails instead of the stack.
// 1,024 overflowed the 8 MiB stack under AddressSanitizer, whose frames here are ~8 KiB.
constexpr int max_evaluation_depth = 256;

std::string quote_text(std::string_view text) {
    return json(text).dump(-1, ' ', false, json::error_handler_t::replace);
}

// Long values are cut short: the message says what is wrong, the pointer says where.
std::string shown(const json& value) {
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return text;
}

std::string plural(std::size_t count, const char* singular, const char* many) {
    return std::to_string(count) + " " + (count == 1 ? singular : many);
}

std::string found_name(const json& value) {
    switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    default: return "a number";
    }
}

std::string expected_names(std::uint8_t types) {
    std::vector<std::string> names;
    if (types & type_object) names.push_back("an object");
    if (types & type_array) names.push_back("an array");
    if (types & type_string) names.push_back("a string");
    if (types & type_number) names.push_back("a number");
    else if (types & type_integer) names.push_back("an integer");
    if (types & type_boolean) names.push_back("a boolean");
    if (types & type_null) names.push_back("null");
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
        text += names[i];
    }
    return text;
}

bool is_whole(double number) { return std::isfinite(number) && std::trunc(number) == number; }

bool type_matches(std::uint8_t types, const json& value) {
    switch (value.type()) {
    case json::value_t::null: return types & type_null;
    case json::value_t::boolean: return types & type_boolean;
    case json::value_t::object: return types & type_object;
    case json::value_t::array: return types & type_array;
    case json::value_t::string: return types & type_string;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return types & (type_number | type_integer);
    case json::value_t::number_float:
        return (types & type_number) || ((types & type_integer) && is_whole(value.get<double>()));
    default: return false;
    }
}

bool is_negative_integer(const json& value) {
    return value.is_number_integer() && !value.is_number_unsigned() && value.get<std::int64_t>() < 0;
}

// Exact for any mix of int64 and uint64; long double (64-bit mantissa on x86-64)
// once a float is involved, so bounds like 2^64-1 still compare correctly.
int compare_numbers(const json& a, const json& b) {
    if (a.is_number_float() || b.is_number_float()) {
        auto wide = [](const json& v) -> long double {
            if (v.is_number_unsigned()) return static_cast<long double>(v.get<std::uint64_t>());
            if (v.is_number_integer()) return static_cast<long double>(v.get<std::int64_t>());
            return v.get<double>();
        };
        const long double x = wide(a), y = wide(b);
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    const bool a_negative = is_negative_integer(a), b_negative = is_negative_integer(b);
    if (a_negative != b_negative) return a_negative ? -1 : 1;
    if (a_negative) {
        const auto x = a.get<std::int64_t>(), y = b.get<std::int64_t>();
        return x < y ? -1 : (x > y ? 1 : 0);
    }
    const auto x = a.get<std::uint64_t>(), y = b.get<std::uint64_t>();
    return x < y ? -1 : (x > y ? 1 : 0);
}

bool is_multiple_of(const json& value, const json& divisor) {
    if (value.is_number_integer() && divisor.is_number_integer()) {
        const std::uint64_t magnitude = is_negative_integer(value)
                                            ? static_cast<std::uint64_t>(-(value.get<std::int64_t>() + 1)) + 1
                                            : value.get<std::uint64_t>();
        return magnitude % divisor.get<std::uint64_t>() == 0;
    }
    const double quotient = value.get<double>() / divisor.get<double>();
    if (!std::isfinite(quotient)) return false;
    return std::fabs(quotient - std::nearbyint(quotient)) < 1e-9;
}

std::size_t code_points(std::string_view text) {
    return static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string format_message(Format format, const std::string& name) {
    switch (format) {
    case Format::date: return "must be a date in the form YYYY-MM-DD";
    case Format::time: return "must be a time in the form HH:MM:SS with a time zone, e.g. 14:30:00Z";
    case Format::date_time: return "must be a date and time in the form YYYY-MM-DDTHH:MM:SS with a time zone";
    case Format::email: return "must be an email address";
    case Format::hostname: return "must be a host name";
    case Format::ipv4: return "must be an IPv4 address";
    case Format::ipv6: return "must be an IPv6 address";
    case Format::uri: return "must be an absolute URI, e.g. https://example.org/";
    case Format::uri_reference: return "must be a URI reference";
    case Format::json_pointer: return "must be a JSON pointer";
    case Format::relative_json_pointer: return "must be a relative JSON pointer";
    case Format::regex: return "must be a valid regular expression";
    case Format::none: break;
    }
    return "must be in the format " + quote_text(name);
}

void append_token(std::string& path, std::string_view token) {
    path += '/';
    for (char c : token) {
        if (c == '~') path += "~0";
        else if (c == '/') path += "~1";
        else path += c;
    }
}

class Validator {
public:
    Validator(const std::vector<Node>& nodes, std::vector<SchemaIssue>* issues) : nodes_(nodes), issues_(issues) {}

    // In collecting mode every failure is reported; otherwise the first one ends the check.
    bool check(int index, const json& instance) {
        if (depth_ >= max_evaluation_depth) {
            report("the schema refers to itself more than " + std::to_string(max_evaluation_depth) + " times here");
            return false;
        }
        ++depth_;
        const bool valid = check_node(nodes_[index], instance);
        --depth_;
        return valid;
    }

private:
    class PathScope {
    public:
        PathScope(std::string& path, std::string_view token) : path_(path), size_(path.size()) { append_token(path, token); }
        PathScope(std::string& path, std::size_t index) : PathScope(path, std::string_view(std::to_string(index))) {}
        ~PathScope() { path_.resize(size_); }
        PathScope(const PathScope&) = delete;
        PathScope& operator=(const PathScope&) = delete;

    private:
        std::string& path_;
        std::size_t size_;
    };

    bool collecting() const { return issues_ != nullptr; }
    void report(std::string message) {
        if (issues_) issues_->push_back({path_, std::move(message)});
    }
    bool passes(int index, const json& instance) {
        std::vector<SchemaIssue>* saved = issues_;
        issues_ = nullptr;
        const bool valid = check(index, instance);
        issues_ = saved;
        return valid;
    }

    bool check_node(const Node& node, const json& instance) {
        if (node.kind == Node::Kind::accept_all) return true;
        if (node.kind == Node::Kind::reject_all) {
            report("no value is allowed here");
            return false;
        }
        if (node.ref >= 0) return check(node.ref, instance);
        if (node.types && !type_matches(node.types, instance)) {
            // Other keywords would only restate the same mistake.
            report("expected " + expected_names(node.types) + ", found " + found_name(instance));
            return false;
        }
        bool valid = true;
        // Returns whether to carry on: only when collecting every issue.
        auto fail = [&](auto&& make_message) {
            valid = false;
            if (collecting()) report(make_message());
            return collecting();
        };
        if (node.enum_values && std::find(node.enum_values->begin(), node.enum_values->end(), instance) == node.enum_values->end()) {
            if (!fail([&] {
                    std::string allowed;
                    for (const json& value : *node.enum_values) allowed += (allowed.empty() ? "" : ", ") + shown(value);
                    return shown(instance) + " is not one of the allowed values: " + allowed;
                }))
                return false;
        }
        if (node.const_value && *node.const_value != instance)
            if (!fail([&] { return "must be " + shown(*node.const_value); })) return false;

        if (instance.is_number()) {
            if (!check_number(node, instance, fail)) return false;
        } else if (instance.is_string()) {
            if (!check_string(node, instance.get_ref<const std::string&>(), fail)) return false;
        } else if (instance.is_array()) {
            if (!check_array(node, instance, fail, valid)) return false;
        } else if (instance.is_object()) {
            if (!check_object(node, instance, fail, valid)) return false;
        }
        if (!check_combinators(node, instance, fail, valid)) return false;
        return valid;
    }

    template <typename Fail>
    bool check_number(const Node& node, const json& instance, Fail& fail) {
        if (node.multiple_of && !is_multiple_of(instance, *node.multiple_of))
            if (!fail([&] { return "must be a multiple of " + node.multiple_of->dump(); })) return false;
        if (node.maximum && compare_numbers(instance, *node.maximum) > 0)
            if (!fail([&] { return "must be at most " + node.maximum->dump(); })) return false;
        if (node.exclusive_maximum && compare_numbers(instance, *node.exclusive_maximum) >= 0)
            if (!fail([&] { return "must be less than " + node.exclusive_maximum->dump(); })) return false;
        if (node.minimum && compare_numbers(instance, *node.minimum) < 0)
            if (!fail([&] { return "must be at least " + node.minimum->dump(); })) return false;
        if (node.exclusive_minimum && compare_numbers(instance, *node.exclusive_minimum) <= 0)
            if (!fail([&] { return "must be greater than " + node.exclusive_minimum->dump(); })) return false;
        return true;
    }

    template <typename Fail>
    bool check_string(const Node& node, const std::string& text, Fail& fail) {
        if (node.min_length || node.max_length) {
            const std::size_t length = code_points(text);
            if (node.min_length && length < *node.min_length)
                if (!fail([&] { return "must be at least " + plural(*node.min_length, "character", "characters") + " long"; }))
                    return false;
            if (node.max_length && length > *node.max_length)
                if (!fail([&] { return "must be at most " + plural(*node.max_length, "character", "characters") + " long"; }))
                    return false;
        }
        if (node.pattern && text.size() > max_pattern_input) {
            if (!fail([&] { return "is too long to check against the pattern " + node.pattern->source + " (over " +
                                   std::to_string(max_pattern_input) + " bytes)"; }))
                return false;
        } else if (node.pattern && !std::regex_search(text, node.pattern->regex)) {
            if (!fail([&] { return "must match the pattern " + node.pattern->source; })) return false;
        }
        if (node.format != Format::none && !matches_format(node.format, text))
            if (!fail([&] { return format_message(node.format, node.format_name); })) return false;
        return true;
    }

    template <typename Fail>
    bool check_array(const Node& node, const json& array, Fail& fail, bool& valid) {
        const std::size_t size = array.size();
        if (node.min_items && size < *node.min_items)
            if (!fail([&] { return "must have at least " + plural(*node.min_items, "item", "items"); })) return false;
        if (node.max_items && size > *node.max_items)
            if (!fail([&] { return "must have at most " + plural(*node.max_items, "item", "items"); })) return false;
        auto check_item = [&](int schema, std::size_t i) {
            PathScope scope(path_, i);
            if (check(schema, array[i])) return true;
            valid = false;
            return collecting();
        };
        if (node.items >= 0) {
            for (std::size_t i = 0; i < size; ++i)
                if (!check_item(node.items, i)) return false;
        } else if (node.has_tuple_items) {
            const std::size_t tuple = node.tuple_items.size();
            for (std::size_t i = 0; i < std::min(size, tuple); ++i)
                if (!check_item(node.tuple_items[i], i)) return false;
            if (node.additional_items >= 0 && size > tuple) {
                if (nodes_[node.additional_items].kind == Node::Kind::reject_all) {
                    if (!fail([&] { return "must have at most " + plural(tuple, "item", "items"); })) return false;
                } else {
                    for (std::size_t i = tuple; i < size; ++i)
                        if (!check_item(node.additional_items, i)) return false;
                }
            }
        }
        if (node.unique_items && size > 1 && !check_unique(array, valid)) return false;
        if (node.contains >= 0) {
            bool found = false;
            for (std::size_t i = 0; i < size && !found; ++i) found = passes(node.contains, array[i]);
            if (!found && !fail([&] { return std::string("must contain at least one matching item"); })) return false;
        }
        return true;
    }

    bool check_unique(const json& array, bool& valid) {
        auto duplicate = [&](std::size_t first, std::size_t second) {
            valid = false;
            PathScope scope(path_, second);
            report("duplicate of item " + std::to_string(first) + "; items must be unique");
            return collecting();
        };
        const bool all_strings = std::all_of(array.begin(), array.end(), [](const json& item) { return item.is_string(); });
        if (all_strings) {
            std::unordered_map<std::string_view, std::size_t> seen;
            for (std::size_t i = 0; i < array.size(); ++i) {
                const auto [found, inserted] = seen.emplace(array[i].get_ref<const std::string&>(), i);
                if (!inserted && !duplicate(found->second, i)) return false;
            }
            return true;
        }
        // json's == already treats 1 and 1.0 as equal, as JSON Schema requires.
        for (std::size_t j = 1; j < array.size(); ++j)
            for (std::size_t i = 0; i < j; ++i)
                if (array[i] == array[j]) {
                    if (!duplicate(i, j)) return false;
                    break;
                }
        return true;
    }

    template <typename Fail>
    bool check_object(const Node& node, const json& object, Fail& fail, bool& valid) {
        const std::size_t size = object.size();
        if (node.min_properties && size < *node.min_properties)
            if (!fail([&] { return "must have at least " + plural(*node.min_properties, "property", "properties"); }))
                return false;
        if (node.max_properties && size > *node.max_properties)
            if (!fail([&] { return "must have at most " + plural(*node.max_properties, "property", "properties"); }))
                return false;
        for (const std::string& name : node.required)
            if (!object.contains(name))
                if (!fail([&] { return "missing required property " + quote_text(name); })) return false;
        for (const Dependency& dependency : node.dependencies) {
            if (!object.contains(dependency.property)) continue;
            for (const std::string& name : dependency.required)
                if (!object.contains(name))
                    if (!fail([&] { return "property " + quote_text(dependency.property) + " requires property " + quote_text(name); }))
                        return false;
            if (dependency.schema >= 0 && !check(dependency.schema, object)) {
                valid = false;
                if (!collecting()) return false;
            }
        }
        const bool per_member = node.property_names >= 0 || !node.properties.empty() ||
                                !node.pattern_properties.empty() || node.additional_properties >= 0;
        if (!per_member) return true;
        for (auto member = object.begin(); member != object.end(); ++member) {
            const std::string& key = member.key();
            PathScope scope(path_, key);
            if (node.property_names >= 0 && !check_property_name(node.property_names, key)) {
                valid = false;
                if (!collecting()) return false;
            }
            bool matched = false;
            const auto property = std::lower_bound(node.properties.begin(), node.properties.end(), key,
                                                   [](const auto& entry, const std::string& name) { return entry.first < name; });
            if (property != node.properties.end() && property->first == key) {
                matched = true;
                if (!check(property->second, member.value())) {
                    valid = false;
                    if (!collecting()) return false;
                }
            }
            if (!node.pattern_properties.empty() && key.size() > max_pattern_input) {
                valid = false;
                if (!collecting()) return false;
                report("property name is too long to check against patternProperties (over " +
                       std::to_string(max_pattern_input) + " bytes)");
                continue;
            }
            for (const auto& [pattern, schema] : node.pattern_properties) {
                if (!std::regex_search(key, pattern.regex)) continue;
                matched = true;
                if (!check(schema, member.value())) {
                    valid = false;
                    if (!collecting()) return false;
                }
            }
            if (matched || node.additional_properties < 0) continue;
            if (nodes_[node.additional_properties].kind == Node::Kind::reject_all) {
                valid = false;
                if (!collecting()) return false;
                report("property " + quote_text(key) + " is not allowed");
            } else if (!check(node.additional_properties, member.value())) {
                valid = false;
                if (!collecting()) return false;
            }
        }
        return true;
    }

    bool check_property_name(int schema, const std::string& key) {
        const json name(key);
        if (!collecting()) return check(schema, name);
        std::vector<SchemaIssue> inner;
        std::vector<SchemaIssue>* saved = issues_;
        issues_ = &inner;
        const bool valid = check(schema, name);
        issues_ = saved;
        for (const SchemaIssue& issue : inner) report("invalid property name " + quote_text(key) + ": " + issue.message);
        return valid;
    }

    template <typename Fail>
    bool check_combinators(const Node& node, const json& instance, Fail& fail, bool& valid) {
        for (int schema : node.all_of)
            if (!check(schema, instance)) {
                valid = false;
                if (!collecting()) return false;
            }
        if (!node.any_of.empty()) {
            const bool any = std::any_of(node.any_of.begin(), node.any_of.end(), [&](int schema) { return passes(schema, instance); });
            if (!any && !fail([] { return std::string("does not match any of the allowed alternatives"); })) return false;
        }
        if (!node.one_of.empty()) {
            int matches = 0;
            for (int schema : node.one_of)
                if (passes(schema, instance) && ++matches > 1) break;
            if (matches == 0 && !fail([] { return std::string("does not match any of the allowed alternatives"); }))
                return false;
            if (matches > 1 && !fail([] { return std::string("matches more than one alternative; it must match exactly one"); }))
                return false;
        }
        if (node.not_schema >= 0 && passes(node.not_schema, instance))
            if (!fail([] { return std::string("matches a form that is not allowed here"); })) return false;
        if (node.if_schema >= 0) {
            const int branch = passes(node.if_schema, instance) ? node.then_schema : node.else_schema;
            if (branch >= 0 && !check(branch, instance)) {
                valid = false;
                if (!collecting()) return false;
            }
        }
        return true;
    }

    const std::vector<Node>& nodes_;
    std::vector<SchemaIssue>* issues_;
    std::string path_;
    int depth_ = 0;
};

// Iterative, so an instance built elsewhere cannot take the validator (or json's own
// comparisons) deeper than max_depth. Returns the pointer of the first too-deep value.
std::optional<std::string> too_deep(const json& instance) {
    struct Pending {
        const json* value;
        int depth;
        std::string pointer;
    };
    std::vector<Pending> pending{{&instance, 0, ""}};
    while (!pending.empty()) {
        Pending current = std::move(pending.back());
        pending.pop_back();
        if (!current.value->is_structured()) continue;
        if (current.depth >= max_depth) return current.pointer;
        if (current.value->is_object()) {
            for (auto member = current.value->begin(); member != current.value->end(); ++member) {
                if (!member.value().is_structured()) continue;
                std::string pointer = current.pointer;
                append_token(pointer, member.key());
                pending.push_back({&member.value(), current.depth + 1, std::move(pointer)});
            }
        } else {
            for (std::size_t i = 0; i < current.value->size(); ++i) {
                if (!(*current.value)[i].is_structured()) continue;
                pending.push_back({&(*current.value)[i], current.depth + 1, current.pointer + "/" + std::to_string(i)});
            }
        }
    }
    return std::nullopt;
}

}  // namespace

std::vector<SchemaIssue> validate(const Schema& schema, const nlohmann::json& instance) {
    std::vector<SchemaIssue> issues;
    if (const auto pointer = too_deep(instance)) {
        issues.push_back({*pointer, "nesting deeper than " + std::to_string(max_depth) + " levels"});
        return issues;
    }
    const Schema::Compiled& compiled = schema.compiled();
    Validator(compiled.nodes, &issues).check(compiled.root, instance);
    return issues;
}

std::vector<SchemaIssue> validate(const Schema& schema, const cypp::json::JsonDocument& document) {
    std::vector<SchemaIssue> issues = validate(schema, document.value);
    std::vector<std::pair<std::size_t, std::size_t>> order;  // (offset, original index)
    for (std::size_t i = 0; i < issues.size(); ++i) order.emplace_back(cypp::json::locate(document, issues[i].pointer).offset, i);
    std::stable_sort(order.begin(), order.end());
    std::vector<SchemaIssue> sorted;
    for (const auto& [offset, i] : order) sorted.push_back(std::move(issues[i]));
    return sorted;
}

}  // namespace cypp::schema
