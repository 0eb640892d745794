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
