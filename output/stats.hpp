// Ensemble statistics in result files: what `sesim run` stores beside the replicates as
// `<output>_stats` (statistic, time). Reading a result file back is output/read_file.hpp.
// See docs/output.md.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace sesim {

// The statistics, in the order of the `statistic` coordinate.
inline constexpr int kStatistics = 7;
inline constexpr std::array<std::string_view, kStatistics> kStatisticNames{
    "mean", "sd", "q05", "q25", "q50", "q75", "q95"};
// Probabilities of the quantile statistics (kStatisticNames[2..6]).
inline constexpr std::array<double, kStatistics - 2> kQuantileLevels{0.05, 0.25, 0.5, 0.75, 0.95};
// Suffix of the statistics dataset of an output: se_active -> se_active_stats.
inline constexpr std::string_view kStatsSuffix = "_stats";
// Values held at once when reading blocks of months across all replicates: 4 million doubles,
// 32 MB, whatever the number of replicates.
inline constexpr std::size_t kBlockValues = std::size_t{1} << 22;

// Months per block when reading `replicates` rows of `months` months with at most
// `block_values` values in memory (at least one month).
std::size_t block_months(std::size_t replicates, std::size_t months,
                         std::size_t block_values = kBlockValues);

// Quantile p of an ascending sample of n values by linear interpolation between order
// statistics (Hyndman & Fan 1996 type 7, the default of R, NumPy and xarray, so the stored
// statistics can be checked there). NaN for an empty sample.
double quantile_sorted(const double* sorted, std::size_t n, double p);

// The kStatistics statistics of one sample (all replicates of one output in one month). NaN
// values, replicates never written, are left out. sd is the sample standard deviation
// (divisor n - 1), NaN for a single value; everything is NaN when no value is left. The mean
// sums in replicate order, so a direct computation in the same order gives the same bits.
// Reorders `sample`.
std::array<double, kStatistics> summarise(std::vector<double>& sample);

}  // namespace sesim
