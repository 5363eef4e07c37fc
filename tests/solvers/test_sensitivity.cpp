// Sobol' and Morris indices on functions whose indices are known analytically: the Ishigami
// function and the Sobol' g-function (Saltelli et al. 2010, section 4), a Morris function
// with a known ranking; and the determinism of the bootstrap at any thread count. The coverage
// of the intervals is tested in test_sensitivity_coverage.cpp (label statistical).
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "solvers/design.hpp"
#include "solvers/sensitivity.hpp"
#include "tests/solvers/test_functions.hpp"

using namespace sesim;

namespace {

using namespace sesim::test;

// The standard error of each estimator, treating it as a mean of N independent terms divided
// by the variance: sd(terms) / (V sqrt(N)) (the delta method with V held fixed; V's own error
// adds a relative error of order 1/sqrt(N) on top, negligible at these N).
struct Errors {
    std::vector<double> first, total;
};
Errors standard_errors(const std::vector<double>& y, int k) {
    const std::size_t w = static_cast<std::size_t>(k) + 2, n = y.size() / w;
    double mean = 0;
    for (std::size_t s = 0; s < n; ++s) mean += y[s * w] + y[s * w + w - 1];
    mean /= 2.0 * n;
    double var = 0;
    for (std::size_t s = 0; s < n; ++s)
        var += std::pow(y[s * w] - mean, 2) + std::pow(y[s * w + w - 1] - mean, 2);
    var /= 2.0 * n;
    Errors e;
    for (int i = 0; i < k; ++i) {
        std::vector<double> t1, t2;
        for (std::size_t s = 0; s < n; ++s) {
            const double fa = y[s * w] - mean, fb = y[s * w + w - 1] - mean,
                         fab = y[s * w + 1 + i] - mean;
            t1.push_back(fb * (fab - fa));
            t2.push_back(0.5 * (fa - fab) * (fa - fab));
        }
        auto sd = [](const std::vector<double>& t) {
            const double m = std::accumulate(t.begin(), t.end(), 0.0) / t.size();
            double ss = 0;
            for (double x : t) ss += (x - m) * (x - m);
            return std::sqrt(ss / (t.size() - 1));
        };
        e.first.push_back(sd(t1) / (var * std::sqrt(double(n))));
        e.total.push_back(sd(t2) / (var * std::sqrt(double(n))));
    }
    return e;
}

// Every estimate within `z` standard errors of the analytic value.
void check_within(const SobolIndices& r, const Analytic& truth, const Errors& se, double z) {
    for (std::size_t i = 0; i < truth.first.size(); ++i) {
        INFO("parameter " << i << ": S1 " << r.first[i].value << " vs " << truth.first[i] << " (se "
                          << se.first[i] << "), ST " << r.total[i].value << " vs " << truth.total[i]
                          << " (se " << se.total[i] << ")");
        CHECK(std::abs(r.first[i].value - truth.first[i]) <= z * se.first[i]);
        CHECK(std::abs(r.total[i].value - truth.total[i]) <= z * se.total[i]);
    }
}

}  // namespace

TEST_CASE("Sobol indices: Ishigami, analytic values", "[sensitivity]") {
    const Analytic truth = ishigami_indices();
    // The reference values of the issue, to four digits.
    CHECK(truth.first[0] == Approx(0.3139).margin(5e-5));
    CHECK(truth.first[1] == Approx(0.4424).margin(5e-5));
    CHECK(truth.total[0] == Approx(0.5576).margin(5e-5));
    CHECK(truth.total[2] == Approx(0.2437).margin(5e-5));
    Bootstrap boot;
    boot.resamples = 0;
    // Tolerance: 4 standard errors of the Monte Carlo estimate at N base samples (so it
    // shrinks as 1 / sqrt(N)): a correct estimator misses it with probability 6e-5 per check.
    SECTION("Monte Carlo base samples, N = 2^14") {
        const auto y = saltelli(ishigami, 3, 1 << 14, 1, false);
        check_within(sobol_indices(y, 3, boot), truth, standard_errors(y, 3), 4);
    }
    // The quasi-random design of `sesim sweep`: its error is at most the Monte Carlo one here.
    SECTION("Sobol' base samples as in a sweep, N = 2^13") {
        const auto y = saltelli(ishigami, 3, 1 << 13, 0, true);
        check_within(sobol_indices(y, 3, boot), truth, standard_errors(y, 3), 4);
    }
}

