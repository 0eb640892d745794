#include <catch2/catch.hpp>

#include "diag/diagnostics.h"

using cypp::diag::Diagnostics;

TEST_CASE("text diagnostics are GCC-style lines with a hint", "[diag]") {
    Diagnostics diagnostics;
    diagnostics.error("R6.a", "site.json", 12, 5, "the PCT website is missing", "add it to publication.websites");
    diagnostics.warning("CY203", "plans/p/plan.json", 2, 0, "\"$schema\" should name plan.schema.json");
    REQUIRE(cypp::diag::format_text(diagnostics.all()[0]) ==
            "site.json:12:5: error[R6.a]: the PCT website is missing\n  hint: add it to publication.websites\n");
    REQUIRE(cypp::diag::format_text(diagnostics.all()[1]) ==
            "plans/p/plan.json:2: warning[CY203]: \"$schema\" should name plan.schema.json\n");
    REQUIRE(diagnostics.error_count() == 1);
    REQUIRE(diagnostics.warning_count() == 1);
    REQUIRE(cypp::diag::format_summary(diagnostics) == "1 error, 1 warning\n");
}

TEST_CASE("JSON diagnostics carry every field and a summary", "[diag]") {
    Diagnostics diagnostics;
    diagnostics.report({cypp::diag::Severity::error, "CY202", "site.json", 3, 7, "/board/name", "expected a string", ""});
    auto expected = R"({
  "diagnostics": [
    {
      "severity": "error",
      "code": "CY202",
      "file": "site.json",
      "line": 3,
      "column": 7,
      "pointer": "/board/name",
      "message": "expected a string",
      "hint": ""
    }
  ],
  "summary": {
    "errors": 1,
    "warnings": 0
  }
}
)";
    REQUIRE(cypp::diag::format_json(diagnostics) == expected);
}

TEST_CASE("GitHub annotations escape what the workflow command syntax needs", "[diag]") {
    cypp::diag::Diagnostic d{cypp::diag::Severity::error, "R6.a", "site,1.json", 12, 5, "/publication/websites",
                             "50% missing: the PCT", "add it"};
    REQUIRE(cypp::diag::format_github(d) ==
            "::error file=site%2C1.json,line=12,col=5,title=R6.a::50%25 missing: the PCT (at /publication/websites)%0Ahint: add it\n");
    cypp::diag::Diagnostic w{cypp::diag::Severity::warning, "CY701", "", 0, 0, "", "no git", ""};
    REQUIRE(cypp::diag::format_github(w) == "::warning title=CY701::no git\n");
}

TEST_CASE("coloured text marks location and severity like GCC", "[diag]") {
    cypp::diag::Diagnostic d{cypp::diag::Severity::error, "CY201", "a.json", 1, 2, "", "bad", ""};
    REQUIRE(cypp::diag::format_text(d, cypp::diag::Colour::always) == "\033[1ma.json:1:2: \033[31merror[CY201]:\033[0m bad\n");
}
