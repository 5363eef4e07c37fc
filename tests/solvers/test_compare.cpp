// Unit tests of solvers/compare: Student t quantiles against table values, paired and Welch
// intervals against hand computations (reference values from SciPy 1.10, scipy.stats.t), and
// the comparison of hand-made samples.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "model/calendar.hpp"
#include "solvers/compare.hpp"

using namespace sesim;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Samples of every output compare_scenario needs, one date, replicate values from `f(k)`.
template <typename F>
Samples make_samples(const std::vector<std::string>& outputs, int replicates, F f) {
    Samples s;
    std::vector<std::string> all = outputs;
    for (const auto o : kCostOutputs) all.emplace_back(o);
    for (const std::string& o : all) {
        std::vector<double> v(static_cast<std::size_t>(replicates));
        for (int k = 0; k < replicates; ++k) v[static_cast<std::size_t>(k)] = f(o, k);
        s[o] = {v};
    }
    return s;
}

std::vector<std::string> key_outputs() {
    std::vector<std::string> out;
    for (const KeyOutcome& k : kKeyOutcomes) out.emplace_back(k.output);
    return out;
}

// A noisy history shared by both scenarios of replicate k: large spread between replicates.
double history(const std::string& o, int k) {
    return 1000.0 * std::sin(1.0 + k * 0.7) + 37.0 * static_cast<double>(o.size()) + 5000.0;
}

}  // namespace

TEST_CASE("compare: Student t quantiles match the table", "[compare]") {
    // Two-sided 95% critical values, e.g. any statistics textbook's t table.
    CHECK(student_t_quantile(0.975, 1) == Approx(12.7062).epsilon(1e-5));
    CHECK(student_t_quantile(0.975, 3) == Approx(3.18245).epsilon(1e-5));
    CHECK(student_t_quantile(0.975, 9) == Approx(2.262).margin(5e-4));
    CHECK(student_t_quantile(0.975, 29) == Approx(2.04523).epsilon(1e-5));
    CHECK(student_t_quantile(0.975, 99) == Approx(1.984).margin(5e-4));
    CHECK(student_t_quantile(0.975, 199) == Approx(1.97196).epsilon(1e-5));
    // Many degrees of freedom: the normal quantile.
    CHECK(student_t_quantile(0.95, 1e7) == Approx(1.64485).epsilon(1e-5));
    CHECK(student_t_quantile(0.025, 9) == Approx(-2.262).margin(5e-4));
    CHECK_THROWS_AS(student_t_quantile(0.975, 0), std::invalid_argument);
    CHECK_THROWS_AS(student_t_quantile(1.0, 5), std::invalid_argument);
}

TEST_CASE("compare: paired interval by hand", "[compare]") {
    // d = 1, 2, 3, 4: mean 2.5, sd 1.29099, t(0.975, 3) = 3.18245, half width 2.05426.
    const std::vector<double> x{11, 22, 33, 44};
    const std::vector<double> y{10, 20, 30, 40};
    const Interval d = paired_difference(x, y);
    CHECK(d.n == 4);
    CHECK(d.mean == Approx(2.5));
    CHECK(d.half_width() == Approx(2.0542602568).epsilon(1e-9));
    CHECK(d.low == Approx(2.5 - 2.0542602568).epsilon(1e-9));
    CHECK(d.above_zero());
    CHECK_FALSE(d.below_zero());

    // A pair with a missing replicate (NaN) is left out, the others count.
    const std::vector<double> xn{11, 22, 33, 44, kNaN};
    const std::vector<double> yn{10, 20, 30, 40, 50};
    const Interval dn = paired_difference(xn, yn);
    CHECK(dn.n == 4);
    CHECK(dn.mean == Approx(2.5));

    // One pair: an estimate but no interval.
    const Interval one = paired_difference(std::vector<double>{3}, std::vector<double>{1});
    CHECK(one.mean == 2);
    CHECK(std::isnan(one.low));
    CHECK_FALSE(one.above_zero());

    CHECK_THROWS_AS(paired_difference(x, std::vector<double>{1, 2}), std::invalid_argument);
}

