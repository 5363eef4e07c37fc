// Reading back everything a result file of `sesim run` records, so that `sesim reproduce` can
// re-run it from the file alone and `sesim digest` can hash its data. See docs/reproducing.md.
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
#include "output/result_file.hpp"

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

}  // namespace sesim
