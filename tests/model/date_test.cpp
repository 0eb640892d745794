#include <catch2/catch.hpp>

#include "model/date.h"
#include "model/paths.h"
#include "model/site.h"

using namespace cypp::model;

TEST_CASE("dates must name a real day", "[model]") {
    REQUIRE(parse_date("2011-04-01") == Date{2011, 4, 1});
    REQUIRE(parse_date("2012-02-29") == Date{2012, 2, 29});
    REQUIRE_FALSE(parse_date("2011-02-29"));
    REQUIRE_FALSE(parse_date("2100-02-29"));
    REQUIRE(parse_date("2000-02-29"));
    REQUIRE_FALSE(parse_date("2011-13-01"));
    REQUIRE_FALSE(parse_date("2011-4-1"));
    REQUIRE_FALSE(parse_date("2011-04-0x"));
}

TEST_CASE("day arithmetic across leap years", "[model]") {
    REQUIRE(days_from_civil({1970, 1, 1}) == 0);
    REQUIRE(days_from_civil({2011, 4, 1}) == 15065);
    REQUIRE(days_between({2014, 3, 31}, {2014, 5, 12}) == 42);
    REQUIRE(days_between({2012, 2, 1}, {2012, 3, 1}) == 29);
    REQUIRE(days_between({2011, 2, 1}, {2011, 3, 1}) == 28);
    for (long day = -1000; day < 30000; day += 37) REQUIRE(days_from_civil(civil_from_days(day)) == day);
    REQUIRE(civil_from_days(15065) == Date{2011, 4, 1});
    REQUIRE(format_long({2011, 3, 25}) == "25 March 2011");
    REQUIRE(format_iso({2011, 3, 5}) == "2011-03-05");
    REQUIRE(format_iso({999, 12, 31}) == "0999-12-31");
    REQUIRE(format_iso({2024, 2, 29}) == "2024-02-29");
    REQUIRE(format_iso({12345, 1, 2}) == "12345-01-02");  // past the digits written directly, as snprintf writes it
}

TEST_CASE("relative URLs between output files", "[model]") {
    REQUIRE(relative_url("plan/a/index.html", "plan/b/index.html") == "../b/index.html");
    REQUIRE(relative_url("plan/a/index.html", "index.html") == "../../index.html");
    REQUIRE(relative_url("index.html", "child/index.html") == "child/index.html");
    REQUIRE(relative_url("plan/index.html", "plan/a/index.html") == "a/index.html");
    REQUIRE(relative_url("plans/2008/plan/x/index.html", "files/a.pdf") == "../../../../files/a.pdf");
    REQUIRE(relative_url("plan/a/index.html", "plan/a/index.html") == "index.html");
    REQUIRE(relative_url("plan/a/index.html", "plan/a/b/c/d.html") == "b/c/d.html");
    REQUIRE(relative_url("plan/a/index.html", "plan") == "../../plan");  // to's last segment is never a folder
    REQUIRE(relative_url("plan/a/index.html", "plan/") == "../");
    REQUIRE(relative_url("plan/ab/index.html", "plan/a/index.html") == "../a/index.html");  // whole segments only
    REQUIRE(relative_url("a//b.html", "a//c/d.html") == "c/d.html");                       // an empty segment is one
    REQUIRE(relative_url("a//b.html", "a/c.html") == "../c.html");
    REQUIRE(relative_url("", "index.html") == "index.html");
    REQUIRE(chapter_path(plan_prefix("2008-2011", false), "x") == "plans/2008-2011/plan/x/index.html");
}

TEST_CASE("respondents are named only with consent", "[model]") {
    Response response;
    response.id = 12;
    response.name = "Ann Example";
    response.organisation = "Example School";
    response.consent = Consent::publish_with_name;
    REQUIRE(public_label(response) == "Ann Example, Example School");
    response.consent = Consent::publish_anonymously;
    REQUIRE(public_label(response) == "Respondent 12");
    response.consent = Consent::do_not_publish;
    REQUIRE_FALSE(public_label(response));
}

TEST_CASE("plan years are twelve-month periods from the start of the plan", "[model]") {
    Plan plan;
    plan.start = {2011, 4, 1};
    plan.end = {2014, 3, 31};
    auto years = plan_years(plan);
    REQUIRE(years.size() == 3);
    CHECK(years[0].label == "2011-12");
    CHECK(years[0].end == Date{2012, 3, 31});
    CHECK(years[2].label == "2013-14");
    CHECK(years[2].end == Date{2014, 3, 31});

    plan.start = {2012, 2, 29};  // a leap day: the next year starts on 1 March
    plan.end = {2013, 6, 30};
    years = plan_years(plan);
    REQUIRE(years.size() == 2);
    CHECK(years[0].end == Date{2013, 2, 28});
    CHECK(years[1].start == Date{2013, 3, 1});
    CHECK(years[1].end == Date{2013, 6, 30});
}

TEST_CASE("add_days crosses months, years and leap days", "[model]") {
    CHECK(add_days({2014, 3, 31}, 42) == Date{2014, 5, 12});
    CHECK(add_days({2012, 2, 28}, 1) == Date{2012, 2, 29});
    CHECK(add_days({2011, 1, 1}, -1) == Date{2010, 12, 31});
}