TEST_CASE("compare: Welch interval by hand", "[compare]") {
    // Means 3 and 6, variances 2.5 and 10: dof 5.88235, half width 3.88774 (SciPy).
    const std::vector<double> x{1, 2, 3, 4, 5};
    const std::vector<double> y{2, 4, 6, 8, 10};
    const Interval u = unpaired_difference(x, y);
    CHECK(u.mean == Approx(-3));
    CHECK(u.half_width() == Approx(3.8877416393).epsilon(1e-8));
    // Constant samples: a zero-width interval, not NaN.
    const Interval c = unpaired_difference(std::vector<double>{2, 2}, std::vector<double>{1, 1});
    CHECK(c.low == 1);
    CHECK(c.high == 1);
}

TEST_CASE("compare: pairing removes the noise the scenarios share", "[compare]") {
    // Replicate k of both scenarios shares its history; the policy adds 3 +- a little.
    std::vector<double> base, scen;
    for (int k = 0; k < 50; ++k) {
        base.push_back(history("x", k));
        scen.push_back(history("x", k) + 3.0 + 0.1 * std::cos(k * 1.3));
    }
    const Interval paired = paired_difference(scen, base);
    const Interval unpaired = unpaired_difference(scen, base);
    CHECK(paired.mean == Approx(unpaired.mean));
    CHECK(paired.above_zero());
    CHECK_FALSE(unpaired.above_zero());  // the shared noise hides the effect without pairing
    CHECK(paired.half_width() < unpaired.half_width() / 100);
}

TEST_CASE("compare: a scenario against an identical copy has zero effect and zero-width intervals",
          "[compare]") {
    const auto outputs = key_outputs();
    const Samples base = make_samples(outputs, 20, history);
    const Samples copy = base;
    const std::vector<int> dates{month_index(2030, 12)};
    const ScenarioComparison c =
        compare_scenario("copy", "the baseline again", base, copy, outputs, dates);
    REQUIRE(c.effects.size() == outputs.size());
    for (const Effect& e : c.effects) {
        INFO(e.output);
        CHECK(e.difference.n == 20);
        CHECK(e.difference.mean == 0);
        CHECK(e.difference.low == 0);
        CHECK(e.difference.high == 0);
        CHECK(e.relative == 0);
        CHECK(e.baseline_mean == e.scenario_mean);
    }
    REQUIRE(c.costs.size() == 1);
    CHECK_FALSE(c.costs[0].available);
    CHECK(c.costs[0].reason == "target-group jobs do not change");
    CHECK(c.sentence.find("the number of scaled SEs does not change") != std::string::npos);
    CHECK(c.sentence.find("no cost per extra target-group job") != std::string::npos);
}

TEST_CASE("compare: effects, relative change and cost per job of hand-made samples", "[compare]") {
    const std::vector<std::string> outputs{"jobs_target_group", "public_spend_se"};
    const Samples base = make_samples(outputs, 10, history);
    // Per replicate: +20 FTE target-group jobs, +EUR 2m spend on SEs (of which EUR 100k
    // premium), +EUR 400k programme cost, +EUR 60k wage subsidy, +3 scaled SEs, with a little
    // noise on the jobs.
    const Samples scen = make_samples(outputs, 10, [](const std::string& o, int k) {
        const double x = history(o, k);
        if (o == "jobs_target_group") return x + 20.0 + (k % 2 == 0 ? 1.0 : -1.0);
        if (o == "public_spend_se") return x + 2e6;
        if (o == "public_price_premium") return x + 1e5;
        if (o == "programme_cost") return x + 4e5;
        if (o == "wage_subsidy") return x + 6e4;
        if (o == "se_scaled") return x + 3.0;
        return x;
    });
    const std::vector<int> dates{month_index(2030, 12)};
    const ScenarioComparison c = compare_scenario("policy", "", base, scen, outputs, dates);
    REQUIRE(c.effects.size() == 2);
    CHECK(c.effects[0].output == "jobs_target_group");
    CHECK_FALSE(c.effects[0].cumulative);
    CHECK(c.effects[0].difference.mean == Approx(20.0));
    CHECK(c.effects[0].difference.above_zero());
    CHECK(c.effects[0].relative == Approx(20.0 / c.effects[0].baseline_mean));
    CHECK(c.effects[1].cumulative);
    CHECK(c.effects[1].difference.mean == Approx(2e6));

    const CostPerJob& k = c.costs.at(0);
    REQUIRE(k.available);
    // Additional public cost: premium 100k + programme 400k + subsidy 60k; purchasing moved
    // to SEs is reported beside it, not counted as a cost.
    CHECK(k.additional_cost.mean == Approx(5.6e5));
    CHECK(k.redirected_spend.mean == Approx(2e6));
    CHECK(k.per_job == Approx(5.6e5 / 20.0));
    CHECK(k.redirected_per_job == Approx(2e6 / 20.0));
    CHECK(c.sentence.find("rises by 3 ") != std::string::npos);
    CHECK(c.sentence.find("additional public cost of EUR 28k per extra target-group job") !=
          std::string::npos);
}

