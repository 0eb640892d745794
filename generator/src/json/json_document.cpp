#include "json/json_document.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <vector>

namespace cypp::json {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Length of the well-formed UTF-8 sequence starting at text[at], or 0. Overlong forms
// and UTF-16 surrogates are refused, as RFC 3629 requires.
std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
    auto byte = [&](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u; };
    auto continuation = [&](std::size_t i) { return (byte(i) & 0xC0u) == 0x80u; };
    const unsigned lead = byte(at);
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return continuation(at + 1) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        const unsigned second = byte(at + 1);
        const unsigned low = lead == 0xE0 ? 0xA0 : 0x80;
        const unsigned high = lead == 0xED ? 0x9F : 0xBF;
        return second >= low && second <= high && continuation(at + 2) ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        const unsigned second = byte(at + 1);
        const unsigned low = lead == 0xF0 ? 0x90 : 0x80;
        const unsigned high = lead == 0xF4 ? 0x8F : 0xBF;
        return second >= low && second <= high && continuation(at + 2) && continuation(at + 3) ? 4 : 0;
    }
    return 0;
}

void append_utf8(std::string& out, std::uint32_t code_point) {
    if (code_point < 0x80) {
        out += static_cast<char>(code_point);
    } else if (code_point < 0x800) {
        out += static_cast<char>(0xC0 | (code_point >> 6));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else if (code_point < 0x10000) {
        out += static_cast<char>(0xE0 | (code_point >> 12));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (code_point >> 18));
        out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (code_point & 0x3F));
    }
}

// How a stray character is named in a message: authors pasting from word processors
// get curly quotes, and "'“' (U+201C)" tells them exactly what to retype.
std::string describe_character(std::string_view text, std::size_t at) {
    const auto lead = static_cast<unsigned char>(text[at]);
    if (lead >= 0x20 && lead < 0x7F) return std::string("'") + text[at] + "'";
    const std::size_t length = utf8_sequence_length(text, at);
    if (lead < 0x80 || length == 0) {
        static const char* digits = "0123456789ABCDEF";
        return std::string("byte 0x") + digits[lead >> 4] + digits[lead & 0xF];
    }
    std::uint32_t code_point = lead & (0xFF >> (length + 1));
    for (std::size_t i = 1; i < length; ++i) code_point = (code_point << 6) | (text[at + i] & 0x3F);
    char hex[16];
    std::snprintf(hex, sizeof hex, "U+%04X", static_cast<unsigned>(code_point));
    return "'" + std::string(text.substr(at, length)) + "' (" + hex + ")";
}

// Builds a document's tree of value positions (JsonDocument::value_nodes) as the parser
// meets each value.
class PositionTree {
public:
    explicit PositionTree(JsonDocument& document) : nodes_(document.value_nodes), children_(document.child_nodes) {}

    // A value starts at offset; it is a child of the container being filled, if any.
    std::uint32_t add(std::size_t offset) {
        const auto id = static_cast<std::uint32_t>(nodes_.size());
        nodes_.push_back({offset, {}, 0, 0, JsonDocument::ValueNode::Kind::scalar});
        if (open_ > 0) filling_[open_ - 1].push_back(id);
        return id;
    }
    std::uint32_t next() const { return static_cast<std::uint32_t>(nodes_.size()); }
    void name(std::uint32_t id, const std::string& key) { nodes_[id].key = key; }

    // Between these two, the values added are the container's children.
    void open() {
        if (filling_.size() == open_) filling_.emplace_back();
        filling_[open_++].clear();
    }
    void close(std::uint32_t id, JsonDocument::ValueNode::Kind kind) {
        std::vector<std::uint32_t>& members = filling_[--open_];
        if (kind == JsonDocument::ValueNode::Kind::object)
            std::sort(members.begin(), members.end(), [&](std::uint32_t a, std::uint32_t b) { return nodes_[a].key < nodes_[b].key; });
        JsonDocument::ValueNode& node = nodes_[id];
        node.kind = kind;
        node.first_child = static_cast<std::uint32_t>(children_.size());
        node.child_count = static_cast<std::uint32_t>(members.size());
        children_.insert(children_.end(), members.begin(), members.end());
    }

private:
    std::vector<JsonDocument::ValueNode>& nodes_;
    std::vector<std::uint32_t>& children_;
    std::vector<std::vector<std::uint32_t>> filling_;  // the children of each open container, innermost last
    std::size_t open_ = 0;
};

class Parser {
public:
    // With positions, records where every value starts.
    explicit Parser(std::string_view text, PositionTree* positions = nullptr) : text_(text), positions_(positions) {}

