#include "solvers/sensitivity.hpp"

#include <Random123/philox.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace sesim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The Philox key of bootstrap draws: the seed and a word that neither the model's streams
// (the replicate, at most 10^6) nor the sweep designs (0xFFFFFFFF) use.
r123::Philox4x32::key_type bootstrap_key(std::uint32_t seed) {
    return {{seed, 0xB0075781u}};
}

// The n indices in [0, n) of resample b, four per Philox block. An index is the high word of
// (32 random bits) x n (Lemire 2019 without the rejection step): its bias is below n / 2^32,
// under 10^-3 for a million samples, far below the bootstrap's own error.
void resample_indices(std::uint32_t seed, int b, std::size_t n, std::vector<std::uint32_t>& out) {
    out.resize(n);
    const r123::Philox4x32 philox;
    const auto key = bootstrap_key(seed);
    for (std::size_t i = 0; i < n; i += 4) {
        const r123::Philox4x32::ctr_type ctr{{static_cast<std::uint32_t>(i / 4),
                                              static_cast<std::uint32_t>((i / 4) >> 32),
                                              static_cast<std::uint32_t>(b), 0x51u}};
        const auto r = philox(ctr, key);
        for (std::size_t j = 0; j < 4 && i + j < n; ++j)
            out[i + j] = static_cast<std::uint32_t>((static_cast<std::uint64_t>(r[j]) * n) >> 32);
    }
}

void check_finite(std::span<const double> y, const char* what) {
    for (std::size_t i = 0; i < y.size(); ++i)
        if (!std::isfinite(y[i]))
            throw std::invalid_argument(std::string(what) + ": value " + std::to_string(i) +
                                        " is not a finite number");
}

int thread_count(const Bootstrap& boot) {
    return boot.threads > 0 ? boot.threads : omp_get_max_threads();
}

// Fills low/high of est[j] from column j of `draws` (resamples x columns, row-major).
void percentile_bounds(std::vector<double>& draws, int resamples, int columns, double level,
                       std::vector<Estimate*>& est) {
    std::vector<double> col(static_cast<std::size_t>(resamples));
    for (int j = 0; j < columns; ++j) {
        int finite = 0;
        for (int b = 0; b < resamples; ++b) {
            const double v = draws[static_cast<std::size_t>(b) * columns + j];
            if (std::isfinite(v)) col[static_cast<std::size_t>(finite++)] = v;
        }
        // A resample can have zero variance (all its blocks alike): its ratio is undefined and
        // left out; with too few finite resamples there is no interval.
        if (finite < std::max(2, resamples / 2)) {
            est[static_cast<std::size_t>(j)]->low = est[static_cast<std::size_t>(j)]->high = kNaN;
            continue;
        }
        std::span<double> s(col.data(), static_cast<std::size_t>(finite));
        std::sort(s.begin(), s.end());
        est[static_cast<std::size_t>(j)]->low = sorted_quantile(s, (1 - level) / 2);
        est[static_cast<std::size_t>(j)]->high = sorted_quantile(s, (1 + level) / 2);
    }
}

void check_bootstrap(const Bootstrap& boot) {
    if (boot.resamples < 0) throw std::invalid_argument("bootstrap: negative number of resamples");
    if (!(boot.level > 0 && boot.level < 1))
        throw std::invalid_argument("bootstrap: the level must be between 0 and 1");
}

}  // namespace

