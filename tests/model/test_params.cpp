// The parameter table and its run-time view: names, lookup, parsing and formatting of values.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "model/params.hpp"
#include "tests/support/default_geography.hpp"

using namespace sesim;

namespace {

ParamDef synthetic(ParamType type, double def, double min, double max, std::string_view unit) {
    return ParamDef{"synthetic", Scope::global, type, def,     unit,   min,
                    max,         "d",           "s",  nullptr, nullptr};
}

std::string parse_error(const ParamDef& def, std::string_view text) {
    std::string error;
    const auto v = parse_param_value(def, text, error);
    CHECK_FALSE(v.has_value());
    return error;
}

}  // namespace

TEST_CASE("params: param_keys have unique names and cover every scope", "[params]") {
    std::set<std::string> names;
    int globals = 0;
    int regional = 0;
    int buyers = 0;
    for (const ParamDef& d : param_defs()) {
        globals += d.scope == Scope::global;
        regional += d.scope == Scope::region;
        buyers += d.scope == Scope::buyer;
    }
    for (const ParamKey& k : param_keys()) {
        INFO(k.name);
        CHECK(names.insert(k.name).second);
        CHECK(k.def != nullptr);
    }
    CHECK(param_keys().size() ==
          static_cast<std::size_t>(globals + kRegions * regional + kBuyers * buyers));
    CHECK(globals > 0);
    CHECK(regional > 0);
    CHECK(buyers > 0);
}

TEST_CASE("params: every parameter definition is documented", "[params]") {
    std::set<std::string_view> names;
    for (const ParamDef& d : param_defs()) {
        INFO(d.name);
        CHECK(names.insert(d.name).second);
        CHECK_FALSE(d.name.empty());
        CHECK_FALSE(d.description.empty());
        CHECK_FALSE(d.unit.empty());
        CHECK_FALSE(d.source.empty());
        CHECK(d.get != nullptr);
        CHECK(d.set != nullptr);
    }
}

TEST_CASE("params: defaults lie within their ranges and match Params{}", "[params]") {
    const Params p{};
    for (const ParamDef& d : param_defs()) {
        INFO(d.name);
        CHECK(d.min <= d.max);
        CHECK(d.def >= d.min);
        CHECK(d.def <= d.max);
        if (d.type != ParamType::real)
            CHECK(d.def == static_cast<double>(static_cast<long long>(d.def)));
    }
    for (const ParamKey& k : param_keys()) {
        INFO(k.name);
        CHECK(k.get(p) == k.def->def);
    }
}

TEST_CASE("params: the defaults are consistent", "[params]") {
    CHECK(check_consistency(Params{}).empty());
}

TEST_CASE("params: check_consistency reports relations that ranges cannot express", "[params]") {
    Params p;
    p.g.se_share_facility = 0.6;
    p.g.se_share_circular = 0.6;
    p.g.tender_min_months = 60;
    p.g.tender_max_months = 12;
    const auto problems = check_consistency(p);
    REQUIRE(problems.size() == 2);
    CHECK_THAT(problems[0], Catch::Contains("se_share_facility") && Catch::Contains("more than 1"));
    CHECK_THAT(problems[1], Catch::Contains("tender_min_months (60)"));
}

TEST_CASE("params: find_param resolves global, regional and buyer keys", "[params]") {
    const ParamKey* months = find_param("months");
    REQUIRE(months != nullptr);
    CHECK(months->region == -1);
    CHECK(months->buyer == -1);
    CHECK(months->def->type == ParamType::integer);

    const ParamKey* pop = find_param("haarlem.population");
    REQUIRE(pop != nullptr);
    CHECK(pop->region == 1);
    CHECK(pop->buyer == -1);
    CHECK(pop->def->scope == Scope::region);

    const ParamKey* budget = find_param("haarlem.school.budget");
    REQUIRE(budget != nullptr);
    CHECK(budget->region == -1);
    CHECK(budget->buyer == default_geography()->find_buyer("haarlem.school"));

    CHECK(find_param("population") == nullptr);
    CHECK(find_param("zwole.population") == nullptr);
    CHECK(find_param("") == nullptr);
    CHECK(find_param("Months") == nullptr);
}

TEST_CASE("params: ParamKey get and set address the right struct member", "[params]") {
    Params p;
    find_param("zwolle.population")->set(p, 126000);
    find_param("haarlem.municipality.setaside_share")->set(p, 0.05);
    find_param("start_month")->set(p, month_index(2020, 3));
    CHECK(p.region[0].population == 126000);
    CHECK(p.region[1].population == 150000);
    CHECK(p.buyer[buyer_of(p, 1, 0)].setaside_share == 0.05);
    CHECK(p.buyer[buyer_of(p, 0, 0)].setaside_share == 0);
    CHECK(p.g.start_month == month_index(2020, 3));
    CHECK(find_param("zwolle.population")->get(p) == 126000);
}

TEST_CASE("params: closest_param suggests the nearest known key", "[params]") {
    CHECK(closest_param("zwole.population") == "zwolle.population");
    CHECK(closest_param("month") == "months");
    CHECK(closest_param("haarlem.municipalty.setaside_share") ==
          "haarlem.municipality.setaside_share");
    CHECK(closest_param("months") == "months");
    CHECK(find_param(closest_param("completely unrelated")) != nullptr);
}

