#include <array>

#include "schema/compiled.h"

namespace cypp::schema {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Reads exactly `count` digits at text[at]; -1 if they are not all there.
int digits_at(std::string_view text, std::size_t at, std::size_t count) {
    if (at + count > text.size()) return -1;
    int value = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (!is_digit(text[i])) return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

bool is_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    const int year = digits_at(text, 0, 4), month = digits_at(text, 5, 2), day = digits_at(text, 8, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1) return false;
    static constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= (month == 2 && leap ? 29 : days[month - 1]);
}

// RFC 3339 full-time: HH:MM:SS[.frac](Z|+HH:MM|-HH:MM); letters case-insensitive.
bool is_time(std::string_view text) {
    if (text.size() < 9 || text[2] != ':' || text[5] != ':') return false;
    const int hour = digits_at(text, 0, 2), minute = digits_at(text, 3, 2), second = digits_at(text, 6, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) return false;
    std::size_t at = 8;
    if (text[at] == '.') {
        const std::size_t start = ++at;
        while (at < text.size() && is_digit(text[at])) ++at;
        if (at == start) return false;
    }
    if (at == text.size()) return false;
    const std::string_view zone = text.substr(at);
    if (zone == "Z" || zone == "z") return true;
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':') return false;
    const int zone_hour = digits_at(zone, 1, 2), zone_minute = digits_at(zone, 4, 2);
    return zone_hour >= 0 && zone_hour <= 23 && zone_minute >= 0 && zone_minute <= 59;
}

bool is_date_time(std::string_view text) {
    return text.size() > 11 && (text[10] == 'T' || text[10] == 't') && is_date(text.substr(0, 10)) &&
           is_time(text.substr(11));
}

// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.
bool is_hostname(std::string_view text) {
    if (text.empty() || text.size() > 253) return false;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = std::min(text.find('.', start), text.size());
        const std::string_view label = text.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (char c : label)
            if (!is_alpha(c) && !is_digit(c) && c != '-') return false;
        if (dot == text.size()) return true;
        start = dot + 1;
    }
}

bool is_ipv4(std::string_view text) {
    int parts = 0;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = std::min(text.find('.', start), text.size());
        const std::string_view part = text.substr(start, dot - start);
        if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0')) return false;
        const int value = digits_at(part, 0, part.size());
        if (value < 0 || value > 255) return false;
        ++parts;
        if (dot == text.size()) return parts == 4;
        if (parts == 4) return false;
        start = dot + 1;
    }
}

// RFC 4291 text form, including "::" and a trailing dotted IPv4 part.
bool is_ipv6(std::string_view text) {
    auto count_groups = [](std::string_view part, bool allow_ipv4_tail, int& groups) {
        groups = 0;
        if (part.empty()) return true;
        std::size_t start = 0;
        while (true) {
            const std::size_t colon = std::min(part.find(':', start), part.size());
            const std::string_view group = part.substr(start, colon - start);
            if (colon == part.size() && allow_ipv4_tail && group.find('.') != std::string_view::npos) {
                if (!is_ipv4(group)) return false;
                groups += 2;
                return true;
            }
            if (group.empty() || group.size() > 4) return false;
            for (char c : group)
                if (!is_hex(c)) return false;
            ++groups;
            if (colon == part.size()) return true;
            start = colon + 1;
        }
    };
    const std::size_t gap = text.find("::");
    int head = 0, tail = 0;
    if (gap == std::string_view::npos) return count_groups(text, true, head) && head == 8;
    const std::string_view before = text.substr(0, gap), after = text.substr(gap + 2);
    if (after.find("::") != std::string_view::npos) return false;
    return count_groups(before, false, head) && count_groups(after, true, tail) && head + tail < 8;
}

bool is_email(std::string_view text) {
    const std::size_t at = text.rfind('@');
    if (at == std::string_view::npos || at == 0) return false;
    const std::string_view local = text.substr(0, at), domain = text.substr(at + 1);
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
    static constexpr std::string_view atext_symbols = "!#$%&'*+/=?^_`{|}~-.";
    for (char c : local)
        if (!is_alpha(c) && !is_digit(c) && atext_symbols.find(c) == std::string_view::npos) return false;
    if (domain.size() > 2 && domain.front() == '[' && domain.back() == ']') {
        const std::string_view literal = domain.substr(1, domain.size() - 2);
        return literal.starts_with("IPv6:") ? is_ipv6(literal.substr(5)) : is_ipv4(literal);
    }
    return is_hostname(domain);
}

