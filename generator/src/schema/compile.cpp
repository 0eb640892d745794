#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "schema/compiled.h"

namespace cypp::schema {

namespace {

using nlohmann::json;

std::string escape_token(std::string_view token) {
    std::string out;
    for (char c : token) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

// The unescaped-then-escaped form, so "#/a~1b" and "#/a%7E1b"-style spellings of one
// pointer land on the same key. nullopt when the text is not a pointer at all.
std::optional<std::string> canonical_pointer(std::string_view pointer) {
    if (pointer.empty()) return std::string();
    if (pointer.front() != '/') return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < pointer.size(); ++i) {
        if (pointer[i] == '~') {
            if (i + 1 >= pointer.size() || (pointer[i + 1] != '0' && pointer[i + 1] != '1')) return std::nullopt;
            out += pointer[i + 1] == '0' ? "~0" : "~1";
            ++i;
        } else {
            out += pointer[i];
        }
    }
    return out;
}

// Iterative, so a hostile enum or default value cannot overflow the stack before the
// copy that would recurse through it.
bool deeper_than(const json& value, int limit) {
    std::vector<std::pair<const json*, int>> pending{{&value, 0}};
    while (!pending.empty()) {
        const auto [current, depth] = pending.back();
        pending.pop_back();
        if (!current->is_structured()) continue;
        if (depth >= limit) return true;
        for (const json& child : *current) pending.emplace_back(&child, depth + 1);
    }
    return false;
}

bool is_non_negative_integer(const json& value) {
    if (value.is_number_unsigned()) return true;
    if (value.is_number_integer()) return value.get<std::int64_t>() >= 0;
    if (value.is_number_float()) {
        const double number = value.get<double>();
        return number >= 0 && number == static_cast<double>(static_cast<std::uint64_t>(number));
    }
    return false;
}

std::optional<std::uint8_t> type_bit(const std::string& name) {
    if (name == "null") return type_null;
    if (name == "boolean") return type_boolean;
    if (name == "object") return type_object;
    if (name == "array") return type_array;
    if (name == "number") return type_number;
    if (name == "string") return type_string;
    if (name == "integer") return type_integer;
    return std::nullopt;
}

// Why a keyword from another draft is refused, where a short hint helps.
std::string unknown_keyword_message(const std::string& keyword) {
    std::string message = "unknown keyword " + json(keyword).dump();
    if (keyword == "$defs") return message + "; draft-07 uses \"definitions\"";
    if (keyword == "dependentRequired" || keyword == "dependentSchemas")
        return message + "; draft-07 uses \"dependencies\"";
    if (keyword == "prefixItems") return message + "; draft-07 uses an array in \"items\"";
    return message;
}

struct Location {
    std::string resource;  // absolute or document-relative URI, without fragment
    std::string pointer;   // from that resource's root
};

class Compiler {
public:
    CompileResult run(const json& document, const std::vector<json>& known_documents) {
        resources_.insert("");
        root_ = compile(document, "", {{"", ""}}, "", 0, true);
        for (const json& known : known_documents) {
            label_ = "in " + (known.is_object() && known.contains("$id") ? known["$id"].dump() : std::string("a known document")) + ": ";
            if (!known.is_object() || !known.contains("$id") || !known["$id"].is_string()) {
                error("", "a known document needs an absolute \"$id\"");
                continue;
            }
            compile(known, "", {}, "", 0, true);
        }
        label_.clear();
        resolve_references();
        CompileResult result;
        if (errors_.empty()) {
            auto compiled = std::make_shared<Schema::Compiled>();
            compiled->nodes = std::move(nodes_);
            compiled->root = root_;
            result.schema.emplace(std::move(compiled));
        }
        result.errors = std::move(errors_);
        return result;
    }

private:
    struct PendingReference {
        int node;
        std::string target;
        std::string written;
        std::string pointer;
    };

    void error(const std::string& pointer, std::string message) {
        errors_.push_back({pointer, label_ + std::move(message)});
    }

    void name(int node, const std::string& resource, const std::string& fragment) {
        named_.emplace(resource + "#" + fragment, node);
    }

