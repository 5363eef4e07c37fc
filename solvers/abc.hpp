// Approximate Bayesian computation by sequential Monte Carlo with weighted particles: the
// adaptive population Monte Carlo ABC of Lenormand, Jabot & Deffuant (2013, Computational
// Statistics 28:2777, "APMC"), which is the population Monte Carlo of Beaumont, Cornuet, Marin
// & Robert (2009, Biometrika 96:983) with an adaptive tolerance schedule.
//
// Generation 0 simulates `population` (N) parameter vectors drawn from the prior and keeps the
// alpha N with the smallest distances; the tolerance is the largest distance kept (the alpha
// quantile). Each later generation proposes N - alpha N new vectors: a kept particle chosen by
// weight, moved by a multivariate normal kernel with twice the weighted covariance of the
// kept particles (Beaumont et al. 2009), drawn again until it lies in the prior's support
// (the kernel truncated to the support). A new particle's weight is prior density over the
// truncated kernel mixture density; the new and the kept particles are pooled and the alpha N
// closest are kept, which sets the next tolerance. The acceptance rate is the share of new
// particles inside the new tolerance. It stops when the tolerance reaches `final_tolerance`,
// when the acceptance rate falls below `min_acceptance` (Lenormand et al.'s rule: further
// generations would barely move the posterior), when the next generation would exceed the
// run budget, or after `max_generations`.
//
// Determinism: every draw is keyed by (seed, generation, proposal, attempt, purpose)
// (solvers/keyed_rng.hpp) and the model is a pure function of the vector and the key, so the
// simulations of a generation can run on any number of threads in any order; everything that
// selects or weights particles runs after them, in proposal order.
#pragma once
#include <Eigen/Dense>
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

namespace sesim {

enum class PriorKind { uniform, log_uniform, truncated_normal };

// One parameter's prior. The support is [low, high]; truncated_normal is N(mean, sd^2)
// restricted to it; log_uniform needs 0 < low.
struct Prior {
    PriorKind kind = PriorKind::uniform;
    double low = 0;
    double high = 1;
    double mean = 0;  // truncated_normal only
    double sd = 1;    // truncated_normal only

    // Normalised log density on [low, high], -infinity outside.
    double log_density(double x) const;
    // Inverse CDF: the value with P(X <= value) = u, for u in (0, 1).
    double quantile(double u) const;
    double prior_mean() const;
    // "uniform(0.1, 0.5)", "log_uniform(1e-3, 1)", "truncated_normal(0.2, 0.05; 0, 1)"
    std::string text() const;
};
std::string_view prior_kind_name(PriorKind kind);

struct AbcSettings {
    int population = 1000;  // N: vectors simulated in generation 0
    double alpha = 0.5;     // share of N kept each generation
    double final_tolerance = 0;
    double min_acceptance = 0.02;
    // Budget in model runs: a proposal costs `runs_per_proposal` runs (replicates).
    std::int64_t max_runs = std::numeric_limits<std::int64_t>::max();
    int runs_per_proposal = 1;
    int max_generations = 100;
    std::uint32_t seed = 1;
    // Monte Carlo draws per kept particle for the kernel's mass inside the support.
    int support_draws = 256;

    int kept() const;       // alpha N, at least 2
    int proposals() const;  // N - kept(), at least 1
};

struct AbcProblem {
    std::vector<std::string> names;  // one per parameter
    std::vector<Prior> priors;
    std::vector<double> observed;  // one per target statistic
    std::vector<double> scale;     // tolerance or standard error of each target, > 0
    // The simulated statistics (one per target) at `theta`; (generation, proposal) name the
    // evaluation so the model can key its random numbers on them. Called concurrently.
    std::function<std::vector<double>(const std::vector<double>& theta, std::uint32_t generation,
                                      std::uint32_t proposal)>
        simulate;
    // Restricts the support beyond the prior's box (relations between parameters); empty:
    // every point of the box is valid. Called concurrently.
    std::function<bool(const std::vector<double>& theta)> valid;
};

// sqrt(sum_k ((s_k - o_k) / scale_k)^2); infinity when a statistic is not finite.
double abc_distance(const std::vector<double>& simulated, const std::vector<double>& observed,
                    const std::vector<double>& scale);

struct GenerationSummary {
    int generation = 0;
    double tolerance = 0;        // largest distance kept
    double acceptance_rate = 0;  // share of this generation's new particles kept (1 in gen 0)
    double ess = 0;              // effective sample size of the kept weights
    std::int64_t runs = 0;       // cumulative model runs after this generation
    int proposals = 0;           // vectors simulated in this generation
};

// Everything needed to continue: a checkpoint stores it bit for bit.
struct AbcState {
    int generation = -1;        // the last completed generation; -1 before generation 0
    Eigen::MatrixXd particles;  // kept x parameters
    // Importance weights (target over proposal density; 1 in generation 0), not normalised:
    // kept and new particles are pooled on this scale. Divide by their sum for a posterior.
    std::vector<double> weights;
    std::vector<double> distances;
    Eigen::MatrixXd statistics;  // kept x targets: each particle's simulated statistics
    std::vector<GenerationSummary> history;
    std::int64_t runs = 0;
    double support_mass = 1;  // prior mass of the valid region (1 without a `valid` rule)
    bool finished = false;
    std::string stop_reason;
};

// Kish's effective sample size (sum w)^2 / sum w^2.
double effective_sample_size(const std::vector<double>& weights);
// Weighted quantile (p in [0, 1]) of x: the smallest x_i whose cumulative weight in ascending
// order of x reaches p.
double weighted_quantile(const std::vector<double>& x, const std::vector<double>& weights,
                         double p);

using AbcProgress = std::function<void(int generation, int done, int total)>;

// Runs from `state` (a fresh AbcState, or one read back from a checkpoint) until a stop rule
// holds, calling `after_generation` after every completed generation (to checkpoint it). When
// `stop` is set, proposals not yet started are skipped and the generation is discarded: the
// returned state is the last completed one, with finished = false. Throws std::invalid_argument
// for inconsistent settings or problem, RunError when the kernel cannot find a point of the
// support or a simulation throws.
AbcState run_abc(const AbcProblem& problem, const AbcSettings& settings, AbcState state,
                 const std::function<void(const AbcState&)>& after_generation = {},
                 const std::atomic<bool>* stop = nullptr, const AbcProgress& progress = {});

}  // namespace sesim
