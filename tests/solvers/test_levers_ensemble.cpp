// Statistical tests over a fixed seed on the shipped scenario library (scenarios/*.ini): each
// lever moves the outcome it acts on in the expected direction, detectably (the 95% interval
// of the replicate-paired difference excludes zero); a lever that cannot act changes nothing;
// and pairing on common random numbers gives narrower intervals than treating the ensembles
// as independent. Short runs (kMonths) and few replicates keep the suite fast; the seed is
// fixed, so every result is deterministic: a failure is a change in the model, never bad luck.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "model/outputs.hpp"
#include "solvers/compare.hpp"
#include "solvers/runner.hpp"
#include "solvers/scenario_file.hpp"

namespace fs = std::filesystem;
using namespace sesim;

namespace {

constexpr int kMonths = 96;  // 2019-01 to 2026-12: seven years of the levers that start in 2020
constexpr int kReplicates = 10;
constexpr std::uint32_t kSeed = 20190412;

fs::path scenario_file(const std::string& name) {
    return fs::path(SESIM_SOURCE_DIR) / "scenarios" / (name + ".ini");
}

// Runs of scenario files: runs[scenario][replicate].
struct Ensemble {
    std::vector<Scenario> scenarios;
    std::vector<std::vector<RunSeries>> runs;
};

Ensemble run(const std::vector<std::string>& names, std::vector<std::string> sets = {},
             int replicates = kReplicates) {
    sets.push_back("months=" + std::to_string(kMonths));
    RunPlan plan;
    plan.replicates = replicates;
    plan.seed = kSeed;
    for (const std::string& n : names)
        plan.scenarios.push_back(load_scenario(scenario_file(n), sets));
    Ensemble e;
    e.runs.assign(names.size(), std::vector<RunSeries>(static_cast<std::size_t>(replicates)));
    const RunOutcome oc = run_plan(plan, [&](int s, int rep, const RunSeries& series) {
        e.runs[static_cast<std::size_t>(s)][static_cast<std::size_t>(rep)] = series;
    });
    REQUIRE(oc.done == plan.runs());
    e.scenarios = std::move(plan.scenarios);
    return e;
}

// Per replicate: the output in the last month (stocks) or summed over all months (flows).
std::vector<double> final_values(const Ensemble& e, std::size_t s, const std::string& output) {
    const bool flow = is_cumulative(output);
    int o = -1;
    for (int i = 0; i < kOutputs; ++i)
        if (kOutputDefs[static_cast<std::size_t>(i)].name == output) o = i;
    REQUIRE(o >= 0);
    std::vector<double> out;
    for (const RunSeries& r : e.runs[s]) {
        double v = 0;
        for (int t = flow ? 0 : r.months - 1; t < r.months; ++t) v += r.series(o)[t];
        out.push_back(v);
    }
    return out;
}

// Paired effect of `lever` against the baseline on `output`.
Interval effect(const std::string& lever, const std::string& output,
                const std::vector<std::string>& sets = {}) {
    const Ensemble e = run({"baseline", lever}, sets);
    const Interval d = paired_difference(final_values(e, 1, output), final_values(e, 0, output));
    UNSCOPED_INFO(lever << " on " << output << ": " << d.mean << " [" << d.low << ", " << d.high
                        << "]");
    return d;
}

}  // namespace

TEST_CASE("scenario library: a set-aside raises SE revenue from public contracts",
          "[scenarios][statistical]") {
    CHECK(effect("setaside_2pct", "revenue_government").above_zero());
    CHECK(effect("setaside_5pct", "revenue_government").above_zero());
    CHECK(effect("setaside_5pct", "jobs_target_group").above_zero());
}

TEST_CASE("scenario library: a larger set-aside buys more", "[scenarios][statistical]") {
    const Ensemble e = run({"setaside_2pct", "setaside_5pct"});
    CHECK(paired_difference(final_values(e, 1, "revenue_government"),
                            final_values(e, 0, "revenue_government"))
              .above_zero());
}

TEST_CASE("scenario library: a set-aside no SE qualifies for has no effect",
          "[scenarios][statistical]") {
    // reserved_target_share = 1: no SE has only target-group staff, so every reserved tender is
    // re-tendered openly and the lever cannot act. Common random numbers make "no effect" exact.
    const Ensemble e = run({"baseline", "setaside_5pct"}, {"reserved_target_share=1"});
    for (int k = 0; k < kReplicates; ++k) {
        INFO("replicate " << k);
        CHECK(e.runs[0][static_cast<std::size_t>(k)].values ==
              e.runs[1][static_cast<std::size_t>(k)].values);
    }
}

