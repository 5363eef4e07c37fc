// Policy comparison on common random numbers: the effect of each scenario against a baseline,
// estimated from replicate-paired differences with Student-t confidence intervals, the public
// money per extra target-group job, and a plain-language summary. Pure computation on
// per-replicate samples: reading them from a result file is output/read_file.hpp, the command is
// app/cmd_compare.cpp.
//
// Why paired: replicate k of every scenario in one file shares its random numbers (the same
// SEs are founded, the same tenders are drawn), so the difference x_scen,k - x_base,k holds the
// policy's effect on that history and little of the noise between histories. The interval of
// the mean paired difference is therefore far narrower than the interval that treats the two
// ensembles as independent (Welch), for the same number of runs.
#pragma once
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sesim {

// Quantile p (0 < p < 1) of Student's t distribution with `dof` > 0 degrees of freedom.
double student_t_quantile(double p, double dof);

// A mean and its confidence interval; the bounds are NaN when fewer than two values.
struct Interval {
    int n = 0;  // values (or pairs) used
    double mean = std::numeric_limits<double>::quiet_NaN();
    double low = std::numeric_limits<double>::quiet_NaN();
    double high = std::numeric_limits<double>::quiet_NaN();
    double half_width() const { return (high - low) / 2.0; }
    bool above_zero() const { return low > 0; }  // false when NaN
    bool below_zero() const { return high < 0; }
};

// Mean of x with the interval mean +- t_{(1 + level)/2, n-1} sd / sqrt(n). NaN values skipped.
Interval mean_interval(std::span<const double> x, double level = 0.95);
// The paired difference: mean_interval of d_k = x_k - y_k over the pairs without a NaN.
// x and y must have the same length (replicates of two scenarios of one file).
Interval paired_difference(std::span<const double> x, std::span<const double> y,
                           double level = 0.95);
// The same difference with x and y taken as independent samples (Welch's interval, with
// Welch-Satterthwaite degrees of freedom): what the estimate would be worth without pairing.
Interval unpaired_difference(std::span<const double> x, std::span<const double> y,
                             double level = 0.95);

// ---- Parameter uncertainty
// -----------------------------------------------------------------------
//
// In a run with parameter uncertainty (sesim run --posterior/--priors) replicate k of every
// scenario used parameter draw j(k) and random stream k. The replicates that share a draw are
// one "world"; a paired difference d_k is that world's effect plus noise. The variance of d
// splits (law of total variance) into the variance of the worlds' expected effects,
// sigma2_parameters, and the noise within a world, sigma2_noise, estimated by one-way random
// effects ANOVA (unbalanced; the between component by the method of moments with
// n0 = (N - sum n_g^2 / N) / (G - 1), clamped at zero). The interval shown is then
//   mean +- t_{(1 + level) / 2, G - 1} sqrt(sigma2_parameters + Var(mean)),
//   Var(mean) = sigma2_parameters sum n_g^2 / N^2 + sigma2_noise / N,
// the range in which the effect of a plausible world lies, including the Monte Carlo error of
// the mean (a normal approximation over worlds). With one world (a noise-only run, or a
// posterior whose particles are all equal) it is exactly the paired Student-t interval. With
// one replicate per draw noise cannot be told from parameters: all the variance is counted as
// parameter variance (the interval is then conservative) and the split is unknown (NaN).

enum class IntervalKind { noise_only, with_parameters };
std::string_view interval_kind_text(IntervalKind kind);

// Which world each replicate belongs to (0 .. count - 1). Empty: a noise-only file.
struct Worlds {
    std::vector<int> of_replicate;
    int count = 0;
    std::string source;  // "posterior FILE" or "priors FILE", for headers
    bool empty() const { return of_replicate.empty(); }
};
// Groups replicates by identical rows (bit for bit) of a replicates x columns table of drawn
// values, in order of first appearance.
Worlds worlds_from_draws(const std::vector<double>& values, std::size_t replicates,
                         std::size_t columns);

struct VarianceSplit {
    double parameters = std::numeric_limits<double>::quiet_NaN();  // sigma2 between worlds
    double noise = std::numeric_limits<double>::quiet_NaN();       // sigma2 within a world
    // parameters / (parameters + noise): the share of one paired difference's variance due
    // to the parameters; NaN when it cannot be estimated.
    double parameter_share = std::numeric_limits<double>::quiet_NaN();
    int worlds = 0;
};

// The interval of the effect from paired differences d grouped by `worlds` (see above), with
// the probability that the effect is positive, P = T_dof(mean / sqrt(...)) on the same scale
// (for one world: the flat-prior posterior probability that the mean effect is positive).
Interval world_interval(std::span<const double> d, const Worlds& worlds, double level,
                        VarianceSplit* split = nullptr, double* p_positive = nullptr);

// The outcomes that answer the policy question of issue 3, in table order.
struct KeyOutcome {
    std::string_view output;
    std::string_view label;
};
inline constexpr std::array<KeyOutcome, 7> kKeyOutcomes{{
    {"se_scaled", "scaled SEs"},
    {"se_active", "active SEs"},
    {"jobs_target_group", "target-group jobs"},
    {"jobs_total", "total jobs"},
    {"social_value", "social value"},
    {"public_spend_se", "public spend on SEs"},
    {"programme_cost", "programme cost"},
}};
// Outputs that the cost per job and the summary sentence read, whatever --outputs says.
inline constexpr std::array<std::string_view, 6> kCostOutputs{
    "jobs_target_group",    "se_scaled",      "public_spend_se",
    "public_price_premium", "programme_cost", "wage_subsidy"};

// The label of an output in the table: the key outcome's, else the output name.
std::string outcome_label(std::string_view output);
// True for flows (summed from the first month to the date), false for stocks (value at the
// date). Throws std::invalid_argument for an unknown output.
bool is_cumulative(std::string_view output);

// Per-replicate samples of one scenario: output -> [date index][replicate]; flows cumulative
// from the first simulated month through the date, stocks at the date.
using Samples = std::map<std::string, std::vector<std::vector<double>>, std::less<>>;

struct Effect {
    std::string output;
    int date = 0;  // absolute month index (model/calendar.hpp)
    bool cumulative = false;
    double baseline_mean = 0;
    double scenario_mean = 0;
    Interval difference;                                         // paired
    Interval unpaired;                                           // Welch, for reference
    double relative = std::numeric_limits<double>::quiet_NaN();  // difference / baseline mean
    // Added for parameter uncertainty; `difference` is the interval shown, of kind `kind`.
    IntervalKind kind = IntervalKind::noise_only;
    Interval noise_only;  // the paired Student-t interval of the mean, whatever the kind
    double p_positive = std::numeric_limits<double>::quiet_NaN();  // P(effect > 0)
    VarianceSplit variance;
};

// Public money per extra target-group job at one date. Public money = public spend on SEs
// plus programme cost, cumulative to the date; extra cost = the price premium in that spend
// plus programme cost (what the public pays above the market price). Both are divided by the
// extra target-group jobs at the date, and only when those are detectably positive (their
// interval lies above zero); otherwise `available` is false and `reason` says why.
struct CostPerJob {
    int date = 0;
    Interval jobs;  // paired difference of target-group jobs (FTE) at the date
    // Paired difference of the cumulative additional public cost: programme cost, wage
    // subsidy and the SE price premium on public contracts. Public purchasing itself is not a
    // cost of the policy: the buyers' budgets are spent either way.
    Interval additional_cost;
    // Paired difference of cumulative public purchasing from SEs (budget redirected to SEs).
    Interval redirected_spend;
    bool available = false;
    double per_job = std::numeric_limits<double>::quiet_NaN();             // EUR per FTE
    double redirected_per_job = std::numeric_limits<double>::quiet_NaN();  // EUR per FTE
    std::string reason;                                                    // why not available
};

struct ScenarioComparison {
    std::string scenario;
    std::string description;
    std::vector<Effect> effects;    // output-major, then date
    std::vector<CostPerJob> costs;  // per date
    std::string sentence;           // one plain-language sentence, at the last date
};

// Compares `scen` with `base` on `outputs` at `dates` (ascending absolute months; the samples
// hold one entry per date). Both sample sets must contain `outputs` and kCostOutputs, with
// the same number of replicates. Throws std::invalid_argument when something is missing.
// With `worlds` (a run with parameter uncertainty), every interval, the cost per job's
// detectability and the sentence use world_interval(); without, the paired t interval.
ScenarioComparison compare_scenario(const std::string& scenario, const std::string& description,
                                    const Samples& base, const Samples& scen,
                                    const std::vector<std::string>& outputs,
                                    const std::vector<int>& dates, double level = 0.95,
                                    const Worlds* worlds = nullptr);

// Over several policies: the probability that each one ranks first (the largest increase of
// the output) and first per euro (largest increase per euro of additional public cost:
// programme cost, wage subsidy and price premium, as CostPerJob). Estimated over `resamples`
// draws: a world drawn with probability proportional to its replicates, then its replicates
// resampled with replacement (a bootstrap, keyed by seed and draw), the policies' mean paired
// effects compared. For a noise-only file (one world) this is the bootstrap probability that
// a policy's mean effect is the largest; with parameter uncertainty it is over plausible
// worlds. Ties share the rank equally. A policy with no extra cost and a positive effect
// ranks above every costly one per euro.
struct RankProbabilities {
    std::string output;
    int date = 0;
    std::vector<std::string> scenarios;
    std::vector<double> p_first;
    std::vector<double> p_first_per_euro;
    int resamples = 0;
};
std::vector<RankProbabilities> rank_policies(
    const Samples& base, const std::vector<std::pair<std::string, const Samples*>>& policies,
    const std::vector<std::string>& outputs, const std::vector<int>& dates, const Worlds* worlds,
    std::uint32_t seed, int resamples = 2000);

// Numbers as the table prints them: EUR with k/m/bn, others with 3 significant digits.
// `sign` adds '+' to positive numbers. NaN prints "n/a".
std::string format_number(double x, std::string_view units, bool sign = false);

}  // namespace sesim
