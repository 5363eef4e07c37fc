// Ensemble statistics in result files: what `sesim run` stores beside the replicates as
// `<output>_stats` (statistic, time), and the reading of a result file that `sesim compare`
// needs (what it holds, and per-replicate values at chosen months). See docs/output.md.
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

// ---- Reading a result file for comparison ------------------------------------------------------

struct StoredScenario {
    std::string name;  // group name
    std::string description;
    int start_month = 0;  // absolute month index (model/calendar.hpp)
    int months = 0;
    bool has_replicates = false;  // the (replicate, time) datasets; absent in --stats-only files
    bool has_statistics = false;  // the `<output>_stats` datasets
};

struct StoredFile {
    std::string sesim_version;
    int model_version = 0;
    int replicates = 0;
    std::uint32_t seed = 0;
    std::vector<StoredScenario> scenarios;  // in file order
};

// What a result file holds. Throws InputError naming the file and the reason when it is
// missing, not HDF5, damaged, or not a sesim result file (no `sesim_version` and
// `model_version` root attributes, or a scenario group without its parameters).
StoredFile read_stored_file(const std::filesystem::path& file);

// For each month of `months` (0-based indices into the scenario's months): per replicate the
// value of `output` in that month, or when `cumulative` its sum from month 0 through that
// month. Returns [i][replicate] for months[i]. Reads blocks of months across all replicates,
// so memory stays bounded for any number of replicates. Throws InputError when the group or
// output is missing or a month is out of range.
// `block_values` bounds the values held per block (tests make it small to cross blocks).
// With `region` >= 0 the values of that region (index into `<group>/regions/region`).
std::vector<std::vector<double>> read_replicates_at(const std::filesystem::path& file,
                                                    const std::string& group,
                                                    const std::string& output,
                                                    const std::vector<int>& months, bool cumulative,
                                                    std::size_t block_values = kBlockValues,
                                                    int region = -1);
// The region keys of a scenario group's per-region outputs (`<group>/regions/region`); empty
// when the file keeps totals only.
std::vector<std::string> stored_regions(const std::filesystem::path& file,
                                        const std::string& group);

}  // namespace sesim
