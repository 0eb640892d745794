#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "json/json_document.h"
#include "load/compiled_schemas.h"

using cypp::load::CompiledSchemas;

TEST_CASE("CompiledSchemas compiles each built-in schema once and shares it", "[load]") {
    CompiledSchemas schemas;
    const auto first = schemas.find("site.schema.json");
    REQUIRE(first);
    const auto again = schemas.find("site.schema.json");
    REQUIRE(again);
    REQUIRE(&first->compiled() == &again->compiled());
    const auto plan = schemas.find("plan.schema.json");
    REQUIRE(plan);
    REQUIRE(&plan->compiled() != &first->compiled());
    // The shared schema still judges documents: site.json needs a board.
    const nlohmann::json empty_site = nlohmann::json::object();
    REQUIRE(!cypp::schema::validate(*first, empty_site).empty());
}

TEST_CASE("CompiledSchemas has nothing for a schema cypp does not have", "[load]") {
    CompiledSchemas schemas;
    REQUIRE(!schemas.find("nothing.schema.json"));
    REQUIRE(!schemas.find("nothing.schema.json"));
}
