#include <catch2/catch.hpp>

#include "html/escape.h"

using cypp::html::append_escaped;
using cypp::html::escape;

TEST_CASE("text is escaped for HTML and XML, everything else copied as it is", "[html]") {
    REQUIRE(escape("") == "");
    REQUIRE(escape("plain text, nothing to escape") == "plain text, nothing to escape");
    REQUIRE(escape("&") == "&amp;");
    REQUIRE(escape("<>\"'&") == "&lt;&gt;&quot;&#39;&amp;");
    REQUIRE(escape("Children's centres & <schools> \"here\"") ==
            "Children&#39;s centres &amp; &lt;schools&gt; &quot;here&quot;");
    REQUIRE(escape("ends with &") == "ends with &amp;");
    REQUIRE(escape("Ünïcode – “quotes”") == "Ünïcode – “quotes”");  // UTF-8 is left alone
    REQUIRE(escape(std::string_view("a\0b<", 4)) == std::string("a\0b&lt;", 7));
}

TEST_CASE("escaped text is appended to what is there", "[html]") {
    std::string out = "<loc>";
    append_escaped(out, "https://x.example/?a=1&b=2");
    append_escaped(out, "");
    REQUIRE(out == "<loc>https://x.example/?a=1&amp;b=2");
}