TEST_CASE("compare: no cost per job when jobs fall or their interval includes zero", "[compare]") {
    const std::vector<std::string> outputs{"jobs_target_group"};
    const Samples base = make_samples(outputs, 8, history);
    const Samples fall = make_samples(outputs, 8, [](const std::string& o, int k) {
        return history(o, k) - (o == "jobs_target_group" ? 5.0 + 0.1 * k : 0.0);
    });
    const Samples noise = make_samples(outputs, 8, [](const std::string& o, int k) {
        return history(o, k) + (o == "jobs_target_group" ? (k % 2 == 0 ? 4.0 : -4.0) : 0.0);
    });
    const std::vector<int> dates{month_index(2025, 12), month_index(2030, 12)};
    // Two dates: every sample needs one entry per date.
    const auto twice = [](Samples s) {
        for (auto& [name, v] : s) v.push_back(v.front());
        return s;
    };
    const ScenarioComparison f =
        compare_scenario("cut", "", twice(base), twice(fall), outputs, dates);
    REQUIRE(f.costs.size() == 2);
    CHECK_FALSE(f.costs[1].available);
    CHECK(f.costs[1].reason == "target-group jobs fall");
    CHECK(f.sentence.find("target-group employment falls by") != std::string::npos);
    const ScenarioComparison n =
        compare_scenario("noise", "", twice(base), twice(noise), outputs, dates);
    CHECK_FALSE(n.costs[1].available);
    CHECK(n.costs[1].reason.find("includes zero") != std::string::npos);
    CHECK(n.sentence.find("does not change detectably") != std::string::npos);

    // Missing samples are a programming error, reported by name.
    Samples incomplete = base;
    incomplete.erase("programme_cost");
    CHECK_THROWS_WITH(compare_scenario("x", "", base, incomplete, outputs, {dates[0]}),
                      Catch::Contains("programme_cost"));
}

TEST_CASE("compare: flows are cumulative, stocks are not", "[compare]") {
    CHECK(is_cumulative("social_value"));
    CHECK(is_cumulative("public_spend_se"));
    CHECK(is_cumulative("programme_cost"));
    CHECK_FALSE(is_cumulative("se_scaled"));
    CHECK_FALSE(is_cumulative("jobs_target_group"));
    CHECK_THROWS_AS(is_cumulative("no_such_output"), std::invalid_argument);
    CHECK(outcome_label("se_scaled") == "scaled SEs");
    CHECK(outcome_label("mean_skill") == "mean_skill");
}

TEST_CASE("compare: numbers print with units", "[compare]") {
    CHECK(format_number(1234567, "EUR") == "1.23m");
    CHECK(format_number(2.5e9, "EUR") == "2.5bn");
    CHECK(format_number(-45600, "EUR", true) == "-45.6k");
    CHECK(format_number(999.7, "EUR") == "1k");
    CHECK(format_number(120, "EUR", true) == "+120");
    CHECK(format_number(999.7, "FTE") == "1000");
    CHECK(format_number(3.533, "1", true) == "+3.53");
    CHECK(format_number(0.0476, "1") == "0.0476");
    CHECK(format_number(-0.0, "1", true) == "0");
    CHECK(format_number(kNaN, "1") == "n/a");
}

// ---- Parameter uncertainty (issue 9) ------------------------------------------------------------

