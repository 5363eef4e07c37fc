// Parameter sweeps: the definition read from a sweep file (scenarios/sweeps/*.ini), its design
// (full grid, Latin hypercube, Sobol' points in the Saltelli scheme, or Morris trajectories)
// and the mapping from a run number to what that run simulates. A sweep may be paired: every
// run simulates the scenario and a baseline on the same random numbers, so that the effect
// (scenario minus baseline) can be analysed. See docs/sweeps.md. A design is a value
// (SweepDesign) checked by set_design(), whether it comes from a file or from code; the file
// reader only turns text into values.
//
// Everything about run i (its design point, its parameter values, its replicate and seed) is a
// pure function of the definition and i: no design matrix is drawn and kept, so any thread,
// MPI rank or Slurm task computes any run on its own, and memory does not grow with the
// number of runs.
#pragma once
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/params.hpp"
#include "solvers/design.hpp"

namespace sesim {

enum class Design { grid, lhs, sobol, morris };
std::string_view design_name(Design d);

// One varied parameter: a range (linear or log scale) or a list of values.
struct SweepParameter {
    const ParamKey* key = nullptr;
    bool is_list = false;
    std::vector<double> values;  // a list, in the order written
    double low = 0;              // a range: both ends included
    double high = 0;
    bool log = false;     // range sampled evenly in log(value)
    std::string written;  // the value as the sweep file wrote it, for messages; may be empty

    // The value as the sweep file (and the canonical definition) writes it: "0 to 0.3",
    // "0.5 to 8 log", "0, 0.1, 0.2".
    std::string spec() const;
    // The value at u in [0, 1) for Latin hypercube and Sobol' designs. Reals map linearly (or
    // log-linearly); integers and months split the range into hi - lo + 1 equal cells (for
    // log, cells equal in log); a list splits [0, 1) into one equal cell per value.
    double at_unit(double u) const;
    // The grid levels in increasing order: a list's values (as written), or `levels` points
    // evenly spaced from low to high (in log for a log range), rounded to whole numbers for
    // integers and months.
    std::vector<double> grid_levels(int levels) const;
};

struct Sweep {
    // Provenance, stored in the output file but not part of the definition.
    std::string path;                // the sweep file as given
    std::string description;         // the file's `description`
    std::vector<std::string> files;  // sweep file, then its base scenario chain
    std::string text;                // the text of those files, each after a "# file:" line

    // The definition: what the runs compute. Two sweeps with the same definition() give the
    // same data.
    std::string name;  // `name`, default: the sweep file's stem
    Params base;       // the base scenario with the [set] changes applied
    // Paired sweeps (`baseline = FILE`): the baseline scenario with the same [set] changes.
    // Every run simulates `base` and `baseline` with the design point's values, the same seed
    // and replicate (common random numbers).
    bool paired = false;
    Params baseline;
    Design design = Design::lhs;
    std::int64_t samples = 0;  // lhs: design points; sobol: base samples N; otherwise unused
    int levels = 0;            // grid: levels of each range; morris: grid levels p; else unused
    int trajectories = 0;      // morris: trajectories r
    int candidates = 0;        // morris: candidates for the Campolongo selection (0: none)
    int replicates = 1;
    std::uint32_t seed = 20190412;
    std::vector<int> outputs;      // indices into kOutputDefs, in the order given
    std::vector<int> keep_months;  // absolute months kept; empty: every month (full series)
    std::vector<SweepParameter> vary;
    // Derived from `vary` and `levels` when a sweep is read (grid designs): each dimension's
    // values in the order the grid order takes them, so point_values() need not rebuild them.
    std::vector<std::vector<double>> grid_values;
    // Derived for morris designs: the design in the unit cube (holds the selected trajectories).
    std::shared_ptr<const MorrisDesign> morris;

    int parameters() const { return static_cast<int>(vary.size()); }
    // Design points: the product of the grid levels, samples for lhs, samples x (k + 2) for
    // sobol (Saltelli: A, AB_1 .. AB_k, B for each base sample), trajectories x (k + 1) for
    // morris.
    std::int64_t points() const;
    std::int64_t runs() const { return points() * replicates; }
    // The months of the stored time axis (absolute month indices).
    std::vector<int> time_months() const;

    // Run i simulates design point i / replicates with replicate i % replicates: the
    // replicates of a point are adjacent, so a sweep cut short holds whole points, and the
    // point order below makes those points cover the whole space.
    std::int64_t point_of_run(std::int64_t run) const { return run / replicates; }
    int replicate_of_run(std::int64_t run) const { return static_cast<int>(run % replicates); }
    // Every run uses the sweep's seed; replicate r uses the model's random stream (seed, r) at
    // every point (common random numbers, as `sesim run` across scenarios).
    std::uint32_t seed_of_run(std::int64_t) const { return seed; }