    std::optional<ParseFailure> parse(nlohmann::json& out) {
        skip_space();
        if (at_end()) return fail(pos_, "the text is empty; expected a JSON value");
        if (!parse_value(out, 0)) return failure_;
        skip_space();
        if (!at_end()) return fail(pos_, "unexpected character " + describe_character(text_, pos_) +
                                                 " after the end of the JSON value");
        return std::nullopt;
    }

private:
    bool at_end() const { return pos_ >= text_.size(); }
    char peek() const { return text_[pos_]; }
    void skip_space() {
        while (!at_end() && is_space(peek())) ++pos_;
    }

    std::optional<ParseFailure> fail(std::size_t offset, std::string message) {
        failure_ = ParseFailure{position_of_offset(text_, offset), std::move(message)};
        return failure_;
    }
    bool error(std::size_t offset, std::string message) {
        fail(offset, std::move(message));
        return false;
    }
    bool unexpected_end() { return error(text_.size(), "unexpected end of file"); }

    bool parse_value(nlohmann::json& out, int depth) {
        if (at_end()) return unexpected_end();
        const std::uint32_t id = positions_ ? positions_->add(pos_) : 0;
        switch (peek()) {
        case '{':
        case '[': {
            const bool object = peek() == '{';
            if (positions_) positions_->open();
            if (!(object ? parse_object(out, depth + 1) : parse_array(out, depth + 1))) return false;
            using Kind = JsonDocument::ValueNode::Kind;
            if (positions_) positions_->close(id, object ? Kind::object : Kind::array);
            return true;
        }
        case '"': {
            std::string value;
            if (!parse_string(value)) return false;
            out = std::move(value);
            return true;
        }
        case '-': return parse_number(out);
        default:
            if (is_digit(peek())) return parse_number(out);
            return parse_literal(out);
        }
    }

    bool parse_literal(nlohmann::json& out) {
        const std::size_t start = pos_;
        std::size_t end = start;
        while (end < text_.size() && ((text_[end] >= 'a' && text_[end] <= 'z') || (text_[end] >= 'A' && text_[end] <= 'Z')))
            ++end;
        const std::string_view word = text_.substr(start, end - start);
        if (word == "true" || word == "false" || word == "null") {
            out = word == "null" ? nlohmann::json(nullptr) : nlohmann::json(word == "true");
            pos_ = end;
            return true;
        }
        if (!word.empty()) return error(start, "expected a value, found '" + std::string(word) + "'");
        if (peek() == '\'') return error(start, "expected a value, found '''; strings need double quotes");
        return error(start, "expected a value, found " + describe_character(text_, start));
    }

    bool parse_object(nlohmann::json& out, int depth) {
        if (depth > max_nesting_depth)
            return error(pos_, "nesting deeper than " + std::to_string(max_nesting_depth) + " levels");
        out = nlohmann::json::object();
        ++pos_;
        skip_space();
        if (!at_end() && peek() == '}') {
            ++pos_;
            return true;
        }
        while (true) {
            skip_space();
            if (at_end()) return unexpected_end();
            if (peek() != '"') {
                if (peek() == '}') return error(pos_, "trailing comma before '}'");
                return error(pos_, "expected a property name in double quotes, found " + describe_character(text_, pos_));
            }
            const std::size_t key_start = pos_;
            std::string key;
            if (!parse_string(key)) return false;
            // One lookup both finds a repeated key and makes the place for a new one.
            auto [member, added] = out.get_ref<nlohmann::json::object_t&>().try_emplace(std::move(key));
            if (!added) return error(key_start, "duplicate key " + nlohmann::json(member->first).dump());
            skip_space();
            if (at_end()) return unexpected_end();
            if (peek() != ':') return error(pos_, "expected ':' after a property name");
            ++pos_;
            skip_space();
            const std::uint32_t member_node = positions_ ? positions_->next() : 0;
            if (!parse_value(member->second, depth)) return false;
            if (positions_) positions_->name(member_node, member->first);
            skip_space();
            if (at_end()) return unexpected_end();
            if (peek() == '}') {
                ++pos_;
                return true;
            }
            if (peek() != ',') return error(pos_, "expected ',' or '}' after an object member");
            ++pos_;
        }
    }