TEST_CASE("scenario library: nothing changes before a lever starts", "[scenarios][statistical]") {
    // Every lever of the library starts in 2020-01 or later: 2019 is the same in all scenarios.
    const Ensemble e = run({"baseline", "integral", "exchange"});
    for (std::size_t s = 1; s < e.scenarios.size(); ++s)
        for (int k = 0; k < kReplicates; ++k)
            for (int o = 0; o < kOutputs; ++o) {
                if (kOutputDefs[static_cast<std::size_t>(o)].name == "programme_cost") continue;
                const auto& a = e.runs[0][static_cast<std::size_t>(k)];
                const auto& b = e.runs[s][static_cast<std::size_t>(k)];
                for (int t = 0; t < 12; ++t) {
                    INFO(e.scenarios[s].name << " " << kOutputDefs[static_cast<std::size_t>(o)].name
                                             << " month " << t);
                    REQUIRE(a.series(o)[t] == b.series(o)[t]);
                }
            }
}

TEST_CASE("scenario library: brokerage raises partnerships", "[scenarios][statistical]") {
    CHECK(effect("brokerage", "partnerships_active").above_zero());
    CHECK(effect("brokerage", "partnerships_formed").above_zero());
}

TEST_CASE("scenario library: a continuing accelerator raises skill and foundings",
          "[scenarios][statistical]") {
    CHECK(effect("accelerator_continues", "mean_skill").above_zero());
    CHECK(effect("accelerator_continues", "se_entries").above_zero());
}

TEST_CASE("scenario library: the campaign and meeting place raise awareness and skill",
          "[scenarios][statistical]") {
    CHECK(effect("meeting_place", "sme_aware_share").above_zero());
    CHECK(effect("meeting_place", "resident_aware_share").above_zero());
    CHECK(effect("meeting_place", "mean_skill").above_zero());
}

TEST_CASE("scenario library: Rapid Impact Contracting and social weighting win SEs more tenders",
          "[scenarios][statistical]") {
    CHECK(effect("rapid_impact_contracting", "tenders_won_se").above_zero());
    CHECK(effect("social_weight", "tenders_won_se").above_zero());
    CHECK(effect("social_weight", "jobs_target_group").above_zero());
}

TEST_CASE("scenario library: inter-regional exchange moves Haarlem's awareness toward Zwolle's",
          "[scenarios][statistical]") {
    // Exchange blends each region's Bass imitation with the other's. Haarlem's SMEs start more
    // aware than Zwolle's (0.18 against 0.15), so Zwolle gains and Haarlem loses imitation;
    // Haarlem has more SMEs (21,000 against 11,300), so the share over both regions falls.
    CHECK(effect("exchange", "sme_aware_share").below_zero());
}

TEST_CASE("scenario library: the integral policy raises scale-up and target-group jobs",
          "[scenarios][statistical]") {
    const Ensemble e = run({"baseline", "integral", "setaside_5pct"});
    for (const std::string o : {"se_scaled", "jobs_target_group", "social_value"}) {
        INFO(o);
        CHECK(paired_difference(final_values(e, 1, o), final_values(e, 0, o)).above_zero());
        // All levers together do more than the set-aside alone.
        CHECK(paired_difference(final_values(e, 1, o), final_values(e, 2, o)).above_zero());
    }
}

TEST_CASE("scenario library: paired intervals are narrower than unpaired ones on the shipped study",
          "[scenarios][statistical]") {
    // Pairing gains as much as the outcomes of replicate k are correlated across scenarios.
    // Counts behind a threshold (scaled SEs: annual revenue above EUR 1m) correlate least, so
    // the check is on the whole table: nearly every interval narrower, typically far narrower.
    std::vector<std::string> names;
    for (const auto& f : fs::directory_iterator(fs::path(SESIM_SOURCE_DIR) / "scenarios"))
        if (f.path().extension() == ".ini") names.push_back(f.path().stem().string());
    std::sort(names.begin(), names.end());
    std::erase(names, "baseline");
    names.insert(names.begin(), "baseline");
    REQUIRE(names.size() >= 10);
    const Ensemble e = run(names, {}, 2 * kReplicates);
    std::vector<double> ratios;
    for (std::size_t s = 1; s < names.size(); ++s)
        for (const KeyOutcome& k : kKeyOutcomes) {
            const std::string o(k.output);
            const auto x = final_values(e, s, o);
            const auto y = final_values(e, 0, o);
            const double paired = paired_difference(x, y).half_width();
            const double unpaired = unpaired_difference(x, y).half_width();
            if (unpaired == 0) continue;  // deterministic outcomes: programme cost
            UNSCOPED_INFO(names[s] << " " << o << ": paired +-" << paired << ", unpaired +-"
                                   << unpaired);
            ratios.push_back(paired / unpaired);
        }
    REQUIRE(ratios.size() >= 50);
    std::sort(ratios.begin(), ratios.end());
    const auto narrower =
        std::count_if(ratios.begin(), ratios.end(), [](double r) { return r < 1; });
    const double median = ratios[ratios.size() / 2];
    CHECK(static_cast<double>(narrower) >= 0.9 * static_cast<double>(ratios.size()));
    CHECK(median < 0.5);
}
