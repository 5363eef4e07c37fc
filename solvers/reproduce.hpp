// `sesim reproduce`: re-runs everything a result file records, from the file alone, and
// compares every stored value with the value computed now. See docs/reproducing.md.
//
// The plan is rebuilt from the file: each scenario's parameters from its `parameters`
// attributes, the seed and the replicate count from the root attributes. Each scenario is
// re-run with run_plan (in parallel, nothing written), then every dataset is compared element
// by element: the (replicate, time) outputs, the `<output>_stats` ensemble statistics
// (recomputed from the re-run replicates when all of them were re-run) and the `time`
// coordinate. Values are compared bit for bit unless a relative tolerance is given.
#pragma once
#include <atomic>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "output/read_file.hpp"
#include "solvers/runner.hpp"

namespace sesim {

struct ReproduceOptions {
    int replicates = 0;  // 0: every replicate the file holds; else the first N
    // Relative tolerance: a and b agree when |a - b| <= tolerance * max(|a|, |b|). None: they
    // agree only when their bits are equal (NaN agrees with a NaN of the same bits).
    std::optional<double> tolerance;
};

// The comparison of one dataset: recorded (the file) against recomputed (now).
struct DatasetComparison {
    std::string scenario;
    std::string dataset;  // "se_active", "se_active_stats", "time"
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::size_t differing = 0;         // values outside the tolerance (all unequal bits without)
    std::size_t within_tolerance = 0;  // values that differ but agree within the tolerance
    // The first value outside the tolerance, in (row, month) order; meaningful when differing.
    std::size_t first_row = 0;
    std::size_t first_col = 0;
    double recorded = 0;
    double recomputed = 0;
    // Largest differences over all values that differ (inside the tolerance or not).
    double max_abs_diff = 0;
    double max_rel_diff = 0;

    bool agrees() const { return differing == 0; }
};

// Compares rows x cols values (row-major) element by element. Pure.
DatasetComparison compare_values(const std::string& scenario, const std::string& dataset,
                                 std::size_t rows, std::size_t cols, const double* recorded,
                                 const double* recomputed, std::optional<double> tolerance);

// Whether two values agree under the tolerance (see ReproduceOptions).
bool values_agree(double recorded, double recomputed, std::optional<double> tolerance);

struct ReproduceReport {
    RecordedFile file;  // what the file records (provenance, scenarios)
    // Things the reader must know to judge the result: another model version, another libm,
    // parameters defaulted or ignored, datasets not checked.
    std::vector<std::string> notes;
    bool model_version_differs = false;
    bool libm_differs = false;  // the fingerprints differ (or the file has none)
    int replicates_in_file = 0;
    int replicates_checked = 0;
    std::size_t datasets_compared = 0;
    std::size_t values_compared = 0;
    std::size_t values_within_tolerance = 0;
    std::size_t values_differing = 0;  // outside the tolerance (all unequal bits without one)
    double max_rel_diff = 0;           // largest relative difference of any value compared
    std::vector<DatasetComparison> differences;  // datasets that do not agree, in file order
    std::vector<std::string> failures;           // runs that threw
    bool interrupted = false;
    // "scenario/output" of each output this sesim computes that the file lacks (a file of
    // another model version): not compared, so the file cannot be called identical.
    std::vector<std::string> not_compared;

    // Every value agrees (bit for bit, or within the tolerance when one was given).
    bool agrees() const { return differences.empty() && failures.empty() && !interrupted; }
    // Every output was compared, so agrees() speaks for the whole file.
    bool complete() const { return not_compared.empty(); }
};

// Reads `file`, re-runs it and compares. InputError when the file is not a readable result of
// `sesim run`, when `options.replicates` exceeds what it holds, or when a statistics-only file
// is asked for fewer replicates than it summarises. `progress` sees (runs done, runs total).
ReproduceReport reproduce_file(const std::filesystem::path& file, const ReproduceOptions& options,
                               const std::atomic<bool>* stop = nullptr,
                               const ProgressFn& progress = {});

// The report as text: the provenance of the file and of this build, the notes, then
// "identical", "equal within tolerance" or, per differing dataset, where the first difference
// is and how large the differences are.
std::string format_report(const ReproduceReport& report, const ReproduceOptions& options);

}  // namespace sesim