double sorted_quantile(std::span<const double> sorted, double q) {
    if (sorted.empty()) return kNaN;
    const double h = q * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

SobolIndices sobol_indices(std::span<const double> y, int parameters, const Bootstrap& boot) {
    check_bootstrap(boot);
    const int k = parameters;
    if (k < 1) throw std::invalid_argument("sobol_indices: no parameters");
    const auto width = static_cast<std::size_t>(k) + 2;
    if (y.size() % width != 0)
        throw std::invalid_argument(
            "sobol_indices: " + std::to_string(y.size()) +
            " values are not whole blocks of k + 2 = " + std::to_string(width));
    const std::size_t n = y.size() / width;
    if (n < 2) throw std::invalid_argument("sobol_indices: fewer than 2 base samples");
    check_finite(y, "sobol_indices");

    // Centre on the mean of f(A) and f(B).
    double centre = 0;
    for (std::size_t s = 0; s < n; ++s) centre += y[s * width] + y[s * width + width - 1];
    centre /= static_cast<double>(2 * n);

    // Per base sample: the summands of both estimators, k each, then f_A + f_B and
    // f_A^2 + f_B^2 for the variance. A resample sums rows of this table.
    const std::size_t cols = 2 * static_cast<std::size_t>(k) + 2;
    std::vector<double> terms(n * cols);
    for (std::size_t s = 0; s < n; ++s) {
        const double* row = y.data() + s * width;
        const double fa = row[0] - centre;
        const double fb = row[width - 1] - centre;
        double* t = terms.data() + s * cols;
        for (int i = 0; i < k; ++i) {
            const double fab = row[1 + i] - centre;
            t[i] = fb * (fab - fa);
            t[k + i] = 0.5 * (fa - fab) * (fa - fab);
        }
        t[cols - 2] = fa + fb;
        t[cols - 1] = fa * fa + fb * fb;
    }
    // Indices from column sums over the chosen rows; `out` gets 2k values (S1 then ST).
    auto indices = [&](const std::uint32_t* pick, double* out, double* variance) {
        std::vector<double> sum(cols, 0.0);
        for (std::size_t s = 0; s < n; ++s) {
            const double* t = terms.data() + (pick ? pick[s] : s) * cols;
            for (std::size_t c = 0; c < cols; ++c) sum[c] += t[c];
        }
        const double nn = static_cast<double>(n);
        const double mean = sum[cols - 2] / (2 * nn);
        const double var = sum[cols - 1] / (2 * nn) - mean * mean;
        if (variance) *variance = var;
        for (int i = 0; i < 2 * k; ++i)
            out[i] = var > 0 ? sum[static_cast<std::size_t>(i)] / nn / var : kNaN;
    };

    SobolIndices r;
    r.parameters = k;
    r.samples = static_cast<int>(n);
    std::vector<double> point(2 * static_cast<std::size_t>(k));
    indices(nullptr, point.data(), &r.variance);
    r.first.resize(static_cast<std::size_t>(k));
    r.total.resize(static_cast<std::size_t>(k));
    const auto kn = static_cast<std::size_t>(k);
    for (std::size_t i = 0; i < kn; ++i) {
        r.first[i] = {point[i], kNaN, kNaN};
        r.total[i] = {point[kn + i], kNaN, kNaN};
    }
    std::vector<Estimate*> all;
    all.reserve(2 * kn);
    for (std::size_t i = 0; i < kn; ++i) all.push_back(&r.first[i]);
    for (std::size_t i = 0; i < kn; ++i) all.push_back(&r.total[i]);
    if (boot.resamples == 0) return r;

    const int resamples = boot.resamples;
    std::vector<double> draws(static_cast<std::size_t>(resamples) * 2 * k);
#pragma omp parallel num_threads(thread_count(boot))
    {
        std::vector<std::uint32_t> pick;
#pragma omp for schedule(static)
        for (int b = 0; b < resamples; ++b) {
            resample_indices(boot.seed, b, n, pick);
            indices(pick.data(), draws.data() + static_cast<std::size_t>(b) * 2 * k, nullptr);
        }
    }
    percentile_bounds(draws, resamples, 2 * k, boot.level, all);
    return r;
}

MorrisIndices morris_indices(std::span<const double> y, std::span<const int> factor,
                             std::span<const double> step, int parameters, const Bootstrap& boot) {
    check_bootstrap(boot);
    const int k = parameters;
    if (k < 1) throw std::invalid_argument("morris_indices: no parameters");
    const auto len = static_cast<std::size_t>(k) + 1;
    if (y.size() != factor.size() || y.size() != step.size())
        throw std::invalid_argument("morris_indices: outputs, factors and steps differ in length");
    if (y.empty() || y.size() % len != 0)
        throw std::invalid_argument(
            "morris_indices: " + std::to_string(y.size()) +
            " values are not whole trajectories of k + 1 = " + std::to_string(len) + " points");
    check_finite(y, "morris_indices");
    const std::size_t r = y.size() / len;

    // Elementary effects, trajectory x parameter.
    std::vector<double> ee(r * static_cast<std::size_t>(k));
    std::vector<char> seen(static_cast<std::size_t>(k));
    for (std::size_t t = 0; t < r; ++t) {
        std::fill(seen.begin(), seen.end(), 0);
        const std::size_t p0 = t * len;
        if (factor[p0] != -1)
            throw std::invalid_argument("morris_indices: trajectory " + std::to_string(t) +
                                        " does not start with factor -1");
        for (std::size_t s = 1; s < len; ++s) {
            const int f = factor[p0 + s];
            const double d = step[p0 + s];
            if (f < 0 || f >= k || seen[static_cast<std::size_t>(f)] || !(std::abs(d) > 0))
                throw std::invalid_argument("morris_indices: trajectory " + std::to_string(t) +
                                            " does not change each parameter once");
            seen[static_cast<std::size_t>(f)] = 1;
            ee[t * static_cast<std::size_t>(k) + static_cast<std::size_t>(f)] =
                (y[p0 + s] - y[p0 + s - 1]) / d;
        }
    }

    MorrisIndices m;
    m.parameters = k;
    m.trajectories = static_cast<int>(r);
    m.mu.assign(static_cast<std::size_t>(k), 0.0);
    m.sigma.assign(static_cast<std::size_t>(k), 0.0);
    m.mu_star.assign(static_cast<std::size_t>(k), Estimate{0, kNaN, kNaN});
    const double rr = static_cast<double>(r);
    for (int i = 0; i < k; ++i) {
        double sum = 0, abs_sum = 0;
        for (std::size_t t = 0; t < r; ++t) {
            const double e = ee[t * static_cast<std::size_t>(k) + static_cast<std::size_t>(i)];
            sum += e;
            abs_sum += std::abs(e);
        }
        const double mu = sum / rr;
        double ss = 0;
        for (std::size_t t = 0; t < r; ++t) {
            const double e = ee[t * static_cast<std::size_t>(k) + static_cast<std::size_t>(i)];
            ss += (e - mu) * (e - mu);
        }
        m.mu[static_cast<std::size_t>(i)] = mu;
        m.sigma[static_cast<std::size_t>(i)] = r > 1 ? std::sqrt(ss / (rr - 1)) : kNaN;
        m.mu_star[static_cast<std::size_t>(i)].value = abs_sum / rr;
    }
    if (boot.resamples == 0 || r < 2) return m;

    const int resamples = boot.resamples;
    std::vector<double> draws(static_cast<std::size_t>(resamples) * static_cast<std::size_t>(k));
#pragma omp parallel num_threads(thread_count(boot))
    {
        std::vector<std::uint32_t> pick;
#pragma omp for schedule(static)
        for (int b = 0; b < resamples; ++b) {
            resample_indices(boot.seed, b, r, pick);
            double* out = draws.data() + static_cast<std::size_t>(b) * static_cast<std::size_t>(k);
            std::fill(out, out + k, 0.0);
            for (const std::uint32_t t : pick)
                for (int i = 0; i < k; ++i)
                    out[i] +=
                        std::abs(ee[t * static_cast<std::size_t>(k) + static_cast<std::size_t>(i)]);
            for (int i = 0; i < k; ++i) out[i] /= rr;
        }
    }
    std::vector<Estimate*> all;
    for (Estimate& e : m.mu_star) all.push_back(&e);
    percentile_bounds(draws, resamples, k, boot.level, all);
    return m;
}

}  // namespace sesim
