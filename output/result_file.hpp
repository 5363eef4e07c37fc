// The HDF5 result file of `sesim run`: one group per scenario, each output a (replicate, time)
// dataset with CF-style `units` / `long_name`, a CF `time` coordinate and dimension scales, so
// that xarray, netCDF4 and ncdump open every group without help. See docs/output.md.
//
// The file is written under a temporary name beside the requested one and renamed only by
// commit(): a failed or interrupted run never leaves a truncated file under the final name.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "model/outputs.hpp"
#include "model/scenario.hpp"
#include "output/provenance.hpp"
#include "output/stats.hpp"

namespace sesim {

// What the final file keeps of the runs. With `statistics_only` the runs are written to a
// scratch file beside the result (removed by commit() and by the destructor) and the result
// holds only the ensemble statistics of write_statistics(), its coordinates and attributes:
// for ensembles whose replicates are too many to keep. The scratch file holds the replicates
// until the statistics are computed, because exact quantiles need every value.
enum class Keep { replicates, statistics_only };
// Whether each scenario group also holds every output per region (group `regions`:
// (replicate, region, time)). With Keep::statistics_only only totals are kept.
enum class Regions { keep, totals_only };

// The parameter draws of a run with parameter uncertainty (sesim run --posterior/--priors,
// solvers/parameter_draws.hpp), as ResultFile::write_parameter_draws() records them.
struct DrawRecord {
    std::string kind;  // "posterior" or "priors"
    std::string path;
    std::string sha256;
    std::string calibration_name;
    std::string created;
    int replicates_per_draw = 1;
    std::vector<std::string> names;           // calibrated parameters
    std::vector<std::string> keys;            // concrete keys set
    std::vector<std::vector<double>> values;  // [scenario][replicate * keys + key], NaN: lever
    std::vector<int> draw_of_replicate;
    std::vector<int> particle_of_replicate;
};

class ResultFile {
  public:
    // Throws InputError when the folder of `path` does not exist or is not writable, or `path`
    // is a folder: call before any simulation starts.
    static void check_writable(const std::filesystem::path& path);

    // Creates the temporary file with all groups, coordinates, attributes and empty datasets.
    // Throws InputError when scenario names are not distinct or not usable as group names
    // (empty, ".", or containing '/'), RunError when HDF5 fails. `prov.replicates` >= 1.
    ResultFile(std::filesystem::path path, const Provenance& prov,
               const std::vector<Scenario>& scenarios, Keep keep = Keep::replicates,
               Regions regions = Regions::keep);
    ResultFile(const ResultFile&) = delete;
    ResultFile& operator=(const ResultFile&) = delete;
    ~ResultFile();  // removes the temporary file unless commit() succeeded

    // Writes one run's series into row `replicate` of scenario `scenario`'s datasets.
    // Not thread-safe: the caller serialises calls (HDF5 is built without thread safety).
    // std::out_of_range for an index outside the file, std::invalid_argument when the series
    // length differs from the scenario's months, std::logic_error after commit().
    void write_run(int scenario, int replicate, const RunSeries& series);

    // Computes the ensemble statistics of every scenario, output and month from the runs
    // written (output/stats.hpp: mean, sd, 5/25/50/75/95% quantiles) and writes them beside
    // the replicates as `<output>_stats` (statistic, time) with a `statistic` coordinate.
    // Reads blocks of months across all replicates, so memory is bounded by the block size
    // (output/stats.hpp, block_months), not by replicates x months. Call once, after the last
    // write_run() and before commit(); std::logic_error otherwise. `block_values` bounds the
    // values held per block (tests make it small to cross blocks).
    void write_statistics(std::size_t block_values = kBlockValues);

    // Records parameter draws: root attributes `parameter_uncertainty` (the kind; "none" in
    // files without draws), `parameter_source`, `parameter_source_sha256`,
    // `parameter_calibration`, `replicates_per_draw`, and per scenario group the datasets
    // `drawn_parameters(replicate, drawn_parameter)`, `parameter_draw(replicate)` and
    // `posterior_particle(replicate)`. Call before commit().
    void write_parameter_draws(const DrawRecord& draws);

    // Flushes, closes and renames the temporary file to the requested path. A second call
    // does nothing. With Keep::statistics_only, std::logic_error unless write_statistics() ran.
    void commit();

    const std::filesystem::path& temp_path() const { return tmp_; }

  private:
    std::filesystem::path path_;
    std::filesystem::path tmp_;
    std::int64_t file_ = -1;  // hid_t
    std::vector<std::int64_t> groups_;
    std::vector<std::vector<std::int64_t>> datasets_;  // [scenario][output], hid_t
    // Per region (group <scenario>/regions): [scenario][output], hid_t; empty when not kept.
    std::vector<std::vector<std::int64_t>> region_datasets_;
    std::vector<int> regions_;
    std::vector<std::string> group_names_;
    std::vector<int> months_;
    int replicates_ = 0;
    bool committed_ = false;
    Keep keep_ = Keep::replicates;
    std::filesystem::path scratch_;   // the replicates' file with Keep::statistics_only
    std::int64_t scratch_file_ = -1;  // hid_t
    bool statistics_written_ = false;

    // Closes every HDF5 id; the first failure is rethrown when `report`, else ignored.
    void close_all(bool report);
};

}  // namespace sesim
