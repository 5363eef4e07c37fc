// The HDF5 file of `sesim sweep`: one row per run. Datasets on the root group, each with HDF5
// dimension scales so that h5py, xarray (netCDF-4) and pandas read it directly (docs/sweeps.md):
//
//   run(run)                 global run number (int64), the dimension scale of `run`
//   parameter(parameter)     names of the varied parameters (strings), the scale of `parameter`
//   parameter_units(parameter)
//   time(time)               CF time of the kept months
//   design(run, parameter)   parameter values of each run (months as months since 2019-01)
//   point, replicate, seed, status (0 pending, 1 done, 2 failed)            per run
//   saltelli_sample, saltelli_matrix                                       sobol designs only
//   morris_trajectory, morris_factor, morris_step                         morris designs only
//   <output>(run, time)      each kept output, NaN until the run is done
//   <output>_baseline(run, time)   paired sweeps: the baseline run on the same random numbers
//
// Crash safety. Every dataset is contiguous and allocated when the file is created, and the
// file is created complete under a temporary name and renamed. After that, results only
// overwrite raw bytes at fixed offsets (no HDF5 metadata changes: no allocation, no chunk
// index, no attribute), written straight to the file (sieve buffer off). A kill -9 at any
// moment therefore leaves valid metadata, and at worst a torn row whose status is still 0.
// A run's status is set only at a checkpoint, after its data was flushed and fsync'ed, so a
// status of 1 always means complete data; a resume recomputes the rows still at 0.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "output/provenance.hpp"

namespace sesim {

// What a sweep file holds, independent of how the sweep was defined (solvers/sweep.hpp).
struct SweepLayout {
    std::string definition;  // canonical definition text, compared on resume and merge
    std::string hash;        // its short hash, for messages
    std::string name;        // the sweep's name, for messages
    int shard_index = 0;     // the file holds runs shard_index + row x shard_count
    int shard_count = 1;
    std::int64_t total_runs = 0;  // runs of the whole sweep
    std::vector<std::string> parameter_names;
    std::vector<std::string> parameter_units;
    std::vector<int> outputs;  // indices into kOutputDefs
    std::vector<int> months;   // kept months, absolute month indices
    bool saltelli = false;
    bool morris = false;
    bool paired = false;  // a baseline dataset beside each output
    // Further root attributes, written in this order (the order files have always had): the
    // description, the provenance (when given; output/provenance.hpp), text attributes that
    // follow it (`merged_from` of `sesim merge`), then the numbers.
    std::vector<std::pair<std::string, std::string>> text_attributes;
    std::optional<Provenance> provenance;
    std::vector<std::pair<std::string, std::string>> text_after_provenance;
    std::vector<std::pair<std::string, double>> number_attributes;

    std::int64_t rows() const;  // runs in this file
};

// The static description of one row, written when the file is created.
struct SweepRow {
    std::int64_t run = 0;
    std::int64_t point = 0;
    std::int32_t replicate = 0;
    std::uint32_t seed = 0;
    std::int64_t saltelli_sample = -1;
    std::int32_t saltelli_matrix = -1;
    std::int32_t morris_trajectory = -1;
    std::int32_t morris_factor = -1;  // parameter changed from the previous point; -1 at a start
    double morris_step = 0;           // its signed change in the unit cube
    std::vector<double> design;       // one value per parameter, in the file's units
};
using SweepRowFn = std::function<void(std::int64_t row, SweepRow& out)>;

// The dataset of an output's baseline runs in a paired sweep file.
inline std::string baseline_dataset(const std::string& output) {
    return output + "_baseline";
}

enum class RunStatus : std::uint8_t { pending = 0, done = 1, failed = 2 };

// What a stored sweep file says about itself.
struct SweepFileInfo {
    std::string definition;
    std::string hash;
    std::string name;
    int shard_index = 0;
    int shard_count = 1;
    std::int64_t total_runs = 0;
    std::int64_t rows = 0;
    std::int64_t pending = 0;
    std::int64_t done = 0;
    std::int64_t failed = 0;
};
// RunError when the file is missing, damaged, or not a sweep file; InputError when another
// process is writing it.
SweepFileInfo read_sweep_info(const std::filesystem::path& path);
// A text attribute of the file's root ("" when absent), e.g. sweep_text.
std::string read_sweep_attribute(const std::filesystem::path& path, const std::string& name);

class SweepFile {
  public:
    // Writes a complete new file at `path`: built as `path`.new, fsync'ed, then renamed, so
    // `path` never names a half-made file. Memory: one block of rows at a time.
    static void create(const std::filesystem::path& path, const SweepLayout& layout,
                       const SweepRowFn& rows);

