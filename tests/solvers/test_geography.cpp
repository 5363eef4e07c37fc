// Geography as data (issue 10): tables read with their errors named by file, line and column;
// results that do not depend on the row order of a table; regions that are independent unless
// a buyer or a link joins them; per-region outputs that add up to the totals; selectors.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "model/errors.hpp"
#include "model/model.hpp"
#include "output/geography_file.hpp"
#include "solvers/scenario_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace sesim;
using Catch::Matchers::Contains;

namespace {

// Three regions: two of province "west" sharing a province buyer, one of "east" alone.
const char* kRegions =
    "# three regions\n"
    "code,key,name,province,population,smes,initial_ses\n"
    "R01,alpha,Alpha,west,120000,9000,40\n"
    "R02,beta,Beta,west,80000,6000,25\n"
    "R03,gamma,Gamma,east,100000,8000,35\n";
const char* kBuyers =
    "key,kind,name,serves,budget,adoption\n"
    "alpha.municipality,municipality,Alpha,alpha,20000000,0.8\n"
    "beta.municipality,municipality,Beta,beta,15000000,0.8\n"
    "gamma.municipality,municipality,Gamma,gamma,18000000,0.8\n"
    "west,province,West,province:west,12000000,0.3\n"
    "gamma.water,water_board,Water board,gamma,3000000,0.2\n";
const char* kLinks = "from,to,weight\nalpha,beta,1\nbeta,gamma,0.5\n";

GeographyPtr geo_of(const std::string& regions, const std::string& buyers,
                    const std::string& links) {
    return parse_geography({regions, "regions.csv", buyers, buyers.empty() ? "" : "buyers.csv",
                            links, links.empty() ? "" : "links.csv"});
}

// The table with its data rows (after the header) in a shuffled order.
std::string shuffled(const std::string& table, unsigned seed) {
    std::istringstream in(table);
    std::vector<std::string> head, rows;
    std::string line;
    bool header_seen = false;
    while (std::getline(in, line)) {
        if (!header_seen) {
            head.push_back(line);
            header_seen = !line.starts_with("#");
            continue;
        }
        rows.push_back(line);
    }
    std::mt19937 g(seed);  // a fixed permutation, not a model draw
    std::shuffle(rows.begin(), rows.end(), g);
    std::string out;
    for (const auto& l : head) out += l + "\n";
    for (const auto& l : rows) out += l + "\n";
    return out;
}

Params params_of(const GeographyPtr& geo, int months = 36) {
    Params p(geo);
    p.g.months = months;
    return p;
}

// The series of region `key` of a run, all outputs.
std::vector<double> region_series(const RunSeries& s, const Params& p, const std::string& key) {
    const int r = p.geo->find_region(key);
    std::vector<double> out;
    for (int o = 0; o < kOutputs; ++o)
        out.insert(out.end(), s.region_series(o, r), s.region_series(o, r) + s.months);
    return out;
}

std::string load_error(const std::filesystem::path& scenario) {
    try {
        load_scenario(scenario);
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("geography: tables are read and canonicalised", "[geography]") {
    const GeographyPtr g = geo_of(kRegions, kBuyers, kLinks);
    REQUIRE(g->region_count() == 3);
    CHECK(g->regions()[0].code == "R01");
    CHECK(g->buyer_count() == 5);
    CHECK(g->find_kind("water_board") == 4);  // declared after the four built-in kinds
    // The province buyer serves both regions of its province.
    const Buyer& west = g->buyers()[static_cast<std::size_t>(g->find_buyer("west"))];
    CHECK(west.serves == std::vector<int>{g->find_region("alpha"), g->find_region("beta")});
    // Neighbour weights are normalised over a region's links: beta has 1 and 0.5.
    const auto& nb = g->neighbours(g->find_region("beta"));
    REQUIRE(nb.size() == 2);
    CHECK(nb[0].second + nb[1].second == Approx(1.0).epsilon(1e-15));
    // Table values become the parameters of Params(geo).
    const Params p(g);
    CHECK(p.region[static_cast<std::size_t>(g->find_region("beta"))].population == 80000);
    CHECK(p.buyer[static_cast<std::size_t>(g->find_buyer("west"))].budget == 12e6);
}

TEST_CASE("geography: the row order of the tables changes nothing", "[geography]") {
    const Params a = params_of(geo_of(kRegions, kBuyers, kLinks));
    const RunSeries ra = simulate(a, 11, 0);
    for (unsigned seed = 1; seed <= 3; ++seed) {
        const Params b = params_of(geo_of(shuffled(kRegions, seed), shuffled(kBuyers, seed + 10),
                                          shuffled(kLinks, seed + 20)));
        const RunSeries rb = simulate(b, 11, 0);
        CHECK(rb.values == ra.values);
        for (const char* key : {"alpha", "beta", "gamma"})
            CHECK(region_series(rb, b, key) == region_series(ra, a, key));
    }
}

TEST_CASE("geography: per-region flows and counts add up to the totals", "[geography]") {
    const Params p = params_of(geo_of(kRegions, kBuyers, kLinks), 48);
    const RunSeries s = simulate(p, 5, 1);
    // Additive outputs (counts, FTE, EUR); shares and means are not sums.
    for (const char* name :
         {"se_active", "se_entries", "se_exits", "jobs_total", "jobs_target_group",
          "revenue_government", "revenue_total", "public_spend_se", "public_spend_total",
          "tenders_published", "tenders_won_se", "partnerships_active", "bids_se", "programme_cost",
          "social_value", "se_micro", "cohort_1y_founded"}) {
        const auto it = std::find_if(kOutputDefs.begin(), kOutputDefs.end(),
                                     [&](const OutputDef& d) { return d.name == name; });
        REQUIRE(it != kOutputDefs.end());
        const int o = static_cast<int>(it - kOutputDefs.begin());
        for (int t = 0; t < s.months; ++t) {
            double sum = 0;
            for (int r = 0; r < s.regions; ++r) sum += s.region_series(o, r)[t];
            INFO(name << " month " << t);
            // Each region's value is a float (relative rounding 2^-24 = 6e-8); the sum of R
            // of them is within R x 6e-8 of the total, relative to the largest.
            CHECK(sum == Approx(s.series(o)[t]).epsilon(s.regions * 6e-8).margin(1e-6));
        }
    }
}

TEST_CASE("geography: a region joined to no other by buyer or link is independent", "[geography]") {
    // gamma shares no buyer with alpha and beta; without links nothing passes between them.
    const GeographyPtr g = geo_of(kRegions, kBuyers, "");
    Params base = params_of(g);
    Params lever = base;
    const auto alpha = static_cast<std::size_t>(g->find_region("alpha"));
    lever.region[alpha].meeting_place_budget = 20000;
    lever.buyer[static_cast<std::size_t>(g->find_buyer("west"))].setaside_share = 0.1;
    const RunSeries a = simulate(base, 3, 0);
    const RunSeries b = simulate(lever, 3, 0);
    CHECK(region_series(b, lever, "gamma") == region_series(a, base, "gamma"));
    CHECK(region_series(b, lever, "alpha") != region_series(a, base, "alpha"));
}

TEST_CASE("geography: selectors set groups of regions and buyers", "[geography]") {
    const GeographyPtr g = geo_of(kRegions, kBuyers, kLinks);
    std::string error;
    CHECK(select_params(*g, "all.community", error).size() == 3);
    CHECK(select_params(*g, "west.community", error).size() == 2);
    CHECK(select_params(*g, "municipality.setaside_share", error).size() == 3);
    CHECK(select_params(*g, "all.municipality.setaside_share", error).size() == 3);
    CHECK(select_params(*g, "west.municipality.setaside_share", error).size() == 2);
    CHECK(select_params(*g, "west.setaside_share", error).size() == 1);  // the province buyer
    CHECK(select_params(*g, "water_board.budget", error).size() == 1);
    CHECK(select_params(*g, "all.budget", error).size() == 5);
    CHECK(select_params(*g, "alpha.population", error).size() == 1);
    CHECK(select_params(*g, "delta.population", error).empty());
    CHECK_THAT(error, Contains("unknown parameter 'delta.population'"));
    CHECK(select_params(*g, "east.setaside_share", error).empty());
    CHECK_THAT(error, Contains("east is a province"));
}

TEST_CASE("geography: a scenario names its tables and uses selectors in order", "[geography]") {
    test::TempDir t("sesim-geo");
    t.write("r.csv", kRegions);
    t.write("b.csv", kBuyers);
    t.write("l.csv", kLinks);
    const auto file = t.write("s.ini",
                              "regions = r.csv\nbuyers = b.csv\nlinks = l.csv\nmonths = 12\n"
                              "municipality.setaside_share = 0.05\n"
                              "[beta.municipality]\nsetaside_share = 0.1\n");
    const Scenario sc = load_scenario(file);
    const Geography& g = *sc.params.geo;
    CHECK(sc.params.buyer[static_cast<std::size_t>(g.find_buyer("alpha.municipality"))]
              .setaside_share == 0.05);
    CHECK(sc.params.buyer[static_cast<std::size_t>(g.find_buyer("beta.municipality"))]
              .setaside_share == 0.1);
    CHECK(sc.params.buyer[static_cast<std::size_t>(g.find_buyer("west"))].setaside_share == 0);
    CHECK(sc.regions.text == kRegions);
    // --set selects too.
    const Scenario s2 = load_scenario(file, {"all.community=0.7"});
    for (const RegionParams& r : s2.params.region) CHECK(r.community == 0.7);
}

TEST_CASE("geography: a byte-order mark and Windows line ends are accepted", "[geography]") {
    std::string crlf;
    for (const char c : std::string(kRegions))
        crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
    const GeographyPtr a = geo_of(kRegions, kBuyers, kLinks);
    const GeographyPtr b = geo_of("\xEF\xBB\xBF" + crlf, kBuyers, kLinks);
    REQUIRE(b->region_count() == 3);
    CHECK(Params(b).region[1].population == Params(a).region[1].population);
    CHECK(b->regions()[2].name == "Gamma");
}

TEST_CASE("geography: bad tables name file, line and column", "[geography]") {
    const auto error_of = [](const std::string& regions, const std::string& buyers,
                             const std::string& links) {
        try {
            geo_of(regions, buyers, links);
        } catch (const InputError& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    const std::string header = "code,key,name,province,population,smes,initial_ses\n";
    // Duplicate code, at its line and column.
    CHECK_THAT(error_of(header + "R1,a,A,p,1000,10,1\nR1,b,B,p,1000,10,1\n", "", ""),
               Contains("regions.csv:3:1: region code 'R1' is given twice (lines 2 and 3)"));
    // A negative value, a value out of range, a wrong type: the parameter's range and unit.
    CHECK_THAT(error_of(header + "R1,a,A,p,-5,10,1\n", "", ""),
               Contains("regions.csv:2:10: bad value for population") &&
                   Contains("100 to 20000000 persons"));
    CHECK_THAT(error_of(header + "R1,a,A,p,many,10,1\n", "", ""),
               Contains("regions.csv:2:10") && Contains("is not an integer"));
    // Missing required value, empty table, ragged row, unknown column.
    CHECK_THAT(error_of(header + ",a,A,p,1000,10,1\n", "", ""),
               Contains("regions.csv:2:1: the region has no code"));
    CHECK_THAT(error_of("", "", ""), Contains("regions.csv: the regions table is empty"));
    CHECK_THAT(error_of(header, "", ""), Contains("has a header but no rows"));
    CHECK_THAT(error_of(header + "R1,a,A,p,1000,10\n", "", ""),
               Contains("regions.csv:2: the row has 6 fields, the header 7"));
    CHECK_THAT(error_of("code,key,populaton\nR1,a,1000\n", "", ""),
               Contains("regions.csv:1:10: column 'populaton' is not a region parameter") &&
                   Contains("did you mean 'population'"));
    CHECK_THAT(error_of("code,key\nR1,A\n", "", ""), Contains("region key 'A' must be lower-case"));
    // A buyer serving a region that does not exist, or an unknown province.
    const std::string regions = header + "R1,a,A,p,1000,10,1\n";
    CHECK_THAT(error_of(regions, "key,kind,serves\nx,school,b\n", ""),
               Contains("buyers.csv:2:10: buyer 'x' serves 'b', which is not a region key"));
    CHECK_THAT(
        error_of(regions, "key,kind,serves\nx,school,province:q\n", ""),
        Contains("buyers.csv:2:10") && Contains("no region of regions.csv has province 'q'"));
    CHECK_THAT(error_of(regions, "key,kind,serves\nx,school,a\nx,school,a\n", ""),
               Contains("buyers.csv:3:1: buyer key 'x' is given twice"));
    CHECK_THAT(error_of(regions, "key,kind,serves,budget\nx,school,a,-1\n", ""),
               Contains("buyers.csv:2:12: bad value for budget"));
    // Links to an unknown region, negative weights, duplicates.
    const std::string two = header + "R1,a,A,p,1000,10,1\nR2,b,B,p,1000,10,1\n";
    CHECK_THAT(error_of(two, "", "from,to,weight\na,c,1\n"),
               Contains("links.csv:2:3: 'c' is not a region key"));
    CHECK_THAT(error_of(two, "", "from,to,weight\na,b,-1\n"),
               Contains("links.csv:2:5: weight '-1' is not a number of at least 0"));
    CHECK_THAT(error_of(two, "", "from,to,weight\na,b,1\nb,a,2\n"),
               Contains("links.csv:3: the link b - a is given twice"));
}

TEST_CASE("geography: a scenario's bad table reference or key is a clear error", "[geography]") {
    test::TempDir t("sesim-geo");
    t.write("r.csv", kRegions);
    CHECK_THAT(load_error(t.write("a.ini", "regions = missing.csv\n")),
               Contains("a.ini:1: regions table 'missing.csv'") && Contains("no such file"));
    CHECK_THAT(load_error(t.write("b.ini", "regions = r.csv\nzwolle.population = 5000\n")),
               Contains("b.ini:2: unknown parameter 'zwolle.population'"));
    CHECK_THAT(load_error(t.write("c.ini", "buyers = r.csv\n")),
               Contains("names a buyers or links table but no regions table"));
}