    int compile(const json& schema, std::string base, std::vector<Location> locations, const std::string& pointer,
                int depth, bool document_root = false) {
        const int index = static_cast<int>(nodes_.size());
        nodes_.emplace_back();
        for (const Location& location : locations) name(index, location.resource, location.pointer);
        if (depth > max_depth) {
            error(pointer, "schema nesting deeper than " + std::to_string(max_depth) + " levels");
            return index;
        }
        if (schema.is_boolean()) {
            nodes_[index].kind = schema.get<bool>() ? Node::Kind::accept_all : Node::Kind::reject_all;
            return index;
        }
        if (!schema.is_object()) {
            error(pointer, "a schema must be an object or a boolean");
            return index;
        }
        const bool has_ref = schema.contains("$ref");
        if (const auto id = schema.find("$id"); id != schema.end() && !has_ref) {
            if (!id->is_string()) {
                error(pointer + "/$id", "\"$id\" must be a string");
            } else {
                const std::string resolved = resolve_uri(base, id->get<std::string>());
                const std::size_t hash = resolved.find('#');
                const std::string resource = resolved.substr(0, hash);
                const std::string fragment = hash == std::string::npos ? "" : resolved.substr(hash + 1);
                if (!fragment.empty() && fragment.front() == '/') {
                    error(pointer + "/$id", "\"$id\" must not contain a JSON pointer fragment");
                } else {
                    if (resource != base || document_root) {
                        base = resource;
                        resources_.insert(resource);
                        locations.push_back({resource, ""});
                        name(index, resource, "");
                    }
                    if (!fragment.empty()) name(index, resource, fragment);
                }
            }
        }

        // The node is re-fetched by index after each child: compiling a child grows nodes_.
        auto child = [&](const json& subschema, std::initializer_list<std::string_view> tokens) {
            std::vector<Location> child_locations = locations;
            std::string child_pointer = pointer;
            for (std::string_view token : tokens) {
                const std::string escaped = escape_token(token);
                for (Location& location : child_locations) location.pointer += "/" + escaped;
                child_pointer += "/" + escaped;
            }
            return compile(subschema, base, std::move(child_locations), child_pointer, depth + 1);
        };
        auto schema_map = [&](const std::string& keyword, const json& value) {
            std::vector<std::pair<std::string, int>> compiled;
            if (!value.is_object()) {
                error(pointer + "/" + keyword, json(keyword).dump() + " must be an object of schemas");
                return compiled;
            }
            for (const auto& [name, subschema] : value.items())
                compiled.emplace_back(name, child(subschema, {keyword, name}));
            return compiled;
        };
        auto schema_array = [&](const std::string& keyword, const json& value, bool allow_empty) {
            std::vector<int> compiled;
            if (!value.is_array() || (!allow_empty && value.empty())) {
                error(pointer + "/" + keyword, json(keyword).dump() + " must be a non-empty array of schemas");
                return compiled;
            }
            for (std::size_t i = 0; i < value.size(); ++i)
                compiled.push_back(child(value[i], {keyword, std::to_string(i)}));
            return compiled;
        };
        auto pattern = [&](const std::string& where, const std::string& source) -> std::optional<Pattern> {
            try {
                if (!is_ecmascript_regex(source)) throw std::regex_error(std::regex_constants::error_escape);
                return Pattern{source, std::regex(source, std::regex::ECMAScript | std::regex::optimize)};
            } catch (const std::regex_error&) {
                error(where, "invalid regular expression " + json(source).dump());
                return std::nullopt;
            }
        };
        auto count = [&](const std::string& keyword, const json& value) -> std::optional<std::size_t> {
            if (!is_non_negative_integer(value)) {
                error(pointer + "/" + keyword, json(keyword).dump() + " must be a non-negative integer");
                return std::nullopt;
            }
            return value.get<std::size_t>();
        };
        auto number = [&](const std::string& keyword, const json& value) -> std::optional<json> {
            if (!value.is_number()) {
                error(pointer + "/" + keyword, json(keyword).dump() + " must be a number");
                return std::nullopt;
            }
            return value;
        };
        auto any_value = [&](const std::string& keyword, const json& value) -> std::optional<json> {
            if (deeper_than(value, max_depth)) {
                error(pointer + "/" + keyword, "value nested deeper than " + std::to_string(max_depth) + " levels");
                return std::nullopt;
            }
            return value;
        };
        auto expect = [&](const std::string& keyword, bool ok, const char* what) {
            if (!ok) error(pointer + "/" + keyword, json(keyword).dump() + " must be " + what);
        };
        auto string_list = [&](const std::string& where, const json& value) {
            std::vector<std::string> names;
            bool ok = value.is_array();
            if (ok)
                for (const json& item : value) {
                    if (!item.is_string()) ok = false;
                    else names.push_back(item.get<std::string>());
                }
            if (!ok) error(where, "must be an array of strings");
            return names;
        };

        for (const auto& [keyword, value] : schema.items()) {
            const std::string at = pointer + "/" + escape_token(keyword);
            if (keyword == "$ref") {
                if (!value.is_string()) error(at, "\"$ref\" must be a string");
                else refs_.push_back({index, resolve_uri(base, value.get<std::string>()), value.get<std::string>(), at});
            } else if (keyword == "type") {
                std::vector<std::string> names;
                if (value.is_string()) names.push_back(value.get<std::string>());
                else if (value.is_array())
                    for (const json& item : value) names.push_back(item.is_string() ? item.get<std::string>() : "");
                if (names.empty() && !value.is_array()) error(at, "\"type\" must be a type name or an array of them");
                for (const std::string& name : names) {
                    if (const auto bit = type_bit(name)) nodes_[index].types |= *bit;
                    else error(at, "unknown type " + json(name).dump());
                }
                if (value.is_array() && value.empty()) error(at, "\"type\" must not be an empty array");
            } else if (keyword == "enum") {
                expect(keyword, value.is_array(), "an array");
                if (value.is_array()) nodes_[index].enum_values = any_value(keyword, value);
            } else if (keyword == "const") {
                nodes_[index].const_value = any_value(keyword, value);
            } else if (keyword == "multipleOf") {
                const auto divisor = number(keyword, value);
                if (divisor && divisor->get<double>() <= 0) error(at, "\"multipleOf\" must be greater than 0");
                else nodes_[index].multiple_of = divisor;
            } else if (keyword == "maximum") {
                nodes_[index].maximum = number(keyword, value);
            } else if (keyword == "exclusiveMaximum") {
                nodes_[index].exclusive_maximum = number(keyword, value);
            } else if (keyword == "minimum") {
                nodes_[index].minimum = number(keyword, value);
            } else if (keyword == "exclusiveMinimum") {
                nodes_[index].exclusive_minimum = number(keyword, value);
            } else if (keyword == "maxLength") {
                nodes_[index].max_length = count(keyword, value);
            } else if (keyword == "minLength") {
                nodes_[index].min_length = count(keyword, value);
            } else if (keyword == "maxItems") {
                nodes_[index].max_items = count(keyword, value);
            } else if (keyword == "minItems") {
                nodes_[index].min_items = count(keyword, value);
            } else if (keyword == "maxProperties") {
                nodes_[index].max_properties = count(keyword, value);
            } else if (keyword == "minProperties") {
                nodes_[index].min_properties = count(keyword, value);
            } else if (keyword == "pattern") {
                expect(keyword, value.is_string(), "a string");
                if (value.is_string()) nodes_[index].pattern = pattern(at, value.get<std::string>());
            } else if (keyword == "format") {
                expect(keyword, value.is_string(), "a string");
                if (value.is_string()) {
                    nodes_[index].format_name = value.get<std::string>();
                    // Unknown format names pass, as draft-07 section 7.2 asks.
                    nodes_[index].format = format_named(nodes_[index].format_name).value_or(Format::none);
                }
            } else if (keyword == "items") {
                if (value.is_array()) {
                    auto items = schema_array(keyword, value, true);
                    nodes_[index].tuple_items = std::move(items);
                    nodes_[index].has_tuple_items = true;
                } else {
                    const int items = child(value, {keyword});
                    nodes_[index].items = items;
                }
            } else if (keyword == "additionalItems") {
                const int subschema = child(value, {keyword});
                nodes_[index].additional_items = subschema;
            } else if (keyword == "uniqueItems") {
                expect(keyword, value.is_boolean(), "true or false");
                nodes_[index].unique_items = value.is_boolean() && value.get<bool>();
            } else if (keyword == "contains") {
                const int subschema = child(value, {keyword});
                nodes_[index].contains = subschema;
            } else if (keyword == "required") {
                nodes_[index].required = string_list(at, value);
            } else if (keyword == "properties") {
                auto properties = schema_map(keyword, value);
                std::sort(properties.begin(), properties.end());
                nodes_[index].properties = std::move(properties);
            } else if (keyword == "patternProperties") {
                auto compiled = schema_map(keyword, value);
                for (auto& [source, subschema] : compiled)
                    if (auto regex = pattern(at + "/" + escape_token(source), source))
                        nodes_[index].pattern_properties.emplace_back(std::move(*regex), subschema);
            } else if (keyword == "additionalProperties") {
                const int subschema = child(value, {keyword});
                nodes_[index].additional_properties = subschema;
            } else if (keyword == "dependencies") {
                expect(keyword, value.is_object(), "an object");
                if (!value.is_object()) continue;
                for (const auto& [property, dependency] : value.items()) {
                    Dependency compiled{property, {}, -1};
                    if (dependency.is_array()) compiled.required = string_list(at + "/" + escape_token(property), dependency);
                    else compiled.schema = child(dependency, {keyword, property});
                    nodes_[index].dependencies.push_back(std::move(compiled));
                }
            } else if (keyword == "propertyNames") {
                const int subschema = child(value, {keyword});
                nodes_[index].property_names = subschema;
            } else if (keyword == "if") {
                const int subschema = child(value, {keyword});
                nodes_[index].if_schema = subschema;
            } else if (keyword == "then") {
                const int subschema = child(value, {keyword});
                nodes_[index].then_schema = subschema;
            } else if (keyword == "else") {
                const int subschema = child(value, {keyword});
                nodes_[index].else_schema = subschema;
            } else if (keyword == "allOf") {
                auto subschemas = schema_array(keyword, value, false);
                nodes_[index].all_of = std::move(subschemas);
            } else if (keyword == "anyOf") {
                auto subschemas = schema_array(keyword, value, false);
                nodes_[index].any_of = std::move(subschemas);
            } else if (keyword == "oneOf") {
                auto subschemas = schema_array(keyword, value, false);
                nodes_[index].one_of = std::move(subschemas);
            } else if (keyword == "not") {
                const int subschema = child(value, {keyword});
                nodes_[index].not_schema = subschema;
            } else if (keyword == "definitions") {
                schema_map(keyword, value);  // compiled only so that $ref can name them
            } else if (keyword == "$schema") {
                expect(keyword, value.is_string(), "a string");
                if (value.is_string() && depth == 0) {
                    std::string uri = value.get<std::string>();
                    if (uri.ends_with('#')) uri.pop_back();
                    if (uri != "http://json-schema.org/draft-07/schema" && uri != "https://json-schema.org/draft-07/schema")
                        error(at, "unsupported \"$schema\" " + value.dump() + "; only draft-07 is supported");
                }
            } else if (keyword == "$id" || keyword == "$comment" || keyword == "title" || keyword == "description" ||
                       keyword == "contentMediaType" || keyword == "contentEncoding") {
                expect(keyword, value.is_string(), "a string");
            } else if (keyword == "readOnly" || keyword == "writeOnly") {
                expect(keyword, value.is_boolean(), "true or false");
            } else if (keyword == "default") {
                any_value(keyword, value);
            } else if (keyword == "examples") {
                expect(keyword, value.is_array(), "an array");
                any_value(keyword, value);
            } else {
                error(at, unknown_keyword_message(keyword));
            }
        }
        return index;
    }