    // Opens a file made by create() for writing results. RunError when it cannot be opened
    // (damaged, not a sweep file); InputError when another process has it open.
    explicit SweepFile(const std::filesystem::path& path);
    SweepFile(const SweepFile&) = delete;
    SweepFile& operator=(const SweepFile&) = delete;
    ~SweepFile();  // closes without a checkpoint (what was not checkpointed is recomputed)

    const SweepFileInfo& info() const { return info_; }
    // Status of each row: as stored, updated by write_result() for this session's runs.
    const std::vector<std::uint8_t>& status() const { return status_; }
    // Values of one run: outputs x months, output-major (for a paired sweep the scenario's
    // outputs, then the baseline's).
    std::size_t values_per_run() const { return outputs_.size() * months_; }

    // Writes one run's values into row `row` (a failed run writes none: its row stays NaN).
    // The status becomes durable at the next checkpoint(). Not thread-safe.
    void write_result(std::int64_t row, RunStatus status, const double* values);
    // Makes every result written so far durable: data flushed and fsync'ed, then the statuses
    // written, flushed and fsync'ed. Returns how many statuses it set.
    std::int64_t checkpoint();
    // Copies the outputs and statuses of a shard file of the same sweep into this (whole)
    // file, checking that the shard's runs and design rows are the ones this file expects.
    void copy_shard(const std::filesystem::path& shard, int shard_index, int shard_count);
    // Checkpoints and closes; reports a failure (a close is where buffered writes can fail).
    void close();

  private:
    std::filesystem::path path_;
    std::int64_t file_ = -1;             // hid_t
    std::vector<std::int64_t> outputs_;  // dataset ids, layout order
    std::vector<std::string> output_names_;
    std::int64_t status_ds_ = -1;
    std::size_t months_ = 0;
    int parameters_ = 0;
    SweepFileInfo info_;
    std::vector<std::uint8_t> status_;
    std::vector<std::int64_t> unsynced_;  // rows written since the last checkpoint

    void sync();
    void close_ids(bool report);
};

// Read-only access to a finished (or any) sweep file for analysis (`sesim sensitivity`): the
// file is opened once, datasets are read whole or one column at a time. Every failure
// (missing, damaged, not a sweep file, a dataset of the wrong shape) is a RunError naming the
// file and the dataset; InputError when another process is writing the file.
class SweepReader {
  public:
    explicit SweepReader(const std::filesystem::path& path);
    SweepReader(const SweepReader&) = delete;
    SweepReader& operator=(const SweepReader&) = delete;
    ~SweepReader();

    const SweepFileInfo& info() const { return info_; }
    const std::vector<std::uint8_t>& status() const { return status_; }
    bool has(const std::string& name) const;               // a dataset on the root
    std::string text(const std::string& attribute) const;  // "" when absent
    std::vector<std::string> strings(const std::string& dataset) const;
    std::vector<std::int64_t> integers(const std::string& dataset) const;  // one per row
    std::vector<double> numbers(const std::string& dataset) const;         // one per row
    // Column `col` of a run x time dataset: one value per row.
    std::vector<double> column(const std::string& dataset, std::size_t col) const;
    // The kept months (absolute month indices), decoded from the CF time axis.
    std::vector<int> months() const;

  private:
    std::filesystem::path path_;
    std::int64_t file_ = -1;  // hid_t
    SweepFileInfo info_;
    std::vector<std::uint8_t> status_;
};

// Renames a finished working file to its final name, durably (file and folder fsync'ed).
void commit_sweep_file(const std::filesystem::path& partial, const std::filesystem::path& path);

}  // namespace sesim
