#include <catch2/catch.hpp>

#include "model/calendar.hpp"

using namespace sesim;

TEST_CASE("calendar: months parse, format and count", "[calendar]") {
    REQUIRE(parse_month("2019-01").value() == month_index(2019, 1));
    CHECK(parse_month("2020-03").value() - parse_month("2019-01").value() == 14);
    CHECK(format_month(month_index(2038, 12)) == "2038-12");
    CHECK_FALSE(parse_month("2019-13"));
    CHECK_FALSE(parse_month("2019-1"));
    CHECK_FALSE(parse_month("19-01-01"));
    CHECK_FALSE(parse_month("abcd-01"));
}

TEST_CASE("calendar: CF time values are days since 2019-01-01", "[calendar]") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    CHECK(cf_days_since_2019(month_index(2019, 1)) == 0.0);
    CHECK(cf_days_since_2019(month_index(2019, 2)) == 31.0);
    CHECK(cf_days_since_2019(month_index(2020, 3)) == 425.0);  // 2020 is a leap year
    CHECK(cf_days_since_2019(month_index(2018, 12)) == -31.0);
}
