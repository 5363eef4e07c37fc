// The counter-based generator: draws are pure functions of their key, and have the right laws.
#include <catch2/catch.hpp>
#include <cmath>

#include "model/rng.hpp"

using namespace sesim;

TEST_CASE("rng: a draw depends only on its key", "[rng]") {
    const Rng a(7, 3);
    const Rng b(7, 3);
    CHECK(a.uniform(42, 5, Purpose::exit) == b.uniform(42, 5, Purpose::exit));
    // Any other component of the key changes the draw.
    const double u = a.uniform(42, 5, Purpose::exit);
    CHECK(u != Rng(8, 3).uniform(42, 5, Purpose::exit));
    CHECK(u != Rng(7, 4).uniform(42, 5, Purpose::exit));
    CHECK(u != a.uniform(43, 5, Purpose::exit));
    CHECK(u != a.uniform(42, 6, Purpose::exit));
    CHECK(u != a.uniform(42, 5, Purpose::entry_count));
    CHECK(u != a.uniform(42, 5, Purpose::exit, 1));
    // Entity ids use all 64 bits: ids differing only in the high word draw differently.
    CHECK(a.uniform(1ULL << 40, 5, Purpose::exit) != a.uniform(0, 5, Purpose::exit));
}

TEST_CASE("rng: uniforms lie in (0,1) with mean 1/2 and variance 1/12", "[rng][statistical]") {
    const Rng r(20190412, 0);
    const int n = 200000;
    double sum = 0;
    double sq = 0;
    for (int i = 0; i < n; ++i) {
        const double u = r.uniform(static_cast<std::uint64_t>(i), 0, Purpose::init_skill);
        REQUIRE(u > 0.0);
        REQUIRE(u < 1.0);
        sum += u;
        sq += u * u;
    }
    const double mean = sum / n;
    const double var = sq / n - mean * mean;
    // Tolerance: 5 standard errors of the mean (sd 1/sqrt(12)/sqrt(n)).
    CHECK(std::abs(mean - 0.5) < 5.0 * std::sqrt(1.0 / 12.0 / n));
    CHECK(std::abs(var - 1.0 / 12.0) < 0.002);
}

TEST_CASE("rng: normal and exponential have their moments", "[rng][statistical]") {
    const Rng r(1, 2);
    const int n = 200000;
    double s1 = 0, s2 = 0, e1 = 0;
    for (int i = 0; i < n; ++i) {
        const double z = r.normal(static_cast<std::uint64_t>(i), 3, Purpose::init_fte);
        s1 += z;
        s2 += z * z;
        e1 += r.exponential(static_cast<std::uint64_t>(i), 3, Purpose::sme_partner_search);
    }
    CHECK(std::abs(s1 / n) < 5.0 / std::sqrt(n));
    CHECK(std::abs(s2 / n - 1.0) < 0.02);
    CHECK(std::abs(e1 / n - 1.0) < 5.0 / std::sqrt(n));
}

TEST_CASE("rng: poisson has mean and variance lambda, and is monotone in lambda",
          "[rng][statistical]") {
    const Rng r(5, 0);
    for (double lambda : {0.3, 2.5, 12.0}) {
        const int n = 100000;
        double s1 = 0, s2 = 0;
        for (int i = 0; i < n; ++i) {
            const int k = r.poisson(lambda, static_cast<std::uint64_t>(i), 0, Purpose::entry_count);
            s1 += k;
            s2 += static_cast<double>(k) * k;
            // Common random numbers: the same key with a larger mean never gives fewer.
            REQUIRE(r.poisson(lambda * 1.5, static_cast<std::uint64_t>(i), 0,
                              Purpose::entry_count) >= k);
        }
        const double mean = s1 / n;
        INFO("lambda " << lambda);
        CHECK(std::abs(mean - lambda) < 5.0 * std::sqrt(lambda / n));
        CHECK(std::abs((s2 / n - mean * mean) / lambda - 1.0) < 0.03);
    }
    CHECK(r.poisson(0.0, 1, 0, Purpose::entry_count) == 0);
}

TEST_CASE("rng: above a mean of 500 poisson is the normal quantile of the same uniform",
          "[rng][statistical]") {
    const Rng r(6, 0);
    const int n = 20000;
    for (double lambda : {800.0, 5000.0}) {
        double s1 = 0, s2 = 0;
        for (int i = 0; i < n; ++i) {
            const auto e = static_cast<std::uint64_t>(i);
            const int k = r.poisson(lambda, e, 0, Purpose::entry_count);
            s1 += k;
            s2 += static_cast<double>(k) * k;
            // Monotone in the mean for the same key (the uniform is shared, z(u) is fixed).
            REQUIRE(r.poisson(lambda * 1.01, e, 0, Purpose::entry_count) >= k);
            // The count is round(lambda + sqrt(lambda) z) with z the normal quantile of the
            // key's uniform: u = Phi(z), so the count's own CDF position matches u.
            const double u = r.uniform(e, 0, Purpose::entry_count);
            const double z = (k - lambda) / std::sqrt(lambda);
            const double phi = 0.5 * std::erfc(-z / std::sqrt(2.0));
            // Rounding moves k by at most 0.5, i.e. z by 0.5 / sqrt(lambda); the normal density
            // is at most 1/sqrt(2 pi), which bounds the change in Phi.
            REQUIRE(std::abs(phi - u) <= 0.5 / std::sqrt(lambda) * 0.39894228 + 1e-12);
        }
        const double mean = s1 / n;
        INFO("lambda " << lambda);
        // Mean within 5 standard errors; variance within 5 s.e. of a sample variance
        // (sd of s^2 / lambda is about sqrt(2 / n) for a near-normal count).
        CHECK(std::abs(mean - lambda) < 5.0 * std::sqrt(lambda / n));
        CHECK(std::abs((s2 / n - mean * mean) / lambda - 1.0) < 5.0 * std::sqrt(2.0 / n));
    }
}
