// json: the one place that turns JSON text into values while remembering where each
// value came from, so every later diagnostic can point authors at a line and column.
// The parser is our own (not nlohmann's) so that nesting is capped before anything
// recursive runs, duplicate keys are caught, and every failure names the exact byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
#include <variant>

#include <nlohmann/json.hpp>

namespace cypp::json {

// line and column are 1-based; column counts bytes, as most editors' "col" does for ASCII.
struct SourcePosition {
    std::size_t offset = 0;
    int line = 1;
    int column = 1;
};

struct ParseFailure {
    SourcePosition position;  // the offending byte
    std::string message;      // plain English, e.g. "expected ',' or '}' after an object member"
};

struct JsonDocument {
    nlohmann::json value;
    std::string text;  // the parsed text without any leading UTF-8 BOM; positions refer to it
    // Where every value starts: a tree beside value, filled while parsing, so locating a
    // value never rescans the text (plans list thousands of chapters, each located when
    // it is checked). value_nodes[0] is the root. A container's children are
    // child_nodes[first_child, first_child + child_count): an array's in order, an
    // object's sorted by key.
    struct ValueNode {
        std::size_t offset = 0;
        std::string key;  // within the object holding it
        std::uint32_t first_child = 0;
        std::uint32_t child_count = 0;
        enum class Kind : std::uint8_t { scalar, array, object } kind = Kind::scalar;
    };
    std::vector<ValueNode> value_nodes;
    std::vector<std::uint32_t> child_nodes;
    std::vector<std::size_t> line_starts;
};

// Deeper documents are refused while parsing, so nothing recursive (nlohmann's copy,
// dump, destructor; the schema validator) ever sees one.
inline constexpr int max_nesting_depth = 64;
// No metadata string (a title, a summary, a respondent's comment) needs more; a longer
// one is repeated on many pages and could multiply into hundreds of megabytes.
inline constexpr std::size_t max_string_bytes = 64 * 1024;

// A leading UTF-8 BOM is skipped. Duplicate object keys are a failure at the second key.
std::variant<JsonDocument, ParseFailure> parse_json(std::string text);

// Where the value at an RFC 6901 pointer ("" = the root) starts in document.text. For a
// pointer that does not exist, the start of its deepest existing ancestor, so a missing
// property is reported at the object that should hold it.
SourcePosition locate(const JsonDocument& document, std::string_view pointer);

SourcePosition position_of_offset(std::string_view text, std::size_t offset);

}  // namespace cypp::json