    // Values of the varied parameters at design point p, in `vary` order, in the units of the
    // parameter table (months as absolute month indices).
    void point_values(std::int64_t point, double* values) const;
    // The base parameters with point p's values set.
    Params params_at(const double* values) const;
    // The baseline parameters with point p's values set (paired sweeps).
    Params baseline_at(const double* values) const;
    // Morris position of point p (morris only): trajectory p / (k + 1); the parameter changed
    // from the previous point of the trajectory (-1 at its start) and the signed change in the
    // unit cube (+-Delta, 0 at a start).
    int morris_trajectory(std::int64_t point) const { return morris->trajectory_of(point); }
    int morris_factor(std::int64_t point) const { return morris->factor(point); }
    double morris_step(std::int64_t point) const { return morris->step(point); }
    // Saltelli position of point p (sobol only): base sample p / (k + 2) and matrix p % (k + 2),
    // Base sample n is Sobol' point M + n of 2k dimensions, M the smallest power of two >= N
    // (at least 2); A is its first k coordinates, B the last k.
    // 0 for A, i for AB_i (A with column i taken from B, i = 1 .. k), k + 1 for B: the layout
    // of SALib's saltelli.sample(..., calc_second_order=False).
    std::int64_t saltelli_sample(std::int64_t point) const { return point / (parameters() + 2); }
    int saltelli_matrix(std::int64_t point) const {
        return static_cast<int>(point % (parameters() + 2));
    }

    // The canonical text of the definition: the resolved base parameters (every one), the
    // design, the ranges, replicates, seed, outputs, kept months and the model version, one
    // `key = value` line each. A resume is accepted only against an equal text.
    std::string definition() const;
    // Scenario runs and, for a paired sweep, baseline runs: the values one run stores are
    // outputs x months for the scenario, then as many for the baseline.
    int variants() const { return paired ? 2 : 1; }
    // 16 hex digits: 64-bit FNV-1a of definition(), a short name for it in messages.
    std::string hash() const;
};

// A sweep's design as values: what a sweep file's design keys say, for sweeps built in code
// and for the file reader alike (set_design checks both the same way).
struct SweepDesign {
    Design design = Design::lhs;
    std::int64_t samples = 0;  // lhs: design points; sobol: base samples N; else 0
    int levels = 0;            // grid: values per range (0 when every parameter is a list);
                               // morris: grid levels p, even (0: the default, 4); else 0
    int trajectories = 0;      // morris: trajectories r (2 or more); else 0
    int candidates = 0;        // morris: candidates for the Campolongo selection, 0 (none) or r ..
                               // MorrisDesign::kMaxCandidates; else 0
    int replicates = 1;
    std::uint32_t seed = 20190412;
};

// A design that does not fit its parameters. field() names the design value at fault
// ("samples", "levels", "trajectories", "candidates", "replicates"), or "vary" with
// parameter() the index into Sweep::vary, or is empty for the design as a whole (its kind, its
// size); what() says what is wrong and how to fix it.
class DesignError : public std::invalid_argument {
  public:
    DesignError(std::string field, const std::string& what, int parameter = -1)
        : std::invalid_argument(what), field_(std::move(field)), parameter_(parameter) {}
    const std::string& field() const { return field_; }
    int parameter() const { return parameter_; }

  private:
    std::string field_;
    int parameter_;
};

// Gives `sweep` (its `vary` set) the design `design`, checked against the varied parameters,
// and derives what the design needs (grid values, the Morris trajectories). Throws
// DesignError when nothing varies, a value is out of range, a key belongs to another kind of
// design, a grid's levels do not fit a range of whole numbers, a Sobol' design has too many
// parameters or too few samples to tell A from B, or the sweep exceeds 100 million runs.
void set_design(Sweep& sweep, const SweepDesign& design);

// Reads a sweep file (syntax as scenario files: `key = value`, [sections], # comments) and
// its base scenario. Throws InputError naming file, line and key for an unknown key or
// parameter, a bad or empty range, a design that does not fit the parameters, or a design
// point whose parameters are inconsistent.
Sweep load_sweep(const std::filesystem::path& file);

// Rebuilds a sweep from its canonical definition (as stored in a sweep output file), for
// `sesim merge`. `origin` names the text in messages. Throws InputError when the text is not
// a definition this build can read (another format or model version).
Sweep parse_sweep_definition(const std::string& definition, const std::string& origin);

// Checks every design point's parameters for consistency (check_consistency); throws
// InputError naming the first inconsistent point and its values.
void check_design(const Sweep& sweep, const std::string& origin);

// The months of a MONTH parameter in the design matrix: months since 2019-01 (2020-03 -> 14).
double design_month_value(double month_index);

}  // namespace sesim