TEST_CASE("Sobol indices: g-function, analytic values", "[sensitivity]") {
    const Analytic truth = g_indices();
    const auto y = saltelli(g_function, 8, 1 << 14, 2, false);
    Bootstrap boot;
    boot.resamples = 0;
    const SobolIndices r = sobol_indices(y, 8, boot);
    check_within(r, truth, standard_errors(y, 8), 4);
    // The order of influence follows a_i: the smaller a_i, the more important.
    for (int i = 0; i + 1 < 4; ++i) CHECK(r.total[i].value > r.total[i + 1].value);
}

TEST_CASE("Sobol indices: exact cases and bad input", "[sensitivity]") {
    Bootstrap boot;
    boot.resamples = 50;
    // f = 2 u0 + 0 u1: additive, all variance from u0. S1 = ST = 1 and 0, up to sampling.
    const auto y = saltelli([](const double* u) { return 2 * u[0]; }, 2, 256, 3, false);
    const SobolIndices r = sobol_indices(y, 2, boot);
    CHECK(r.total[1].value == 0.0);  // AB^2 = A in the output: every term is exactly 0
    CHECK(r.first[1].value == 0.0);
    CHECK(r.total[1].low == 0.0);
    CHECK(r.total[1].high == 0.0);
    CHECK(r.first[0].low <= r.first[0].value);
    CHECK(r.first[0].value <= r.first[0].high);
    // A constant output has no variance to share: NaN, not a number that looks meaningful.
    const std::vector<double> flat(4 * 10, 5.0);
    const SobolIndices c = sobol_indices(flat, 2, boot);
    CHECK(std::isnan(c.first[0].value));
    CHECK(std::isnan(c.total[1].high));
    CHECK_THROWS_AS(sobol_indices(std::vector<double>(7), 2, boot), std::invalid_argument);
    CHECK_THROWS_AS(sobol_indices(std::vector<double>(4), 2, boot), std::invalid_argument);
    std::vector<double> nan_y(y);
    nan_y[5] = std::nan("");
    CHECK_THROWS_AS(sobol_indices(nan_y, 2, boot), std::invalid_argument);
    Bootstrap bad;
    bad.level = 1;
    CHECK_THROWS_AS(sobol_indices(y, 2, bad), std::invalid_argument);
}

TEST_CASE("Bootstrap: the same intervals at any thread count", "[sensitivity]") {
    const auto y = saltelli(g_function, 8, 512, 9, false);
    Bootstrap boot;
    boot.resamples = 301;
    boot.seed = 77;
    boot.threads = 1;
    const SobolIndices one = sobol_indices(y, 8, boot);
    for (int threads : {2, 3, 8}) {
        boot.threads = threads;
        const SobolIndices many = sobol_indices(y, 8, boot);
        for (int i = 0; i < 8; ++i) {
            CHECK(many.first[i].low == one.first[i].low);
            CHECK(many.first[i].high == one.first[i].high);
            CHECK(many.total[i].low == one.total[i].low);
            CHECK(many.total[i].high == one.total[i].high);
        }
    }
    // Another seed, other resamples.
    boot.seed = 78;
    CHECK(sobol_indices(y, 8, boot).first[0].low != one.first[0].low);
}

namespace {

// Runs a Morris design on f: outputs, factors and steps in the layout of a sweep file.
MorrisIndices morris_of(const Function& f, const MorrisDesign& d, const Bootstrap& boot) {
    const int k = d.parameters();
    std::vector<double> y, step;
    std::vector<int> factor;
    std::vector<double> u(static_cast<std::size_t>(k));
    for (std::int64_t p = 0; p < d.points(); ++p) {
        d.point(p, u.data());
        y.push_back(f(u.data()));
        factor.push_back(d.factor(p));
        step.push_back(d.step(p));
    }
    return morris_indices(y, factor, step, k, boot);
}

}  // namespace