TEST_CASE("a withheld detail is looked for as typed and in each way HTML writes it", "[model]") {
    const auto forms = withheld_forms({"Mary O'Brien & Sons"});
    std::vector<std::string> written;
    for (const auto& [form, detail] : forms) {
        REQUIRE(detail == "Mary O'Brien & Sons");
        written.push_back(form);
    }
    REQUIRE(written == std::vector<std::string>{"Mary O'Brien & Sons", "Mary O'Brien &amp; Sons",
                                                "Mary O&#39;Brien &amp; Sons", "Mary O&apos;Brien &amp; Sons"});
    REQUIRE(*find_withheld("<p>Thanks to Mary O&apos;Brien &amp; Sons.</p>", forms) == "Mary O'Brien & Sons");
    REQUIRE(find_withheld("<p>Thanks to Mary O&apos;Brien and Sons.</p>", forms) == nullptr);
    // Without an apostrophe or ampersand the forms are the same and listed once.
    REQUIRE(withheld_forms({"Cyd Withheld"}).size() == 1);
}

TEST_CASE("a withheld detail is found by its longest word, its other words matched around it", "[model]") {
    const auto forms = withheld_forms({"9 Secret Lane"});
    std::string many_nines;
    for (int i = 0; i < 200; ++i) many_nines += "<td>9</td><td>99 Secret</td>";
    REQUIRE(find_withheld(many_nines, forms) == nullptr);
    // The words before the longest one, across any run of white space.
    REQUIRE(*find_withheld(many_nines + "<p>At 9\n   Secret\tLane.</p>", forms) == "9 Secret Lane");
    REQUIRE(*find_withheld("<p>At 19 Secret Lane.</p>", forms) == "9 Secret Lane");  // as a part of a text, as before
    REQUIRE(find_withheld("<p>At 8 Secret Lane, 9 Secret Street, 9 Secretary Lane, 9Secret Lane.</p>", forms) == nullptr);
    REQUIRE(find_withheld("Secret Lane", forms) == nullptr);  // nothing before the word where "9 " should be
    // A detail with white space other than spaces is matched as written.
    REQUIRE(*find_withheld("<p>Flat 2\tNorth House</p>", withheld_forms({"Flat 2\tNorth House"})) == "Flat 2\tNorth House");
    REQUIRE(find_withheld("<p>Flat 2 North House</p>", withheld_forms({"Flat 2\tNorth House"})) == nullptr);
}

TEST_CASE("a withheld detail split across the pieces of a text is found", "[model]") {
    const auto forms = withheld_forms({"Mary O'Brien", "Cyd Withheld"});
    WithheldFinder finder(forms);
    auto find_in = [&](std::vector<std::string> pieces) -> std::string {
        finder.start();
        const std::string* found = nullptr;
        for (const std::string& piece : pieces) found = finder.look_at(piece);
        return found ? *found : "";
    };
    REQUIRE(find_in({"<p>Thanks to Mary O&#3", "9;Brien.</p>"}) == "Mary O'Brien");
    REQUIRE(find_in({"<p>Cyd", "", "\n", "  \n\t", "   Withh", "eld</p>"}) == "Cyd Withheld");
    // The carried end counts a long run of white space as one character.
    REQUIRE(find_in({"Cyd" + std::string(5000, ' '), std::string(5000, '\n'), "Withheld"}) == "Cyd Withheld");
    REQUIRE(find_in({"<p>Cyd With", "drawn</p>", "held"}) == "");
    REQUIRE(find_in({"Mary O", "Brien"}) == "");
    // A finding stays for the rest of the text and start() forgets it.
    REQUIRE(find_in({"Cyd Withheld", "<p>more</p>"}) == "Cyd Withheld");
    REQUIRE(find_in({"<p>nothing</p>"}) == "");
}

TEST_CASE("the finder gives for a text split anywhere into three pieces what the whole text gives", "[model]") {
    const auto forms = withheld_forms({"Mary O'Brien", "9 Secret Lane", "Cyd Withheld"});
    WithheldFinder finder(forms);
    const std::vector<std::string> texts = {
        "<p>At 9 \n Secret   Lane and Mary O&#39;Bri.</p>",
        "<p>Cyd\n\n   Withheld, 9 Secret Lan</p>",
        "<td>9</td><td>99 Secret</td> Mary O&apos;Brie Cyd Withhel",
        "x Mary O&apos;Brien y Cyd Withh z",
        "<p>Mary O Brien, 9 Secret, Cyd</p>",
    };  // each with at most one detail whole, so the finding does not depend on which is met first
    for (const std::string& text : texts) {
        const std::string* whole = find_withheld(text, forms);
        for (std::size_t i = 0; i <= text.size(); ++i)
            for (std::size_t j = i; j <= text.size(); ++j) {
                finder.start();
                const std::string* found = nullptr;
                for (std::string_view piece : {std::string_view(text).substr(0, i), std::string_view(text).substr(i, j - i),
                                               std::string_view(text).substr(j)})
                    found = finder.look_at(piece);
                INFO(text << " split at " << i << " and " << j);
                REQUIRE((found ? *found : "") == (whole ? *whole : ""));
            }
    }
}