    bool parse_array(nlohmann::json& out, int depth) {
        if (depth > max_nesting_depth)
            return error(pos_, "nesting deeper than " + std::to_string(max_nesting_depth) + " levels");
        out = nlohmann::json::array();
        ++pos_;
        skip_space();
        if (!at_end() && peek() == ']') {
            ++pos_;
            return true;
        }
        while (true) {
            skip_space();
            if (!at_end() && peek() == ']') return error(pos_, "trailing comma before ']'");
            out.push_back(nullptr);
            if (!parse_value(out.back(), depth)) return false;
            skip_space();
            if (at_end()) return unexpected_end();
            if (peek() == ']') {
                ++pos_;
                return true;
            }
            if (peek() != ',') return error(pos_, "expected ',' or ']' after an array element");
            ++pos_;
        }
    }

    bool read_hex4(std::size_t at, std::uint32_t& value) {
        value = 0;
        for (std::size_t i = at; i < at + 4; ++i) {
            const int digit = i < text_.size() ? hex_value(text_[i]) : -1;
            if (digit < 0) return false;
            value = value * 16 + static_cast<std::uint32_t>(digit);
        }
        return true;
    }

    bool parse_string(std::string& out) {
        const std::size_t open = pos_;
        ++pos_;
        while (true) {
            // Copy the plain run in one go; most strings have no escapes at all.
            std::size_t run = pos_;
            while (run < text_.size()) {
                const auto c = static_cast<unsigned char>(text_[run]);
                if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
                ++run;
            }
            out.append(text_.data() + pos_, run - pos_);
            pos_ = run;
            if (out.size() > max_string_bytes)
                return error(open, "string longer than " + std::to_string(max_string_bytes / 1024) +
                                       " KiB; metadata text belongs in the Markdown pages");
            if (at_end()) return error(open, "unterminated string");
            const auto c = static_cast<unsigned char>(peek());
            if (c == '"') {
                ++pos_;
                return true;
            }
            if (c == '\n' || c == '\r')
                return error(pos_, "unterminated string (a line break inside a string must be written as \\n)");
            if (c < 0x20) return error(pos_, "invalid string: control character must be escaped");
            if (c >= 0x80) {
                const std::size_t length = utf8_sequence_length(text_, pos_);
                if (length == 0) return error(pos_, "invalid string: not valid UTF-8");
                out.append(text_.data() + pos_, length);
                pos_ += length;
                continue;
            }
            if (!parse_escape(out)) return false;
        }
    }

    bool parse_escape(std::string& out) {
        const std::size_t backslash = pos_;
        if (pos_ + 1 >= text_.size()) return error(pos_ + 1, "unexpected end of file");
        const char kind = text_[pos_ + 1];
        pos_ += 2;
        switch (kind) {
        case '"': out += '"'; return true;
        case '\\': out += '\\'; return true;
        case '/': out += '/'; return true;
        case 'b': out += '\b'; return true;
        case 'f': out += '\f'; return true;
        case 'n': out += '\n'; return true;
        case 'r': out += '\r'; return true;
        case 't': out += '\t'; return true;
        case 'u': break;
        default:
            return error(backslash, "invalid string: unknown escape '\\" + std::string(1, kind) + "'");
        }
        std::uint32_t unit = 0;
        if (!read_hex4(pos_, unit)) return error(backslash, "invalid string: '\\u' must be followed by four hex digits");
        pos_ += 4;
        if (unit >= 0xDC00 && unit <= 0xDFFF) return error(backslash, "invalid string: unpaired UTF-16 surrogate");
        if (unit >= 0xD800 && unit <= 0xDBFF) {
            std::uint32_t low = 0;
            if (pos_ + 1 >= text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u' || !read_hex4(pos_ + 2, low) ||
                low < 0xDC00 || low > 0xDFFF)
                return error(backslash, "invalid string: unpaired UTF-16 surrogate");
            pos_ += 6;
            unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(out, unit);
        return true;
    }

    bool parse_number(nlohmann::json& out) {
        const std::size_t start = pos_;
        std::size_t i = pos_;
        auto digits = [&] {
            const std::size_t from = i;
            while (i < text_.size() && is_digit(text_[i])) ++i;
            return i > from;
        };
        if (text_[i] == '-') ++i;
        if (i < text_.size() && text_[i] == '0') {
            ++i;
            if (i < text_.size() && is_digit(text_[i])) return error(start, "invalid number: leading zeros are not allowed");
        } else if (!digits()) {
            return error(i, "invalid number: expected a digit after '-'");
        }
        bool integral = true;
        if (i < text_.size() && text_[i] == '.') {
            integral = false;
            ++i;
            if (!digits()) return error(i, "invalid number: expected a digit after '.'");
        }
        bool negative_exponent = false;
        if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
            integral = false;
            ++i;
            if (i < text_.size() && (text_[i] == '+' || text_[i] == '-')) negative_exponent = text_[i++] == '-';
            if (!digits()) return error(i, "invalid number: expected a digit in the exponent");
        }
        const char* first = text_.data() + start;
        const char* last = text_.data() + i;
        pos_ = i;
        // Same representation choice as nlohmann: unsigned, then signed, then double.
        if (integral) {
            std::uint64_t unsigned_value = 0;
            if (*first != '-' && std::from_chars(first, last, unsigned_value).ec == std::errc()) {
                out = unsigned_value;
                return true;
            }
            std::int64_t signed_value = 0;
            if (*first == '-' && std::from_chars(first, last, signed_value).ec == std::errc()) {
                out = signed_value;
                return true;
            }
        }
        double value = 0;
        const auto result = std::from_chars(first, last, value);
        if (result.ec == std::errc::result_out_of_range) {
            if (!negative_exponent) return error(start, "number is too large");
            value = *first == '-' ? -0.0 : 0.0;
        }
        out = value;
        return true;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
    std::optional<ParseFailure> failure_;
    PositionTree* positions_;
};

}  // namespace

