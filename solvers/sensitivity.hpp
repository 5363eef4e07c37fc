// Global sensitivity analysis: Sobol' indices from a Saltelli design and Morris elementary
// effects, each with bootstrap confidence intervals. Plain functions of (design, outputs):
// they know nothing of the simulator, so the tests run them on analytic functions, and
// `sesim sensitivity` runs them on the columns of a sweep file (docs/sensitivity.md).
//
// Bootstrap. Resample b draws its indices from Philox keyed by (seed, purpose), counter
// (b, draw): every resample is a pure function of the seed and b, so the intervals are the same
// at any thread count. Intervals are percentile intervals (Efron and Tibshirani 1993, ch. 13):
// the (1 - level) / 2 and (1 + level) / 2 quantiles of the resampled estimates, quantiles
// interpolated linearly between order statistics (Hyndman and Fan 1996, type 7).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace sesim {

struct Bootstrap {
    int resamples = 1000;  // 0: point estimates only (intervals NaN)
    double level = 0.95;   // coverage of the percentile intervals
    std::uint32_t seed = 20190412;
    int threads = 0;  // OpenMP threads; 0: the OpenMP default. The result does not depend on it.
};

// An estimate with the bounds of its bootstrap interval (NaN without resamples).
struct Estimate {
    double value = 0;
    double low = 0;
    double high = 0;
};

struct SobolIndices {
    int parameters = 0;
    int samples = 0;              // base samples N used
    double variance = 0;          // of the output over A and B (2N values), the denominator
    std::vector<Estimate> first;  // S1, Saltelli et al. (2010) table 2 (b)
    std::vector<Estimate> total;  // ST, Jansen (1999); Saltelli et al. (2010) table 2 (f)
};

// Sobol' first-order and total indices of one output. `y` holds N blocks of k + 2 values, the
// layout of a `sobol` sweep: f(A_n), f(AB_n^1), ..., f(AB_n^k), f(B_n), where AB^i is A with
// column i from B. The output is centred on the mean of its A and B values first (as SALib
// does): the first-order estimator's variance otherwise grows with the square of the mean.
// The bootstrap resamples whole blocks (base samples). std::invalid_argument when y is not a
// whole number of blocks, N < 2, or a value is not finite. A constant output (variance 0)
// gives NaN indices.
SobolIndices sobol_indices(std::span<const double> y, int parameters, const Bootstrap& boot);

struct MorrisIndices {
    int parameters = 0;
    int trajectories = 0;
    std::vector<double> mu;         // mean elementary effect
    std::vector<Estimate> mu_star;  // mean absolute elementary effect (Campolongo et al. 2007)
    std::vector<double> sigma;      // standard deviation of the elementary effects (n - 1)
};

// Morris (1991) elementary effects of one output. `y` holds r trajectories of k + 1 points,
// trajectory after trajectory. `factor[p]` is the parameter that changed from point p - 1 to
// point p of its trajectory (-1 for a trajectory's first point) and `step[p]` that change in
// the unit cube (signed, +-Delta). The elementary effect is (y_p - y_{p-1}) / step_p, in units
// of the output per whole range of the parameter. Every parameter must change exactly once in
// each trajectory. The bootstrap resamples whole trajectories. std::invalid_argument on a
// malformed design or a value that is not finite.
MorrisIndices morris_indices(std::span<const double> y, std::span<const int> factor,
                             std::span<const double> step, int parameters, const Bootstrap& boot);

// The type 7 quantile of sorted values (linear between order statistics), q in [0, 1].
double sorted_quantile(std::span<const double> sorted, double q);

}  // namespace sesim