// Characters RFC 3986 allows in a URI outside percent-encodings.
bool is_uri_character(char c) {
    static constexpr std::string_view symbols = "-._~:/?#[]@!$&'()*+,;=";
    return is_alpha(c) || is_digit(c) || symbols.find(c) != std::string_view::npos;
}

bool has_valid_uri_characters(std::string_view text) {
    bool in_fragment = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '%') {
            if (i + 2 >= text.size() || !is_hex(text[i + 1]) || !is_hex(text[i + 2])) return false;
            i += 2;
        } else if (!is_uri_character(c)) {
            return false;
        } else if (c == '#') {
            if (in_fragment) return false;
            in_fragment = true;
        }
    }
    return true;
}

std::size_t scheme_length(std::string_view text) {
    if (text.empty() || !is_alpha(text[0])) return 0;
    std::size_t i = 1;
    while (i < text.size() && (is_alpha(text[i]) || is_digit(text[i]) || text[i] == '+' || text[i] == '-' || text[i] == '.'))
        ++i;
    return i < text.size() && text[i] == ':' ? i : 0;
}

bool has_valid_authority(std::string_view text) {
    if (!text.starts_with("//")) return true;
    const std::size_t end = std::min(text.find_first_of("/?#", 2), text.size());
    std::string_view authority = text.substr(2, end - 2);
    if (const std::size_t at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    if (authority.starts_with('[')) {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) return false;
        authority.remove_prefix(close + 1);
        if (!authority.empty() && authority[0] != ':') return false;
    } else if (authority.find_first_of("[]") != std::string_view::npos) {
        return false;
    }
    if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos)
        for (char c : authority.substr(colon + 1))
            if (!is_digit(c)) return false;
    return true;
}

bool is_uri_reference(std::string_view text) {
    const std::size_t scheme = scheme_length(text);
    const std::string_view rest = scheme ? text.substr(scheme + 1) : text;
    return has_valid_uri_characters(rest) && has_valid_authority(rest);
}

bool is_uri(std::string_view text) { return scheme_length(text) > 0 && is_uri_reference(text); }

bool is_json_pointer(std::string_view text) {
    if (!text.empty() && text[0] != '/') return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (text[i] == '~' && (i + 1 == text.size() || (text[i + 1] != '0' && text[i + 1] != '1'))) return false;
    return true;
}

bool is_relative_json_pointer(std::string_view text) {
    std::size_t digits = 0;
    while (digits < text.size() && is_digit(text[digits])) ++digits;
    if (digits == 0 || (digits > 1 && text[0] == '0')) return false;
    const std::string_view rest = text.substr(digits);
    return rest == "#" || is_json_pointer(rest);
}

}  // namespace

// std::regex takes "\\Z" as a literal Z, but ECMAScript defines no such escape and
// other engines read it as an anchor: a letter escape must be one ECMA-262 defines.
bool is_ecmascript_regex(std::string_view text) {
    static constexpr std::string_view letter_escapes = "dDwWsSbBfnrtvcxuk";
    // std::regex compiles groups recursively; deep nesting must not reach it.
    if (text.size() > max_pattern_input) return false;
    int groups = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '(' && ++groups > max_depth) return false;
        if (text[i] == ')') --groups;
        if (text[i] != '\\' || i + 1 == text.size()) continue;
        if (is_alpha(text[i + 1]) && letter_escapes.find(text[i + 1]) == std::string_view::npos) return false;
        ++i;
    }
    try {
        std::regex(text.begin(), text.end(), std::regex::ECMAScript);
        return true;
    } catch (const std::regex_error&) {
        return false;
    }
}

