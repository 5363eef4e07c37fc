// Calibration files and the pieces `sesim calibrate` and `sesim run --posterior/--priors`
// share: targets (statistics of a run's outputs with an observed value), calibrated
// parameters with priors, and the ABC-SMC problem that ties them to the model.
// See docs/uncertainty.md for the file format and a walkthrough.
//
// A calibration file uses the scenario files' syntax (solvers/scenario_file.hpp):
//
//   name = facts
//   scenario = ../baseline.ini        # the scenario whose parameters are calibrated
//   population = 1000                 # ABC-SMC settings (all optional, see CalibrationSettings)
//   [target.business_share]           # one section per target
//   statistic = ratio                 # value | mean | sum | ratio | growth
//   output = revenue_business
//   denominator = revenue_total
//   from = 2019-01
//   to = 2019-12
//   observed = 0.46
//   sd = 0.05                         # or: tolerance = 0.05 (either scales the distance)
//   source = SE Monitor 2016
//   [prior.exit_hazard]               # one section per calibrated parameter
//   distribution = log_uniform        # uniform | log_uniform | truncated_normal
//   low = 0.002
//   high = 0.02
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "model/outputs.hpp"
#include "model/scenario.hpp"
#include "solvers/abc.hpp"

namespace sesim {

enum class TargetStatistic { value, mean, sum, ratio, growth };
std::string_view statistic_name(TargetStatistic s);

// A statistic of one run's outputs and the value observed for it.
//   value:  the output in month `at` (a flow: its total in that month)
//   mean:   the mean of the monthly values over [from, to]
//   sum:    the total over [from, to]
//   ratio:  total of `output` over total of `denominator`, both over [from, to]
//   growth: annual growth rate (x(to) / x(from))^(12 / months between) - 1, where x is the
//           year ending in that month: a stock's mean over its 12 months, a flow's total
struct Target {
    std::string name;
    TargetStatistic statistic = TargetStatistic::value;
    int output = -1;       // index into kOutputDefs
    int denominator = -1;  // ratio only
    int from = 0;          // absolute months (model/calendar.hpp); `at` is stored in both
    int to = 0;
    double observed = 0;
    double scale = 1;        // sd or tolerance: the distance's unit for this target
    std::string scale_kind;  // "sd" or "tolerance"
    std::string source;
    std::string description;  // "ratio of revenue_business to revenue_total, 2019-01 to 2019-12"

    // The first simulated month the statistic needs (growth reaches back 11 months).
    int first_month() const;
};

// The statistic of `target` on one run that started in `start_month`. Throws
// std::out_of_range when a month lies outside the run.
double evaluate_target(const Target& target, const RunSeries& series, int start_month);

// A calibrated parameter: one value drawn from its prior, set on one concrete key, or on
// every region's (and buyer kind's) copy of a regional (buyer) parameter named without its
// prefix. With `factor`, the drawn value multiplies each key's scenario value instead.
struct CalibratedParameter {
    std::string name;
    std::vector<const ParamKey*> keys;
    bool factor = false;
    Prior prior;
};

// Sets the drawn value on `params`; `scenario` supplies the values a factor multiplies.
void apply_parameter(const CalibratedParameter& cp, double value, const Params& scenario,
                     Params& params);

struct CalibrationSettings {
    int population = 1000;
    double alpha = 0.5;
    int replicates = 2;  // runs per particle; the statistics are their mean
    double final_tolerance = 1.0;
    double min_acceptance = 0.02;
    std::int64_t max_runs = 100000;
    int max_generations = 30;
    std::uint32_t seed = 20190412;
    int predictive_replicates = 1;  // posterior predictive runs per kept particle (0: none)
};

struct CalibrationFile {
    std::string name;
    std::string description;
    std::string path;   // as given
    std::string text;   // the file's text, verbatim (provenance; compared on --resume)
    Scenario scenario;  // the base scenario, loaded and validated
    int horizon = 0;    // months simulated: through the last month any target needs
    CalibrationSettings settings;
    std::vector<Target> targets;
    std::vector<CalibratedParameter> parameters;

    std::vector<std::string> parameter_names() const;
    std::vector<std::string> target_names() const;
};

// Reads and validates a calibration file. InputError naming the file, line and key for a
// malformed line, an unknown key, output or parameter, a prior outside the parameter's
// declared range, a target outside the scenario's months, a missing source...
CalibrationFile load_calibration(const std::filesystem::path& file);

// The parameters of one run: the scenario with the drawn values applied. Throws InputError
// when the result breaks a relation between parameters (check_consistency).
Params calibrated_params(const CalibrationFile& cal, const std::vector<double>& theta);

// The ABC-SMC problem of a calibration file: priors, targets and the model, each proposal
// averaged over settings.replicates runs whose (seed, replicate) are keyed by the calibration
// seed, the generation, the proposal and the replicate.
AbcProblem calibration_problem(const CalibrationFile& cal);
AbcSettings abc_settings(const CalibrationSettings& s);

// Posterior predictive: for each particle, the target statistics of
// settings.predictive_replicates fresh runs (keyed apart from the calibration's), averaged.
// particles x targets.
Eigen::MatrixXd posterior_predictive(const CalibrationFile& cal, const Eigen::MatrixXd& particles,
                                     const std::atomic<bool>* stop = nullptr,
                                     const AbcProgress& progress = {});

}  // namespace sesim

#include "output/posterior_file.hpp"

namespace sesim {

// The posterior file's contents for a calibration's state (provenance from this build).
PosteriorData posterior_data(const CalibrationFile& cal, const AbcState& state,
                             const std::string& command_line);
// The ABC state a checkpoint holds, after checking that it belongs to this calibration (the
// same file text, seed, settings and model version): InputError saying what differs.
AbcState resume_state(const CalibrationFile& cal, const PosteriorData& checkpoint,
                      const std::string& checkpoint_path);

}  // namespace sesim
