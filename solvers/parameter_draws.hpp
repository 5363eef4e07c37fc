// Parameter uncertainty in ensembles: `sesim run --posterior POSTERIOR.h5` (or `--priors
// CALIBRATION.ini`) gives replicate k of every scenario the same parameter vector, drawn for
// k from the weighted posterior particles (or from the priors), and the same random stream k.
// Each paired difference is then one plausible world, and `sesim compare` shows intervals
// that include the uncertainty of the calibrated parameters.
//
// Draw j of a run is keyed by (seed, j) (solvers/keyed_rng.hpp), not taken from a stream: it
// is the same whatever the scenarios, threads or replicate count. With `replicates_per_draw`
// R, replicates jR .. jR + R - 1 share draw j: the design that lets `sesim compare` split
// each effect's variance into a parameter part and a noise part.
//
// Parameters not calibrated keep each scenario's values. A scenario's levers are never
// overwritten: the keys the scenario's own files set beyond the first file of its `base`
// chain (the scenario it extends, e.g. the baseline), and every --set override.
#pragma once
#include <Eigen/Dense>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "solvers/abc.hpp"
#include "solvers/runner.hpp"

namespace sesim {

struct DrawSource {
    std::string kind;  // "posterior" or "priors"
    std::string path;
    std::string sha256;  // of the file's bytes
    std::string calibration_name;
    std::string created;  // the posterior's creation time and commit, for provenance
    std::vector<std::string> names;
    std::vector<std::vector<std::string>> keys;  // per calibrated parameter: the keys it sets
    std::vector<bool> factor;
    Eigen::MatrixXd particles;    // posterior: particle x parameter
    std::vector<double> weights;  // posterior: normalised
    std::vector<Prior> priors;    // priors
};

// Reads a posterior file for drawing. InputError when it is damaged, not a posterior, of
// another model version, unfinished (a checkpoint), or names a parameter this sesim lacks.
DrawSource load_posterior_source(const std::filesystem::path& file);
// Reads the priors of a calibration file (solvers/calibration.hpp) for drawing.
DrawSource load_prior_source(const std::filesystem::path& file);

// The keys a scenario's levers set (see above).
std::set<std::string> scenario_levers(const Scenario& scenario);

struct DrawPlan {
    std::vector<int> draw_of_replicate;      // j = k / replicates_per_draw
    std::vector<int> particle_of_replicate;  // posterior particle of draw j, -1 for priors
    Eigen::MatrixXd vectors;                 // draw x calibrated parameter
};

// Fills plan.drawn for every scenario and replicate of `plan`. InputError when a draw breaks
// a relation between a scenario's parameters (and, for priors, no draw in 1000 tries keeps
// every scenario consistent).
DrawPlan add_parameter_draws(RunPlan& plan, const DrawSource& source, int replicates_per_draw);

}  // namespace sesim