namespace {

struct UriParts {
    std::string_view scheme, authority, path, query, fragment;
    bool has_scheme = false, has_authority = false, has_query = false, has_fragment = false;
};

// The split of RFC 3986 appendix B, which accepts any string.
UriParts split_uri(std::string_view text) {
    UriParts parts;
    if (const std::size_t length = scheme_length(text)) {
        parts.scheme = text.substr(0, length);
        parts.has_scheme = true;
        text.remove_prefix(length + 1);
    }
    if (const std::size_t hash = text.find('#'); hash != std::string_view::npos) {
        parts.fragment = text.substr(hash + 1);
        parts.has_fragment = true;
        text = text.substr(0, hash);
    }
    if (const std::size_t question = text.find('?'); question != std::string_view::npos) {
        parts.query = text.substr(question + 1);
        parts.has_query = true;
        text = text.substr(0, question);
    }
    if (text.starts_with("//")) {
        const std::size_t end = std::min(text.find('/', 2), text.size());
        parts.authority = text.substr(2, end - 2);
        parts.has_authority = true;
        text.remove_prefix(end);
    }
    parts.path = text;
    return parts;
}

std::string remove_dot_segments(std::string_view path) {
    std::string output;
    while (!path.empty()) {
        if (path.starts_with("../")) {
            path.remove_prefix(3);
        } else if (path.starts_with("./")) {
            path.remove_prefix(2);
        } else if (path.starts_with("/./")) {
            path.remove_prefix(2);
        } else if (path == "/.") {
            path = "/";
        } else if (path.starts_with("/../") || path == "/..") {
            path = path.size() == 3 ? std::string_view("/") : path.substr(3);
            const std::size_t slash = output.rfind('/');
            output.erase(slash == std::string::npos ? 0 : slash);
        } else if (path == "." || path == "..") {
            path = {};
        } else {
            const std::size_t next = path.find('/', 1);
            const std::size_t length = next == std::string_view::npos ? path.size() : next;
            output.append(path.substr(0, length));
            path.remove_prefix(length);
        }
    }
    return output;
}

}  // namespace

std::optional<Format> format_named(std::string_view name) {
    static constexpr std::array<std::pair<std::string_view, Format>, 12> names{{
        {"date", Format::date}, {"time", Format::time}, {"date-time", Format::date_time},
        {"email", Format::email}, {"hostname", Format::hostname}, {"ipv4", Format::ipv4},
        {"ipv6", Format::ipv6}, {"uri", Format::uri}, {"uri-reference", Format::uri_reference},
        {"json-pointer", Format::json_pointer}, {"relative-json-pointer", Format::relative_json_pointer},
        {"regex", Format::regex},
    }};
    for (const auto& [known, format] : names)
        if (known == name) return format;
    return std::nullopt;
}

bool matches_format(Format format, std::string_view text) {
    switch (format) {
    case Format::none: return true;
    case Format::date: return is_date(text);
    case Format::time: return is_time(text);
    case Format::date_time: return is_date_time(text);
    case Format::email: return is_email(text);
    case Format::hostname: return is_hostname(text);
    case Format::ipv4: return is_ipv4(text);
    case Format::ipv6: return is_ipv6(text);
    case Format::uri: return is_uri(text);
    case Format::uri_reference: return is_uri_reference(text);
    case Format::json_pointer: return is_json_pointer(text);
    case Format::relative_json_pointer: return is_relative_json_pointer(text);
    case Format::regex: return is_ecmascript_regex(text);
    }
    return true;
}

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && is_hex(text[i + 1]) && is_hex(text[i + 2])) {
            out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::string resolve_uri(std::string_view base_text, std::string_view reference_text) {
    const UriParts base = split_uri(base_text), reference = split_uri(reference_text);
    UriParts target;
    std::string path;
    if (reference.has_scheme) {
        target = reference;
        path = remove_dot_segments(reference.path);
    } else {
        target.scheme = base.scheme;
        target.has_scheme = base.has_scheme;
        if (reference.has_authority) {
            target.authority = reference.authority;
            target.has_authority = true;
            path = remove_dot_segments(reference.path);
            target.query = reference.query;
            target.has_query = reference.has_query;
        } else {
            target.authority = base.authority;
            target.has_authority = base.has_authority;
            if (reference.path.empty()) {
                path = base.path;
                target.query = reference.has_query ? reference.query : base.query;
                target.has_query = reference.has_query || base.has_query;
            } else {
                if (reference.path.starts_with('/')) {
                    path = remove_dot_segments(reference.path);
                } else {
                    std::string merged;
                    if (base.has_authority && base.path.empty()) {
                        merged = "/";
                    } else if (const std::size_t slash = base.path.rfind('/'); slash != std::string_view::npos) {
                        merged = base.path.substr(0, slash + 1);
                    }
                    merged += reference.path;
                    path = remove_dot_segments(merged);
                }
                target.query = reference.query;
                target.has_query = reference.has_query;
            }
        }
    }
    std::string out;
    if (target.has_scheme) out.append(target.scheme).append(":");
    if (target.has_authority) out.append("//").append(target.authority);
    out += path;
    if (target.has_query) out.append("?").append(target.query);
    if (reference.has_fragment) out.append("#").append(reference.fragment);
    return out;
}

}  // namespace cypp::schema
