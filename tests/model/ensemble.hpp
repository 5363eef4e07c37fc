// Replicate statistics for the statistical model tests: means and Monte Carlo standard errors
// of a number per replicate, over a fixed set of seeds (deterministic, never retried).
#pragma once
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "model/model.hpp"

namespace sesim::test {

struct MeanSe {
    double mean = 0;
    double se = 0;  // standard error of the mean: sd / sqrt(n)
};

inline MeanSe mean_se(const std::vector<double>& x) {
    MeanSe r;
    const auto n = static_cast<double>(x.size());
    for (double v : x) r.mean += v;
    r.mean /= n;
    double ss = 0;
    for (double v : x) ss += (v - r.mean) * (v - r.mean);
    r.se = x.size() > 1 ? std::sqrt(ss / (n - 1) / n) : 0.0;
    return r;
}

// Output o over the twelve months of the year that ends with step `last`: the sum of a flow,
// the mean of a stock (kind from outputs.def).
inline double year_value(const RunSeries& r, Output o, int last) {
    double s = 0;
    for (int t = last - 11; t <= last; ++t) s += r.at(o, t);
    return kOutputDefs[static_cast<std::size_t>(o)].kind == OutputKind::flow ? s : s / 12.0;
}

}  // namespace sesim::test