TEST_CASE("params: format_param_value writes each type as a scenario file would", "[params]") {
    CHECK(format_param_value(*find_param("start_month")->def, month_index(2019, 1)) == "2019-01");
    CHECK(format_param_value(*find_param("months")->def, 240) == "240");
    CHECK(format_param_value(*find_param("se_share_facility")->def, 0.35) == "0.35");
    CHECK(format_param_value(*find_param("scaled_revenue")->def, 1.0e6) == "1000000");
    CHECK(format_param_value(*find_param("scaled_revenue")->def, 1.0e13) == "1e+13");
    const ParamDef flag = synthetic(ParamType::flag, 0, 0, 1, "");
    CHECK(format_param_value(flag, 1) == "true");
    CHECK(format_param_value(flag, 0) == "false");
}

TEST_CASE("params: format and parse round-trip every parameter's default, min and max",
          "[params]") {
    for (const ParamDef& d : param_defs()) {
        for (const double v : {d.def, d.min, d.max}) {
            const std::string text = format_param_value(d, v);
            INFO(d.name << " = " << text);
            std::string error;
            const auto back = parse_param_value(d, text, error);
            REQUIRE(back.has_value());
            CHECK(*back == v);
            CHECK(error.empty());
        }
    }
}

TEST_CASE("params: format and parse round-trip every type", "[params]") {
    const ParamDef real = synthetic(ParamType::real, 0.5, -10, 10, "ratio");
    const ParamDef integer = synthetic(ParamType::integer, 3, -100, 100, "items");
    const ParamDef month = synthetic(ParamType::month, month_index(2019, 1), month_index(1990, 1),
                                     month_index(2100, 12), "month");
    const ParamDef flag = synthetic(ParamType::flag, 0, 0, 1, "");
    const std::pair<const ParamDef*, std::vector<double>> cases[] = {
        {&real, {0.1, -3.25, 1.0 / 3.0, 9.999999999, 0}},
        {&integer, {-100, -1, 0, 42, 100}},
        {&month, {month_index(1990, 1), month_index(2019, 12), month_index(2100, 12)}},
        {&flag, {0, 1}},
    };
    for (const auto& [def, values] : cases) {
        for (const double v : values) {
            const std::string text = format_param_value(*def, v);
            INFO(type_name(def->type) << ": " << text);
            std::string error;
            const auto back = parse_param_value(*def, text, error);
            REQUIRE(back.has_value());
            CHECK(*back == v);
        }
    }
}

TEST_CASE("params: parse_param_value accepts the spellings of each type", "[params]") {
    std::string error;
    CHECK(parse_param_value(*find_param("months")->def, "120", error) == 120.0);
    CHECK(parse_param_value(*find_param("months")->def, "1.2e2", error) == 120.0);
    CHECK(parse_param_value(*find_param("se_share_facility")->def, "0.5", error) == 0.5);
    CHECK(parse_param_value(*find_param("start_month")->def, "2020-03", error) ==
          static_cast<double>(month_index(2020, 3)));
    const ParamDef flag = synthetic(ParamType::flag, 0, 0, 1, "");
    for (const char* t : {"true", "1", "yes", "on"})
        CHECK(parse_param_value(flag, t, error) == 1.0);
    for (const char* t : {"false", "0", "no", "off"})
        CHECK(parse_param_value(flag, t, error) == 0.0);
}

TEST_CASE("params: parse_param_value explains wrong types and ranges with the unit", "[params]") {
    const ParamDef& months = *find_param("months")->def;
    CHECK_THAT(parse_error(months, "0"),
               Catch::Contains("'0' is out of range") && Catch::Contains("1 to 1200 months"));
    CHECK_THAT(parse_error(months, "1201"), Catch::Contains("1 to 1200 months"));
    CHECK_THAT(parse_error(months, "12.5"),
               Catch::Contains("not a whole number") && Catch::Contains("1 to 1200 months"));
    CHECK_THAT(parse_error(months, "abc"), Catch::Contains("'abc'") && Catch::Contains("integer"));
    CHECK_THAT(parse_error(months, "12 months"), Catch::Contains("'12 months'"));

    const ParamDef& share = *find_param("se_share_facility")->def;
    CHECK_THAT(parse_error(share, "1.5"), Catch::Contains("0 to 1 share"));
    CHECK_THAT(parse_error(share, "nan"), Catch::Contains("not a number"));
    CHECK_THAT(parse_error(share, "inf"), Catch::Contains("not a number"));

    const ParamDef& start = *find_param("start_month")->def;
    CHECK_THAT(parse_error(start, "2019-13"),
               Catch::Contains("not a month") && Catch::Contains("1990-01 to 2100-12"));
    CHECK_THAT(parse_error(start, "2019"), Catch::Contains("not a month"));
    CHECK_THAT(parse_error(start, "1980-01"), Catch::Contains("out of range"));

    const ParamDef flag = synthetic(ParamType::flag, 0, 0, 1, "");
    CHECK_THAT(parse_error(flag, "maybe"), Catch::Contains("not true or false"));
}

TEST_CASE("params: range_text and type_name describe a parameter for messages", "[params]") {
    CHECK(range_text(*find_param("zwolle.population")->def) == "100 to 20000000 persons");
    CHECK(range_text(synthetic(ParamType::flag, 0, 0, 1, "")) == "true or false");
    CHECK(type_name(ParamType::real) == "number");
    CHECK(type_name(ParamType::integer) == "integer");
    CHECK(type_name(ParamType::flag) == "true/false");
    CHECK(type_name(ParamType::month) == "month (YYYY-MM)");
}
