// Coverage of the bootstrap intervals of solvers/sensitivity.hpp over 100 fixed seeds, on the
// Ishigami function with its analytic indices.
#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

#include "solvers/sensitivity.hpp"
#include "tests/solvers/test_functions.hpp"

using namespace sesim;
using namespace sesim::test;

TEST_CASE("Sobol indices: bootstrap intervals cover the analytic indices", "[statistical]") {
    // 100 fixed seeds, Ishigami with N = 1000 Monte Carlo base samples, 500 resamples, 95%
    // percentile intervals. If the intervals had their nominal 95% coverage, the number that
    // cover in 100 independent trials is Binomial(100, 0.95): below 88 with probability 0.15%,
    // so we test >= 88 for each of the six indices (together < 1% for a correct method), and
    // >= 552 of the 600 pooled (the 0.1% quantile of Binomial(600, 0.95)).
    const Analytic truth = ishigami_indices();
    std::vector<int> covered(6, 0);
    Bootstrap boot;
    boot.resamples = 500;
    for (std::uint32_t seed = 1; seed <= 100; ++seed) {
        boot.seed = seed;
        const SobolIndices r =
            sobol_indices(saltelli(ishigami, 3, 1000, 1000 + seed, false), 3, boot);
        for (int i = 0; i < 3; ++i) {
            covered[i] += r.first[i].low <= truth.first[i] && truth.first[i] <= r.first[i].high;
            covered[3 + i] += r.total[i].low <= truth.total[i] && truth.total[i] <= r.total[i].high;
        }
    }
    int pooled = 0;
    for (int i = 0; i < 6; ++i) {
        INFO("index " << i << " (S1 1-3, ST 1-3): covered in " << covered[i] << " of 100");
        CHECK(covered[i] >= 88);
        pooled += covered[i];
    }
    CHECK(pooled >= 552);
}