std::variant<JsonDocument, ParseFailure> parse_json(std::string text) {
    if (text.starts_with("\xEF\xBB\xBF")) text.erase(0, 3);
    JsonDocument document;
    PositionTree positions(document);
    if (auto failure = Parser(text, &positions).parse(document.value)) return std::move(*failure);
    document.line_starts.push_back(0);
    for (std::size_t i = text.find('\n'); i != std::string::npos; i = text.find('\n', i + 1))
        document.line_starts.push_back(i + 1);
    document.text = std::move(text);
    return document;
}

namespace {

// The child a pointer's token names (RFC 6901: an array's index in decimal without
// leading zeros, an object's key with "~1" for '/' and "~0" for '~'), if there is one.
std::optional<std::uint32_t> child_named(const JsonDocument& document, const JsonDocument::ValueNode& node,
                                         std::string_view token) {
    const auto first = document.child_nodes.begin() + node.first_child;
    const auto last = first + node.child_count;
    if (node.kind == JsonDocument::ValueNode::Kind::array) {
        std::size_t index = 0;
        const auto [end, error] = std::from_chars(token.data(), token.data() + token.size(), index);
        if (error != std::errc() || end != token.data() + token.size() || (token.size() > 1 && token[0] == '0') ||
            index >= node.child_count)
            return std::nullopt;
        return first[static_cast<std::ptrdiff_t>(index)];
    }
    if (node.kind != JsonDocument::ValueNode::Kind::object) return std::nullopt;
    std::string key;
    for (std::size_t i = 0; i < token.size(); ++i) {
        if (token[i] != '~') {
            key += token[i];
            continue;
        }
        if (i + 1 == token.size() || (token[i + 1] != '0' && token[i + 1] != '1')) return std::nullopt;
        key += token[++i] == '0' ? '~' : '/';
    }
    const auto found = std::lower_bound(first, last, key, [&](std::uint32_t id, const std::string& wanted) {
        return document.value_nodes[id].key < wanted;
    });
    if (found == last || document.value_nodes[*found].key != key) return std::nullopt;
    return *found;
}

}  // namespace

SourcePosition locate(const JsonDocument& document, std::string_view pointer) {
    if (document.value_nodes.empty()) return position_of_offset(document.text, 0);
    // A pointer that does not exist falls back to its deepest existing ancestor.
    std::uint32_t node = 0;
    if (pointer.starts_with('/')) {
        for (std::size_t at = 1;;) {
            const std::size_t end = std::min(pointer.find('/', at), pointer.size());
            const std::optional<std::uint32_t> child = child_named(document, document.value_nodes[node], pointer.substr(at, end - at));
            if (!child) break;
            node = *child;
            if (end == pointer.size()) break;
            at = end + 1;
        }
    }
    const std::size_t offset = document.value_nodes[node].offset;
    const auto next_line = std::upper_bound(document.line_starts.begin(), document.line_starts.end(), offset);
    const auto line = static_cast<int>(next_line - document.line_starts.begin());
    return SourcePosition{offset, line, static_cast<int>(offset - *(next_line - 1)) + 1};
}

SourcePosition position_of_offset(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    SourcePosition position{offset, 1, 1};
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++position.line;
            line_start = i + 1;
        }
    }
    position.column = static_cast<int>(offset - line_start) + 1;
    return position;
}

}  // namespace cypp::json
