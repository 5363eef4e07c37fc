// Doubling test (issue 8): doubling everything in both regions (residents, firms, SEs at the
// start, every buyer's budget, accelerator places) doubles every extensive output and leaves
// every intensive one as it is, within statistics. Competition per tender, entry per resident,
// demand per SE and brokered hazard per searching SME are built to be scale-free, so a
// mechanism that depends on absolute counts (as regular_bidders = 5 and entry per region did)
// shows here as a factor away from 2.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <string>

#include "tests/model/ensemble.hpp"
#include "tests/model/world.hpp"

using namespace sesim;

namespace {

constexpr int kReplicates = 40;
constexpr std::uint32_t kSeed = 20190412;

// Outputs that are shares, means or per-SE values: they stay the same when the world doubles.
// Every other output is a count, FTE or EUR amount summed over the agents, and doubles.
const std::set<std::string> kIntensive = {
    "sme_aware_share",     "resident_aware_share", "buyer_adoption",  "mean_skill",
    "se_profitable_share", "se_breakeven_share",   "turnover_per_se",
};

Params doubled(Params p) {
    for (auto& r : p.region) {
        r.population *= 2;
        r.smes *= 2;
        r.initial_ses *= 2;
        r.accelerator_size *= 2;
    }
    for (auto& b : p.buyer) b.budget *= 2;
    return p;
}

}  // namespace

TEST_CASE("scaling: doubling both regions doubles the extensive outputs",
          "[scaling][statistical]") {
    Params base = test::baseline_params();
    const int last_2025 = month_index(2025, 12) - base.g.start_month;
    const int last_2030 = month_index(2030, 12) - base.g.start_month;
    base.g.months = last_2030 + 1;
    const Params big = doubled(base);

    std::vector<RunSeries> a, b;
    for (std::uint32_t k = 0; k < kReplicates; ++k) {
        a.push_back(simulate(base, kSeed, k));
        b.push_back(simulate(big, kSeed, k));
    }
    // Each output as a year value (flows summed, stocks averaged over the twelve months that
    // end in 2025-12 and 2030-12): one month's flow of exits or entries is a handful of events.
    // The base and doubled runs are different worlds, so their replicates are independent: the
    // standard error of (doubled - 2 x base) is sqrt(se_b^2 + 4 se_a^2). Tolerance: 4 combined
    // standard errors (about 1 in 16,000 per check for a correct model) plus 2% of the expected
    // value: the doubled world equals two base worlds only in expectation per agent (accelerator
    // cohorts are whole SEs drawn from a region's never-accelerated SEs, and an open tender has
    // at least one regular bidder), and 2% is a tenth of the smallest failure issue 8 reported
    // (x1.22 for entry per region).
    const double rel_slack = 0.02;
    for (const int last : {last_2025, last_2030}) {
        for (int o = 0; o < kOutputs; ++o) {
            const auto out = static_cast<Output>(o);
            const std::string name(kOutputDefs[static_cast<std::size_t>(o)].name);
            std::vector<double> xa, xb;
            for (int k = 0; k < kReplicates; ++k) {
                xa.push_back(test::year_value(a[k], out, last));
                xb.push_back(test::year_value(b[k], out, last));
            }
            const test::MeanSe ma = test::mean_se(xa), mb = test::mean_se(xb);
            const bool intensive = kIntensive.count(name) > 0;
            const double factor = intensive ? 1.0 : 2.0;
            const double diff = mb.mean - factor * ma.mean;
            const double se = std::sqrt(mb.se * mb.se + factor * factor * ma.se * ma.se);
            const double tol = 4.0 * se + rel_slack * std::abs(factor * ma.mean);
            INFO(name << " in the year to step " << last << ": base " << ma.mean << " +- " << ma.se
                      << ", doubled " << mb.mean << " +- " << mb.se << ", ratio "
                      << (ma.mean != 0 ? mb.mean / ma.mean : 0.0) << " (expected " << factor
                      << ")");
            CHECK(std::abs(diff) <= tol);
        }
    }
}
