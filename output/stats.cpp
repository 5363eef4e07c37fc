#include "output/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sesim {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

double quantile_sorted(const double* sorted, std::size_t n, double p) {
    if (n == 0) return kNaN;
    const double h = (static_cast<double>(n) - 1.0) * p;
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, n - 1);
    const double frac = h - static_cast<double>(lo);
    // x_lo + frac (x_hi - x_lo), as NumPy computes it; exact when both order statistics agree.
    return sorted[lo] + frac * (sorted[hi] - sorted[lo]);
}

std::array<double, kStatistics> summarise(std::vector<double>& sample) {
    const auto end =
        std::remove_if(sample.begin(), sample.end(), [](double x) { return std::isnan(x); });
    sample.erase(end, sample.end());
    std::array<double, kStatistics> out;
    out.fill(kNaN);
    const std::size_t n = sample.size();
    if (n == 0) return out;
    double sum = 0;
    for (const double x : sample) sum += x;
    const double mean = sum / static_cast<double>(n);
    out[0] = mean;
    if (n > 1) {
        // Two-pass: the deviations are taken from the mean, so large levels (EUR 1e8 a month)
        // do not swamp small spreads.
        double ss = 0;
        for (const double x : sample) ss += (x - mean) * (x - mean);
        out[1] = std::sqrt(ss / static_cast<double>(n - 1));
    }
    std::sort(sample.begin(), sample.end());
    for (std::size_t q = 0; q < kQuantileLevels.size(); ++q)
        out[2 + q] = quantile_sorted(sample.data(), n, kQuantileLevels[q]);
    return out;
}

std::size_t block_months(std::size_t replicates, std::size_t months, std::size_t block_values) {
    const std::size_t rows = std::max<std::size_t>(replicates, 1);
    return std::clamp<std::size_t>(block_values / rows, 1, std::max<std::size_t>(months, 1));
}

}  // namespace sesim