TEST_CASE("Morris: linear function, exact effects", "[sensitivity]") {
    // f = 10 u0 - 5 u1 + 2 u2 + 0 u3: every elementary effect of u_i is exactly c_i.
    const std::vector<double> c = {10, -5, 2, 0};
    const Function f = [&](const double* u) {
        return c[0] * u[0] + c[1] * u[1] + c[2] * u[2] + c[3] * u[3];
    };
    Bootstrap boot;
    boot.resamples = 200;
    const MorrisIndices m = morris_of(f, MorrisDesign(4, 20, 4, 0, 5), boot);
    REQUIRE(m.trajectories == 20);
    for (int i = 0; i < 4; ++i) {
        CHECK(m.mu[i] == Approx(c[i]).margin(1e-9));
        CHECK(m.mu_star[i].value == Approx(std::abs(c[i])).margin(1e-9));
        CHECK(m.sigma[i] == Approx(0).margin(1e-9));
        CHECK(m.mu_star[i].low == Approx(std::abs(c[i])).margin(1e-9));
        CHECK(m.mu_star[i].high == Approx(std::abs(c[i])).margin(1e-9));
    }
}

TEST_CASE("Morris: known ranking of a nonlinear function", "[sensitivity]") {
    // f = 8 u0 + 4 u1^2 + 2 u2 u3 + 0 u4. With p = 4 (Delta = 2/3) the expected mu* are 8, 4,
    // 1, 1, 0: the effect of u1 is 4 (2 u + Delta) for the lower point u in {0, 1/3}, mean 4;
    // of u2 it is 2 u3, u3 uniform on the four levels, mean 1. sigma is 0 for the linear
    // u0 and positive for the interacting u2, u3.
    const Function f = [](const double* u) { return 8 * u[0] + 4 * u[1] * u[1] + 2 * u[2] * u[3]; };
    Bootstrap boot;
    boot.resamples = 500;
    const MorrisIndices m = morris_of(f, MorrisDesign(5, 200, 4, 0, 11), boot);
    CHECK(m.mu_star[0].value == Approx(8).margin(1e-9));
    CHECK(m.mu_star[0].value > m.mu_star[1].high);
    CHECK(m.mu_star[1].low > m.mu_star[2].high);
    CHECK(m.mu_star[1].low > m.mu_star[3].high);
    CHECK(m.mu_star[2].low > 0);
    CHECK(m.mu_star[4].value == 0);
    // Standard errors at r = 200: mu* of u1 within 4 sd(EE)/sqrt(r) of 4, u2 and u3 of 1.
    for (int i : {1, 2, 3}) {
        const double expected = i == 1 ? 4 : 1;
        CHECK(std::abs(m.mu_star[i].value - expected) <= 4 * m.sigma[i] / std::sqrt(200.0));
        CHECK(m.mu_star[i].low <= m.mu_star[i].value);
        CHECK(m.mu_star[i].value <= m.mu_star[i].high);
    }
    CHECK(m.sigma[0] == Approx(0).margin(1e-9));
    CHECK(m.sigma[2] > 0.3);
}

TEST_CASE("Morris indices: bad input", "[sensitivity]") {
    Bootstrap boot;
    // Two parameters: trajectories of 3 points.
    const std::vector<double> y = {0, 1, 2, 0, 1, 2};
    CHECK_NOTHROW(morris_indices(y, std::vector<int>{-1, 0, 1, -1, 1, 0},
                                 std::vector<double>{0, 0.5, 0.5, 0, -0.5, 0.5}, 2, boot));
    // A parameter changed twice in one trajectory.
    CHECK_THROWS_AS(morris_indices(y, std::vector<int>{-1, 0, 0, -1, 1, 0},
                                   std::vector<double>{0, 0.5, 0.5, 0, 0.5, 0.5}, 2, boot),
                    std::invalid_argument);
    // Not whole trajectories.
    CHECK_THROWS_AS(morris_indices(std::vector<double>{0, 1}, std::vector<int>{-1, 0},
                                   std::vector<double>{0, 0.5}, 2, boot),
                    std::invalid_argument);
}
