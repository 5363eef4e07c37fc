// The pieces of solvers/report.cpp that need no result file: numbers in the reader's language
// (hand-computed cases, en and nl), escaping, and the sensitivity CSV with its refusals.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "model/calendar.hpp"
#include "model/errors.hpp"
#include "solvers/report.hpp"
#include "tests/support/temp_dir.hpp"

using namespace sesim;

TEST_CASE("format_amount: euros in thousands, millions and billions per language", "[report]") {
    // 1.2e6 -> "1.2m": %.3g of 1.2 is "1.2" (trailing zeros dropped).
    CHECK(format_amount(1.2e6, "EUR", Lang::en) == "EUR 1.2m");
    CHECK(format_amount(1.2e6, "EUR", Lang::nl) == "EUR 1,2 mln");
    // 1,224,567 to three significant digits: 1.22 million.
    CHECK(format_amount(1224567, "EUR", Lang::en) == "EUR 1.22m");
    CHECK(format_amount(1224567, "EUR", Lang::nl) == "EUR 1,22 mln");
    // 15,612 -> 15.6 thousand; in Dutch written out at three significant digits: 15.600.
    CHECK(format_amount(15612, "EUR", Lang::en) == "EUR 15.6k");
    CHECK(format_amount(15612, "EUR", Lang::nl) == "EUR 15.600");
    CHECK(format_amount(111234, "EUR", Lang::nl) == "EUR 111.000");
    CHECK(format_amount(2.5e9, "EUR", Lang::en) == "EUR 2.5bn");
    CHECK(format_amount(2.5e9, "EUR", Lang::nl) == "EUR 2,5 mld");
    CHECK(format_amount(240, "EUR", Lang::en) == "EUR 240");
    // 999,700 rounds to 1.00 million at three digits, so it is written in millions.
    CHECK(format_amount(999700, "EUR", Lang::en) == "EUR 1m");
    CHECK(format_amount(999700, "EUR", Lang::nl) == "EUR 1 mln");
    // Signs go before the currency; zero never has one.
    CHECK(format_amount(30.5e6, "EUR", Lang::en, true) == "+EUR 30.5m");
    CHECK(format_amount(-30.5e6, "EUR", Lang::nl, true) == "-EUR 30,5 mln");
    CHECK(format_amount(0, "EUR", Lang::en, true) == "EUR 0");
}

TEST_CASE("format_amount: other units, decimal comma and thousands separators", "[report]") {
    CHECK(format_amount(2.77, "1", Lang::en) == "2.77");
    CHECK(format_amount(2.77, "1", Lang::nl) == "2,77");
    CHECK(format_amount(-0.379, "1", Lang::nl, true) == "-0,379");
    CHECK(format_amount(0.0456, "1", Lang::en, true) == "+0.0456");
    // From 999.5 on: whole numbers with separators (1,341 / 1.341).
    CHECK(format_amount(1341.4, "FTE", Lang::en) == "1,341");
    CHECK(format_amount(1341.4, "FTE", Lang::nl) == "1.341");
    CHECK(format_amount(1234567, "FTE", Lang::nl) == "1.234.567");
    CHECK(format_amount(106.2, "FTE", Lang::en, true) == "+106");
    CHECK(format_amount(0, "1", Lang::en, true) == "0");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK(format_amount(nan, "1", Lang::en) == "n/a");
    CHECK(format_amount(nan, "EUR", Lang::nl) == "n.v.t.");
}

TEST_CASE("format_percent, format_probability and months per language", "[report]") {
    CHECK(format_percent(0.038, Lang::en) == "+3.8%");
    CHECK(format_percent(0.038, Lang::nl) == "+3,8%");
    CHECK(format_percent(-0.0021, Lang::en) == "-0.2%");
    CHECK(format_percent(0.0, Lang::en) == "0.0%");
    CHECK(format_percent(-1e-9, Lang::nl) == "0,0%");
    CHECK(format_probability(0.973, Lang::en) == "97%");
    CHECK(format_probability(0.999, Lang::en) == "> 99%");
    CHECK(format_probability(0.001, Lang::nl) == "< 1%");
    CHECK(format_probability(1.0, Lang::en) == "100%");
    CHECK(format_probability(0.0, Lang::en) == "0%");
    CHECK(format_month_short(month_index(2030, 12), Lang::en) == "Dec 2030");
    CHECK(format_month_short(month_index(2025, 3), Lang::nl) == "mrt 2025");
    CHECK(outcome_label("se_scaled", Lang::en) == "scaled SEs");
    CHECK(outcome_label("se_scaled", Lang::nl) == "opgeschaalde SE's");
    CHECK(parse_lang("nl") == Lang::nl);
    CHECK(!parse_lang("de"));
}

TEST_CASE("html_escape escapes markup and quotes", "[report]") {
    CHECK(html_escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;");
    CHECK(html_escape("</script>") == "&lt;/script&gt;");
}

TEST_CASE("read_sensitivity_csv reads rows and refuses malformed files", "[report]") {
    const test::TempDir dir("sesim-test-report");
    const auto good = dir.write("s.csv",
                                "parameter,output,date,index,estimate,low,high\n"
                                "zwolle.population,jobs_target_group,2030-12,ST,0.42,0.3,0.5\n"
                                "\"a,b\",se_scaled,,S1,-0.1,,\n");
    const auto rows = read_sensitivity_csv(good);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].parameter == "zwolle.population");
    CHECK(rows[0].date == "2030-12");
    CHECK(rows[0].estimate == 0.42);
    CHECK(rows[0].high == 0.5);
    CHECK(rows[1].parameter == "a,b");
    CHECK(std::isnan(rows[1].low));

    const auto refuses = [&](const std::string& text, const std::string& says) {
        const auto p = dir.write("bad.csv", text);
        CHECK_THROWS_WITH(read_sensitivity_csv(p), Catch::Contains(says));
    };
    refuses("", "empty");
    refuses("a,b,c\n", "line 1: the header");
    refuses("parameter,output,date,index,estimate,low,high\n", "no rows");
    refuses("parameter,output,date,index,estimate,low,high\np,o,,ST,abc,,\n",
            "line 2: estimate 'abc' is not a number");
    refuses("parameter,output,date,index,estimate,low,high\np,o,,ST,1\n", "line 2: 5 fields");
    refuses("parameter,output,date,index,estimate,low,high\np,o,2030-13,ST,1,,\n",
            "date '2030-13' is not a month");
    refuses("\x89HDF\r\n\x1a\n", "is an HDF5 file");
    CHECK_THROWS_AS(read_sensitivity_csv(dir / "missing.csv"), InputError);
}
