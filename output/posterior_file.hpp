// The HDF5 file of `sesim calibrate`: the ABC-SMC posterior, with everything a reader needs to
// use it and to know where it came from. Root datasets with dimension scales, so that xarray
// (`xr.open_dataset("posterior.h5")`), h5py and ncdump read it directly (docs/uncertainty.md):
//
//   parameter(parameter)         calibrated parameter names (strings), a dimension scale
//   target(target)               target names
//   particle(particle), generation(generation)
//   particles(particle, parameter)  the kept particles (parameter values)
//   weights(particle)            normalised posterior weights (sum 1)
//   importance_weights(particle) the same before normalising (what a resume continues from)
//   distances(particle)          each particle's distance to the targets
//   statistics(particle, target) each particle's simulated target statistics
//   predictive(particle, target) posterior predictive: fresh runs per particle
//   observed(target), target_scale(target), target_description(target), target_source(target)
//   prior(parameter), prior_low(parameter), prior_high(parameter), parameter_keys(parameter)
//   tolerance, acceptance_rate, ess, runs, proposals (generation)
//
// Root attributes: provenance (sesim and model version, commit, seed, command line, time),
// the calibration file's text, its base scenario's text, the method and the stop reason.
// The same layout serves as the checkpoint of an unfinished calibration (complete = 0).
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "output/provenance.hpp"

namespace sesim {

struct PosteriorGeneration {
    int generation = 0;
    double tolerance = 0;
    double acceptance_rate = 0;
    double ess = 0;
    std::int64_t runs = 0;
    int proposals = 0;
};

struct PosteriorData {
    // Provenance: of it a posterior file keeps the versions, commit, command line, creation
    // time and seed (write_provenance, ProvenanceOf::posterior).
    Provenance provenance;
    std::string method;
    // The calibration.
    std::string calibration_name;
    std::string calibration_path;
    std::string calibration_text;
    std::string scenario_name;
    std::string scenario_text;
    int population = 0;
    double alpha = 0;
    int replicates = 0;
    double final_tolerance = 0;
    double min_acceptance = 0;
    std::int64_t max_runs = 0;
    int max_generations = 0;
    int predictive_replicates = 0;
    // Parameters and targets.
    std::vector<std::string> parameters;
    std::vector<std::string> parameter_keys;  // "zwolle.entry_rate,haarlem.entry_rate"
    std::vector<int> parameter_factor;        // 1: the value multiplies the scenario's value
    std::vector<std::string> priors;          // Prior::text()
    std::vector<double> prior_low, prior_high;
    std::vector<std::string> targets;
    std::vector<std::string> target_descriptions;
    std::vector<std::string> target_sources;
    std::vector<double> observed, target_scale;
    // The state.
    int generation = -1;
    Eigen::MatrixXd particles;  // particle x parameter
    std::vector<double> importance_weights;
    std::vector<double> distances;
    Eigen::MatrixXd statistics;  // particle x target
    Eigen::MatrixXd predictive;  // particle x target, or empty
    std::vector<PosteriorGeneration> history;
    std::int64_t runs = 0;
    double support_mass = 1;
    bool complete = false;
    std::string stop_reason;

    std::vector<double> weights() const;  // normalised
};

// Writes `data` to `path` under a temporary name beside it, fsync'ed and renamed, so `path`
// is always either the previous complete file or the new one (a checkpoint that survives
// kill -9). RunError when writing fails.
void write_posterior(const std::filesystem::path& path, const PosteriorData& data);

// Reads a posterior (or checkpoint) file back. InputError naming the file and what is wrong
// when it is missing, not HDF5, damaged, not a sesim posterior, or inconsistent.
PosteriorData read_posterior(const std::filesystem::path& path);

}  // namespace sesim
