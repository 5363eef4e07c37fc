// The one reader of the result files of `sesim run`: everything a file records, so that
// `sesim reproduce` can re-run it from the file alone and `sesim digest` can hash its data
// (docs/reproducing.md), what `sesim compare` and `sesim report` need of it (its scenarios,
// per-replicate values at chosen months, its parameter draws), and plain reads for tests.
// Every function here that opens a result file is in this module.
//
// Every problem with the file (missing, not HDF5, truncated, damaged, not written by
// `sesim run`, a sweep file, a dataset of the wrong shape, a parameter out of range) throws
// InputError with a sentence naming the file and the object: the file is the user's input.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "model/scenario.hpp"
#include "output/provenance.hpp"
#include "output/stats.hpp"

namespace sesim {

struct RecordedScenario {
    // Name, description, path, files, text and overrides as stored; params rebuilt from the
    // `parameters` attributes (every concrete key of this sesim's table).
    Scenario scenario;
    // Keys of this sesim's parameter table that the file does not have (a file written before
    // the parameter existed): their defaults are used.
    std::vector<std::string> missing_parameters;
    // "key=value" for each stored parameter this sesim does not know: it cannot be honoured.
    std::vector<std::string> unknown_parameters;
    int months = 0;
    bool has_replicates = false;  // every output's (replicate, time) dataset
    bool has_statistics = false;  // every output's `<output>_stats` dataset
    // Outputs of this sesim that the group lacks (a file from before they existed).
    std::vector<std::string> missing_outputs;
};

struct RecordedFile {
    // Root attributes; text ones absent from older files are left empty.
    Provenance provenance;
    std::string contents;  // `sesim_contents`
    // The file has no root attribute `scenarios` (files of older sesim builds), so a scenario
    // group lost to damage cannot be told from one never written.
    bool scenarios_unlisted = false;
    std::vector<RecordedScenario> scenarios;  // in file order
};

// Reads the root attributes and every scenario group with its parameters, and checks the
// shapes of the output datasets against the stored months and replicates.
RecordedFile read_recorded_file(const std::filesystem::path& file);

// Read access to the datasets of one result file, kept open between reads.
class RecordedData {
  public:
    explicit RecordedData(const std::filesystem::path& file);
    ~RecordedData();
    RecordedData(const RecordedData&) = delete;
    RecordedData& operator=(const RecordedData&) = delete;

    bool has(const std::string& group, const std::string& dataset) const;
    // The first `rows` rows of the 2-D float64 dataset `group/dataset`, row-major; the dataset
    // must have exactly `cols` columns and at least `rows` rows. A 1-D dataset (the `time`
    // coordinate) reads as one row. InputError when missing, of another shape, or unreadable.
    std::vector<double> rows(const std::string& group, const std::string& dataset, std::size_t rows,
                             std::size_t cols) const;
    // The labels of the 1-D text dataset `group/dataset` (a coordinate such as
    // drawn_parameter). InputError when missing or not text.
    std::vector<std::string> labels(const std::string& group, const std::string& dataset) const;
    // Plane `index` of the 3-D float64 dataset `group/dataset` (a replicate's per-region
    // series: d1 regions x d2 months, row-major). InputError when missing or of another shape.
    std::vector<double> plane(const std::string& group, const std::string& dataset,
                              std::size_t index, std::size_t d1, std::size_t d2) const;
    // The dimensions of `group/dataset`.
    std::vector<std::uint64_t> shape(const std::string& group, const std::string& dataset) const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// ---- For `sesim compare` and `sesim report` ----------------------------------------------------

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

// The parameter draws of a run with parameter uncertainty (`sesim run --posterior/--priors`),
// as ResultFile::write_parameter_draws() stored them: the root attributes and the
// (replicate, drawn_parameter) matrix `<group>/drawn_parameters`. `kind` is empty for a file
// without draws (noise only; nothing else is read then). RunError when HDF5 cannot read them.
struct RecordedDraws {
    std::string kind;  // "posterior" or "priors"; empty: no draws
    std::string source;
    std::string calibration;
    int per_draw = 1;
    std::size_t rows = 0;
    std::size_t cols = 0;
    std::vector<double> values;  // rows x cols, row-major
};
RecordedDraws read_recorded_draws(const std::filesystem::path& file, const std::string& group);

// ---- For tests ---------------------------------------------------------------------------------

// The scenario groups and one output as stored, for tests. Throws RunError naming the file and what
// is missing or damaged.
std::vector<std::string> stored_scenarios(const std::filesystem::path& file);
// Output `output` of scenario `group` as replicates x months, row-major; with `region` >= 0
// the series of that region (index into the group's `regions/region` coordinate).
struct StoredSeries {
    int replicates = 0;
    int months = 0;
    std::vector<double> values;
    double at(int rep, int t) const {
        return values[static_cast<std::size_t>(rep) * static_cast<std::size_t>(months) +
                      static_cast<std::size_t>(t)];
    }
};
StoredSeries read_output(const std::filesystem::path& file, const std::string& group,
                         const std::string& output);

}  // namespace sesim
