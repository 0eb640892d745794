// Internal to schema: the compiled form shared by compile.cpp and validate.cpp, and the
// string checks (formats, URIs) both of them need.
#pragma once

#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "schema/schema.h"

namespace cypp::schema {

enum class Format { none, date, time, date_time, email, hostname, ipv4, ipv6, uri, uri_reference, json_pointer,
                    relative_json_pointer, regex };

struct Pattern {
    std::string source;
    std::regex regex;
};

enum TypeBit : std::uint8_t {
    type_null = 1, type_boolean = 2, type_object = 4, type_array = 8, type_number = 16, type_string = 32,
    type_integer = 64
};

struct Dependency {
    std::string property;
    std::vector<std::string> required;
    int schema = -1;
};

// One schema object. Subschemas are indexes into Compiled::nodes, which lets $ref
// cycles exist without owning pointers.
struct Node {
    enum class Kind { accept_all, reject_all, keywords };
    Kind kind = Kind::keywords;
    int ref = -1;  // in draft-07 a $ref replaces every sibling keyword

    std::uint8_t types = 0;
    std::optional<nlohmann::json> enum_values, const_value;
    std::optional<nlohmann::json> multiple_of, maximum, exclusive_maximum, minimum, exclusive_minimum;
    std::optional<std::size_t> max_length, min_length, max_items, min_items, max_properties, min_properties;
    std::optional<Pattern> pattern;
    Format format = Format::none;
    std::string format_name;

    int items = -1;  // the single-schema form
    std::vector<int> tuple_items;
    bool has_tuple_items = false;
    int additional_items = -1;
    bool unique_items = false;
    int contains = -1;

    std::vector<std::string> required;
    std::vector<std::pair<std::string, int>> properties;  // sorted by name
    std::vector<std::pair<Pattern, int>> pattern_properties;
    int additional_properties = -1;
    std::vector<Dependency> dependencies;
    int property_names = -1;

    int if_schema = -1, then_schema = -1, else_schema = -1, not_schema = -1;
    std::vector<int> all_of, any_of, one_of;
};

struct Schema::Compiled {
    std::vector<Node> nodes;
    int root = 0;
};

// libstdc++'s std::regex matches recursively, about one stack frame per character
// under a quantifier; longer strings are refused instead of risking the stack.
inline constexpr std::size_t max_pattern_input = 2000;

std::optional<Format> format_named(std::string_view name);  // nullopt: not one we check
bool matches_format(Format format, std::string_view text);
bool is_ecmascript_regex(std::string_view text);
// RFC 3986 section 5.2 reference resolution; base may itself be relative.
std::string resolve_uri(std::string_view base, std::string_view reference);
std::string percent_decode(std::string_view text);

}  // namespace cypp::schema