TEST_CASE("world_interval: one-way random-effects ANOVA by hand", "[compare]") {
    // Three worlds of two replicates: means 2, 6, 3; grand mean 11/3. Within: SSW = 6,
    // MSW = 6 / (6 - 3) = 2. Between: SSB = 2 ((5/3)^2 + (7/3)^2 + (2/3)^2) = 52/3, MSB = 26/3;
    // n0 = (6 - 12/6) / 2 = 2, so sigma2_param = (26/3 - 2) / 2 = 10/3 and the share
    // (10/3) / (10/3 + 2) = 0.625. Var(mean) = (10/3)(12/36) + 2/6 = 13/9; the half-width is
    // t(0.975, 2) sqrt(10/3 + 13/9) = t sqrt(43/9).
    const std::vector<double> d{1, 3, 5, 7, 2, 4};
    Worlds w;
    w.count = 3;
    w.of_replicate = {0, 0, 1, 1, 2, 2};
    VarianceSplit split;
    double p = 0;
    const Interval iv = world_interval(d, w, 0.95, &split, &p);
    CHECK(iv.mean == Approx(11.0 / 3));
    CHECK(split.noise == Approx(2));
    CHECK(split.parameters == Approx(10.0 / 3));
    CHECK(split.parameter_share == Approx(0.625));
    CHECK(split.worlds == 3);
    const double sd = std::sqrt(43.0 / 9);
    const double half = student_t_quantile(0.975, 2) * sd;
    CHECK(iv.low == Approx(11.0 / 3 - half));
    CHECK(iv.high == Approx(11.0 / 3 + half));
    // P(effect > 0) = T_2(mean / sd); Student t with 2 degrees of freedom has the CDF
    // 1/2 + x / (2 sqrt(2 + x^2)).
    const double x = 11.0 / 3 / sd;
    CHECK(p == Approx(0.5 + x / (2 * std::sqrt(2 + x * x))));
}

TEST_CASE("world_interval: one world is exactly the paired t interval", "[compare]") {
    const std::vector<double> x{10, 12, 9, 14, 11, 13};
    const std::vector<double> y{9, 10, 9, 12, 10, 10};
    std::vector<double> d(x.size());
    for (std::size_t k = 0; k < d.size(); ++k) d[k] = x[k] - y[k];
    Worlds one;
    one.count = 1;
    one.of_replicate.assign(d.size(), 0);
    VarianceSplit split;
    const Interval a = world_interval(d, one, 0.95, &split);
    const Interval b = paired_difference(x, y, 0.95);
    CHECK(a.mean == b.mean);
    CHECK(a.low == b.low);
    CHECK(a.high == b.high);
    CHECK(split.parameter_share == 0);
    // worlds_from_draws groups identical rows.
    const std::vector<double> draws{0.1, 2, 0.1, 2, 0.3, 2, 0.1, 2};
    const Worlds w = worlds_from_draws(draws, 4, 2);
    CHECK(w.count == 2);
    CHECK(w.of_replicate == std::vector<int>{0, 0, 1, 0});
}

TEST_CASE("rank_policies: a policy better in every replicate ranks first with probability 1",
          "[compare]") {
    // Two policies on 10 replicates: B's effect exceeds A's in every replicate; A costs
    // nothing extra, B does, so A ranks first per euro.
    const std::vector<int> dates{month_index(2030, 12)};
    const auto samples = [&](double jobs_shift, double cost) {
        Samples s;
        for (const std::string_view o : kCostOutputs)
            s[std::string(o)] = {std::vector<double>(10, 0.0)};
        for (int k = 0; k < 10; ++k) {
            s["jobs_target_group"][0][static_cast<std::size_t>(k)] = 100 + k + jobs_shift;
            s["programme_cost"][0][static_cast<std::size_t>(k)] = cost;
        }
        return s;
    };
    const Samples base = samples(0, 0), a = samples(5, 0), b = samples(20, 1000);
    const auto ranks =
        rank_policies(base, {{"a", &a}, {"b", &b}}, {"jobs_target_group"}, dates, nullptr, 1, 500);
    REQUIRE(ranks.size() == 1);
    CHECK(ranks[0].p_first[0] == 0);
    CHECK(ranks[0].p_first[1] == Approx(1));
    CHECK(ranks[0].p_first_per_euro[0] == Approx(1));  // a positive effect at no extra cost
    CHECK(ranks[0].p_first_per_euro[1] == 0);
}
