// Sweep files and designs: every error a bad sweep file can get (named by file and line, as
// for scenario files), the canonical definition, and the properties each design promises:
// the grid's coarse-to-fine order, the Latin hypercube's strata, the Saltelli structure.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "model/errors.hpp"
#include "model/params.hpp"
#include "solvers/sweep.hpp"
#include "tests/support/default_geography.hpp"

using namespace sesim;
namespace fs = std::filesystem;
using Catch::Contains;

namespace {

class TempDir {
  public:
    TempDir() {
        std::random_device rd;
        dir_ = fs::temp_directory_path() /
               ("sesim_test_sweep_" + std::to_string(rd()) + std::to_string(rd()));
        fs::create_directories(dir_);
        write("base.ini", "name = base\nmonths = 12\n");
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(dir_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    fs::path write(const std::string& name, const std::string& text) const {
        const fs::path p = dir_ / name;
        std::ofstream(p, std::ios::binary) << text;
        return p;
    }

  private:
    fs::path dir_;
};

template <class F>
std::string input_error(F&& f) {
    try {
        f();
    } catch (const InputError& e) {
        return e.what();
    }
    FAIL("no InputError");
    return "";
}

// A sweep file with `head` lines before [vary] and `vary` lines after it.
std::string sweep_text(const std::string& head, const std::string& vary) {
    return "base = base.ini\n" + head + "\n[vary]\n" + vary;
}

Sweep load(const TempDir& d, const std::string& head, const std::string& vary) {
    return load_sweep(d.write("s.ini", sweep_text(head, vary)));
}

std::string load_error(const TempDir& d, const std::string& head, const std::string& vary) {
    return input_error([&] { load(d, head, vary); });
}

std::vector<double> values_at(const Sweep& s, std::int64_t point) {
    std::vector<double> v(s.vary.size());
    s.point_values(point, v.data());
    return v;
}

}  // namespace

TEST_CASE("Sweep file: a valid file and its definition", "[sweep]") {
    TempDir d;
    const Sweep s = load(d,
                         "name = demo\ndescription = a demo\ndesign = lhs\nsamples = 10\n"
                         "replicates = 3\nseed = 5\noutputs = se_active, jobs_total\n"
                         "keep = 2019-06, 2019-12\n[set]\nzwolle.population = 130000\n",
                         "zwolle.brokerage_budget = 0.5 to 8 log\n"
                         "haarlem.municipality.setaside_share = 0, 0.1, 0.2\n"
                         "zwolle.accelerator_size = 1 to 5\n");
    CHECK(s.name == "demo");
    CHECK(s.description == "a demo");
    CHECK(s.design == Design::lhs);
    CHECK(s.points() == 10);
    CHECK(s.runs() == 30);
    CHECK(s.base.g.months == 12);
    CHECK(s.base.region[0].population == 130000);
    CHECK(s.outputs.size() == 2);
    CHECK(s.time_months() == std::vector<int>{month_index(2019, 6), month_index(2019, 12)});
    REQUIRE(s.vary.size() == 3);
    CHECK(s.vary[0].spec() == "0.5 to 8 log");
    CHECK(s.vary[1].spec() == "0, 0.1, 0.2");
    CHECK(s.files.size() == 2);

    // Replicates of a point are adjacent runs.
    CHECK(s.point_of_run(7) == 2);
    CHECK(s.replicate_of_run(7) == 1);

    // The canonical definition reads back to the same sweep, and is what the hash names.
    const std::string def = s.definition();
    CHECK_THAT(def, Contains("base.zwolle.population = 130000\n"));
    CHECK_THAT(def, Contains("vary.zwolle.brokerage_budget = 0.5 to 8 log\n"));
    CHECK_THAT(def, Contains("keep = 2019-06, 2019-12\n"));
    const Sweep back = parse_sweep_definition(def, "stored");
    CHECK(back.definition() == def);
    CHECK(back.hash() == s.hash());
    for (std::int64_t p = 0; p < s.points(); ++p) CHECK(values_at(back, p) == values_at(s, p));

    // Comments and the description are not part of the definition; values are.
    const Sweep same = load(d,
                            "# a comment\nname = demo\ndescription = other words\ndesign = lhs\n"
                            "samples = 10\nreplicates = 3\nseed = 5\n"
                            "outputs = se_active, jobs_total\nkeep = 2019-06, 2019-12\n[set]\n"
                            "zwolle.population = 130000\n",
                            "zwolle.brokerage_budget = 0.5 to 8 log\n"
                            "haarlem.municipality.setaside_share = 0, 0.1, 0.2\n"
                            "zwolle.accelerator_size = 1 to 5\n");
    CHECK(same.hash() == s.hash());
    const Sweep other = load(d,
                             "name = demo\ndesign = lhs\nsamples = 10\nreplicates = 3\nseed = 6\n"
                             "outputs = se_active, jobs_total\nkeep = 2019-06, 2019-12\n[set]\n"
                             "zwolle.population = 130000\n",
                             "zwolle.brokerage_budget = 0.5 to 8 log\n"
                             "haarlem.municipality.setaside_share = 0, 0.1, 0.2\n"
                             "zwolle.accelerator_size = 1 to 5\n");
    CHECK(other.hash() != s.hash());
}

TEST_CASE("Sweep file: errors name the file and line and say what to do", "[sweep]") {
    TempDir d;
    const std::string lhs = "design = lhs\nsamples = 4";
    const std::string ok_vary = "zwolle.brokerage_budget = 0 to 4\n";

    CHECK_THAT(load_error(d, lhs, "zwolle.brokerage_budgte = 0 to 4\n"),
               Contains("s.ini:5: unknown parameter 'zwolle.brokerage_budgte'; did you mean "
                        "'zwolle.brokerage_budget'?"));
    CHECK_THAT(load_error(d, lhs + "\n[set]\nzwolle.populaton = 3\n", ok_vary),
               Contains("s.ini:5: unknown parameter 'zwolle.populaton'"));
    CHECK_THAT(load_error(d, lhs, "zwolle.brokerage_budget = 2 to 2\n"),
               Contains("s.ini:5: 'zwolle.brokerage_budget': the range '2 to 2' is empty"));
    CHECK_THAT(load_error(d, lhs, "zwolle.brokerage_budget = 4 to 0\n"),
               Contains("runs backwards; write it as '0 to 4'"));
    CHECK_THAT(load_error(d, lhs, "zwolle.brokerage_budget = 0 to 4 log\n"),
               Contains("a log range needs a lower end above 0"));
    CHECK_THAT(load_error(d, lhs, "zwolle.brokerage_budget = 0 to 2e8\n"),
               Contains("bad value for 'zwolle.brokerage_budget': '2e8' is out of range"));
    CHECK_THAT(load_error(d, lhs, "zwolle.brokerage_budget = 3\n"),
               Contains("is neither a range 'LOW to HIGH'"));
    CHECK_THAT(load_error(d, lhs, "zwolle.brokerage_budget = 1, 2, 1\n"),
               Contains("holds '1' twice"));
    CHECK_THAT(load_error(d, lhs, "zwolle.brokerage_budget = 1, , 2\n"), Contains("empty item"));
    CHECK_THAT(load_error(d, lhs, "months = 12 to 24\n"), Contains("cannot be varied"));
    CHECK_THAT(load_error(d, lhs + "\n[set]\nzwolle.brokerage_budget = 1\n", ok_vary),
               Contains("is both fixed under [set] (line 5) and varied here"));
    CHECK_THAT(load_error(d, lhs + "\ndesgn = grid", ok_vary),
               Contains("s.ini:4: unknown key 'desgn' in a sweep file; did you mean 'design'?"));
    CHECK_THAT(load_error(d, lhs + "\nzwolle.population = 3", ok_vary),
               Contains("parameters go under [set] (fixed for every run) or [vary] (swept)"));
    CHECK_THAT(load_error(d, "samples = 4", ok_vary), Contains("no design; add 'design = lhs'"));
    CHECK_THAT(load_error(d, "design = random\nsamples = 4", ok_vary),
               Contains("s.ini:2: unknown design 'random'; expected grid, lhs, sobol or morris"));
    CHECK_THAT(load_error(d, lhs, ""), Contains("nothing varies"));
    CHECK_THAT(load_error(d, "design = lhs", ok_vary), Contains("needs 'samples = N'"));
    CHECK_THAT(load_error(d, lhs + "\nlevels = 3", ok_vary),
               Contains("'levels' belongs to a grid design"));
    CHECK_THAT(load_error(d, "design = grid", ok_vary), Contains("needs 'levels = N'"));
    CHECK_THAT(load_error(d, "design = grid\nlevels = 3\nsamples = 4", ok_vary),
               Contains("a grid has no 'samples'"));
    CHECK_THAT(load_error(d, "design = grid\nlevels = 3", "zwolle.brokerage_budget = 1, 2\n"),
               Contains("every varied parameter here is a list"));
    CHECK_THAT(load_error(d, "design = grid\nlevels = 9", "zwolle.accelerator_size = 1 to 4\n"),
               Contains("9 levels do not fit in the whole numbers"));
    CHECK_THAT(load_error(d, lhs + "\noutputs = se_active, jobs", ok_vary),
               Contains("unknown output 'jobs'; did you mean"));
    CHECK_THAT(load_error(d, lhs + "\nkeep = 2021-01", ok_vary),
               Contains("month 2021-01 is outside the simulated months 2019-01 to 2019-12"));
    CHECK_THAT(load_error(d, lhs + "\nkeep = 2019-05, 2019-02", ok_vary),
               Contains("once each, in order"));
    CHECK_THAT(load_error(d, lhs + "\nreplicates = 0", ok_vary),
               Contains("expected a whole number from 1 to 1000000"));
    CHECK_THAT(load_error(d, lhs, "mission_labour_share = 0.9, 0.95\n"),
               Contains(") has inconsistent parameters: mission_labour_share + "
                        "mission_circular_share add up to"));
    CHECK_THAT(input_error([&] { load_sweep(d.write("none.ini", "")); }), Contains("is empty"));
    CHECK_THAT(input_error([&] { load_sweep(d.write("b.ini", "base = missing.ini\n")); }),
               Contains("b.ini:1: base 'missing.ini'"));

    // Too few Sobol' samples: A and B agree in a column (here the 2nd of 5 at N = 4).
    CHECK_THAT(load_error(d, "design = sobol\nsamples = 4",
                          "zwolle.brokerage_budget = 0 to 4\nhaarlem.brokerage_budget = 0 to 4\n"
                          "partner_hazard = 0.001 to 0.004\nzwolle.community = 0 to 1\n"
                          "haarlem.community = 0 to 1\n"),
               Contains("s.ini:3: with 4 samples, matrices A and B of the Saltelli scheme take "
                        "equal values for 'haarlem.brokerage_budget'"));

    // A Saltelli design needs two Sobol' dimensions per parameter: at most 64 parameters.
    std::string many;
    int n = 0;
    for (const ParamKey& k : param_keys()) {
        if (k.def->type != ParamType::real || k.def->min >= k.def->max || n == 65) continue;
        if (k.name.find("share") != std::string::npos) continue;  // keeps the sums consistent
        many += k.name + " = " + format_param_value(*k.def, k.def->min) + " to " +
                format_param_value(*k.def, k.def->max) + "\n";
        ++n;
    }
    REQUIRE(n == 65);
    CHECK_THAT(load_error(d, "design = sobol\nsamples = 4", many),
               Contains("a sobol design takes at most 64 parameters"));
}

TEST_CASE("Grid: every point once, corners first, then the coarse grid", "[sweep]") {
    TempDir d;
    const Sweep s = load(d, "design = grid\nlevels = 5",
                         "zwolle.brokerage_budget = 0 to 4\nhaarlem.brokerage_budget = 0 to 8\n"
                         "partner_max = 1, 2, 3\n");
    REQUIRE(s.points() == 75);
    std::set<std::vector<double>> seen;
    std::vector<std::vector<double>> order;
    for (std::int64_t p = 0; p < s.points(); ++p) {
        order.push_back(values_at(s, p));
        seen.insert(order.back());
    }
    CHECK(seen.size() == 75);
    // The first 8 points: the corners of the box (lists take their first and last value,
    // here 1 and 3 of 1, 2, 3).
    std::set<std::vector<double>> corners(order.begin(), order.begin() + 8);
    for (double a : {0.0, 4.0})
        for (double b : {0.0, 8.0})
            for (double c : {1.0, 3.0}) CHECK(corners.count({a, b, c}) == 1);
    // The first 27: ends and midpoints of every dimension.
    std::set<std::vector<double>> coarse(order.begin(), order.begin() + 27);
    for (double a : {0.0, 2.0, 4.0})
        for (double b : {0.0, 4.0, 8.0})
            for (double c : {1.0, 2.0, 3.0}) CHECK(coarse.count({a, b, c}) == 1);

    // Four values: still the two ends first, then the inner values.
    const Sweep four = load(d, "design = grid",
                            "zwolle.brokerage_budget = 0, 1, 2, 4\n"
                            "zwolle.municipality.setaside_share = 0, 0.1, 0.2, 0.3\n");
    std::set<std::vector<double>> four_corners;
    for (std::int64_t p = 0; p < 4; ++p) four_corners.insert(values_at(four, p));
    CHECK(four_corners == std::set<std::vector<double>>{{0, 0}, {0, 0.3}, {4, 0}, {4, 0.3}});
    std::set<std::vector<double>> all_four;
    for (std::int64_t p = 0; p < 16; ++p) all_four.insert(values_at(four, p));
    CHECK(all_four.size() == 16);
    // Without the cached values (a hand-made Sweep), the same points.
    Sweep bare = four;
    bare.grid_values.clear();
    for (std::int64_t p = 0; p < 16; ++p) CHECK(values_at(bare, p) == values_at(four, p));

    // Any level counts: a permutation of the grid, the four corners first.
    for (int a = 2; a <= 9; ++a)
        for (int b = 2; b <= 9; b += 3) {
            std::string la, lb;
            for (int i = 0; i < a; ++i) la += (i ? ", " : "") + std::to_string(i + 1);
            for (int i = 0; i < b; ++i) lb += (i ? ", " : "") + std::to_string(i * 5);
            const Sweep g =
                load(d, "design = grid",
                     "partner_max = " + la + "\nzwolle.brokerage_budget = " + lb + "\n");
            std::set<std::vector<double>> pts, first4;
            for (std::int64_t p = 0; p < g.points(); ++p) pts.insert(values_at(g, p));
            for (std::int64_t p = 0; p < 4; ++p) first4.insert(values_at(g, p));
            INFO(a << " x " << b << " levels");
            CHECK(static_cast<std::int64_t>(pts.size()) == a * b);
            CHECK(first4 ==
                  std::set<std::vector<double>>{
                      {1, 0}, {1, (b - 1) * 5.0}, {a * 1.0, 0}, {a * 1.0, (b - 1) * 5.0}});
        }

    // Log levels: evenly spaced in log, ends exact.
    const Sweep g =
        load(d, "design = grid\nlevels = 3", "zwolle.brokerage_budget = 0.5 to 8 log\n");
    std::set<double> levels;
    for (std::int64_t p = 0; p < 3; ++p) levels.insert(values_at(g, p)[0]);
    CHECK(levels == std::set<double>{0.5, 2.0, 8.0});
}

TEST_CASE("Latin hypercube: one point per stratum in every dimension", "[sweep]") {
    TempDir d;
    const std::string vary =
        "zwolle.brokerage_budget = 0 to 5\npartner_hazard = 0.0005 to 0.008 log\n"
        "haarlem.municipality.setaside_share = 0 to 0.5\n";
    const Sweep s = load(d, "design = lhs\nsamples = 50\nseed = 11", vary);
    const Sweep again = load(d, "design = lhs\nsamples = 50\nseed = 11", vary);
    const Sweep other = load(d, "design = lhs\nsamples = 50\nseed = 12", vary);
    std::vector<std::set<int>> strata(3);
    bool differs = false;
    for (std::int64_t p = 0; p < 50; ++p) {
        const std::vector<double> v = values_at(s, p);
        CHECK(v == values_at(again, p));
        differs = differs || v != values_at(other, p);
        strata[0].insert(static_cast<int>(v[0] / 5.0 * 50));
        strata[1].insert(static_cast<int>(std::log(v[1] / 0.0005) / std::log(16.0) * 50));
        strata[2].insert(static_cast<int>(v[2] / 0.5 * 50));
    }
    for (const auto& st : strata) CHECK(st.size() == 50);
    CHECK(differs);

    // Whole numbers: equal cells over lo..hi, every value reachable, none outside.
    const Sweep w = load(d, "design = lhs\nsamples = 40", "zwolle.accelerator_size = 2 to 5\n");
    std::set<double> got;
    for (std::int64_t p = 0; p < 40; ++p) got.insert(values_at(w, p)[0]);
    CHECK(got == std::set<double>{2, 3, 4, 5});
}

TEST_CASE("Sobol design: the Saltelli blocks A, AB_1 .. AB_k, B", "[sweep]") {
    TempDir d;
    const Sweep s = load(d, "design = sobol\nsamples = 8",
                         "zwolle.brokerage_budget = 0 to 4\nhaarlem.brokerage_budget = 0 to 4\n"
                         "partner_hazard = 0.001 to 0.004\n");
    const int k = 3;
    REQUIRE(s.points() == 8 * (k + 2));
    std::set<double> a_first;
    for (std::int64_t n = 0; n < 8; ++n) {
        const std::vector<double> a = values_at(s, n * (k + 2));
        const std::vector<double> b = values_at(s, n * (k + 2) + k + 1);
        CHECK(s.saltelli_sample(n * (k + 2)) == n);
        CHECK(s.saltelli_matrix(n * (k + 2) + k + 1) == k + 1);
        for (int j = 0; j < k; ++j)
            CHECK(a[static_cast<std::size_t>(j)] != b[static_cast<std::size_t>(j)]);
        for (int i = 1; i <= k; ++i) {
            const std::vector<double> ab = values_at(s, n * (k + 2) + i);
            for (int j = 0; j < k; ++j)
                CHECK(ab[static_cast<std::size_t>(j)] ==
                      (j == i - 1 ? b : a)[static_cast<std::size_t>(j)]);
        }
        a_first.insert(a[0]);
    }
    // N = 8 base samples are Sobol' points 8..15: one in each eighth of every dimension.
    std::set<int> cells;
    for (double v : a_first) cells.insert(static_cast<int>(v / 4.0 * 8));
    CHECK(cells.size() == 8);
}

TEST_CASE("SweepParameter: values at unit coordinates", "[sweep]") {
    TempDir d;
    const Sweep s =
        load(d, "design = lhs\nsamples = 2",
             "zwolle.brokerage_budget = 1 to 16 log\nzwolle.accelerator_start = 2019-01 to "
             "2019-12\nzwolle.accelerator_size = 1 to 8 log\n");
    CHECK(s.vary[0].at_unit(0.0) == 1.0);
    CHECK(s.vary[0].at_unit(0.5) == Approx(4.0));
    CHECK(s.vary[1].at_unit(0.0) == month_index(2019, 1));
    CHECK(s.vary[1].at_unit(0.999) == month_index(2019, 12));
    CHECK(s.vary[1].at_unit(0.5) == month_index(2019, 7));
    CHECK(s.vary[2].at_unit(0.0) == 1);
    CHECK(s.vary[2].at_unit(0.999) == 8);
    CHECK(design_month_value(month_index(2020, 3)) == 14);
}

TEST_CASE("Morris design in a sweep file: trajectories, definition, errors", "[sweep]") {
    TempDir d;
    const std::string vary =
        "zwolle.brokerage_budget = 0 to 28000\npartner_hazard = 0.0005 to 0.008 log\n"
        "zwolle.accelerator_size = 1 to 5\n";
    const Sweep s = load(d, "design = morris\ntrajectories = 6\ncandidates = 20\nseed = 3", vary);
    CHECK(s.design == Design::morris);
    CHECK(s.levels == 4);  // the default
    CHECK(s.points() == 6 * 4);
    // Each trajectory changes one parameter at a time, each once; the design rows follow.
    for (int t = 0; t < 6; ++t) {
        std::set<int> changed;
        CHECK(s.morris_factor(t * 4) == -1);
        for (int step = 1; step <= 3; ++step) {
            const std::int64_t p = t * 4 + step;
            const int f = s.morris_factor(p);
            changed.insert(f);
            CHECK(std::abs(s.morris_step(p)) == Approx(2.0 / 3));
            const auto before = values_at(s, p - 1), after = values_at(s, p);
            for (int j = 0; j < 3; ++j)
                if (j != f) CHECK(before[j] == after[j]);
            CHECK(before[f] != after[f]);
            // The step's sign is the direction of the change.
            CHECK((after[f] > before[f]) == (s.morris_step(p) > 0));
        }
        CHECK(changed.size() == 3);
    }
    // Levels of a range: the brokerage budget on the grid 0, 28000/3, 56000/3, 28000.
    std::set<double> levels;
    for (std::int64_t p = 0; p < s.points(); ++p) levels.insert(values_at(s, p)[0]);
    for (double v : levels) CHECK(std::abs(v * 3 / 28000 - std::round(v * 3 / 28000)) < 1e-12);

    const std::string def = s.definition();
    CHECK_THAT(def, Contains("design = morris\ntrajectories = 6\nlevels = 4\ncandidates = 20\n"));
    const Sweep back = parse_sweep_definition(def, "stored");
    CHECK(back.definition() == def);
    for (std::int64_t p = 0; p < s.points(); ++p) CHECK(values_at(back, p) == values_at(s, p));

    CHECK_THAT(load_error(d, "design = morris", vary), Contains("needs 'trajectories = r'"));
    CHECK_THAT(load_error(d, "design = morris\ntrajectories = 4\nsamples = 8", vary),
               Contains("a morris design has no 'samples'"));
    CHECK_THAT(load_error(d, "design = morris\ntrajectories = 4\nlevels = 5", vary),
               Contains("s.ini:4: a morris design needs an even number of levels"));
    CHECK_THAT(load_error(d, "design = morris\ntrajectories = 4\ncandidates = 2", vary),
               Contains("s.ini:4: 'candidates' = '2': expected a whole number from 4"));
    CHECK_THAT(load_error(d, "design = lhs\nsamples = 4\ntrajectories = 4", vary),
               Contains("s.ini:4: 'trajectories' belongs to a morris design"));
}

TEST_CASE("Paired sweep: the scenario and its baseline, the same varied values", "[sweep]") {
    TempDir d;
    d.write("policy.ini",
            "base = base.ini\nname = policy\n[zwolle.municipality]\nsetaside_share = 0.05\n");
    const std::string head =
        "design = lhs\nsamples = 4\nbaseline = base.ini\n[set]\n"
        "interest_rate = 0.05\n";
    const fs::path file = d.write(
        "p.ini", "base = policy.ini\n" + head + "[vary]\npartner_hazard = 0.001 to 0.004\n");
    const Sweep s = load_sweep(file);
    CHECK(s.paired);
    CHECK(s.variants() == 2);
    CHECK(s.base.buyer[buyer_of(s.base, 0, 0)].setaside_share == 0.05);
    CHECK(s.baseline.buyer[buyer_of(s.baseline, 0, 0)].setaside_share == 0);
    // [set] changes both.
    CHECK(s.base.g.interest_rate == 0.05);
    CHECK(s.baseline.g.interest_rate == 0.05);
    const auto v = values_at(s, 2);
    CHECK(s.params_at(v.data()).g.partner_hazard == v[0]);
    CHECK(s.baseline_at(v.data()).g.partner_hazard == v[0]);
    CHECK(s.baseline_at(v.data()).buyer[buyer_of(s.baseline, 0, 0)].setaside_share == 0);
    // The definition holds the baseline, and reads back.
    const std::string def = s.definition();
    CHECK_THAT(def, Contains("baseline.zwolle.municipality.setaside_share = 0\n"));
    CHECK_THAT(def, Contains("base.zwolle.municipality.setaside_share = 0.05\n"));
    const Sweep back = parse_sweep_definition(def, "stored");
    CHECK(back.paired);
    CHECK(back.definition() == def);
    // An unpaired sweep's definition has no baseline lines (old hashes stay valid).
    CHECK_THAT(
        load(d, "design = lhs\nsamples = 4", "partner_hazard = 0.001 to 0.004\n").definition(),
        !Contains("baseline."));

    auto error = [&](const std::string& text) {
        return input_error([&] { load_sweep(d.write("bad.ini", text)); });
    };
    CHECK_THAT(error("base = policy.ini\ndesign = lhs\nsamples = 4\nbaseline = nothere.ini\n"
                     "[vary]\npartner_hazard = 0.001 to 0.004\n"),
               Contains("bad.ini:4: baseline 'nothere.ini'"));
    CHECK_THAT(error("base = base.ini\ndesign = lhs\nsamples = 4\nbaseline = base.ini\n"
                     "[vary]\npartner_hazard = 0.001 to 0.004\n"),
               Contains("set every parameter alike"));
    CHECK_THAT(error("base = policy.ini\ndesign = lhs\nsamples = 4\nbaseline = base.ini\n"
                     "[vary]\nzwolle.municipality.setaside_share = 0 to 0.1\n"),
               Contains("bad.ini:6: 'zwolle.municipality.setaside_share' differs between the "
                        "scenario and its baseline"));
}

TEST_CASE("set_design: a design built in code, checked as values", "[sweep]") {
    TempDir d;
    // A file's sweep gives the varied parameters; the design is then set from values.
    Sweep s = load(d, "design = lhs\nsamples = 8", "zwolle.brokerage_budget = 0 to 5\n");
    const auto error = [&](const SweepDesign& design) -> std::pair<std::string, std::string> {
        Sweep copy = s;
        try {
            set_design(copy, design);
        } catch (const DesignError& e) {
            return {e.field(), e.what()};
        }
        FAIL("no DesignError");
        return {};
    };
    SweepDesign morris;
    morris.design = Design::morris;
    morris.trajectories = 6;
    set_design(s, morris);
    CHECK(s.design == Design::morris);
    CHECK(s.levels == 4);  // the default
    CHECK(s.points() == 6 * 2);
    CHECK(s.morris != nullptr);
    // The same design from a file gives the same definition.
    CHECK(s.definition() ==
          load(d, "design = morris\ntrajectories = 6", "zwolle.brokerage_budget = 0 to 5\n")
              .definition());

    morris.levels = 3;
    CHECK(error(morris).first == "levels");
    CHECK_THAT(error(morris).second, Contains("even number of levels"));
    morris.levels = 0;
    morris.trajectories = 0;
    CHECK_THAT(error(morris).second, Contains("needs 'trajectories = r'"));
    morris.trajectories = 6;
    morris.candidates = 3;
    CHECK(error(morris).first == "candidates");
    CHECK_THAT(error(morris).second, Contains("from 6 to 1000"));

    SweepDesign lhs;
    lhs.samples = 1;
    CHECK(error(lhs).first == "samples");
    lhs.samples = 10;
    lhs.levels = 3;
    CHECK_THAT(error(lhs).second, Contains("'levels' belongs to a grid design"));
    lhs.levels = 0;
    lhs.replicates = 0;
    CHECK(error(lhs).first == "replicates");
    lhs.replicates = 1'000'000;
    lhs.samples = 200;
    CHECK(error(lhs).first.empty());
    CHECK_THAT(error(lhs).second, Contains("more than 100000000 runs"));

    SweepDesign grid;
    grid.design = Design::grid;
    CHECK_THAT(error(grid).second, Contains("a grid over a range needs 'levels = N'"));
    grid.levels = 3;
    set_design(s, grid);
    CHECK(s.points() == 3);
    CHECK(s.grid_values.size() == 1);

    Sweep none = s;
    none.vary.clear();
    CHECK_THROWS_AS(set_design(none, lhs), std::invalid_argument);
}