    void resolve_references() {
        for (const PendingReference& reference : refs_) {
            const std::size_t hash = reference.target.find('#');
            const std::string resource = reference.target.substr(0, hash);
            const std::string fragment =
                percent_decode(hash == std::string::npos ? std::string_view() : std::string_view(reference.target).substr(hash + 1));
            const std::optional<std::string> key =
                fragment.empty() || fragment.front() == '/' ? canonical_pointer(fragment) : fragment;
            const auto found = key ? named_.find(resource + "#" + *key) : named_.end();
            if (found != named_.end()) {
                nodes_[reference.node].ref = found->second;
            } else if (resources_.contains(resource)) {
                error(reference.pointer, "reference " + json(reference.written).dump() + " does not name a schema in this document");
            } else {
                error(reference.pointer, "remote reference not supported: " + reference.target);
            }
        }
        if (!errors_.empty()) return;
        // A chain of $refs that comes back to itself would never reach a keyword.
        for (const PendingReference& reference : refs_) {
            int current = reference.node;
            std::size_t steps = 0;
            while (nodes_[current].ref >= 0 && steps <= nodes_.size()) {
                current = nodes_[current].ref;
                ++steps;
            }
            if (steps > nodes_.size()) error(reference.pointer, "reference " + json(reference.written).dump() + " leads back to itself");
        }
    }

    std::vector<Node> nodes_;
    std::vector<SchemaIssue> errors_;
    std::unordered_map<std::string, int> named_;  // "resource#pointer" and "resource#anchor"
    std::unordered_set<std::string> resources_;
    std::vector<PendingReference> refs_;
    std::string label_;
    int root_ = 0;
};

}  // namespace

CompileResult compile_schema(const nlohmann::json& schema_document) { return compile_schema(schema_document, {}); }

CompileResult compile_schema(const nlohmann::json& schema_document, const std::vector<nlohmann::json>& known_documents) {
    return Compiler().run(schema_document, known_documents);
}

}  // namespace cypp::schema
